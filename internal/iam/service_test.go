package iam

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/secrets"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/store/sqlite"
)

// flakyStore fails reads on demand, to show the service fails closed.
type flakyStore struct {
	store.Store
	failReads atomic.Bool
}

var errDown = errors.New("store down")

func (f *flakyStore) View(ctx context.Context, fn func(store.Reader) error) error {
	if f.failReads.Load() {
		return errDown
	}
	return f.Store.View(ctx, fn)
}

func newTestService(t *testing.T) (*Service, *flakyStore) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, ":memory:")
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	kr, err := secrets.New(bytes.Repeat([]byte{1}, secrets.KeySize))
	require.NoError(t, err)
	fs := &flakyStore{Store: db}
	s, err := New(ctx, Config{Store: fs, Keyring: kr})
	require.NoError(t, err)
	_, err = s.EnsureAccount(ctx, "123456789012")
	require.NoError(t, err)
	return s, fs
}

func TestStaleSnapshotFailsClosed(t *testing.T) {
	s, fs := newTestService(t)
	ctx := context.Background()
	fs.failReads.Store(true)
	// The write commits; the reload that follows fails.
	_, err := s.CreateUser(ctx, "123456789012", CreateUserInput{UserName: "alice"})
	require.NoError(t, err, "the change is committed, so the call succeeded")
	_, err = s.Current(ctx)
	require.ErrorIs(t, err, errDown, "no decision on a snapshot that misses a committed change")

	fs.failReads.Store(false)
	snap, err := s.Current(ctx)
	require.NoError(t, err, "the node recovers on its own")
	_, ok := snap.User("123456789012", "alice")
	require.True(t, ok)
}

func TestSnapshotSealsSecrets(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	_, err := s.CreateUser(ctx, "123456789012", CreateUserInput{UserName: "alice"})
	require.NoError(t, err)
	k, err := s.CreateAccessKey(ctx, "123456789012", "alice")
	require.NoError(t, err)
	var stored store.AccessKey
	require.NoError(t, s.store.View(ctx, func(r store.Reader) error {
		var err error
		stored, err = r.GetAccessKey(ctx, k.ID)
		return err
	}))
	require.False(t, bytes.Contains(stored.SealedSecret, []byte(k.Secret)), "the store holds no plaintext secret")
	info := s.Snapshot().Key(k.ID)
	require.NotNil(t, info)
	require.Equal(t, k.Secret, info.Secret)
	require.Equal(t, "alice", info.UserName)
}

func TestParsePolicyARN(t *testing.T) {
	for _, tc := range []struct {
		arn, path, name string
		ok              bool
	}{
		{"arn:aws:iam::123456789012:policy/p", "/", "p", true},
		{"arn:aws:iam::123456789012:policy/a/b/p", "/a/b/", "p", true},
		{"arn:aws:iam::123456789012:policy/", "", "", false},
		{"arn:aws:iam::999999999999:policy/p", "", "", false},
		{"arn:aws:iam::aws:policy/ReadOnlyAccess", "", "", false},
		{"arn:aws:iam::123456789012:role/p", "", "", false},
	} {
		path, name, ok := ParsePolicyARN("123456789012", tc.arn)
		require.Equal(t, tc.ok, ok, tc.arn)
		if ok {
			require.Equal(t, tc.path, path)
			require.Equal(t, tc.name, name)
		}
	}
}

func TestKeyIDsEncodeTheirAccount(t *testing.T) {
	for _, acct := range []string{"123456789012", "000000000001", "999999999999"} {
		for _, prefix := range []string{"AKIA", "ASIA"} {
			id := NewKeyID(prefix, acct)
			require.Len(t, id, 20)
			require.Regexp(t, `^`+prefix+`[A-Z2-7]{16}$`, id)
			got, ok := KeyAccount(id)
			require.True(t, ok)
			require.Equal(t, acct, got)
		}
	}
	_, ok := KeyAccount("AKIAIOSFODNN7EXAMPL")
	require.False(t, ok)
	_, ok = KeyAccount("AKIA9999999999999999")
	require.False(t, ok, "not base32")
}

func (f *flakyStore) Revision(ctx context.Context) (int64, error) {
	if f.failReads.Load() {
		return 0, errDown
	}
	return f.Store.Revision(ctx)
}

// TestUnconfirmedSnapshotFailsClosed: a node that cannot confirm its
// snapshot with the store within the bound refuses to decide, and recovers
// by itself when the store returns.
func TestUnconfirmedSnapshotFailsClosed(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, ":memory:")
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	kr, err := secrets.New(bytes.Repeat([]byte{1}, secrets.KeySize))
	require.NoError(t, err)
	fs := &flakyStore{Store: db}
	s, err := New(ctx, Config{Store: fs, Keyring: kr, MaxSnapshotAge: 150 * time.Millisecond})
	require.NoError(t, err)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.Watch(wctx, nil, 20*time.Millisecond)

	require.NoError(t, s.Ready(ctx))
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, s.Ready(ctx), "polling keeps a healthy node confirmed")

	fs.failReads.Store(true)
	require.Eventually(t, func() bool { return errors.Is(s.Ready(ctx), ErrSnapshotTooOld) }, 2*time.Second, 10*time.Millisecond)
	_, err = s.Current(ctx)
	require.ErrorIs(t, err, ErrSnapshotTooOld)

	fs.failReads.Store(false)
	require.Eventually(t, func() bool { return s.Ready(ctx) == nil }, 2*time.Second, 10*time.Millisecond)
}

// TestWatchSeesOtherNodesChanges: two services on one store (two nodes);
// a change made through one reaches the other's snapshot by polling.
func TestWatchSeesOtherNodesChanges(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/shared.db"
	kr, err := secrets.New(bytes.Repeat([]byte{1}, secrets.KeySize))
	require.NoError(t, err)
	open := func() *Service {
		db, err := sqlite.Open(ctx, path)
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		s, err := New(ctx, Config{Store: db, Keyring: kr})
		require.NoError(t, err)
		return s
	}
	a := open()
	_, err = a.EnsureAccount(ctx, "123456789012")
	require.NoError(t, err)
	b := open()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go b.Watch(wctx, nil, 20*time.Millisecond)

	_, err = a.CreateUser(ctx, "123456789012", CreateUserInput{UserName: "alice"})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, ok := b.Snapshot().User("123456789012", "alice")
		return ok
	}, 2*time.Second, 10*time.Millisecond)
}
