package stsapi

import (
	"context"
	"net"
	"net/http"
	"strconv"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/sts"
	"github.com/warden-iam/warden/policy"
)

type decodeInput struct {
	// AWS behaviour: characters outside the model's set (line breaks in a
	// pasted message) are an InvalidAuthorizationMessageException, not a
	// ValidationError, so no pattern is checked here.
	EncodedMessage string `query:"EncodedMessage,required" min:"1" max:"10240"`
}

type decodeResult struct {
	DecodedMessage string `xml:"DecodedMessage"`
}

type rootInput struct {
	TargetPrincipal         string `query:"TargetPrincipal,required" min:"12" max:"2048" pattern:"arn"`
	TaskPolicyARN           string `query:"TaskPolicyArn.arn,required" min:"20" max:"2048" pattern:"arn"`
	DurationSeconds         *int   `query:"DurationSeconds" minValue:"0" maxValue:"900"`
	MinimumSessionTokenSize *int   `query:"MinimumSessionTokenSize" minValue:"0" maxValue:"4096"`
}

type rootResult struct {
	Credentials    Credentials `xml:"Credentials"`
	SourceIdentity string      `xml:"SourceIdentity,omitempty"`
}

type webTokenInput struct {
	Audience         []string `query:"Audience,required" min:"1" max:"10"`
	SigningAlgorithm string   `query:"SigningAlgorithm,required" enum:"RS256|ES384"`
	DurationSeconds  *int     `query:"DurationSeconds" minValue:"60" maxValue:"3600"`
	Tags             []Tag    `query:"Tags" max:"50"`
}

type webTokenResult struct {
	WebIdentityToken string     `xml:"WebIdentityToken" audit:"redact"`
	Expiration       query.Time `xml:"Expiration"`
}

type delegatedInput struct {
	TradeInToken string `query:"TradeInToken,required" audit:"redact"`
}

type delegatedResult struct {
	Credentials      Credentials `xml:"Credentials"`
	AssumedPrincipal string      `xml:"AssumedPrincipal"`
}

// webTokenIssuer is the issuer URL of the request's server. The action
// sees no HTTP request, only its context: the address of the connection
// the request came in on names the server, as the discovery routes do.
func webTokenIssuer(ctx context.Context) string {
	if a, ok := ctx.Value(http.LocalAddrContextKey).(net.Addr); ok {
		return sts.WebTokenIssuer(a.String(), false)
	}
	return sts.WebTokenIssuer("", false)
}

// moreActions are DecodeAuthorizationMessage, AssumeRoot,
// GetWebIdentityToken and GetDelegatedAccessToken.
func moreActions(s *sts.Service) []api.Handler {
	return []api.Handler{
		api.Action[decodeInput, decodeResult]{
			Name: "DecodeAuthorizationMessage", IAMAction: "sts:DecodeAuthorizationMessage", ReadOnly: true,
			Do: func(ctx context.Context, _ *api.Call, in *decodeInput) (*decodeResult, error) {
				msg, err := s.DecodeAuthorizationMessage(ctx, in.EncodedMessage)
				if err != nil {
					return nil, err
				}
				return &decodeResult{DecodedMessage: msg}, nil
			},
		},
		api.Action[rootInput, rootResult]{
			Name: "AssumeRoot", IAMAction: "sts:AssumeRoot",
			Resource: func(_ context.Context, c *api.Call, in *rootInput) (api.Target, error) {
				acct, ok := sts.RootTarget(in.TargetPrincipal)
				if !ok {
					return api.Target{}, awserr.ValidationError("The TargetPrincipal %s is not a valid account id or root user ARN.", in.TargetPrincipal)
				}
				if c.Caller.IsRoot() {
					// AWS behaviour: root user credentials cannot call it,
					// whatever the policies say.
					return api.Target{}, awserr.AccessDenied("User: %s is not authorized to perform: sts:AssumeRoot on resource: %s", c.Caller.Principal.ARN, sts.RootARN(acct))
				}
				if err := sts.RootTaskPolicy(in.TaskPolicyARN); err != nil {
					return api.Target{}, err
				}
				// The member account trusts its organization's management
				// account, not a resource-based policy: only the caller's
				// own policies decide, as for an action in its account.
				return api.Target{ARN: sts.RootARN(acct)}, nil
			},
			Context: func(_ *api.Call, in *rootInput, keys *policy.Context) {
				keys.Set("sts:TaskPolicyArn", in.TaskPolicyARN)
			},
			Do: func(ctx context.Context, c *api.Call, in *rootInput) (*rootResult, error) {
				creds, sess, err := s.AssumeRoot(ctx, stsCaller(c), c.Caller.Principal.ARN, sts.RootInput{
					TargetPrincipal: in.TargetPrincipal, TaskPolicyARN: in.TaskPolicyARN, DurationSeconds: in.DurationSeconds})
				if err != nil {
					return nil, err
				}
				return &rootResult{Credentials: credentialsOf(creds), SourceIdentity: sess.SourceIdentity}, nil
			},
		},
		api.Action[webTokenInput, webTokenResult]{
			Name: "GetWebIdentityToken", IAMAction: "sts:GetWebIdentityToken",
			Context: func(_ *api.Call, in *webTokenInput, keys *policy.Context) {
				keys.Set("sts:IdentityTokenAudience", in.Audience...)
				keys.Set("sts:SigningAlgorithm", in.SigningAlgorithm)
				if in.DurationSeconds != nil {
					keys.Set("sts:DurationSeconds", strconv.Itoa(*in.DurationSeconds))
				}
				requestTagKeys(in.Tags, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *webTokenInput) (*webTokenResult, error) {
				p := c.Caller.Principal
				sub := p.ARN
				if p.RoleARN != "" {
					sub = p.RoleARN // AWS behaviour: a role session's token names the role
				}
				tok, err := s.GetWebIdentityToken(ctx, sts.WebTokenInput{Issuer: webTokenIssuer(ctx),
					Audience: in.Audience, SigningAlgorithm: in.SigningAlgorithm, DurationSeconds: in.DurationSeconds,
					Tags: tagsOf(in.Tags), Subject: sub, Account: c.Caller.Account, Region: c.Region,
					PrincipalTags: p.Tags, Session: c.Caller.Session})
				if err != nil {
					return nil, err
				}
				return &webTokenResult{WebIdentityToken: tok.Token, Expiration: query.Time(tok.Expiration)}, nil
			},
		},
		api.Action[delegatedInput, delegatedResult]{
			Name: "GetDelegatedAccessToken", IAMAction: "sts:GetDelegatedAccessToken",
			Do: func(ctx context.Context, _ *api.Call, in *delegatedInput) (*delegatedResult, error) {
				out, err := s.GetDelegatedAccessToken(ctx, in.TradeInToken)
				if err != nil {
					return nil, err
				}
				return &delegatedResult{Credentials: credentialsOf(out.Credentials), AssumedPrincipal: out.AssumedPrincipal}, nil
			},
		},
	}
}
