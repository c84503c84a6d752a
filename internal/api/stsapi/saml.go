package stsapi

import (
	"context"
	"errors"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/sts"
	"github.com/warden-iam/warden/policy"
)

type assumeRoleWithSAMLInput struct {
	RoleARN         string             `query:"RoleArn,required" min:"20" max:"2048" pattern:"arn"`
	PrincipalARN    string             `query:"PrincipalArn,required" min:"20" max:"2048" pattern:"arn"`
	SAMLAssertion   string             `query:"SAMLAssertion,required" min:"4" max:"100000" audit:"redact"`
	PolicyARNs      []PolicyDescriptor `query:"PolicyArns"`
	Policy          *string            `query:"Policy" min:"1" pattern:"policyDocument"`
	DurationSeconds *int               `query:"DurationSeconds" minValue:"900" maxValue:"43200"`

	// samlIdentity is the verified assertion, set by the Resource phase.
	samlIdentity *sts.SAMLIdentity
}

type assumeRoleWithSAMLResult struct {
	Credentials      Credentials     `xml:"Credentials"`
	AssumedRoleUser  assumedRoleUser `xml:"AssumedRoleUser"`
	PackedPolicySize int             `xml:"PackedPolicySize"`
	Subject          string          `xml:"Subject"`
	SubjectType      string          `xml:"SubjectType"`
	Issuer           string          `xml:"Issuer"`
	Audience         string          `xml:"Audience"`
	NameQualifier    string          `xml:"NameQualifier"`
	SourceIdentity   string          `xml:"SourceIdentity,omitempty"`
}

// samlKeys adds the trust policy's condition keys of a verified assertion:
// the saml:* keys (several values for a multi-valued attribute), the
// session tags it asks for, and its source identity.
func samlKeys(id *sts.SAMLIdentity, keys *policy.Context) {
	multiValuedKeys(keys, id.Keys)
	sessionTagKeys(id.Tags, id.TransitiveTagKeys, keys)
	if id.SourceIdentity != nil {
		keys.Set("sts:SourceIdentity", *id.SourceIdentity)
	}
}

// samlDenied is AWS's refusal of a trust policy that does not allow the
// provider; it names neither the role nor why.
func samlDenied(err error) error {
	var ae *awserr.Error
	if errors.As(err, &ae) && ae.Code == "AccessDenied" {
		return awserr.AccessDenied("Not authorized to perform sts:AssumeRoleWithSAML")
	}
	return err
}

// samlActions is AssumeRoleWithSAML: called unsigned, the assertion is the
// proof of identity. The Resource phase verifies it and makes the SAML
// provider the caller; authorization then evaluates the role's trust
// policy (principal {"Federated": PROVIDER-ARN}) with the saml:* keys of
// the verified assertion.
func samlActions(s *sts.Service) []api.Handler {
	return []api.Handler{
		api.Action[assumeRoleWithSAMLInput, assumeRoleWithSAMLResult]{
			Name: "AssumeRoleWithSAML", IAMAction: "sts:AssumeRoleWithSAML", Unsigned: true,
			Resource: func(ctx context.Context, c *api.Call, in *assumeRoleWithSAMLInput) (api.Target, error) {
				// This reads the provider's metadata from the store: SAML
				// providers are not in the snapshot.
				id, err := s.VerifySAML(ctx, in.RoleARN, in.PrincipalARN, in.SAMLAssertion)
				if err != nil {
					return api.Target{}, err
				}
				in.samlIdentity = id
				// AWS behaviour: the call's credentials, if any, play no
				// part; the SAML provider is the principal.
				c.Caller = api.Caller{Account: id.Account, Principal: policy.Principal{
					Type: policy.PrincipalWebIdentity, ARN: id.ProviderARN, Account: id.Account}}
				t := roleTarget(c, in.RoleARN)
				// Decide here too, to answer a refusal in AWS's words; the
				// dispatcher's own decision, next, is the same one.
				var keys policy.Context
				samlKeys(id, &keys)
				if err := c.Authorize("sts:AssumeRoleWithSAML", t, keys); err != nil {
					return api.Target{}, samlDenied(err)
				}
				return t, nil
			},
			Context: func(_ *api.Call, in *assumeRoleWithSAMLInput, keys *policy.Context) {
				if id := in.samlIdentity; id != nil {
					samlKeys(id, keys)
				}
			},
			Do: func(ctx context.Context, c *api.Call, in *assumeRoleWithSAMLInput) (*assumeRoleWithSAMLResult, error) {
				id := in.samlIdentity
				if id == nil {
					return nil, errors.New("stsapi: AssumeRoleWithSAML reached Do without a verified assertion")
				}
				// AWS behaviour: session tags and a source identity need
				// sts:TagSession and sts:SetSourceIdentity in the trust
				// policy too.
				target := roleTarget(c, in.RoleARN)
				var keys policy.Context
				samlKeys(id, &keys)
				if len(id.Tags) > 0 {
					if err := c.Authorize("sts:TagSession", target, keys); err != nil {
						return nil, err
					}
				}
				if id.SourceIdentity != nil {
					if err := c.Authorize("sts:SetSourceIdentity", target, keys); err != nil {
						return nil, err
					}
				}
				out, err := s.AssumeRoleWithSAML(ctx, id, sts.SAMLAssumeInput{DurationSeconds: in.DurationSeconds,
					Policy: in.Policy, PolicyARNs: arnsOf(in.PolicyARNs), Region: c.Region})
				if err != nil {
					return nil, err
				}
				return &assumeRoleWithSAMLResult{
					Credentials:      credentialsOf(out.Credentials),
					AssumedRoleUser:  assumedRoleUser{AssumedRoleID: out.AssumedRoleID, ARN: out.AssumedRoleARN},
					PackedPolicySize: out.PackedPolicySize,
					Subject:          id.Subject, SubjectType: id.SubjectType, Issuer: id.Issuer,
					Audience: id.Audience, NameQualifier: id.NameQualifier,
					SourceIdentity: out.Session.SourceIdentity,
				}, nil
			},
		},
	}
}
