package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// newUserWithKey creates a user and an access key for it with the root
// client, and returns the user's IAM client and key.
func newUserWithKey(t *testing.T, srv *servertest.Server, name string) (*iam.Client, *types.AccessKey) {
	t.Helper()
	ctx := context.Background()
	root := srv.RootIAM()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	require.NoError(t, err)
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	require.NoError(t, err)
	return srv.IAM(*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey), k.AccessKey
}

// signedPost signs a form with SigV4 as the SDK would and posts it.
func signedPost(t *testing.T, srv *servertest.Server, keyID, secret, service, form string, at time.Time) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(form))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(form))
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), service, "us-east-1", at)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestAuthentication(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	_, key := newUserWithKey(t, srv, "alice")

	t.Run("unsigned", func(t *testing.T) {
		status, body := srv.Post(t, "Action=ListUsers&Version=2010-05-08")
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, body, "<Code>MissingAuthenticationToken</Code>")
		require.Contains(t, body, "<Type>Sender</Type>")
	})
	t.Run("wrong secret", func(t *testing.T) {
		_, err := srv.IAM(*key.AccessKeyId, "not-the-secret-at-all-0000000000000000").ListUsers(ctx, &iam.ListUsersInput{})
		requireAPIError(t, err, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	})
	t.Run("unknown key", func(t *testing.T) {
		_, err := srv.IAM("AKIAUNKNOWNKEY000000", "secret-secret-secret-secret-secret-secre").ListUsers(ctx, &iam.ListUsersInput{})
		requireAPIError(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.")
	})
	t.Run("inactive then active again", func(t *testing.T) {
		root := srv.RootIAM()
		_, err := root.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeInactive})
		require.NoError(t, err)
		_, err = srv.STS(*key.AccessKeyId, *key.SecretAccessKey).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		requireAPIError(t, err, "InvalidClientTokenId", "")
		_, err = root.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeActive})
		require.NoError(t, err)
		_, err = srv.STS(*key.AccessKeyId, *key.SecretAccessKey).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		require.NoError(t, err)
	})
	t.Run("clock window", func(t *testing.T) {
		status, body := signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam",
			"Action=ListUsers&Version=2010-05-08", time.Now().Add(-5*time.Minute-5*time.Second))
		require.Equal(t, http.StatusForbidden, status, body)
		require.Contains(t, body, "<Code>SignatureDoesNotMatch</Code>")
		require.Contains(t, body, "Signature expired")
		status, body = signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam",
			"Action=ListUsers&Version=2010-05-08", time.Now().Add(-4*time.Minute))
		require.Equal(t, http.StatusOK, status, body)
	})
	t.Run("deleted key", func(t *testing.T) {
		root := srv.RootIAM()
		k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
		require.NoError(t, err)
		_, err = root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: k.AccessKey.AccessKeyId})
		require.NoError(t, err)
		_, err = srv.STS(*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		requireAPIError(t, err, "InvalidClientTokenId", "")
	})
}

func TestProtocolErrors(t *testing.T) {
	srv := servertest.Start(t)
	sign := func(form string) (int, string) {
		return signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam", form, time.Now())
	}
	for _, tc := range []struct{ name, form, code string }{
		{"unknown action", "Action=FlyToTheMoon&Version=2010-05-08", "InvalidAction"},
		{"wrong version", "Action=ListUsers&Version=2011-06-15", "InvalidAction"},
		{"no version", "Action=ListUsers", "MissingParameter"},
		{"duplicate parameter", "Action=GetUser&Version=2010-05-08&UserName=a&UserName=b", "ValidationError"},
		{"missing required", "Action=CreateUser&Version=2010-05-08", "ValidationError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := sign(tc.form)
			require.Equal(t, http.StatusBadRequest, status, body)
			require.Contains(t, body, "<Code>"+tc.code+"</Code>")
		})
	}
	t.Run("body too large", func(t *testing.T) {
		form := "Action=ListUsers&Version=2010-05-08&Pad=" + strings.Repeat("a", 2<<20)
		resp, err := http.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(form))
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	})
	t.Run("not a form", func(t *testing.T) {
		resp, err := http.Post(srv.URL+"/", "application/json", strings.NewReader(`{"Action":"ListUsers"}`))
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
	t.Run("sts and iam share the endpoint", func(t *testing.T) {
		status, body := signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "sts", "Action=GetCallerIdentity&Version=2011-06-15", time.Now())
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, body, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`)
		status, body = signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "sts", "Action=ListUsers&Version=2011-06-15", time.Now())
		require.Equal(t, http.StatusBadRequest, status, body)
		require.Contains(t, body, "<Code>InvalidAction</Code>")
	})
}

func TestGetCallerIdentity(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	out, err := srv.RootSTS().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:iam::123456789012:root", *out.Arn)
	require.Equal(t, "123456789012", *out.Account)
	require.Equal(t, "123456789012", *out.UserId)

	_, key := newUserWithKey(t, srv, "alice")
	out, err = srv.STS(*key.AccessKeyId, *key.SecretAccessKey).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err, "no permission is needed")
	require.Equal(t, "arn:aws:iam::123456789012:user/alice", *out.Arn)
	require.True(t, strings.HasPrefix(*out.UserId, "AIDA"))
}

func TestUserWithoutPoliciesIsDenied(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	alice, _ := newUserWithKey(t, srv, "alice")
	_, err := alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/bob because no identity-based policy allows the iam:CreateUser action")
	_, err = alice.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/ because no identity-based policy allows the iam:ListUsers action")
	// Denied before existence is checked: no information leaks.
	_, err = alice.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	requireAPIError(t, err, "AccessDenied", "")
	// Nothing was created.
	_, err = srv.RootIAM().GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})
	requireAPIError(t, err, "NoSuchEntity", "")
}

func TestAccessKeys(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	k1, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(*k1.AccessKey.AccessKeyId, "AKIA"))
	require.Len(t, *k1.AccessKey.AccessKeyId, 20)
	require.Len(t, *k1.AccessKey.SecretAccessKey, 40)
	require.Equal(t, types.StatusTypeActive, k1.AccessKey.Status)
	_, err = root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	_, err = root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	requireAPIError(t, err, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")

	list, err := root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	require.Len(t, list.AccessKeyMetadata, 2)

	_, err = root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
	requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must delete access keys first.")

	last, err := root.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k1.AccessKey.AccessKeyId})
	require.NoError(t, err)
	require.Nil(t, last.AccessKeyLastUsed.LastUsedDate)
	require.Equal(t, "N/A", *last.AccessKeyLastUsed.ServiceName)
	_, err = srv.STS(*k1.AccessKey.AccessKeyId, *k1.AccessKey.SecretAccessKey).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	last, err = root.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k1.AccessKey.AccessKeyId})
	require.NoError(t, err)
	require.NotNil(t, last.AccessKeyLastUsed.LastUsedDate)
	require.Equal(t, "sts", *last.AccessKeyLastUsed.ServiceName)
	require.Equal(t, "alice", *last.UserName)

	_, err = root.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String("AKIANOSUCHKEY0000000"), Status: types.StatusTypeInactive})
	requireAPIError(t, err, "NoSuchEntity", "The Access Key with id AKIANOSUCHKEY0000000 cannot be found.")
	_, err = root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: k1.AccessKey.AccessKeyId})
	requireAPIError(t, err, "NoSuchEntity", "The user with name bob cannot be found.")

	// A user manages its own keys without naming itself, when allowed to.
	alice := srv.IAM(*k1.AccessKey.AccessKeyId, *k1.AccessKey.SecretAccessKey)
	_, err = alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys on resource: arn:aws:iam::123456789012:user/alice because no identity-based policy allows the iam:ListAccessKeys action")
}

func TestAuditTrail(t *testing.T) {
	dir := t.TempDir()
	srv := servertest.Start(t, servertest.WithDataDir(dir))
	ctx := context.Background()
	root := srv.RootIAM()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	alice := srv.IAM(*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey)
	_, err = alice.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "")

	data, err := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	require.Len(t, lines, 3, "one event per request, denied ones included")
	require.Contains(t, lines[0], `"eventName":"CreateUser"`)
	require.Contains(t, lines[0], `"eventSource":"iam.amazonaws.com"`)
	require.Contains(t, lines[0], `"userName":"alice"`)
	require.Contains(t, lines[1], `"eventName":"CreateAccessKey"`)
	require.Contains(t, lines[1], `"secretAccessKey":"HIDDEN_DUE_TO_SECURITY_REASONS"`)
	require.Contains(t, lines[2], `"errorCode":"AccessDenied"`)
	require.Contains(t, lines[2], `"type":"IAMUser"`)
	require.NotContains(t, string(data), *k.AccessKey.SecretAccessKey, "no secret in the audit trail")

	// Secrets are sealed at rest: the database file does not hold them.
	db, err := os.ReadFile(filepath.Join(dir, "warden.db"))
	require.NoError(t, err)
	require.False(t, bytes.Contains(db, []byte(*k.AccessKey.SecretAccessKey)))
	wal, _ := os.ReadFile(filepath.Join(dir, "warden.db-wal"))
	require.False(t, bytes.Contains(wal, []byte(*k.AccessKey.SecretAccessKey)))
}

func TestHealthMetricsAndReset(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, _ := get("/healthz")
	require.Equal(t, 200, status)
	status, _ = get("/readyz")
	require.Equal(t, 200, status)
	_, err := srv.RootIAM().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	status, body := get("/metrics")
	require.Equal(t, 200, status)
	require.Contains(t, body, `warden_requests_total{action="CreateUser",code="OK",service="iam"} 1`)

	resp, err := http.PostForm(srv.URL+"/moto-api/reset", url.Values{})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	list, err := srv.RootIAM().ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err, "the root credentials survive a reset")
	require.Empty(t, list.Users)
}

func TestResetRefusedWithoutDev(t *testing.T) {
	srv := servertest.Start(t, servertest.WithDataDir(t.TempDir()))
	resp, err := http.Post(srv.URL+"/moto-api/reset", "", nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
}

func TestPresignedGet(t *testing.T) {
	srv := servertest.Start(t)
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/?Action=ListUsers&Version=2010-05-08", nil)
	require.NoError(t, err)
	emptySum := sha256.Sum256(nil)
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: servertest.RootAccessKeyID, SecretAccessKey: servertest.RootSecretAccessKey},
		req, hex.EncodeToString(emptySum[:]), "iam", "us-east-1", time.Now())
	require.NoError(t, err)
	resp, err := http.Get(signed)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Contains(t, string(body), "<ListUsersResponse")

	// The same URL with another action is not what was signed.
	tampered := strings.Replace(signed, "Action=ListUsers", "Action=ListRoles", 1)
	resp2, err := http.Get(tampered)
	require.NoError(t, err)
	defer resp2.Body.Close()
	require.Equal(t, http.StatusForbidden, resp2.StatusCode)
}

// signedPostWithToken signs a form with temporary credentials at a given time.
func signedPostWithToken(t *testing.T, srv *servertest.Server, c *ststypes.Credentials, service, form string, at time.Time) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(form))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(form))
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken},
		req, hex.EncodeToString(sum[:]), service, "us-east-1", at)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
