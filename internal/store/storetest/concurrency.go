package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// testConcurrentCreateUser: 50 goroutines create the same user (in
// different cases): exactly one wins, 49 get ErrAlreadyExists.
func testConcurrentCreateUser(t *testing.T, s store.Store) {
	setup(t, s)
	const n = 50
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			name := "Racer"
			if i%2 == 1 {
				name = "racer"
			}
			errs[i] = s.Update(t.Context(), func(tx store.Tx) error {
				return tx.CreateUser(t.Context(), user(acct1, name))
			})
		})
	}
	close(start)
	wg.Wait()
	ok, exists := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrAlreadyExists):
			exists++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	require.Equal(t, 1, ok)
	require.Equal(t, n-1, exists)
	view(t, s, func(r store.Reader) error {
		p, err := r.ListUsers(t.Context(), acct1, "/", store.PageRequest{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		return nil
	})
}

var errLimit = errors.New("storetest: limit exceeded")

// testConcurrentKeyLimit: 20 goroutines each add a key to one user in an
// Update that counts the user's keys first and refuses at 2. The
// transaction is serializable, so there are never more than 2 keys.
func testConcurrentKeyLimit(t *testing.T, s store.Store) {
	setup(t, s)
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(t.Context(), user(acct1, "alice")) })
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = s.Update(t.Context(), func(tx store.Tx) error {
				ks, err := tx.ListAccessKeys(t.Context(), acct1, "alice")
				if err != nil {
					return err
				}
				if len(ks) >= 2 {
					return errLimit
				}
				return tx.CreateAccessKey(t.Context(), key(acct1, "alice", fmt.Sprintf("AKIARACE%012d", i), at(i)))
			})
		})
	}
	close(start)
	wg.Wait()
	ok, limited := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, errLimit):
			limited++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	require.Equal(t, 2, ok)
	require.Equal(t, n-2, limited)
	view(t, s, func(r store.Reader) error {
		ks, err := r.ListAccessKeys(t.Context(), acct1, "alice")
		require.NoError(t, err)
		require.Len(t, ks, 2)
		return nil
	})
}

func revision(t *testing.T, s store.Store) int64 {
	t.Helper()
	rev, err := s.Revision(t.Context())
	require.NoError(t, err)
	return rev
}

// testRevision: every committed Update increases the revision; a failed
// one (fn error, or a sentinel error from a Tx method) and a View do not.
func testRevision(t *testing.T, s store.Store) {
	ctx := t.Context()
	r0 := revision(t, s)
	setup(t, s)
	r1 := revision(t, s)
	require.Greater(t, r1, r0)

	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "a")) })
	r2 := revision(t, s)
	require.Greater(t, r2, r1)

	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, user(acct1, "b")); err != nil {
			return err
		}
		return errSentinel
	}), errSentinel)
	require.Equal(t, r2, revision(t, s), "a rolled-back Update does not count")

	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "A")) }), store.ErrAlreadyExists)
	require.Equal(t, r2, revision(t, s))

	view(t, s, func(r store.Reader) error {
		_, err := r.GetUser(ctx, acct1, "a")
		return err
	})
	require.Equal(t, r2, revision(t, s), "a View does not count")

	for i := range 3 {
		update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, acct1, "a") })
		r3 := revision(t, s)
		require.Greater(t, r3, r2, "update %d", i)
		r2 = r3
		update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "a")) })
		r2 = revision(t, s)
	}
}

// testRollback: an Update whose fn fails or panics leaves nothing behind,
// even after several writes; the store stays usable.
func testRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	write := func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateUser(ctx, user(acct1, "ghost")),
			tx.CreateGroup(ctx, group(acct1, "ghosts")),
			tx.AddUserToGroup(ctx, acct1, "ghost", "ghosts"),
			tx.CreateAccessKey(ctx, key(acct1, "ghost", "AKIAGHOST00000000001", t0)),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	}
	check := func(t *testing.T) {
		view(t, s, func(r store.Reader) error {
			_, err := r.GetUser(ctx, acct1, "ghost")
			requireIs(t, err, store.ErrNotFound)
			_, err = r.GetGroup(ctx, acct1, "ghosts")
			requireIs(t, err, store.ErrNotFound)
			_, err = r.GetAccessKey(ctx, "AKIAGHOST00000000001")
			requireIs(t, err, store.ErrNotFound)
			return nil
		})
	}
	t.Run("error", func(t *testing.T) {
		err := updateErr(t, s, func(tx store.Tx) error {
			if err := write(tx); err != nil {
				return err
			}
			return errSentinel
		})
		requireIs(t, err, errSentinel)
		check(t)
	})
	t.Run("panic", func(t *testing.T) {
		func() {
			defer func() {
				require.Equal(t, "boom", recover())
			}()
			_ = s.Update(ctx, func(tx store.Tx) error {
				if err := write(tx); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		check(t)
	})
	t.Run("handled-error-inside-fn", func(t *testing.T) {
		// A sentinel from one call does not spoil the transaction: fn may
		// handle it and go on, and the rest commits.
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateUser(ctx, user(acct1, "dup")); err != nil {
				return err
			}
			if err := tx.CreateUser(ctx, user(acct1, "DUP")); !errors.Is(err, store.ErrAlreadyExists) {
				return fmt.Errorf("want ErrAlreadyExists, got %w", err)
			}
			if _, err := tx.GetUser(ctx, acct1, "missing"); !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("want ErrNotFound, got %w", err)
			}
			return tx.CreateUser(ctx, user(acct1, "after"))
		})
		view(t, s, func(r store.Reader) error {
			_, err := r.GetUser(ctx, acct1, "dup")
			require.NoError(t, err)
			_, err = r.GetUser(ctx, acct1, "after")
			require.NoError(t, err)
			return nil
		})
	})
	t.Run("still-usable", func(t *testing.T) {
		update(t, s, write)
		view(t, s, func(r store.Reader) error {
			_, err := r.GetAccessKey(ctx, "AKIAGHOST00000000001")
			return err
		})
	})
}

// testSpecialStrings: SQL metacharacters, NUL bytes and Unicode in every
// string field are stored and returned verbatim, and find nothing they
// should not.
func testSpecialStrings(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	for _, tc := range []struct{ name, v string }{
		{"quote-or", "' OR 1=1--"},
		{"drop-table", `"; DROP TABLE entities; --`},
		{"nul", "a\x00b"},
		{"nul-only", "\x00"},
		{"like-wildcards", "%_%"},
		{"backslash", `\'\"\\`},
		{"unicode", "Zoë-名前-🔑-Ω"},
		{"combining", "e\u0301"},
		{"newlines", "a\nb\r\nc\t"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.v
			path := "/" + v + "/"
			u := store.User{Account: acct1, Name: v, Path: path, ID: "AIDA" + v, CreateDate: t0,
				PermissionsBoundary: "arn:" + v, Tags: []store.Tag{{Key: v, Value: v}}}
			g := store.Group{Account: acct1, Name: v, Path: path, ID: v, CreateDate: t0}
			r := store.Role{Account: acct1, Name: v, Path: path, ID: v, CreateDate: t0, AssumeRolePolicy: v,
				Description: v, PermissionsBoundary: v, Tags: []store.Tag{{Key: v, Value: v}}, LastUsedRegion: v}
			p := store.Policy{Account: acct1, Name: v, Path: path, ID: v, Description: v, DefaultVersion: v,
				CreateDate: t0, UpdateDate: t0, Tags: []store.Tag{{Key: v, Value: v}}}
			pv := store.PolicyVersion{Account: acct1, PolicyName: v, VersionID: v, Document: v, CreateDate: t0}
			ip := store.InlinePolicy{Account: acct1, OwnerKind: store.KindRole, OwnerName: v, Name: v, Document: v}
			at := store.Attachment{Account: acct1, OwnerKind: store.KindGroup, OwnerName: v, PolicyARN: v}
			k := store.AccessKey{ID: "AKIA" + v, Account: acct1, UserName: v, Status: store.AccessKeyStatus(v),
				CreateDate: t0, SealedSecret: []byte(v), LastUsedService: v, LastUsedRegion: v}
			update(t, s, func(tx store.Tx) error {
				for _, err := range []error{
					tx.CreateUser(ctx, u), tx.CreateGroup(ctx, g), tx.CreateRole(ctx, r), tx.CreatePolicy(ctx, p),
					tx.CreatePolicyVersion(ctx, pv), tx.PutInlinePolicy(ctx, ip), tx.Attach(ctx, at),
					tx.AddUserToGroup(ctx, acct1, v, v), tx.CreateAccessKey(ctx, k),
				} {
					if err != nil {
						return err
					}
				}
				return nil
			})
			view(t, s, func(rd store.Reader) error {
				gu, err := rd.GetUser(ctx, acct1, v)
				require.NoError(t, err)
				requireEqual(t, u, gu)
				gg, err := rd.GetGroup(ctx, acct1, v)
				require.NoError(t, err)
				requireEqual(t, g, gg)
				gr, err := rd.GetRole(ctx, acct1, v)
				require.NoError(t, err)
				requireEqual(t, r, gr)
				gp, err := rd.GetPolicy(ctx, acct1, v)
				require.NoError(t, err)
				requireEqual(t, p, gp)
				gv, err := rd.GetPolicyVersion(ctx, acct1, v, v)
				require.NoError(t, err)
				requireEqual(t, pv, gv)
				gi, err := rd.GetInlinePolicy(ctx, acct1, store.KindRole, v, v)
				require.NoError(t, err)
				requireEqual(t, ip, gi)
				ga, err := rd.ListAttachments(ctx, acct1, store.KindGroup, v)
				require.NoError(t, err)
				requireEqual(t, []store.Attachment{at}, ga)
				gk, err := rd.GetAccessKey(ctx, "AKIA"+v)
				require.NoError(t, err)
				requireEqual(t, k, gk)
				n, err := rd.CountBoundaryUses(ctx, acct1, v)
				require.NoError(t, err)
				require.Equal(t, 1, n, "the role's boundary")
				// The path is its own prefix and matches only itself.
				pu, err := rd.ListUsers(ctx, acct1, path, store.PageRequest{})
				require.NoError(t, err)
				requireEqual(t, []string{v}, names(pu.Items, userName))
				// The value as a name finds nothing else.
				_, err = rd.GetUser(ctx, acct1, v+"x")
				requireIs(t, err, store.ErrNotFound)
				return nil
			})
		})
	}
	// Nothing was dropped or matched by the injections: every user is
	// there, and the LIKE-wildcard path did not match the others.
	view(t, s, func(r store.Reader) error {
		p, err := r.ListUsers(ctx, acct1, "/", store.PageRequest{})
		require.NoError(t, err)
		require.Len(t, p.Items, 9)
		p, err = r.ListUsers(ctx, acct1, "/%_%/", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"%_%"}, names(p.Items, userName))
		p, err = r.ListUsers(ctx, acct1, "/a", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"a\x00b", "a\nb\r\nc\t"}, names(p.Items, userName))
		p, err = r.ListUsers(ctx, acct1, "/a\x00", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"a\x00b"}, names(p.Items, userName))
		return nil
	})
}

// testRecordKeepsRevision: Record commits like Update, and rolls back on
// an error like it, but never moves the revision.
func testRecordKeepsRevision(t *testing.T, s store.Store) {
	ctx := t.Context()
	before, err := s.Revision(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Record(ctx, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: acct1, CreateDate: t0})
	}))
	boom := errors.New("boom")
	require.ErrorIs(t, s.Record(ctx, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, store.Account{ID: acct2, CreateDate: t0}); err != nil {
			return err
		}
		return boom
	}), boom)
	after, err := s.Revision(ctx)
	require.NoError(t, err)
	require.Equal(t, before, after, "Record moved the revision")
	view(t, s, func(r store.Reader) error {
		_, err := r.GetAccount(ctx, acct1)
		require.NoError(t, err, "Record did not commit")
		_, err = r.GetAccount(ctx, acct2)
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, store.Account{ID: acct2, CreateDate: t0}) })
	after, err = s.Revision(ctx)
	require.NoError(t, err)
	require.Greater(t, after, before)
}
