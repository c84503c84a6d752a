package server_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// TestAccountsAreIsolated: each account's IAM API shows only its own
// entities, even to an administrator of another account of the same
// organization; names, ARNs and keys of one account reach nothing of
// another, and crossing over takes a role the other account trusts.
func TestAccountsAreIsolated(t *testing.T) {
	env := orgSetup(t)
	ctx := context.Background()
	adminA := iam.NewFromConfig(env.user(t, memberA, "admin", adminDoc))
	adminB := iam.NewFromConfig(env.user(t, memberB, "admin", adminDoc))
	_, err := adminB.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("only-in-b")})
	require.NoError(t, err)
	_, err = adminB.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("b-policy"), PolicyDocument: aws.String(adminDoc)})
	require.NoError(t, err)

	// Lists and reads name the caller's account only.
	users, err := adminA.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	require.Len(t, users.Users, 1)
	require.Equal(t, "arn:aws:iam::"+memberA+":user/admin", *users.Users[0].Arn)
	_, err = adminA.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("only-in-b")})
	requireAPIError(t, err, "NoSuchEntity", "The user with name only-in-b cannot be found.")
	roles, err := adminA.ListRoles(ctx, &iam.ListRolesInput{})
	require.NoError(t, err)
	for _, r := range roles.Roles {
		require.Contains(t, *r.Arn, ":"+memberA+":", "a role of another account was listed")
	}

	// Another account's customer managed policy is neither readable nor
	// attachable, and a change aimed at it is denied as cross-account.
	bPolicy := "arn:aws:iam::" + memberB + ":policy/b-policy"
	_, err = adminA.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(bPolicy)})
	requireAPIError(t, err, "NoSuchEntity", "Policy "+bPolicy+" does not exist or is not attachable.")
	_, err = adminA.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(bPolicy)})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::"+memberA+":user/admin is not authorized to perform: iam:DeletePolicy on resource: "+bPolicy+" because no resource-based policy allows the iam:DeletePolicy action")
	_, err = adminA.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(bPolicy)})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::"+memberA+":user/admin is not authorized to perform: iam:GetPolicy on resource: "+bPolicy+" because no resource-based policy allows the iam:GetPolicy action")
	_, err = adminB.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(bPolicy)})
	require.NoError(t, err, "the policy is still there")

	// Crossing over takes a role of the other account that trusts the caller.
	stsA := sts.NewFromConfig(env.user(t, memberA, "crosser", adminDoc))
	_, err = stsA.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + memberB + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("s1")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::"+memberA+":user/crosser is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::"+memberB+":role/OrganizationAccountAccessRole because no role trust policy allows the sts:AssumeRole action")
	env.role(t, memberB, "from-a", trustAccounts(memberA), adminDoc)
	out, err := stsA.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + memberB + ":role/from-a"), RoleSessionName: aws.String("s1")})
	require.NoError(t, err)
	inB := sessionIAM(env.srv, out.Credentials)
	got, err := inB.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("only-in-b")})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:iam::"+memberB+":user/only-in-b", *got.User.Arn)
}
