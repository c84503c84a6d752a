package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// testOrgHandshakes: handshakes are stored whole, replaced, read by id,
// by organization and by invited account, refused for an absent
// organization or an id another organization holds, and gone with the
// organization (here through the --dev reset of its management account).
func testOrgHandshakes(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	orgFixture(t, s)
	h1 := store.OrgHandshake{Org: orgID, ID: "h-bbbbbbbb", Action: "INVITE", State: "OPEN", TargetType: "ACCOUNT", Target: "333333333333",
		Account: "333333333333", Notes: "join us", Tags: []store.Tag{{Key: "k", Value: "v"}}, Requested: at(1), Expires: at(2)}
	h2 := store.OrgHandshake{Org: orgID, ID: "h-aaaaaaaa", Action: "INVITE", State: "OPEN", TargetType: "EMAIL", Target: "x@example.com", Requested: at(3), Expires: at(4)}
	update(t, s, func(tx store.Tx) error {
		for _, h := range []store.OrgHandshake{h1, h2} {
			if err := tx.PutOrgHandshake(ctx, h); err != nil {
				return err
			}
		}
		return nil
	})
	h1.State = "ACCEPTED"
	update(t, s, func(tx store.Tx) error { return tx.PutOrgHandshake(ctx, h1) })

	view(t, s, func(r store.Reader) error {
		got, err := r.GetOrgHandshake(ctx, h1.ID)
		require.NoError(t, err)
		require.Equal(t, h1, got)
		_, err = r.GetOrgHandshake(ctx, "h-zzzzzzzz")
		requireIs(t, err, store.ErrNotFound)
		all, err := r.OrgHandshakes(ctx, orgID)
		require.NoError(t, err)
		require.Equal(t, []store.OrgHandshake{h2, h1}, all)
		mine, err := r.AccountHandshakes(ctx, "333333333333")
		require.NoError(t, err)
		require.Equal(t, []store.OrgHandshake{h1}, mine)
		none, err := r.AccountHandshakes(ctx, acct2)
		require.NoError(t, err)
		require.Empty(t, none)
		return nil
	})

	err := s.Update(ctx, func(tx store.Tx) error {
		return tx.PutOrgHandshake(ctx, store.OrgHandshake{Org: "o-zzzzzzzzzz", ID: "h-cccccccc", State: "OPEN"})
	})
	requireIs(t, err, store.ErrNotFound)

	// Another organization may not take over an id.
	update(t, s, func(tx store.Tx) error {
		return tx.CreateOrganization(ctx, store.Organization{ID: "o-bbbbbbbbbb", ManagementAccount: acct2, FeatureSet: "ALL", CreateDate: t0})
	})
	err = s.Update(ctx, func(tx store.Tx) error {
		return tx.PutOrgHandshake(ctx, store.OrgHandshake{Org: "o-bbbbbbbbbb", ID: h1.ID, State: "OPEN"})
	})
	requireIs(t, err, store.ErrAlreadyExists)

	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetOrgHandshake(ctx, h1.ID)
		requireIs(t, err, store.ErrNotFound)
		mine, err := r.AccountHandshakes(ctx, "333333333333")
		require.NoError(t, err)
		require.Empty(t, mine)
		return nil
	})
}
