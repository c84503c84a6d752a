package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

type getUserPolicyResult struct {
	UserName       string `xml:"UserName"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

type getGroupPolicyResult struct {
	GroupName      string `xml:"GroupName"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

type getRolePolicyResult struct {
	RoleName       string `xml:"RoleName"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

// inlineListResult is the result of ListUserPolicies, ListGroupPolicies
// and ListRolePolicies.
type inlineListResult struct {
	PolicyNames []string `xml:"PolicyNames>member"`
	IsTruncated bool     `xml:"IsTruncated"`
	Marker      string   `xml:"Marker,omitempty"`
}

func inlineListOf(p store.Page[string], err error) (*inlineListResult, error) {
	if err != nil {
		return nil, err
	}
	out := &inlineListResult{PolicyNames: p.Items, IsTruncated: p.Truncated, Marker: p.Marker}
	if out.PolicyNames == nil {
		out.PolicyNames = []string{}
	}
	return out, nil
}

func inlinePolicyActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		// Users.
		api.Action[iam.PutUserPolicyInput, struct{}]{
			Name: "PutUserPolicy", IAMAction: "iam:PutUserPolicy",
			Resource: named(userByName, func(in *iam.PutUserPolicyInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.PutUserPolicyInput) (*struct{}, error) {
				return nil, s.PutUserPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.UserPolicyInput, getUserPolicyResult]{
			Name: "GetUserPolicy", IAMAction: "iam:GetUserPolicy", ReadOnly: true,
			Resource: named(userByName, func(in *iam.UserPolicyInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UserPolicyInput) (*getUserPolicyResult, error) {
				p, err := s.GetUserPolicy(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &getUserPolicyResult{UserName: p.OwnerName, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
			},
		},
		api.Action[iam.UserPolicyInput, struct{}]{
			Name: "DeleteUserPolicy", IAMAction: "iam:DeleteUserPolicy",
			Resource: named(userByName, func(in *iam.UserPolicyInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UserPolicyInput) (*struct{}, error) {
				return nil, s.DeleteUserPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListUserPoliciesInput, inlineListResult]{
			Name: "ListUserPolicies", IAMAction: "iam:ListUserPolicies", ReadOnly: true,
			Resource: named(userByName, func(in *iam.ListUserPoliciesInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ListUserPoliciesInput) (*inlineListResult, error) {
				return inlineListOf(s.ListUserPolicies(ctx, c.Caller.Account, *in))
			},
		},

		// Groups.
		api.Action[iam.PutGroupPolicyInput, struct{}]{
			Name: "PutGroupPolicy", IAMAction: "iam:PutGroupPolicy",
			Resource: named(groupByName, func(in *iam.PutGroupPolicyInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.PutGroupPolicyInput) (*struct{}, error) {
				return nil, s.PutGroupPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.GroupPolicyInput, getGroupPolicyResult]{
			Name: "GetGroupPolicy", IAMAction: "iam:GetGroupPolicy", ReadOnly: true,
			Resource: named(groupByName, func(in *iam.GroupPolicyInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.GroupPolicyInput) (*getGroupPolicyResult, error) {
				p, err := s.GetGroupPolicy(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &getGroupPolicyResult{GroupName: p.OwnerName, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
			},
		},
		api.Action[iam.GroupPolicyInput, struct{}]{
			Name: "DeleteGroupPolicy", IAMAction: "iam:DeleteGroupPolicy",
			Resource: named(groupByName, func(in *iam.GroupPolicyInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.GroupPolicyInput) (*struct{}, error) {
				return nil, s.DeleteGroupPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListGroupPoliciesInput, inlineListResult]{
			Name: "ListGroupPolicies", IAMAction: "iam:ListGroupPolicies", ReadOnly: true,
			Resource: named(groupByName, func(in *iam.ListGroupPoliciesInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ListGroupPoliciesInput) (*inlineListResult, error) {
				return inlineListOf(s.ListGroupPolicies(ctx, c.Caller.Account, *in))
			},
		},

		// Roles.
		api.Action[iam.PutRolePolicyInput, struct{}]{
			Name: "PutRolePolicy", IAMAction: "iam:PutRolePolicy",
			Resource: named(roleARNByName, func(in *iam.PutRolePolicyInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.PutRolePolicyInput) (*struct{}, error) {
				return nil, s.PutRolePolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.RolePolicyInput, getRolePolicyResult]{
			Name: "GetRolePolicy", IAMAction: "iam:GetRolePolicy", ReadOnly: true,
			Resource: named(roleARNByName, func(in *iam.RolePolicyInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.RolePolicyInput) (*getRolePolicyResult, error) {
				p, err := s.GetRolePolicy(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &getRolePolicyResult{RoleName: p.OwnerName, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
			},
		},
		api.Action[iam.RolePolicyInput, struct{}]{
			Name: "DeleteRolePolicy", IAMAction: "iam:DeleteRolePolicy",
			Resource: named(roleARNByName, func(in *iam.RolePolicyInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.RolePolicyInput) (*struct{}, error) {
				return nil, s.DeleteRolePolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListRolePoliciesInput, inlineListResult]{
			Name: "ListRolePolicies", IAMAction: "iam:ListRolePolicies", ReadOnly: true,
			Resource: named(roleARNByName, func(in *iam.ListRolePoliciesInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ListRolePoliciesInput) (*inlineListResult, error) {
				return inlineListOf(s.ListRolePolicies(ctx, c.Caller.Account, *in))
			},
		},
	}
}
