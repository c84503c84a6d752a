package iam

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/warden-iam/warden/internal/awserr"
)

// The keys and certificates here are generated when the tests run, for
// the tests; none is committed.

var fuzzNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func fuzzCert(f *testing.F, key crypto.Signer) string {
	f.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fuzz.example.com"},
		NotBefore: fuzzNow.Add(-time.Hour), NotAfter: fuzzNow.Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		f.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func fuzzPKCS8(f *testing.F, key crypto.Signer) string {
	f.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		f.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// requireAWSError fails unless err is an AWS error with one of codes.
func requireAWSError(t *testing.T, err error, codes ...string) {
	t.Helper()
	var ae *awserr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("not an AWS error: %v", err)
	}
	for _, c := range codes {
		if ae.Code == c {
			return
		}
	}
	t.Fatalf("error code %s, want one of %v", ae.Code, codes)
}

func FuzzParseServerCertificate(f *testing.F) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	ecDER, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		f.Fatal(err)
	}
	ecBody, rsaBody := fuzzCert(f, ec), fuzzCert(f, rk)
	ecKey := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER}))
	rsaKey := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)}))
	f.Add(ecBody, ecKey, "")
	f.Add(ecBody, fuzzPKCS8(f, ec), rsaBody)
	f.Add(rsaBody, rsaKey, ecBody+rsaBody)
	f.Add(rsaBody, ecKey, "")
	f.Add("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "-----BEGIN PRIVATE KEY-----\n\n-----END PRIVATE KEY-----", "x")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, body, key, chain string) {
		exp, err := parseServerCertificate(body, key, chain, fuzzNow)
		if err != nil {
			requireAWSError(t, err, "MalformedCertificate", "KeyPairMismatch")
			return
		}
		// Accepted: the body is one certificate valid now, and the key is
		// its private key.
		cert, ok := parseCertificatePEM(body)
		if !ok {
			t.Fatal("accepted a body that does not parse")
		}
		if !cert.NotAfter.Equal(exp) || fuzzNow.After(exp) || fuzzNow.Before(cert.NotBefore) {
			t.Fatalf("accepted a certificate not valid now, or misreported its expiration %v", exp)
		}
		signer, err := parsePrivateKeyPEM(key)
		if err != nil {
			t.Fatalf("accepted a key that does not parse: %v", err)
		}
		if pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(cert.PublicKey) {
			t.Fatal("accepted a key of another certificate")
		}
	})
}

func FuzzParseSSHPublicKey(f *testing.F) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	pub, err := ssh.NewPublicKey(&rk.PublicKey)
	if err != nil {
		f.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&rk.PublicKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(ssh.MarshalAuthorizedKey(pub)))
	f.Add("ssh-rsa " + string(ssh.MarshalAuthorizedKey(pub))[8:] + " comment")
	f.Add(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
	f.Add(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&rk.PublicKey)})))
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== x")
	f.Add("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		k, err := parseSSHPublicKey(body)
		if err != nil {
			requireAWSError(t, err, "UnrecognizedPublicKeyEncoding", "InvalidPublicKey")
			return
		}
		// Accepted: an RSA key of 2048 bits or more, whose two encodings
		// read back as the same key with the same fingerprint.
		rk, ok := k.(ssh.CryptoPublicKey).CryptoPublicKey().(*rsa.PublicKey)
		if !ok || rk.N.BitLen() < sshMinRSABits {
			t.Fatalf("accepted a key that is not RSA of %d bits or more", sshMinRSABits)
		}
		for _, enc := range []string{"SSH", "PEM"} {
			text, err := sshEncode(k, enc)
			if err != nil {
				t.Fatalf("encode %s: %v", enc, err)
			}
			back, err := parseSSHPublicKey(text)
			if err != nil {
				t.Fatalf("the %s encoding does not read back: %v", enc, err)
			}
			if sshFingerprint(back) != sshFingerprint(k) {
				t.Fatalf("the %s encoding reads back as another key", enc)
			}
		}
	})
}
