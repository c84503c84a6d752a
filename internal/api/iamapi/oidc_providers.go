package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

type createOIDCProviderResult struct {
	ARN  string        `xml:"OpenIDConnectProviderArn"`
	Tags *Members[Tag] `xml:"Tags,omitempty"`
}

// getOIDCProviderResult is GetOpenIDConnectProvider's answer. AWS
// behaviour: Url is the URL without https://.
type getOIDCProviderResult struct {
	URL            string        `xml:"Url"`
	ClientIDList   []string      `xml:"ClientIDList>member"`
	ThumbprintList []string      `xml:"ThumbprintList>member"`
	CreateDate     query.Time    `xml:"CreateDate"`
	Tags           *Members[Tag] `xml:"Tags,omitempty"`
}

type oidcProviderListEntry struct {
	ARN string `xml:"Arn"`
}

type listOIDCProvidersResult struct {
	Providers []oidcProviderListEntry `xml:"OpenIDConnectProviderList>member"`
}

type oidcNoInput struct{}

// oidcProviderByARN is the resource of an action on a named provider: the
// ARN as given (it holds no path), with the provider's tags.
func oidcProviderByARN(s *iam.Service) targetOf {
	return func(ctx context.Context, c *api.Call, arn string) api.Target {
		t := api.Target{ARN: arn}
		if p, err := s.GetOIDCProvider(ctx, c.Caller.Account, iam.OIDCProviderInput{ARN: arn}); err == nil {
			t.Tags = p.Tags
		}
		return t
	}
}

func oidcProviderActions(s *iam.Service) []api.Handler {
	return append([]api.Handler{
		api.Action[iam.CreateOIDCProviderInput, createOIDCProviderResult]{
			Name: "CreateOpenIDConnectProvider", IAMAction: "iam:CreateOpenIDConnectProvider",
			Resource: func(_ context.Context, c *api.Call, in *iam.CreateOIDCProviderInput) (api.Target, error) {
				u := in.URL
				if len(u) > len("https://") && u[:len("https://")] == "https://" {
					u = u[len("https://"):]
				}
				return api.Target{ARN: iam.OIDCProviderARN(c.Caller.Account, u)}, nil
			},
			Context: func(_ *api.Call, in *iam.CreateOIDCProviderInput, keys *policy.Context) { requestTags(in.Tags, keys) },
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateOIDCProviderInput) (*createOIDCProviderResult, error) {
				p, err := s.CreateOIDCProvider(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &createOIDCProviderResult{ARN: iam.OIDCProviderARN(p.Account, p.URL), Tags: optionalTags(p.Tags)}, nil
			},
		},
		api.Action[iam.OIDCProviderInput, getOIDCProviderResult]{
			Name: "GetOpenIDConnectProvider", IAMAction: "iam:GetOpenIDConnectProvider", ReadOnly: true,
			Resource: named(oidcProviderByARN(s), func(in *iam.OIDCProviderInput) string { return in.ARN }),
			Do: func(ctx context.Context, c *api.Call, in *iam.OIDCProviderInput) (*getOIDCProviderResult, error) {
				p, err := s.GetOIDCProvider(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return oidcProviderOf(p), nil
			},
		},
		api.Action[oidcNoInput, listOIDCProvidersResult]{
			Name: "ListOpenIDConnectProviders", IAMAction: "iam:ListOpenIDConnectProviders", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, _ *oidcNoInput) (*listOIDCProvidersResult, error) {
				ps, err := s.ListOIDCProviders(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				out := &listOIDCProvidersResult{Providers: []oidcProviderListEntry{}}
				for _, p := range ps {
					out.Providers = append(out.Providers, oidcProviderListEntry{ARN: iam.OIDCProviderARN(p.Account, p.URL)})
				}
				return out, nil
			},
		},
		api.Action[iam.OIDCProviderInput, struct{}]{
			Name: "DeleteOpenIDConnectProvider", IAMAction: "iam:DeleteOpenIDConnectProvider",
			Resource: named(oidcProviderByARN(s), func(in *iam.OIDCProviderInput) string { return in.ARN }),
			Do: func(ctx context.Context, c *api.Call, in *iam.OIDCProviderInput) (*struct{}, error) {
				return nil, s.DeleteOIDCProvider(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.OIDCClientIDInput, struct{}]{
			Name: "AddClientIDToOpenIDConnectProvider", IAMAction: "iam:AddClientIDToOpenIDConnectProvider",
			Resource: named(oidcProviderByARN(s), func(in *iam.OIDCClientIDInput) string { return in.ARN }),
			Do: func(ctx context.Context, c *api.Call, in *iam.OIDCClientIDInput) (*struct{}, error) {
				return nil, s.AddClientIDToOIDCProvider(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.OIDCClientIDInput, struct{}]{
			Name: "RemoveClientIDFromOpenIDConnectProvider", IAMAction: "iam:RemoveClientIDFromOpenIDConnectProvider",
			Resource: named(oidcProviderByARN(s), func(in *iam.OIDCClientIDInput) string { return in.ARN }),
			Do: func(ctx context.Context, c *api.Call, in *iam.OIDCClientIDInput) (*struct{}, error) {
				return nil, s.RemoveClientIDFromOIDCProvider(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.UpdateOIDCThumbprintInput, struct{}]{
			Name: "UpdateOpenIDConnectProviderThumbprint", IAMAction: "iam:UpdateOpenIDConnectProviderThumbprint",
			Resource: named(oidcProviderByARN(s), func(in *iam.UpdateOIDCThumbprintInput) string { return in.ARN }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateOIDCThumbprintInput) (*struct{}, error) {
				return nil, s.UpdateOIDCProviderThumbprint(ctx, c.Caller.Account, *in)
			},
		},
	}, taggable[iam.TagOIDCProviderInput, iam.UntagOIDCProviderInput, iam.ListOIDCProviderTagsInput]{
		Kind: "OpenIDConnectProvider", Target: oidcProviderByARN(s),
		TagID:   func(in *iam.TagOIDCProviderInput) string { return in.ARN },
		UntagID: func(in *iam.UntagOIDCProviderInput) string { return in.ARN },
		ListID:  func(in *iam.ListOIDCProviderTagsInput) string { return in.ARN },
		Tags:    func(in *iam.TagOIDCProviderInput) []iam.Tag { return in.Tags },
		TagKeys: func(in *iam.UntagOIDCProviderInput) []string { return in.TagKeys },
		Tag:     s.TagOIDCProvider, Untag: s.UntagOIDCProvider, List: s.ListOIDCProviderTags,
	}.actions()...)
}

func oidcProviderOf(p store.OIDCProvider) *getOIDCProviderResult {
	out := &getOIDCProviderResult{URL: p.URL, ClientIDList: p.ClientIDs, ThumbprintList: p.Thumbprints,
		CreateDate: query.Time(p.CreateDate), Tags: optionalTags(p.Tags)}
	if out.ClientIDList == nil {
		out.ClientIDList = []string{}
	}
	if out.ThumbprintList == nil {
		out.ThumbprintList = []string{}
	}
	return out
}
