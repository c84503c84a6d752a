package server_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// TestGoldenLogins pins the XML of the login profile, password policy,
// signing certificate and credential report responses and errors.
func TestGoldenLogins(t *testing.T) {
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	srv := servertest.Start(t, servertest.WithClock(func() time.Time { return at }), servertest.WithRequestID("11111111-2222-3333-4444-555555555555"))
	post := func(form string) (int, string) {
		return signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam", form, at)
	}
	pw := url.QueryEscape(goodPassword)
	for _, tc := range []struct {
		name, form string
		status     int
	}{
		{"CreateUser/logins", "Action=CreateUser&Version=2010-05-08&UserName=lena", http.StatusOK},
		{"CreateLoginProfile/ok", "Action=CreateLoginProfile&Version=2010-05-08&UserName=lena&PasswordResetRequired=true&Password=" + pw, http.StatusOK},
		{"CreateLoginProfile/weak", "Action=CreateLoginProfile&Version=2010-05-08&UserName=lena&Password=weak", http.StatusBadRequest},
		{"GetLoginProfile/ok", "Action=GetLoginProfile&Version=2010-05-08&UserName=lena", http.StatusOK},
		{"GetLoginProfile/missing", "Action=GetLoginProfile&Version=2010-05-08&UserName=root-only", http.StatusNotFound},
		{"GetAccountPasswordPolicy/none", "Action=GetAccountPasswordPolicy&Version=2010-05-08", http.StatusNotFound},
		{"UpdateAccountPasswordPolicy/ok", "Action=UpdateAccountPasswordPolicy&Version=2010-05-08&MinimumPasswordLength=12&RequireSymbols=true&MaxPasswordAge=90&HardExpiry=true", http.StatusOK},
		{"GetAccountPasswordPolicy/ok", "Action=GetAccountPasswordPolicy&Version=2010-05-08", http.StatusOK},
		{"ChangePassword/root", "Action=ChangePassword&Version=2010-05-08&OldPassword=a&NewPassword=b", http.StatusBadRequest},
		{"ListSigningCertificates/empty", "Action=ListSigningCertificates&Version=2010-05-08&UserName=lena", http.StatusOK},
		{"UploadSigningCertificate/malformed", "Action=UploadSigningCertificate&Version=2010-05-08&UserName=lena&CertificateBody=nope", http.StatusBadRequest},
		{"GetCredentialReport/not-present", "Action=GetCredentialReport&Version=2010-05-08", http.StatusGone},
		{"GenerateCredentialReport/started", "Action=GenerateCredentialReport&Version=2010-05-08", http.StatusOK},
		{"GenerateCredentialReport/complete", "Action=GenerateCredentialReport&Version=2010-05-08", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(tc.form)
			require.Equal(t, tc.status, status, body)
			golden(t, tc.name, body)
		})
	}
}
