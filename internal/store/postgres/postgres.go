package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/warden-iam/warden/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Channel is the PostgreSQL notification channel every committed Update
// announces its new revision on (pg_notify, delivered at commit).
const Channel = "warden_changes"

// maxAttempts bounds how often Update runs fn when it meets a serialization
// failure or a deadlock (store.ErrConflict).
const maxAttempts = 8

// writeLockID is the key of the session-level advisory lock every Update
// holds around its transaction (see Update). goose's migration lock uses a
// different key (lock.DefaultLockID).
const writeLockID int64 = 0x5761_7264_656e_5752 // "WardenWR"

// migrationLockID is the key of goose's session lock while it migrates.
const migrationLockID int64 = 0x5761_7264_656e_4d47 // "WardenMG"

// Store is the PostgreSQL backend of store.Store. It is safe for concurrent
// use, and any number of Stores (in one process or on many nodes) may share
// one database.
type Store struct {
	pool *pgxpool.Pool
	// done is closed by Close; it stops the Listen goroutines.
	done      chan struct{}
	closeOnce sync.Once
	listeners sync.WaitGroup
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at url (a PostgreSQL URL or key=value
// connection string, as pgx parses it; pool settings such as
// pool_max_conns are accepted) and brings its schema up to date: the
// embedded migrations run through goose, each in its own transaction,
// under goose's PostgreSQL session lock (an advisory lock), so that nodes
// starting together against an empty database migrate it once while the
// others wait. It refuses a database whose schema is newer than this
// binary knows (a downgrade) and one whose encoding is not UTF8.
//
// Tables are created in the first schema of the connection's search_path
// (a search_path parameter in url sets it).
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error can repeat the URL, password included.
		return nil, errors.New("postgres: open: cannot parse the connection URL (details withheld: they could repeat the password)")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, classify(ctx, "open", err)
	}
	s := &Store{pool: pool, done: make(chan struct{})}
	if err := s.checkEncoding(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// checkEncoding refuses a database whose encoding is not UTF8: strings
// are stored as UTF-8 text, and another encoding would reject or convert
// some of them.
func (s *Store) checkEncoding(ctx context.Context) error {
	var enc string
	if err := s.pool.QueryRow(ctx, `SHOW server_encoding`).Scan(&enc); err != nil {
		return classify(ctx, "open", err)
	}
	if enc != "UTF8" {
		return fmt.Errorf("postgres: open: database encoding is %s; Warden needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8')", enc)
	}
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	// Try the lock every second for up to five minutes (goose's default
	// probes every 5 s, which makes nodes that start together wait 5 s).
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID), lock.WithLockTimeout(1, 300))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close() // returns the connections; does not close the pool
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub,
		goose.WithDisableGlobalRegistry(true),
		goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %s", flatten(ctx, err))
	}
	return checkVersion(ctx, p)
}

// checkVersion refuses a database that a newer Warden migrated further
// than this binary's migrations go: running against a schema it does not
// know could lose or misread data.
func checkVersion(ctx context.Context, p *goose.Provider) error {
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %s", flatten(ctx, err))
	}
	var known int64
	for _, src := range p.ListSources() {
		known = max(known, src.Version)
	}
	if current > known {
		return fmt.Errorf("postgres: open: the database schema is at version %d, newer than this binary's %d; run a Warden at least as new as the one that migrated it", current, known)
	}
	return nil
}

// View runs fn in a read-only REPEATABLE READ transaction: one consistent
// snapshot for all of fn's reads, which never blocks writers and never
// fails with a serialization error. The transaction is always rolled back.
func (s *Store) View(ctx context.Context, fn func(store.Reader) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return classify(ctx, "begin read", err)
	}
	defer rollback(ctx, tx)
	return fn(&txn{tx: tx})
}

// Update runs fn in one SERIALIZABLE transaction and commits it when fn
// returns nil, after incrementing the revision and announcing the new
// revision with pg_notify on Channel (inside the transaction, so listeners
// hear of it exactly when it commits, and never of a rolled-back one).
//
// Writers queue: Update takes a session-level advisory lock (writeLockID)
// before it begins the transaction and releases it after commit or
// rollback. Every Update writes the one revision row, so two concurrent
// serializable Updates would always conflict and one would have to retry;
// taking the lock before the transaction's snapshot turns that into a wait
// (like SQLite's single writer), so a burst of concurrent writes from many
// nodes completes instead of running out of retries. Reads (View) take no
// lock.
//
// The transaction stays serializable all the same, and on store.ErrConflict
// (SQLSTATE 40001 serialization failure or 40P01 deadlock, from begin, fn or
// commit: possible if something else writes the database) Update rolls back
// and runs fn again, at most maxAttempts times in all, with a jittered
// exponential backoff; then it returns the ErrConflict. fn may therefore
// run more than once. Any other error from fn, or a panic, rolls back.
//
// A failed statement aborts a PostgreSQL transaction. Statements that can
// fail with a sentinel (a unique violation: ErrAlreadyExists) run inside a
// savepoint, so fn can handle the sentinel and go on. Any other failure
// marks the transaction failed: every later call returns that error and
// Update returns it even if fn does not.
//
// Do not call Update from inside another Update's fn: the inner one waits
// for the outer one's lock forever.
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
			d := time.Duration(1<<min(attempt, 7))*time.Millisecond + rand.N(4*time.Millisecond)
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("postgres: update: %w (after %v)", ctx.Err(), err)
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
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return classify(ctx, "acquire connection", err)
	}
	locked := false
	defer func() {
		if locked {
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock($1)`, writeLockID); err != nil {
				// The session may still hold the lock: end it, which
				// releases every lock it holds.
				conn.Conn().Close(uctx) //nolint:errcheck // closing a broken connection
			}
			cancel()
		}
		conn.Release() // destroys a closed or busy connection
	}()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, writeLockID); err != nil {
		return classify(ctx, "take the write lock", err)
	}
	locked = true

	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable, AccessMode: pgx.ReadWrite})
	if err != nil {
		return classify(ctx, "begin", err)
	}
	done := false
	defer func() {
		if !done {
			rollback(ctx, tx)
		}
	}()
	t := &txn{tx: tx, write: true}
	if err := fn(t); err != nil {
		return err
	}
	if t.failed != nil {
		return t.failed
	}
	if bump {
		var rev int64
		if err := t.get(ctx, "bump revision", qBumpRevision, nil, &rev); err != nil {
			return err
		}
	}
	done = true
	if err := tx.Commit(ctx); err != nil {
		rollback(ctx, tx)
		return classify(ctx, "commit", err)
	}
	return nil
}

// rollback ends tx; it runs even when ctx is cancelled (with a detached,
// bounded context) so that the connection goes back to the pool clean.
func rollback(ctx context.Context, tx pgx.Tx) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	tx.Rollback(rctx) //nolint:errcheck // nothing to keep; a broken connection is destroyed on release
}

// Revision returns the number of committed Updates since the database was
// created. It is read outside any transaction, so it is the latest value.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	var v int64
	if err := s.pool.QueryRow(ctx, qRevision).Scan(&v); err != nil {
		return 0, classify(ctx, "revision", err)
	}
	return v, nil
}

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.pool.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil {
		return classify(ctx, "ping", err)
	}
	return nil
}

// Close stops the Listen goroutines and closes the pool, waiting for
// connections in use to be returned.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		s.listeners.Wait()
		s.pool.Close()
	})
	return nil
}

// Listen delivers the revisions of commits, made through any Store on the
// same database, as PostgreSQL announces them on Channel. It LISTENs on a
// connection of its own (outside the pool) and returns an error if it
// cannot connect or LISTEN at first; the channel closes when ctx is done or
// the Store is closed.
//
// The channel holds one value and is coalesced: if the receiver is slow,
// an undelivered revision is replaced by a newer one, so the receiver
// always learns the newest revision but not every one in between (a cache
// needs only the newest).
//
// Notifications are not durable: ones sent while the connection is down
// are lost. After a lost connection Listen reconnects (with a jittered
// backoff up to 5 s) and then delivers the current Revision, and it does
// the same right after the first LISTEN, so a receiver misses nothing
// that committed before a (re)connection. Between a loss and the
// reconnection a commit is only learnt at reconnection, so callers that
// must bound staleness still poll Revision on their own schedule; that
// polling heals any lost notification.
func (s *Store) Listen(ctx context.Context) (<-chan int64, error) {
	select {
	case <-s.done:
		return nil, errors.New("postgres: listen: store is closed")
	default:
	}
	conn, rev, err := s.listenConn(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan int64, 1)
	s.listeners.Add(2)
	go func() { // Close stops the loop
		defer s.listeners.Done()
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	go func() {
		defer s.listeners.Done()
		defer cancel()
		defer close(ch)
		s.listenLoop(ctx, conn, rev, ch)
	}()
	return ch, nil
}

// listenConn opens the dedicated connection, LISTENs, and reads the
// current revision (after LISTEN, so no commit falls between the two).
func (s *Store) listenConn(ctx context.Context) (*pgx.Conn, int64, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, 0, classify(ctx, "listen: connect", err)
	}
	var rev int64
	if _, err := conn.Exec(ctx, `LISTEN `+Channel); err == nil {
		err = conn.QueryRow(ctx, qRevision).Scan(&rev)
	}
	if err != nil {
		conn.Close(context.WithoutCancel(ctx)) //nolint:errcheck // already failing
		return nil, 0, classify(ctx, "listen", err)
	}
	return conn, rev, nil
}

func (s *Store) listenLoop(ctx context.Context, conn *pgx.Conn, rev int64, ch chan int64) {
	defer func() {
		if conn != nil {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			conn.Close(cctx) //nolint:errcheck // best effort
			cancel()
		}
	}()
	deliver(ch, rev)
	backoff := 50 * time.Millisecond
	for {
		if conn == nil {
			t := time.NewTimer(backoff/2 + rand.N(backoff/2+1))
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			c, r, err := s.listenConn(ctx)
			if err != nil {
				backoff = min(2*backoff, 5*time.Second)
				continue
			}
			conn, backoff = c, 50*time.Millisecond
			deliver(ch, r)
		}
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			conn.Close(cctx) //nolint:errcheck // the connection is lost anyway
			cancel()
			conn = nil
			continue
		}
		if n.Channel != Channel {
			continue
		}
		if v, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
			deliver(ch, v)
		}
	}
}

// deliver puts rev in ch (capacity 1, one sender), replacing an
// undelivered smaller value rather than blocking.
func deliver(ch chan int64, rev int64) {
	for {
		select {
		case ch <- rev:
			return
		default:
		}
		select {
		case old := <-ch:
			rev = max(rev, old)
		default:
		}
	}
}

// classify turns a driver error into what may cross the package: a unique
// violation becomes store.ErrAlreadyExists, a foreign-key violation
// store.ErrNotFound (a row referred to is gone), a serialization failure
// or deadlock store.ErrConflict, a cancelled context wraps ctx.Err(); any
// other error is flattened to text, so no pgconn or pgx type escapes.
func classify(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("postgres: %s: %w", op, store.ErrAlreadyExists)
		case "23503": // foreign_key_violation
			return fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return fmt.Errorf("postgres: %s: %w (%s)", op, store.ErrConflict, pe.Message)
		case "57014": // query_canceled
			if cerr := ctx.Err(); cerr != nil {
				return fmt.Errorf("postgres: %s: %w", op, cerr)
			}
		}
		return fmt.Errorf("postgres: %s: %s (SQLSTATE %s)", op, pe.Message, pe.Code)
	}
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("postgres: %s: %w (%s)", op, cerr, err.Error())
	}
	for _, target := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, target) {
			return fmt.Errorf("postgres: %s: %w", op, target)
		}
	}
	return fmt.Errorf("postgres: %s: %s", op, err.Error())
}

// flatten renders err as text; used where the error chain could hold a
// driver type (goose wraps pgx errors with %w).
func flatten(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return fmt.Sprintf("%v (%v)", ctx.Err(), err)
	}
	return err.Error()
}
