package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

func oidc(acct, url string) store.OIDCProvider {
	return store.OIDCProvider{
		Account: acct, URL: url, ClientIDs: []string{"sts.amazonaws.com"},
		Thumbprints: []string{"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"}, CreateDate: t0,
	}
}

func saml(acct, name string) store.SAMLProvider {
	return store.SAMLProvider{
		Account: acct, Name: name, Metadata: "<EntityDescriptor entityID=\"" + name + "\"/>",
		CreateDate: t0, ValidUntil: at(60 * 24 * 365),
	}
}

func oidcURL(p store.OIDCProvider) string  { return p.URL }
func samlName(p store.SAMLProvider) string { return p.Name }

func listOIDC(t *testing.T, s store.Store, acct string) []string {
	t.Helper()
	var out []string
	view(t, s, func(r store.Reader) error {
		ps, err := r.ListOIDCProviders(t.Context(), acct)
		out = names(ps, oidcURL)
		return err
	})
	return out
}

func listSAML(t *testing.T, s store.Store, acct string) []string {
	t.Helper()
	var out []string
	view(t, s, func(r store.Reader) error {
		ps, err := r.ListSAMLProviders(t.Context(), acct)
		out = names(ps, samlName)
		return err
	})
	return out
}

// testOIDCProviders: CRUD, the sentinels, and URLs compared
// case-sensitively.
func testOIDCProviders(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	p := store.OIDCProvider{
		Account: acct1, URL: "token.actions.githubusercontent.com",
		ClientIDs:   []string{"sts.amazonaws.com", "another-client"},
		Thumbprints: []string{"6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"},
		CreateDate:  t0,
		Tags:        []store.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: ""}},
	}
	update(t, s, func(tx store.Tx) error { return tx.CreateOIDCProvider(ctx, p) })
	view(t, s, func(r store.Reader) error {
		got, err := r.GetOIDCProvider(ctx, acct1, p.URL)
		require.NoError(t, err)
		requireEqual(t, p, got)
		_, err = r.GetOIDCProvider(ctx, acct1, "TOKEN.actions.githubusercontent.com")
		requireIs(t, err, store.ErrNotFound, "the URL is case-sensitive")
		_, err = r.GetOIDCProvider(ctx, acct2, p.URL)
		requireIs(t, err, store.ErrNotFound, "another account's provider")
		return nil
	})
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateOIDCProvider(ctx, oidc(acct1, p.URL)) }), store.ErrAlreadyExists)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateOIDCProvider(ctx, oidc("999999999999", p.URL)) }), store.ErrNotFound)
	// Another case is another provider.
	upper := oidc(acct1, "TOKEN.actions.githubusercontent.com")
	update(t, s, func(tx store.Tx) error { return tx.CreateOIDCProvider(ctx, upper) })

	// Update replaces every field; lists keep their order.
	p2 := p
	p2.ClientIDs = []string{"b", "a"}
	p2.Thumbprints = []string{"0000000000000000000000000000000000000000"}
	p2.Tags = nil
	update(t, s, func(tx store.Tx) error { return tx.UpdateOIDCProvider(ctx, p2) })
	view(t, s, func(r store.Reader) error {
		got, err := r.GetOIDCProvider(ctx, acct1, p.URL)
		require.NoError(t, err)
		requireEqual(t, p2, got)
		got, err = r.GetOIDCProvider(ctx, acct1, upper.URL)
		require.NoError(t, err)
		requireEqual(t, upper, got) // the other-case provider is untouched
		return nil
	})
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.UpdateOIDCProvider(ctx, oidc(acct1, "nobody.example.com")) }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.UpdateOIDCProvider(ctx, oidc(acct2, p.URL)) }), store.ErrNotFound)

	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteOIDCProvider(ctx, acct1, "nobody.example.com") }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.DeleteOIDCProvider(ctx, acct1, "Token.Actions.GithubUserContent.com")
	}), store.ErrNotFound)
	update(t, s, func(tx store.Tx) error { return tx.DeleteOIDCProvider(ctx, acct1, p.URL) })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetOIDCProvider(ctx, acct1, p.URL)
		requireIs(t, err, store.ErrNotFound)
		_, err = r.GetOIDCProvider(ctx, acct1, upper.URL)
		require.NoError(t, err)
		return nil
	})
	requireEqual(t, []string{upper.URL}, listOIDC(t, s, acct1))
	// The URL is free again.
	update(t, s, func(tx store.Tx) error { return tx.CreateOIDCProvider(ctx, oidc(acct1, p.URL)) })
}

// testSAMLProviders: CRUD, the sentinels, and names compared
// case-insensitively with their case kept.
func testSAMLProviders(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	p := saml(acct1, "MyOkta")
	p.Tags = []store.Tag{{Key: "team", Value: "sec"}, {Key: "cost", Value: "7"}}
	update(t, s, func(tx store.Tx) error { return tx.CreateSAMLProvider(ctx, p) })
	view(t, s, func(r store.Reader) error {
		for _, q := range []string{"MyOkta", "myokta", "MYOKTA"} {
			got, err := r.GetSAMLProvider(ctx, acct1, q)
			require.NoError(t, err, "lookup %q", q)
			requireEqual(t, p, got)
		}
		_, err := r.GetSAMLProvider(ctx, acct1, "MyOkt")
		requireIs(t, err, store.ErrNotFound)
		_, err = r.GetSAMLProvider(ctx, acct2, "MyOkta")
		requireIs(t, err, store.ErrNotFound, "another account's provider")
		return nil
	})
	for _, dup := range []string{"MyOkta", "myokta", "MYOKTA", "mYoKTA"} {
		err := updateErr(t, s, func(tx store.Tx) error { return tx.CreateSAMLProvider(ctx, saml(acct1, dup)) })
		requireIs(t, err, store.ErrAlreadyExists, "create %q after %q", dup, "MyOkta")
	}
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateSAMLProvider(ctx, saml("999999999999", "x")) }), store.ErrNotFound)

	// Update replaces every field.
	p2 := p
	p2.Metadata = "<EntityDescriptor entityID=\"new\"/>"
	p2.CreateDate = at(1)
	p2.ValidUntil = time.Time{}
	p2.Tags = nil
	update(t, s, func(tx store.Tx) error { return tx.UpdateSAMLProvider(ctx, p2) })
	view(t, s, func(r store.Reader) error {
		got, err := r.GetSAMLProvider(ctx, acct1, "myokta")
		require.NoError(t, err)
		requireEqual(t, p2, got)
		require.True(t, got.ValidUntil.IsZero())
		return nil
	})
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.UpdateSAMLProvider(ctx, saml(acct1, "nobody")) }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.UpdateSAMLProvider(ctx, saml(acct2, "MyOkta")) }), store.ErrNotFound)

	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteSAMLProvider(ctx, acct1, "nobody") }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteSAMLProvider(ctx, acct2, "MyOkta") }), store.ErrNotFound)
	update(t, s, func(tx store.Tx) error { return tx.DeleteSAMLProvider(ctx, acct1, "MYOKTA") })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetSAMLProvider(ctx, acct1, "MyOkta")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
	require.Empty(t, listSAML(t, s, acct1))
	// The name is free again, in any case.
	update(t, s, func(tx store.Tx) error { return tx.CreateSAMLProvider(ctx, saml(acct1, "myokta")) })
	requireEqual(t, []string{"myokta"}, listSAML(t, s, acct1))
}

// testProviderOrderAndIsolation: lists are per account and ordered, OIDC
// by URL and SAML by lower-cased name; the same URL or name may exist in
// each account.
func testProviderOrderAndIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	update(t, s, func(tx store.Tx) error {
		for _, u := range []string{"c.example.com", "a.example.com/path", "b.example.com", "a.example.com"} {
			if err := tx.CreateOIDCProvider(ctx, oidc(acct1, u)); err != nil {
				return err
			}
		}
		for _, n := range []string{"gamma", "Alpha", "beta", "Beta2"} {
			if err := tx.CreateSAMLProvider(ctx, saml(acct1, n)); err != nil {
				return err
			}
		}
		for _, err := range []error{
			tx.CreateOIDCProvider(ctx, oidc(acct2, "b.example.com")),
			tx.CreateSAMLProvider(ctx, saml(acct2, "ALPHA")),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	requireEqual(t, []string{"a.example.com", "a.example.com/path", "b.example.com", "c.example.com"}, listOIDC(t, s, acct1))
	requireEqual(t, []string{"Alpha", "beta", "Beta2", "gamma"}, listSAML(t, s, acct1))
	requireEqual(t, []string{"b.example.com"}, listOIDC(t, s, acct2))
	requireEqual(t, []string{"ALPHA"}, listSAML(t, s, acct2))
	require.Empty(t, listOIDC(t, s, "999999999999"))
	require.Empty(t, listSAML(t, s, "999999999999"))
	view(t, s, func(r store.Reader) error {
		got, err := r.GetOIDCProvider(ctx, acct2, "b.example.com")
		require.NoError(t, err)
		require.Equal(t, acct2, got.Account)
		sp, err := r.GetSAMLProvider(ctx, acct2, "alpha")
		require.NoError(t, err)
		require.Equal(t, "ALPHA", sp.Name)
		require.Equal(t, acct2, sp.Account)
		return nil
	})

	// Deleting in one account leaves the other's alone.
	update(t, s, func(tx store.Tx) error {
		if err := tx.DeleteOIDCProvider(ctx, acct2, "b.example.com"); err != nil {
			return err
		}
		return tx.DeleteSAMLProvider(ctx, acct2, "alpha")
	})
	require.Empty(t, listOIDC(t, s, acct2))
	require.Empty(t, listSAML(t, s, acct2))
	requireEqual(t, []string{"a.example.com", "a.example.com/path", "b.example.com", "c.example.com"}, listOIDC(t, s, acct1))
	requireEqual(t, []string{"Alpha", "beta", "Beta2", "gamma"}, listSAML(t, s, acct1))
}

// testServiceKeys: keys per purpose, oldest first; an id is unique within
// its purpose only.
func testServiceKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	sk := func(purpose, id string, created time.Time) store.ServiceKey {
		return store.ServiceKey{ID: id, Purpose: purpose, Sealed: []byte("sealed:" + purpose + ":" + id), CreateDate: created}
	}
	keys := []store.ServiceKey{
		sk("session-token", "k3", at(2)),
		sk("session-token", "k1", at(0)),
		sk("session-token", "k2", at(1)),
		sk("other", "k1", at(5)),
	}
	update(t, s, func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.CreateServiceKey(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
	err := updateErr(t, s, func(tx store.Tx) error { return tx.CreateServiceKey(ctx, sk("session-token", "k2", at(9))) })
	requireIs(t, err, store.ErrAlreadyExists)
	view(t, s, func(r store.Reader) error {
		got, err := r.ListServiceKeys(ctx, "session-token")
		require.NoError(t, err)
		requireEqual(t, []store.ServiceKey{keys[1], keys[2], keys[0]}, got)
		got, err = r.ListServiceKeys(ctx, "other")
		require.NoError(t, err)
		requireEqual(t, []store.ServiceKey{keys[3]}, got)
		got, err = r.ListServiceKeys(ctx, "none")
		require.NoError(t, err)
		require.Empty(t, got)
		return nil
	})
}

// testAssertionIDs: an assertion id is accepted once until it expires,
// and again after.
func testAssertionIDs(t *testing.T, s store.Store) {
	ctx := t.Context()
	use := func(id string, now, expires time.Time) error {
		return updateErr(t, s, func(tx store.Tx) error { return tx.UseAssertionID(ctx, id, now, expires) })
	}
	require.NoError(t, use("_a1", at(0), at(5)))
	requireIs(t, use("_a1", at(1), at(5)), store.ErrAlreadyExists, "a replay")
	requireIs(t, use("_a1", at(4), at(9)), store.ErrAlreadyExists, "a replay just before expiry")
	require.NoError(t, use("_A1", at(1), at(5)), "ids are case-sensitive")
	require.NoError(t, use("_a2", at(1), at(6)))
	require.NoError(t, use("_a1", at(5), at(10)), "reuse once expired")
	requireIs(t, use("_a1", at(6), at(10)), store.ErrAlreadyExists, "recorded again")
	requireIs(t, use("_a2", at(5), at(6)), store.ErrAlreadyExists, "_a2 still live")
	require.NoError(t, use("_a2", at(7), at(8)))

	// A rolled-back use records nothing.
	err := updateErr(t, s, func(tx store.Tx) error {
		if err := tx.UseAssertionID(ctx, "_rb", at(0), at(100)); err != nil {
			return err
		}
		return errSentinel
	})
	requireIs(t, err, errSentinel)
	require.NoError(t, use("_rb", at(1), at(100)))
}

// testDeleteAccountDataProviders: DeleteAccountData removes the account's
// providers, not another account's nor the service keys.
func testDeleteAccountDataProviders(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	k := store.ServiceKey{ID: "k1", Purpose: "session-token", Sealed: []byte("s"), CreateDate: t0}
	update(t, s, func(tx store.Tx) error {
		for _, a := range []string{acct1, acct2} {
			if err := tx.CreateOIDCProvider(ctx, oidc(a, "issuer.example.com")); err != nil {
				return err
			}
			if err := tx.CreateSAMLProvider(ctx, saml(a, "Okta")); err != nil {
				return err
			}
		}
		return tx.CreateServiceKey(ctx, k)
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	require.Empty(t, listOIDC(t, s, acct1))
	require.Empty(t, listSAML(t, s, acct1))
	requireEqual(t, []string{"issuer.example.com"}, listOIDC(t, s, acct2))
	requireEqual(t, []string{"Okta"}, listSAML(t, s, acct2))
	view(t, s, func(r store.Reader) error {
		_, err := r.GetOIDCProvider(ctx, acct1, "issuer.example.com")
		requireIs(t, err, store.ErrNotFound)
		_, err = r.GetSAMLProvider(ctx, acct1, "okta")
		requireIs(t, err, store.ErrNotFound)
		ks, err := r.ListServiceKeys(ctx, "session-token")
		require.NoError(t, err)
		requireEqual(t, []store.ServiceKey{k}, ks)
		return nil
	})
	// The names are free again.
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateOIDCProvider(ctx, oidc(acct1, "issuer.example.com")); err != nil {
			return err
		}
		return tx.CreateSAMLProvider(ctx, saml(acct1, "okta"))
	})
}
