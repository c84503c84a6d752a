package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	otypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// TestTrustedAccess: the management account gives services trusted access
// and lists them; members may not; disabling ends it.
func TestTrustedAccess(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	enable := func(c *organizations.Client, sp string) error {
		_, err := c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(sp)})
		return err
	}
	disable := func(c *organizations.Client, sp string) error {
		_, err := c.DisableAWSServiceAccess(ctx, &organizations.DisableAWSServiceAccessInput{ServicePrincipal: aws.String(sp)})
		return err
	}
	list := func(c *organizations.Client, in *organizations.ListAWSServiceAccessForOrganizationInput) (*organizations.ListAWSServiceAccessForOrganizationOutput, error) {
		return c.ListAWSServiceAccessForOrganization(ctx, in)
	}

	requireAPIError(t, enable(c, "iam.amazonaws.com"), "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	_, err := list(c, &organizations.ListAWSServiceAccessForOrganizationInput{})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "")

	newOrganization(t, c)
	out, err := list(c, &organizations.ListAWSServiceAccessForOrganizationInput{})
	require.NoError(t, err)
	require.Empty(t, out.EnabledServicePrincipals)

	for _, tc := range []struct{ sp, reason string }{
		{"bad principal", "INVALID_PATTERN"},
		{strings.Repeat("a", 115) + ".amazonaws.com", "MAX_LENGTH_EXCEEDED"},
		{"", "INPUT_REQUIRED"},
		{"example.com", "UNRECOGNIZED_SERVICE_PRINCIPAL"},
		{".amazonaws.com", "UNRECOGNIZED_SERVICE_PRINCIPAL"},
	} {
		requireReason(t, enable(c, tc.sp), "InvalidInputException", tc.reason)
		requireReason(t, disable(c, tc.sp), "InvalidInputException", tc.reason)
	}

	require.NoError(t, enable(c, "iam.amazonaws.com"))
	out, err = list(c, &organizations.ListAWSServiceAccessForOrganizationInput{})
	require.NoError(t, err)
	require.Len(t, out.EnabledServicePrincipals, 1)
	first := *out.EnabledServicePrincipals[0].DateEnabled
	require.Equal(t, "iam.amazonaws.com", *out.EnabledServicePrincipals[0].ServicePrincipal)
	// Enabling again is no error and keeps the date.
	require.NoError(t, enable(c, "iam.amazonaws.com"))
	require.NoError(t, enable(c, "sso.amazonaws.com"))
	require.NoError(t, enable(c, "guardduty.amazonaws.com"))
	out, err = list(c, &organizations.ListAWSServiceAccessForOrganizationInput{MaxResults: aws.Int32(2)})
	require.NoError(t, err)
	require.Equal(t, []string{"guardduty.amazonaws.com", "iam.amazonaws.com"}, principals(out))
	require.True(t, first.Equal(*out.EnabledServicePrincipals[1].DateEnabled))
	require.NotNil(t, out.NextToken)
	out, err = list(c, &organizations.ListAWSServiceAccessForOrganizationInput{MaxResults: aws.Int32(2), NextToken: out.NextToken})
	require.NoError(t, err)
	require.Equal(t, []string{"sso.amazonaws.com"}, principals(out))
	require.Nil(t, out.NextToken)
	_, err = list(c, &organizations.ListAWSServiceAccessForOrganizationInput{MaxResults: aws.Int32(21)})
	requireReason(t, err, "InvalidInputException", "MAX_VALUE_EXCEEDED")

	// A member account neither changes nor lists trusted access.
	acct := createAccount(t, c, "dev", "dev@example.com")
	member := organizations.NewFromConfig(memberSession(t, srv, acct))
	requireAPIError(t, enable(member, "sso.amazonaws.com"), "AccessDeniedException", "You don't have permissions to access this resource.")
	requireAPIError(t, disable(member, "sso.amazonaws.com"), "AccessDeniedException", "")
	_, err = list(member, &organizations.ListAWSServiceAccessForOrganizationInput{})
	requireAPIError(t, err, "AccessDeniedException", "")
	// A delegated administrator lists it.
	_, err = c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(acct), ServicePrincipal: aws.String("sso.amazonaws.com")})
	require.NoError(t, err)
	out, err = list(member, &organizations.ListAWSServiceAccessForOrganizationInput{})
	require.NoError(t, err)
	require.Len(t, out.EnabledServicePrincipals, 3)

	require.NoError(t, disable(c, "guardduty.amazonaws.com"))
	require.NoError(t, disable(c, "guardduty.amazonaws.com"), "disabling twice is no error")
	out, err = list(c, &organizations.ListAWSServiceAccessForOrganizationInput{})
	require.NoError(t, err)
	require.Equal(t, []string{"iam.amazonaws.com", "sso.amazonaws.com"}, principals(out))
}

func principals(out *organizations.ListAWSServiceAccessForOrganizationOutput) []string {
	var sps []string
	for _, e := range out.EnabledServicePrincipals {
		sps = append(sps, *e.ServicePrincipal)
	}
	return sps
}

// TestTrustedAccessForIAM: enabling trusted access for IAM through
// Organizations is what IAM's centralized root access requires, and
// disabling it stops it.
func TestTrustedAccessForIAM(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	newOrganization(t, c)
	rootIAM := srv.RootIAM()

	_, err := rootIAM.EnableOrganizationsRootCredentialsManagement(ctx, &iamsdk.EnableOrganizationsRootCredentialsManagementInput{})
	requireAPIError(t, err, "ServiceAccessNotEnabledException", "")

	_, err = c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")})
	require.NoError(t, err)
	out, err := rootIAM.EnableOrganizationsRootCredentialsManagement(ctx, &iamsdk.EnableOrganizationsRootCredentialsManagementInput{})
	require.NoError(t, err)
	require.Equal(t, []string{"RootCredentialsManagement"}, featureNames(out.EnabledFeatures))
	list, err := rootIAM.ListOrganizationsFeatures(ctx, &iamsdk.ListOrganizationsFeaturesInput{})
	require.NoError(t, err)
	require.Equal(t, []string{"RootCredentialsManagement"}, featureNames(list.EnabledFeatures))

	_, err = c.DisableAWSServiceAccess(ctx, &organizations.DisableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")})
	require.NoError(t, err)
	_, err = rootIAM.ListOrganizationsFeatures(ctx, &iamsdk.ListOrganizationsFeaturesInput{})
	requireAPIError(t, err, "ServiceAccessNotEnabledException", "")
}

// TestConsolidatedBillingOrganization: an organization with consolidated
// billing only gives no trusted access, and Warden says it does not
// migrate it to all features.
func TestConsolidatedBillingOrganization(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	_, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: otypes.OrganizationFeatureSetConsolidatedBilling})
	require.NoError(t, err)
	_, err = c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")})
	requireReason(t, err, "ConstraintViolationException", "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE")
	_, err = c.EnableAllFeatures(ctx, &organizations.EnableAllFeaturesInput{})
	requireAPIError(t, err, "UnknownOperationException", "")
}
