package iam

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/warden-iam/warden/internal/awserr"
)

// Parsers of the untrusted PEM and OpenSSH text that server certificates
// and SSH public keys arrive as. Each returns AWS's error for bad input
// and never panics (FuzzParseServerCertificate, FuzzParseSSHPublicKey).

// Server certificate key rules.
// [Working with server certificates]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html
// AWS behaviour: the certificate must be valid at the time of upload, its
// private key unencrypted and matching it. Key sizes follow what Elastic
// Load Balancing and CloudFront accept from IAM: RSA of 1024 to 4096
// bits, ECDSA on P-256 and P-384.
const (
	certMinRSABits = 1024
	certMaxRSABits = 4096
)

// AWS's texts for these errors are not recorded; the messages say what is
// wrong in AWS's style.
func errMalformedCertificate(format string, a ...any) error {
	return awserr.New("MalformedCertificate", 400, format, a...)
}

func errKeyPairMismatch() error {
	return awserr.New("KeyPairMismatch", 400, "Unable to validate certificate and private key pairing: the private key does not match the certificate's public key.")
}

// pemBlocks decodes every PEM block of text. ok is false when text holds
// anything but PEM blocks and white space: pem.Decode skips text before a
// block, and Warden refuses it rather than guess what it was (where AWS
// is silent, the stricter reading).
func pemBlocks(text string) (blocks []*pem.Block, ok bool) {
	rest := []byte(text)
	for {
		if i := bytes.Index(rest, []byte("-----BEGIN")); i > 0 && len(bytes.TrimSpace(rest[:i])) != 0 {
			return blocks, false
		}
		b, r := pem.Decode(rest)
		if b == nil {
			return blocks, len(bytes.TrimSpace(rest)) == 0
		}
		blocks = append(blocks, b)
		rest = r
	}
}

// parseCertificatePEM parses text holding exactly one PEM certificate.
func parseCertificatePEM(text string) (*x509.Certificate, bool) {
	blocks, ok := pemBlocks(text)
	if !ok || len(blocks) != 1 || blocks[0].Type != "CERTIFICATE" {
		return nil, false
	}
	c, err := x509.ParseCertificate(blocks[0].Bytes)
	return c, err == nil
}

// parsePrivateKeyPEM parses an unencrypted PKCS#1, PKCS#8 or SEC 1 (EC)
// private key in one PEM block.
func parsePrivateKeyPEM(text string) (crypto.Signer, error) {
	blocks, ok := pemBlocks(text)
	if !ok || len(blocks) != 1 {
		return nil, errMalformedCertificate("Unable to parse private key. Please ensure the private key is in PEM format.")
	}
	b := blocks[0]
	if b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "" {
		return nil, errMalformedCertificate("The private key is encrypted. Please upload an unencrypted private key.")
	}
	var (
		key any
		err error
	)
	switch b.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(b.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
	default:
		return nil, errMalformedCertificate("Unable to parse private key. Please ensure the private key is in PEM format.")
	}
	if err != nil {
		return nil, errMalformedCertificate("Unable to parse private key. Please ensure the private key is in PEM format.")
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, errMalformedCertificate("Unable to parse private key. Please ensure the private key is in PEM format.")
	}
	return signer, nil
}

// checkCertificateKey applies the key-size rules to a certificate's
// public key.
func checkCertificateKey(pub any) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if n := k.N.BitLen(); n < certMinRSABits || n > certMaxRSABits {
			return errMalformedCertificate("The certificate's RSA key is %d bits; the key size must be between %d and %d bits.",
				n, certMinRSABits, certMaxRSABits)
		}
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return errMalformedCertificate("The certificate's ECDSA key must be on the P-256 or P-384 curve.")
		}
	default:
		return errMalformedCertificate("The certificate's public key algorithm is not supported: use an RSA or ECDSA key.")
	}
	return nil
}

// parseServerCertificate validates a server certificate upload: the PEM
// certificate body, its private key and the optional chain (one or more
// PEM certificates). It returns the certificate's expiration (NotAfter).
func parseServerCertificate(body, key, chain string, now time.Time) (time.Time, error) {
	cert, ok := parseCertificatePEM(body)
	if !ok {
		return time.Time{}, errMalformedCertificate("Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return time.Time{}, errMalformedCertificate("The certificate is not valid at the time of upload (valid from %s to %s).",
			cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339))
	}
	if err := checkCertificateKey(cert.PublicKey); err != nil {
		return time.Time{}, err
	}
	signer, err := parsePrivateKeyPEM(key)
	if err != nil {
		return time.Time{}, err
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return time.Time{}, errKeyPairMismatch()
	}
	if chain != "" {
		blocks, ok := pemBlocks(chain)
		if !ok || len(blocks) == 0 {
			return time.Time{}, errMalformedCertificate("Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.")
		}
		for _, b := range blocks {
			if b.Type != "CERTIFICATE" {
				return time.Time{}, errMalformedCertificate("Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.")
			}
			if _, err := x509.ParseCertificate(b.Bytes); err != nil {
				return time.Time{}, errMalformedCertificate("Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.")
			}
		}
	}
	return cert.NotAfter.UTC(), nil
}

// SSH public key rules.
// [Setup for SSH users]: https://docs.aws.amazon.com/codecommit/latest/userguide/setting-up-ssh-unixes.html
// AWS behaviour: UploadSSHPublicKey takes an ssh-rsa key in OpenSSH or PEM
// format, of at least 2048 bits.
const sshMinRSABits = 2048

func errUnrecognizedPublicKeyEncoding() error {
	return awserr.New("UnrecognizedPublicKeyEncoding", 400,
		"The request was rejected because the public key encoding format is unsupported or unrecognized.")
}

func errInvalidPublicKey(format string, a ...any) error {
	return awserr.New("InvalidPublicKey", 400, format, a...)
}

// parseSSHPublicKey parses an SSH public key in OpenSSH authorized_keys
// format (ssh-rsa AAAA... comment) or PEM (PKIX "PUBLIC KEY" or PKCS#1
// "RSA PUBLIC KEY") and applies AWS's rules: RSA, 2048 bits or more.
func parseSSHPublicKey(body string) (ssh.PublicKey, error) {
	var pub any
	trimmed := bytes.TrimSpace([]byte(body))
	if bytes.HasPrefix(trimmed, []byte("-----BEGIN")) {
		blocks, ok := pemBlocks(body)
		if !ok || len(blocks) != 1 {
			return nil, errUnrecognizedPublicKeyEncoding()
		}
		var err error
		switch blocks[0].Type {
		case "PUBLIC KEY":
			pub, err = x509.ParsePKIXPublicKey(blocks[0].Bytes)
		case "RSA PUBLIC KEY":
			pub, err = x509.ParsePKCS1PublicKey(blocks[0].Bytes)
		default:
			return nil, errUnrecognizedPublicKeyEncoding()
		}
		if err != nil {
			return nil, errInvalidPublicKey("The request was rejected because the public key is malformed or otherwise invalid.")
		}
	} else {
		k, _, _, rest, err := ssh.ParseAuthorizedKey(trimmed)
		if err != nil || len(bytes.TrimSpace(rest)) != 0 {
			return nil, errUnrecognizedPublicKeyEncoding()
		}
		ck, ok := k.(ssh.CryptoPublicKey)
		if !ok {
			return nil, errInvalidPublicKey("The request was rejected because the public key is malformed or otherwise invalid.")
		}
		pub = ck.CryptoPublicKey()
	}
	rk, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, errInvalidPublicKey("The public key must be an ssh-rsa key.")
	}
	if n := rk.N.BitLen(); n < sshMinRSABits {
		return nil, errInvalidPublicKey("The public key is %d bits; it must be at least %d bits.", n, sshMinRSABits)
	}
	k, err := ssh.NewPublicKey(rk)
	if err != nil {
		return nil, errInvalidPublicKey("The request was rejected because the public key is malformed or otherwise invalid.")
	}
	return k, nil
}

// sshFingerprint is the key's MD5 fingerprint in colon-separated hex, as
// IAM reports it.
func sshFingerprint(k ssh.PublicKey) string { return ssh.FingerprintLegacyMD5(k) }

// sshEncode returns the key in OpenSSH format ("SSH": ssh-rsa AAAA...,
// without a comment) or as a PEM PKIX public key ("PEM").
func sshEncode(k ssh.PublicKey, encoding string) (string, error) {
	if encoding == "PEM" {
		ck, ok := k.(ssh.CryptoPublicKey)
		if !ok {
			return "", errInvalidPublicKey("The stored public key cannot be encoded as PEM.")
		}
		der, err := x509.MarshalPKIXPublicKey(ck.CryptoPublicKey())
		if err != nil {
			return "", err
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
	}
	return string(bytes.TrimSpace(ssh.MarshalAuthorizedKey(k))), nil
}
