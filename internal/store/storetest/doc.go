// Package storetest is the conformance suite every store.Store backend
// passes: Run(t, newStore) runs the same named subtests against SQLite
// today and PostgreSQL later, so the backends cannot drift apart on the
// contracts store.go writes down (case-insensitive unique names with case
// preserved, name order and opaque markers, path prefixes, renames that
// carry relations, cascading deletes, concurrent Update, revisions).
//
// It exists so that the contract lives in one executable place rather
// than in each backend's tests (the model is dexidp/dex's
// storage/conformance). It imports internal/store and test libraries
// only; it must not import a backend, and no production code imports it.
package storetest
