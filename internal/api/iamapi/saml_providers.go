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

func samlProviderActions(s *iam.Service) []api.Handler {
	return append([]api.Handler{
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
			Resource: named(byARN, func(in *iam.SAMLProviderARNInput) string { return in.SAMLProviderARN }),
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
			Resource: named(byARN, func(in *iam.UpdateSAMLProviderInput) string { return in.SAMLProviderARN }),
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
			Resource: named(byARN, func(in *iam.SAMLProviderARNInput) string { return in.SAMLProviderARN }),
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
	}, taggable[iam.TagSAMLProviderInput, iam.UntagSAMLProviderInput, iam.ListSAMLProviderTagsInput]{
		Kind: "SAMLProvider", Target: byARN,
		TagID:   func(in *iam.TagSAMLProviderInput) string { return in.SAMLProviderARN },
		UntagID: func(in *iam.UntagSAMLProviderInput) string { return in.SAMLProviderARN },
		ListID:  func(in *iam.ListSAMLProviderTagsInput) string { return in.SAMLProviderARN },
		Tags:    func(in *iam.TagSAMLProviderInput) []iam.Tag { return in.Tags },
		TagKeys: func(in *iam.UntagSAMLProviderInput) []string { return in.TagKeys },
		Tag:     s.TagSAMLProvider, Untag: s.UntagSAMLProvider, List: s.ListSAMLProviderTags,
	}.actions()...)
}

type noSAMLInput struct{}

func samlListEntry(p store.SAMLProvider) samlProviderListEntry {
	return samlProviderListEntry{ARN: iam.SAMLProviderARN(p.Account, p.Name), ValidUntil: query.Time(p.ValidUntil), CreateDate: query.Time(p.CreateDate)}
}
