package iam

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

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

const testAcct = "123456789012"

// TestServiceCredentialExpires: an API key made with CredentialAgeDays
// lists as Expired once its expiration passes.
func TestServiceCredentialExpires(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	_, err := s.CreateUser(ctx, testAcct, CreateUserInput{UserName: "alice"})
	require.NoError(t, err)
	days := 2
	c, err := s.CreateServiceSpecificCredential(ctx, testAcct, CreateServiceSpecificCredentialInput{UserName: "alice",
		ServiceName: "bedrock.amazonaws.com", CredentialAgeDays: &days})
	require.NoError(t, err)
	require.Equal(t, "Active", c.Status)
	require.Equal(t, now.Add(48*time.Hour), c.Expiration)

	list := func() string {
		p, err := s.ListServiceSpecificCredentials(ctx, testAcct, "alice", ListServiceSpecificCredentialsInput{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		require.Empty(t, p.Items[0].Secret, "a list never carries the secret")
		return p.Items[0].Status
	}
	now = now.Add(47 * time.Hour)
	require.Equal(t, "Active", list())
	now = now.Add(time.Hour)
	require.Equal(t, "Expired", list())
}

// TestCredentialSecretsAreSealedToTheirRecord: the private key and the
// password are stored sealed, open under their own record's AAD and under
// no other.
func TestCredentialSecretsAreSealedToTheirRecord(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "t"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	kder, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
	body := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	for _, name := range []string{"a", "b"} {
		up, err := s.UploadServerCertificate(ctx, testAcct, UploadServerCertificateInput{ServerCertificateName: name,
			CertificateBody: body, PrivateKey: keyPEM})
		require.NoError(t, err)
		require.Nil(t, up.SealedKey, "the sealed key does not leave the service")
	}
	var a, b store.ServerCertificate
	require.NoError(t, s.store.View(ctx, func(r store.Reader) error {
		var err error
		if a, err = r.GetServerCertificate(ctx, testAcct, "a"); err != nil {
			return err
		}
		b, err = r.GetServerCertificate(ctx, testAcct, "b")
		return err
	}))
	require.NotContains(t, string(a.SealedKey), "PRIVATE KEY")
	plain, err := s.keyring.Open(a.SealedKey, serverCertificateAAD(testAcct, a.ID))
	require.NoError(t, err)
	require.Equal(t, keyPEM, string(plain))
	_, err = s.keyring.Open(a.SealedKey, serverCertificateAAD(testAcct, b.ID))
	require.Error(t, err, "a key moved to another certificate does not open")
	got, err := s.GetServerCertificate(ctx, testAcct, ServerCertificateNameInput{ServerCertificateName: "a"})
	require.NoError(t, err)
	require.Nil(t, got.SealedKey)

	_, err = s.CreateUser(ctx, testAcct, CreateUserInput{UserName: "alice"})
	require.NoError(t, err)
	c, err := s.CreateServiceSpecificCredential(ctx, testAcct, CreateServiceSpecificCredentialInput{UserName: "alice",
		ServiceName: "codecommit.amazonaws.com"})
	require.NoError(t, err)
	var stored store.ServiceCredential
	require.NoError(t, s.store.View(ctx, func(r store.Reader) error {
		var err error
		stored, err = r.GetServiceCredential(ctx, testAcct, c.ID)
		return err
	}))
	plain, err = s.keyring.Open(stored.SealedSecret, serviceCredentialAAD(testAcct, c.ID))
	require.NoError(t, err)
	require.Equal(t, c.Secret, string(plain))
	_, err = s.keyring.Open(stored.SealedSecret, serviceCredentialAAD(testAcct, "ACCAOTHER"))
	require.Error(t, err)
}
