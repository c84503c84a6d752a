package iam

import (
	"context"
	"net/url"
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// OIDC provider quotas and formats.
// [IAM and AWS STS quotas]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	oidcMaxProvidersPerAccount = 100
	oidcMaxClientIDs           = 100
	oidcMaxThumbprints         = 5
	oidcMaxClientIDLength      = 255
	oidcMaxURLLength           = 255
	oidcThumbprintLength       = 40
)

// OIDCProviderARN returns the ARN of an OIDC provider: its URL without
// https:// after "oidc-provider/".
func OIDCProviderARN(acct, u string) string { return "arn:aws:iam::" + acct + ":oidc-provider/" + u }

// ParseOIDCProviderARN returns the provider URL an ARN of account acct
// names; ok is false for any other ARN.
func ParseOIDCProviderARN(acct, arn string) (u string, ok bool) {
	u, found := strings.CutPrefix(arn, "arn:aws:iam::"+acct+":oidc-provider/")
	return u, found && u != ""
}

func errNoSuchOIDCProvider(arn string) error {
	return awserr.NoSuchEntity("OpenIDConnect Provider not found for arn %s", arn)
}

// oidcProviderURL validates a CreateOpenIDConnectProvider Url and returns
// the form IAM keeps: without https://. AWS behaviour: the URL must use
// https and name a host; it has no query or fragment.
func oidcProviderURL(raw string) (string, error) {
	invalid := awserr.ValidationError("Invalid Open ID Connect Provider URL")
	rest, ok := strings.CutPrefix(raw, "https://")
	if !ok || rest == "" || len(raw) > oidcMaxURLLength {
		return "", invalid
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(rest, "?# ") {
		return "", invalid
	}
	return rest, nil
}

// oidcCheckClientIDs applies the ClientIDList constraints.
func oidcCheckClientIDs(ids []string) error {
	if len(ids) > oidcMaxClientIDs {
		return awserr.LimitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", oidcMaxClientIDs)
	}
	for _, id := range ids {
		if err := oidcCheckClientID(id, "clientIDList.member"); err != nil {
			return err
		}
	}
	return nil
}

func oidcCheckClientID(id, member string) error {
	if n := len([]rune(id)); n < 1 || n > oidcMaxClientIDLength {
		return awserr.ValidationError("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", id, member, oidcMaxClientIDLength)
	}
	return nil
}

// oidcCheckThumbprints applies the ThumbprintList constraints: at most
// five thumbprints of 40 hex digits each.
func oidcCheckThumbprints(tps []string) error {
	if len(tps) > oidcMaxThumbprints {
		return awserr.ValidationError("Thumbprint list must contain fewer than %d entries.", oidcMaxThumbprints+1)
	}
	for _, tp := range tps {
		if len(tp) != oidcThumbprintLength {
			return awserr.ValidationError("1 validation error detected: Value '%s' at 'thumbprintList.member' failed to satisfy constraint: Member must have length greater than or equal to %d", tp, oidcThumbprintLength)
		}
		for _, r := range tp {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return awserr.InvalidInput("Thumbprint %s is not a 40-character hexadecimal SHA-1 fingerprint.", tp)
			}
		}
	}
	return nil
}

// oidcAddUnique appends the values not yet in list (exact match).
func oidcAddUnique(list []string, add ...string) []string {
	for _, a := range add {
		found := false
		for _, l := range list {
			if l == a {
				found = true
				break
			}
		}
		if !found {
			list = append(list, a)
		}
	}
	return list
}

// CreateOIDCProviderInput is the input of CreateOpenIDConnectProvider.
type CreateOIDCProviderInput struct {
	URL            string   `query:"Url,required" min:"1" max:"255"`
	ClientIDList   []string `query:"ClientIDList"`
	ThumbprintList []string `query:"ThumbprintList"`
	Tags           []Tag    `query:"Tags" max:"50"`
}

// CreateOIDCProvider creates an OIDC provider. AWS behaviour: the
// thumbprint list is optional (AWS then trusts the issuer's CA, as Warden
// does with its configured CA pool; Warden does not fetch a thumbprint);
// duplicate client IDs and thumbprints are kept once.
// [CreateOpenIDConnectProvider]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
func (s *Service) CreateOIDCProvider(ctx context.Context, acct string, in CreateOIDCProviderInput) (store.OIDCProvider, error) {
	u, err := oidcProviderURL(in.URL)
	if err != nil {
		return store.OIDCProvider{}, err
	}
	if err := oidcCheckClientIDs(in.ClientIDList); err != nil {
		return store.OIDCProvider{}, err
	}
	if err := oidcCheckThumbprints(in.ThumbprintList); err != nil {
		return store.OIDCProvider{}, err
	}
	if err := checkNewTags(in.Tags); err != nil {
		return store.OIDCProvider{}, err
	}
	p := store.OIDCProvider{Account: acct, URL: u, ClientIDs: oidcAddUnique(nil, in.ClientIDList...),
		Thumbprints: oidcAddUnique(nil, in.ThumbprintList...), CreateDate: s.now().UTC(), Tags: toStoreTags(in.Tags)}
	err = s.update(ctx, func(tx store.Tx) error {
		all, err := tx.ListOIDCProviders(ctx, acct)
		if err != nil {
			return err
		}
		if len(all) >= oidcMaxProvidersPerAccount {
			return awserr.LimitExceeded("Cannot exceed quota for OpenIdConnectProvidersPerAccount: %d", oidcMaxProvidersPerAccount)
		}
		err = tx.CreateOIDCProvider(ctx, p)
		if isExists(err) {
			return awserr.EntityAlreadyExists("Provider with url %s already exists.", in.URL)
		}
		return err
	})
	return p, err
}

// OIDCProviderInput is the input of the actions that name a provider.
type OIDCProviderInput struct {
	ARN string `query:"OpenIDConnectProviderArn,required" min:"20" max:"2048" pattern:"arn"`
}

// oidcProviderGet reads the provider an ARN names.
func oidcProviderGet(ctx context.Context, r store.Reader, acct, arn string) (store.OIDCProvider, error) {
	u, ok := ParseOIDCProviderARN(acct, arn)
	if !ok {
		return store.OIDCProvider{}, errNoSuchOIDCProvider(arn)
	}
	p, err := r.GetOIDCProvider(ctx, acct, u)
	if isNotFound(err) {
		return store.OIDCProvider{}, errNoSuchOIDCProvider(arn)
	}
	return p, err
}

// oidcProviderModify reads a provider, lets fn change it and writes it
// back, in one transaction.
func (s *Service) oidcProviderModify(ctx context.Context, acct, arn string, fn func(*store.OIDCProvider) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := oidcProviderGet(ctx, tx, acct, arn)
		if err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
		err = tx.UpdateOIDCProvider(ctx, p)
		if isNotFound(err) {
			return errNoSuchOIDCProvider(arn)
		}
		return err
	})
}

// GetOIDCProvider returns a provider.
func (s *Service) GetOIDCProvider(ctx context.Context, acct string, in OIDCProviderInput) (store.OIDCProvider, error) {
	var p store.OIDCProvider
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		p, err = oidcProviderGet(ctx, r, acct, in.ARN)
		return err
	})
	return p, err
}

// ListOIDCProviders returns the account's providers, ordered by URL.
func (s *Service) ListOIDCProviders(ctx context.Context, acct string) ([]store.OIDCProvider, error) {
	var out []store.OIDCProvider
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		out, err = r.ListOIDCProviders(ctx, acct)
		return err
	})
	return out, err
}

// DeleteOIDCProvider deletes a provider. AWS behaviour: roles that trust
// it are left as they are; they can no longer be assumed with its tokens.
func (s *Service) DeleteOIDCProvider(ctx context.Context, acct string, in OIDCProviderInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := oidcProviderGet(ctx, tx, acct, in.ARN)
		if err != nil {
			return err
		}
		err = tx.DeleteOIDCProvider(ctx, acct, p.URL)
		if isNotFound(err) {
			return errNoSuchOIDCProvider(in.ARN)
		}
		return err
	})
}

// OIDCClientIDInput is the input of AddClientIDToOpenIDConnectProvider and
// RemoveClientIDFromOpenIDConnectProvider.
type OIDCClientIDInput struct {
	ARN      string `query:"OpenIDConnectProviderArn,required" min:"20" max:"2048" pattern:"arn"`
	ClientID string `query:"ClientID,required" min:"1" max:"255"`
}

// AddClientIDToOIDCProvider adds a client ID. AWS behaviour: adding one
// the provider has is not an error.
func (s *Service) AddClientIDToOIDCProvider(ctx context.Context, acct string, in OIDCClientIDInput) error {
	return s.oidcProviderModify(ctx, acct, in.ARN, func(p *store.OIDCProvider) error {
		p.ClientIDs = oidcAddUnique(p.ClientIDs, in.ClientID)
		return oidcCheckClientIDs(p.ClientIDs)
	})
}

// RemoveClientIDFromOIDCProvider removes a client ID. AWS behaviour:
// removing one the provider does not have is not an error.
func (s *Service) RemoveClientIDFromOIDCProvider(ctx context.Context, acct string, in OIDCClientIDInput) error {
	return s.oidcProviderModify(ctx, acct, in.ARN, func(p *store.OIDCProvider) error {
		out := p.ClientIDs[:0:0]
		for _, id := range p.ClientIDs {
			if id != in.ClientID {
				out = append(out, id)
			}
		}
		p.ClientIDs = out
		return nil
	})
}

// UpdateOIDCThumbprintInput is the input of UpdateOpenIDConnectProviderThumbprint.
type UpdateOIDCThumbprintInput struct {
	ARN            string   `query:"OpenIDConnectProviderArn,required" min:"20" max:"2048" pattern:"arn"`
	ThumbprintList []string `query:"ThumbprintList,required"`
}

// UpdateOIDCProviderThumbprint replaces the thumbprint list (the lists
// are not merged).
func (s *Service) UpdateOIDCProviderThumbprint(ctx context.Context, acct string, in UpdateOIDCThumbprintInput) error {
	if err := oidcCheckThumbprints(in.ThumbprintList); err != nil {
		return err
	}
	return s.oidcProviderModify(ctx, acct, in.ARN, func(p *store.OIDCProvider) error {
		p.Thumbprints = oidcAddUnique(nil, in.ThumbprintList...)
		return nil
	})
}

// TagOIDCProviderInput is the input of TagOpenIDConnectProvider.
type TagOIDCProviderInput struct {
	ARN  string `query:"OpenIDConnectProviderArn,required" min:"20" max:"2048" pattern:"arn"`
	Tags []Tag  `query:"Tags,required" max:"50"`
}

// TagOIDCProvider adds or replaces tags of a provider.
func (s *Service) TagOIDCProvider(ctx context.Context, acct string, in TagOIDCProviderInput) error {
	return s.tag(ctx, oidcProviderTags, acct, in.ARN, in.Tags)
}

// UntagOIDCProviderInput is the input of UntagOpenIDConnectProvider.
type UntagOIDCProviderInput struct {
	ARN     string   `query:"OpenIDConnectProviderArn,required" min:"20" max:"2048" pattern:"arn"`
	TagKeys []string `query:"TagKeys,required" max:"50" pattern:"tagKey"`
}

// UntagOIDCProvider removes tags of a provider.
func (s *Service) UntagOIDCProvider(ctx context.Context, acct string, in UntagOIDCProviderInput) error {
	return s.untag(ctx, oidcProviderTags, acct, in.ARN, in.TagKeys)
}

// ListOIDCProviderTagsInput is the input of ListOpenIDConnectProviderTags.
type ListOIDCProviderTagsInput struct {
	ARN      string  `query:"OpenIDConnectProviderArn,required" min:"20" max:"2048" pattern:"arn"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListOIDCProviderTags returns a provider's tags; at most 50, one page.
func (s *Service) ListOIDCProviderTags(ctx context.Context, acct string, in ListOIDCProviderTagsInput) (store.Page[store.Tag], error) {
	return s.listTags(ctx, oidcProviderTags, acct, in.ARN, in.Marker, in.MaxItems)
}

// oidcProviderTags are an OIDC provider's tags, for the tag actions.
var oidcProviderTags = taggable{
	modify: func(ctx context.Context, s *Service, acct, arn string, fn func(*[]store.Tag) error) error {
		return s.oidcProviderModify(ctx, acct, arn, func(p *store.OIDCProvider) error { return fn(&p.Tags) })
	},
	read: func(ctx context.Context, s *Service, acct, arn string) ([]store.Tag, error) {
		p, err := s.GetOIDCProvider(ctx, acct, OIDCProviderInput{ARN: arn})
		return p.Tags, err
	},
	merge: mergeTags, remove: removeTags,
}
