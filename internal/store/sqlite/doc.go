// Package sqlite is Warden's default storage backend: store.Store on an
// embedded SQLite database through the pure-Go driver modernc.org/sqlite
// (no cgo), for single-node deployments and as the fast ":memory:" store
// of tests.
//
// It owns the SQLite schema (migrations/*.sql, embedded and applied with
// goose at Open, each in its own transaction), the connection settings
// (WAL, busy_timeout, BEGIN IMMEDIATE, foreign keys, synchronous=FULL for
// the writer) and the mapping of SQLite errors to the store sentinels: a
// unique violation is store.ErrAlreadyExists, SQLITE_BUSY/LOCKED is
// store.ErrConflict (Update retries it a bounded number of times), and no
// driver error type leaves the package.
//
// Schema in one paragraph: one entities table holds users, groups, roles
// and managed policies (account, kind, name, name_lower, path, id,
// created, boundary, data JSON for the kind-specific fields) with
// UNIQUE(account, kind, name_lower); group_members, attachments (by policy
// ARN), inline_policies (UNIQUE per owner and lower-cased name) and
// policy_versions refer to an entity's internal pk, so renames carry them
// and deletes cascade; access_keys are keyed by key id (user_pk NULL for
// the root user); oidc_providers (keyed by account and URL, compared
// case-sensitively) and saml_providers (UNIQUE per account and lower-cased
// name) cascade from accounts; service_keys (keyed by purpose and id) and
// saml_assertions (the assertion-id replay cache) belong to no account; a
// one-row revision table counts committed Updates.
//
// Every string the store is given must be valid UTF-8 (a write with
// invalid UTF-8 fails with a plain error): names are compared through
// strings.ToLower, which would merge distinct invalid byte sequences.
// NUL bytes and any Unicode are kept verbatim.
//
// It imports only internal/store and internal/store/internal/record (the
// stored form of records, shared with the other SQL backend) of Warden's
// packages; nothing above the store (iam, sts, api) may import it except
// the composition root (internal/server) and tests.
package sqlite
