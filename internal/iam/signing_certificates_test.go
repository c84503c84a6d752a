package iam

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/awserr"
)

// seedCertPEM is a self-signed P-256 certificate valid from 2000 to 2099.
const seedCertPEM = `-----BEGIN CERTIFICATE-----
MIIBIzCBy6ADAgECAgEBMAoGCCqGSM49BAMCMBsxGTAXBgNVBAMTEHdhcmRlbi1m
dXp6LXNlZWQwIBcNMDAwMTAxMDAwMDAwWhgPMjA5OTEyMzEwMDAwMDBaMBsxGTAX
BgNVBAMTEHdhcmRlbi1mdXp6LXNlZWQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AAQpuBi+7WIybC1lzZk2K2TDuoluuCzowgIECiCwdbq7LfRANaO03tqL++lmZDk8
2IEa3hhLN7VDhiEsFWc1AYldMAoGCCqGSM49BAMCA0cAMEQCIEZXQRPvYxHWkatl
amPvpUOs7O4lVhj6NKcmtSoTzH/eAiBpafl7Y9NrXT6qZsO9TrwgmzsvmI9xAvVj
0VnwjLV6sQ==
-----END CERTIFICATE-----
`

// newTestCert makes a self-signed certificate for key, valid between
// notBefore and notAfter, in PEM.
func newTestCert(t testing.TB, key crypto.Signer, notBefore, notAfter time.Time) string {
	t.Helper()
	tpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "test"}, NotBefore: notBefore, NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

var certIDPattern = regexp.MustCompile(`^[A-Z2-7]{32}$`)

func TestParseSigningCertificate(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	valid := func(k crypto.Signer) string { return newTestCert(t, k, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0)) }
	ecPEM := valid(ec)

	for _, tc := range []struct {
		name, body string
		code       string // "" for accepted
	}{
		{"ECDSA", ecPEM, ""},
		{"RSA", valid(rk), ""},
		{"Ed25519", valid(ed), ""},
		{"surrounding whitespace", "\n  " + ecPEM + "\n\n", ""},
		{"the seed", seedCertPEM, ""},
		{"empty", "", "MalformedCertificate"},
		{"not PEM", "hello", "MalformedCertificate"},
		{"a private key block", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "MalformedCertificate"},
		{"garbage DER", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "MalformedCertificate"},
		{"two certificates", ecPEM + seedCertPEM, "MalformedCertificate"},
		{"trailing text", ecPEM + "trailing", "MalformedCertificate"},
		{"leading text", "hello\n" + ecPEM, "MalformedCertificate"},
		{"expired", newTestCert(t, ec, now.AddDate(-2, 0, 0), now.AddDate(0, 0, -1)), "MalformedCertificate"},
		{"not yet valid", newTestCert(t, ec, now.AddDate(0, 0, 1), now.AddDate(1, 0, 0)), "InvalidCertificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cert, id, err := ParseSigningCertificate(tc.body, now)
			if tc.code != "" {
				requireAWSCode(t, err, tc.code)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, cert)
			require.Regexp(t, certIDPattern, id)
			_, again, err := ParseSigningCertificate(strings.TrimSpace(tc.body), now)
			require.NoError(t, err)
			require.Equal(t, id, again, "the id depends only on the certificate")
		})
	}
}

// FuzzParseSigningCertificate: any body is refused with an AWS error or
// accepted with a well-formed id that its DER alone determines.
func FuzzParseSigningCertificate(f *testing.F) {
	f.Add(seedCertPEM)
	f.Add(strings.Replace(seedCertPEM, "MIIB", "MIIC", 1))
	f.Add("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
	f.Add("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + seedCertPEM)
	f.Add("")
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		cert, id, err := ParseSigningCertificate(body, now)
		if err != nil {
			requireAWSCodeIn(t, err, "MalformedCertificate", "InvalidCertificate")
			return
		}
		require.Regexp(t, certIDPattern, id)
		reencoded := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
		_, again, err := ParseSigningCertificate(reencoded, now)
		require.NoError(t, err)
		require.Equal(t, id, again)
	})
}

func requireAWSCodeIn(t *testing.T, err error, codes ...string) {
	t.Helper()
	ae, ok := err.(*awserr.Error)
	require.True(t, ok, "want one of %v, got %v", codes, err)
	require.Contains(t, codes, ae.Code)
}
