// Package postgres is Warden's multi-node storage backend: store.Store on
// PostgreSQL (12 or later; tested with 15) through pgx and pgxpool, for
// deployments where several Warden nodes share one database.
//
// It owns the PostgreSQL schema (migrations/*.sql, embedded and applied
// with goose at Open, each migration in its own transaction, under goose's
// PostgreSQL session lock so that nodes starting together migrate once),
// the transaction discipline and the mapping of PostgreSQL errors to the
// store sentinels: SQLSTATE 23505 (unique violation) is
// store.ErrAlreadyExists, 23503 (foreign-key violation) store.ErrNotFound,
// 40001 (serialization failure) and 40P01 (deadlock) store.ErrConflict,
// which Update retries a bounded number of times; no pgx or pgconn error
// type leaves the package.
//
// Transactions. View is a read-only REPEATABLE READ transaction (one
// snapshot). Update is a SERIALIZABLE transaction, run while holding a
// session-level advisory lock so that writers on every node queue rather
// than fail on the one revision row every Update writes (see Update). A
// failed statement aborts a PostgreSQL transaction, so statements that can
// fail with a sentinel run inside a savepoint, and any other failure marks
// the transaction failed so it can never commit half of fn's writes.
//
// Change notification. Every committed Update increments the revision row
// and, in the same transaction, runs pg_notify('warden_changes', <new
// revision>); PostgreSQL delivers the notification at commit, in commit
// order, and never for a rolled-back transaction. Store.Listen LISTENs on
// a dedicated connection and delivers those revisions (coalesced), and
// reconnects after a lost connection. Notifications are a hint, not a
// log: one lost while the listener is disconnected is healed by the
// current revision Listen delivers on reconnecting and, in any case, by
// the caller's polling of Revision, which stays the source of truth.
//
// Schema: the SQLite backend's logical schema (see its doc.go), with
// PostgreSQL types: bigint identity keys, timestamptz times (microseconds;
// NULL is the zero time; finer digits are truncated), bytea secrets, json
// data columns (json, not jsonb, which refuses \u0000), and every text
// column COLLATE "C", so that order, page markers and path prefixes
// compare bytes as in SQLite, whatever the database's default collation.
// Names are folded with Go's strings.ToLower into name_lower, never with
// SQL lower(), whose result depends on the locale.
//
// NUL bytes: PostgreSQL text cannot hold U+0000, but the store keeps every
// valid UTF-8 string verbatim. Strings are therefore stored escaped (0x00
// as 0x01 0x01, 0x01 as 0x01 0x02; see escape), an escape that keeps byte
// order and prefixes, so SQL compares and sorts the stored form correctly.
// Strings without those two bytes are stored as they are. Every string
// must be valid UTF-8 (store.ErrInvalidText otherwise), and the database
// encoding must be UTF8 (Open checks).
//
// It imports only internal/store and internal/store/internal/record (the
// stored form of records, shared with the other SQL backend) of Warden's
// packages; nothing above the store (iam, sts, api) may import it except
// the composition root (internal/server) and tests.
package postgres
