package iamapi

import (
	"context"
	"slices"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/policy"
)

type userResult struct {
	User User `xml:"User"`
}

type listUsersResult struct {
	Users       []User `xml:"Users>member"`
	IsTruncated bool   `xml:"IsTruncated"`
	Marker      string `xml:"Marker,omitempty"`
}

// userTarget is the resource of an action on a named user: its ARN with
// its path when the user exists, else the ARN AWS forms without a path.
func userTarget(c *api.Call, name string) api.Target {
	if u, ok := c.Snapshot.User(c.Caller.Account, name); ok {
		return api.Target{ARN: iam.UserARN(u.Account, u.Path, u.Name), Tags: u.Tags}
	}
	return api.Target{ARN: iam.UserARN(c.Caller.Account, "/", name)}
}

// listTarget is the resource AWS authorizes List* calls of a kind on:
// arn:aws:iam::ACCOUNT:user/ (the kind and the root path).
func listTarget(c *api.Call, kind string) (api.Target, error) {
	return api.Target{ARN: "arn:aws:iam::" + c.Caller.Account + ":" + kind + "/"}, nil
}

func userActions(s *iam.Service) []api.Handler {
	return slices.Concat([]api.Handler{
		api.Action[iam.CreateUserInput, userResult]{
			Name: "CreateUser", IAMAction: "iam:CreateUser",
			Resource: func(_ context.Context, c *api.Call, in *iam.CreateUserInput) (api.Target, error) {
				return api.Target{ARN: iam.UserARN(c.Caller.Account, iam.PathOrRoot(in.Path), in.UserName)}, nil
			},
			Context: func(_ *api.Call, in *iam.CreateUserInput, keys *policy.Context) {
				requestTags(in.Tags, keys)
				if in.PermissionsBoundary != nil {
					keys.Set("iam:PermissionsBoundary", *in.PermissionsBoundary)
				}
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateUserInput) (*userResult, error) {
				u, err := s.CreateUser(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &userResult{User: userOf(u, true)}, nil
			},
		},
		api.Action[getUserInput, userResult]{
			Name: "GetUser", IAMAction: "iam:GetUser", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *getUserInput) (api.Target, error) {
				if in.UserName == nil {
					return selfTarget(c), nil
				}
				return userTarget(c, *in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *getUserInput) (*userResult, error) {
				name := c.Caller.UserName
				if in.UserName != nil {
					name = *in.UserName
				} else if c.Caller.IsRoot() {
					// AWS behaviour: GetUser with no name, called by the root
					// user, describes the root user.
					return &userResult{User: User{UserID: c.Caller.Account, ARN: c.Caller.Principal.ARN,
						CreateDate: query.Time(s.AccountCreateDate(c.Caller.Account))}}, nil
				} else if name == "" {
					return nil, awserr.ValidationError("Must specify userName when calling with non-User credentials")
				}
				u, err := s.GetUser(ctx, c.Caller.Account, name)
				if err != nil {
					return nil, err
				}
				return &userResult{User: userOf(u, true)}, nil
			},
		},
		api.Action[iam.UpdateUserInput, struct{}]{
			Name: "UpdateUser", IAMAction: "iam:UpdateUser",
			Resource: named(userByName, func(in *iam.UpdateUserInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateUserInput) (*struct{}, error) {
				if err := authorizeRename(c, "iam:UpdateUser", "user", userTarget(c, in.UserName), in.NewPath, in.NewUserName); err != nil {
					return nil, err
				}
				return nil, s.UpdateUser(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.UserNameInput, struct{}]{
			Name: "DeleteUser", IAMAction: "iam:DeleteUser",
			Resource: named(userByName, func(in *iam.UserNameInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UserNameInput) (*struct{}, error) {
				return nil, s.DeleteUser(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListUsersInput, listUsersResult]{
			Name: "ListUsers", IAMAction: "iam:ListUsers", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, _ *iam.ListUsersInput) (api.Target, error) {
				return listTarget(c, "user")
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListUsersInput) (*listUsersResult, error) {
				p, err := s.ListUsers(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := &listUsersResult{IsTruncated: p.Truncated, Marker: p.Marker, Users: []User{}}
				for _, u := range p.Items {
					out.Users = append(out.Users, userOf(u, false))
				}
				return out, nil
			},
		},
	}, taggable[iam.TagUserInput, iam.UntagUserInput, iam.ListUserTagsInput]{
		Kind: "User", Target: userByName,
		TagID:   func(in *iam.TagUserInput) string { return in.UserName },
		UntagID: func(in *iam.UntagUserInput) string { return in.UserName },
		ListID:  func(in *iam.ListUserTagsInput) string { return in.UserName },
		Tags:    func(in *iam.TagUserInput) []iam.Tag { return in.Tags },
		TagKeys: func(in *iam.UntagUserInput) []string { return in.TagKeys },
		Tag:     s.TagUser, Untag: s.UntagUser, List: s.ListUserTags,
	}.actions(), []api.Handler{
		api.Action[iam.PutUserPermissionsBoundaryInput, struct{}]{
			Name: "PutUserPermissionsBoundary", IAMAction: "iam:PutUserPermissionsBoundary",
			Resource: named(userByName, func(in *iam.PutUserPermissionsBoundaryInput) string { return in.UserName }),
			Context: func(_ *api.Call, in *iam.PutUserPermissionsBoundaryInput, keys *policy.Context) {
				keys.Set("iam:PermissionsBoundary", in.PermissionsBoundary)
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.PutUserPermissionsBoundaryInput) (*struct{}, error) {
				return nil, s.PutUserPermissionsBoundary(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.UserNameInput, struct{}]{
			Name: "DeleteUserPermissionsBoundary", IAMAction: "iam:DeleteUserPermissionsBoundary",
			Resource: named(userByName, func(in *iam.UserNameInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UserNameInput) (*struct{}, error) {
				return nil, s.DeleteUserPermissionsBoundary(ctx, c.Caller.Account, *in)
			},
		},
	})
}

type getUserInput struct {
	UserName *string `query:"UserName" min:"1" max:"128" pattern:"name"`
}

// selfTarget is the caller itself as a resource: its user ARN, or the
// root user's ARN.
func selfTarget(c *api.Call) api.Target {
	if c.Caller.UserName != "" {
		return userTarget(c, c.Caller.UserName)
	}
	return api.Target{ARN: c.Caller.Principal.ARN}
}

// userOrSelf is the user an action on a user's credentials names, or the
// caller's own: "" for the root user, who manages its own access keys
// this way. AWS behaviour: a role session (or any other caller that is
// not a user) must name the user, and gets "Must specify userName when
// calling with non-User credentials"; it never reaches the root user's
// credentials.
func userOrSelf(c *api.Call, name *string) (string, error) {
	switch {
	case name != nil:
		return *name, nil
	case c.Caller.UserName != "":
		return c.Caller.UserName, nil
	case c.Caller.IsRoot(): // its long-term keys, or an AssumeRoot session
		return "", nil
	}
	return "", errNonUserCredentials()
}

func errNonUserCredentials() error {
	return awserr.ValidationError("Must specify userName when calling with non-User credentials")
}
