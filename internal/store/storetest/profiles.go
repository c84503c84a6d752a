package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

func profile(acct, name string) store.InstanceProfile {
	return store.InstanceProfile{Account: acct, Name: name, Path: "/", ID: "AIPA" + acct + name, CreateDate: t0}
}

func profileName(p store.InstanceProfile) string { return p.Name }

func getProfile(t *testing.T, s store.Store, acct, name string) store.InstanceProfile {
	t.Helper()
	var p store.InstanceProfile
	view(t, s, func(r store.Reader) error {
		var err error
		p, err = r.GetInstanceProfile(t.Context(), acct, name)
		return err
	})
	return p
}

// listProfiles pages through the profiles with prefix, pageSize at a
// time (0: all at once), and returns their names.
func listProfiles(t *testing.T, s store.Store, acct, prefix string, pageSize int) []string {
	t.Helper()
	var out []string
	marker := ""
	for {
		var pg store.Page[store.InstanceProfile]
		view(t, s, func(r store.Reader) error {
			var err error
			pg, err = r.ListInstanceProfiles(t.Context(), acct, prefix, store.PageRequest{Marker: marker, MaxItems: pageSize})
			return err
		})
		out = append(out, names(pg.Items, profileName)...)
		if !pg.Truncated {
			return out
		}
		require.NotEmpty(t, pg.Marker)
		marker = pg.Marker
	}
}

// testInstanceProfiles: CRUD, case-insensitive names with case kept, the
// sentinels, every field round-tripping, path prefixes and pagination.
func testInstanceProfiles(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	p := profile(acct1, "WebServer")
	p.Path = "/eng/"
	p.Tags = []store.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: ""}}
	update(t, s, func(tx store.Tx) error { return tx.CreateInstanceProfile(ctx, p) })
	requireEqual(t, p, getProfile(t, s, acct1, "webserver"))

	err := updateErr(t, s, func(tx store.Tx) error { return tx.CreateInstanceProfile(ctx, profile(acct1, "WEBSERVER")) })
	requireIs(t, err, store.ErrAlreadyExists)
	err = updateErr(t, s, func(tx store.Tx) error { return tx.CreateInstanceProfile(ctx, profile("999999999999", "x")) })
	requireIs(t, err, store.ErrNotFound, "no such account")
	bad := profile(acct1, "bad")
	bad.RoleName = "nobody"
	err = updateErr(t, s, func(tx store.Tx) error { return tx.CreateInstanceProfile(ctx, bad) })
	requireIs(t, err, store.ErrNotFound, "no such role")
	view(t, s, func(r store.Reader) error {
		_, err := r.GetInstanceProfile(ctx, acct2, "WebServer")
		requireIs(t, err, store.ErrNotFound, "another account's profile")
		return nil
	})
	// The same name in another account is another profile.
	update(t, s, func(tx store.Tx) error { return tx.CreateInstanceProfile(ctx, profile(acct2, "WebServer")) })

	p.Tags = nil
	update(t, s, func(tx store.Tx) error { return tx.UpdateInstanceProfile(ctx, p) })
	requireEqual(t, p, getProfile(t, s, acct1, "WebServer"))
	err = updateErr(t, s, func(tx store.Tx) error { return tx.UpdateInstanceProfile(ctx, profile(acct1, "absent")) })
	requireIs(t, err, store.ErrNotFound)

	for _, n := range []string{"b", "A", "c", "D", "e"} {
		update(t, s, func(tx store.Tx) error { return tx.CreateInstanceProfile(ctx, profile(acct1, n)) })
	}
	want := []string{"A", "b", "c", "D", "e", "WebServer"}
	for _, size := range []int{0, 1, 2, 5, 6, 100} {
		require.Equal(t, want, listProfiles(t, s, acct1, "/", size), "page size %d", size)
	}
	require.Equal(t, []string{"WebServer"}, listProfiles(t, s, acct1, "/eng/", 1))
	require.Empty(t, listProfiles(t, s, acct1, "/ENG/", 0), "the path prefix is case-sensitive")

	update(t, s, func(tx store.Tx) error { return tx.DeleteInstanceProfile(ctx, acct1, "WEBSERVER") })
	err = updateErr(t, s, func(tx store.Tx) error { return tx.DeleteInstanceProfile(ctx, acct1, "WebServer") })
	requireIs(t, err, store.ErrNotFound)
	require.Equal(t, []string{"WebServer"}, listProfiles(t, s, acct2, "/", 0))
}

// testInstanceProfileRoles: a profile's role, listed by role, follows a
// rename of the role and goes away with it.
func testInstanceProfileRoles(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	update(t, s, func(tx store.Tx) error {
		for _, r := range []string{"app", "other"} {
			if err := tx.CreateRole(ctx, role(acct1, r)); err != nil {
				return err
			}
		}
		return tx.CreateRole(ctx, role(acct2, "app"))
	})
	a := profile(acct1, "a")
	a.RoleName = "APP" // matched case-insensitively, read back as stored
	b := profile(acct1, "b")
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateInstanceProfile(ctx, a); err != nil {
			return err
		}
		return tx.CreateInstanceProfile(ctx, b)
	})
	require.Equal(t, "app", getProfile(t, s, acct1, "a").RoleName)
	require.Empty(t, getProfile(t, s, acct1, "b").RoleName)

	b.RoleName = "app"
	update(t, s, func(tx store.Tx) error { return tx.UpdateInstanceProfile(ctx, b) })
	forRole := func(acct, r string, size int) []string {
		var out []string
		marker := ""
		for {
			var pg store.Page[store.InstanceProfile]
			view(t, s, func(rd store.Reader) error {
				var err error
				pg, err = rd.ListInstanceProfilesForRole(ctx, acct, r, store.PageRequest{Marker: marker, MaxItems: size})
				return err
			})
			out = append(out, names(pg.Items, profileName)...)
			if !pg.Truncated {
				return out
			}
			marker = pg.Marker
		}
	}
	require.Equal(t, []string{"a", "b"}, forRole(acct1, "App", 0))
	require.Equal(t, []string{"a", "b"}, forRole(acct1, "app", 1))
	require.Empty(t, forRole(acct1, "other", 0))
	require.Empty(t, forRole(acct2, "app", 0), "another account's role")
	view(t, s, func(r store.Reader) error {
		_, err := r.ListInstanceProfilesForRole(ctx, acct1, "absent", store.PageRequest{})
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
	b.RoleName = "absent"
	err := updateErr(t, s, func(tx store.Tx) error { return tx.UpdateInstanceProfile(ctx, b) })
	requireIs(t, err, store.ErrNotFound, "no such role")
	b.RoleName = ""
	update(t, s, func(tx store.Tx) error { return tx.UpdateInstanceProfile(ctx, b) })
	require.Equal(t, []string{"a"}, forRole(acct1, "app", 0))

	// A rename carries along; a delete empties the profile.
	update(t, s, func(tx store.Tx) error {
		r := role(acct1, "renamed")
		return tx.UpdateRole(ctx, "app", r)
	})
	require.Equal(t, "renamed", getProfile(t, s, acct1, "a").RoleName)
	update(t, s, func(tx store.Tx) error { return tx.DeleteRole(ctx, acct1, "renamed") })
	require.Empty(t, getProfile(t, s, acct1, "a").RoleName)

	// DeleteAccountData removes the profiles and the alias.
	update(t, s, func(tx store.Tx) error { return tx.SetAccountAlias(ctx, acct1, "one") })
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	require.Empty(t, listProfiles(t, s, acct1, "/", 0))
	view(t, s, func(r store.Reader) error {
		alias, err := r.GetAccountAlias(ctx, acct1)
		require.Empty(t, alias)
		return err
	})
}

// testAccountAliases: one alias per account, unique across accounts.
func testAccountAliases(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	alias := func(acct string) string {
		var a string
		view(t, s, func(r store.Reader) error {
			var err error
			a, err = r.GetAccountAlias(ctx, acct)
			return err
		})
		return a
	}
	require.Empty(t, alias(acct1))
	update(t, s, func(tx store.Tx) error { return tx.SetAccountAlias(ctx, acct1, "first") })
	require.Equal(t, "first", alias(acct1))
	update(t, s, func(tx store.Tx) error { return tx.SetAccountAlias(ctx, acct1, "first") })
	update(t, s, func(tx store.Tx) error { return tx.SetAccountAlias(ctx, acct1, "second") })
	require.Equal(t, "second", alias(acct1))

	err := updateErr(t, s, func(tx store.Tx) error { return tx.SetAccountAlias(ctx, acct2, "second") })
	requireIs(t, err, store.ErrAlreadyExists)
	err = updateErr(t, s, func(tx store.Tx) error { return tx.SetAccountAlias(ctx, "999999999999", "x") })
	requireIs(t, err, store.ErrNotFound)
	// The alias the first account gave up is free.
	update(t, s, func(tx store.Tx) error { return tx.SetAccountAlias(ctx, acct2, "first") })
	require.Equal(t, "first", alias(acct2))

	err = updateErr(t, s, func(tx store.Tx) error { return tx.DeleteAccountAlias(ctx, acct1, "first") })
	requireIs(t, err, store.ErrNotFound, "another account's alias")
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountAlias(ctx, acct1, "second") })
	require.Empty(t, alias(acct1))
	require.Equal(t, "first", alias(acct2))
}
