package orgapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/jsonproto"
	"github.com/warden-iam/warden/internal/orgs"
	"github.com/warden-iam/warden/policy"
)

// EnabledServicePrincipal is the EnabledServicePrincipal shape.
type EnabledServicePrincipal struct {
	ServicePrincipal string          `json:"ServicePrincipal"`
	DateEnabled      *jsonproto.Time `json:"DateEnabled,omitempty"`
}

type listServiceAccessResult struct {
	EnabledServicePrincipals []EnabledServicePrincipal `json:"EnabledServicePrincipals"`
	NextToken                string                    `json:"NextToken,omitempty"`
}

// servicePrincipal sets organizations:ServicePrincipal, the condition key
// of the trusted access and delegation actions (Service Authorization
// Reference).
func servicePrincipal(sp string, keys *policy.Context) {
	if sp != "" {
		keys.Set("organizations:ServicePrincipal", sp)
	}
}

func serviceAccessActions(s *orgs.Service) []api.Handler {
	principal := func(_ *api.Call, in *orgs.ServiceAccessInput, keys *policy.Context) {
		servicePrincipal(in.ServicePrincipal, keys)
	}
	return []api.Handler{
		api.Action[orgs.ServiceAccessInput, empty]{
			Name: "EnableAWSServiceAccess", IAMAction: "organizations:EnableAWSServiceAccess", Context: principal,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ServiceAccessInput) (*empty, error) {
				return &empty{}, s.EnableAWSServiceAccess(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.ServiceAccessInput, empty]{
			Name: "DisableAWSServiceAccess", IAMAction: "organizations:DisableAWSServiceAccess", Context: principal,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ServiceAccessInput) (*empty, error) {
				return &empty{}, s.DisableAWSServiceAccess(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.ListServiceAccessInput, listServiceAccessResult]{
			Name: "ListAWSServiceAccessForOrganization", IAMAction: "organizations:ListAWSServiceAccessForOrganization", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListServiceAccessInput) (*listServiceAccessResult, error) {
				p, err := s.ListAWSServiceAccessForOrganization(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listServiceAccessResult{EnabledServicePrincipals: mapList(p.Items, func(e orgs.EnabledService) EnabledServicePrincipal {
					w := EnabledServicePrincipal{ServicePrincipal: e.ServicePrincipal}
					if !e.Enabled.IsZero() {
						t := jsonproto.Time(e.Enabled)
						w.DateEnabled = &t
					}
					return w
				}), NextToken: p.NextToken}, nil
			},
		},
	}
}
