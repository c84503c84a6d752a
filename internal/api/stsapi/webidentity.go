package stsapi

import (
	"context"
	"errors"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/sts"
	"github.com/warden-iam/warden/policy"
)

type assumeRoleWithWebIdentityInput struct {
	RoleARN          string             `query:"RoleArn,required" min:"20" max:"2048" pattern:"arn"`
	RoleSessionName  string             `query:"RoleSessionName,required" min:"2" max:"64" pattern:"roleSessionName"`
	WebIdentityToken string             `query:"WebIdentityToken,required" min:"4" max:"20000" audit:"redact"`
	ProviderID       *string            `query:"ProviderId" min:"4" max:"2048"`
	PolicyARNs       []PolicyDescriptor `query:"PolicyArns"`
	Policy           *string            `query:"Policy" min:"1" pattern:"policyDocument"`
	DurationSeconds  *int               `query:"DurationSeconds" minValue:"900" maxValue:"43200"`

	// webIdentity is the verified token, set by the Resource phase.
	webIdentity *sts.WebIdentity
}

type assumeRoleWithWebIdentityResult struct {
	Credentials                 Credentials     `xml:"Credentials"`
	SubjectFromWebIdentityToken string          `xml:"SubjectFromWebIdentityToken"`
	AssumedRoleUser             assumedRoleUser `xml:"AssumedRoleUser"`
	PackedPolicySize            int             `xml:"PackedPolicySize"`
	Provider                    string          `xml:"Provider"`
	Audience                    string          `xml:"Audience"`
	SourceIdentity              string          `xml:"SourceIdentity,omitempty"`
}

// webIdentityProviderKeys adds the provider's condition keys (several
// values for a key such as ISSUER:amr) and aws:FederatedProvider.
func webIdentityProviderKeys(id *sts.WebIdentity, keys *policy.Context) {
	multiValuedKeys(keys, id.SessionKeys, id.TrustKeys)
	keys.Set("aws:FederatedProvider", id.ProviderARN)
}

// webIdentityTagKeys adds aws:RequestTag/*, aws:TagKeys and
// sts:TransitiveTagKeys for the token's session tags.
func webIdentityTagKeys(id *sts.WebIdentity, keys *policy.Context) {
	sessionTagKeys(id.Tags, id.TransitiveTagKeys, keys)
}

// errProviderID refuses OAuth 2.0 access tokens: Warden federates OpenID
// Connect providers only, and AWS's OAuth 2.0 providers (www.amazon.com,
// graph.facebook.com) are AWS's own.
func errProviderID() error {
	return awserr.InvalidParameterValue("ProviderId is supported for OAuth 2.0 access tokens only; this endpoint federates OpenID Connect providers, so omit ProviderId.")
}

// webIdentityActions is AssumeRoleWithWebIdentity: called unsigned, the
// token is the proof of identity. The Resource phase verifies it and makes
// the provider the caller; authorization then evaluates the role's trust
// policy with the provider's condition keys from the verified claims.
func webIdentityActions(s *sts.Service) []api.Handler {
	return []api.Handler{
		api.Action[assumeRoleWithWebIdentityInput, assumeRoleWithWebIdentityResult]{
			Name: "AssumeRoleWithWebIdentity", IAMAction: "sts:AssumeRoleWithWebIdentity", Unsigned: true,
			Resource: func(ctx context.Context, c *api.Call, in *assumeRoleWithWebIdentityInput) (api.Target, error) {
				if in.ProviderID != nil {
					return api.Target{}, errProviderID()
				}
				id, err := s.VerifyWebIdentity(ctx, in.RoleARN, in.WebIdentityToken)
				if err != nil {
					return api.Target{}, err
				}
				in.webIdentity = id
				// AWS behaviour: the call's credentials, if any, play no
				// part; the identity provider is the principal.
				c.Caller = api.Caller{Account: id.Account, Principal: policy.Principal{
					Type: policy.PrincipalWebIdentity, ARN: id.ProviderARN, Account: id.Account}}
				return roleTarget(c, in.RoleARN), nil
			},
			Context: func(_ *api.Call, in *assumeRoleWithWebIdentityInput, keys *policy.Context) {
				keys.Set("sts:RoleSessionName", in.RoleSessionName)
				if id := in.webIdentity; id != nil {
					webIdentityProviderKeys(id, keys)
					webIdentityTagKeys(id, keys)
				}
			},
			Do: func(ctx context.Context, c *api.Call, in *assumeRoleWithWebIdentityInput) (*assumeRoleWithWebIdentityResult, error) {
				id := in.webIdentity
				if id == nil {
					return nil, errors.New("stsapi: AssumeRoleWithWebIdentity reached Do without a verified token")
				}
				// AWS behaviour: session tags need sts:TagSession in the
				// trust policy too.
				if len(id.Tags) > 0 {
					var keys policy.Context
					webIdentityProviderKeys(id, &keys)
					webIdentityTagKeys(id, &keys)
					if err := c.Authorize("sts:TagSession", roleTarget(c, in.RoleARN), keys); err != nil {
						return nil, err
					}
				}
				out, err := s.AssumeRoleWithWebIdentity(ctx, id, sts.AssumeRoleInput{
					RoleARN: in.RoleARN, RoleSessionName: in.RoleSessionName, DurationSeconds: in.DurationSeconds,
					Policy: in.Policy, PolicyARNs: arnsOf(in.PolicyARNs),
				})
				if err != nil {
					return nil, err
				}
				return &assumeRoleWithWebIdentityResult{
					Credentials:                 credentialsOf(out.Credentials),
					SubjectFromWebIdentityToken: id.Token.Subject,
					AssumedRoleUser:             assumedRoleUser{AssumedRoleID: out.AssumedRoleID, ARN: out.AssumedRoleARN},
					PackedPolicySize:            out.PackedPolicySize,
					Provider:                    id.ProviderARN,
					Audience:                    id.Token.Audience,
					SourceIdentity:              out.Session.SourceIdentity,
				}, nil
			},
		},
	}
}
