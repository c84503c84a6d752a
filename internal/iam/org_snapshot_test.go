package iam

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// TestOrgPath: the snapshot gives each member account its path from the
// root and the compiled SCPs and RCPs of every level; an account outside
// any organization has none.
func TestOrgPath(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	const (
		mgmt   = "123456789012"
		member = "210987654321"
		org    = "o-a1b2c3d4e5"
		root   = "r-ab12"
		ou1    = "ou-ab12-11111111"
		ou2    = "ou-ab12-22222222"
	)
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	require.NoError(t, s.UpdateStore(ctx, func(tx store.Tx) error {
		if err := s.CreateMemberAccount(ctx, tx, member, mgmt, "OrganizationAccountAccessRole"); err != nil {
			return err
		}
		steps := []func() error{
			func() error {
				return tx.CreateOrganization(ctx, store.Organization{ID: org, ManagementAccount: mgmt, FeatureSet: "ALL"})
			},
			func() error {
				return tx.CreateOrgUnit(ctx, store.OrgUnit{Org: org, ID: root, Name: "Root", PolicyTypes: []string{PolicyTypeSCP}})
			},
			func() error {
				return tx.CreateOrgUnit(ctx, store.OrgUnit{Org: org, ID: ou1, ParentID: root, Name: "a"})
			},
			func() error { return tx.CreateOrgUnit(ctx, store.OrgUnit{Org: org, ID: ou2, ParentID: ou1, Name: "b"}) },
			func() error {
				return tx.CreateOrgAccount(ctx, store.OrgAccount{Org: org, Account: mgmt, ParentID: root})
			},
			func() error {
				return tx.CreateOrgAccount(ctx, store.OrgAccount{Org: org, Account: member, ParentID: ou2, Status: "ACTIVE"})
			},
			func() error {
				return tx.CreateOrgPolicy(ctx, store.OrgPolicy{Org: org, ID: "p-deny1234", Name: "NoS3", Type: PolicyTypeSCP, Content: deny})
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		for _, target := range []string{root, ou1, ou2, mgmt, member} {
			if err := tx.AttachOrgPolicy(ctx, store.OrgAttachment{Org: org, PolicyID: FullAWSAccess.ID, TargetID: target}); err != nil {
				return err
			}
		}
		// RCPs are not enabled: an attachment of one is not enforced.
		if err := tx.AttachOrgPolicy(ctx, store.OrgAttachment{Org: org, PolicyID: RCPFullAWSAccess.ID, TargetID: root}); err != nil {
			return err
		}
		return tx.AttachOrgPolicy(ctx, store.OrgAttachment{Org: org, PolicyID: "p-deny1234", TargetID: ou1})
	}))
	snap, err := s.Current(ctx)
	require.NoError(t, err)

	p := snap.OrgPath(member)
	require.NotNil(t, p)
	require.Equal(t, org, p.OrgID)
	require.Equal(t, mgmt, p.ManagementAccount)
	require.False(t, p.IsManagement)
	require.Equal(t, "ACTIVE", p.Status)
	require.Equal(t, []string{root, ou1, ou2, member}, p.IDs)
	require.Equal(t, "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/", p.String())
	require.Nil(t, p.RCPs, "RCPs are not enabled")
	require.Len(t, p.SCPs, 4)
	ids := func(level []*policy.Policy) []string {
		var out []string
		for _, pol := range level {
			require.Equal(t, policy.SCP, pol.Type)
			out = append(out, pol.ID)
		}
		return out
	}
	full := "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
	require.Equal(t, []string{full}, ids(p.SCPs[0]))
	require.ElementsMatch(t, []string{full, "arn:aws:organizations::" + mgmt + ":policy/" + org + "/service_control_policy/p-deny1234"}, ids(p.SCPs[1]))
	require.Equal(t, []string{full}, ids(p.SCPs[2]))
	require.Equal(t, []string{full}, ids(p.SCPs[3]))
	require.Equal(t, deny, p.SCPs[1][slices.IndexFunc(p.SCPs[1], func(pol *policy.Policy) bool { return pol.ID != full })].Document.Source)

	m := snap.OrgPath(mgmt)
	require.NotNil(t, m)
	require.True(t, m.IsManagement)
	require.Equal(t, []string{root, mgmt}, m.IDs)
	require.Nil(t, snap.OrgPath("999999999999"))

	// The new account has its role, trusting the management account.
	require.NotNil(t, snap.RoleTrust(member, "OrganizationAccountAccessRole"))
}

// TestOrgManagedPoliciesParse: the AWS-managed policies are valid policies
// of their types.
func TestOrgManagedPoliciesParse(t *testing.T) {
	_, err := policy.Parse(FullAWSAccess.Content, policy.SCP)
	require.NoError(t, err)
	_, err = policy.Parse(RCPFullAWSAccess.Content, policy.RCP)
	require.NoError(t, err)
}
