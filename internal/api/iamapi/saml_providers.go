package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

func init() {
	// The model's SAMLProviderNameType.
	query.RegisterPattern("samlProviderName", `[\w._-]+`, `[\w._-]+`)
}

type createSAMLProviderResult struct {
	SAMLProviderARN string        `xml:"SAMLProviderArn"`
	Tags            *Members[Tag] `xml:"Tags,omitempty"`
}

type getSAMLProviderResult struct {
	SAMLMetadataDocument string        `xml:"SAMLMetadataDocument"`
	CreateDate           query.Time    `xml:"CreateDate"`
	ValidUntil           query.Time    `xml:"ValidUntil"`
	Tags                 *Members[Tag] `xml:"Tags,omitempty"`
}

type updateSAMLProviderResult struct {
	SAMLProviderARN string `xml:"SAMLProviderArn"`
}

// samlProviderListEntry is the SAMLProviderListEntry shape.
type samlProviderListEntry struct {
	ARN        string     `xml:"Arn"`
	ValidUntil query.Time `xml:"ValidUntil"`
	CreateDate query.Time `xml:"CreateDate"`
}

type listSAMLProvidersResult struct {
	SAMLProviderList []samlProviderListEntry `xml:"SAMLProviderList>member"`
}

// samlProviderTarget is the resource of an action on a provider named by
// ARN. The provider's tags are not in the snapshot, so conditions on
// iam:ResourceTag of SAML providers see none.
func samlProviderTarget(arn string) api.Target { return api.Target{ARN: arn} }

func samlProviderActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.CreateSAMLProviderInput, createSAMLProviderResult]{
			Name: "CreateSAMLProvider", IAMAction: "iam:CreateSAMLProvider",
			Resource: func(_ context.Context, c *api.Call, in *iam.CreateSAMLProviderInput) (api.Target, error) {
				return api.Target{ARN: iam.SAMLProviderARN(c.Caller.Account, in.Name)}, nil
			},
			Context: func(_ *api.Call, in *iam.CreateSAMLProviderInput, keys *policy.Context) { requestTags(in.Tags, keys) },
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateSAMLProviderInput) (*createSAMLProviderResult, error) {
				p, err := s.CreateSAMLProvider(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &createSAMLProviderResult{SAMLProviderARN: iam.SAMLProviderARN(p.Account, p.Name), Tags: optionalTags(p.Tags)}, nil
			},
		},
		api.Action[iam.SAMLProviderARNInput, getSAMLProviderResult]{
			Name: "GetSAMLProvider", IAMAction: "iam:GetSAMLProvider", ReadOnly: true,
			Resource: func(_ context.Context, _ *api.Call, in *iam.SAMLProviderARNInput) (api.Target, error) {
				return samlProviderTarget(in.SAMLProviderARN), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.SAMLProviderARNInput) (*getSAMLProviderResult, error) {
				p, err := s.GetSAMLProvider(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &getSAMLProviderResult{SAMLMetadataDocument: p.Metadata, CreateDate: query.Time(p.CreateDate),
					ValidUntil: query.Time(p.ValidUntil), Tags: optionalTags(p.Tags)}, nil
			},
		},
		api.Action[iam.UpdateSAMLProviderInput, updateSAMLProviderResult]{
			Name: "UpdateSAMLProvider", IAMAction: "iam:UpdateSAMLProvider",
			Resource: func(_ context.Context, _ *api.Call, in *iam.UpdateSAMLProviderInput) (api.Target, error) {
				return samlProviderTarget(in.SAMLProviderARN), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateSAMLProviderInput) (*updateSAMLProviderResult, error) {
				arn, err := s.UpdateSAMLProvider(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &updateSAMLProviderResult{SAMLProviderARN: arn}, nil
			},
		},
		api.Action[iam.SAMLProviderARNInput, struct{}]{
			Name: "DeleteSAMLProvider", IAMAction: "iam:DeleteSAMLProvider",
			Resource: func(_ context.Context, _ *api.Call, in *iam.SAMLProviderARNInput) (api.Target, error) {
				return samlProviderTarget(in.SAMLProviderARN), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.SAMLProviderARNInput) (*struct{}, error) {
				return nil, s.DeleteSAMLProvider(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[noSAMLInput, listSAMLProvidersResult]{
			Name: "ListSAMLProviders", IAMAction: "iam:ListSAMLProviders", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, _ *noSAMLInput) (*listSAMLProvidersResult, error) {
				all, err := s.ListSAMLProviders(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				out := &listSAMLProvidersResult{SAMLProviderList: []samlProviderListEntry{}}
				for _, p := range all {
					out.SAMLProviderList = append(out.SAMLProviderList, samlListEntry(p))
				}
				return out, nil
			},
		},
		api.Action[iam.TagSAMLProviderInput, struct{}]{
			Name: "TagSAMLProvider", IAMAction: "iam:TagSAMLProvider",
			Resource: func(_ context.Context, _ *api.Call, in *iam.TagSAMLProviderInput) (api.Target, error) {
				return samlProviderTarget(in.SAMLProviderARN), nil
			},
			Context: func(_ *api.Call, in *iam.TagSAMLProviderInput, keys *policy.Context) { requestTags(in.Tags, keys) },
			Do: func(ctx context.Context, c *api.Call, in *iam.TagSAMLProviderInput) (*struct{}, error) {
				return nil, s.TagSAMLProvider(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.UntagSAMLProviderInput, struct{}]{
			Name: "UntagSAMLProvider", IAMAction: "iam:UntagSAMLProvider",
			Resource: func(_ context.Context, _ *api.Call, in *iam.UntagSAMLProviderInput) (api.Target, error) {
				return samlProviderTarget(in.SAMLProviderARN), nil
			},
			Context: func(_ *api.Call, in *iam.UntagSAMLProviderInput, keys *policy.Context) {
				keys.Set("aws:TagKeys", in.TagKeys...)
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.UntagSAMLProviderInput) (*struct{}, error) {
				return nil, s.UntagSAMLProvider(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListSAMLProviderTagsInput, listTagsResult]{
			Name: "ListSAMLProviderTags", IAMAction: "iam:ListSAMLProviderTags", ReadOnly: true,
			Resource: func(_ context.Context, _ *api.Call, in *iam.ListSAMLProviderTagsInput) (api.Target, error) {
				return samlProviderTarget(in.SAMLProviderARN), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListSAMLProviderTagsInput) (*listTagsResult, error) {
				t, err := s.ListSAMLProviderTags(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := tags(t)
				if out == nil {
					out = []Tag{}
				}
				return &listTagsResult{Tags: out}, nil
			},
		},
	}
}

type noSAMLInput struct{}

func samlListEntry(p store.SAMLProvider) samlProviderListEntry {
	return samlProviderListEntry{ARN: iam.SAMLProviderARN(p.Account, p.Name), ValidUntil: query.Time(p.ValidUntil), CreateDate: query.Time(p.CreateDate)}
}
