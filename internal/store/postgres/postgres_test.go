package postgres

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/store/storetest"
)

// envURL names the server the tests use; scripts/test-postgres.sh starts a
// throwaway cluster and sets it.
const envURL = "WARDEN_TEST_POSTGRES_URL"

const skipMsg = envURL + " is not set: the PostgreSQL tests are SKIPPED. " +
	"Run them against a throwaway cluster with: scripts/test-postgres.sh go test ./internal/store/postgres/"

// runDB is the URL of the database this test run created (TestMain), ""
// when envURL is unset.
var runDB string

// TestMain creates one uniquely named database for the run from envURL
// and drops it at the end.
func TestMain(m *testing.M) {
	admin := os.Getenv(envURL)
	if admin == "" {
		fmt.Fprintln(os.Stderr, "!!! "+skipMsg)
		os.Exit(m.Run())
	}
	ctx := context.Background()
	name, dbURL, err := createDatabase(ctx, admin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "postgres tests: %v\n", err)
		os.Exit(1)
	}
	runDB = dbURL
	code := m.Run()
	if err := dropDatabase(ctx, admin, name); err != nil {
		fmt.Fprintf(os.Stderr, "postgres tests: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// withDatabase returns the URL u with its database replaced by name.
func withDatabase(u, name string) (string, error) {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "postgres" && p.Scheme != "postgresql") {
		return "", fmt.Errorf("%s must be a postgres:// URL", envURL)
	}
	p.Path = "/" + name
	return p.String(), nil
}

// withParam returns the URL u with the query parameter k set to v.
func withParam(t *testing.T, u, k, v string) string {
	t.Helper()
	p, err := url.Parse(u)
	require.NoError(t, err)
	q := p.Query()
	q.Set(k, v)
	p.RawQuery = q.Encode()
	return p.String()
}

func createDatabase(ctx context.Context, admin string) (name, dbURL string, err error) {
	b := make([]byte, 6)
	rand.Read(b)
	name = "warden_test_" + hex.EncodeToString(b)
	dbURL, err = withDatabase(admin, name)
	if err != nil {
		return "", "", err
	}
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", "", fmt.Errorf("connect to %s: %w", envURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+` ENCODING 'UTF8' TEMPLATE template0`); err != nil {
		return "", "", fmt.Errorf("create database %s: %w", name, err)
	}
	return name, dbURL, nil
}

func dropDatabase(ctx context.Context, admin, name string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", envURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

func requireDB(t *testing.T) {
	t.Helper()
	if runDB == "" {
		t.Skip(skipMsg)
	}
}

var schemaSeq atomic.Int64

// freshSchema creates an empty schema in the run's database and returns a
// URL whose search_path puts Warden's tables there: an empty database as
// far as a Store can tell, far cheaper than CREATE DATABASE per store.
func freshSchema(t *testing.T) string {
	t.Helper()
	requireDB(t)
	name := fmt.Sprintf("s%d", schemaSeq.Add(1))
	conn, err := pgx.Connect(t.Context(), runDB)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(t.Context(), `CREATE SCHEMA `+name)
	require.NoError(t, err)
	return withParam(t, runDB, "search_path", name)
}

func openStore(t *testing.T, u string) *Store {
	t.Helper()
	s, err := Open(t.Context(), u)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	requireDB(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		return openStore(t, freshSchema(t))
	})
}

// TestConcurrentOpenMigratesOnce: three Opens at once on an empty
// database all succeed, and each migration is recorded once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	requireDB(t)
	ctx := t.Context()
	admin := os.Getenv(envURL)
	name, dbURL, err := createDatabase(ctx, admin)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, dropDatabase(context.Background(), admin, name)) })

	const n = 3
	stores := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			stores[i], errs[i] = Open(ctx, dbURL)
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "Open %d", i)
		defer stores[i].Close()
	}

	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT version_id, count(*) FROM goose_db_version GROUP BY version_id ORDER BY version_id`)
	require.NoError(t, err)
	got := map[int64]int64{}
	for rows.Next() {
		var v, c int64
		require.NoError(t, rows.Scan(&v, &c))
		got[v] = c
	}
	require.NoError(t, rows.Err())
	want := map[int64]int64{0: 1} // goose's own row for the empty schema
	entries, err := migrations.ReadDir("migrations")
	require.NoError(t, err)
	for _, e := range entries {
		// Versions are the file names' numbers, which need not be
		// consecutive.
		v, _, _ := strings.Cut(e.Name(), "_")
		n, err := strconv.ParseInt(v, 10, 64)
		require.NoError(t, err, e.Name())
		want[n] = 1
	}
	require.Equal(t, want, got)

	// All three work on the one schema.
	for i, s := range stores {
		require.NoError(t, s.Update(ctx, func(tx store.Tx) error {
			return tx.CreateAccount(ctx, store.Account{ID: fmt.Sprintf("%012d", i), CreateDate: time.Now()})
		}))
	}
}

// TestRefusesNewerSchema: a database a newer Warden migrated further is
// refused rather than used.
func TestRefusesNewerSchema(t *testing.T) {
	u := freshSchema(t)
	s := openStore(t, u)
	s.Close()
	conn, err := pgx.Connect(t.Context(), u)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(t.Context(), `INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)`)
	require.NoError(t, err)
	_, err = Open(t.Context(), u)
	require.ErrorContains(t, err, "newer")
}

// TestListen: a commit made through one Store reaches a listener of
// another.
func TestListen(t *testing.T) {
	u := freshSchema(t)
	a := openStore(t, u)
	b := openStore(t, u)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	ch, err := a.Listen(ctx)
	require.NoError(t, err)

	require.NoError(t, b.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "111111111111", CreateDate: time.Now()})
	}))
	rev, err := b.Revision(ctx)
	require.NoError(t, err)
	waitRevision(t, ch, rev)

	// A rolled-back Update announces nothing; the next commit arrives.
	require.Error(t, b.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "111111111111", CreateDate: time.Now()})
	}))
	require.NoError(t, b.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "222222222222", CreateDate: time.Now()})
	}))
	waitRevision(t, ch, rev+1)

	// The channel closes with its context.
	cancel()
	for range ch {
	}
}

func waitRevision(t *testing.T, ch <-chan int64, want int64) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case v, ok := <-ch:
			require.True(t, ok, "listen channel closed early")
			require.LessOrEqual(t, v, want, "a revision nobody committed")
			if v == want {
				return
			}
		case <-timeout:
			t.Fatalf("revision %d not delivered", want)
		}
	}
}

// proxy forwards TCP connections to the server, so a test can take the
// server away from a Store (and give it back) without stopping the
// cluster other tests use.
type proxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	p := &proxy{target: target, addr: "127.0.0.1:0"}
	require.NoError(t, p.start())
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start() error {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { io.Copy(u, c); u.Close() }()
			go func() { io.Copy(c, u); c.Close() }()
		}
	}()
	return nil
}

// stop closes the listener and every forwarded connection: to a client
// the server is gone.
func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// viaProxy returns u with its host replaced by a proxy's address.
func viaProxy(t *testing.T, u string) (*proxy, string) {
	t.Helper()
	pu, err := url.Parse(u)
	require.NoError(t, err)
	p := startProxy(t, pu.Host)
	pu.Host = p.addr
	return p, pu.String()
}

// TestServerGone: with the server unreachable, Update, View, Revision and
// Ping return errors (no panic, no hang past the context), and the Store
// recovers when the server is back.
func TestServerGone(t *testing.T) {
	direct := freshSchema(t)
	p, u := viaProxy(t, direct)
	s := openStore(t, u)
	ctx := t.Context()
	create := func(ctx context.Context, id string) error {
		return s.Update(ctx, func(tx store.Tx) error {
			return tx.CreateAccount(ctx, store.Account{ID: id, CreateDate: time.Now()})
		})
	}
	require.NoError(t, create(ctx, "111111111111"))

	p.stop()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := create(cctx, "222222222222")
	require.Error(t, err)
	require.NotErrorIs(t, err, store.ErrAlreadyExists)
	require.Error(t, s.View(cctx, func(r store.Reader) error {
		_, err := r.ListAccounts(cctx)
		return err
	}))
	_, err = s.Revision(cctx)
	require.Error(t, err)
	require.Error(t, s.Ping(cctx))

	require.NoError(t, p.start())
	require.Eventually(t, func() bool { return create(ctx, "222222222222") == nil }, 10*time.Second, 50*time.Millisecond)
}

// TestListenReconnects: after the listener's connection is lost, it
// reconnects and delivers what committed meanwhile.
func TestListenReconnects(t *testing.T) {
	direct := freshSchema(t)
	p, u := viaProxy(t, direct)
	a := openStore(t, u)
	b := openStore(t, direct)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ch, err := a.Listen(ctx)
	require.NoError(t, err)
	waitRevision(t, ch, 0)

	p.stop()
	require.NoError(t, b.Update(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: "111111111111", CreateDate: time.Now()})
	}))
	rev, err := b.Revision(ctx)
	require.NoError(t, err)
	require.NoError(t, p.start())
	waitRevision(t, ch, rev)
}

// TestUpdateRetriesConflicts: a serialization failure inside fn (another
// writer that bypasses the write lock) makes Update run fn again.
func TestUpdateRetriesConflicts(t *testing.T) {
	u := freshSchema(t)
	s := openStore(t, u)
	ctx := t.Context()
	u1 := store.User{Account: "111111111111", Name: "alice", Path: "/", ID: "AIDA1", CreateDate: time.Now()}
	require.NoError(t, s.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, store.Account{ID: "111111111111", CreateDate: time.Now()}); err != nil {
			return err
		}
		return tx.CreateUser(ctx, u1)
	}))
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	defer conn.Close(context.Background())

	runs := 0
	require.NoError(t, s.Update(ctx, func(tx store.Tx) error {
		runs++
		if _, err := tx.GetUser(ctx, "111111111111", "alice"); err != nil {
			return err
		}
		if runs == 1 {
			// Commit a change to the row behind the transaction's back.
			if _, err := conn.Exec(ctx, `UPDATE entities SET path = '/elsewhere/'`); err != nil {
				return err
			}
		}
		u2 := u1
		u2.Path = "/mine/"
		return tx.UpdateUser(ctx, "alice", u2)
	}))
	require.Equal(t, 2, runs)
}

func TestClassifyKeepsDriverTypesInside(t *testing.T) {
	u := freshSchema(t)
	s := openStore(t, u)
	ctx := t.Context()
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, store.Account{ID: "1"}); err != nil {
			return err
		}
		return tx.CreateAccount(ctx, store.Account{ID: "1"})
	})
	require.ErrorIs(t, err, store.ErrAlreadyExists)
	for e := err; e != nil; e = errors.Unwrap(e) {
		require.NotContains(t, fmt.Sprintf("%T", e), "pgconn")
	}
}

// ---- no database needed ----

func TestEscape(t *testing.T) {
	for _, s := range []string{"", "a", "\x00", "\x01", "a\x00b", "\x01\x01", "\x00\x01\x02", "Zoë-名前"} {
		got, err := unescape(escape(s))
		require.NoError(t, err)
		require.Equal(t, s, got)
		require.NotContains(t, escape(s), "\x00")
	}
	for _, bad := range []string{"\x01", "a\x01", "\x01\x03"} {
		_, err := unescape(bad)
		require.Error(t, err, "%q", bad)
	}
}

// TestEscapeKeepsOrderAndPrefixes is the property the SQL relies on.
func TestEscapeKeepsOrderAndPrefixes(t *testing.T) {
	alphabet := rapid.SampledFrom([]byte{0, 1, 2, 'a', 'b', 0x7f, 0xc3})
	gen := rapid.Custom(func(t *rapid.T) string {
		return string(rapid.SliceOfN(alphabet, 0, 6).Draw(t, "bytes"))
	})
	rapid.Check(t, func(t *rapid.T) {
		a, b := gen.Draw(t, "a"), gen.Draw(t, "b")
		ea, eb := escape(a), escape(b)
		if got, want := strings.Compare(ea, eb), strings.Compare(a, b); got != want {
			t.Fatalf("compare(%q, %q) = %d, escaped %d", a, b, want, got)
		}
		if got, want := strings.HasPrefix(eb, ea), strings.HasPrefix(b, a); got != want {
			t.Fatalf("hasPrefix(%q, %q) = %v, escaped %v", b, a, want, got)
		}
		if bytes.IndexByte([]byte(ea), 0) >= 0 {
			t.Fatalf("escape(%q) holds NUL", a)
		}
	})
	// And a sorted list stays sorted.
	in := []string{"a\x01", "a", "a\x00", "a\x00\x00", "a\x02", "b"}
	sort.Strings(in)
	esc := make([]string, len(in))
	for i, s := range in {
		esc[i] = escape(s)
	}
	require.True(t, sort.StringsAreSorted(esc))
}
