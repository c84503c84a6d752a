package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/warden-iam/warden/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeout is how long one statement waits for another connection's
// write lock (PRAGMA busy_timeout, in milliseconds) before SQLITE_BUSY.
const busyTimeout = 5000

// maxAttempts bounds how often Update runs fn when it meets SQLITE_BUSY or
// SQLITE_LOCKED (store.ErrConflict).
const maxAttempts = 8

// Store is the SQLite backend of store.Store. It is safe for concurrent use.
//
// A file database has two pools: one writer connection (every Update
// queues for it inside this process, which is cheaper than spinning in
// SQLite's busy handler, since SQLite admits one writer anyway) and a pool
// of read-only connections for View, which in WAL mode read a consistent
// snapshot without blocking the writer. An in-memory database has one
// connection that serves both, because each connection to ":memory:" is
// its own database.
type Store struct {
	w *sql.DB // Update, migrations
	r *sql.DB // View, Revision; == w for an in-memory database
	// ws and rs hold every registered statement prepared on w and r.
	ws, rs map[string]*sql.Stmt
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the SQLite database dsnOrPath and brings
// its schema up to date, each migration in its own transaction.
//
// dsnOrPath is one of:
//   - ":memory:": a private in-memory database, gone when the Store is
//     closed; used by tests.
//   - a file path: the database file, in WAL mode.
//   - a "file:" URI as SQLite understands it; Warden's connection settings
//     are added for every one the URI does not set itself.
//
// Connection settings: WAL, busy_timeout 5 s, BEGIN IMMEDIATE for write
// transactions (_txlock=immediate, so a writer takes the lock up front and
// never fails to upgrade a read lock), foreign keys on. The writer runs
// with synchronous=FULL, the readers with NORMAL: in WAL mode NORMAL
// survives a process crash but a power loss can undo the last commits, and
// an undone commit here can be a revocation (DeleteAccessKey, an access key
// set Inactive, a detached policy) that the caller already acknowledged;
// a revoked credential that comes back after a reboot is a security
// failure, while IAM writes are rare enough that one fsync per commit costs
// nothing that matters. Readers never commit, so their setting is moot.
//
// Do not call View or Update from inside another Update's fn: with an
// in-memory database (one connection) that waits forever.
func Open(ctx context.Context, dsnOrPath string) (*Store, error) {
	var s *Store
	switch {
	case dsnOrPath == "":
		return nil, errors.New("sqlite: open: empty database path")
	case dsnOrPath == ":memory:" || dsnOrPath == "file::memory:" || isMemoryURI(dsnOrPath):
		dsn := dsnOrPath
		if dsn == ":memory:" {
			dsn = "file::memory:"
		}
		dsn, err := withParams(dsn, memoryParams())
		if err != nil {
			return nil, err
		}
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("sqlite: open: %v", err)
		}
		// One connection, never recycled: it is the database.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		s = &Store{w: db, r: db}
	default:
		base := dsnOrPath
		if !strings.HasPrefix(base, "file:") {
			abs, err := filepath.Abs(base)
			if err != nil {
				return nil, fmt.Errorf("sqlite: open %q: %w", dsnOrPath, err)
			}
			// A URI, so that '?' or '#' in a path cannot be read as
			// parameters.
			base = "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath()
		}
		wdsn, err := withParams(base, fileParams("FULL", false))
		if err != nil {
			return nil, err
		}
		rdsn, err := withParams(base, fileParams("NORMAL", true))
		if err != nil {
			return nil, err
		}
		w, err := sql.Open("sqlite", wdsn)
		if err != nil {
			return nil, fmt.Errorf("sqlite: open: %v", err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		r, err := sql.Open("sqlite", rdsn)
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("sqlite: open: %v", err)
		}
		n := max(4, runtime.GOMAXPROCS(0))
		r.SetMaxOpenConns(n)
		r.SetMaxIdleConns(n)
		s = &Store{w: w, r: r}
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// isMemoryURI reports whether a "file:" URI names an in-memory database.
func isMemoryURI(dsn string) bool {
	if !strings.HasPrefix(dsn, "file:") {
		return false
	}
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == ":memory:" {
		return true
	}
	q, err := url.ParseQuery(query)
	return err == nil && q.Get("mode") == "memory"
}

// param is one connection setting: a DSN key, or a _pragma when pragma is
// set (key is then the pragma's name, value its argument).
type param struct {
	key, value string
	pragma     bool
}

func memoryParams() []param {
	return []param{
		{key: "_txlock", value: "immediate"},
		{key: "foreign_keys", value: "1", pragma: true},
		{key: "busy_timeout", value: fmt.Sprint(busyTimeout), pragma: true},
	}
}

func fileParams(synchronous string, readOnly bool) []param {
	ps := []param{
		{key: "_txlock", value: "immediate"},
		{key: "busy_timeout", value: fmt.Sprint(busyTimeout), pragma: true},
		{key: "foreign_keys", value: "1", pragma: true},
		{key: "synchronous", value: synchronous, pragma: true},
	}
	if readOnly {
		// The writer opened first (migrations) and made the file WAL;
		// journal_mode is persistent, so readers need not set it.
		ps = append(ps, param{key: "query_only", value: "1", pragma: true})
	} else {
		ps = append(ps, param{key: "journal_mode", value: "WAL", pragma: true})
	}
	return ps
}

// withParams adds to dsn every setting in ps that dsn does not already set
// (as a key, a shorthand key or a _pragma of the same name).
func withParams(dsn string, ps []param) (string, error) {
	base, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("sqlite: open: bad DSN parameters: %w", err)
	}
	set := map[string]bool{}
	for k := range q {
		set[strings.ToLower(k)] = true
	}
	for _, p := range q["_pragma"] {
		name, _, _ := strings.Cut(p, "(")
		name, _, _ = strings.Cut(name, "=")
		set["_"+strings.ToLower(strings.TrimSpace(name))] = true
	}
	for _, p := range ps {
		key := strings.ToLower(p.key)
		if p.pragma {
			key = "_" + key
		}
		if set[key] {
			continue
		}
		if p.pragma {
			q.Add("_pragma", p.key+"("+p.value+")")
		} else {
			q.Set(p.key, p.value)
		}
	}
	return base + "?" + q.Encode(), nil
}

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.w, sub,
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	// Not p.Close: that closes s.w.
	//
	// goose has no lock for SQLite, so two processes opening a new file at
	// once can both try migration 1; the loser's transaction fails and
	// rolls back ("table already exists"). Each migration is one
	// transaction, so running Up again after the winner committed finds
	// nothing pending.
	for attempt := range 5 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("sqlite: migrate: %w", ctx.Err())
			case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
			}
		}
		if _, err = p.Up(ctx); err == nil {
			return nil
		}
	}
	return fmt.Errorf("sqlite: migrate: %s", flatten(err))
}

// prepare prepares every registered statement on both pools. database/sql
// then prepares each on a connection the first time a transaction on that
// connection uses it, and keeps it for the connection's life.
func (s *Store) prepare(ctx context.Context) error {
	prep := func(db *sql.DB) (map[string]*sql.Stmt, error) {
		m := make(map[string]*sql.Stmt, len(statements))
		for _, q := range statements {
			st, err := db.PrepareContext(ctx, q)
			if err != nil {
				return m, fmt.Errorf("sqlite: prepare %q: %s", q, flatten(err))
			}
			m[q] = st
		}
		return m, nil
	}
	var err error
	if s.ws, err = prep(s.w); err != nil {
		return err
	}
	if s.r == s.w {
		s.rs = s.ws
		return nil
	}
	s.rs, err = prep(s.r)
	return err
}

// View runs fn in a read-only transaction on a consistent snapshot. The
// transaction is always rolled back, so nothing fn might write through a
// type assertion survives.
func (s *Store) View(ctx context.Context, fn func(store.Reader) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return classify(ctx, "begin read", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only; nothing to keep
	return fn(&txn{tx: tx, stmts: s.rs})
}

// Update runs fn in one write transaction (BEGIN IMMEDIATE) and commits it,
// incrementing the revision, when fn returns nil. On store.ErrConflict
// (SQLITE_BUSY or SQLITE_LOCKED, from begin, from fn or from commit) it
// rolls back and runs fn again, at most maxAttempts times in all, with a
// short jittered backoff; then it returns the ErrConflict. Any other error
// from fn, or a panic, rolls the transaction back.
//
// If a statement inside fn fails for a reason other than a constraint
// (disk full, I/O error, busy), SQLite may already have rolled the whole
// transaction back; the transaction is then marked failed, every later
// call on it returns that error, and Update returns it even if fn does not,
// so no statement can fall through to autocommit and leave partial state.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.write(ctx, fn, true)
}

// Record is Update without moving the revision (see store.Store).
func (s *Store) Record(ctx context.Context, fn func(store.Tx) error) error {
	return s.write(ctx, fn, false)
}

// write runs fn as Update describes, and moves the revision when bump.
func (s *Store) write(ctx context.Context, fn func(store.Tx) error, bump bool) error {
	var err error
	for attempt := range maxAttempts {
		if attempt > 0 {
			d := time.Duration(1<<min(attempt, 6))*time.Millisecond + rand.N(2*time.Millisecond)
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("sqlite: update: %w (after %v)", ctx.Err(), err)
			case <-t.C:
			}
		}
		err = s.updateOnce(ctx, fn, bump)
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return err
}

func (s *Store) updateOnce(ctx context.Context, fn func(store.Tx) error, bump bool) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return classify(ctx, "begin", err)
	}
	done := false
	defer func() {
		if !done {
			tx.Rollback() //nolint:errcheck // the error that got us here matters more
		}
	}()
	t := &txn{tx: tx, write: true, stmts: s.ws}
	if err := fn(t); err != nil {
		return err
	}
	if t.failed != nil {
		return t.failed
	}
	if bump {
		if _, err := t.exec(ctx, "bump revision", qBumpRevision); err != nil {
			return err
		}
	}
	done = true
	if err := tx.Commit(); err != nil {
		tx.Rollback() //nolint:errcheck // a failed COMMIT may leave the transaction open
		return classify(ctx, "commit", err)
	}
	return nil
}

// Revision returns the number of committed Updates since the database was
// created.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	var v int64
	if err := s.rs[qRevision].QueryRowContext(ctx).Scan(&v); err != nil {
		return 0, classify(ctx, "revision", err)
	}
	return v, nil
}

// Ping reports whether the database answers a query on both pools.
func (s *Store) Ping(ctx context.Context) error {
	for _, db := range []*sql.DB{s.w, s.r} {
		var one int
		if err := db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
			return classify(ctx, "ping", err)
		}
	}
	return nil
}

// Close closes the database. For ":memory:" that discards it.
func (s *Store) Close() error {
	var errs []error
	maps := []map[string]*sql.Stmt{s.ws}
	if s.r != s.w {
		maps = append(maps, s.rs)
	}
	for _, m := range maps {
		for _, st := range m {
			if err := st.Close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if s.r != s.w {
		if err := s.r.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := s.w.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %s", flatten(err))
	}
	return nil
}

// classify turns a driver error into what may cross the package: a
// unique or primary-key violation becomes store.ErrAlreadyExists, busy or
// locked store.ErrConflict, a cancelled context wraps ctx.Err(), and any
// other SQLite error is flattened to text so no *sqlite.Error escapes.
func classify(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("sqlite: %s: %w", op, err)
		}
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("sqlite: %s: %w (%s)", op, cerr, err.Error())
		}
		// database/sql's own errors (sql.ErrTxDone, sql.ErrConnDone...)
		// are not driver types; keep them matchable.
		return fmt.Errorf("sqlite: %s: %w", op, err)
	}
	code := se.Code()
	switch {
	case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return fmt.Errorf("sqlite: %s: %w", op, store.ErrAlreadyExists)
	case code&0xff == sqlite3.SQLITE_BUSY, code&0xff == sqlite3.SQLITE_LOCKED:
		return fmt.Errorf("sqlite: %s: %w (%s)", op, store.ErrConflict, se.Error())
	case code&0xff == sqlite3.SQLITE_INTERRUPT && ctx.Err() != nil:
		return fmt.Errorf("sqlite: %s: %w", op, ctx.Err())
	}
	return fmt.Errorf("sqlite: %s: %s", op, flatten(err))
}

// isConstraint reports whether err is a constraint violation, which aborts
// only its statement, not the transaction.
func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}

// flatten renders err as text; used where the error chain could hold a
// *sqlite.Error.
func flatten(err error) string { return err.Error() }
