package iam

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base32"
	"net/http"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// X.509 signing certificates of users and of the root user.
// [UploadSigningCertificate]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadSigningCertificate.html

// maxCertsPerUser: AWS behaviour, "Signing certificates assigned to an
// IAM user: 2" (IAM quotas).
const maxCertsPerUser = 2

// maxCertificateBody: AWS behaviour, CertificateBody is at most 16384
// characters.
const maxCertificateBody = 16384

func errInvalidCertificate(msg string) error {
	return awserr.New("InvalidCertificate", http.StatusBadRequest, "%s", msg)
}

func errNoSuchCertificate(id string) error {
	return awserr.NoSuchEntity("The Certificate with id %s cannot be found.", id)
}

// ParseSigningCertificate parses and checks a PEM certificate body as
// UploadSigningCertificate receives it, and returns the certificate and
// the id Warden gives it. The body must be one PEM CERTIFICATE block
// (whitespace around it is allowed) holding one DER X.509 certificate
// with an RSA, ECDSA or Ed25519 key that is valid at now.
//
// AWS behaviour: an unparsable or expired certificate is MalformedCertificate
// ("malformed or expired"); InvalidCertificate is left for a certificate
// that parses but is not usable: Warden uses it for one that is not yet
// valid or whose key type it does not know (AWS is silent on both).
//
// The id is the upper-case base32 of the SHA-1 of the DER (32 characters
// of [A-Z2-7], the alphabet and form of AWS's ids): the same certificate
// always gets the same id, which is how a duplicate is found.
func ParseSigningCertificate(body string, now time.Time) (*x509.Certificate, string, error) {
	// One PEM CERTIFICATE block, with nothing but whitespace around it
	// (trimmed first: PEM's BEGIN line must start a line).
	cert, ok := parseCertificatePEM(strings.TrimSpace(body))
	if !ok {
		return nil, "", errMalformedCertificate("Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	if now.After(cert.NotAfter) {
		return nil, "", errMalformedCertificate("The certificate is expired.")
	}
	if now.Before(cert.NotBefore) {
		return nil, "", errInvalidCertificate("The certificate is not yet valid.")
	}
	switch cert.PublicKey.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
	default:
		return nil, "", errInvalidCertificate("The certificate's public key type is not supported.")
	}
	sum := sha1.Sum(cert.Raw)
	return cert, base32.StdEncoding.EncodeToString(sum[:]), nil
}

// UploadSigningCertificateInput is the input of UploadSigningCertificate.
type UploadSigningCertificateInput struct {
	UserName        *string `query:"UserName" min:"1" max:"128" pattern:"name"`
	CertificateBody string  `query:"CertificateBody,required" min:"1" max:"16384" pattern:"policyDocument"`
}

// UploadSigningCertificate adds a certificate to a user, or to the root
// user for user "". AWS behaviour: it starts Active; a user holds at most
// two; the same certificate cannot be uploaded twice in the account.
func (s *Service) UploadSigningCertificate(ctx context.Context, acct, user, body string) (store.SigningCertificate, error) {
	now := s.now().UTC()
	_, id, err := ParseSigningCertificate(body, now)
	if err != nil {
		return store.SigningCertificate{}, err
	}
	c := store.SigningCertificate{Account: acct, ID: id, UserName: user, Body: body, Status: store.KeyActive, UploadDate: now}
	err = s.update(ctx, func(tx store.Tx) error {
		if user != "" {
			u, err := getUser(ctx, tx, acct, user)
			if err != nil {
				return err
			}
			c.UserName = u.Name
		}
		if _, err := tx.GetSigningCertificate(ctx, acct, id); err == nil {
			return awserr.New("DuplicateCertificate", http.StatusConflict,
				"The request was rejected because the same certificate is associated with an IAM user in the account.")
		} else if !isNotFound(err) {
			return err
		}
		certs, err := tx.ListSigningCertificates(ctx, acct, c.UserName)
		if err != nil {
			return err
		}
		if len(certs) >= maxCertsPerUser {
			return awserr.LimitExceeded("Cannot exceed quota for SigningCertificatesPerUser: %d", maxCertsPerUser)
		}
		return tx.CreateSigningCertificate(ctx, c)
	})
	if err != nil {
		return store.SigningCertificate{}, err
	}
	return c, nil
}

// ListSigningCertificates returns a user's certificates (the root user's
// for ""), oldest first.
func (s *Service) ListSigningCertificates(ctx context.Context, acct, user string) ([]store.SigningCertificate, error) {
	var out []store.SigningCertificate
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		out, err = r.ListSigningCertificates(ctx, acct, user)
		if isNotFound(err) {
			return errNoSuchUser(user)
		}
		return err
	})
	return out, err
}

// SigningCertificateInput names a certificate of a user (or of the
// caller).
type SigningCertificateInput struct {
	UserName      *string `query:"UserName" min:"1" max:"128" pattern:"name"`
	CertificateID string  `query:"CertificateId,required" min:"24" max:"128" pattern:"accessKeyId"`
}

// UpdateSigningCertificateInput is the input of UpdateSigningCertificate.
type UpdateSigningCertificateInput struct {
	UserName      *string `query:"UserName" min:"1" max:"128" pattern:"name"`
	CertificateID string  `query:"CertificateId,required" min:"24" max:"128" pattern:"accessKeyId"`
	Status        string  `query:"Status,required" enum:"Active|Inactive"`
}

// certOf reads a certificate of the user (the root user for ""), or
// NoSuchEntity for the user or the certificate.
func certOf(ctx context.Context, r store.Reader, acct, user, id string) (store.SigningCertificate, error) {
	if user != "" {
		if _, err := getUser(ctx, r, acct, user); err != nil {
			return store.SigningCertificate{}, err
		}
	}
	c, err := r.GetSigningCertificate(ctx, acct, id)
	if isNotFound(err) || (err == nil && !sameName(c.UserName, user)) {
		return store.SigningCertificate{}, errNoSuchCertificate(id)
	}
	return c, err
}

// UpdateSigningCertificate sets a certificate Active or Inactive.
func (s *Service) UpdateSigningCertificate(ctx context.Context, acct, user, id, status string) error {
	return s.update(ctx, func(tx store.Tx) error {
		c, err := certOf(ctx, tx, acct, user, id)
		if err != nil {
			return err
		}
		c.Status = store.AccessKeyStatus(status)
		return tx.UpdateSigningCertificate(ctx, c)
	})
}

// DeleteSigningCertificate deletes a certificate.
func (s *Service) DeleteSigningCertificate(ctx context.Context, acct, user, id string) error {
	return s.update(ctx, func(tx store.Tx) error {
		c, err := certOf(ctx, tx, acct, user, id)
		if err != nil {
			return err
		}
		return tx.DeleteSigningCertificate(ctx, acct, c.ID)
	})
}
