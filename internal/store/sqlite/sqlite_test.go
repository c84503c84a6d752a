package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // the "sqlite" driver, to inspect the file directly

	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/store/sqlite"
	"github.com/warden-iam/warden/internal/store/storetest"
)

func openMemory(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), ":memory:")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

func openFile(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

func TestConformanceMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openMemory(t) })
}

func TestConformanceFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return openFile(t, filepath.Join(t.TempDir(), "warden.db"))
	})
}

// TestMemoryStoresArePrivate: two ":memory:" stores are two databases.
func TestMemoryStoresArePrivate(t *testing.T) {
	ctx := t.Context()
	a, b := openMemory(t), openMemory(t)
	require.NoError(t, a.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "111111111111"})
	}))
	require.NoError(t, b.View(ctx, func(r store.Reader) error {
		_, err := r.GetAccount(ctx, "111111111111")
		require.ErrorIs(t, err, store.ErrNotFound)
		return nil
	}))
}

// TestFileSettings: the file is in WAL mode with foreign keys on, and
// reopening keeps the data and does not re-run migrations.
func TestFileSettings(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "dir with ? and #", "warden.db")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	s, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	require.NoError(t, s.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "111111111111"})
	}))
	rev, err := s.Revision(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = os.Stat(path)
	require.NoError(t, err, "the path is used literally")

	s = openFile(t, path)
	rev2, err := s.Revision(ctx)
	require.NoError(t, err)
	require.Equal(t, rev, rev2)
	require.NoError(t, s.View(ctx, func(r store.Reader) error {
		_, err := r.GetAccount(ctx, "111111111111")
		return err
	}))

	db := rawDB(t, path)
	var mode string
	require.NoError(t, db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode))
	require.Equal(t, "wal", mode)
	var version int64
	require.NoError(t, db.QueryRowContext(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&version))
	require.Equal(t, int64(10), version)
}

func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// TestErrorsDoNotLeakDriverTypes: every error a store returns, including
// sentinels, has no modernc type in its chain.
func TestErrorsDoNotLeakDriverTypes(t *testing.T) {
	ctx := t.Context()
	s := openMemory(t)
	require.NoError(t, s.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "111111111111"})
	}))
	err := s.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "111111111111"})
	})
	require.ErrorIs(t, err, store.ErrAlreadyExists)
	requireNoDriverError(t, err)
}

func requireNoDriverError(t *testing.T, err error) {
	t.Helper()
	for e := range walk(err) {
		require.NotContains(t, fmt.Sprintf("%T", e), "modernc", "driver type %T in the chain of %v", e, err)
		require.NotEqual(t, "*sqlite.Error", fmt.Sprintf("%T", e))
	}
}

// walk yields err and everything it wraps.
func walk(err error) func(func(error) bool) {
	return func(yield func(error) bool) {
		var rec func(error) bool
		rec = func(e error) bool {
			if e == nil {
				return true
			}
			if !yield(e) {
				return false
			}
			switch x := e.(type) {
			case interface{ Unwrap() error }:
				return rec(x.Unwrap())
			case interface{ Unwrap() []error }:
				for _, c := range x.Unwrap() {
					if !rec(c) {
						return false
					}
				}
			}
			return true
		}
		rec(err)
	}
}

// TestInvalidUTF8Refused: a string that is not UTF-8 is refused, not
// altered.
func TestInvalidUTF8Refused(t *testing.T) {
	ctx := t.Context()
	s := openMemory(t)
	require.NoError(t, s.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "111111111111"})
	}))
	err := s.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{Account: "111111111111", Name: "bad\xff", Path: "/"})
	})
	require.Error(t, err)
	require.NotErrorIs(t, err, store.ErrAlreadyExists)
}

// TestBadMarker: a marker this backend did not make is an error, not a
// silent restart from the top.
func TestBadMarker(t *testing.T) {
	ctx := t.Context()
	s := openMemory(t)
	err := s.View(ctx, func(r store.Reader) error {
		_, err := r.ListUsers(ctx, "111111111111", "/", store.PageRequest{Marker: "!!not base64!!", MaxItems: 1})
		return err
	})
	require.Error(t, err)
}

// TestDiskFull (RELIABILITY case 27): with max_page_count set low the
// next write fails with an error (not a panic), nothing of it is left,
// integrity_check stays ok, reads keep working, and writes work again
// once space returns.
func TestDiskFull(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "full.db")
	// max_page_count is per connection; the DSN puts it on the writer.
	// The schema takes about 60 pages; the limit leaves room for it and
	// its growth, and the writes below fill the rest.
	s, err := sqlite.Open(ctx, "file:"+path+"?_pragma=max_page_count(120)")
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	const acct = "111111111111"
	require.NoError(t, s.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, store.Account{ID: acct, CreateDate: time.Now()}); err != nil {
			return err
		}
		return tx.CreateUser(ctx, store.User{Account: acct, Name: "before", Path: "/"})
	}))
	revBefore, err := s.Revision(ctx)
	require.NoError(t, err)

	big := strings.Repeat("x", 4000)
	// Each Update writes many rows; the one that hits the limit fails as a
	// whole.
	var failed error
	for i := 0; i < 100 && failed == nil; i++ {
		failed = s.Update(ctx, func(tx store.Tx) error {
			for j := range 20 {
				u := store.User{Account: acct, Name: fmt.Sprintf("u-%03d-%02d", i, j), Path: "/",
					Tags: []store.Tag{{Key: "pad", Value: big}}}
				if err := tx.CreateUser(ctx, u); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.Error(t, failed, "the database never filled up")
	t.Logf("write failed as expected: %v", failed)
	require.Contains(t, failed.Error(), "full")
	require.NotErrorIs(t, failed, store.ErrConflict)
	requireNoDriverError(t, failed)

	// The failed Update left nothing: whole batches only.
	var users int
	require.NoError(t, s.View(ctx, func(r store.Reader) error {
		p, err := r.ListUsers(ctx, acct, "/", store.PageRequest{})
		users = len(p.Items)
		_, gerr := r.GetUser(ctx, acct, "before")
		return errors.Join(err, gerr)
	}))
	require.Zero(t, (users-1)%20, "users = 1 + 20 per committed batch, got %d", users)
	revAfter, err := s.Revision(ctx)
	require.NoError(t, err)
	require.Equal(t, revBefore+int64((users-1)/20), revAfter)

	// A fn that ignores the failure cannot commit half of its writes.
	err = s.Update(ctx, func(tx store.Tx) error {
		_ = tx.CreateUser(ctx, store.User{Account: acct, Name: "ignored", Path: "/", Tags: []store.Tag{{Key: "pad", Value: strings.Repeat(big, 50)}}})
		_ = tx.CreateUser(ctx, store.User{Account: acct, Name: "small", Path: "/"})
		return nil
	})
	require.Error(t, err)
	t.Logf("ignored failure still fails the Update: %v", err)
	require.NoError(t, s.View(ctx, func(r store.Reader) error {
		_, err := r.GetUser(ctx, acct, "small")
		require.ErrorIs(t, err, store.ErrNotFound)
		return nil
	}))

	db := rawDB(t, path)
	var check string
	require.NoError(t, db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check))
	require.Equal(t, "ok", check)
	require.NoError(t, s.Ping(ctx))

	// Space returns (a store opened without the limit): writes work.
	require.NoError(t, s.Close())
	s2 := openFile(t, path)
	require.NoError(t, s2.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{Account: acct, Name: "after", Path: "/", Tags: []store.Tag{{Key: "pad", Value: big}}})
	}))
}

// TestTwoStoresOneFile: two Stores on one file (as two processes would
// be) contend for the write lock; busy_timeout and the Update retry keep
// every transaction serializable and none fails.
func TestTwoStoresOneFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "shared.db")
	a := openFile(t, path)
	b := openFile(t, path)
	const acct = "111111111111"
	require.NoError(t, a.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, store.Account{ID: acct}); err != nil {
			return err
		}
		return tx.CreateUser(ctx, store.User{Account: acct, Name: "alice", Path: "/"})
	}))
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, 2*n)
	for i := range 2 * n {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			errs[i] = s.Update(ctx, func(tx store.Tx) error {
				ks, err := tx.ListAccessKeys(ctx, acct, "alice")
				if err != nil {
					return err
				}
				if len(ks) >= 2 {
					return errLimit
				}
				return tx.CreateAccessKey(ctx, store.AccessKey{ID: fmt.Sprintf("AKIA%016d", i), Account: acct, UserName: "alice", Status: store.KeyActive, SealedSecret: []byte("s")})
			})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		require.ErrorIs(t, err, errLimit)
	}
	require.Equal(t, 2, ok)
	ra, err := a.Revision(ctx)
	require.NoError(t, err)
	rb, err := b.Revision(ctx)
	require.NoError(t, err)
	require.Equal(t, ra, rb, "both see every commit")
}

var errLimit = errors.New("limit")

// TestNoSQLConcatenation (RELIABILITY case 23): the backend's SQL is
// constant text. A statement built with + or Sprintf from a variable
// would show up here as a call with a non-literal query argument; we
// check the source for the shapes that build queries dynamically.
func TestNoSQLConcatenation(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	// A query argument that is a call or an expression other than a
	// string literal, a constant identifier or literal + constant.
	bad := []*regexp.Regexp{
		regexp.MustCompile(`(?:Exec|Query|QueryRow)Context\(ctx,\s*fmt\.Sprintf`),
		regexp.MustCompile(`(?:Exec|Query|QueryRow)Context\(ctx,\s*[a-z]\w*\s*\+`),
		regexp.MustCompile(`Sprintf\(\s*"(?i:\s*(?:SELECT|INSERT|UPDATE|DELETE))`),
		regexp.MustCompile("Sprintf\\(\\s*`(?i:\\s*(?:SELECT|INSERT|UPDATE|DELETE))"),
		regexp.MustCompile(`"pragma "\s*\+`),
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, re := range bad {
			require.Nil(t, re.Find(src), "%s: dynamic SQL matching %s", f, re)
		}
	}
}

func benchStore(b *testing.B, kind string, users int) *sqlite.Store {
	b.Helper()
	var s *sqlite.Store
	if kind == "memory" {
		s = openMemory(b)
	} else {
		s = openFile(b, filepath.Join(b.TempDir(), "bench.db"))
	}
	ctx := context.Background()
	require.NoError(b, s.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, store.Account{ID: "111111111111", CreateDate: time.Now()}); err != nil {
			return err
		}
		for i := range users {
			u := store.User{Account: "111111111111", Name: fmt.Sprintf("user-%05d", i), Path: "/bench/",
				ID: fmt.Sprintf("AIDA%017d", i), CreateDate: time.Now(),
				Tags: []store.Tag{{Key: "team", Value: "bench"}}}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		return nil
	}))
	return s
}

func BenchmarkGetUser(b *testing.B) {
	for _, kind := range []string{"memory", "file"} {
		b.Run(fmt.Sprintf("%s/users=1000", kind), func(b *testing.B) {
			s := benchStore(b, kind, 1000)
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				name := fmt.Sprintf("USER-%05d", i%1000)
				i++
				err := s.View(ctx, func(r store.Reader) error {
					_, err := r.GetUser(ctx, "111111111111", name)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("file/users=1000/parallel", func(b *testing.B) {
		s := benchStore(b, "file", 1000)
		ctx := context.Background()
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				name := fmt.Sprintf("user-%05d", i%1000)
				i++
				err := s.View(ctx, func(r store.Reader) error {
					_, err := r.GetUser(ctx, "111111111111", name)
					return err
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkListUsers(b *testing.B) {
	for _, kind := range []string{"memory", "file"} {
		for _, tc := range []struct {
			users, maxItems int
		}{{1000, 100}, {1000, 0}} {
			b.Run(fmt.Sprintf("%s/users=%d/maxitems=%d", kind, tc.users, tc.maxItems), func(b *testing.B) {
				s := benchStore(b, kind, tc.users)
				ctx := context.Background()
				b.ReportAllocs()
				for b.Loop() {
					err := s.View(ctx, func(r store.Reader) error {
						p, err := r.ListUsers(ctx, "111111111111", "/bench/", store.PageRequest{MaxItems: tc.maxItems})
						if err == nil && len(p.Items) == 0 {
							err = errors.New("empty page")
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkCreateUser(b *testing.B) {
	for _, kind := range []string{"memory", "file"} {
		b.Run(kind, func(b *testing.B) {
			s := benchStore(b, kind, 0)
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				name := fmt.Sprintf("user-%07d", i)
				i++
				if err := s.Update(ctx, func(tx store.Tx) error {
					return tx.CreateUser(ctx, store.User{Account: "111111111111", Name: name, Path: "/"})
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestConcurrentOpenNewFile: three stores (as three processes starting at
// once) open one new file; goose has no SQLite lock, so one wins
// migration 1 and the others retry and find nothing pending.
func TestConcurrentOpenNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			s, err := sqlite.Open(t.Context(), path)
			if err != nil {
				t.Error(err)
				return
			}
			if err := s.Ping(t.Context()); err != nil {
				t.Error(err)
			}
			s.Close()
		})
	}
	wg.Wait()
}
