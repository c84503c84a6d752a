package iam

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam/awspolicies"
)

const awsAdmin = "arn:aws:iam::aws:policy/AdministratorAccess"

// TestAWSManagedPolicyPerAccount attaches AdministratorAccess in two
// accounts, one of them new (as Organizations makes one, with its
// OrganizationAccountAccessRole): each account counts only its own
// attachments, and each role's policy set holds the compiled catalog
// document.
func TestAWSManagedPolicyPerAccount(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	const a, b = "123456789012", "210987654321"
	_, err := s.EnsureAccount(ctx, b)
	require.NoError(t, err)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	for _, acct := range []string{a, b} {
		_, err = s.CreateRole(ctx, acct, CreateRoleInput{RoleName: "OrganizationAccountAccessRole", AssumeRolePolicyDocument: trust})
		require.NoError(t, err)
		require.NoError(t, s.AttachRolePolicy(ctx, acct, AttachPolicyInput{Owner: "OrganizationAccountAccessRole", PolicyArn: awsAdmin}))
	}
	_, err = s.CreateUser(ctx, b, CreateUserInput{UserName: "bob"})
	require.NoError(t, err)
	require.NoError(t, s.AttachUserPolicy(ctx, b, AttachPolicyInput{Owner: "bob", PolicyArn: awsAdmin}))

	for acct, want := range map[string]int{a: 1, b: 2} {
		p, err := s.GetPolicy(ctx, acct, PolicyARNInput{PolicyArn: awsAdmin})
		require.NoError(t, err)
		require.Equal(t, want, p.AttachmentCount, "account %s counts its own attachments", acct)
		require.Equal(t, awsAdmin, p.ARN())

		snap, err := s.Current(ctx)
		require.NoError(t, err)
		ps := snap.RolePolicySet(acct, "OrganizationAccountAccessRole").Policies()
		require.Len(t, ps.Identity, 1)
		require.Same(t, awspolicies.Compiled(awsAdmin), ps.Identity[0])
		require.Same(t, awspolicies.Compiled(awsAdmin), snap.CompiledPolicy(acct, awsAdmin))
	}
}

// TestAWSManagedPolicyServiceWrites: the service's writes find only the
// account's own policies, so a write naming an AWS managed policy never
// reaches the customer policy of the same name.
func TestAWSManagedPolicyServiceWrites(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	const acct = "123456789012"
	_, err := s.CreatePolicy(ctx, acct, CreatePolicyInput{PolicyName: "AdministratorAccess",
		PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`})
	require.NoError(t, err)

	requireNoSuchEntity := func(err error) {
		t.Helper()
		var ae *awserr.Error
		require.ErrorAs(t, err, &ae)
		require.Equal(t, "NoSuchEntity", ae.Code)
	}
	requireNoSuchEntity(s.DeletePolicy(ctx, acct, PolicyARNInput{PolicyArn: awsAdmin}))
	_, err = s.CreatePolicyVersion(ctx, acct, CreatePolicyVersionInput{PolicyArn: awsAdmin, PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`})
	requireNoSuchEntity(err)
	requireNoSuchEntity(s.SetDefaultPolicyVersion(ctx, acct, PolicyVersionInput{PolicyArn: awsAdmin, VersionID: "v1"}))
	requireNoSuchEntity(s.TagPolicy(ctx, acct, TagPolicyInput{PolicyArn: awsAdmin, Tags: []Tag{{Key: "k", Value: "v"}}}))

	own, err := s.GetPolicy(ctx, acct, PolicyARNInput{PolicyArn: PolicyARN(acct, "/", "AdministratorAccess")})
	require.NoError(t, err, "the customer policy is untouched")
	require.Equal(t, "v1", own.DefaultVersion)
	require.Empty(t, own.Tags)
	aws, err := s.GetPolicy(ctx, acct, PolicyARNInput{PolicyArn: awsAdmin})
	require.NoError(t, err)
	require.Equal(t, "ANPAIWMBCKSKIEE64ZLYK", aws.ID)
}

// TestServiceRolePoliciesInCatalog: every service-linked role policy
// CreateServiceLinkedRole attaches is a service-linked role policy of the
// catalog.
func TestServiceRolePoliciesInCatalog(t *testing.T) {
	for service, arn := range serviceRolePolicies {
		p, ok := awspolicies.Get(arn)
		require.True(t, ok, "%s: %s is not in the catalog", service, arn)
		require.True(t, p.ServiceLinked(), arn)
	}
}
