package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// testOrgFeatures: features are enabled once however often, listed
// sorted, disabled, refused for an absent organization, and gone with the
// organization.
func testOrgFeatures(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	orgFixture(t, s)
	trusted := store.OrgFeatureTrustedAccess + "iam.amazonaws.com"
	update(t, s, func(tx store.Tx) error {
		for _, name := range []string{trusted, "RootSessions", trusted, "RootCredentialsManagement"} {
			if err := tx.SetOrgFeature(ctx, orgID, name, true); err != nil {
				return err
			}
		}
		return nil
	})
	features := func(org string) []string {
		var out []string
		view(t, s, func(r store.Reader) error {
			var err error
			out, err = r.OrgFeatures(ctx, org)
			return err
		})
		return out
	}
	require.Equal(t, []string{"RootCredentialsManagement", "RootSessions", trusted}, features(orgID))
	update(t, s, func(tx store.Tx) error {
		if err := tx.SetOrgFeature(ctx, orgID, "RootSessions", false); err != nil {
			return err
		}
		return tx.SetOrgFeature(ctx, orgID, "RootSessions", false)
	})
	require.Equal(t, []string{"RootCredentialsManagement", trusted}, features(orgID))
	require.Empty(t, features("o-zzzzzzzzzz"))
	err := s.Update(ctx, func(tx store.Tx) error { return tx.SetOrgFeature(ctx, "o-zzzzzzzzzz", "RootSessions", true) })
	requireIs(t, err, store.ErrNotFound)

	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	require.Empty(t, features(orgID))
}
