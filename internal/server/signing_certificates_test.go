package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// testCertPEM makes a self-signed P-256 certificate valid between the two
// times, in PEM.
func testCertPEM(t *testing.T, notBefore, notAfter time.Time) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "signing"}, NotBefore: notBefore, NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func validCertPEM(t *testing.T) string {
	return testCertPEM(t, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
}

func TestSigningCertificates(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("gina")})
	require.NoError(t, err)
	body1, body2 := validCertPEM(t), validCertPEM(t)

	var id1 string
	t.Run("upload", func(t *testing.T) {
		out, err := root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("GINA"), CertificateBody: aws.String(body1)})
		require.NoError(t, err)
		c := out.Certificate
		require.Equal(t, "gina", *c.UserName)
		require.Equal(t, types.StatusTypeActive, c.Status)
		require.Equal(t, body1, *c.CertificateBody)
		require.Regexp(t, `^[A-Z2-7]{32}$`, *c.CertificateId)
		require.WithinDuration(t, time.Now(), *c.UploadDate, time.Minute)
		id1 = *c.CertificateId
		_, err = root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String("gina"), CertificateBody: aws.String(body2)})
		require.NoError(t, err)
	})
	t.Run("list", func(t *testing.T) {
		out, err := root.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("gina")})
		require.NoError(t, err)
		require.Len(t, out.Certificates, 2)
		require.Equal(t, id1, *out.Certificates[0].CertificateId, "oldest first")
		require.False(t, out.IsTruncated)

		page1, err := root.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("gina"), MaxItems: aws.Int32(1)})
		require.NoError(t, err)
		require.Len(t, page1.Certificates, 1)
		require.True(t, page1.IsTruncated)
		page2, err := root.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("gina"), MaxItems: aws.Int32(1), Marker: page1.Marker})
		require.NoError(t, err)
		require.Len(t, page2.Certificates, 1)
		require.False(t, page2.IsTruncated)
		require.Equal(t, *out.Certificates[1].CertificateId, *page2.Certificates[0].CertificateId)
		_, err = root.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("gina"), Marker: aws.String("not-a-marker")})
		requireAPIError(t, err, "ValidationError", "Invalid Marker: the value was not returned by a previous call.")
	})
	t.Run("update", func(t *testing.T) {
		_, err := root.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: aws.String("gina"),
			CertificateId: aws.String(id1), Status: types.StatusTypeInactive})
		require.NoError(t, err)
		out, err := root.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("gina")})
		require.NoError(t, err)
		require.Equal(t, types.StatusTypeInactive, out.Certificates[0].Status)
	})
	t.Run("the root user's own", func(t *testing.T) {
		body := validCertPEM(t)
		out, err := root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{CertificateBody: aws.String(body)})
		require.NoError(t, err)
		require.Empty(t, aws.ToString(out.Certificate.UserName))
		list, err := root.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{})
		require.NoError(t, err)
		require.Len(t, list.Certificates, 1)
		sum, err := root.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		require.NoError(t, err)
		require.Equal(t, int32(1), sum.SummaryMap["AccountSigningCertificatesPresent"])
		_, err = root.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: aws.String("gina"), CertificateId: out.Certificate.CertificateId})
		requireAPIError(t, err, "NoSuchEntity", "The Certificate with id "+*out.Certificate.CertificateId+" cannot be found.")
		_, err = root.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{CertificateId: out.Certificate.CertificateId})
		require.NoError(t, err)
	})
	t.Run("a user's own", func(t *testing.T) {
		c, _ := newUserWithKey(t, srv, "hank")
		_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("hank"), PolicyName: aws.String("own"),
			PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "iam:*SigningCertificate*",
				"Resource": "arn:aws:iam::" + servertest.AccountID + ":user/hank"}))})
		require.NoError(t, err)
		out, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{CertificateBody: aws.String(validCertPEM(t))})
		require.NoError(t, err)
		require.Equal(t, "hank", *out.Certificate.UserName)
		list, err := c.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{})
		require.NoError(t, err)
		require.Len(t, list.Certificates, 1)
		_, err = c.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("gina")})
		requireAPIError(t, err, "AccessDenied", "")
	})
	t.Run("errors", func(t *testing.T) {
		upload := func(user, body string) error {
			in := &iam.UploadSigningCertificateInput{CertificateBody: aws.String(body)}
			if user != "" {
				in.UserName = aws.String(user)
			}
			_, err := root.UploadSigningCertificate(ctx, in)
			return err
		}
		for _, tc := range []struct {
			name      string
			err       func() error
			code, msg string
		}{
			{"a third certificate", func() error { return upload("gina", validCertPEM(t)) },
				"LimitExceeded", "Cannot exceed quota for SigningCertificatesPerUser: 2"},
			{"the same certificate twice", func() error { return upload("", body1) },
				"DuplicateCertificate", "The request was rejected because the same certificate is associated with an IAM user in the account."},
			{"not a certificate", func() error { return upload("gina", "not a certificate") },
				"MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format."},
			{"expired", func() error {
				return upload("", testCertPEM(t, time.Now().AddDate(-2, 0, 0), time.Now().AddDate(-1, 0, 0)))
			},
				"MalformedCertificate", "The certificate is expired."},
			{"not yet valid", func() error {
				return upload("", testCertPEM(t, time.Now().AddDate(1, 0, 0), time.Now().AddDate(2, 0, 0)))
			},
				"InvalidCertificate", "The certificate is not yet valid."},
			{"no such user", func() error { return upload("nobody", validCertPEM(t)) },
				"NoSuchEntity", "The user with name nobody cannot be found."},
			{"list for no user", func() error {
				_, err := root.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("nobody")})
				return err
			}, "NoSuchEntity", "The user with name nobody cannot be found."},
			{"update an unknown id", func() error {
				_, err := root.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: aws.String("gina"),
					CertificateId: aws.String("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), Status: types.StatusTypeActive})
				return err
			}, "NoSuchEntity", "The Certificate with id AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA cannot be found."},
			{"a short id", func() error {
				_, err := root.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{CertificateId: aws.String("SHORT")})
				return err
			}, "ValidationError", "1 validation error detected: Value 'SHORT' at 'certificateId' failed to satisfy constraint: Member must have length greater than or equal to 24"},
			{"a bad status", func() error {
				_, err := root.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{CertificateId: aws.String(id1), Status: "Expired"})
				return err
			}, "ValidationError", "1 validation error detected: Value 'Expired' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"},
			{"delete the user first", func() error {
				_, err := root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("gina")})
				return err
			}, "DeleteConflict", "Cannot delete entity, must delete signing certificates first."},
		} {
			t.Run(tc.name, func(t *testing.T) { requireAPIError(t, tc.err(), tc.code, tc.msg) })
		}
	})
	t.Run("delete", func(t *testing.T) {
		list, err := root.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("gina")})
		require.NoError(t, err)
		for _, c := range list.Certificates {
			_, err := root.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: aws.String("gina"), CertificateId: c.CertificateId})
			require.NoError(t, err)
		}
		_, err = root.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: aws.String("gina"), CertificateId: aws.String(id1)})
		requireAPIError(t, err, "NoSuchEntity", "The Certificate with id "+id1+" cannot be found.")
		_, err = root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("gina")})
		require.NoError(t, err)
	})
}

// TestRoleSessionsNameTheUser: a role session that omits UserName gets
// AWS's error for non-user credentials, never the root user's
// certificates, and cannot change a password.
func TestRoleSessionsNameTheUser(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, err := root.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{CertificateBody: aws.String(validCertPEM(t))})
	require.NoError(t, err)
	_, key := newUserWithKey(t, srv, "assumer")
	roleARN := createRole(t, root, "admin",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::" + servertest.AccountID + ":user/assumer"}, "Action": "sts:AssumeRole"}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}))
	_, err = root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{AllowUsersToChangePassword: true})
	require.NoError(t, err)
	creds, err := srv.STS(*key.AccessKeyId, *key.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("session")})
	require.NoError(t, err)
	c := sessionIAM(srv, creds.Credentials)

	const msg = "Must specify userName when calling with non-User credentials"
	_, err = c.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{})
	requireAPIError(t, err, "ValidationError", msg)
	_, err = c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{CertificateBody: aws.String(validCertPEM(t))})
	requireAPIError(t, err, "ValidationError", msg)
	_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{})
	requireAPIError(t, err, "ValidationError", msg)
	_, err = c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(goodPassword), NewPassword: aws.String(goodPassword2)})
	requireAPIError(t, err, "InvalidUserType", "Only IAM Users can change their own password.")
}
