package iamapi

import (
	"context"
	"slices"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Role is the Role shape of the AWS model.
type Role struct {
	Path                     string        `xml:"Path"`
	RoleName                 string        `xml:"RoleName"`
	RoleID                   string        `xml:"RoleId"`
	ARN                      string        `xml:"Arn"`
	CreateDate               query.Time    `xml:"CreateDate"`
	AssumeRolePolicyDocument string        `xml:"AssumeRolePolicyDocument,omitempty"`
	Description              string        `xml:"Description,omitempty"`
	MaxSessionDuration       int           `xml:"MaxSessionDuration,omitempty"`
	PermissionsBoundary      *Boundary     `xml:"PermissionsBoundary,omitempty"`
	Tags                     *Members[Tag] `xml:"Tags,omitempty"`
	RoleLastUsed             *RoleLastUsed `xml:"RoleLastUsed,omitempty"`
}

// RoleLastUsed is the RoleLastUsed shape: empty for a role never used.
type RoleLastUsed struct {
	LastUsedDate *query.Time `xml:"LastUsedDate,omitempty"`
	Region       string      `xml:"Region,omitempty"`
}

// roleView says which optional parts of a role a response carries.
type roleView uint8

const (
	// roleList: what ListRoles returns. AWS behaviour: list members omit
	// PermissionsBoundary, RoleLastUsed and Tags
	// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html).
	roleList roleView = iota
	// roleCreated: CreateRole's answer, with tags and boundary but no
	// last-used data or session duration (AWS's CreateRole example).
	roleCreated
	// roleFull: GetRole and UpdateRoleDescription; RoleLastUsed is always
	// present, empty when the role was never used.
	roleFull
)

// roleOf converts a store role.
func roleOf(r store.Role, view roleView) Role {
	w := Role{Path: r.Path, RoleName: r.Name, RoleID: r.ID, ARN: iam.RoleARN(r.Account, r.Path, r.Name),
		CreateDate: query.Time(r.CreateDate), AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicy),
		Description: r.Description}
	if view != roleCreated {
		w.MaxSessionDuration = r.MaxSessionDuration
	}
	if view != roleList {
		w.PermissionsBoundary = boundary(r.PermissionsBoundary)
		w.Tags = optionalTags(r.Tags)
	}
	if view == roleFull {
		w.RoleLastUsed = &RoleLastUsed{LastUsedDate: query.TimePtr(r.LastUsedDate), Region: r.LastUsedRegion}
	}
	return w
}

type roleResult struct {
	Role Role `xml:"Role"`
}

type listRolesResult struct {
	Roles       []Role `xml:"Roles>member"`
	IsTruncated bool   `xml:"IsTruncated"`
	Marker      string `xml:"Marker,omitempty"`
}

// roleTarget is the resource of an action on a named role: its ARN with
// its path and its tags when the role exists, else the ARN AWS forms
// without a path.
func roleTarget(c *api.Call, name string) api.Target {
	if r, ok := c.Snapshot.Role(c.Caller.Account, name); ok {
		return api.Target{ARN: iam.RoleARN(r.Account, r.Path, r.Name), Tags: r.Tags}
	}
	return api.Target{ARN: iam.RoleARN(c.Caller.Account, "/", name)}
}

// roleARNTarget is the resource of the attachment and inline-policy
// actions on a named role: like roleTarget, but without the role's tags.
func roleARNTarget(c *api.Call, name string) api.Target {
	if arn := c.Snapshot.RoleARNOf(c.Caller.Account, name); arn != "" {
		return api.Target{ARN: arn}
	}
	return api.Target{ARN: iam.RoleARN(c.Caller.Account, "/", name)}
}

func roleActions(s *iam.Service) []api.Handler {
	return slices.Concat([]api.Handler{
		api.Action[iam.CreateRoleInput, roleResult]{
			Name: "CreateRole", IAMAction: "iam:CreateRole",
			Resource: func(_ context.Context, c *api.Call, in *iam.CreateRoleInput) (api.Target, error) {
				return api.Target{ARN: iam.RoleARN(c.Caller.Account, iam.PathOrRoot(in.Path), in.RoleName)}, nil
			},
			Context: func(_ *api.Call, in *iam.CreateRoleInput, keys *policy.Context) {
				requestTags(in.Tags, keys)
				if in.PermissionsBoundary != nil {
					keys.Set("iam:PermissionsBoundary", *in.PermissionsBoundary)
				}
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateRoleInput) (*roleResult, error) {
				r, err := s.CreateRole(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &roleResult{Role: roleOf(r, roleCreated)}, nil
			},
		},
		api.Action[iam.RoleNameInput, roleResult]{
			Name: "GetRole", IAMAction: "iam:GetRole", ReadOnly: true,
			Resource: named(roleByName, func(in *iam.RoleNameInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.RoleNameInput) (*roleResult, error) {
				r, err := s.GetRole(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &roleResult{Role: roleOf(r, roleFull)}, nil
			},
		},
		api.Action[iam.UpdateRoleInput, struct{}]{
			Name: "UpdateRole", IAMAction: "iam:UpdateRole",
			Resource: named(roleByName, func(in *iam.UpdateRoleInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateRoleInput) (*struct{}, error) {
				// AWS behaviour: UpdateRoleResult is an empty element.
				if err := s.UpdateRole(ctx, c.Caller.Account, *in); err != nil {
					return nil, err
				}
				return &struct{}{}, nil
			},
		},
		api.Action[iam.UpdateRoleDescriptionInput, roleResult]{
			Name: "UpdateRoleDescription", IAMAction: "iam:UpdateRoleDescription",
			Resource: named(roleByName, func(in *iam.UpdateRoleDescriptionInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateRoleDescriptionInput) (*roleResult, error) {
				r, err := s.UpdateRoleDescription(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &roleResult{Role: roleOf(r, roleFull)}, nil
			},
		},
		api.Action[iam.UpdateAssumeRolePolicyInput, struct{}]{
			Name: "UpdateAssumeRolePolicy", IAMAction: "iam:UpdateAssumeRolePolicy",
			Resource: named(roleByName, func(in *iam.UpdateAssumeRolePolicyInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateAssumeRolePolicyInput) (*struct{}, error) {
				return nil, s.UpdateAssumeRolePolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.RoleNameInput, struct{}]{
			Name: "DeleteRole", IAMAction: "iam:DeleteRole",
			Resource: named(roleByName, func(in *iam.RoleNameInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.RoleNameInput) (*struct{}, error) {
				return nil, s.DeleteRole(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListRolesInput, listRolesResult]{
			Name: "ListRoles", IAMAction: "iam:ListRoles", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, _ *iam.ListRolesInput) (api.Target, error) {
				return listTarget(c, "role")
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListRolesInput) (*listRolesResult, error) {
				p, err := s.ListRoles(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := &listRolesResult{IsTruncated: p.Truncated, Marker: p.Marker, Roles: []Role{}}
				for _, r := range p.Items {
					out.Roles = append(out.Roles, roleOf(r, roleList))
				}
				return out, nil
			},
		},
	}, taggable[iam.TagRoleInput, iam.UntagRoleInput, iam.ListRoleTagsInput]{
		Kind: "Role", Target: roleByName,
		TagID:   func(in *iam.TagRoleInput) string { return in.RoleName },
		UntagID: func(in *iam.UntagRoleInput) string { return in.RoleName },
		ListID:  func(in *iam.ListRoleTagsInput) string { return in.RoleName },
		Tags:    func(in *iam.TagRoleInput) []iam.Tag { return in.Tags },
		TagKeys: func(in *iam.UntagRoleInput) []string { return in.TagKeys },
		Tag:     s.TagRole, Untag: s.UntagRole, List: s.ListRoleTags,
	}.actions(), []api.Handler{
		api.Action[iam.PutRolePermissionsBoundaryInput, struct{}]{
			Name: "PutRolePermissionsBoundary", IAMAction: "iam:PutRolePermissionsBoundary",
			Resource: named(roleByName, func(in *iam.PutRolePermissionsBoundaryInput) string { return in.RoleName }),
			Context: func(_ *api.Call, in *iam.PutRolePermissionsBoundaryInput, keys *policy.Context) {
				keys.Set("iam:PermissionsBoundary", in.PermissionsBoundary)
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.PutRolePermissionsBoundaryInput) (*struct{}, error) {
				return nil, s.PutRolePermissionsBoundary(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.RoleNameInput, struct{}]{
			Name: "DeleteRolePermissionsBoundary", IAMAction: "iam:DeleteRolePermissionsBoundary",
			Resource: named(roleByName, func(in *iam.RoleNameInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.RoleNameInput) (*struct{}, error) {
				return nil, s.DeleteRolePermissionsBoundary(ctx, c.Caller.Account, *in)
			},
		},
	})
}
