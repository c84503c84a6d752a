package server_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// TestRestrictedCredentialsCannotMintWiderOnes: credentials narrowed by a
// session policy (or a policy variable) cannot make credentials without the
// restriction (the MinIO GHSA-jjjj-jwhf-8rgr class).
func TestRestrictedCredentialsCannotMintWiderOnes(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
	require.NoError(t, err)

	t.Run("own keys only, through a policy variable", func(t *testing.T) {
		_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("own-keys"),
			PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": []string{"iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys"},
				"Resource": "arn:aws:iam::123456789012:user/${aws:username}"}))})
		require.NoError(t, err)
		alice := srv.IAM(*key.AccessKeyId, *key.SecretAccessKey)
		_, err = alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
		require.NoError(t, err)
		_, err = alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
		requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::123456789012:user/bob because no identity-based policy allows the iam:CreateAccessKey action")
		_, err = alice.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String("arn:aws:iam::123456789012:policy/anything")})
		requireAPIError(t, err, "AccessDenied", "")
	})

	t.Run("a narrowed role session", func(t *testing.T) {
		trust := policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"})
		adminARN := createRole(t, root, "admin", trust, policyDoc(stmt{"Effect": "Allow", "Action": "*", "Resource": "*"}))
		// A second role that the admin role could assume.
		createRole(t, root, "other", policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": adminARN}, "Action": "sts:AssumeRole"}),
			policyDoc(stmt{"Effect": "Allow", "Action": "*", "Resource": "*"}))
		out, err := srv.STS(*key.AccessKeyId, *key.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String(adminARN), RoleSessionName: aws.String("narrow"),
			Policy: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}))})
		require.NoError(t, err)
		session := sessionIAM(srv, out.Credentials)
		_, err = session.ListUsers(ctx, &iam.ListUsersInput{})
		require.NoError(t, err)
		for name, call := range map[string]func() error{
			"CreateAccessKey": func() error {
				_, err := session.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
				return err
			},
			"PutRolePolicy on itself": func() error {
				_, err := session.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("x"),
					PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "*", "Resource": "*"}))})
				return err
			},
			"CreateUser": func() error {
				_, err := session.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("backdoor")})
				return err
			},
			"AssumeRole chaining": func() error {
				_, err := sessionSTS(srv, out.Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{
					RoleArn: aws.String("arn:aws:iam::123456789012:role/other"), RoleSessionName: aws.String("escape")})
				return err
			},
			"GetSessionToken": func() error {
				_, err := sessionSTS(srv, out.Credentials).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
				return err
			},
			"GetFederationToken": func() error {
				_, err := sessionSTS(srv, out.Credentials).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed"),
					Policy: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "*", "Resource": "*"}))})
				return err
			},
		} {
			t.Run(name, func(t *testing.T) {
				requireAPIError(t, call(), "AccessDenied", "")
			})
		}
	})
}

// TestCrossAccountAssumeRole: a role in account B trusting account A; a
// user of A needs its own identity policy too (both sides must allow).
func TestCrossAccountAssumeRole(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	const acctB, keyB, secretB = "444455556666", "AKIAWARDENTESTROOTB1", "wardenTestRootSecretKeyForAccountB000000"
	svc := srv.Server.IAM()
	_, err := svc.EnsureAccount(ctx, acctB)
	require.NoError(t, err)
	require.NoError(t, svc.ImportRootKey(ctx, acctB, keyB, secretB))
	rootB := srv.IAM(keyB, secretB)
	roleARN := createRole(t, rootB, "shared",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}))
	require.Equal(t, "arn:aws:iam::444455556666:role/shared", roleARN)

	// Account A cannot see account B's entities.
	_, err = srv.RootIAM().GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("shared")})
	requireAPIError(t, err, "NoSuchEntity", "")

	_, key := newUserWithKey(t, srv, "alice")
	alice := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("xacct")}
	_, err = alice.AssumeRole(ctx, in)
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/shared because no identity-based policy allows the sts:AssumeRole action")

	_, err = srv.RootIAM().PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("xacct"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": roleARN}))})
	require.NoError(t, err)
	out, err := alice.AssumeRole(ctx, in)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sts::444455556666:assumed-role/shared/xacct", *out.AssumedRoleUser.Arn)
	id, err := sessionSTS(srv, out.Credentials).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, "444455556666", *id.Account)
	// The session acts in account B.
	list, err := sessionIAM(srv, out.Credentials).ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	require.Empty(t, list.Users, "account B has no users; alice (in A) is not listed")
}
