package iam

import (
	"context"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/sts/saml"
)

// SAML provider quotas and defaults.
// [IAM and AWS STS quotas]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	samlMaxProvidersPerAccount = 100
	// samlDefaultValidity: AWS behaviour (observed, not documented): a
	// provider whose metadata has no validUntil gets a ValidUntil about
	// 100 years after its creation.
	samlDefaultValidity = 100 * 365 * 24 * time.Hour
)

// SAMLProviderARN returns arn:aws:iam::ACCOUNT:saml-provider/NAME.
func SAMLProviderARN(acct, name string) string {
	return "arn:aws:iam::" + acct + ":saml-provider/" + name
}

// ParseSAMLProviderARN splits a SAML provider ARN; ok is false for any
// other string.
func ParseSAMLProviderARN(arn string) (acct, name string, ok bool) {
	rest, found := strings.CutPrefix(arn, "arn:aws:iam::")
	if !found {
		return "", "", false
	}
	acct, name, found = strings.Cut(rest, ":saml-provider/")
	if !found || len(acct) != 12 || strings.Trim(acct, "0123456789") != "" || !samlNameOK(name) {
		return "", "", false
	}
	return acct, name, true
}

// samlNameOK is the model's SAMLProviderNameType: 1 to 128 of [\w._-].
func samlNameOK(name string) bool {
	if len(name) == 0 || len(name) > 128 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// errNoSuchSAMLProvider is AWS's answer for an absent provider.
func errNoSuchSAMLProvider(arn string) error {
	return awserr.NoSuchEntity("Manifest not found for arn %s", arn)
}

// samlProviderName checks that arn names a provider of acct and returns
// its name. AWS behaviour: a malformed ARN is a ValidationError; a
// well-formed ARN of another account names nothing the caller has.
func samlProviderName(acct, arn string) (string, error) {
	a, name, ok := ParseSAMLProviderARN(arn)
	if !ok {
		return "", awserr.ValidationError("Invalid SAML provider ARN: %s", arn)
	}
	if a != acct {
		return "", errNoSuchSAMLProvider(arn)
	}
	return name, nil
}

// samlValidUntil is the ValidUntil to record for metadata.
func samlValidUntil(md *saml.Metadata, now time.Time) time.Time {
	if !md.ValidUntil.IsZero() {
		return md.ValidUntil.UTC()
	}
	return now.Add(samlDefaultValidity).UTC().Truncate(time.Second)
}

// CreateSAMLProviderInput is the input of CreateSAMLProvider.
type CreateSAMLProviderInput struct {
	SAMLMetadataDocument string `query:"SAMLMetadataDocument,required" min:"1000" max:"10000000"`
	Name                 string `query:"Name,required" min:"1" max:"128" pattern:"samlProviderName"`
	Tags                 []Tag  `query:"Tags" max:"50"`
}

// CreateSAMLProvider creates a SAML provider. The metadata is parsed for
// real: an EntityDescriptor with an IDPSSODescriptor and a signing
// certificate, or InvalidInput.
func (s *Service) CreateSAMLProvider(ctx context.Context, acct string, in CreateSAMLProviderInput) (store.SAMLProvider, error) {
	if err := checkNewTags(in.Tags); err != nil {
		return store.SAMLProvider{}, err
	}
	md, err := saml.ParseMetadata(in.SAMLMetadataDocument)
	if err != nil {
		return store.SAMLProvider{}, err
	}
	now := s.now().UTC()
	p := store.SAMLProvider{Account: acct, Name: in.Name, Metadata: in.SAMLMetadataDocument,
		CreateDate: now, ValidUntil: samlValidUntil(md, now), Tags: toStoreTags(in.Tags)}
	err = s.update(ctx, func(tx store.Tx) error {
		all, err := tx.ListSAMLProviders(ctx, acct)
		if err != nil {
			return err
		}
		if len(all) >= samlMaxProvidersPerAccount {
			return awserr.LimitExceeded("Cannot exceed quota for SAMLProvidersPerAccount: %d", samlMaxProvidersPerAccount)
		}
		err = tx.CreateSAMLProvider(ctx, p)
		if isExists(err) {
			return awserr.EntityAlreadyExists("SAMLProvider with name %s already exists.", in.Name)
		}
		return err
	})
	return p, err
}

// SAMLProviderARNInput is the input of the actions that take only a
// provider's ARN.
type SAMLProviderARNInput struct {
	SAMLProviderARN string `query:"SAMLProviderArn,required" min:"20" max:"2048" pattern:"arn"`
}

// samlGet reads a provider by ARN, translating ErrNotFound.
func samlGet(ctx context.Context, r store.Reader, acct, arn string) (store.SAMLProvider, error) {
	name, err := samlProviderName(acct, arn)
	if err != nil {
		return store.SAMLProvider{}, err
	}
	p, err := r.GetSAMLProvider(ctx, acct, name)
	if isNotFound(err) {
		return store.SAMLProvider{}, errNoSuchSAMLProvider(arn)
	}
	return p, err
}

// GetSAMLProvider returns a provider.
func (s *Service) GetSAMLProvider(ctx context.Context, acct string, in SAMLProviderARNInput) (store.SAMLProvider, error) {
	var p store.SAMLProvider
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		p, err = samlGet(ctx, r, acct, in.SAMLProviderARN)
		return err
	})
	return p, err
}

// LookupSAMLProvider returns the provider an AssumeRoleWithSAML names, or
// ok false when there is none.
func (s *Service) LookupSAMLProvider(ctx context.Context, acct, name string) (p store.SAMLProvider, ok bool, err error) {
	err = s.view(ctx, func(r store.Reader) error {
		var err error
		p, err = r.GetSAMLProvider(ctx, acct, name)
		return err
	})
	if isNotFound(err) {
		return store.SAMLProvider{}, false, nil
	}
	return p, err == nil, err
}

// samlModify reads a provider, lets fn change it, and writes it back.
func (s *Service) samlModify(ctx context.Context, acct, arn string, fn func(*store.SAMLProvider) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := samlGet(ctx, tx, acct, arn)
		if err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
		err = tx.UpdateSAMLProvider(ctx, p)
		if isNotFound(err) {
			return errNoSuchSAMLProvider(arn)
		}
		return err
	})
}

// UpdateSAMLProviderInput is the input of UpdateSAMLProvider.
type UpdateSAMLProviderInput struct {
	SAMLMetadataDocument string `query:"SAMLMetadataDocument,required" min:"1000" max:"10000000"`
	SAMLProviderARN      string `query:"SAMLProviderArn,required" min:"20" max:"2048" pattern:"arn"`
}

// UpdateSAMLProvider replaces a provider's metadata (and so its ValidUntil).
func (s *Service) UpdateSAMLProvider(ctx context.Context, acct string, in UpdateSAMLProviderInput) (string, error) {
	md, err := saml.ParseMetadata(in.SAMLMetadataDocument)
	if err != nil {
		return "", err
	}
	var arn string
	err = s.samlModify(ctx, acct, in.SAMLProviderARN, func(p *store.SAMLProvider) error {
		p.Metadata = in.SAMLMetadataDocument
		p.ValidUntil = samlValidUntil(md, s.now().UTC())
		arn = SAMLProviderARN(p.Account, p.Name)
		return nil
	})
	return arn, err
}

// DeleteSAMLProvider deletes a provider.
func (s *Service) DeleteSAMLProvider(ctx context.Context, acct string, in SAMLProviderARNInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := samlGet(ctx, tx, acct, in.SAMLProviderARN)
		if err != nil {
			return err
		}
		err = tx.DeleteSAMLProvider(ctx, acct, p.Name)
		if isNotFound(err) {
			return errNoSuchSAMLProvider(in.SAMLProviderARN)
		}
		return err
	})
}

// ListSAMLProviders returns the account's providers in name order. AWS
// behaviour: the list is not paginated.
func (s *Service) ListSAMLProviders(ctx context.Context, acct string) ([]store.SAMLProvider, error) {
	var out []store.SAMLProvider
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		out, err = r.ListSAMLProviders(ctx, acct)
		return err
	})
	return out, err
}

// TagSAMLProviderInput is the input of TagSAMLProvider.
type TagSAMLProviderInput struct {
	SAMLProviderARN string `query:"SAMLProviderArn,required" min:"20" max:"2048" pattern:"arn"`
	Tags            []Tag  `query:"Tags,required" max:"50"`
}

// TagSAMLProvider adds or replaces tags of a provider.
func (s *Service) TagSAMLProvider(ctx context.Context, acct string, in TagSAMLProviderInput) error {
	return s.tag(ctx, samlTags, acct, in.SAMLProviderARN, in.Tags)
}

// UntagSAMLProviderInput is the input of UntagSAMLProvider.
type UntagSAMLProviderInput struct {
	SAMLProviderARN string   `query:"SAMLProviderArn,required" min:"20" max:"2048" pattern:"arn"`
	TagKeys         []string `query:"TagKeys,required" max:"50" pattern:"tagKey"`
}

// UntagSAMLProvider removes tags of a provider.
func (s *Service) UntagSAMLProvider(ctx context.Context, acct string, in UntagSAMLProviderInput) error {
	return s.untag(ctx, samlTags, acct, in.SAMLProviderARN, in.TagKeys)
}

// ListSAMLProviderTagsInput is the input of ListSAMLProviderTags.
type ListSAMLProviderTagsInput struct {
	SAMLProviderARN string  `query:"SAMLProviderArn,required" min:"20" max:"2048" pattern:"arn"`
	Marker          *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems        *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListSAMLProviderTags returns a provider's tags; at most 50, one page.
func (s *Service) ListSAMLProviderTags(ctx context.Context, acct string, in ListSAMLProviderTagsInput) (store.Page[store.Tag], error) {
	return s.listTags(ctx, samlTags, acct, in.SAMLProviderARN, in.Marker, in.MaxItems)
}

// samlTags are a SAML provider's tags, for the tag actions.
var samlTags = taggable{
	modify: func(ctx context.Context, s *Service, acct, arn string, fn func(*[]store.Tag) error) error {
		return s.samlModify(ctx, acct, arn, func(p *store.SAMLProvider) error { return fn(&p.Tags) })
	},
	read: func(ctx context.Context, s *Service, acct, arn string) ([]store.Tag, error) {
		p, err := s.GetSAMLProvider(ctx, acct, SAMLProviderARNInput{SAMLProviderARN: arn})
		return p.Tags, err
	},
	merge: mergeTags, remove: removeTags,
}
