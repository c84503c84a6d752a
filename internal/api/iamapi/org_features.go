package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/iam"
)

type orgFeaturesResult struct {
	OrganizationID  string   `xml:"OrganizationId"`
	EnabledFeatures []string `xml:"EnabledFeatures>member"`
}

// orgFeatureActions are the centralized root access operations. They have
// no resource type, so they are authorized on "*".
func orgFeatureActions(s *iam.Service) []api.Handler {
	set := func(name, feature string, on bool) api.Handler {
		return api.Action[struct{}, orgFeaturesResult]{
			Name: name, IAMAction: "iam:" + name,
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*orgFeaturesResult, error) {
				f, err := s.SetOrganizationsFeature(ctx, c.Caller.Account, feature, on)
				if err != nil {
					return nil, err
				}
				return &orgFeaturesResult{OrganizationID: f.OrganizationID, EnabledFeatures: f.Enabled}, nil
			},
		}
	}
	return []api.Handler{
		set("EnableOrganizationsRootCredentialsManagement", iam.FeatureRootCredentialsManagement, true),
		set("DisableOrganizationsRootCredentialsManagement", iam.FeatureRootCredentialsManagement, false),
		set("EnableOrganizationsRootSessions", iam.FeatureRootSessions, true),
		set("DisableOrganizationsRootSessions", iam.FeatureRootSessions, false),
		api.Action[struct{}, orgFeaturesResult]{
			Name: "ListOrganizationsFeatures", IAMAction: "iam:ListOrganizationsFeatures", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*orgFeaturesResult, error) {
				f, err := s.ListOrganizationsFeatures(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				return &orgFeaturesResult{OrganizationID: f.OrganizationID, EnabledFeatures: f.Enabled}, nil
			},
		},
	}
}
