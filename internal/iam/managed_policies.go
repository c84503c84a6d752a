package iam

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam/awspolicies"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Customer managed policies: the policy, its versions (at most five, one of
// them the default, ids never reused) and its attachments to users, groups
// and roles.
// [Managed policies and inline policies]: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html

// The quotas of managed policies.
// [IAM and AWS STS quotas]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	managedMaxVersions = 5
	managedMaxPerAcct  = 1500
)

// ManagedPolicy is a customer managed policy with the counts that GetPolicy
// and ListPolicies report.
type ManagedPolicy struct {
	store.Policy
	AttachmentCount    int
	BoundaryUsageCount int
}

// ARN returns the policy's ARN.
func (p ManagedPolicy) ARN() string { return PolicyARN(p.Account, p.Path, p.Name) }

// managedNotFound is "Policy ARN was not found.", AWS's error for an absent
// policy in GetPolicy, DeletePolicy, the tag actions and Detach*Policy.
func managedNotFound(arn string) error {
	return awserr.NoSuchEntity("Policy %s was not found.", arn)
}

// managedNotAttachable is AWS's error for an absent policy in Attach*Policy,
// CreatePolicyVersion and ListEntitiesForPolicy.
func managedNotAttachable(arn string) error {
	return awserr.NoSuchEntity("Policy %s does not exist or is not attachable.", arn)
}

// managedNoVersion is AWS's error for an absent policy or version in the
// version actions.
func managedNoVersion(arn, version string) error {
	return awserr.NoSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, version)
}

// managedCheckARN refuses a PolicyArn that is not the ARN of a policy.
// AWS behaviour: "ARN arn:aws:iam::123456789012:role/x is not valid." for a
// role ARN given as a policy ARN (InvalidInput).
func managedCheckARN(arn string) error {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "iam" || parts[3] != "" ||
		!strings.HasPrefix(parts[5], "policy/") || strings.HasSuffix(parts[5], "/") {
		return awserr.InvalidInput("ARN %s is not valid.", arn)
	}
	return nil
}

// managedGet finds the customer managed policy an ARN names in acct, or
// returns notFound. The name matches case-insensitively, the path exactly.
// AWS managed policies are not the account's: see managedFind.
func managedGet(ctx context.Context, r store.Reader, acct, arn string, notFound func() error) (store.Policy, error) {
	if err := managedCheckARN(arn); err != nil {
		return store.Policy{}, err
	}
	path, name, ok := ParsePolicyARN(acct, arn)
	if !ok {
		return store.Policy{}, notFound()
	}
	p, err := r.GetPolicy(ctx, acct, name)
	if isNotFound(err) || (err == nil && p.Path != path) {
		return store.Policy{}, notFound()
	}
	return p, err
}

// managedCounts adds the attachment and boundary counts to a policy: its
// uses in acct only, also for an AWS managed policy that every account
// uses.
func managedCounts(ctx context.Context, r store.Reader, acct string, p store.Policy) (ManagedPolicy, error) {
	mp := ManagedPolicy{Policy: p}
	arn := mp.ARN()
	att, err := r.ListPolicyAttachments(ctx, acct, arn)
	if err != nil {
		return mp, err
	}
	mp.AttachmentCount = len(att)
	mp.BoundaryUsageCount, err = r.CountBoundaryUses(ctx, acct, arn)
	return mp, err
}

// managedCheckTags applies AWS's tag rules to tags set on a policy. AWS
// behaviour: policy tag keys are case-sensitive ("a" and "A" are two tags),
// and a repeated key is refused with "Duplicate tag keys found." (recorded
// against AWS in localstack's tests/aws/services/iam/test_iam_policies.snapshot.json).
func managedCheckTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			return awserr.InvalidInput("Duplicate tag keys found.")
		}
		seen[t.Key] = true
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return awserr.InvalidInput("User-created tag keys can't start with \"aws:\".")
		}
	}
	return nil
}

// CreatePolicyInput is the input of CreatePolicy. The "policyPath"
// pattern (the model's policyPathType) is registered by internal/api/iamapi.
type CreatePolicyInput struct {
	PolicyName     string  `query:"PolicyName,required" min:"1" max:"128" pattern:"name"`
	Path           *string `query:"Path" min:"1" max:"512" pattern:"policyPath"`
	PolicyDocument string  `query:"PolicyDocument,required" min:"1" max:"131072" pattern:"policyDocument"`
	Description    *string `query:"Description" max:"1000"`
	Tags           []Tag   `query:"Tags" max:"50"`
}

// CreatePolicy creates a customer managed policy with version v1 as its
// default version.
func (s *Service) CreatePolicy(ctx context.Context, acct string, in CreatePolicyInput) (ManagedPolicy, error) {
	if _, err := policy.Parse(in.PolicyDocument, policy.Identity); err != nil {
		return ManagedPolicy{}, documentError(err)
	}
	if err := managedCheckTags(in.Tags); err != nil {
		return ManagedPolicy{}, err
	}
	now := s.now().UTC()
	p := store.Policy{Account: acct, Name: in.PolicyName, Path: PathOrRoot(in.Path), ID: newID(prefixPolicy),
		DefaultVersion: "v1", NextVersion: 2, CreateDate: now, UpdateDate: now, Tags: toStoreTags(in.Tags)}
	if in.Description != nil {
		p.Description = *in.Description
	}
	err := s.update(ctx, func(tx store.Tx) error {
		all, err := tx.ListPolicies(ctx, acct, "/", store.PageRequest{})
		if err != nil {
			return err
		}
		if len(all.Items) >= managedMaxPerAcct {
			return awserr.LimitExceeded("Cannot exceed quota for PoliciesPerAccount: %d", managedMaxPerAcct)
		}
		if err := tx.CreatePolicy(ctx, p); isExists(err) {
			return awserr.EntityAlreadyExists("A policy called %s already exists. Duplicate names are not allowed.", in.PolicyName)
		} else if err != nil {
			return err
		}
		return tx.CreatePolicyVersion(ctx, store.PolicyVersion{Account: acct, PolicyName: p.Name, VersionID: "v1",
			Document: in.PolicyDocument, CreateDate: now})
	})
	return ManagedPolicy{Policy: p}, err
}

// PolicyARNInput is the input of the actions that take only a policy ARN.
type PolicyARNInput struct {
	PolicyArn string `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
}

// GetPolicy returns a policy with its counts.
func (s *Service) GetPolicy(ctx context.Context, acct string, in PolicyARNInput) (ManagedPolicy, error) {
	var out ManagedPolicy
	err := s.view(ctx, func(r store.Reader) error {
		p, err := managedFind(ctx, r, acct, in.PolicyArn, func() error { return managedNotFound(in.PolicyArn) })
		if err != nil {
			return err
		}
		out, err = managedCounts(ctx, r, acct, p)
		return err
	})
	return out, err
}

// DeletePolicy deletes a policy that is attached to nothing, is no
// entity's permissions boundary and has only its default version.
func (s *Service) DeletePolicy(ctx context.Context, acct string, in PolicyARNInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := managedGet(ctx, tx, acct, in.PolicyArn, func() error { return managedNotFound(in.PolicyArn) })
		if err != nil {
			return err
		}
		mp, err := managedCounts(ctx, tx, acct, p)
		if err != nil {
			return err
		}
		// AWS behaviour: a policy in use as a permissions boundary is
		// "attached" too (gruntwork-io/cloud-nuke#972).
		if mp.AttachmentCount > 0 || mp.BoundaryUsageCount > 0 {
			return awserr.DeleteConflict("Cannot delete a policy attached to entities.")
		}
		versions, err := tx.ListPolicyVersions(ctx, acct, p.Name)
		if err != nil {
			return err
		}
		if len(versions) > 1 {
			return awserr.DeleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		return tx.DeletePolicy(ctx, acct, p.Name)
	})
}

// ListPoliciesInput is the input of ListPolicies.
type ListPoliciesInput struct {
	Scope             *string `query:"Scope" enum:"All|AWS|Local"`
	OnlyAttached      bool    `query:"OnlyAttached"`
	PathPrefix        *string `query:"PathPrefix" min:"1" max:"512" pattern:"policyPath"`
	PolicyUsageFilter *string `query:"PolicyUsageFilter" enum:"PermissionsPolicy|PermissionsBoundary"`
	Marker            *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems          *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListPolicies lists managed policies by name: the account's (Scope
// Local), the AWS managed policies (Scope AWS), or both (All, the
// default). OnlyAttached keeps policies attached to a user, group or role
// of the account, or used there as a boundary; PolicyUsageFilter keeps
// those used that way (attached, or as a boundary).
func (s *Service) ListPolicies(ctx context.Context, acct string, in ListPoliciesInput) (store.Page[ManagedPolicy], error) {
	var out store.Page[ManagedPolicy]
	out.Items = []ManagedPolicy{}
	scope := "All"
	if in.Scope != nil {
		scope = *in.Scope
	}
	prefix := "/"
	if in.PathPrefix != nil {
		prefix = *in.PathPrefix
	}
	req := page(in.Marker, in.MaxItems)
	err := s.view(ctx, func(r store.Reader) error {
		var all store.Page[store.Policy]
		if scope != "AWS" {
			var err error
			if all, err = r.ListPolicies(ctx, acct, prefix, store.PageRequest{}); err != nil {
				return err
			}
		}
		if scope != "Local" {
			all.Items = append(all.Items, awsManagedUnder(prefix)...)
			slices.SortStableFunc(all.Items, func(a, b store.Policy) int { return strings.Compare(managedListKey(a), managedListKey(b)) })
		}
		keep := func(mp ManagedPolicy) bool {
			if in.OnlyAttached && mp.AttachmentCount == 0 && mp.BoundaryUsageCount == 0 {
				return false
			}
			if in.PolicyUsageFilter != nil {
				switch *in.PolicyUsageFilter {
				case "PermissionsPolicy":
					return mp.AttachmentCount > 0
				case "PermissionsBoundary":
					return mp.BoundaryUsageCount > 0
				}
			}
			return true
		}
		for _, p := range all.Items {
			// The marker is the list key of the last policy returned;
			// all is sorted by it.
			if req.Marker != "" && managedListKey(p) <= req.Marker {
				continue
			}
			mp, err := managedCounts(ctx, r, acct, p)
			if err != nil {
				return err
			}
			if !keep(mp) {
				continue
			}
			if len(out.Items) == req.MaxItems {
				out.Truncated = true
				out.Marker = managedListKey(out.Items[len(out.Items)-1].Policy)
				return nil
			}
			out.Items = append(out.Items, mp)
		}
		return nil
	})
	return out, err
}

// CreatePolicyVersionInput is the input of CreatePolicyVersion.
type CreatePolicyVersionInput struct {
	PolicyArn      string `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	PolicyDocument string `query:"PolicyDocument,required" min:"1" max:"131072" pattern:"policyDocument"`
	SetAsDefault   bool   `query:"SetAsDefault"`
}

// ManagedPolicyVersion is a version of a managed policy.
type ManagedPolicyVersion struct {
	store.PolicyVersion
	IsDefault bool
}

// CreatePolicyVersion adds a version to a policy. AWS behaviour: a policy
// has at most five versions; version ids count up and are never reused.
func (s *Service) CreatePolicyVersion(ctx context.Context, acct string, in CreatePolicyVersionInput) (ManagedPolicyVersion, error) {
	var out ManagedPolicyVersion
	_, parseErr := policy.Parse(in.PolicyDocument, policy.Identity)
	err := s.update(ctx, func(tx store.Tx) error {
		p, err := managedGet(ctx, tx, acct, in.PolicyArn, func() error { return managedNotAttachable(in.PolicyArn) })
		if err != nil {
			return err
		}
		if parseErr != nil {
			return documentError(parseErr)
		}
		versions, err := tx.ListPolicyVersions(ctx, acct, p.Name)
		if err != nil {
			return err
		}
		if len(versions) >= managedMaxVersions {
			return awserr.LimitExceeded("A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", managedMaxVersions)
		}
		now := s.now().UTC()
		v := store.PolicyVersion{Account: acct, PolicyName: p.Name, VersionID: "v" + strconv.Itoa(p.NextVersion),
			Document: in.PolicyDocument, CreateDate: now}
		if err := tx.CreatePolicyVersion(ctx, v); err != nil {
			return err
		}
		p.NextVersion++
		// AWS behaviour: UpdateDate is when the newest version was created.
		p.UpdateDate = now
		if in.SetAsDefault {
			p.DefaultVersion = v.VersionID
		}
		out = ManagedPolicyVersion{PolicyVersion: v, IsDefault: in.SetAsDefault}
		return tx.UpdatePolicy(ctx, p)
	})
	return out, err
}

// PolicyVersionInput is the input of the actions on one policy version.
type PolicyVersionInput struct {
	PolicyArn string `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	VersionID string `query:"VersionId,required" pattern:"versionId"`
}

// managedVersion finds a policy and one of its versions.
func managedVersion(ctx context.Context, r store.Reader, acct string, in PolicyVersionInput) (store.Policy, store.PolicyVersion, error) {
	notFound := func() error { return managedNoVersion(in.PolicyArn, in.VersionID) }
	p, err := managedGet(ctx, r, acct, in.PolicyArn, notFound)
	if err != nil {
		return p, store.PolicyVersion{}, err
	}
	return managedStoredVersion(ctx, r, acct, p, in.VersionID, notFound)
}

// managedFindVersion is managedVersion for the actions that only read:
// it finds the versions of AWS managed policies too.
func managedFindVersion(ctx context.Context, r store.Reader, acct string, in PolicyVersionInput) (store.Policy, store.PolicyVersion, error) {
	notFound := func() error { return managedNoVersion(in.PolicyArn, in.VersionID) }
	p, err := managedFind(ctx, r, acct, in.PolicyArn, notFound)
	if err != nil {
		return p, store.PolicyVersion{}, err
	}
	if p.Account == awspolicies.Account {
		vs, _ := awsManagedVersions(in.PolicyArn)
		for _, v := range vs {
			if v.VersionID == in.VersionID {
				return p, v.PolicyVersion, nil
			}
		}
		return p, store.PolicyVersion{}, notFound()
	}
	return managedStoredVersion(ctx, r, acct, p, in.VersionID, notFound)
}

func managedStoredVersion(ctx context.Context, r store.Reader, acct string, p store.Policy, version string, notFound func() error) (store.Policy, store.PolicyVersion, error) {
	v, err := r.GetPolicyVersion(ctx, acct, p.Name, version)
	if isNotFound(err) {
		return p, v, notFound()
	}
	return p, v, err
}

// GetPolicyVersion returns one version of a policy, with its document.
func (s *Service) GetPolicyVersion(ctx context.Context, acct string, in PolicyVersionInput) (ManagedPolicyVersion, error) {
	var out ManagedPolicyVersion
	err := s.view(ctx, func(r store.Reader) error {
		p, v, err := managedFindVersion(ctx, r, acct, in)
		if err != nil {
			return err
		}
		out = ManagedPolicyVersion{PolicyVersion: v, IsDefault: v.VersionID == p.DefaultVersion}
		return nil
	})
	return out, err
}

// DeletePolicyVersion deletes a version that is not the default.
func (s *Service) DeletePolicyVersion(ctx context.Context, acct string, in PolicyVersionInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, v, err := managedVersion(ctx, tx, acct, in)
		if err != nil {
			return err
		}
		if v.VersionID == p.DefaultVersion {
			return awserr.DeleteConflict("Cannot delete the default version of a policy.")
		}
		if err := tx.DeletePolicyVersion(ctx, acct, p.Name, v.VersionID); err != nil {
			return err
		}
		rest, err := tx.ListPolicyVersions(ctx, acct, p.Name)
		if err != nil {
			return err
		}
		latest := time.Time{}
		for _, r := range rest {
			if r.CreateDate.After(latest) {
				latest = r.CreateDate
			}
		}
		if !latest.IsZero() && !latest.Equal(p.UpdateDate) {
			p.UpdateDate = latest
			return tx.UpdatePolicy(ctx, p)
		}
		return nil
	})
}

// SetDefaultPolicyVersion makes a version the one in force.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, acct string, in PolicyVersionInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, v, err := managedVersion(ctx, tx, acct, in)
		if err != nil {
			return err
		}
		if p.DefaultVersion == v.VersionID {
			return nil
		}
		p.DefaultVersion = v.VersionID
		return tx.UpdatePolicy(ctx, p)
	})
}

// ListPolicyVersionsInput is the input of ListPolicyVersions.
type ListPolicyVersionsInput struct {
	PolicyArn string  `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	Marker    *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems  *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListPolicyVersions lists a policy's versions, newest first, without
// their documents.
func (s *Service) ListPolicyVersions(ctx context.Context, acct string, in ListPolicyVersionsInput) (store.Page[ManagedPolicyVersion], error) {
	var all []ManagedPolicyVersion
	err := s.view(ctx, func(r store.Reader) error {
		p, err := managedFind(ctx, r, acct, in.PolicyArn, func() error { return managedNotFound(in.PolicyArn) })
		if err != nil {
			return err
		}
		if p.Account == awspolicies.Account {
			all, _ = awsManagedVersions(in.PolicyArn)
			for i := range all {
				all[i].Document = ""
			}
			return nil
		}
		versions, err := r.ListPolicyVersions(ctx, acct, p.Name)
		if err != nil {
			return err
		}
		for _, v := range versions {
			v.Document = ""
			all = append(all, ManagedPolicyVersion{PolicyVersion: v, IsDefault: v.VersionID == p.DefaultVersion})
		}
		return nil
	})
	if err != nil {
		return store.Page[ManagedPolicyVersion]{}, err
	}
	return managedPage(all, page(in.Marker, in.MaxItems))
}

// managedPage cuts one page from a list held in memory. The marker is the
// index of the next item, opaque to clients.
func managedPage[T any](all []T, p store.PageRequest) (store.Page[T], error) {
	start := 0
	if p.Marker != "" {
		n, err := strconv.Atoi(p.Marker)
		if err != nil || n < 0 || n > len(all) {
			return store.Page[T]{}, awserr.InvalidInput("Invalid Marker.")
		}
		start = n
	}
	end := len(all)
	if p.MaxItems > 0 && start+p.MaxItems < end {
		end = start + p.MaxItems
	}
	out := store.Page[T]{Items: append([]T{}, all[start:end]...)}
	if end < len(all) {
		out.Truncated = true
		out.Marker = strconv.Itoa(end)
	}
	return out, nil
}

// managedEntity names the owner kinds Attach*/Detach*/ListAttached*
// act on, with AWS's messages for them.
type managedEntity struct {
	kind  store.EntityKind
	quota string // the quota name in LimitExceeded
	label string // "user", "group", "role" in NoSuchEntity
}

var (
	managedUser  = managedEntity{kind: store.KindUser, quota: "PoliciesPerUser", label: "user"}
	managedGroup = managedEntity{kind: store.KindGroup, quota: "PoliciesPerGroup", label: "group"}
	managedRole  = managedEntity{kind: store.KindRole, quota: "PoliciesPerRole", label: "role"}
)

// AttachPolicyInput is what Attach*Policy and Detach*Policy take: the
// owner's name (UserName, GroupName or RoleName, decoded by the API layer)
// and the policy ARN.
type AttachPolicyInput struct {
	Owner     string
	PolicyArn string
}

// AttachUserPolicy attaches a managed policy to a user.
func (s *Service) AttachUserPolicy(ctx context.Context, acct string, in AttachPolicyInput) error {
	return s.managedAttach(ctx, managedUser, acct, in)
}

// AttachGroupPolicy attaches a managed policy to a group.
func (s *Service) AttachGroupPolicy(ctx context.Context, acct string, in AttachPolicyInput) error {
	return s.managedAttach(ctx, managedGroup, acct, in)
}

// AttachRolePolicy attaches a managed policy to a role.
func (s *Service) AttachRolePolicy(ctx context.Context, acct string, in AttachPolicyInput) error {
	return s.managedAttach(ctx, managedRole, acct, in)
}

// DetachUserPolicy detaches a managed policy from a user.
func (s *Service) DetachUserPolicy(ctx context.Context, acct string, in AttachPolicyInput) error {
	return s.managedDetach(ctx, managedUser, acct, in)
}

// DetachGroupPolicy detaches a managed policy from a group.
func (s *Service) DetachGroupPolicy(ctx context.Context, acct string, in AttachPolicyInput) error {
	return s.managedDetach(ctx, managedGroup, acct, in)
}

// DetachRolePolicy detaches a managed policy from a role.
func (s *Service) DetachRolePolicy(ctx context.Context, acct string, in AttachPolicyInput) error {
	return s.managedDetach(ctx, managedRole, acct, in)
}

// managedAttach attaches a policy. AWS behaviour: attaching an attached
// policy again succeeds; an entity has at most 10 managed policies.
func (s *Service) managedAttach(ctx context.Context, e managedEntity, acct string, in AttachPolicyInput) error {
	if err := managedCheckARN(in.PolicyArn); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		owner, err := ownerName(ctx, tx, acct, e.kind, in.Owner)
		if err != nil {
			return err
		}
		p, err := managedFind(ctx, tx, acct, in.PolicyArn, func() error { return managedNotAttachable(in.PolicyArn) })
		if err != nil {
			return err
		}
		if err := awsManagedCheckAttach(ctx, tx, acct, e.kind, owner, p); err != nil {
			return err
		}
		arn := PolicyARN(p.Account, p.Path, p.Name)
		attached, err := tx.ListAttachments(ctx, acct, e.kind, owner)
		if err != nil {
			return err
		}
		for _, a := range attached {
			if a.PolicyARN == arn {
				return nil
			}
		}
		if len(attached) >= maxAttachedPerEntity {
			return awserr.LimitExceeded("Cannot exceed quota for %s: %d", e.quota, maxAttachedPerEntity)
		}
		return tx.Attach(ctx, store.Attachment{Account: acct, OwnerKind: e.kind, OwnerName: owner, PolicyARN: arn})
	})
}

// managedDetach detaches a policy: "Policy ARN was not found." when it is
// not attached (AWS behaviour, getmoto/moto#5559 after localstack#6989).
func (s *Service) managedDetach(ctx context.Context, e managedEntity, acct string, in AttachPolicyInput) error {
	if err := managedCheckARN(in.PolicyArn); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		owner, err := ownerName(ctx, tx, acct, e.kind, in.Owner)
		if err != nil {
			return err
		}
		arn := in.PolicyArn
		if p, err := managedFind(ctx, tx, acct, in.PolicyArn, func() error { return managedNotFound(in.PolicyArn) }); err == nil {
			arn = PolicyARN(p.Account, p.Path, p.Name)
		} else if !managedIsNoSuchEntity(err) {
			return err
		}
		err = tx.Detach(ctx, store.Attachment{Account: acct, OwnerKind: e.kind, OwnerName: owner, PolicyARN: arn})
		if isNotFound(err) {
			return managedNotFound(in.PolicyArn)
		}
		return err
	})
}

func managedIsNoSuchEntity(err error) bool {
	var ae *awserr.Error
	return errors.As(err, &ae) && ae.Code == "NoSuchEntity"
}

// ListAttachedPoliciesInput is what ListAttached*Policies take; Owner is
// the UserName, GroupName or RoleName.
type ListAttachedPoliciesInput struct {
	Owner      string
	PathPrefix *string
	Marker     *string
	MaxItems   *int
}

// AttachedPolicy is a policy attached to an entity.
type AttachedPolicy struct {
	Name string
	ARN  string
}

// ListAttachedUserPolicies lists the managed policies of a user.
func (s *Service) ListAttachedUserPolicies(ctx context.Context, acct string, in ListAttachedPoliciesInput) (store.Page[AttachedPolicy], error) {
	return s.managedListAttached(ctx, managedUser, acct, in)
}

// ListAttachedGroupPolicies lists the managed policies of a group.
func (s *Service) ListAttachedGroupPolicies(ctx context.Context, acct string, in ListAttachedPoliciesInput) (store.Page[AttachedPolicy], error) {
	return s.managedListAttached(ctx, managedGroup, acct, in)
}

// ListAttachedRolePolicies lists the managed policies of a role.
func (s *Service) ListAttachedRolePolicies(ctx context.Context, acct string, in ListAttachedPoliciesInput) (store.Page[AttachedPolicy], error) {
	return s.managedListAttached(ctx, managedRole, acct, in)
}

func (s *Service) managedListAttached(ctx context.Context, e managedEntity, acct string, in ListAttachedPoliciesInput) (store.Page[AttachedPolicy], error) {
	var all []AttachedPolicy
	err := s.view(ctx, func(r store.Reader) error {
		owner, err := ownerName(ctx, r, acct, e.kind, in.Owner)
		if err != nil {
			return err
		}
		attached, err := r.ListAttachments(ctx, acct, e.kind, owner)
		if err != nil {
			return err
		}
		for _, a := range attached {
			path, name, ok := managedSplitARN(a.PolicyARN)
			if !ok || (in.PathPrefix != nil && !strings.HasPrefix(path, *in.PathPrefix)) {
				continue
			}
			all = append(all, AttachedPolicy{Name: name, ARN: a.PolicyARN})
		}
		return nil
	})
	if err != nil {
		return store.Page[AttachedPolicy]{}, err
	}
	return managedPage(all, page(in.Marker, in.MaxItems))
}

// managedSplitARN splits any policy ARN (of any account, or aws) into path
// and name.
func managedSplitARN(arn string) (path, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return "", "", false
	}
	rest, found := strings.CutPrefix(parts[5], "policy")
	if !found || !strings.HasPrefix(rest, "/") {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	return rest[:i+1], rest[i+1:], rest[i+1:] != ""
}

// TagPolicyInput is the input of TagPolicy.
type TagPolicyInput struct {
	PolicyArn string `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	Tags      []Tag  `query:"Tags,required" max:"50"`
}

// TagPolicy adds or replaces tags of a policy (keys compared
// case-sensitively).
func (s *Service) TagPolicy(ctx context.Context, acct string, in TagPolicyInput) error {
	return s.tag(ctx, policyTags, acct, in.PolicyArn, in.Tags)
}

// UntagPolicyInput is the input of UntagPolicy.
type UntagPolicyInput struct {
	PolicyArn string   `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	TagKeys   []string `query:"TagKeys,required" max:"50" pattern:"tagKey"`
}

// UntagPolicy removes tags of a policy (keys compared case-sensitively).
func (s *Service) UntagPolicy(ctx context.Context, acct string, in UntagPolicyInput) error {
	return s.untag(ctx, policyTags, acct, in.PolicyArn, in.TagKeys)
}

// ListPolicyTagsInput is the input of ListPolicyTags.
type ListPolicyTagsInput struct {
	PolicyArn string  `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	Marker    *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems  *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListPolicyTags lists a policy's tags. AWS behaviour: ordered by key
// length, then key (recorded: a, b, z, abc; A before a).
func (s *Service) ListPolicyTags(ctx context.Context, acct string, in ListPolicyTagsInput) (store.Page[store.Tag], error) {
	return s.listTags(ctx, policyTags, acct, in.PolicyArn, in.Marker, in.MaxItems)
}

// policyTags are a managed policy's tags, for the tag actions. AWS
// behaviour: unlike other entities', policy tag keys are case-sensitive,
// the tags are checked before the policy is looked up, and ListPolicyTags
// pages them in its own order.
var policyTags = taggable{
	modify: func(ctx context.Context, s *Service, acct, arn string, fn func(*[]store.Tag) error) error {
		return s.update(ctx, func(tx store.Tx) error {
			p, err := managedGet(ctx, tx, acct, arn, func() error { return managedNotFound(arn) })
			if err != nil {
				return err
			}
			if err := fn(&p.Tags); err != nil {
				return err
			}
			return tx.UpdatePolicy(ctx, p)
		})
	},
	read: func(ctx context.Context, s *Service, acct, arn string) ([]store.Tag, error) {
		var tags []store.Tag
		err := s.view(ctx, func(r store.Reader) error {
			p, err := managedFind(ctx, r, acct, arn, func() error { return managedNotFound(arn) })
			tags = p.Tags
			return err
		})
		return tags, err
	},
	check: managedCheckTags,
	merge: func(existing []store.Tag, add []Tag) ([]store.Tag, error) {
		for _, t := range add {
			i := slices.IndexFunc(existing, func(x store.Tag) bool { return x.Key == t.Key })
			if i >= 0 {
				existing[i].Value = t.Value
			} else {
				existing = append(existing, store.Tag{Key: t.Key, Value: t.Value})
			}
		}
		if len(existing) > maxTags {
			return nil, awserr.LimitExceeded("The number of tags has reached the maximum limit.")
		}
		return existing, nil
	},
	remove: func(existing []store.Tag, keys []string) []store.Tag {
		return slices.DeleteFunc(existing, func(t store.Tag) bool { return slices.Contains(keys, t.Key) })
	},
	page: func(tags []store.Tag, p store.PageRequest) (store.Page[store.Tag], error) {
		tags = slices.Clone(tags)
		slices.SortStableFunc(tags, func(a, b store.Tag) int {
			return cmp.Or(cmp.Compare(len(a.Key), len(b.Key)), strings.Compare(a.Key, b.Key))
		})
		return managedPage(tags, p)
	},
}

// ListEntitiesForPolicyInput is the input of ListEntitiesForPolicy.
type ListEntitiesForPolicyInput struct {
	PolicyArn         string  `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	EntityFilter      *string `query:"EntityFilter" enum:"User|Role|Group|LocalManagedPolicy|AWSManagedPolicy"`
	PathPrefix        *string `query:"PathPrefix" min:"1" max:"512" pattern:"path"`
	PolicyUsageFilter *string `query:"PolicyUsageFilter" enum:"PermissionsPolicy|PermissionsBoundary"`
	Marker            *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems          *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// PolicyEntity is a user, group or role that uses a policy.
type PolicyEntity struct {
	Kind store.EntityKind
	Name string
	ID   string
}

// ListEntitiesForPolicy lists the users, groups and roles a policy is
// attached to (PolicyUsageFilter PermissionsPolicy, and by default) or is
// the permissions boundary of (PermissionsBoundary, and by default).
// Groups come first, then roles, then users, each by name.
func (s *Service) ListEntitiesForPolicy(ctx context.Context, acct string, in ListEntitiesForPolicyInput) (store.Page[PolicyEntity], error) {
	var all []PolicyEntity
	want := func(k store.EntityKind) bool {
		if in.EntityFilter == nil {
			return true
		}
		switch *in.EntityFilter {
		case "User":
			return k == store.KindUser
		case "Group":
			return k == store.KindGroup
		case "Role":
			return k == store.KindRole
		}
		return false // LocalManagedPolicy, AWSManagedPolicy: policies use no policies
	}
	usage := ""
	if in.PolicyUsageFilter != nil {
		usage = *in.PolicyUsageFilter
	}
	prefix := "/"
	if in.PathPrefix != nil {
		prefix = *in.PathPrefix
	}
	err := s.view(ctx, func(r store.Reader) error {
		p, err := managedFind(ctx, r, acct, in.PolicyArn, func() error { return managedNotAttachable(in.PolicyArn) })
		if err != nil {
			return err
		}
		arn := PolicyARN(p.Account, p.Path, p.Name)
		seen := map[PolicyEntity]bool{}
		add := func(e PolicyEntity, path string) {
			if want(e.Kind) && strings.HasPrefix(path, prefix) && !seen[e] {
				seen[e] = true
				all = append(all, e)
			}
		}
		if usage != "PermissionsBoundary" {
			att, err := r.ListPolicyAttachments(ctx, acct, arn)
			if err != nil {
				return err
			}
			for _, a := range att {
				var path, id string
				switch a.OwnerKind {
				case store.KindUser:
					u, err := r.GetUser(ctx, acct, a.OwnerName)
					if err != nil {
						return err
					}
					path, id = u.Path, u.ID
				case store.KindGroup:
					g, err := r.GetGroup(ctx, acct, a.OwnerName)
					if err != nil {
						return err
					}
					path, id = g.Path, g.ID
				case store.KindRole:
					ro, err := r.GetRole(ctx, acct, a.OwnerName)
					if err != nil {
						return err
					}
					path, id = ro.Path, ro.ID
				}
				add(PolicyEntity{Kind: a.OwnerKind, Name: a.OwnerName, ID: id}, path)
			}
		}
		if usage != "PermissionsPolicy" {
			n, err := r.CountBoundaryUses(ctx, acct, arn)
			if err != nil {
				return err
			}
			if n > 0 {
				roles, err := r.ListRoles(ctx, acct, prefix, store.PageRequest{})
				if err != nil {
					return err
				}
				for _, ro := range roles.Items {
					if ro.PermissionsBoundary == arn {
						add(PolicyEntity{Kind: store.KindRole, Name: ro.Name, ID: ro.ID}, ro.Path)
					}
				}
				users, err := r.ListUsers(ctx, acct, prefix, store.PageRequest{})
				if err != nil {
					return err
				}
				for _, u := range users.Items {
					if u.PermissionsBoundary == arn {
						add(PolicyEntity{Kind: store.KindUser, Name: u.Name, ID: u.ID}, u.Path)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return store.Page[PolicyEntity]{}, err
	}
	slices.SortStableFunc(all, func(a, b PolicyEntity) int {
		return cmp.Or(strings.Compare(string(a.Kind), string(b.Kind)), strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)))
	})
	return managedPage(all, page(in.Marker, in.MaxItems))
}
