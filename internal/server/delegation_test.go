package server_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// Temporary delegation needs a partner onboarded by AWS, so in Warden no
// caller may create a delegation request and none exists.
// AWS behaviour: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateDelegationRequest.html
// ("This API is not available for general use").
func TestDelegationRequests(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	const id = "dr-0123456789abcdef"
	notFound := "The delegation request with id " + id + " cannot be found."

	create := func(mod func(*iam.CreateDelegationRequestInput)) error {
		in := &iam.CreateDelegationRequestInput{Description: aws.String("deploy"), NotificationChannel: aws.String("arn:aws:sns:us-east-1:111122223333:partner"),
			Permissions:         &iamtypes.DelegationPermission{PolicyTemplateArn: aws.String("arn:aws:iam::111122223333:delegation-template/deploy")},
			RequestorWorkflowId: aws.String("wf-1"), SessionDuration: aws.Int32(3600), OwnerAccountId: aws.String("123456789012")}
		if mod != nil {
			mod(in)
		}
		_, err := root.CreateDelegationRequest(ctx, in)
		return err
	}
	t.Run("create", func(t *testing.T) {
		requireAPIError(t, create(nil), "AccessDenied", "User: arn:aws:iam::123456789012:root is not authorized to perform: iam:CreateDelegationRequest because the account is not onboarded as a temporary delegation partner")
		requireAPIError(t, create(func(in *iam.CreateDelegationRequestInput) {
			in.NotificationChannel = aws.String("https://example.com/hook")
		}),
			"ValidationError", "1 validation error detected: Value 'https://example.com/hook' at 'notificationChannel' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:_.-]+$")
		requireAPIError(t, create(func(in *iam.CreateDelegationRequestInput) { in.OwnerAccountId = aws.String("12345") }),
			"ValidationError", "1 validation error detected: Value '12345' at 'ownerAccountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}")
		requireAPIError(t, create(func(in *iam.CreateDelegationRequestInput) { in.Permissions.PolicyTemplateArn = nil }),
			"ValidationError", "1 validation error detected: Value null at 'permissions.policyTemplateArn' failed to satisfy constraint: Member must not be null")
	})

	t.Run("list", func(t *testing.T) {
		out, err := root.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{})
		require.NoError(t, err)
		require.Empty(t, out.DelegationRequests)
		require.False(t, out.IsTruncated)
		out, err = root.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{OwnerId: aws.String("arn:aws:iam::123456789012:user/alice"), MaxItems: aws.Int32(10)})
		require.NoError(t, err)
		require.Empty(t, out.DelegationRequests)
		_, err = root.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{OwnerId: aws.String("arn:aws:iam::123456789012:user/al ice")})
		requireAPIError(t, err, "ValidationError", "1 validation error detected: Value 'arn:aws:iam::123456789012:user/al ice' at 'ownerId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/+=,.@_-]+$")
		_, err = root.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{Marker: aws.String("m")})
		requireAPIError(t, err, "ValidationError", "Invalid Marker: the value was not returned by a previous call.")
	})

	for _, tc := range []struct {
		name string
		call func(id string) error
	}{
		{"get", func(id string) error {
			_, err := root.GetDelegationRequest(ctx, &iam.GetDelegationRequestInput{DelegationRequestId: aws.String(id), DelegationPermissionCheck: true})
			return err
		}},
		{"accept", func(id string) error {
			_, err := root.AcceptDelegationRequest(ctx, &iam.AcceptDelegationRequestInput{DelegationRequestId: aws.String(id)})
			return err
		}},
		{"associate", func(id string) error {
			_, err := root.AssociateDelegationRequest(ctx, &iam.AssociateDelegationRequestInput{DelegationRequestId: aws.String(id)})
			return err
		}},
		{"send", func(id string) error {
			_, err := root.SendDelegationToken(ctx, &iam.SendDelegationTokenInput{DelegationRequestId: aws.String(id)})
			return err
		}},
		{"reject", func(id string) error {
			_, err := root.RejectDelegationRequest(ctx, &iam.RejectDelegationRequestInput{DelegationRequestId: aws.String(id), Notes: aws.String("no")})
			return err
		}},
		{"update", func(id string) error {
			_, err := root.UpdateDelegationRequest(ctx, &iam.UpdateDelegationRequestInput{DelegationRequestId: aws.String(id), Notes: aws.String("more")})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireAPIError(t, tc.call(id), "NoSuchEntity", notFound)
			requireAPIError(t, tc.call("short"), "ValidationError", "1 validation error detected: Value 'short' at 'delegationRequestId' failed to satisfy constraint: Member must have length greater than or equal to 16")
			requireAPIError(t, tc.call("dr-0123456789abc/ef"), "ValidationError", "1 validation error detected: Value 'dr-0123456789abc/ef' at 'delegationRequestId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+")
		})
	}

	t.Run("summary", func(t *testing.T) {
		_, err := root.GetHumanReadableSummary(ctx, &iam.GetHumanReadableSummaryInput{EntityArn: aws.String("arn:aws:iam::123456789012:delegation-request/" + id), Locale: aws.String("en")})
		requireAPIError(t, err, "NoSuchEntity", notFound)
		_, err = root.GetHumanReadableSummary(ctx, &iam.GetHumanReadableSummaryInput{EntityArn: aws.String("arn:aws:iam::123456789012:role/admin")})
		requireAPIError(t, err, "InvalidInput", "The entity arn:aws:iam::123456789012:role/admin is not supported. At this time, the only supported entity type is delegation-request.")
	})

	t.Run("authorized", func(t *testing.T) {
		alice, _ := newUserWithKey(t, srv, "alice")
		_, err := alice.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{})
		requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListDelegationRequests because no identity-based policy allows the iam:ListDelegationRequests action")
	})
}

// Role templates are published by AWS; Warden publishes none.
// AWS behaviour: https://docs.aws.amazon.com/IAM/latest/APIReference/API_AcquireRole.html
func TestRoleTemplates(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	const tmpl = "arn:aws:iam::aws:role-template/ReadOnly"
	_, err := root.GetRoleTemplateVersion(ctx, &iam.GetRoleTemplateVersionInput{TemplateArn: aws.String(tmpl), MinorVersion: aws.Int32(2)})
	requireAPIError(t, err, "NoSuchEntity", "The role template with ARN "+tmpl+" cannot be found.")
	_, err = root.AcquireRole(ctx, &iam.AcquireRoleInput{TemplateArn: aws.String(tmpl),
		ReplacementValues: map[string]iamtypes.ReplacementValueEntry{"Name": {Values: []string{"x"}}}})
	requireAPIError(t, err, "NoSuchEntity", "The role template with ARN "+tmpl+" cannot be found.")
	_, err = root.AcquireRole(ctx, &iam.AcquireRoleInput{TemplateArn: aws.String("not-an-arn-but-long-enough")})
	requireAPIError(t, err, "InvalidInput", "ARN not-an-arn-but-long-enough is not valid.")
	_, err = root.GetRoleTemplateVersion(ctx, &iam.GetRoleTemplateVersionInput{TemplateArn: aws.String("arn:short")})
	requireAPIError(t, err, "ValidationError", "1 validation error detected: Value 'arn:short' at 'templateArn' failed to satisfy constraint: Member must have length greater than or equal to 20")
	out, err := root.ListRoles(ctx, &iam.ListRolesInput{})
	require.NoError(t, err)
	require.Empty(t, out.Roles, "no role was created")
}
