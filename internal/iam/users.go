package iam

import (
	"context"
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam/awspolicies"
	"github.com/warden-iam/warden/internal/store"
)

// The IAM quotas that users run into.
// [IAM and AWS STS quotas]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	maxGroupsPerUser     = 10
	maxAttachedPerEntity = 10
	maxKeysPerUser       = 2
	maxUsersPerAccount   = 5000
)

// CreateUserInput is the input of CreateUser.
type CreateUserInput struct {
	UserName            string  `query:"UserName,required" min:"1" max:"64" pattern:"name"`
	Path                *string `query:"Path" min:"1" max:"512" pattern:"path"`
	PermissionsBoundary *string `query:"PermissionsBoundary" min:"20" max:"2048" pattern:"arn"`
	Tags                []Tag   `query:"Tags" max:"50"`
}

// CreateUser creates a user.
func (s *Service) CreateUser(ctx context.Context, acct string, in CreateUserInput) (store.User, error) {
	if err := checkNewTags(in.Tags); err != nil {
		return store.User{}, err
	}
	u := store.User{Account: acct, Name: in.UserName, Path: PathOrRoot(in.Path), ID: newID(prefixUser),
		CreateDate: s.now().UTC(), Tags: toStoreTags(in.Tags)}
	err := s.update(ctx, func(tx store.Tx) error {
		if in.PermissionsBoundary != nil {
			if err := s.checkBoundary(ctx, tx, acct, *in.PermissionsBoundary); err != nil {
				return err
			}
			u.PermissionsBoundary = *in.PermissionsBoundary
		}
		page, err := tx.ListUsers(ctx, acct, "/", store.PageRequest{})
		if err != nil {
			return err
		}
		if len(page.Items) >= maxUsersPerAccount {
			return awserr.LimitExceeded("Cannot exceed quota for UsersPerAccount: %d", maxUsersPerAccount)
		}
		err = tx.CreateUser(ctx, u)
		if isExists(err) {
			return awserr.EntityAlreadyExists("User with name %s already exists.", in.UserName)
		}
		return err
	})
	return u, err
}

// checkBoundary checks that arn names a managed policy that can serve as a
// permissions boundary.
func (s *Service) checkBoundary(ctx context.Context, r store.Reader, acct, arn string) error {
	if _, ok := awspolicies.Get(arn); ok {
		return nil
	}
	if _, name, ok := ParsePolicyARN(acct, arn); ok {
		if _, err := r.GetPolicy(ctx, acct, name); err == nil {
			return nil
		} else if !isNotFound(err) {
			return err
		}
	}
	// AWS behaviour: the boundary must be an existing managed policy.
	return awserr.NoSuchEntity("Scope ARN: %s does not exist or is not attachable.", arn)
}

// GetUser returns a user.
func (s *Service) GetUser(ctx context.Context, acct, name string) (store.User, error) {
	var u store.User
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		u, err = r.GetUser(ctx, acct, name)
		if isNotFound(err) {
			return errNoSuchUser(name)
		}
		return err
	})
	return u, err
}

// UpdateUserInput is the input of UpdateUser.
type UpdateUserInput struct {
	UserName    string  `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	NewPath     *string `query:"NewPath" min:"1" max:"512" pattern:"path"`
	NewUserName *string `query:"NewUserName" min:"1" max:"64" pattern:"name"`
}

// UpdateUser renames a user or changes its path.
func (s *Service) UpdateUser(ctx context.Context, acct string, in UpdateUserInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		u, err := getUser(ctx, tx, acct, in.UserName)
		if err != nil {
			return err
		}
		if in.NewPath != nil {
			u.Path = *in.NewPath
		}
		if in.NewUserName != nil {
			u.Name = *in.NewUserName
		}
		err = tx.UpdateUser(ctx, in.UserName, u)
		if isExists(err) {
			return awserr.EntityAlreadyExists("User with name %s already exists.", u.Name)
		}
		return err
	})
}

// UserNameInput is the input of the actions that take only a user name.
type UserNameInput struct {
	UserName string `query:"UserName,required" min:"1" max:"128" pattern:"name"`
}

// DeleteUser deletes a user that has nothing attached. AWS behaviour: the
// user's keys, SSH public keys, service-specific credentials, MFA devices, group
// memberships and policies must be removed first, each with its own DeleteConflict message.
func (s *Service) DeleteUser(ctx context.Context, acct string, in UserNameInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		if _, err := tx.GetUser(ctx, acct, in.UserName); isNotFound(err) {
			return errNoSuchUser(in.UserName)
		} else if err != nil {
			return err
		}
		keys, err := tx.ListAccessKeys(ctx, acct, in.UserName)
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must delete access keys first.")
		}
		if ssh, err := tx.ListSSHPublicKeys(ctx, acct, in.UserName); err != nil {
			return err
		} else if len(ssh) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must delete SSH public keys first.")
		}
		if creds, err := tx.ListServiceCredentials(ctx, acct, in.UserName); err != nil {
			return err
		} else if len(creds) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must delete service-specific credentials first.")
		}
		if err := checkUserLogins(ctx, tx, acct, in.UserName); err != nil {
			return err
		}
		if mfa, err := tx.ListMFADevices(ctx, acct, store.MFAFilter{UserName: in.UserName}); err != nil {
			return err
		} else if len(mfa) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must delete MFA device first.")
		}
		inline, err := tx.ListInlinePolicies(ctx, acct, store.KindUser, in.UserName)
		if err != nil {
			return err
		}
		if len(inline) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must delete policies first.")
		}
		attached, err := tx.ListAttachments(ctx, acct, store.KindUser, in.UserName)
		if err != nil {
			return err
		}
		if len(attached) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must detach all policies first.")
		}
		groups, err := tx.ListGroupsForUser(ctx, acct, in.UserName, store.PageRequest{})
		if err != nil {
			return err
		}
		if len(groups.Items) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must remove users from group first.")
		}
		return tx.DeleteUser(ctx, acct, in.UserName)
	})
}

// ListUsersInput is the input of ListUsers.
type ListUsersInput struct {
	PathPrefix *string `query:"PathPrefix" min:"1" max:"512" pattern:"pathPrefix"`
	Marker     *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems   *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// page turns the common Marker/MaxItems inputs into a page request. AWS
// behaviour: MaxItems defaults to 100.
func page(marker *string, maxItems *int) store.PageRequest {
	p := store.PageRequest{MaxItems: 100}
	if marker != nil {
		p.Marker = *marker
	}
	if maxItems != nil {
		p.MaxItems = *maxItems
	}
	return p
}

// ListUsers lists users by path prefix.
func (s *Service) ListUsers(ctx context.Context, acct string, in ListUsersInput) (store.Page[store.User], error) {
	var out store.Page[store.User]
	err := s.view(ctx, func(r store.Reader) error {
		prefix := "/"
		if in.PathPrefix != nil {
			prefix = *in.PathPrefix
		}
		var err error
		out, err = r.ListUsers(ctx, acct, prefix, page(in.Marker, in.MaxItems))
		return err
	})
	return out, err
}

// TagUserInput is the input of TagUser.
type TagUserInput struct {
	UserName string `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	Tags     []Tag  `query:"Tags,required" max:"50"`
}

// TagUser adds or replaces tags of a user.
func (s *Service) TagUser(ctx context.Context, acct string, in TagUserInput) error {
	return s.tag(ctx, userTags, acct, in.UserName, in.Tags)
}

// UntagUserInput is the input of UntagUser.
type UntagUserInput struct {
	UserName string   `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	TagKeys  []string `query:"TagKeys,required" max:"50" pattern:"tagKey"`
}

// UntagUser removes tags of a user.
func (s *Service) UntagUser(ctx context.Context, acct string, in UntagUserInput) error {
	return s.untag(ctx, userTags, acct, in.UserName, in.TagKeys)
}

// ListTagsInput is the input of ListUserTags and its kin.
type ListUserTagsInput struct {
	UserName string  `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListUserTags returns a user's tags, all in one page.
func (s *Service) ListUserTags(ctx context.Context, acct string, in ListUserTagsInput) (store.Page[store.Tag], error) {
	return s.listTags(ctx, userTags, acct, in.UserName, in.Marker, in.MaxItems)
}

// userTags are a user's tags, for the tag actions.
var userTags = taggable{
	modify: func(ctx context.Context, s *Service, acct, name string, fn func(*[]store.Tag) error) error {
		return s.update(ctx, func(tx store.Tx) error {
			u, err := getUser(ctx, tx, acct, name)
			if err != nil {
				return err
			}
			if err := fn(&u.Tags); err != nil {
				return err
			}
			return tx.UpdateUser(ctx, u.Name, u)
		})
	},
	read: func(ctx context.Context, s *Service, acct, name string) ([]store.Tag, error) {
		u, err := s.GetUser(ctx, acct, name)
		return u.Tags, err
	},
	merge: mergeTags, remove: removeTags,
}

// PutUserPermissionsBoundaryInput is the input of PutUserPermissionsBoundary.
type PutUserPermissionsBoundaryInput struct {
	UserName            string `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	PermissionsBoundary string `query:"PermissionsBoundary,required" min:"20" max:"2048" pattern:"arn"`
}

// PutUserPermissionsBoundary sets a user's permissions boundary.
func (s *Service) PutUserPermissionsBoundary(ctx context.Context, acct string, in PutUserPermissionsBoundaryInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		u, err := getUser(ctx, tx, acct, in.UserName)
		if err != nil {
			return err
		}
		if err := s.checkBoundary(ctx, tx, acct, in.PermissionsBoundary); err != nil {
			return err
		}
		u.PermissionsBoundary = in.PermissionsBoundary
		return tx.UpdateUser(ctx, u.Name, u)
	})
}

// DeleteUserPermissionsBoundary removes a user's permissions boundary.
func (s *Service) DeleteUserPermissionsBoundary(ctx context.Context, acct string, in UserNameInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		u, err := getUser(ctx, tx, acct, in.UserName)
		if err != nil {
			return err
		}
		if u.PermissionsBoundary == "" {
			return awserr.NoSuchEntity("The user with name %s does not have a permissions boundary.", u.Name)
		}
		u.PermissionsBoundary = ""
		return tx.UpdateUser(ctx, u.Name, u)
	})
}

// getUser reads a user, or returns AWS's NoSuchEntity.
func getUser(ctx context.Context, r store.Reader, acct, name string) (store.User, error) {
	u, err := r.GetUser(ctx, acct, name)
	if isNotFound(err) {
		return store.User{}, errNoSuchUser(name)
	}
	return u, err
}

// sameName reports whether two IAM names are the same (case-insensitively).
func sameName(a, b string) bool { return strings.EqualFold(a, b) }
