package iamapi

import (
	"context"
	"maps"
	"net"
	"net/http"
	"slices"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/sts"
)

type outboundEnableResult struct {
	IssuerIdentifier string `xml:"IssuerIdentifier"`
}

type outboundInfoResult struct {
	IssuerIdentifier  string `xml:"IssuerIdentifier"`
	JwtVendingEnabled bool   `xml:"JwtVendingEnabled"`
}

// propertyEntry is one entry of a string map in the Query protocol.
type propertyEntry struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

type accountPropertiesResult struct {
	Properties []propertyEntry `xml:"Properties>entry"`
}

// issuerOf is the issuer URL of the tokens sts:GetWebIdentityToken signs
// on this server: named by the address of the connection the request came
// in on, as stsapi and the discovery routes name it.
func issuerOf(ctx context.Context) string {
	if a, ok := ctx.Value(http.LocalAddrContextKey).(net.Addr); ok {
		return sts.WebTokenIssuer(a.String(), false)
	}
	return sts.WebTokenIssuer("", false)
}

// accountSettingActions are the account-wide switches: outbound web
// identity federation, the STS global endpoint's token version and account
// properties. None has a resource type, so they are authorized on "*".
func accountSettingActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[struct{}, outboundEnableResult]{
			Name: "EnableOutboundWebIdentityFederation", IAMAction: "iam:EnableOutboundWebIdentityFederation",
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*outboundEnableResult, error) {
				if err := s.EnableOutboundWebIdentityFederation(ctx, c.Caller.Account); err != nil {
					return nil, err
				}
				return &outboundEnableResult{IssuerIdentifier: issuerOf(ctx)}, nil
			},
		},
		api.Action[struct{}, struct{}]{
			Name: "DisableOutboundWebIdentityFederation", IAMAction: "iam:DisableOutboundWebIdentityFederation",
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*struct{}, error) {
				return nil, s.DisableOutboundWebIdentityFederation(ctx, c.Caller.Account)
			},
		},
		api.Action[struct{}, outboundInfoResult]{
			Name: "GetOutboundWebIdentityFederationInfo", IAMAction: "iam:GetOutboundWebIdentityFederationInfo", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*outboundInfoResult, error) {
				enabled, err := s.GetOutboundWebIdentityFederationInfo(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				return &outboundInfoResult{IssuerIdentifier: issuerOf(ctx), JwtVendingEnabled: enabled}, nil
			},
		},
		api.Action[iam.SetSecurityTokenServicePreferencesInput, struct{}]{
			Name: "SetSecurityTokenServicePreferences", IAMAction: "iam:SetSecurityTokenServicePreferences",
			Do: func(ctx context.Context, c *api.Call, in *iam.SetSecurityTokenServicePreferencesInput) (*struct{}, error) {
				return nil, s.SetSecurityTokenServicePreferences(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[struct{}, accountPropertiesResult]{
			Name: "GetAccountProperties", IAMAction: "iam:GetAccountProperties", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*accountPropertiesResult, error) {
				m, err := s.GetAccountProperties(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				out := &accountPropertiesResult{Properties: make([]propertyEntry, 0, len(m))}
				for _, k := range slices.Sorted(maps.Keys(m)) {
					out.Properties = append(out.Properties, propertyEntry{Key: k, Value: m[k]})
				}
				return out, nil
			},
		},
		api.Action[iam.PutAccountPropertiesInput, struct{}]{
			Name: "PutAccountProperties", IAMAction: "iam:PutAccountProperties",
			// AWS's model gives this action an (empty) result element, which
			// the SDKs require.
			Do: func(ctx context.Context, c *api.Call, in *iam.PutAccountPropertiesInput) (*struct{}, error) {
				if err := s.PutAccountProperties(ctx, c.Caller.Account, *in); err != nil {
					return nil, err
				}
				return &struct{}{}, nil
			},
		},
	}
}
