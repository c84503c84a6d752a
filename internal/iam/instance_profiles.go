package iam

import (
	"context"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// Instance profile quotas.
// [IAM and AWS STS quotas]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	maxInstanceProfilesPerAccount = accountInstanceProfilesQuota
	// maxRolesPerInstanceProfile is AWS's fixed quota
	// InstanceRolesPerInstanceProfile.
	maxRolesPerInstanceProfile = 1
)

const prefixInstanceProfile = "AIPA"

// InstanceProfileARN returns arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME.
func InstanceProfileARN(acct, path, name string) string {
	return entityARN(acct, "instance-profile", path, name)
}

// InstanceProfile is an instance profile with its role, if it has one.
type InstanceProfile struct {
	store.InstanceProfile
	Roles []store.Role // zero or one
}

// errNoSuchInstanceProfile is AWS's error for an absent instance profile.
func errNoSuchInstanceProfile(name string) error {
	return awserr.NoSuchEntity("Instance Profile %s cannot be found.", name)
}

// profileGet reads an instance profile, translating ErrNotFound.
func profileGet(ctx context.Context, r store.Reader, acct, name string) (store.InstanceProfile, error) {
	p, err := r.GetInstanceProfile(ctx, acct, name)
	if isNotFound(err) {
		return store.InstanceProfile{}, errNoSuchInstanceProfile(name)
	}
	return p, err
}

// profileWithRoles adds the profile's role.
func profileWithRoles(ctx context.Context, r store.Reader, p store.InstanceProfile) (InstanceProfile, error) {
	out := InstanceProfile{InstanceProfile: p}
	if p.RoleName == "" {
		return out, nil
	}
	ro, err := r.GetRole(ctx, p.Account, p.RoleName)
	if err != nil {
		return InstanceProfile{}, err
	}
	out.Roles = []store.Role{ro}
	return out, nil
}

// CreateInstanceProfileInput is the input of CreateInstanceProfile.
type CreateInstanceProfileInput struct {
	InstanceProfileName string  `query:"InstanceProfileName,required" min:"1" max:"128" pattern:"name"`
	Path                *string `query:"Path" min:"1" max:"512" pattern:"path"`
	Tags                []Tag   `query:"Tags" max:"50"`
}

// CreateInstanceProfile creates an instance profile without a role.
func (s *Service) CreateInstanceProfile(ctx context.Context, acct string, in CreateInstanceProfileInput) (InstanceProfile, error) {
	if err := checkNewTags(in.Tags); err != nil {
		return InstanceProfile{}, err
	}
	p := store.InstanceProfile{Account: acct, Name: in.InstanceProfileName, Path: PathOrRoot(in.Path),
		ID: newID(prefixInstanceProfile), CreateDate: s.now().UTC(), Tags: toStoreTags(in.Tags)}
	err := s.update(ctx, func(tx store.Tx) error {
		all, err := tx.ListInstanceProfiles(ctx, acct, "/", store.PageRequest{})
		if err != nil {
			return err
		}
		if len(all.Items) >= maxInstanceProfilesPerAccount {
			return awserr.LimitExceeded("Cannot exceed quota for InstanceProfilesPerAccount: %d", maxInstanceProfilesPerAccount)
		}
		err = tx.CreateInstanceProfile(ctx, p)
		if isExists(err) {
			return awserr.EntityAlreadyExists("Instance Profile %s already exists.", in.InstanceProfileName)
		}
		return err
	})
	return InstanceProfile{InstanceProfile: p}, err
}

// InstanceProfileNameInput is the input of the actions that take only an
// instance profile's name.
type InstanceProfileNameInput struct {
	InstanceProfileName string `query:"InstanceProfileName,required" min:"1" max:"128" pattern:"name"`
}

// GetInstanceProfile returns an instance profile and its role.
func (s *Service) GetInstanceProfile(ctx context.Context, acct string, in InstanceProfileNameInput) (InstanceProfile, error) {
	var out InstanceProfile
	err := s.view(ctx, func(r store.Reader) error {
		p, err := profileGet(ctx, r, acct, in.InstanceProfileName)
		if err != nil {
			return err
		}
		out, err = profileWithRoles(ctx, r, p)
		return err
	})
	return out, err
}

// InstanceProfileTarget returns the ARN (with its path) and tags of an
// instance profile, for authorization; ok is false when it is absent.
func (s *Service) InstanceProfileTarget(ctx context.Context, acct, name string) (arn string, tags []store.Tag, ok bool) {
	var p store.InstanceProfile
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		p, err = r.GetInstanceProfile(ctx, acct, name)
		return err
	})
	if err != nil {
		return InstanceProfileARN(acct, "/", name), nil, false
	}
	return InstanceProfileARN(p.Account, p.Path, p.Name), p.Tags, true
}

// DeleteInstanceProfile deletes an instance profile that holds no role.
func (s *Service) DeleteInstanceProfile(ctx context.Context, acct string, in InstanceProfileNameInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := profileGet(ctx, tx, acct, in.InstanceProfileName)
		if err != nil {
			return err
		}
		if p.RoleName != "" {
			return awserr.DeleteConflict("Cannot delete entity, must remove roles from instance profile first.")
		}
		err = tx.DeleteInstanceProfile(ctx, acct, p.Name)
		if isNotFound(err) {
			return errNoSuchInstanceProfile(in.InstanceProfileName)
		}
		return err
	})
}

// ListInstanceProfilesInput is the input of ListInstanceProfiles.
type ListInstanceProfilesInput struct {
	PathPrefix *string `query:"PathPrefix" min:"1" max:"512" pattern:"pathPrefix"`
	Marker     *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems   *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListInstanceProfiles lists instance profiles by path prefix, in name
// order, each with its role.
func (s *Service) ListInstanceProfiles(ctx context.Context, acct string, in ListInstanceProfilesInput) (store.Page[InstanceProfile], error) {
	var out store.Page[InstanceProfile]
	err := s.view(ctx, func(r store.Reader) error {
		prefix := "/"
		if in.PathPrefix != nil {
			prefix = *in.PathPrefix
		}
		pg, err := r.ListInstanceProfiles(ctx, acct, prefix, page(in.Marker, in.MaxItems))
		if err != nil {
			return err
		}
		out, err = profilesWithRoles(ctx, r, pg)
		return err
	})
	return out, err
}

func profilesWithRoles(ctx context.Context, r store.Reader, pg store.Page[store.InstanceProfile]) (store.Page[InstanceProfile], error) {
	out := store.Page[InstanceProfile]{Marker: pg.Marker, Truncated: pg.Truncated, Items: make([]InstanceProfile, 0, len(pg.Items))}
	for _, p := range pg.Items {
		wp, err := profileWithRoles(ctx, r, p)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, wp)
	}
	return out, nil
}

// ListInstanceProfilesForRoleInput is the input of ListInstanceProfilesForRole.
type ListInstanceProfilesForRoleInput struct {
	RoleName string  `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListInstanceProfilesForRole lists the instance profiles that hold a role.
func (s *Service) ListInstanceProfilesForRole(ctx context.Context, acct string, in ListInstanceProfilesForRoleInput) (store.Page[InstanceProfile], error) {
	var out store.Page[InstanceProfile]
	err := s.view(ctx, func(r store.Reader) error {
		pg, err := r.ListInstanceProfilesForRole(ctx, acct, in.RoleName, page(in.Marker, in.MaxItems))
		if isNotFound(err) {
			return errNoSuchRole(in.RoleName)
		}
		if err != nil {
			return err
		}
		out, err = profilesWithRoles(ctx, r, pg)
		return err
	})
	return out, err
}

// InstanceProfileRoleInput is the input of AddRoleToInstanceProfile and
// RemoveRoleFromInstanceProfile.
type InstanceProfileRoleInput struct {
	InstanceProfileName string `query:"InstanceProfileName,required" min:"1" max:"128" pattern:"name"`
	RoleName            string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
}

// AddRoleToInstanceProfile puts a role in an instance profile. AWS
// behaviour: a profile holds at most one role, so a second role, or the
// same one again, is LimitExceeded.
func (s *Service) AddRoleToInstanceProfile(ctx context.Context, acct string, in InstanceProfileRoleInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := profileGet(ctx, tx, acct, in.InstanceProfileName)
		if err != nil {
			return err
		}
		ro, err := roleGet(ctx, tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		if p.RoleName != "" {
			return awserr.LimitExceeded("Cannot exceed quota for InstanceRolesPerInstanceProfile: %d", maxRolesPerInstanceProfile)
		}
		p.RoleName = ro.Name
		return tx.UpdateInstanceProfile(ctx, p)
	})
}

// RemoveRoleFromInstanceProfile takes a role out of an instance profile;
// NoSuchEntity if the profile or the role is absent or the profile does
// not hold the role.
func (s *Service) RemoveRoleFromInstanceProfile(ctx context.Context, acct string, in InstanceProfileRoleInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := profileGet(ctx, tx, acct, in.InstanceProfileName)
		if err != nil {
			return err
		}
		ro, err := roleGet(ctx, tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		if p.RoleName != ro.Name {
			return errNoSuchRole(in.RoleName)
		}
		p.RoleName = ""
		return tx.UpdateInstanceProfile(ctx, p)
	})
}

// profileModify reads a profile, lets fn change its tags, and writes it
// back, in one transaction.
func (s *Service) profileModify(ctx context.Context, acct, name string, fn func(*[]store.Tag) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := profileGet(ctx, tx, acct, name)
		if err != nil {
			return err
		}
		if err := fn(&p.Tags); err != nil {
			return err
		}
		err = tx.UpdateInstanceProfile(ctx, p)
		if isNotFound(err) {
			return errNoSuchInstanceProfile(name)
		}
		return err
	})
}

// TagInstanceProfileInput is the input of TagInstanceProfile.
type TagInstanceProfileInput struct {
	InstanceProfileName string `query:"InstanceProfileName,required" min:"1" max:"128" pattern:"name"`
	Tags                []Tag  `query:"Tags,required" max:"50"`
}

// TagInstanceProfile adds or replaces tags of an instance profile.
func (s *Service) TagInstanceProfile(ctx context.Context, acct string, in TagInstanceProfileInput) error {
	return s.tag(ctx, instanceProfileTags, acct, in.InstanceProfileName, in.Tags)
}

// UntagInstanceProfileInput is the input of UntagInstanceProfile.
type UntagInstanceProfileInput struct {
	InstanceProfileName string   `query:"InstanceProfileName,required" min:"1" max:"128" pattern:"name"`
	TagKeys             []string `query:"TagKeys,required" max:"50" pattern:"tagKey"`
}

// UntagInstanceProfile removes tags of an instance profile.
func (s *Service) UntagInstanceProfile(ctx context.Context, acct string, in UntagInstanceProfileInput) error {
	return s.untag(ctx, instanceProfileTags, acct, in.InstanceProfileName, in.TagKeys)
}

// ListInstanceProfileTagsInput is the input of ListInstanceProfileTags.
type ListInstanceProfileTagsInput struct {
	InstanceProfileName string  `query:"InstanceProfileName,required" min:"1" max:"128" pattern:"name"`
	Marker              *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems            *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListInstanceProfileTags returns an instance profile's tags, all in one
// page (a profile has at most 50).
func (s *Service) ListInstanceProfileTags(ctx context.Context, acct string, in ListInstanceProfileTagsInput) (store.Page[store.Tag], error) {
	return s.listTags(ctx, instanceProfileTags, acct, in.InstanceProfileName, in.Marker, in.MaxItems)
}

// instanceProfileTags are an instance profile's tags, for the tag actions.
var instanceProfileTags = taggable{
	modify: func(ctx context.Context, s *Service, acct, name string, fn func(*[]store.Tag) error) error {
		return s.profileModify(ctx, acct, name, fn)
	},
	read: func(ctx context.Context, s *Service, acct, name string) ([]store.Tag, error) {
		p, err := s.GetInstanceProfile(ctx, acct, InstanceProfileNameInput{InstanceProfileName: name})
		return p.Tags, err
	},
	merge: mergeTags, remove: removeTags,
}
