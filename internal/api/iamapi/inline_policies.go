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

// inlineRoleTarget is the resource of an action on a named role: its ARN
// with its path when the role exists, else the ARN without a path.
func inlineRoleTarget(c *api.Call, name string) api.Target {
	if arn := c.Snapshot.RoleARNOf(c.Caller.Account, name); arn != "" {
		return api.Target{ARN: arn}
	}
	return api.Target{ARN: iam.RoleARN(c.Caller.Account, "/", name)}
}

func inlinePolicyActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		// Users.
		api.Action[iam.PutUserPolicyInput, struct{}]{
			Name: "PutUserPolicy", IAMAction: "iam:PutUserPolicy",
			Resource: func(_ context.Context, c *api.Call, in *iam.PutUserPolicyInput) (api.Target, error) {
				return userTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.PutUserPolicyInput) (*struct{}, error) {
				return nil, s.PutUserPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.UserPolicyInput, getUserPolicyResult]{
			Name: "GetUserPolicy", IAMAction: "iam:GetUserPolicy", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.UserPolicyInput) (api.Target, error) {
				return userTarget(c, in.UserName), nil
			},
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
			Resource: func(_ context.Context, c *api.Call, in *iam.UserPolicyInput) (api.Target, error) {
				return userTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.UserPolicyInput) (*struct{}, error) {
				return nil, s.DeleteUserPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListUserPoliciesInput, inlineListResult]{
			Name: "ListUserPolicies", IAMAction: "iam:ListUserPolicies", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.ListUserPoliciesInput) (api.Target, error) {
				return userTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListUserPoliciesInput) (*inlineListResult, error) {
				return inlineListOf(s.ListUserPolicies(ctx, c.Caller.Account, *in))
			},
		},

		// Groups.
		api.Action[iam.PutGroupPolicyInput, struct{}]{
			Name: "PutGroupPolicy", IAMAction: "iam:PutGroupPolicy",
			Resource: func(_ context.Context, c *api.Call, in *iam.PutGroupPolicyInput) (api.Target, error) {
				return groupTarget(c, in.GroupName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.PutGroupPolicyInput) (*struct{}, error) {
				return nil, s.PutGroupPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.GroupPolicyInput, getGroupPolicyResult]{
			Name: "GetGroupPolicy", IAMAction: "iam:GetGroupPolicy", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.GroupPolicyInput) (api.Target, error) {
				return groupTarget(c, in.GroupName), nil
			},
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
			Resource: func(_ context.Context, c *api.Call, in *iam.GroupPolicyInput) (api.Target, error) {
				return groupTarget(c, in.GroupName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.GroupPolicyInput) (*struct{}, error) {
				return nil, s.DeleteGroupPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListGroupPoliciesInput, inlineListResult]{
			Name: "ListGroupPolicies", IAMAction: "iam:ListGroupPolicies", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.ListGroupPoliciesInput) (api.Target, error) {
				return groupTarget(c, in.GroupName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListGroupPoliciesInput) (*inlineListResult, error) {
				return inlineListOf(s.ListGroupPolicies(ctx, c.Caller.Account, *in))
			},
		},

		// Roles.
		api.Action[iam.PutRolePolicyInput, struct{}]{
			Name: "PutRolePolicy", IAMAction: "iam:PutRolePolicy",
			Resource: func(_ context.Context, c *api.Call, in *iam.PutRolePolicyInput) (api.Target, error) {
				return inlineRoleTarget(c, in.RoleName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.PutRolePolicyInput) (*struct{}, error) {
				return nil, s.PutRolePolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.RolePolicyInput, getRolePolicyResult]{
			Name: "GetRolePolicy", IAMAction: "iam:GetRolePolicy", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.RolePolicyInput) (api.Target, error) {
				return inlineRoleTarget(c, in.RoleName), nil
			},
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
			Resource: func(_ context.Context, c *api.Call, in *iam.RolePolicyInput) (api.Target, error) {
				return inlineRoleTarget(c, in.RoleName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.RolePolicyInput) (*struct{}, error) {
				return nil, s.DeleteRolePolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListRolePoliciesInput, inlineListResult]{
			Name: "ListRolePolicies", IAMAction: "iam:ListRolePolicies", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.ListRolePoliciesInput) (api.Target, error) {
				return inlineRoleTarget(c, in.RoleName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListRolePoliciesInput) (*inlineListResult, error) {
				return inlineListOf(s.ListRolePolicies(ctx, c.Caller.Account, *in))
			},
		},
	}
}
