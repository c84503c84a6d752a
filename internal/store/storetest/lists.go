package storetest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// listNames lists every entity of kind in acct under prefix with page
// size pageSize (0: all at once), following markers, and checks the page
// invariants on the way.
func listNames(t *testing.T, s store.Store, kind store.EntityKind, acct, prefix string, pageSize int) []string {
	t.Helper()
	ctx := t.Context()
	var out []string
	marker := ""
	for range 1000 {
		var items []string
		var p pageInfo
		view(t, s, func(r store.Reader) error {
			req := store.PageRequest{Marker: marker, MaxItems: pageSize}
			switch kind {
			case store.KindUser:
				pg, err := r.ListUsers(ctx, acct, prefix, req)
				items, p = names(pg.Items, userName), pageInfo{pg.Marker, pg.Truncated}
				return err
			case store.KindGroup:
				pg, err := r.ListGroups(ctx, acct, prefix, req)
				items, p = names(pg.Items, groupName), pageInfo{pg.Marker, pg.Truncated}
				return err
			case store.KindRole:
				pg, err := r.ListRoles(ctx, acct, prefix, req)
				items, p = names(pg.Items, roleName), pageInfo{pg.Marker, pg.Truncated}
				return err
			case store.KindPolicy:
				pg, err := r.ListPolicies(ctx, acct, prefix, req)
				items, p = names(pg.Items, policyName), pageInfo{pg.Marker, pg.Truncated}
				return err
			}
			return fmt.Errorf("unknown kind %q", kind)
		})
		if pageSize > 0 {
			require.LessOrEqual(t, len(items), pageSize)
		}
		out = append(out, items...)
		if !p.truncated {
			return out
		}
		require.NotEmpty(t, p.marker, "a truncated page has a marker")
		require.Len(t, items, pageSize, "only the last page is short")
		marker = p.marker
	}
	t.Fatal("pagination does not end")
	return nil
}

type pageInfo struct {
	marker    string
	truncated bool
}

func testPathPrefix(t *testing.T, s store.Store) {
	setup(t, s)
	paths := map[string]string{
		"root":    "/",
		"eng":     "/eng/",
		"team":    "/eng/team/",
		"enginer": "/engineering/",
		"upper":   "/Eng/",
		"pct":     "/50%/",
		"under":   "/a_b/",
		"axb":     "/axb/",
	}
	for _, kind := range allKinds {
		t.Run(string(kind), func(t *testing.T) {
			update(t, s, func(tx store.Tx) error {
				for name, path := range paths {
					var err error
					switch kind {
					case store.KindUser:
						u := user(acct1, name)
						u.Path = path
						err = tx.CreateUser(t.Context(), u)
					case store.KindGroup:
						g := group(acct1, name)
						g.Path = path
						err = tx.CreateGroup(t.Context(), g)
					case store.KindRole:
						r := role(acct1, name)
						r.Path = path
						err = tx.CreateRole(t.Context(), r)
					case store.KindPolicy:
						p := policy(acct1, name)
						p.Path = path
						err = tx.CreatePolicy(t.Context(), p)
					}
					if err != nil {
						return err
					}
				}
				return nil
			})
			for _, tc := range []struct {
				name, prefix string
				want         []string
			}{
				{"empty-is-all", "", []string{"axb", "eng", "enginer", "pct", "root", "team", "under", "upper"}},
				{"slash-is-all", "/", []string{"axb", "eng", "enginer", "pct", "root", "team", "under", "upper"}},
				{"subtree", "/eng/", []string{"eng", "team"}},
				{"plain-prefix", "/eng", []string{"eng", "enginer", "team"}},
				{"case-sensitive", "/Eng/", []string{"upper"}},
				{"deep", "/eng/team/", []string{"team"}},
				{"no-match", "/nothing/", nil},
				{"percent-is-literal", "/%", nil},
				{"percent-in-path", "/50%/", []string{"pct"}},
				{"underscore-is-literal", "/a_", []string{"under"}},
				{"underscore-no-wildcard", "/_xb/", nil},
				{"longer-than-path", "/eng/team/x/y/z/", nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					requireEqual(t, tc.want, listNames(t, s, kind, acct1, tc.prefix, 0))
					// And with pages of 1.
					requireEqual(t, tc.want, listNames(t, s, kind, acct1, tc.prefix, 1))
				})
			}
		})
	}
}

func testListOrder(t *testing.T, s store.Store) {
	setup(t, s)
	// Order is by lower-cased name: "_x" (0x5F) sorts before letters, and
	// "B" between "a" and "c", unlike byte order of the stored names.
	in := []string{"c", "B", "Zed", "a", "_x", "a1", "A0"}
	want := []string{"_x", "a", "A0", "a1", "B", "c", "Zed"}
	for _, kind := range allKinds {
		t.Run(string(kind), func(t *testing.T) {
			update(t, s, func(tx store.Tx) error {
				for _, n := range in {
					if err := createNamed(tx, t, kind, acct1, n); err != nil {
						return err
					}
				}
				return nil
			})
			requireEqual(t, want, listNames(t, s, kind, acct1, "/", 0))
			requireEqual(t, want, listNames(t, s, kind, acct1, "/", 3))
		})
	}
}

func testPagination(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	var want []string
	for i := range 25 {
		n := fmt.Sprintf("user-%02d", i)
		if i%3 == 0 {
			n = fmt.Sprintf("USER-%02d", i) // mixed case must not change the order
		}
		want = append(want, n)
	}
	update(t, s, func(tx store.Tx) error {
		// Insert in reverse so insertion order is not the list order.
		for i := len(want) - 1; i >= 0; i-- {
			for _, kind := range allKinds {
				if err := createNamed(tx, t, kind, acct1, want[i]); err != nil {
					return err
				}
			}
		}
		for i := len(want) - 1; i >= 0; i-- {
			if err := tx.AddUserToGroup(ctx, acct1, want[i], "user-01"); err != nil {
				return err
			}
			if err := tx.AddUserToGroup(ctx, acct1, "user-01", want[i]); err != nil {
				return err
			}
		}
		return nil
	})

	t.Run("three-pages", func(t *testing.T) {
		var pages []store.Page[store.User]
		marker := ""
		for range 3 {
			var p store.Page[store.User]
			view(t, s, func(r store.Reader) error {
				var err error
				p, err = r.ListUsers(ctx, acct1, "/", store.PageRequest{Marker: marker, MaxItems: 10})
				return err
			})
			pages = append(pages, p)
			marker = p.Marker
		}
		require.Len(t, pages[0].Items, 10)
		require.Len(t, pages[1].Items, 10)
		require.Len(t, pages[2].Items, 5)
		require.True(t, pages[0].Truncated)
		require.True(t, pages[1].Truncated)
		require.False(t, pages[2].Truncated)
		require.NotEmpty(t, pages[0].Marker)
		require.NotEmpty(t, pages[1].Marker)
		require.Empty(t, pages[2].Marker, "no marker on the last page")
		var got []string
		seen := map[string]bool{}
		for _, p := range pages {
			for _, u := range p.Items {
				require.False(t, seen[u.Name], "duplicate %q", u.Name)
				seen[u.Name] = true
				got = append(got, u.Name)
			}
		}
		requireEqual(t, want, got)
	})

	for _, kind := range allKinds {
		t.Run("all-kinds-"+string(kind), func(t *testing.T) {
			requireEqual(t, want, listNames(t, s, kind, acct1, "/", 10))
			requireEqual(t, want, listNames(t, s, kind, acct1, "/", 0))
			requireEqual(t, want, listNames(t, s, kind, acct1, "/", 25))
			requireEqual(t, want, listNames(t, s, kind, acct1, "/", 24))
			requireEqual(t, want, listNames(t, s, kind, acct1, "/", 1))
		})
	}

	t.Run("exact-fit-is-not-truncated", func(t *testing.T) {
		view(t, s, func(r store.Reader) error {
			p, err := r.ListUsers(ctx, acct1, "/", store.PageRequest{MaxItems: 25})
			require.NoError(t, err)
			require.Len(t, p.Items, 25)
			require.False(t, p.Truncated)
			p, err = r.ListUsers(ctx, acct1, "/", store.PageRequest{MaxItems: 100})
			require.NoError(t, err)
			require.Len(t, p.Items, 25)
			require.False(t, p.Truncated)
			return nil
		})
	})

	t.Run("marker-survives-writes", func(t *testing.T) {
		// A marker names a position, not a row: deleting the last row of
		// the first page does not lose or repeat anything after it.
		var first store.Page[store.User]
		view(t, s, func(r store.Reader) error {
			var err error
			first, err = r.ListUsers(ctx, acct1, "/", store.PageRequest{MaxItems: 10})
			return err
		})
		update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, acct1, first.Items[9].Name) })
		view(t, s, func(r store.Reader) error {
			p, err := r.ListUsers(ctx, acct1, "/", store.PageRequest{Marker: first.Marker, MaxItems: 100})
			require.NoError(t, err)
			requireEqual(t, want[10:], names(p.Items, userName))
			return nil
		})
		update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, first.Items[9].Name)) })
		update(t, s, func(tx store.Tx) error {
			if err := tx.AddUserToGroup(ctx, acct1, first.Items[9].Name, "user-01"); err != nil {
				return err
			}
			return tx.AddUserToGroup(ctx, acct1, "user-01", first.Items[9].Name)
		})
	})

	t.Run("group-users", func(t *testing.T) {
		var got []string
		marker := ""
		for i := 0; ; i++ {
			require.Less(t, i, 3)
			var p store.Page[store.User]
			view(t, s, func(r store.Reader) error {
				var err error
				p, err = r.ListGroupUsers(ctx, acct1, "USER-01", store.PageRequest{Marker: marker, MaxItems: 10})
				return err
			})
			got = append(got, names(p.Items, userName)...)
			if !p.Truncated {
				require.Equal(t, 2, i)
				break
			}
			marker = p.Marker
		}
		requireEqual(t, want, got)
	})

	t.Run("groups-for-user", func(t *testing.T) {
		var got []string
		marker := ""
		for i := 0; ; i++ {
			require.Less(t, i, 3)
			var p store.Page[store.Group]
			view(t, s, func(r store.Reader) error {
				var err error
				p, err = r.ListGroupsForUser(ctx, acct1, "user-01", store.PageRequest{Marker: marker, MaxItems: 10})
				return err
			})
			got = append(got, names(p.Items, groupName)...)
			if !p.Truncated {
				require.Equal(t, 2, i)
				break
			}
			marker = p.Marker
		}
		requireEqual(t, want, got)
	})

	t.Run("prefix-and-pages", func(t *testing.T) {
		update(t, s, func(tx store.Tx) error {
			for i := range 7 {
				u := user(acct1, fmt.Sprintf("deep-%d", i))
				u.Path = "/deep/"
				if err := tx.CreateUser(ctx, u); err != nil {
					return err
				}
			}
			return nil
		})
		got := listNames(t, s, store.KindUser, acct1, "/deep/", 3)
		requireEqual(t, []string{"deep-0", "deep-1", "deep-2", "deep-3", "deep-4", "deep-5", "deep-6"}, got)
	})
}

func testMultiAccountIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	// The same names in both accounts.
	for _, acct := range []string{acct1, acct2} {
		update(t, s, func(tx store.Tx) error {
			for _, kind := range allKinds {
				if err := createNamed(tx, t, kind, acct, "shared"); err != nil {
					return err
				}
			}
			if err := tx.CreateUser(ctx, user(acct, "only-"+acct)); err != nil {
				return err
			}
			if err := tx.AddUserToGroup(ctx, acct, "shared", "shared"); err != nil {
				return err
			}
			return tx.PutInlinePolicy(ctx, store.InlinePolicy{Account: acct, OwnerKind: store.KindUser, OwnerName: "shared", Name: "p", Document: acct})
		})
	}
	view(t, s, func(r store.Reader) error {
		for _, acct := range []string{acct1, acct2} {
			u, err := r.GetUser(ctx, acct, "SHARED")
			require.NoError(t, err)
			require.Equal(t, acct, u.Account)
			require.Equal(t, "AIDA"+acct+"shared", u.ID)
			us, err := r.ListUsers(ctx, acct, "/", store.PageRequest{})
			require.NoError(t, err)
			requireEqual(t, []string{"only-" + acct, "shared"}, names(us.Items, userName))
			for _, u := range us.Items {
				require.Equal(t, acct, u.Account)
			}
			gu, err := r.ListGroupUsers(ctx, acct, "shared", store.PageRequest{})
			require.NoError(t, err)
			require.Len(t, gu.Items, 1)
			require.Equal(t, acct, gu.Items[0].Account)
			p, err := r.GetInlinePolicy(ctx, acct, store.KindUser, "shared", "p")
			require.NoError(t, err)
			require.Equal(t, acct, p.Document)
		}
		_, err := r.GetUser(ctx, acct1, "only-"+acct2)
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
	// Relations never cross accounts.
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.AddUserToGroup(ctx, acct1, "only-"+acct2, "shared") }), store.ErrNotFound)
	// Deleting in one account leaves the other alone.
	update(t, s, func(tx store.Tx) error {
		for _, err := range []error{
			tx.DeleteUser(ctx, acct1, "shared"),
			tx.DeleteGroup(ctx, acct1, "shared"),
			tx.DeleteRole(ctx, acct1, "shared"),
			tx.DeletePolicy(ctx, acct1, "shared"),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	for _, kind := range allKinds {
		view(t, s, func(r store.Reader) error {
			_, err := getName(r, t, kind, acct1, "shared")
			requireIs(t, err, store.ErrNotFound)
			n, err := getName(r, t, kind, acct2, "shared")
			require.NoError(t, err)
			require.Equal(t, "shared", n)
			return nil
		})
	}
	view(t, s, func(r store.Reader) error {
		gu, err := r.ListGroupUsers(ctx, acct2, "shared", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"shared"}, names(gu.Items, userName))
		return nil
	})
}

func testDeleteAccountData(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	for _, acct := range []string{acct1, acct2} {
		update(t, s, func(tx store.Tx) error {
			for _, kind := range allKinds {
				if err := createNamed(tx, t, kind, acct, "x"); err != nil {
					return err
				}
			}
			for _, err := range []error{
				tx.AddUserToGroup(ctx, acct, "x", "x"),
				tx.CreatePolicyVersion(ctx, store.PolicyVersion{Account: acct, PolicyName: "x", VersionID: "v1", Document: "{}", CreateDate: t0}),
				tx.Attach(ctx, store.Attachment{Account: acct, OwnerKind: store.KindRole, OwnerName: "x", PolicyARN: policyARN(acct, "/", "x")}),
				tx.PutInlinePolicy(ctx, store.InlinePolicy{Account: acct, OwnerKind: store.KindGroup, OwnerName: "x", Name: "p", Document: "{}"}),
				tx.CreateAccessKey(ctx, key(acct, "x", "AKIAUSER"+acct, t0)),
				tx.CreateAccessKey(ctx, key(acct, "", "AKIAROOT"+acct, t0)),
			} {
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, "999999999999") }), store.ErrNotFound)
	view(t, s, func(r store.Reader) error {
		_, err := r.GetAccount(ctx, acct1)
		require.NoError(t, err, "the account stays")
		for _, kind := range allKinds {
			_, err := getName(r, t, kind, acct1, "x")
			requireIs(t, err, store.ErrNotFound)
			_, err = getName(r, t, kind, acct2, "x")
			require.NoError(t, err)
		}
		_, err = r.GetAccessKey(ctx, "AKIAUSER"+acct1)
		requireIs(t, err, store.ErrNotFound)
		k, err := r.GetAccessKey(ctx, "AKIAROOT"+acct1)
		require.NoError(t, err, "the root user's keys stay")
		require.Empty(t, k.UserName)
		ks, err := r.ListAccessKeys(ctx, acct1, "")
		require.NoError(t, err)
		requireEqual(t, []string{"AKIAROOT" + acct1}, keyIDs(ks))
		pa, err := r.ListPolicyAttachments(ctx, acct1, policyARN(acct1, "/", "x"))
		require.NoError(t, err)
		require.Empty(t, pa)
		for _, lister := range []func() (int, error){
			func() (int, error) {
				p, err := r.ListUsers(ctx, acct1, "", store.PageRequest{})
				return len(p.Items), err
			},
			func() (int, error) {
				p, err := r.ListGroups(ctx, acct1, "", store.PageRequest{})
				return len(p.Items), err
			},
			func() (int, error) {
				p, err := r.ListRoles(ctx, acct1, "", store.PageRequest{})
				return len(p.Items), err
			},
			func() (int, error) {
				p, err := r.ListPolicies(ctx, acct1, "", store.PageRequest{})
				return len(p.Items), err
			},
		} {
			n, err := lister()
			require.NoError(t, err)
			require.Zero(t, n)
		}
		// acct2 is intact.
		_, err = r.GetAccessKey(ctx, "AKIAUSER"+acct2)
		require.NoError(t, err)
		gu, err := r.ListGroupUsers(ctx, acct2, "x", store.PageRequest{})
		require.NoError(t, err)
		require.Len(t, gu.Items, 1)
		vs, err := r.ListPolicyVersions(ctx, acct2, "x")
		require.NoError(t, err)
		require.Len(t, vs, 1)
		return nil
	})
	// The account can be refilled.
	update(t, s, func(tx store.Tx) error { return createNamed(tx, t, store.KindUser, acct1, "x") })
}
