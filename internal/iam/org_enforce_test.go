package iam

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// enforceOrg makes an organization managed by 123456789012 with SCPs and
// RCPs enabled; member 210987654321 sits under the root with a deny SCP
// and RCPFullAWSAccess attached. It returns the snapshot.
func enforceOrg(t *testing.T, s *Service) *Snapshot {
	t.Helper()
	ctx := context.Background()
	const mgmt, member, org, root = "123456789012", "210987654321", "o-a1b2c3d4e5", "r-ab12"
	require.NoError(t, s.UpdateStore(ctx, func(tx store.Tx) error {
		if err := s.CreateMemberAccount(ctx, tx, member, mgmt, "OrganizationAccountAccessRole"); err != nil {
			return err
		}
		if err := tx.CreateOrganization(ctx, store.Organization{ID: org, ManagementAccount: mgmt, FeatureSet: "ALL"}); err != nil {
			return err
		}
		if err := tx.CreateOrgUnit(ctx, store.OrgUnit{Org: org, ID: root, Name: "Root", PolicyTypes: []string{PolicyTypeSCP, PolicyTypeRCP}}); err != nil {
			return err
		}
		for _, a := range []string{mgmt, member} {
			if err := tx.CreateOrgAccount(ctx, store.OrgAccount{Org: org, Account: a, ParentID: root}); err != nil {
				return err
			}
		}
		deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}`
		if err := tx.CreateOrgPolicy(ctx, store.OrgPolicy{Org: org, ID: "p-deny1234", Name: "d", Type: PolicyTypeSCP, Content: deny}); err != nil {
			return err
		}
		for _, a := range []store.OrgAttachment{
			{PolicyID: FullAWSAccess.ID, TargetID: root}, {PolicyID: FullAWSAccess.ID, TargetID: mgmt},
			{PolicyID: FullAWSAccess.ID, TargetID: member}, {PolicyID: "p-deny1234", TargetID: member},
			{PolicyID: RCPFullAWSAccess.ID, TargetID: root}, {PolicyID: RCPFullAWSAccess.ID, TargetID: member},
		} {
			a.Org = org
			if err := tx.AttachOrgPolicy(ctx, a); err != nil {
				return err
			}
		}
		return nil
	}))
	for _, acct := range []string{mgmt, member} {
		_, err := s.CreateUser(ctx, acct, CreateUserInput{UserName: "u"})
		require.NoError(t, err)
		_, err = s.CreateServiceLinkedRole(ctx, acct, CreateServiceLinkedRoleInput{AWSServiceName: "elasticbeanstalk.amazonaws.com"})
		require.NoError(t, err)
	}
	snap, err := s.Current(ctx)
	require.NoError(t, err)
	return snap
}

// TestOrgPolicySets: the cached sets of a member account's user, role and
// root user carry its SCPs, those of the management account and of a
// service-linked role none; RCP sets exist for the member account's roles
// and the actions RCPs bind only.
func TestOrgPolicySets(t *testing.T) {
	s, _ := newTestService(t)
	snap := enforceOrg(t, s)
	const mgmt, member = "123456789012", "210987654321"

	for _, ps := range []*authz.PolicySet{
		snap.UserPolicySet(member, "u"), snap.RolePolicySet(member, "OrganizationAccountAccessRole"), snap.RootPolicySet(member),
	} {
		require.Len(t, ps.Policies().SCPs, 2, "the root and the account")
	}
	require.Nil(t, snap.UserPolicySet(mgmt, "u").Policies().SCPs)
	require.Nil(t, snap.RootPolicySet(mgmt).Policies().SCPs)
	slr := "AWSServiceRoleForElasticBeanstalk"
	require.True(t, snap.IsServiceLinkedRole(member, slr))
	require.Nil(t, snap.RolePolicySet(member, slr).Policies().SCPs)
	// Cached: the same set comes back.
	require.Same(t, snap.UserPolicySet(member, "u"), snap.UserPolicySet(member, "u"))
	require.Same(t, snap.RootPolicySet(member), snap.RootPolicySet(member))

	rcp := snap.RCPSet(member, "sts:AssumeRole")
	require.NotNil(t, rcp)
	require.Len(t, rcp.Policies().RCPs, 2)
	require.Same(t, rcp, snap.RCPSet(member, "STS:assumerole"))
	require.Nil(t, snap.RCPSet(member, "iam:ListUsers"), "RCPs do not bind IAM")
	require.Nil(t, snap.RCPSet(member, "sts:GetSessionToken"))
	require.Nil(t, snap.RCPSet(mgmt, "sts:AssumeRole"), "nor the management account's resources")
	require.Nil(t, snap.RCPSet("999999999999", "sts:AssumeRole"))

	// The SCP deny binds the member account's user and root user.
	user := policy.Principal{Type: policy.PrincipalUser, Account: member, ARN: "arn:aws:iam::" + member + ":user/u"}
	req := authz.Request{Principal: user, Action: "iam:ListUsers", Resource: "*", ResourceAccount: member}
	r := authz.Evaluate(snap.UserPolicySet(member, "u"), &req)
	require.Equal(t, authz.ExplicitlyDenied, r.Decision)
	require.Equal(t, "with an explicit deny in a service control policy: arn:aws:organizations::123456789012:policy/o-a1b2c3d4e5/service_control_policy/p-deny1234", r.Reason(req.Action))
	req.Principal = policy.Principal{Type: policy.PrincipalAccount, Account: member, ARN: "arn:aws:iam::" + member + ":root"}
	require.Equal(t, authz.ExplicitlyDenied, authz.Evaluate(snap.RootPolicySet(member), &req).Decision)
	req.Action = "iam:ListRoles"
	require.Equal(t, authz.Allowed, authz.Evaluate(snap.RootPolicySet(member), &req).Decision)
}
