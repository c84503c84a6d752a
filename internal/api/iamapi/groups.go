package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

// Group is the Group shape of the AWS model.
type Group struct {
	Path       string     `xml:"Path"`
	GroupName  string     `xml:"GroupName"`
	GroupID    string     `xml:"GroupId"`
	ARN        string     `xml:"Arn"`
	CreateDate query.Time `xml:"CreateDate"`
}

// groupOf converts a store group.
func groupOf(g store.Group) Group {
	return Group{Path: g.Path, GroupName: g.Name, GroupID: g.ID, ARN: iam.GroupARN(g.Account, g.Path, g.Name),
		CreateDate: query.Time(g.CreateDate)}
}

type groupResult struct {
	Group Group `xml:"Group"`
}

type getGroupResult struct {
	Group       Group  `xml:"Group"`
	Users       []User `xml:"Users>member"`
	IsTruncated bool   `xml:"IsTruncated"`
	Marker      string `xml:"Marker,omitempty"`
}

type listGroupsResult struct {
	Groups      []Group `xml:"Groups>member"`
	IsTruncated bool    `xml:"IsTruncated"`
	Marker      string  `xml:"Marker,omitempty"`
}

// groupsPage converts a page of store groups.
func groupsPage(p store.Page[store.Group]) *listGroupsResult {
	out := &listGroupsResult{Groups: []Group{}, IsTruncated: p.Truncated, Marker: p.Marker}
	for _, g := range p.Items {
		out.Groups = append(out.Groups, groupOf(g))
	}
	return out
}

// groupTarget is the resource of an action on a named group: its ARN with
// its path when the group exists, else the ARN AWS forms without a path.
func groupTarget(c *api.Call, name string) api.Target {
	if arn := c.Snapshot.GroupARNOf(c.Caller.Account, name); arn != "" {
		return api.Target{ARN: arn}
	}
	return api.Target{ARN: iam.GroupARN(c.Caller.Account, "/", name)}
}

func groupActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.CreateGroupInput, groupResult]{
			Name: "CreateGroup", IAMAction: "iam:CreateGroup",
			Resource: func(_ context.Context, c *api.Call, in *iam.CreateGroupInput) (api.Target, error) {
				return api.Target{ARN: iam.GroupARN(c.Caller.Account, iam.PathOrRoot(in.Path), in.GroupName)}, nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateGroupInput) (*groupResult, error) {
				g, err := s.CreateGroup(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &groupResult{Group: groupOf(g)}, nil
			},
		},
		api.Action[iam.GetGroupInput, getGroupResult]{
			Name: "GetGroup", IAMAction: "iam:GetGroup", ReadOnly: true,
			Resource: named(groupByName, func(in *iam.GetGroupInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.GetGroupInput) (*getGroupResult, error) {
				g, users, err := s.GetGroup(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := &getGroupResult{Group: groupOf(g), Users: []User{}, IsTruncated: users.Truncated, Marker: users.Marker}
				for _, u := range users.Items {
					out.Users = append(out.Users, userOf(u, false))
				}
				return out, nil
			},
		},
		api.Action[iam.UpdateGroupInput, struct{}]{
			Name: "UpdateGroup", IAMAction: "iam:UpdateGroup",
			Resource: named(groupByName, func(in *iam.UpdateGroupInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateGroupInput) (*struct{}, error) {
				if err := authorizeRename(c, "iam:UpdateGroup", "group", groupTarget(c, in.GroupName), in.NewPath, in.NewGroupName); err != nil {
					return nil, err
				}
				return nil, s.UpdateGroup(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.GroupNameInput, struct{}]{
			Name: "DeleteGroup", IAMAction: "iam:DeleteGroup",
			Resource: named(groupByName, func(in *iam.GroupNameInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.GroupNameInput) (*struct{}, error) {
				return nil, s.DeleteGroup(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListGroupsInput, listGroupsResult]{
			Name: "ListGroups", IAMAction: "iam:ListGroups", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, _ *iam.ListGroupsInput) (api.Target, error) {
				return listTarget(c, "group")
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListGroupsInput) (*listGroupsResult, error) {
				p, err := s.ListGroups(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return groupsPage(p), nil
			},
		},
		api.Action[iam.GroupMemberInput, struct{}]{
			Name: "AddUserToGroup", IAMAction: "iam:AddUserToGroup",
			Resource: named(groupByName, func(in *iam.GroupMemberInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.GroupMemberInput) (*struct{}, error) {
				return nil, s.AddUserToGroup(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.GroupMemberInput, struct{}]{
			Name: "RemoveUserFromGroup", IAMAction: "iam:RemoveUserFromGroup",
			Resource: named(groupByName, func(in *iam.GroupMemberInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.GroupMemberInput) (*struct{}, error) {
				return nil, s.RemoveUserFromGroup(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListGroupsForUserInput, listGroupsResult]{
			Name: "ListGroupsForUser", IAMAction: "iam:ListGroupsForUser", ReadOnly: true,
			Resource: named(userByName, func(in *iam.ListGroupsForUserInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ListGroupsForUserInput) (*listGroupsResult, error) {
				p, err := s.ListGroupsForUser(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return groupsPage(p), nil
			},
		},
	}
}
