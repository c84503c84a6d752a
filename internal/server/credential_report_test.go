package server_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// reportTime is the report's time format.
func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

func TestCredentialReport(t *testing.T) {
	clock := newMFAClock()
	srv := servertest.Start(t, servertest.WithClock(clock.now))
	ctx := context.Background()
	root := srv.RootIAM()

	_, err := root.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	requireAPIError(t, err, "ReportNotPresent", "Credential report not present. To generate a credential report, use GenerateCredentialReport.")

	// ann: a password, an MFA device, two keys (the first used, the second
	// inactive) and a certificate, under a policy that rotates passwords.
	_, err = root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MaxPasswordAge: aws.Int32(90)})
	require.NoError(t, err)
	// The clock moves a step between events, so that every time column
	// holds a different time.
	tick := func() { clock.off.Add(1) }
	_, key1 := newUserWithKey(t, srv, "ann")
	tick()
	_, err = srv.STS(*key1.AccessKeyId, *key1.SecretAccessKey).GetCallerIdentity(ctx, nil)
	require.NoError(t, err)
	tick()
	key2, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ann")})
	require.NoError(t, err)
	_, err = root.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("ann"), AccessKeyId: key2.AccessKey.AccessKeyId, Status: types.StatusTypeInactive})
	require.NoError(t, err)
	tick()
	_, err = root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("ann"), Password: aws.String(goodPassword)})
	require.NoError(t, err)
	tick()
	serial, seed := mfaCreate(t, root, "ann-mfa")
	mfaEnable(t, root, clock, "ann", serial, seed)
	tick()
	cert, err := root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("ann"), CertificateBody: aws.String(validCertPEM(t))})
	require.NoError(t, err)
	// ben: nothing but himself.
	_, err = root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ben"), Path: aws.String("/staff/")})
	require.NoError(t, err)

	tick()
	gen, err := root.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	require.NoError(t, err)
	require.Equal(t, types.ReportStateTypeStarted, gen.State)
	gen, err = root.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	require.NoError(t, err)
	require.Equal(t, types.ReportStateTypeComplete, gen.State, "a report younger than four hours is reused")

	out, err := root.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	require.NoError(t, err)
	require.Equal(t, types.ReportFormatTypeTextCsv, out.ReportFormat)
	require.WithinDuration(t, clock.now(), *out.GeneratedTime, time.Minute)
	rows, err := csv.NewReader(strings.NewReader(string(out.Content))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4, "the header, the root user, ann, ben")

	// Expected values come from the API.
	annUser, err := root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ann")})
	require.NoError(t, err)
	benUser, err := root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ben")})
	require.NoError(t, err)
	annKeys, err := root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("ann")})
	require.NoError(t, err)
	require.Len(t, annKeys.AccessKeyMetadata, 2)
	k1 := annKeys.AccessKeyMetadata[0]
	require.Equal(t, *key1.AccessKeyId, *k1.AccessKeyId)
	k1Used, err := root.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: key1.AccessKeyId})
	require.NoError(t, err)
	lp, err := root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("ann")})
	require.NoError(t, err)
	rootKeys, err := root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	require.NoError(t, err)
	require.Len(t, rootKeys.AccessKeyMetadata, 1)
	rootUsed, err := root.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: rootKeys.AccessKeyMetadata[0].AccessKeyId})
	require.NoError(t, err)

	header := []string{"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
		"password_last_changed", "password_next_rotation", "mfa_active",
		"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
		"access_key_1_last_used_region", "access_key_1_last_used_service",
		"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
		"access_key_2_last_used_region", "access_key_2_last_used_service",
		"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated"}
	require.Equal(t, header, rows[0])

	acctID := servertest.AccountID
	want := [][]string{
		{"<root_account>", "arn:aws:iam::" + acctID + ":root", rows[1][2], "not_supported", "no_information",
			"not_supported", "not_supported", "false",
			"true", reportTime(*rootKeys.AccessKeyMetadata[0].CreateDate), reportTime(*rootUsed.AccessKeyLastUsed.LastUsedDate),
			*rootUsed.AccessKeyLastUsed.Region, *rootUsed.AccessKeyLastUsed.ServiceName,
			"false", "N/A", "N/A", "N/A", "N/A",
			"false", "N/A", "false", "N/A"},
		{"ann", "arn:aws:iam::" + acctID + ":user/ann", reportTime(*annUser.User.CreateDate), "true", "no_information",
			reportTime(*lp.LoginProfile.CreateDate), reportTime(lp.LoginProfile.CreateDate.AddDate(0, 0, 90)), "true",
			"true", reportTime(*k1.CreateDate), reportTime(*k1Used.AccessKeyLastUsed.LastUsedDate), "us-east-1", "sts",
			"false", reportTime(*key2.AccessKey.CreateDate), "N/A", "N/A", "N/A",
			"true", reportTime(*cert.Certificate.UploadDate), "false", "N/A"},
		{"ben", "arn:aws:iam::" + acctID + ":user/staff/ben", reportTime(*benUser.User.CreateDate), "false", "N/A",
			"N/A", "N/A", "false",
			"false", "N/A", "N/A", "N/A", "N/A",
			"false", "N/A", "N/A", "N/A", "N/A",
			"false", "N/A", "false", "N/A"},
	}
	for i, w := range want {
		got := rows[i+1]
		require.Len(t, got, len(header), "row %d", i+1)
		for j, col := range header {
			require.Equal(t, w[j], got[j], "row %s, column %s", w[0], col)
		}
	}
	_, err = time.Parse(time.RFC3339, rows[1][2])
	require.NoError(t, err, "the root user's creation time is a time")
	require.Equal(t, "iam", *rootUsed.AccessKeyLastUsed.ServiceName, "the root key signed these IAM calls")
}

func TestCredentialReportPermissions(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	c, _ := newUserWithKey(t, srv, "ivy")
	_, err := c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	requireAPIError(t, err, "AccessDenied", "")
	_, err = c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	requireAPIError(t, err, "AccessDenied", "")
}

// TestCredentialReportOnEveryNode: a report generated on one node is
// served by another, and a password set through one verifies on the other.
func TestCredentialReportOnEveryNode(t *testing.T) {
	db := testDatabase(t)
	a := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	b := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	ctx := context.Background()
	_, err := a.RootIAM().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("nora")})
	require.NoError(t, err)
	_, err = a.RootIAM().CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("nora"), Password: aws.String(goodPassword)})
	require.NoError(t, err)
	gen, err := a.RootIAM().GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	require.NoError(t, err)
	require.Equal(t, types.ReportStateTypeStarted, gen.State)

	out, err := b.RootIAM().GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	require.NoError(t, err)
	require.Contains(t, string(out.Content), "\nnora,arn:aws:iam::"+servertest.AccountID+":user/nora,")
	gen, err = b.RootIAM().GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	require.NoError(t, err)
	require.Equal(t, types.ReportStateTypeComplete, gen.State, "node b reuses node a's report")

	res, err := b.Server.IAM().VerifyConsolePassword(ctx, servertest.AccountID, "nora", goodPassword)
	require.NoError(t, err)
	require.Equal(t, "nora", res.UserName)
}
