package sts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/sts/oidc"
)

// WebIdentity is a verified web identity token and the IAM OIDC provider
// that vouched for it: what AssumeRoleWithWebIdentity authorizes and
// issues a session on. Only [Service.VerifyWebIdentity] makes one.
type WebIdentity struct {
	// Account owns the role and the provider.
	Account     string
	ProviderARN string
	// ProviderURL is the provider's URL without https://, the prefix of
	// its condition keys.
	ProviderURL string
	Token       *oidc.Token
	// SessionKeys are the provider's condition keys (ISSUER:aud,
	// ISSUER:sub, ISSUER:amr ...), from verified claims only. The session
	// carries them.
	SessionKeys []Tag
	// TrustKeys are further claim keys that only the role trust policy
	// sees (GitHub's repository, ref, workflow ...).
	TrustKeys []Tag
	// Tags and TransitiveTagKeys are the session tags of the token's
	// https://aws.amazon.com/tags claim.
	Tags              []Tag
	TransitiveTagKeys []string
}

// OIDCProviderARN is the ARN of an IAM OIDC provider: the provider's URL
// without https:// after "oidc-provider/".
func OIDCProviderARN(acct, url string) string {
	return "arn:aws:iam::" + acct + ":oidc-provider/" + url
}

// VerifyWebIdentity finds the IAM OIDC provider of the token's issuer in
// the role's account and verifies the token with it. AWS behaviour: the
// provider is the one whose URL is the token's iss claim (without
// https://), in the account of the role.
func (s *Service) VerifyWebIdentity(ctx context.Context, roleARN, token string) (*WebIdentity, error) {
	acct, _, ok := ParseRoleARN(roleARN)
	if !ok {
		return nil, awserr.ValidationError("%s is invalid", roleARN)
	}
	iss, err := oidc.UnverifiedIssuer(token)
	if err != nil {
		return nil, err
	}
	url, ok := strings.CutPrefix(iss, "https://")
	if !ok || url == "" {
		return nil, errNoProvider(iss)
	}
	var p store.OIDCProvider
	err = s.store.View(ctx, func(r store.Reader) error {
		var err error
		p, err = r.GetOIDCProvider(ctx, acct, url)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		s.oidc.Forget(acct, url)
		return nil, errNoProvider(iss)
	}
	if err != nil {
		return nil, fmt.Errorf("sts: read OIDC provider: %w", err)
	}
	tok, err := s.oidc.Verify(ctx, oidc.Provider{Account: acct, URL: p.URL, ClientIDs: p.ClientIDs,
		Thumbprints: p.Thumbprints, Version: p.CreateDate.UTC().Format(time.RFC3339Nano)}, token)
	if err != nil {
		return nil, err
	}
	id := &WebIdentity{Account: acct, ProviderARN: OIDCProviderARN(acct, p.URL), ProviderURL: p.URL, Token: tok}
	id.SessionKeys, id.TrustKeys = webIdentityKeys(p.URL, tok)
	if id.Tags, id.TransitiveTagKeys, err = webIdentityTags(tok); err != nil {
		return nil, err
	}
	return id, nil
}

func errNoProvider(iss string) error {
	return oidc.InvalidIdentityToken("No OpenIDConnect provider found in your account for %s", iss)
}

// Well-known issuers with claims of their own.
const (
	webIdentityGitHub = "token.actions.githubusercontent.com"
	webIdentityGoogle = "accounts.google.com"
)

// webIdentityGitHubClaims are the GitHub Actions claims AWS STS offers as
// trust-policy condition keys (token.actions.githubusercontent.com:CLAIM)
// beside aud and sub. AWS behaviour: they are evaluated in the trust policy
// only and are not available in the session.
// [AWS STS supports validation of identity provider claims]: https://aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims/
var webIdentityGitHubClaims = []string{
	"actor", "actor_id", "job_workflow_ref", "repository", "repository_id",
	"workflow", "ref", "environment", "enterprise_id",
}

// webIdentityKeys returns the provider condition keys of a verified token.
// AWS behaviour ([Available keys for AWS web identity federation]):
// ISSUER:aud (the client ID), ISSUER:sub and ISSUER:amr for every OIDC
// provider, where ISSUER is the provider's URL without https://; for
// Google, :aud is the azp claim when present and :oaud the aud. EKS
// service-account tokens use the generic keys (sub is
// system:serviceaccount:NAMESPACE:NAME).
//
// [Available keys for AWS web identity federation]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
func webIdentityKeys(url string, t *oidc.Token) (session, trust []Tag) {
	aud := t.Audience
	if url == webIdentityGoogle && t.AuthorizedParty != "" {
		aud = t.AuthorizedParty
		session = append(session, Tag{Key: url + ":oaud", Value: t.Audience})
	}
	session = append(session, Tag{Key: url + ":aud", Value: aud}, Tag{Key: url + ":sub", Value: t.Subject})
	for _, m := range t.AMR {
		session = append(session, Tag{Key: url + ":amr", Value: m})
	}
	if url == webIdentityGitHub {
		for _, c := range webIdentityGitHubClaims {
			if v, ok := claimString(t.Claims[c]); ok {
				trust = append(trust, Tag{Key: url + ":" + c, Value: v})
			}
		}
	}
	return session, trust
}

// claimString renders a string or number claim; other shapes are absent.
func claimString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	}
	return "", false
}

// webIdentityTagsClaim is the claim that carries session tags.
// [Passing session tags using AssumeRoleWithWebIdentity]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-idp
const webIdentityTagsClaim = "https://aws.amazon.com/tags"

// webIdentityTags reads the session tags of the token: principal_tags maps
// each key to a list of one value, transitive_tag_keys lists keys.
func webIdentityTags(t *oidc.Token) ([]Tag, []string, error) {
	raw, ok := t.Claims[webIdentityTagsClaim].(map[string]any)
	if !ok {
		return nil, nil, nil
	}
	bad := func() ([]Tag, []string, error) {
		return nil, nil, oidc.InvalidIdentityToken("The %s claim of the web identity token is not valid.", webIdentityTagsClaim)
	}
	var tags []Tag
	if pt, present := raw["principal_tags"]; present {
		m, ok := pt.(map[string]any)
		if !ok {
			return bad()
		}
		for k, v := range m {
			list, ok := v.([]any)
			if !ok || len(list) != 1 {
				return bad()
			}
			s, ok := list[0].(string)
			if !ok || k == "" || len(k) > 128 || len(s) > 256 {
				return bad()
			}
			tags = append(tags, Tag{Key: k, Value: s})
		}
	}
	// Map order is random; keep the session's tags in a stable order.
	sortTags(tags)
	var transitive []string
	if tk, present := raw["transitive_tag_keys"]; present {
		list, ok := tk.([]any)
		if !ok {
			return bad()
		}
		for _, v := range list {
			s, ok := v.(string)
			if !ok {
				return bad()
			}
			transitive = append(transitive, s)
		}
	}
	return tags, transitive, nil
}

func sortTags(tags []Tag) {
	for i := 1; i < len(tags); i++ {
		for j := i; j > 0 && tags[j].Key < tags[j-1].Key; j-- {
			tags[j], tags[j-1] = tags[j-1], tags[j]
		}
	}
}

// errWebIdentityDenied is AWS's refusal of AssumeRoleWithWebIdentity,
// which does not say whether the role exists.
func errWebIdentityDenied() error {
	return awserr.AccessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity")
}

// AssumeRoleWithWebIdentity issues a role session for a verified web
// identity. The trust policy was evaluated before; this checks the
// request's own rules. The provider, its condition keys and the session
// tags come from id only (in.Provider, in.ProviderKeys, in.Tags,
// in.TransitiveTagKeys and in.SourceIdentity are ignored). AWS behaviour:
// 900 s to the role's MaxSessionDuration, an hour by default.
func (s *Service) AssumeRoleWithWebIdentity(ctx context.Context, id *WebIdentity, in AssumeRoleInput) (Issued, error) {
	if id == nil {
		return Issued{}, errors.New("sts: AssumeRoleWithWebIdentity without a verified identity")
	}
	acct, roleName, ok := ParseRoleARN(in.RoleARN)
	if !ok {
		return Issued{}, awserr.ValidationError("%s is invalid", in.RoleARN)
	}
	if acct != id.Account {
		return Issued{}, errWebIdentityDenied()
	}
	role, found := s.iam.Snapshot().Role(acct, roleName)
	if !found {
		return Issued{}, errWebIdentityDenied()
	}
	d := defaultRoleDuration
	if in.DurationSeconds != nil {
		d = *in.DurationSeconds
		if d < minDuration {
			return Issued{}, awserr.ValidationError("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to %d", d, minDuration)
		}
		if d > role.MaxSessionDuration {
			return Issued{}, awserr.ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
	}
	sess := &Session{Kind: KindAssumedRole, Account: acct, RoleName: role.Name, RoleID: role.ID, RolePath: role.Path,
		SessionName: in.RoleSessionName, Provider: id.ProviderARN, ProviderKeys: append([]Tag(nil), id.SessionKeys...)}
	if err := s.sessionPolicies(sess, in.Policy, in.PolicyARNs); err != nil {
		return Issued{}, err
	}
	if err := inheritAndSetTags(sess, nil, id.Tags, id.TransitiveTagKeys); err != nil {
		return Issued{}, err
	}
	creds := s.issue(sess, time.Duration(d)*time.Second)
	s.iam.RecordRoleUse(acct, role.Name, "")
	return Issued{Credentials: creds, Session: sess,
		AssumedRoleARN:   AssumedRoleARN(acct, role.Name, in.RoleSessionName),
		AssumedRoleID:    role.ID + ":" + in.RoleSessionName,
		PackedPolicySize: packedSize(sess)}, nil
}
