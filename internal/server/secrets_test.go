package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// TestSecretsNeverLeak runs the operations that handle secrets with the
// log at debug level, then looks for every secret in every log line, the
// audit trail, the metrics, the database files and the error messages the
// clients saw (RELIABILITY 31, 32, 33).
func TestSecretsNeverLeak(t *testing.T) {
	dir := t.TempDir()
	var logs bytes.Buffer
	srv := servertest.Start(t, servertest.WithDataDir(dir), servertest.WithLog(&logs))
	ctx := context.Background()
	root := srv.RootIAM()
	var secrets, seen []string

	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	secrets = append(secrets, *k.AccessKey.SecretAccessKey)

	// The secret is returned once: no later answer carries it.
	list, err := root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	require.Len(t, list.AccessKeyMetadata, 1)

	roleARN := createRole(t, root, "r",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"}), nil)
	alice := srv.STS(*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey)
	out, err := alice.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("leak-check")})
	require.NoError(t, err)
	secrets = append(secrets, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
	gs, err := alice.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	require.NoError(t, err)
	secrets = append(secrets, *gs.Credentials.SecretAccessKey, *gs.Credentials.SessionToken)

	mfa, err := root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice-mfa")})
	require.NoError(t, err)
	secrets = append(secrets, string(mfa.VirtualMFADevice.Base32StringSeed))

	// Failing calls with secrets: a wrong secret, a tampered token.
	_, err = srv.IAM(*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey+"x").ListUsers(ctx, &iam.ListUsersInput{})
	require.Error(t, err)
	seen = append(seen, err.Error())
	bad := *out.Credentials
	bad.SessionToken = aws.String(*bad.SessionToken + "AAAA")
	_, err = sessionSTS(srv, &bad).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.Error(t, err)
	seen = append(seen, err.Error())

	resp, err := http.Get(srv.URL + "/metrics")
	require.NoError(t, err)
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	auditLog, err := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	require.NoError(t, err)
	require.Contains(t, string(auditLog), "HIDDEN_DUE_TO_SECURITY_REASONS")
	places := map[string]string{
		"log":     logs.String(),
		"audit":   string(auditLog),
		"metrics": string(metrics),
		"errors":  strings.Join(seen, "\n"),
	}
	for _, name := range []string{"warden.db", "warden.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		places[name] = string(b)
	}
	for place, text := range places {
		for _, s := range secrets {
			require.NotContains(t, text, s, "a secret reached the %s", place)
		}
	}
	require.NotEmpty(t, logs.String(), "the debug log was captured")
}
