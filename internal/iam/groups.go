package iam

import (
	"context"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// maxGroupsPerAccount is AWS's default quota of groups per account.
// [IAM and AWS STS quotas]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const maxGroupsPerAccount = 300

// groupNotFound is AWS's error for an absent group.
func groupNotFound(name string) error {
	return awserr.NoSuchEntity("The group with name %s cannot be found.", name)
}

// groupGet reads a group, translating ErrNotFound.
func groupGet(ctx context.Context, r store.Reader, acct, name string) (store.Group, error) {
	g, err := r.GetGroup(ctx, acct, name)
	if isNotFound(err) {
		return store.Group{}, groupNotFound(name)
	}
	return g, err
}

// CreateGroupInput is the input of CreateGroup.
type CreateGroupInput struct {
	GroupName string  `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
	Path      *string `query:"Path" min:"1" max:"512" pattern:"path"`
}

// CreateGroup creates a group.
func (s *Service) CreateGroup(ctx context.Context, acct string, in CreateGroupInput) (store.Group, error) {
	g := store.Group{Account: acct, Name: in.GroupName, Path: PathOrRoot(in.Path), ID: newID(prefixGroup),
		CreateDate: s.now().UTC()}
	err := s.update(ctx, func(tx store.Tx) error {
		all, err := tx.ListGroups(ctx, acct, "/", store.PageRequest{})
		if err != nil {
			return err
		}
		if len(all.Items) >= maxGroupsPerAccount {
			return awserr.LimitExceeded("Cannot exceed quota for GroupsPerAccount: %d", maxGroupsPerAccount)
		}
		err = tx.CreateGroup(ctx, g)
		if isExists(err) {
			return awserr.EntityAlreadyExists("Group with name %s already exists.", in.GroupName)
		}
		return err
	})
	return g, err
}

// GetGroupInput is the input of GetGroup.
type GetGroupInput struct {
	GroupName string  `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
	Marker    *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems  *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// GetGroup returns a group and one page of its members.
func (s *Service) GetGroup(ctx context.Context, acct string, in GetGroupInput) (store.Group, store.Page[store.User], error) {
	var (
		g     store.Group
		users store.Page[store.User]
	)
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		if g, err = groupGet(ctx, r, acct, in.GroupName); err != nil {
			return err
		}
		users, err = r.ListGroupUsers(ctx, acct, g.Name, page(in.Marker, in.MaxItems))
		if isNotFound(err) {
			return groupNotFound(in.GroupName)
		}
		return err
	})
	return g, users, err
}

// UpdateGroupInput is the input of UpdateGroup.
type UpdateGroupInput struct {
	GroupName    string  `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
	NewPath      *string `query:"NewPath" min:"1" max:"512" pattern:"path"`
	NewGroupName *string `query:"NewGroupName" min:"1" max:"128" pattern:"name"`
}

// UpdateGroup renames a group or changes its path. Its members, inline
// policies and attached policies follow a rename.
func (s *Service) UpdateGroup(ctx context.Context, acct string, in UpdateGroupInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		g, err := groupGet(ctx, tx, acct, in.GroupName)
		if err != nil {
			return err
		}
		if in.NewPath != nil {
			g.Path = *in.NewPath
		}
		if in.NewGroupName != nil {
			g.Name = *in.NewGroupName
		}
		err = tx.UpdateGroup(ctx, in.GroupName, g)
		if isExists(err) {
			return awserr.EntityAlreadyExists("Group with name %s already exists.", g.Name)
		}
		if isNotFound(err) {
			return groupNotFound(in.GroupName)
		}
		return err
	})
}

// GroupNameInput is the input of the actions that take only a group name.
type GroupNameInput struct {
	GroupName string `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
}

// DeleteGroup deletes a group that has nothing left in it. AWS behaviour:
// members, inline policies and attached policies must be removed first,
// each with its own DeleteConflict message.
func (s *Service) DeleteGroup(ctx context.Context, acct string, in GroupNameInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		g, err := groupGet(ctx, tx, acct, in.GroupName)
		if err != nil {
			return err
		}
		members, err := tx.ListGroupUsers(ctx, acct, g.Name, store.PageRequest{MaxItems: 1})
		if err != nil {
			return err
		}
		if len(members.Items) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must remove users from group first.")
		}
		inline, err := tx.ListInlinePolicies(ctx, acct, store.KindGroup, g.Name)
		if err != nil {
			return err
		}
		if len(inline) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must delete policies first.")
		}
		attached, err := tx.ListAttachments(ctx, acct, store.KindGroup, g.Name)
		if err != nil {
			return err
		}
		if len(attached) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must detach all policies first.")
		}
		return tx.DeleteGroup(ctx, acct, g.Name)
	})
}

// ListGroupsInput is the input of ListGroups.
type ListGroupsInput struct {
	PathPrefix *string `query:"PathPrefix" min:"1" max:"512" pattern:"pathPrefix"`
	Marker     *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems   *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListGroups lists groups by path prefix.
func (s *Service) ListGroups(ctx context.Context, acct string, in ListGroupsInput) (store.Page[store.Group], error) {
	var out store.Page[store.Group]
	err := s.view(ctx, func(r store.Reader) error {
		prefix := "/"
		if in.PathPrefix != nil {
			prefix = *in.PathPrefix
		}
		var err error
		out, err = r.ListGroups(ctx, acct, prefix, page(in.Marker, in.MaxItems))
		return err
	})
	return out, err
}

// GroupMemberInput is the input of AddUserToGroup and RemoveUserFromGroup.
type GroupMemberInput struct {
	GroupName string `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
	UserName  string `query:"UserName,required" min:"1" max:"128" pattern:"name"`
}

// AddUserToGroup adds a user to a group. AWS behaviour: adding a member
// again succeeds and changes nothing; a user is in at most 10 groups.
func (s *Service) AddUserToGroup(ctx context.Context, acct string, in GroupMemberInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		g, u, err := groupMember(ctx, tx, acct, in)
		if err != nil {
			return err
		}
		groups, err := tx.ListGroupsForUser(ctx, acct, u.Name, store.PageRequest{})
		if err != nil {
			return err
		}
		for _, member := range groups.Items {
			if sameName(member.Name, g.Name) {
				return nil
			}
		}
		if len(groups.Items) >= maxGroupsPerUser {
			return awserr.LimitExceeded("Cannot exceed quota for GroupsPerUser: %d", maxGroupsPerUser)
		}
		return tx.AddUserToGroup(ctx, acct, u.Name, g.Name)
	})
}

// groupMember reads the group and the user a membership action names, or
// returns AWS's NoSuchEntity for the first one absent (the group first).
func groupMember(ctx context.Context, r store.Reader, acct string, in GroupMemberInput) (store.Group, store.User, error) {
	g, err := groupGet(ctx, r, acct, in.GroupName)
	if err != nil {
		return store.Group{}, store.User{}, err
	}
	u, err := r.GetUser(ctx, acct, in.UserName)
	if isNotFound(err) {
		return store.Group{}, store.User{}, errNoSuchUser(in.UserName)
	}
	return g, u, err
}

// RemoveUserFromGroup removes a user from a group.
func (s *Service) RemoveUserFromGroup(ctx context.Context, acct string, in GroupMemberInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		g, u, err := groupMember(ctx, tx, acct, in)
		if err != nil {
			return err
		}
		err = tx.RemoveUserFromGroup(ctx, acct, u.Name, g.Name)
		if isNotFound(err) {
			// Both exist, so the user is not a member. No recorded AWS
			// text for this case was found; this names the user the way
			// AWS's NoSuchEntity messages do.
			return errNoSuchUser(in.UserName)
		}
		return err
	})
}

// ListGroupsForUserInput is the input of ListGroupsForUser.
type ListGroupsForUserInput struct {
	UserName string  `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListGroupsForUser lists the groups a user is in.
func (s *Service) ListGroupsForUser(ctx context.Context, acct string, in ListGroupsForUserInput) (store.Page[store.Group], error) {
	var out store.Page[store.Group]
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		out, err = r.ListGroupsForUser(ctx, acct, in.UserName, page(in.Marker, in.MaxItems))
		if isNotFound(err) {
			return errNoSuchUser(in.UserName)
		}
		return err
	})
	return out, err
}
