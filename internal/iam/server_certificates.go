package iam

import (
	"context"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// Server certificates: X.509 certificates with their private keys, for
// load balancers and CloudFront.
// [Working with server certificates]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html

// maxServerCertificatesPerAccount is AWS's quota ServerCertificatesPerAccount.
const maxServerCertificatesPerAccount = accountServerCertificatesQuota

const prefixServerCertificate = "ASCA"

// ServerCertificateARN returns arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME.
func ServerCertificateARN(acct, path, name string) string {
	return entityARN(acct, "server-certificate", path, name)
}

// serverCertificateAAD binds a sealed private key to its certificate: the
// account and the certificate's id, which a rename keeps.
func serverCertificateAAD(acct, id string) string { return "server-certificate:" + acct + ":" + id }

// errNoSuchServerCertificate is AWS's error for an absent certificate.
func errNoSuchServerCertificate(name string) error {
	return awserr.NoSuchEntity("The Server Certificate with name %s cannot be found.", name)
}

func errServerCertificateExists(name string) error {
	return awserr.EntityAlreadyExists("The Server Certificate with name %s already exists.", name)
}

// certGet reads a certificate, translating ErrNotFound.
func certGet(ctx context.Context, r store.Reader, acct, name string) (store.ServerCertificate, error) {
	c, err := r.GetServerCertificate(ctx, acct, name)
	if isNotFound(err) {
		return store.ServerCertificate{}, errNoSuchServerCertificate(name)
	}
	return c, err
}

// UploadServerCertificateInput is the input of UploadServerCertificate.
// The model allows a chain of 2,097,152 characters; the dispatcher's body
// limit (api.MaxBodyBytes) refuses a request that large first, with
// RequestEntityTooLarge. Real chains are a few kilobytes, and raising the
// limit for every action to admit them is not worth the memory it lets a
// client claim.
type UploadServerCertificateInput struct {
	ServerCertificateName string  `query:"ServerCertificateName,required" min:"1" max:"128" pattern:"name"`
	Path                  *string `query:"Path" min:"1" max:"512" pattern:"path"`
	CertificateBody       string  `query:"CertificateBody,required" min:"1" max:"16384" pattern:"certificateBody"`
	PrivateKey            string  `query:"PrivateKey,required" min:"1" max:"16384" pattern:"certificateBody" audit:"redact"`
	CertificateChain      *string `query:"CertificateChain" min:"1" max:"2097152" pattern:"certificateBody"`
	Tags                  []Tag   `query:"Tags" max:"50"`
}

// UploadServerCertificate validates and stores a server certificate; its
// private key is sealed at rest and never returned.
func (s *Service) UploadServerCertificate(ctx context.Context, acct string, in UploadServerCertificateInput) (store.ServerCertificate, error) {
	if err := checkNewTags(in.Tags); err != nil {
		return store.ServerCertificate{}, err
	}
	chain := ""
	if in.CertificateChain != nil {
		chain = *in.CertificateChain
	}
	now := s.now().UTC()
	exp, err := parseServerCertificate(in.CertificateBody, in.PrivateKey, chain, now)
	if err != nil {
		return store.ServerCertificate{}, err
	}
	c := store.ServerCertificate{Account: acct, Name: in.ServerCertificateName, Path: PathOrRoot(in.Path),
		ID: newID(prefixServerCertificate), Body: in.CertificateBody, Chain: chain, Expiration: exp,
		UploadDate: now, Tags: toStoreTags(in.Tags)}
	c.SealedKey = s.keyring.Seal([]byte(in.PrivateKey), serverCertificateAAD(acct, c.ID))
	err = s.update(ctx, func(tx store.Tx) error {
		all, err := tx.ListServerCertificates(ctx, acct, "/", store.PageRequest{})
		if err != nil {
			return err
		}
		if len(all.Items) >= maxServerCertificatesPerAccount {
			return awserr.LimitExceeded("Cannot exceed quota for ServerCertificatesPerAccount: %d", maxServerCertificatesPerAccount)
		}
		err = tx.CreateServerCertificate(ctx, c)
		if isExists(err) {
			return errServerCertificateExists(in.ServerCertificateName)
		}
		return err
	})
	if err != nil {
		return store.ServerCertificate{}, err
	}
	c.SealedKey = nil
	return c, nil
}

// ServerCertificateNameInput is the input of the actions that take only a
// server certificate's name.
type ServerCertificateNameInput struct {
	ServerCertificateName string `query:"ServerCertificateName,required" min:"1" max:"128" pattern:"name"`
}

// GetServerCertificate returns a certificate with its body and chain; the
// sealed private key is left out.
func (s *Service) GetServerCertificate(ctx context.Context, acct string, in ServerCertificateNameInput) (store.ServerCertificate, error) {
	var c store.ServerCertificate
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		c, err = certGet(ctx, r, acct, in.ServerCertificateName)
		return err
	})
	c.SealedKey = nil
	return c, err
}

// ServerCertificateTarget returns the ARN (with its path) and tags of a
// server certificate, for authorization; ok is false when it is absent.
func (s *Service) ServerCertificateTarget(ctx context.Context, acct, name string) (arn string, tags []store.Tag, ok bool) {
	var c store.ServerCertificate
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		c, err = r.GetServerCertificate(ctx, acct, name)
		return err
	})
	if err != nil {
		return ServerCertificateARN(acct, "/", name), nil, false
	}
	return ServerCertificateARN(c.Account, c.Path, c.Name), c.Tags, true
}

// ListServerCertificatesInput is the input of ListServerCertificates.
type ListServerCertificatesInput struct {
	PathPrefix *string `query:"PathPrefix" min:"1" max:"512" pattern:"pathPrefix"`
	Marker     *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems   *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListServerCertificates lists certificates' metadata by path prefix, in
// name order.
func (s *Service) ListServerCertificates(ctx context.Context, acct string, in ListServerCertificatesInput) (store.Page[store.ServerCertificate], error) {
	var out store.Page[store.ServerCertificate]
	err := s.view(ctx, func(r store.Reader) error {
		prefix := "/"
		if in.PathPrefix != nil {
			prefix = *in.PathPrefix
		}
		var err error
		out, err = r.ListServerCertificates(ctx, acct, prefix, page(in.Marker, in.MaxItems))
		return err
	})
	return out, err
}

// UpdateServerCertificateInput is the input of UpdateServerCertificate.
type UpdateServerCertificateInput struct {
	ServerCertificateName    string  `query:"ServerCertificateName,required" min:"1" max:"128" pattern:"name"`
	NewPath                  *string `query:"NewPath" min:"1" max:"512" pattern:"path"`
	NewServerCertificateName *string `query:"NewServerCertificateName" min:"1" max:"128" pattern:"name"`
}

// UpdateServerCertificate renames a certificate or changes its path. Its
// id, and so the binding of its sealed key, stays.
func (s *Service) UpdateServerCertificate(ctx context.Context, acct string, in UpdateServerCertificateInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		c, err := certGet(ctx, tx, acct, in.ServerCertificateName)
		if err != nil {
			return err
		}
		if in.NewPath != nil {
			c.Path = *in.NewPath
		}
		if in.NewServerCertificateName != nil {
			c.Name = *in.NewServerCertificateName
		}
		err = tx.UpdateServerCertificate(ctx, in.ServerCertificateName, c)
		if isExists(err) {
			return errServerCertificateExists(c.Name)
		}
		return err
	})
}

// DeleteServerCertificate deletes a certificate. (AWS refuses while a
// load balancer uses it; nothing in Warden uses certificates.)
func (s *Service) DeleteServerCertificate(ctx context.Context, acct string, in ServerCertificateNameInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		err := tx.DeleteServerCertificate(ctx, acct, in.ServerCertificateName)
		if isNotFound(err) {
			return errNoSuchServerCertificate(in.ServerCertificateName)
		}
		return err
	})
}

// certModify reads a certificate, lets fn change its tags, and writes it
// back, in one transaction.
func (s *Service) certModify(ctx context.Context, acct, name string, fn func(*[]store.Tag) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		c, err := certGet(ctx, tx, acct, name)
		if err != nil {
			return err
		}
		if err := fn(&c.Tags); err != nil {
			return err
		}
		err = tx.UpdateServerCertificate(ctx, c.Name, c)
		if isNotFound(err) {
			return errNoSuchServerCertificate(name)
		}
		return err
	})
}

// TagServerCertificateInput is the input of TagServerCertificate.
type TagServerCertificateInput struct {
	ServerCertificateName string `query:"ServerCertificateName,required" min:"1" max:"128" pattern:"name"`
	Tags                  []Tag  `query:"Tags,required" max:"50"`
}

// TagServerCertificate adds or replaces tags of a server certificate.
func (s *Service) TagServerCertificate(ctx context.Context, acct string, in TagServerCertificateInput) error {
	return s.tag(ctx, serverCertificateTags, acct, in.ServerCertificateName, in.Tags)
}

// UntagServerCertificateInput is the input of UntagServerCertificate.
type UntagServerCertificateInput struct {
	ServerCertificateName string   `query:"ServerCertificateName,required" min:"1" max:"128" pattern:"name"`
	TagKeys               []string `query:"TagKeys,required" max:"50" pattern:"tagKey"`
}

// UntagServerCertificate removes tags of a server certificate.
func (s *Service) UntagServerCertificate(ctx context.Context, acct string, in UntagServerCertificateInput) error {
	return s.untag(ctx, serverCertificateTags, acct, in.ServerCertificateName, in.TagKeys)
}

// ListServerCertificateTagsInput is the input of ListServerCertificateTags.
type ListServerCertificateTagsInput struct {
	ServerCertificateName string  `query:"ServerCertificateName,required" min:"1" max:"128" pattern:"name"`
	Marker                *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems              *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListServerCertificateTags returns a certificate's tags, all in one page
// (a certificate has at most 50).
func (s *Service) ListServerCertificateTags(ctx context.Context, acct string, in ListServerCertificateTagsInput) (store.Page[store.Tag], error) {
	return s.listTags(ctx, serverCertificateTags, acct, in.ServerCertificateName, in.Marker, in.MaxItems)
}

// serverCertificateTags are a server certificate's tags, for the tag actions.
var serverCertificateTags = taggable{
	modify: func(ctx context.Context, s *Service, acct, name string, fn func(*[]store.Tag) error) error {
		return s.certModify(ctx, acct, name, fn)
	},
	read: func(ctx context.Context, s *Service, acct, name string) ([]store.Tag, error) {
		c, err := s.GetServerCertificate(ctx, acct, ServerCertificateNameInput{ServerCertificateName: name})
		return c.Tags, err
	},
	merge: mergeTags, remove: removeTags,
}
