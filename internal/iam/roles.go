package iam

import (
	"context"
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Role quotas and defaults.
// [IAM and AWS STS quotas]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	maxRolesPerAccount = 1000
	// roleDefaultMaxSession is the MaxSessionDuration of a role created
	// without one: one hour.
	roleDefaultMaxSession = 3600
)

// CreateRoleInput is the input of CreateRole.
type CreateRoleInput struct {
	RoleName                 string  `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	Path                     *string `query:"Path" min:"1" max:"512" pattern:"path"`
	AssumeRolePolicyDocument string  `query:"AssumeRolePolicyDocument,required" min:"1" max:"131072" pattern:"policyDocument"`
	Description              *string `query:"Description" max:"1000" pattern:"description"`
	MaxSessionDuration       *int    `query:"MaxSessionDuration" minValue:"3600" maxValue:"43200"`
	PermissionsBoundary      *string `query:"PermissionsBoundary" min:"20" max:"2048" pattern:"arn"`
	Tags                     []Tag   `query:"Tags" max:"50"`
}

// CreateRole creates a role. Its trust policy must be a valid role trust
// policy; AWS reports the first fault it finds.
func (s *Service) CreateRole(ctx context.Context, acct string, in CreateRoleInput) (store.Role, error) {
	if err := checkNewTags(in.Tags); err != nil {
		return store.Role{}, err
	}
	if err := roleCheckTrust(in.AssumeRolePolicyDocument); err != nil {
		return store.Role{}, err
	}
	r := store.Role{Account: acct, Name: in.RoleName, Path: PathOrRoot(in.Path), ID: newID(prefixRole),
		CreateDate: s.now().UTC(), AssumeRolePolicy: in.AssumeRolePolicyDocument,
		MaxSessionDuration: roleDefaultMaxSession, Tags: toStoreTags(in.Tags)}
	if in.Description != nil {
		r.Description = *in.Description
	}
	if in.MaxSessionDuration != nil {
		r.MaxSessionDuration = *in.MaxSessionDuration
	}
	err := s.update(ctx, func(tx store.Tx) error {
		if in.PermissionsBoundary != nil {
			if err := s.checkBoundary(ctx, tx, acct, *in.PermissionsBoundary); err != nil {
				return err
			}
			r.PermissionsBoundary = *in.PermissionsBoundary
		}
		page, err := tx.ListRoles(ctx, acct, "/", store.PageRequest{})
		if err != nil {
			return err
		}
		if len(page.Items) >= maxRolesPerAccount {
			return awserr.LimitExceeded("Cannot exceed quota for RolesPerAccount: %d", maxRolesPerAccount)
		}
		err = tx.CreateRole(ctx, r)
		if isExists(err) {
			return awserr.EntityAlreadyExists("Role with name %s already exists.", in.RoleName)
		}
		return err
	})
	return r, err
}

// roleCheckTrust validates a role trust policy and turns the first finding
// into the error AWS returns for it (MalformedPolicyDocument, LimitExceeded
// for ACLSizePerRole, or ValidationError).
func roleCheckTrust(doc string) error {
	_, err := policy.Parse(doc, policy.Trust)
	if err == nil {
		return nil
	}
	return documentError(err)
}

// errNoSuchRole is AWS's error for an absent role.
func errNoSuchRole(name string) error {
	return awserr.NoSuchEntity("The role with name %s cannot be found.", name)
}

// roleGet reads a role, translating ErrNotFound.
func roleGet(ctx context.Context, r store.Reader, acct, name string) (store.Role, error) {
	ro, err := r.GetRole(ctx, acct, name)
	if isNotFound(err) {
		return store.Role{}, errNoSuchRole(name)
	}
	return ro, err
}

// roleModify reads a role, lets fn change it, and writes it back, in one
// transaction.
func (s *Service) roleModify(ctx context.Context, acct, name string, fn func(*store.Role) error) (store.Role, error) {
	var out store.Role
	err := s.update(ctx, func(tx store.Tx) error {
		ro, err := roleGet(ctx, tx, acct, name)
		if err != nil {
			return err
		}
		if err := fn(&ro); err != nil {
			return err
		}
		if err := tx.UpdateRole(ctx, ro.Name, ro); err != nil {
			if isNotFound(err) {
				return errNoSuchRole(name)
			}
			return err
		}
		out = ro
		return nil
	})
	return out, err
}

// RoleNameInput is the input of the actions that take only a role name.
type RoleNameInput struct {
	RoleName string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
}

// GetRole returns a role.
func (s *Service) GetRole(ctx context.Context, acct string, in RoleNameInput) (store.Role, error) {
	var ro store.Role
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		ro, err = roleGet(ctx, r, acct, in.RoleName)
		return err
	})
	// A use not yet flushed to the store is newer than the stored one.
	if when, region, ok := s.PendingRoleUse(acct, ro.Name); ok && err == nil {
		ro.LastUsedDate, ro.LastUsedRegion = when, region
	}
	return ro, err
}

// UpdateRoleInput is the input of UpdateRole.
type UpdateRoleInput struct {
	RoleName           string  `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	Description        *string `query:"Description" max:"1000" pattern:"description"`
	MaxSessionDuration *int    `query:"MaxSessionDuration" minValue:"3600" maxValue:"43200"`
}

// UpdateRole changes a role's description or maximum session duration.
func (s *Service) UpdateRole(ctx context.Context, acct string, in UpdateRoleInput) error {
	_, err := s.roleModify(ctx, acct, in.RoleName, func(ro *store.Role) error {
		if in.Description != nil {
			ro.Description = *in.Description
		}
		if in.MaxSessionDuration != nil {
			ro.MaxSessionDuration = *in.MaxSessionDuration
		}
		return nil
	})
	return err
}

// UpdateRoleDescriptionInput is the input of UpdateRoleDescription.
type UpdateRoleDescriptionInput struct {
	RoleName    string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	Description string `query:"Description,required" max:"1000" pattern:"description"`
}

// UpdateRoleDescription changes a role's description and returns the role.
func (s *Service) UpdateRoleDescription(ctx context.Context, acct string, in UpdateRoleDescriptionInput) (store.Role, error) {
	return s.roleModify(ctx, acct, in.RoleName, func(ro *store.Role) error {
		ro.Description = in.Description
		return nil
	})
}

// UpdateAssumeRolePolicyInput is the input of UpdateAssumeRolePolicy.
type UpdateAssumeRolePolicyInput struct {
	RoleName       string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	PolicyDocument string `query:"PolicyDocument,required" min:"1" max:"131072" pattern:"policyDocument"`
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, acct string, in UpdateAssumeRolePolicyInput) error {
	if err := roleCheckTrust(in.PolicyDocument); err != nil {
		return err
	}
	_, err := s.roleModify(ctx, acct, in.RoleName, func(ro *store.Role) error {
		ro.AssumeRolePolicy = in.PolicyDocument
		return nil
	})
	return err
}

// DeleteRole deletes a role that has no policies. AWS behaviour: inline
// policies must be deleted and managed policies detached first, each with
// its own DeleteConflict message; a permissions boundary does not stop the
// deletion.
func (s *Service) DeleteRole(ctx context.Context, acct string, in RoleNameInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		ro, err := roleGet(ctx, tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		inline, err := tx.ListInlinePolicies(ctx, acct, store.KindRole, ro.Name)
		if err != nil {
			return err
		}
		if len(inline) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must delete policies first.")
		}
		attached, err := tx.ListAttachments(ctx, acct, store.KindRole, ro.Name)
		if err != nil {
			return err
		}
		if len(attached) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must detach all policies first.")
		}
		profiles, err := tx.ListInstanceProfilesForRole(ctx, acct, ro.Name, store.PageRequest{MaxItems: 1})
		if err != nil {
			return err
		}
		if len(profiles.Items) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must remove roles from instance profile first.")
		}
		err = tx.DeleteRole(ctx, acct, ro.Name)
		if isNotFound(err) {
			return errNoSuchRole(in.RoleName)
		}
		return err
	})
}

// ListRolesInput is the input of ListRoles.
type ListRolesInput struct {
	PathPrefix *string `query:"PathPrefix" min:"1" max:"512" pattern:"pathPrefix"`
	Marker     *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems   *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListRoles lists roles by path prefix, in name order.
func (s *Service) ListRoles(ctx context.Context, acct string, in ListRolesInput) (store.Page[store.Role], error) {
	var out store.Page[store.Role]
	err := s.view(ctx, func(r store.Reader) error {
		prefix := "/"
		if in.PathPrefix != nil {
			prefix = *in.PathPrefix
		}
		var err error
		out, err = r.ListRoles(ctx, acct, prefix, page(in.Marker, in.MaxItems))
		return err
	})
	return out, err
}

// TagRoleInput is the input of TagRole.
type TagRoleInput struct {
	RoleName string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	Tags     []Tag  `query:"Tags,required" max:"50"`
}

// TagRole adds or replaces tags of a role.
func (s *Service) TagRole(ctx context.Context, acct string, in TagRoleInput) error {
	return s.tag(ctx, roleTags, acct, in.RoleName, in.Tags)
}

// UntagRoleInput is the input of UntagRole.
type UntagRoleInput struct {
	RoleName string   `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	TagKeys  []string `query:"TagKeys,required" max:"50" pattern:"tagKey"`
}

// UntagRole removes tags of a role.
func (s *Service) UntagRole(ctx context.Context, acct string, in UntagRoleInput) error {
	return s.untag(ctx, roleTags, acct, in.RoleName, in.TagKeys)
}

// ListRoleTagsInput is the input of ListRoleTags.
type ListRoleTagsInput struct {
	RoleName string  `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListRoleTags returns a role's tags. A role has at most 50 tags, so they
// always fit in one page.
func (s *Service) ListRoleTags(ctx context.Context, acct string, in ListRoleTagsInput) (store.Page[store.Tag], error) {
	return s.listTags(ctx, roleTags, acct, in.RoleName, in.Marker, in.MaxItems)
}

// roleTags are a role's tags, for the tag actions.
var roleTags = taggable{
	modify: func(ctx context.Context, s *Service, acct, name string, fn func(*[]store.Tag) error) error {
		_, err := s.roleModify(ctx, acct, name, func(ro *store.Role) error { return fn(&ro.Tags) })
		return err
	},
	read: func(ctx context.Context, s *Service, acct, name string) ([]store.Tag, error) {
		ro, err := s.GetRole(ctx, acct, RoleNameInput{RoleName: name})
		return ro.Tags, err
	},
	merge: mergeTags, remove: removeTags,
}

// PutRolePermissionsBoundaryInput is the input of PutRolePermissionsBoundary.
type PutRolePermissionsBoundaryInput struct {
	RoleName            string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	PermissionsBoundary string `query:"PermissionsBoundary,required" min:"20" max:"2048" pattern:"arn"`
}

// PutRolePermissionsBoundary sets a role's permissions boundary.
func (s *Service) PutRolePermissionsBoundary(ctx context.Context, acct string, in PutRolePermissionsBoundaryInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		ro, err := roleGet(ctx, tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		if err := s.checkBoundary(ctx, tx, acct, in.PermissionsBoundary); err != nil {
			return err
		}
		ro.PermissionsBoundary = in.PermissionsBoundary
		return tx.UpdateRole(ctx, ro.Name, ro)
	})
}

// DeleteRolePermissionsBoundary removes a role's permissions boundary.
// Like DeleteUserPermissionsBoundary, it refuses a role that has none.
func (s *Service) DeleteRolePermissionsBoundary(ctx context.Context, acct string, in RoleNameInput) error {
	_, err := s.roleModify(ctx, acct, in.RoleName, func(ro *store.Role) error {
		if ro.PermissionsBoundary == "" {
			return awserr.NoSuchEntity("The role with name %s does not have a permissions boundary.", ro.Name)
		}
		ro.PermissionsBoundary = ""
		return nil
	})
	return err
}

// Role returns a role as the snapshot has it, for authorization (its path
// and tags).
func (snap *Snapshot) Role(acct, name string) (store.Role, bool) {
	if a := snap.accounts[acct]; a != nil {
		if r := a.roles[strings.ToLower(name)]; r != nil {
			return r.role, true
		}
	}
	return store.Role{}, false
}
