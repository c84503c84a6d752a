package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

func doc(t *testing.T, v any) *string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return aws.String(string(b))
}

type stmt = map[string]any

func policyDoc(statements ...stmt) map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": statements}
}

// createRole creates a role with a trust policy and an inline policy.
func createRole(t *testing.T, c *iam.Client, name string, trust, perms map[string]any) string {
	t.Helper()
	ctx := context.Background()
	out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: doc(t, trust)})
	require.NoError(t, err)
	if perms != nil {
		_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("perms"), PolicyDocument: doc(t, perms)})
		require.NoError(t, err)
	}
	return *out.Role.Arn
}

func sessionIAM(srv *servertest.Server, c *ststypes.Credentials) *iam.Client {
	cfg := srv.Config(*c.AccessKeyId, *c.SecretAccessKey)
	cfg.Credentials = staticSession(c)
	return iam.NewFromConfig(cfg)
}

func sessionSTS(srv *servertest.Server, c *ststypes.Credentials) *sts.Client {
	cfg := srv.Config(*c.AccessKeyId, *c.SecretAccessKey)
	cfg.Credentials = staticSession(c)
	return sts.NewFromConfig(cfg)
}

func staticSession(c *ststypes.Credentials) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}, nil
	})
}

func TestAssumeRoleSameAccount(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	aliceSTS := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)

	roleARN := createRole(t, root, "reader",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:List*", "Resource": "*"}))

	// The trust policy names alice herself: no identity policy is needed.
	out, err := aliceSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("alice-session")})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(*out.Credentials.AccessKeyId, "ASIA"), *out.Credentials.AccessKeyId)
	require.Equal(t, "arn:aws:sts::123456789012:assumed-role/reader/alice-session", *out.AssumedRoleUser.Arn)
	require.True(t, strings.HasPrefix(*out.AssumedRoleUser.AssumedRoleId, "AROA"))
	require.True(t, strings.HasSuffix(*out.AssumedRoleUser.AssumedRoleId, ":alice-session"))
	require.WithinDuration(t, time.Now().Add(time.Hour), *out.Credentials.Expiration, time.Minute)

	id, err := sessionSTS(srv, out.Credentials).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, *out.AssumedRoleUser.Arn, *id.Arn)
	require.Equal(t, *out.AssumedRoleUser.AssumedRoleId, *id.UserId)

	session := sessionIAM(srv, out.Credentials)
	_, err = session.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err, "the role's policy allows iam:List*")
	_, err = session.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/reader/alice-session is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/mallory because no identity-based policy allows the iam:CreateUser action")

	// Another user, not named in the trust policy, is refused.
	_, bobKey := newUserWithKey(t, srv, "bob")
	_, err = srv.STS(*bobKey.AccessKeyId, *bobKey.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/reader because no role trust policy allows the sts:AssumeRole action")

	// An absent role is refused the same way, revealing nothing.
	_, err = aliceSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/nope"), RoleSessionName: aws.String("s1")})
	requireAPIError(t, err, "AccessDenied", "")

	// The root user cannot assume roles.
	_, err = srv.RootSTS().AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1")})
	requireAPIError(t, err, "AccessDenied", "Roles may not be assumed by root accounts.")

	// The role's last use is recorded.
	got, err := root.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("reader")})
	require.NoError(t, err)
	require.NotNil(t, got.Role.RoleLastUsed)
	require.NotNil(t, got.Role.RoleLastUsed.LastUsedDate)
}

func TestAssumeRoleTrustingTheAccountNeedsAnIdentityAllow(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	alice := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	roleARN := createRole(t, root, "ops",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "123456789012"}, "Action": "sts:AssumeRole",
			"Condition": stmt{"StringEquals": stmt{"sts:ExternalId": "xyz-123"}}}), nil)

	in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1"), ExternalId: aws.String("xyz-123")}
	_, err := alice.AssumeRole(ctx, in)
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/ops because no identity-based policy allows the sts:AssumeRole action")

	_, err = root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("assume"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": roleARN}))})
	require.NoError(t, err)
	_, err = alice.AssumeRole(ctx, in)
	require.NoError(t, err)

	in.ExternalId = aws.String("wrong-id")
	_, err = alice.AssumeRole(ctx, in)
	requireAPIError(t, err, "AccessDenied", "")
}

func TestAssumeRoleDurationsAndChaining(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	alice := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	trustAlice := policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"})
	first := createRole(t, root, "first", trustAlice, policyDoc(stmt{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}))
	second := createRole(t, root, "second", policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": first}, "Action": "sts:AssumeRole"}), nil)
	_, err := root.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("second"), MaxSessionDuration: aws.Int32(7200)})
	require.NoError(t, err)

	_, err = alice.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(first), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(7200)})
	requireAPIError(t, err, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	_, err = alice.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(first), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(600)})
	requireAPIError(t, err, "ValidationError", "")

	out, err := alice.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(first), RoleSessionName: aws.String("hop1")})
	require.NoError(t, err)
	hop := sessionSTS(srv, out.Credentials)
	// Role chaining: the trust policy of "second" names the role "first",
	// which stands for its sessions.
	_, err = hop.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(second), RoleSessionName: aws.String("hop2"), DurationSeconds: aws.Int32(7200)})
	requireAPIError(t, err, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	out2, err := hop.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(second), RoleSessionName: aws.String("hop2")})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sts::123456789012:assumed-role/second/hop2", *out2.AssumedRoleUser.Arn)
}

func TestSessionPoliciesNarrow(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	roleARN := createRole(t, root, "lister",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:List*", "Resource": "*"}))
	out, err := srv.STS(*key.AccessKeyId, *key.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(roleARN), RoleSessionName: aws.String("narrow"),
		Policy: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}))})
	require.NoError(t, err)
	session := sessionIAM(srv, out.Credentials)
	_, err = session.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	_, err = session.ListRoles(ctx, &iam.ListRolesInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/lister/narrow is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/ because no session policy allows the iam:ListRoles action")

	// A session policy cannot widen: CreateUser is in neither.
	out, err = srv.STS(*key.AccessKeyId, *key.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(roleARN), RoleSessionName: aws.String("wide"),
		Policy: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "*", "Resource": "*"}))})
	require.NoError(t, err)
	_, err = sessionIAM(srv, out.Credentials).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "")

	_, err = srv.STS(*key.AccessKeyId, *key.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(roleARN), RoleSessionName: aws.String("bad"), Policy: aws.String(`{"Version":"2012-10-17"}`)})
	requireAPIError(t, err, "MalformedPolicyDocument", "")
}

func TestSessionTagsAndRevocation(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	alice := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	trust := policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": []string{"sts:AssumeRole"}})
	roleARN := createRole(t, root, "tagged", trust,
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*", "Condition": stmt{"StringEquals": stmt{"aws:PrincipalTag/team": "red"}}}))

	tags := []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("red")}}
	_, err := alice.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("t1"), Tags: tags})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:TagSession on resource: arn:aws:iam::123456789012:role/tagged because no role trust policy allows the sts:TagSession action")

	trust["Statement"].([]stmt)[0]["Action"] = []string{"sts:AssumeRole", "sts:TagSession"}
	_, err = root.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("tagged"), PolicyDocument: doc(t, trust)})
	require.NoError(t, err)
	out, err := alice.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("t1"), Tags: tags})
	require.NoError(t, err)
	session := sessionIAM(srv, out.Credentials)
	_, err = session.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err, "aws:PrincipalTag/team comes from the session tag")

	// Revoke older sessions the AWS way: an inline deny on aws:TokenIssueTime.
	cutoff := time.Now().UTC().Add(time.Second).Format(time.RFC3339)
	_, err = root.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("tagged"), PolicyName: aws.String("AWSRevokeOlderSessions"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": stmt{"DateLessThan": stmt{"aws:TokenIssueTime": cutoff}}}))})
	require.NoError(t, err)
	_, err = session.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/tagged/t1 is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/ with an explicit deny in an identity-based policy")
}

func TestSessionTokenIntegrity(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	srv := servertest.Start(t, servertest.WithClock(clock))
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	roleARN := createRole(t, root, "r",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"}), nil)
	out, err := srv.STS(*key.AccessKeyId, *key.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(900)})
	require.NoError(t, err)

	tampered := *out.Credentials
	tok := []byte(*tampered.SessionToken)
	tok[len(tok)/2] ^= 1
	tampered.SessionToken = aws.String(string(tok))
	_, err = sessionSTS(srv, &tampered).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	requireAPIError(t, err, "InvalidClientTokenId", "")

	other := *out.Credentials
	other.AccessKeyId = aws.String("ASIAOTHERKEY00000000")
	_, err = sessionSTS(srv, &other).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	requireAPIError(t, err, "InvalidClientTokenId", "")

	// Past its expiry the token is refused as expired (the request is
	// signed at the server's time, so the signature window is not the issue).
	now.Add(int64(16 * time.Minute))
	status, body := signedPostWithToken(t, srv, out.Credentials, "sts", "Action=GetCallerIdentity&Version=2011-06-15", clock())
	require.Equal(t, 403, status, body)
	require.Contains(t, body, "<Code>ExpiredToken</Code>")

	// A deleted role's sessions end with it.
	now.Store(time.Now().UnixNano())
	out, err = srv.STS(*key.AccessKeyId, *key.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s2")})
	require.NoError(t, err)
	_, err = root.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("r")})
	require.NoError(t, err)
	_, err = sessionSTS(srv, out.Credentials).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	requireAPIError(t, err, "InvalidClientTokenId", "")
}

func TestGetSessionToken(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	_, key := newUserWithKey(t, srv, "alice")
	out, err := srv.STS(*key.AccessKeyId, *key.SecretAccessKey).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(1800)})
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(30*time.Minute), *out.Credentials.Expiration, time.Minute)
	id, err := sessionSTS(srv, out.Credentials).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:iam::123456789012:user/alice", *id.Arn)
	// AWS behaviour: without MFA, GetSessionToken credentials call no IAM action.
	_, err = sessionIAM(srv, out.Credentials).ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "InvalidClientTokenId", "")
	_, err = sessionSTS(srv, out.Credentials).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	requireAPIError(t, err, "AccessDenied", "")
	_, err = srv.STS(*key.AccessKeyId, *key.SecretAccessKey).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(200000)})
	requireAPIError(t, err, "ValidationError", "")
	_, err = srv.RootSTS().GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)})
	requireAPIError(t, err, "ValidationError", "")
	_, err = srv.STS(*key.AccessKeyId, *key.SecretAccessKey).GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/alice"), TokenCode: aws.String("123456")})
	requireAPIError(t, err, "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
}

func TestGetFederationToken(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	alice := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	in := &sts.GetFederationTokenInput{Name: aws.String("bob"), Policy: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}))}
	_, err := alice.GetFederationToken(ctx, in)
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::123456789012:federated-user/bob because no identity-based policy allows the sts:GetFederationToken action")
	_, err = root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("fed"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": []string{"sts:GetFederationToken", "iam:ListUsers"}, "Resource": "*"}))})
	require.NoError(t, err)
	out, err := alice.GetFederationToken(ctx, in)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sts::123456789012:federated-user/bob", *out.FederatedUser.Arn)
	require.Equal(t, "123456789012:bob", *out.FederatedUser.FederatedUserId)
	id, err := sessionSTS(srv, out.Credentials).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sts::123456789012:federated-user/bob", *id.Arn)
	// No IAM call, whatever the policies say.
	_, err = sessionIAM(srv, out.Credentials).ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "")
	_, err = sessionSTS(srv, out.Credentials).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	requireAPIError(t, err, "AccessDenied", "")
}

func TestGetAccessKeyInfo(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	_, key := newUserWithKey(t, srv, "alice")
	out, err := srv.RootSTS().GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: key.AccessKeyId})
	require.NoError(t, err)
	require.Equal(t, "123456789012", *out.Account)
	out, err = srv.RootSTS().GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(servertest.RootAccessKeyID)})
	require.NoError(t, err)
	require.Equal(t, "123456789012", *out.Account)
}

// A role session that leaves out UserName on an action on a user's
// credentials gets AWS's ValidationError; it never reaches the root user's
// access keys, even with iam:* on everything.
func TestRoleSessionMustNameTheUser(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	roleARN := createRole(t, root, "admin",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}))
	out, err := srv.STS(*key.AccessKeyId, *key.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1")})
	require.NoError(t, err)
	session := sessionIAM(srv, out.Credentials)
	const msg = "Must specify userName when calling with non-User credentials"

	rootKeys, err := root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	require.NoError(t, err)
	_, err = session.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	requireAPIError(t, err, "ValidationError", msg)
	_, err = session.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	requireAPIError(t, err, "ValidationError", msg)
	_, err = session.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: rootKeys.AccessKeyMetadata[0].AccessKeyId, Status: "Inactive"})
	requireAPIError(t, err, "ValidationError", msg)
	_, err = session.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: rootKeys.AccessKeyMetadata[0].AccessKeyId})
	requireAPIError(t, err, "ValidationError", msg)
	_, err = session.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{})
	requireAPIError(t, err, "ValidationError", msg)
	_, err = session.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{})
	requireAPIError(t, err, "ValidationError", msg)
	_, err = session.ListMFADevices(ctx, &iam.ListMFADevicesInput{})
	requireAPIError(t, err, "ValidationError", msg)

	// The root user's keys are untouched; naming a user still works.
	after, err := root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	require.NoError(t, err)
	require.Equal(t, rootKeys.AccessKeyMetadata, after.AccessKeyMetadata)
	got, err := session.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	require.Len(t, got.AccessKeyMetadata, 1)
}
