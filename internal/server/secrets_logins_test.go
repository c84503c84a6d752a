package server_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// TestPasswordsNeverLeak sets, updates and changes passwords, and sends
// passwords that fail validation and the policy, with the log at debug
// level, then looks for every password in the log, the audit trail, the
// database files and the error messages the clients saw.
func TestPasswordsNeverLeak(t *testing.T) {
	dir := t.TempDir()
	var logs bytes.Buffer
	srv := servertest.Start(t, servertest.WithDataDir(dir), servertest.WithLog(&logs))
	ctx := context.Background()
	root := srv.RootIAM()
	passwords := []string{"Leak-check-001!", "Leak-check-002!", "Leak-check-003!", "leak5", "Leak-check-ĀĀĀ!", "Leak-check-wrong!"}
	var seen []string

	c, _ := newUserWithKey(t, srv, "olga")
	_, err := root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{AllowUsersToChangePassword: true})
	require.NoError(t, err)
	_, err = root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("olga"), Password: aws.String(passwords[0])})
	require.NoError(t, err)
	_, err = root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("olga"), Password: aws.String(passwords[1])})
	require.NoError(t, err)
	_, err = c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(passwords[1]), NewPassword: aws.String(passwords[2])})
	require.NoError(t, err)
	for _, in := range []*iam.ChangePasswordInput{
		{OldPassword: aws.String(passwords[2]), NewPassword: aws.String(passwords[3])},
		{OldPassword: aws.String(passwords[2]), NewPassword: aws.String(passwords[4])},
		{OldPassword: aws.String(passwords[5]), NewPassword: aws.String(passwords[0])},
	} {
		_, err = c.ChangePassword(ctx, in)
		require.Error(t, err)
		seen = append(seen, err.Error())
	}

	auditLog, err := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	require.NoError(t, err)
	require.Contains(t, string(auditLog), "ChangePassword")
	require.Contains(t, string(auditLog), "HIDDEN_DUE_TO_SECURITY_REASONS")
	places := map[string]string{"log": logs.String(), "audit": string(auditLog), "errors": strings.Join(seen, "\n")}
	for _, name := range []string{"warden.db", "warden.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		places[name] = string(b)
	}
	for place, text := range places {
		for _, p := range passwords {
			require.NotContains(t, text, p, "a password reached the %s", place)
		}
	}
	require.Contains(t, places["warden.db"]+places["warden.db-wal"], "$argon2id$v=19$m=19456,t=2,p=1$", "the hashes are stored")
}
