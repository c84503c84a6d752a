package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// testOrgFeatures: features are enabled once however often (keeping the
// first time), listed sorted with their times, disabled, refused for an
// absent organization, and gone with the organization.
func testOrgFeatures(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	orgFixture(t, s)
	trusted := store.OrgFeatureTrustedAccess + "iam.amazonaws.com"
	update(t, s, func(tx store.Tx) error {
		for i, name := range []string{trusted, "RootSessions", trusted, "RootCredentialsManagement"} {
			if err := tx.SetOrgFeature(ctx, orgID, name, true, at(i)); err != nil {
				return err
			}
		}
		return nil
	})
	features := func(org string) []store.OrgFeature {
		var out []store.OrgFeature
		view(t, s, func(r store.Reader) error {
			var err error
			out, err = r.OrgFeatures(ctx, org)
			return err
		})
		return out
	}
	require.Equal(t, []store.OrgFeature{{Name: "RootCredentialsManagement", Enabled: at(3)}, {Name: "RootSessions", Enabled: at(1)}, {Name: trusted, Enabled: at(0)}}, features(orgID))
	require.True(t, store.HasOrgFeature(features(orgID), trusted))
	update(t, s, func(tx store.Tx) error {
		if err := tx.SetOrgFeature(ctx, orgID, "RootSessions", false, time.Time{}); err != nil {
			return err
		}
		if err := tx.SetOrgFeature(ctx, orgID, "RootSessions", false, time.Time{}); err != nil {
			return err
		}
		// A feature enabled without a time reads with the zero time.
		return tx.SetOrgFeature(ctx, orgID, "X", true, time.Time{})
	})
	require.Equal(t, []store.OrgFeature{{Name: "RootCredentialsManagement", Enabled: at(3)}, {Name: trusted, Enabled: at(0)}, {Name: "X"}}, features(orgID))
	require.Empty(t, features("o-zzzzzzzzzz"))
	err := s.Update(ctx, func(tx store.Tx) error { return tx.SetOrgFeature(ctx, "o-zzzzzzzzzz", "RootSessions", true, t0) })
	requireIs(t, err, store.ErrNotFound)

	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	require.Empty(t, features(orgID))
}
