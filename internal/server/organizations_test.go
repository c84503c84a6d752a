package server_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

func rootOrgs(srv *servertest.Server) *organizations.Client {
	return organizations.NewFromConfig(srv.Config(servertest.RootAccessKeyID, servertest.RootSecretAccessKey))
}

func TestOrganizationSmoke(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	_, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	out, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	require.NoError(t, err)
	require.Equal(t, "123456789012", aws.ToString(out.Organization.MasterAccountId))
}
