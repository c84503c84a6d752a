package iam

import (
	"context"
	"encoding/base64"
	"sort"
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Inline policies are embedded in one user, group or role. The three
// families of actions (PutUserPolicy, PutGroupPolicy, PutRolePolicy ...)
// differ only in the owner's kind, so each public method is a thin typed
// wrapper over one of the inline* methods below.

// inlineOwnerKind describes one kind of owner of inline policies.
type inlineOwnerKind struct {
	kind  store.EntityKind
	ptype policy.Type
}

var (
	inlineUser  = inlineOwnerKind{store.KindUser, policy.InlineUser}
	inlineGroup = inlineOwnerKind{store.KindGroup, policy.InlineGroup}
	inlineRole  = inlineOwnerKind{store.KindRole, policy.InlineRole}
)

// inlineNoSuchPolicy is AWS's error for an absent inline policy, e.g.
// "The user policy with name X cannot be found." (recorded for user and
// role policies; the group form follows the same pattern).
func (k inlineOwnerKind) inlineNoSuchPolicy(name string) error {
	return awserr.NoSuchEntity("The %s policy with name %s cannot be found.", k.kind, name)
}

// inlinePut creates or replaces an inline policy. AWS behaviour: the sizes
// of all of an owner's inline policies (white space not counted) add up
// against one limit per owner kind: 2,048 for a user, 5,120 for a group,
// 10,240 for a role.
func (s *Service) inlinePut(ctx context.Context, k inlineOwnerKind, acct, owner, name, doc string) error {
	_, parseErr := policy.Parse(doc, k.ptype)
	return s.update(ctx, func(tx store.Tx) error {
		stored, err := ownerName(ctx, tx, acct, k.kind, owner)
		if err != nil {
			return err
		}
		existing, err := tx.ListInlinePolicies(ctx, acct, k.kind, stored)
		if err != nil {
			return err
		}
		total := policy.Size(doc, k.ptype)
		for _, p := range existing {
			if !sameName(p.Name, name) {
				total += policy.Size(p.Document, k.ptype)
			}
		}
		if err := policy.SizeError(k.ptype, total, stored); err != nil {
			return documentError(err)
		}
		if parseErr != nil {
			return documentError(parseErr)
		}
		return tx.PutInlinePolicy(ctx, store.InlinePolicy{Account: acct, OwnerKind: k.kind, OwnerName: stored,
			Name: name, Document: doc})
	})
}

// inlineGet returns an inline policy, with the owner's and the policy's
// stored names.
func (s *Service) inlineGet(ctx context.Context, k inlineOwnerKind, acct, owner, name string) (store.InlinePolicy, error) {
	var out store.InlinePolicy
	err := s.view(ctx, func(r store.Reader) error {
		stored, err := ownerName(ctx, r, acct, k.kind, owner)
		if err != nil {
			return err
		}
		out, err = r.GetInlinePolicy(ctx, acct, k.kind, stored, name)
		if isNotFound(err) {
			return k.inlineNoSuchPolicy(name)
		}
		return err
	})
	return out, err
}

// inlineDelete deletes an inline policy.
func (s *Service) inlineDelete(ctx context.Context, k inlineOwnerKind, acct, owner, name string) error {
	return s.update(ctx, func(tx store.Tx) error {
		stored, err := ownerName(ctx, tx, acct, k.kind, owner)
		if err != nil {
			return err
		}
		err = tx.DeleteInlinePolicy(ctx, acct, k.kind, stored, name)
		if isNotFound(err) {
			return k.inlineNoSuchPolicy(name)
		}
		return err
	})
}

// inlineList returns one page of the names of an owner's inline policies,
// ordered by name case-insensitively.
func (s *Service) inlineList(ctx context.Context, k inlineOwnerKind, acct, owner string, marker *string, maxItems *int) (store.Page[string], error) {
	var all []store.InlinePolicy
	err := s.view(ctx, func(r store.Reader) error {
		stored, err := ownerName(ctx, r, acct, k.kind, owner)
		if err != nil {
			return err
		}
		all, err = r.ListInlinePolicies(ctx, acct, k.kind, stored)
		return err
	})
	if err != nil {
		return store.Page[string]{}, err
	}
	names := make([]string, len(all))
	for i, p := range all {
		names[i] = p.Name
	}
	return inlinePage(names, page(marker, maxItems))
}

// inlinePage cuts one page out of a list of names. The marker is the
// base64 of the last name returned, lower-cased, like the store's.
func inlinePage(names []string, p store.PageRequest) (store.Page[string], error) {
	sort.Slice(names, func(i, j int) bool { return strings.ToLower(names[i]) < strings.ToLower(names[j]) })
	if p.Marker != "" {
		b, err := base64.RawURLEncoding.DecodeString(p.Marker)
		if err != nil {
			// No recorded AWS text for a forged marker; this one says
			// what is wrong in AWS's style.
			return store.Page[string]{}, awserr.ValidationError("Invalid Marker %s.", p.Marker)
		}
		after := string(b)
		i := sort.Search(len(names), func(i int) bool { return strings.ToLower(names[i]) > after })
		names = names[i:]
	}
	out := store.Page[string]{Items: names}
	if p.MaxItems > 0 && len(names) > p.MaxItems {
		out.Items = names[:p.MaxItems]
		out.Truncated = true
		out.Marker = base64.RawURLEncoding.EncodeToString([]byte(strings.ToLower(out.Items[p.MaxItems-1])))
	}
	if out.Items == nil {
		out.Items = []string{}
	}
	return out, nil
}

// PutUserPolicyInput is the input of PutUserPolicy.
type PutUserPolicyInput struct {
	UserName       string `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	PolicyName     string `query:"PolicyName,required" min:"1" max:"128" pattern:"name"`
	PolicyDocument string `query:"PolicyDocument,required" min:"1" max:"131072" pattern:"policyDocument"`
}

// UserPolicyInput is the input of GetUserPolicy and DeleteUserPolicy.
type UserPolicyInput struct {
	UserName   string `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	PolicyName string `query:"PolicyName,required" min:"1" max:"128" pattern:"name"`
}

// ListUserPoliciesInput is the input of ListUserPolicies.
type ListUserPoliciesInput struct {
	UserName string  `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// PutUserPolicy adds or replaces an inline policy of a user.
func (s *Service) PutUserPolicy(ctx context.Context, acct string, in PutUserPolicyInput) error {
	return s.inlinePut(ctx, inlineUser, acct, in.UserName, in.PolicyName, in.PolicyDocument)
}

// GetUserPolicy returns an inline policy of a user.
func (s *Service) GetUserPolicy(ctx context.Context, acct string, in UserPolicyInput) (store.InlinePolicy, error) {
	return s.inlineGet(ctx, inlineUser, acct, in.UserName, in.PolicyName)
}

// DeleteUserPolicy deletes an inline policy of a user.
func (s *Service) DeleteUserPolicy(ctx context.Context, acct string, in UserPolicyInput) error {
	return s.inlineDelete(ctx, inlineUser, acct, in.UserName, in.PolicyName)
}

// ListUserPolicies lists the names of a user's inline policies.
func (s *Service) ListUserPolicies(ctx context.Context, acct string, in ListUserPoliciesInput) (store.Page[string], error) {
	return s.inlineList(ctx, inlineUser, acct, in.UserName, in.Marker, in.MaxItems)
}

// PutGroupPolicyInput is the input of PutGroupPolicy.
type PutGroupPolicyInput struct {
	GroupName      string `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
	PolicyName     string `query:"PolicyName,required" min:"1" max:"128" pattern:"name"`
	PolicyDocument string `query:"PolicyDocument,required" min:"1" max:"131072" pattern:"policyDocument"`
}

// GroupPolicyInput is the input of GetGroupPolicy and DeleteGroupPolicy.
type GroupPolicyInput struct {
	GroupName  string `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
	PolicyName string `query:"PolicyName,required" min:"1" max:"128" pattern:"name"`
}

// ListGroupPoliciesInput is the input of ListGroupPolicies.
type ListGroupPoliciesInput struct {
	GroupName string  `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
	Marker    *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems  *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// PutGroupPolicy adds or replaces an inline policy of a group.
func (s *Service) PutGroupPolicy(ctx context.Context, acct string, in PutGroupPolicyInput) error {
	return s.inlinePut(ctx, inlineGroup, acct, in.GroupName, in.PolicyName, in.PolicyDocument)
}

// GetGroupPolicy returns an inline policy of a group.
func (s *Service) GetGroupPolicy(ctx context.Context, acct string, in GroupPolicyInput) (store.InlinePolicy, error) {
	return s.inlineGet(ctx, inlineGroup, acct, in.GroupName, in.PolicyName)
}

// DeleteGroupPolicy deletes an inline policy of a group.
func (s *Service) DeleteGroupPolicy(ctx context.Context, acct string, in GroupPolicyInput) error {
	return s.inlineDelete(ctx, inlineGroup, acct, in.GroupName, in.PolicyName)
}

// ListGroupPolicies lists the names of a group's inline policies.
func (s *Service) ListGroupPolicies(ctx context.Context, acct string, in ListGroupPoliciesInput) (store.Page[string], error) {
	return s.inlineList(ctx, inlineGroup, acct, in.GroupName, in.Marker, in.MaxItems)
}

// PutRolePolicyInput is the input of PutRolePolicy.
type PutRolePolicyInput struct {
	RoleName       string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	PolicyName     string `query:"PolicyName,required" min:"1" max:"128" pattern:"name"`
	PolicyDocument string `query:"PolicyDocument,required" min:"1" max:"131072" pattern:"policyDocument"`
}

// RolePolicyInput is the input of GetRolePolicy and DeleteRolePolicy.
type RolePolicyInput struct {
	RoleName   string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	PolicyName string `query:"PolicyName,required" min:"1" max:"128" pattern:"name"`
}

// ListRolePoliciesInput is the input of ListRolePolicies.
type ListRolePoliciesInput struct {
	RoleName string  `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// PutRolePolicy adds or replaces an inline policy of a role.
func (s *Service) PutRolePolicy(ctx context.Context, acct string, in PutRolePolicyInput) error {
	return s.inlinePut(ctx, inlineRole, acct, in.RoleName, in.PolicyName, in.PolicyDocument)
}

// GetRolePolicy returns an inline policy of a role.
func (s *Service) GetRolePolicy(ctx context.Context, acct string, in RolePolicyInput) (store.InlinePolicy, error) {
	return s.inlineGet(ctx, inlineRole, acct, in.RoleName, in.PolicyName)
}

// DeleteRolePolicy deletes an inline policy of a role.
func (s *Service) DeleteRolePolicy(ctx context.Context, acct string, in RolePolicyInput) error {
	return s.inlineDelete(ctx, inlineRole, acct, in.RoleName, in.PolicyName)
}

// ListRolePolicies lists the names of a role's inline policies.
func (s *Service) ListRolePolicies(ctx context.Context, acct string, in ListRolePoliciesInput) (store.Page[string], error) {
	return s.inlineList(ctx, inlineRole, acct, in.RoleName, in.Marker, in.MaxItems)
}
