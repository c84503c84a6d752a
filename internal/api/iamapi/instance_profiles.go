package iamapi

import (
	"context"
	"slices"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/policy"
)

// InstanceProfile is the InstanceProfile shape of the AWS model. Roles is
// always present (empty for a profile without a role); a role in it has
// the list view of a role. AWS behaviour: the list actions omit Tags
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html).
type InstanceProfile struct {
	Path                string        `xml:"Path"`
	InstanceProfileName string        `xml:"InstanceProfileName"`
	InstanceProfileID   string        `xml:"InstanceProfileId"`
	ARN                 string        `xml:"Arn"`
	CreateDate          query.Time    `xml:"CreateDate"`
	Roles               []Role        `xml:"Roles>member"`
	Tags                *Members[Tag] `xml:"Tags,omitempty"`
}

func instanceProfileOf(p iam.InstanceProfile, withTags bool) InstanceProfile {
	w := InstanceProfile{Path: p.Path, InstanceProfileName: p.Name, InstanceProfileID: p.ID,
		ARN: iam.InstanceProfileARN(p.Account, p.Path, p.Name), CreateDate: query.Time(p.CreateDate),
		Roles: []Role{}}
	if withTags {
		w.Tags = optionalTags(p.Tags)
	}
	for _, r := range p.Roles {
		w.Roles = append(w.Roles, roleOf(r, roleList))
	}
	return w
}

type instanceProfileResult struct {
	InstanceProfile InstanceProfile `xml:"InstanceProfile"`
}

type listInstanceProfilesResult struct {
	InstanceProfiles []InstanceProfile `xml:"InstanceProfiles>member"`
	IsTruncated      bool              `xml:"IsTruncated"`
	Marker           string            `xml:"Marker,omitempty"`
}

// instanceProfileByName is the resource of an action on a named instance
// profile: its ARN with its path and tags when it exists, else the ARN
// AWS forms without a path. Profiles are not in the snapshot, so this
// reads the service.
func instanceProfileByName(s *iam.Service) targetOf {
	return func(ctx context.Context, c *api.Call, name string) api.Target {
		arn, tags, _ := s.InstanceProfileTarget(ctx, c.Caller.Account, name)
		return api.Target{ARN: arn, Tags: tags}
	}
}

func instanceProfilePage(items []iam.InstanceProfile, truncated bool, marker string) *listInstanceProfilesResult {
	out := &listInstanceProfilesResult{InstanceProfiles: []InstanceProfile{}, IsTruncated: truncated, Marker: marker}
	for _, p := range items {
		out.InstanceProfiles = append(out.InstanceProfiles, instanceProfileOf(p, false))
	}
	return out
}

func instanceProfileActions(s *iam.Service) []api.Handler {
	byName := instanceProfileByName(s)
	profileName := func(in *iam.InstanceProfileNameInput) string { return in.InstanceProfileName }
	return slices.Concat([]api.Handler{
		api.Action[iam.CreateInstanceProfileInput, instanceProfileResult]{
			Name: "CreateInstanceProfile", IAMAction: "iam:CreateInstanceProfile",
			Resource: func(_ context.Context, c *api.Call, in *iam.CreateInstanceProfileInput) (api.Target, error) {
				return api.Target{ARN: iam.InstanceProfileARN(c.Caller.Account, iam.PathOrRoot(in.Path), in.InstanceProfileName)}, nil
			},
			Context: func(_ *api.Call, in *iam.CreateInstanceProfileInput, keys *policy.Context) {
				requestTags(in.Tags, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateInstanceProfileInput) (*instanceProfileResult, error) {
				p, err := s.CreateInstanceProfile(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &instanceProfileResult{InstanceProfile: instanceProfileOf(p, true)}, nil
			},
		},
		api.Action[iam.InstanceProfileNameInput, instanceProfileResult]{
			Name: "GetInstanceProfile", IAMAction: "iam:GetInstanceProfile", ReadOnly: true,
			Resource: named(byName, profileName),
			Do: func(ctx context.Context, c *api.Call, in *iam.InstanceProfileNameInput) (*instanceProfileResult, error) {
				p, err := s.GetInstanceProfile(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &instanceProfileResult{InstanceProfile: instanceProfileOf(p, true)}, nil
			},
		},
		api.Action[iam.InstanceProfileNameInput, struct{}]{
			Name: "DeleteInstanceProfile", IAMAction: "iam:DeleteInstanceProfile",
			Resource: named(byName, profileName),
			Do: func(ctx context.Context, c *api.Call, in *iam.InstanceProfileNameInput) (*struct{}, error) {
				return nil, s.DeleteInstanceProfile(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListInstanceProfilesInput, listInstanceProfilesResult]{
			Name: "ListInstanceProfiles", IAMAction: "iam:ListInstanceProfiles", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, _ *iam.ListInstanceProfilesInput) (api.Target, error) {
				return listTarget(c, "instance-profile")
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListInstanceProfilesInput) (*listInstanceProfilesResult, error) {
				p, err := s.ListInstanceProfiles(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return instanceProfilePage(p.Items, p.Truncated, p.Marker), nil
			},
		},
		api.Action[iam.ListInstanceProfilesForRoleInput, listInstanceProfilesResult]{
			Name: "ListInstanceProfilesForRole", IAMAction: "iam:ListInstanceProfilesForRole", ReadOnly: true,
			Resource: named(roleByName, func(in *iam.ListInstanceProfilesForRoleInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ListInstanceProfilesForRoleInput) (*listInstanceProfilesResult, error) {
				p, err := s.ListInstanceProfilesForRole(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return instanceProfilePage(p.Items, p.Truncated, p.Marker), nil
			},
		},
		api.Action[iam.InstanceProfileRoleInput, struct{}]{
			Name: "AddRoleToInstanceProfile", IAMAction: "iam:AddRoleToInstanceProfile",
			Resource: named(byName, func(in *iam.InstanceProfileRoleInput) string { return in.InstanceProfileName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.InstanceProfileRoleInput) (*struct{}, error) {
				return nil, s.AddRoleToInstanceProfile(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.InstanceProfileRoleInput, struct{}]{
			Name: "RemoveRoleFromInstanceProfile", IAMAction: "iam:RemoveRoleFromInstanceProfile",
			Resource: named(byName, func(in *iam.InstanceProfileRoleInput) string { return in.InstanceProfileName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.InstanceProfileRoleInput) (*struct{}, error) {
				return nil, s.RemoveRoleFromInstanceProfile(ctx, c.Caller.Account, *in)
			},
		},
	}, taggable[iam.TagInstanceProfileInput, iam.UntagInstanceProfileInput, iam.ListInstanceProfileTagsInput]{
		Kind: "InstanceProfile", Target: byName,
		TagID:   func(in *iam.TagInstanceProfileInput) string { return in.InstanceProfileName },
		UntagID: func(in *iam.UntagInstanceProfileInput) string { return in.InstanceProfileName },
		ListID:  func(in *iam.ListInstanceProfileTagsInput) string { return in.InstanceProfileName },
		Tags:    func(in *iam.TagInstanceProfileInput) []iam.Tag { return in.Tags },
		TagKeys: func(in *iam.UntagInstanceProfileInput) []string { return in.TagKeys },
		Tag:     s.TagInstanceProfile, Untag: s.UntagInstanceProfile, List: s.ListInstanceProfileTags,
	}.actions())
}
