// Package stsapi is the STS action table and its wire structs.
package stsapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/sts"
	"github.com/warden-iam/warden/policy"
)

func init() {
	query.RegisterPattern("roleSessionName", `[\w+=,.@-]*`, `[\w+=,.@-]*`)
	query.RegisterPattern("externalId", `[\w+=,.@:\/-]*`, `[\w+=,.@:/-]*`)
	query.RegisterPattern("sourceIdentity", `[\w+=,.@-]*`, `[\w+=,.@-]*`)
	query.RegisterPattern("serialNumber", `[\w+=/:,.@-]*`, `[\w+=/:,.@-]*`)
	query.RegisterPattern("tokenCode", `[\d]*`, `[\d]*`)
	query.RegisterPattern("userName", `[\w+=,.@-]*`, `[\w+=,.@-]*`)
}

// Credentials is the Credentials shape; the secret and the token are
// hidden from the audit trail.
type Credentials struct {
	AccessKeyID     string     `xml:"AccessKeyId"`
	SecretAccessKey string     `xml:"SecretAccessKey" audit:"redact"`
	SessionToken    string     `xml:"SessionToken" audit:"redact"`
	Expiration      query.Time `xml:"Expiration"`
}

func credentialsOf(c sts.Credentials) Credentials {
	return Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: query.Time(c.Expiration)}
}

type getCallerIdentityResult struct {
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
	ARN     string `xml:"Arn"`
}

type noInput struct{}

// Tag is a session tag in a request.
type Tag struct {
	Key   string `query:"Key,required" min:"1" max:"128" pattern:"tagKey"`
	Value string `query:"Value,required" max:"256" pattern:"tagValue"`
}

// PolicyDescriptor names a managed session policy.
type PolicyDescriptor struct {
	ARN string `query:"arn" min:"20" max:"2048" pattern:"arn"`
}

type assumeRoleInput struct {
	RoleARN           string             `query:"RoleArn,required" min:"20" max:"2048" pattern:"arn"`
	RoleSessionName   string             `query:"RoleSessionName,required" min:"2" max:"64" pattern:"roleSessionName"`
	PolicyARNs        []PolicyDescriptor `query:"PolicyArns"`
	Policy            *string            `query:"Policy" min:"1" pattern:"policyDocument"`
	DurationSeconds   *int               `query:"DurationSeconds" minValue:"900" maxValue:"43200"`
	Tags              []Tag              `query:"Tags" max:"50"`
	TransitiveTagKeys []string           `query:"TransitiveTagKeys" max:"50" pattern:"tagKey"`
	ExternalID        *string            `query:"ExternalId" min:"2" max:"1224" pattern:"externalId"`
	SerialNumber      *string            `query:"SerialNumber" min:"9" max:"256" pattern:"serialNumber"`
	TokenCode         *string            `query:"TokenCode" min:"6" max:"6" pattern:"tokenCode" audit:"redact"`
	SourceIdentity    *string            `query:"SourceIdentity" min:"2" max:"64" pattern:"sourceIdentity"`
}

type assumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId"`
	ARN           string `xml:"Arn"`
}

type assumeRoleResult struct {
	Credentials      Credentials     `xml:"Credentials"`
	AssumedRoleUser  assumedRoleUser `xml:"AssumedRoleUser"`
	PackedPolicySize int             `xml:"PackedPolicySize"`
	SourceIdentity   string          `xml:"SourceIdentity,omitempty"`
}

type getSessionTokenInput struct {
	DurationSeconds *int    `query:"DurationSeconds" minValue:"900" maxValue:"129600"`
	SerialNumber    *string `query:"SerialNumber" min:"9" max:"256" pattern:"serialNumber"`
	TokenCode       *string `query:"TokenCode" min:"6" max:"6" pattern:"tokenCode" audit:"redact"`
}

type getSessionTokenResult struct {
	Credentials Credentials `xml:"Credentials"`
}

type getFederationTokenInput struct {
	Name            string             `query:"Name,required" min:"2" max:"32" pattern:"userName"`
	Policy          *string            `query:"Policy" min:"1" pattern:"policyDocument"`
	PolicyARNs      []PolicyDescriptor `query:"PolicyArns"`
	DurationSeconds *int               `query:"DurationSeconds" minValue:"900" maxValue:"129600"`
	Tags            []Tag              `query:"Tags" max:"50"`
}

type federatedUser struct {
	FederatedUserID string `xml:"FederatedUserId"`
	ARN             string `xml:"Arn"`
}

type getFederationTokenResult struct {
	Credentials      Credentials   `xml:"Credentials"`
	FederatedUser    federatedUser `xml:"FederatedUser"`
	PackedPolicySize int           `xml:"PackedPolicySize"`
}

type getAccessKeyInfoInput struct {
	AccessKeyID string `query:"AccessKeyId,required" min:"16" max:"128" pattern:"accessKeyId"`
}

type getAccessKeyInfoResult struct {
	Account string `xml:"Account"`
}

func tagsOf(in []Tag) []sts.Tag {
	out := make([]sts.Tag, 0, len(in))
	for _, t := range in {
		out = append(out, sts.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func arnsOf(in []PolicyDescriptor) []string {
	out := make([]string, 0, len(in))
	for _, d := range in {
		out = append(out, d.ARN)
	}
	return out
}

// stsCaller is the caller as package sts needs it.
func stsCaller(c *api.Call) sts.Caller {
	return sts.Caller{Account: c.Caller.Account, Root: c.Caller.IsRoot(), UserName: c.Caller.UserName,
		UserID: c.Caller.Principal.UserID, Session: c.Caller.Session, Region: c.Region}
}

// requestTagKeys adds aws:RequestTag/KEY and aws:TagKeys.
func requestTagKeys(tags []Tag, keys *policy.Context) {
	if len(tags) == 0 {
		return
	}
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		keys.Set("aws:RequestTag/"+t.Key, t.Value)
		names = append(names, t.Key)
	}
	keys.Set("aws:TagKeys", names...)
}

// multiValuedKeys sets the condition keys of a verified federated
// identity: each key once, with all its values (a multi-valued attribute or
// claim), in the order the keys first appear.
func multiValuedKeys(keys *policy.Context, groups ...[]sts.Tag) {
	values := map[string][]string{}
	var order []string
	for _, group := range groups {
		for _, k := range group {
			if _, seen := values[k.Key]; !seen {
				order = append(order, k.Key)
			}
			values[k.Key] = append(values[k.Key], k.Value)
		}
	}
	for _, k := range order {
		keys.Set(k, values[k]...)
	}
}

// sessionTagKeys adds aws:RequestTag/*, aws:TagKeys and
// sts:TransitiveTagKeys for the session tags a federated identity asks for.
func sessionTagKeys(tags []sts.Tag, transitive []string, keys *policy.Context) {
	wire := make([]Tag, 0, len(tags))
	for _, t := range tags {
		wire = append(wire, Tag{Key: t.Key, Value: t.Value})
	}
	requestTagKeys(wire, keys)
	if len(transitive) > 0 {
		keys.Set("sts:TransitiveTagKeys", transitive...)
	}
}

// roleTarget is the role AssumeRole acts on, with its trust policy. AWS
// behaviour: an absent role is refused like a role whose trust policy does
// not allow the caller, so that existence is not revealed; an empty trust
// policy stands in for it.
func roleTarget(c *api.Call, roleARN string) api.Target {
	acct, name, ok := sts.ParseRoleARN(roleARN)
	t := api.Target{ARN: roleARN, Account: acct, Policy: noTrust}
	if !ok {
		t.Account = c.Caller.Account
		return t
	}
	if r, found := c.Snapshot.Role(acct, name); found {
		t.ARN = iam.RoleARN(acct, r.Path, r.Name)
		t.Tags = r.Tags
		t.Policy = c.Snapshot.RoleTrust(acct, name)
	}
	return t
}

var noTrust = &policy.Policy{ID: "no-trust", Type: policy.Trust, Document: &policy.Document{}}

// mfaVerify checks the one-time code a request carries, for the calling
// IAM user, and reports whether the request proved MFA. A serial number
// without a code (or a code without one) proves nothing and is refused.
// AWS behaviour: only an IAM user's own device counts; a role session has
// none.
func mfaVerify(ctx context.Context, c *api.Call, serial, code *string) (bool, error) {
	if serial == nil && code == nil {
		return false, nil
	}
	if serial == nil || code == nil {
		return false, awserr.AccessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code.")
	}
	user := c.Caller.UserName
	if s := c.Caller.Session; s != nil && s.Kind != sts.KindUser {
		user = ""
	}
	if err := c.IAM.VerifyMFA(ctx, c.Caller.Account, user, *serial, *code); err != nil {
		return false, err
	}
	return true, nil
}

// mfaKeys adds the condition keys of a request that proved MFA just now.
func mfaKeys(in *assumeRoleInput, keys *policy.Context) {
	if in.SerialNumber != nil && in.TokenCode != nil {
		keys.Set("aws:MultiFactorAuthPresent", "true")
		keys.Set("aws:MultiFactorAuthAge", "0")
	}
}

// Actions returns the STS action table.
func Actions(s *sts.Service) []api.Handler {
	return append([]api.Handler{
		api.Action[noInput, getCallerIdentityResult]{
			Name: "GetCallerIdentity", IAMAction: "sts:GetCallerIdentity", ReadOnly: true,
			// AWS behaviour: no permission is needed, and no policy can deny it.
			NoAuthorization: true,
			Do: func(_ context.Context, c *api.Call, _ *noInput) (*getCallerIdentityResult, error) {
				p := c.Caller.Principal
				return &getCallerIdentityResult{UserID: p.UserID, Account: c.Caller.Account, ARN: p.ARN}, nil
			},
		},
		api.Action[assumeRoleInput, assumeRoleResult]{
			Name: "AssumeRole", IAMAction: "sts:AssumeRole",
			Resource: func(ctx context.Context, c *api.Call, in *assumeRoleInput) (api.Target, error) {
				if c.Caller.IsRoot() {
					// AWS behaviour: refused before any policy is read.
					return api.Target{}, awserr.AccessDenied("Roles may not be assumed by root accounts.")
				}
				// The one-time code is checked (and spent) before the trust
				// policy is read, so a bad code is refused as such.
				if _, err := mfaVerify(ctx, c, in.SerialNumber, in.TokenCode); err != nil {
					return api.Target{}, err
				}
				return roleTarget(c, in.RoleARN), nil
			},
			Context: func(_ *api.Call, in *assumeRoleInput, keys *policy.Context) {
				keys.Set("sts:RoleSessionName", in.RoleSessionName)
				if in.ExternalID != nil {
					keys.Set("sts:ExternalId", *in.ExternalID)
				}
				if in.SourceIdentity != nil {
					keys.Set("sts:SourceIdentity", *in.SourceIdentity)
				}
				requestTagKeys(in.Tags, keys)
				if len(in.TransitiveTagKeys) > 0 {
					keys.Set("sts:TransitiveTagKeys", in.TransitiveTagKeys...)
				}
				mfaKeys(in, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *assumeRoleInput) (*assumeRoleResult, error) {
				// AWS behaviour: session tags and a source identity need
				// their own permissions, granted by the trust policy too.
				target := roleTarget(c, in.RoleARN)
				var keys policy.Context
				requestTagKeys(in.Tags, &keys)
				mfaKeys(in, &keys)
				if len(in.Tags) > 0 {
					if err := c.Authorize("sts:TagSession", target, keys); err != nil {
						return nil, err
					}
				}
				if in.SourceIdentity != nil {
					keys.Set("sts:SourceIdentity", *in.SourceIdentity)
					if err := c.Authorize("sts:SetSourceIdentity", target, keys); err != nil {
						return nil, err
					}
				}
				caller := stsCaller(c)
				// Resource verified the code when the request carries one.
				caller.MFA = in.SerialNumber != nil && in.TokenCode != nil
				out, err := s.AssumeRole(ctx, caller, c.Caller.Principal.ARN, sts.AssumeRoleInput{
					RoleARN: in.RoleARN, RoleSessionName: in.RoleSessionName, DurationSeconds: in.DurationSeconds,
					Policy: in.Policy, PolicyARNs: arnsOf(in.PolicyARNs), Tags: tagsOf(in.Tags),
					TransitiveTagKeys: in.TransitiveTagKeys, SourceIdentity: in.SourceIdentity,
				})
				if err != nil {
					return nil, err
				}
				return &assumeRoleResult{Credentials: credentialsOf(out.Credentials),
					AssumedRoleUser:  assumedRoleUser{AssumedRoleID: out.AssumedRoleID, ARN: out.AssumedRoleARN},
					PackedPolicySize: out.PackedPolicySize, SourceIdentity: out.Session.SourceIdentity}, nil
			},
		},
		api.Action[getSessionTokenInput, getSessionTokenResult]{
			Name: "GetSessionToken", IAMAction: "sts:GetSessionToken",
			// AWS behaviour: no permission is needed to get a session of
			// one's own identity.
			NoAuthorization: true,
			Do: func(ctx context.Context, c *api.Call, in *getSessionTokenInput) (*getSessionTokenResult, error) {
				caller := stsCaller(c)
				if caller.Session != nil {
					// AWS behaviour: refused before any code is checked.
					return nil, awserr.AccessDenied("Cannot call GetSessionToken with session credentials")
				}
				var err error
				if caller.MFA, err = mfaVerify(ctx, c, in.SerialNumber, in.TokenCode); err != nil {
					return nil, err
				}
				creds, err := s.GetSessionToken(ctx, caller, in.DurationSeconds)
				if err != nil {
					return nil, err
				}
				return &getSessionTokenResult{Credentials: credentialsOf(creds)}, nil
			},
		},
		api.Action[getFederationTokenInput, getFederationTokenResult]{
			Name: "GetFederationToken", IAMAction: "sts:GetFederationToken",
			Resource: func(_ context.Context, c *api.Call, in *getFederationTokenInput) (api.Target, error) {
				return api.Target{ARN: sts.FederatedUserARN(c.Caller.Account, in.Name)}, nil
			},
			Context: func(_ *api.Call, in *getFederationTokenInput, keys *policy.Context) { requestTagKeys(in.Tags, keys) },
			Do: func(ctx context.Context, c *api.Call, in *getFederationTokenInput) (*getFederationTokenResult, error) {
				if len(in.Tags) > 0 {
					var keys policy.Context
					requestTagKeys(in.Tags, &keys)
					if err := c.Authorize("sts:TagSession", api.Target{ARN: sts.FederatedUserARN(c.Caller.Account, in.Name)}, keys); err != nil {
						return nil, err
					}
				}
				creds, sess, err := s.GetFederationToken(ctx, stsCaller(c), sts.FederationInput{Name: in.Name,
					DurationSeconds: in.DurationSeconds, Policy: in.Policy, PolicyARNs: arnsOf(in.PolicyARNs), Tags: tagsOf(in.Tags)})
				if err != nil {
					return nil, err
				}
				return &getFederationTokenResult{Credentials: credentialsOf(creds),
					FederatedUser:    federatedUser{FederatedUserID: c.Caller.Account + ":" + in.Name, ARN: sts.FederatedUserARN(c.Caller.Account, in.Name)},
					PackedPolicySize: sts.PackedSize(sess)}, nil
			},
		},
		api.Action[getAccessKeyInfoInput, getAccessKeyInfoResult]{
			Name: "GetAccessKeyInfo", IAMAction: "sts:GetAccessKeyInfo", ReadOnly: true,
			Do: func(_ context.Context, c *api.Call, in *getAccessKeyInfoInput) (*getAccessKeyInfoResult, error) {
				// A key this deployment holds answers from the snapshot; any
				// other key id answers with the account it encodes.
				if k := c.Snapshot.Key(in.AccessKeyID); k != nil {
					return &getAccessKeyInfoResult{Account: k.Account}, nil
				}
				if acct, ok := iam.KeyAccount(in.AccessKeyID); ok {
					return &getAccessKeyInfoResult{Account: acct}, nil
				}
				return nil, awserr.InvalidParameterValue("The access key ID %s is not valid.", in.AccessKeyID)
			},
		},
	}, append(append(moreActions(s), webIdentityActions(s)...), samlActions(s)...)...)
}
