package orgs

import (
	"context"
	"errors"
	"slices"

	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// policyTypes are the policy types Warden supports, with the policy
// language type their documents are validated as. Other types of the AWS
// model (tag, backup, … policies) are refused as unavailable.
var policyTypes = map[string]policy.Type{iam.PolicyTypeSCP: policy.SCP, iam.PolicyTypeRCP: policy.RCP}

// checkContent validates a policy document as its type, with AWS
// Organizations' errors: MalformedPolicyDocumentException, or
// ConstraintViolationException (POLICY_CONTENT_LIMIT_EXCEEDED) for a
// document over 5,120 characters.
func checkContent(typ, content string) error {
	_, err := policy.Parse(content, policyTypes[typ])
	var pe *policy.Error
	if errors.As(err, &pe) && len(pe.Findings) > 0 {
		f := pe.Findings[0]
		if f.Code == policy.CodeOrgConstraint {
			return constraint("POLICY_CONTENT_LIMIT_EXCEEDED", "%s", f.Message)
		}
		return exception(policy.CodeOrgMalformed, "%s", f.Message)
	}
	return err
}

// supportedType refuses the policy types Warden does not support.
func supportedType(typ string) error {
	if _, ok := policyTypes[typ]; !ok {
		return errPolicyTypeNotAvailable()
	}
	return nil
}

// CreatePolicyInput is CreatePolicy's input.
type CreatePolicyInput struct {
	Content     string  `json:"Content,required" min:"1" max:"1000000" pattern:"any"`
	Description *string `json:"Description,required" max:"512" pattern:"any"`
	Name        string  `json:"Name,required" min:"1" max:"128" pattern:"any"`
	Type        string  `json:"Type,required" enum:"SERVICE_CONTROL_POLICY|RESOURCE_CONTROL_POLICY|TAG_POLICY|BACKUP_POLICY|AISERVICES_OPT_OUT_POLICY|CHATBOT_POLICY|DECLARATIVE_POLICY_EC2|SECURITYHUB_POLICY|INSPECTOR_POLICY|UPGRADE_ROLLOUT_POLICY|BEDROCK_POLICY|S3_POLICY|NETWORK_SECURITY_DIRECTOR_POLICY|GUARDDUTY_POLICY"`
	Tags        []Tag   `json:"Tags"`
}

// CreatePolicy creates a customer managed SCP or RCP.
func (s *Service) CreatePolicy(ctx context.Context, caller string, in CreatePolicyInput) (*Org, store.OrgPolicy, error) {
	var out store.OrgPolicy
	var org *Org
	err := s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		org = o
		if err := supportedType(in.Type); err != nil {
			return err
		}
		if err := checkContent(in.Type, in.Content); err != nil {
			return err
		}
		if slices.ContainsFunc(o.Policies, func(p store.OrgPolicy) bool { return p.Name == in.Name }) {
			return errDuplicatePolicy()
		}
		n := 0
		for _, p := range o.Policies {
			if p.Type == in.Type {
				n++
			}
		}
		if n >= MaxPoliciesPerType {
			return constraint("POLICY_NUMBER_LIMIT_EXCEEDED", "You have reached the limit on the number of policies of this type in your organization.")
		}
		tags, err := storeTags(in.Tags)
		if err != nil {
			return err
		}
		out = store.OrgPolicy{Org: o.ID(), ID: newPolicyID(), Name: in.Name, Description: *in.Description, Type: in.Type, Content: in.Content, Tags: tags}
		if err := tx.CreateOrgPolicy(ctx, out); isExists(err) {
			return errDuplicatePolicy()
		} else if err != nil {
			return err
		}
		return nil
	})
	return org, out, err
}

// PolicyIDInput is the input of the actions on one policy.
type PolicyIDInput struct {
	PolicyID string `json:"PolicyId,required" max:"130" pattern:"policyId"`
}

// customer returns a customer policy of o: PolicyNotFoundException, or
// InvalidInputException (IMMUTABLE_POLICY) for an AWS-managed one.
func (o *Org) customer(id string) (*store.OrgPolicy, error) {
	if _, ok := iam.OrgManagedPolicies[id]; ok {
		return nil, invalidInput("IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified.")
	}
	p := o.policies[id]
	if p == nil {
		return nil, errPolicyNotFound()
	}
	return p, nil
}

// DescribePolicy returns a policy, customer or AWS-managed.
func (s *Service) DescribePolicy(ctx context.Context, caller string, in PolicyIDInput) (*Org, store.OrgPolicy, error) {
	var out store.OrgPolicy
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		p, ok := o.Policy(in.PolicyID)
		if !ok {
			return errPolicyNotFound()
		}
		out = p
		return nil
	})
	return org, out, err
}

// UpdatePolicyInput is UpdatePolicy's input.
type UpdatePolicyInput struct {
	PolicyID    string  `json:"PolicyId,required" max:"130" pattern:"policyId"`
	Name        *string `json:"Name" min:"1" max:"128" pattern:"any"`
	Description *string `json:"Description" max:"512" pattern:"any"`
	Content     *string `json:"Content" min:"1" max:"1000000" pattern:"any"`
}

// UpdatePolicy changes a customer policy's name, description or document.
func (s *Service) UpdatePolicy(ctx context.Context, caller string, in UpdatePolicyInput) (*Org, store.OrgPolicy, error) {
	var out store.OrgPolicy
	var org *Org
	err := s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		org = o
		p, err := o.customer(in.PolicyID)
		if err != nil {
			return err
		}
		out = *p
		if in.Content != nil {
			if err := checkContent(p.Type, *in.Content); err != nil {
				return err
			}
			out.Content = *in.Content
		}
		if in.Name != nil && *in.Name != p.Name {
			if slices.ContainsFunc(o.Policies, func(q store.OrgPolicy) bool { return q.Name == *in.Name }) {
				return errDuplicatePolicy()
			}
			out.Name = *in.Name
		}
		if in.Description != nil {
			out.Description = *in.Description
		}
		if err := tx.UpdateOrgPolicy(ctx, out); isExists(err) {
			return errDuplicatePolicy()
		} else if err != nil {
			return err
		}
		return nil
	})
	return org, out, err
}

// DeletePolicy deletes a customer policy attached to nothing.
func (s *Service) DeletePolicy(ctx context.Context, caller string, in PolicyIDInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		if _, err := o.customer(in.PolicyID); err != nil {
			return err
		}
		if slices.ContainsFunc(o.Attachments, func(a store.OrgAttachment) bool { return a.PolicyID == in.PolicyID }) {
			return errPolicyInUse()
		}
		return tx.DeleteOrgPolicy(ctx, o.ID(), in.PolicyID)
	})
}

// ListPoliciesInput is ListPolicies' input.
type ListPoliciesInput struct {
	Filter     string `json:"Filter,required" enum:"SERVICE_CONTROL_POLICY|RESOURCE_CONTROL_POLICY|TAG_POLICY|BACKUP_POLICY|AISERVICES_OPT_OUT_POLICY|CHATBOT_POLICY|DECLARATIVE_POLICY_EC2|SECURITYHUB_POLICY|INSPECTOR_POLICY|UPGRADE_ROLLOUT_POLICY|BEDROCK_POLICY|S3_POLICY|NETWORK_SECURITY_DIRECTOR_POLICY|GUARDDUTY_POLICY"`
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

func policyID(p store.OrgPolicy) string { return p.ID }

// ListPolicies lists the policies of a type, the AWS-managed one with
// the organization's own.
func (s *Service) ListPolicies(ctx context.Context, caller string, in ListPoliciesInput) (*Org, Page[store.OrgPolicy], error) {
	var p Page[store.OrgPolicy]
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		var out []store.OrgPolicy
		for _, m := range []iam.OrgManagedPolicy{iam.FullAWSAccess, iam.RCPFullAWSAccess} {
			if m.Type == in.Filter {
				pol, _ := o.Policy(m.ID)
				out = append(out, pol)
			}
		}
		for _, pol := range o.Policies {
			if pol.Type == in.Filter {
				out = append(out, pol)
			}
		}
		var err error
		p, err = page(out, policyID, in.NextToken, in.MaxResults)
		return err
	})
	return org, p, err
}

// AttachPolicyInput is the input of AttachPolicy and DetachPolicy.
type AttachPolicyInput struct {
	PolicyID string `json:"PolicyId,required" max:"130" pattern:"policyId"`
	TargetID string `json:"TargetId,required" max:"100" pattern:"targetId"`
}

// isTarget reports whether id is a root, OU or account of o.
func (o *Org) isTarget(id string) bool { return o.units[id] != nil || o.accounts[id] != nil }

// AttachPolicy attaches a policy to a root, OU or account, at most
// MaxPoliciesPerTarget of a type per target.
func (s *Service) AttachPolicy(ctx context.Context, caller string, in AttachPolicyInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		p, ok := o.Policy(in.PolicyID)
		if !ok {
			return errPolicyNotFound()
		}
		if !o.isTarget(in.TargetID) {
			return errTargetNotFound()
		}
		if !o.enabled(p.Type) {
			return errPolicyTypeNotEnabled()
		}
		attached := o.attachedTo(in.TargetID, p.Type)
		if slices.ContainsFunc(attached, func(q store.OrgPolicy) bool { return q.ID == p.ID }) {
			return errDuplicateAttachment()
		}
		if len(attached) >= MaxPoliciesPerTarget {
			return constraint("MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to attach a policy to an entity that already has the maximum number of policies of that type attached.")
		}
		err := tx.AttachOrgPolicy(ctx, store.OrgAttachment{Org: o.ID(), PolicyID: p.ID, TargetID: in.TargetID})
		if isExists(err) {
			return errDuplicateAttachment()
		}
		return err
	})
}

// DetachPolicy detaches a policy from a target. AWS behaviour: every
// target keeps at least one SCP, and RCPFullAWSAccess cannot be detached
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html).
func (s *Service) DetachPolicy(ctx context.Context, caller string, in AttachPolicyInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		p, ok := o.Policy(in.PolicyID)
		if !ok {
			return errPolicyNotFound()
		}
		if !o.isTarget(in.TargetID) {
			return errTargetNotFound()
		}
		attached := o.attachedTo(in.TargetID, p.Type)
		if !slices.ContainsFunc(attached, func(q store.OrgPolicy) bool { return q.ID == p.ID }) {
			return errPolicyNotAttached()
		}
		if p.ID == iam.RCPFullAWSAccess.ID {
			return invalidInput("NON_DETACHABLE_POLICY", "You can't detach this AWS Managed Policy.")
		}
		if p.Type == iam.PolicyTypeSCP && len(attached) == 1 {
			return constraint("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to detach a policy from an entity that would leave it without any policies of that type attached.")
		}
		return tx.DetachOrgPolicy(ctx, store.OrgAttachment{Org: o.ID(), PolicyID: p.ID, TargetID: in.TargetID})
	})
}

// ListPoliciesForTargetInput is ListPoliciesForTarget's input.
type ListPoliciesForTargetInput struct {
	TargetID   string `json:"TargetId,required" max:"100" pattern:"targetId"`
	Filter     string `json:"Filter,required" enum:"SERVICE_CONTROL_POLICY|RESOURCE_CONTROL_POLICY|TAG_POLICY|BACKUP_POLICY|AISERVICES_OPT_OUT_POLICY|CHATBOT_POLICY|DECLARATIVE_POLICY_EC2|SECURITYHUB_POLICY|INSPECTOR_POLICY|UPGRADE_ROLLOUT_POLICY|BEDROCK_POLICY|S3_POLICY|NETWORK_SECURITY_DIRECTOR_POLICY|GUARDDUTY_POLICY"`
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// ListPoliciesForTarget lists the policies of a type attached directly to
// a root, OU or account.
func (s *Service) ListPoliciesForTarget(ctx context.Context, caller string, in ListPoliciesForTargetInput) (*Org, Page[store.OrgPolicy], error) {
	var p Page[store.OrgPolicy]
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		if !o.isTarget(in.TargetID) {
			return errTargetNotFound()
		}
		var err error
		p, err = page(o.attachedTo(in.TargetID, in.Filter), policyID, in.NextToken, in.MaxResults)
		return err
	})
	return org, p, err
}

// Target is a root, OU or account a policy is attached to.
type Target struct {
	ID   string
	Name string
	Type string // ROOT, ORGANIZATIONAL_UNIT or ACCOUNT
}

// ListTargetsForPolicyInput is ListTargetsForPolicy's input.
type ListTargetsForPolicyInput struct {
	PolicyID   string `json:"PolicyId,required" max:"130" pattern:"policyId"`
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// ListTargetsForPolicy lists the roots, OUs and accounts a policy is
// attached to.
func (s *Service) ListTargetsForPolicy(ctx context.Context, caller string, in ListTargetsForPolicyInput) (*Org, Page[Target], error) {
	var p Page[Target]
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		if _, ok := o.Policy(in.PolicyID); !ok {
			return errPolicyNotFound()
		}
		var targets []Target
		for _, a := range o.Attachments {
			if a.PolicyID != in.PolicyID {
				continue
			}
			switch u, acct := o.units[a.TargetID], o.accounts[a.TargetID]; {
			case u != nil && u.ParentID == "":
				targets = append(targets, Target{ID: u.ID, Name: u.Name, Type: "ROOT"})
			case u != nil:
				targets = append(targets, Target{ID: u.ID, Name: u.Name, Type: "ORGANIZATIONAL_UNIT"})
			case acct != nil:
				targets = append(targets, Target{ID: acct.Account, Name: acct.Name, Type: "ACCOUNT"})
			}
		}
		var err error
		p, err = page(targets, func(t Target) string { return t.ID }, in.NextToken, in.MaxResults)
		return err
	})
	return org, p, err
}

// PolicyTypeInput is the input of EnablePolicyType and DisablePolicyType.
type PolicyTypeInput struct {
	RootID     string `json:"RootId,required" max:"34" pattern:"rootId"`
	PolicyType string `json:"PolicyType,required" enum:"SERVICE_CONTROL_POLICY|RESOURCE_CONTROL_POLICY|TAG_POLICY|BACKUP_POLICY|AISERVICES_OPT_OUT_POLICY|CHATBOT_POLICY|DECLARATIVE_POLICY_EC2|SECURITYHUB_POLICY|INSPECTOR_POLICY|UPGRADE_ROLLOUT_POLICY|BEDROCK_POLICY|S3_POLICY|NETWORK_SECURITY_DIRECTOR_POLICY|GUARDDUTY_POLICY"`
}

// EnablePolicyType enables a policy type on the root and attaches its
// AWS-managed full access policy to the root, every OU and every account.
func (s *Service) EnablePolicyType(ctx context.Context, caller string, in PolicyTypeInput) (*Org, store.OrgUnit, error) {
	var out store.OrgUnit
	var org *Org
	err := s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		org = o
		if o.Root.ID != in.RootID {
			return errRootNotFound()
		}
		if err := supportedType(in.PolicyType); err != nil {
			return err
		}
		if o.Organization.FeatureSet != "ALL" {
			return errPolicyTypeNotAvailable()
		}
		if o.enabled(in.PolicyType) {
			return errPolicyTypeEnabled()
		}
		out = *o.Root
		out.PolicyTypes = append(slices.Clone(out.PolicyTypes), in.PolicyType)
		if err := tx.UpdateOrgUnit(ctx, out); err != nil {
			return err
		}
		managed := iam.FullAWSAccess.ID
		if in.PolicyType == iam.PolicyTypeRCP {
			managed = iam.RCPFullAWSAccess.ID
		}
		targets := make([]string, 0, len(o.Units)+len(o.Accounts))
		for _, u := range o.Units {
			targets = append(targets, u.ID)
		}
		for _, a := range o.Accounts {
			targets = append(targets, a.Account)
		}
		for _, t := range targets {
			err := tx.AttachOrgPolicy(ctx, store.OrgAttachment{Org: o.ID(), PolicyID: managed, TargetID: t})
			if err != nil && !isExists(err) {
				return err
			}
		}
		return nil
	})
	return org, out, err
}

// DisablePolicyType disables a policy type on the root and detaches every
// policy of the type from every target.
func (s *Service) DisablePolicyType(ctx context.Context, caller string, in PolicyTypeInput) (*Org, store.OrgUnit, error) {
	var out store.OrgUnit
	var org *Org
	err := s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		org = o
		if o.Root.ID != in.RootID {
			return errRootNotFound()
		}
		if !o.enabled(in.PolicyType) {
			return errPolicyTypeNotEnabled()
		}
		out = *o.Root
		out.PolicyTypes = slices.DeleteFunc(slices.Clone(out.PolicyTypes), func(t string) bool { return t == in.PolicyType })
		if err := tx.UpdateOrgUnit(ctx, out); err != nil {
			return err
		}
		for _, a := range o.Attachments {
			if p, ok := o.Policy(a.PolicyID); ok && p.Type == in.PolicyType {
				if err := tx.DetachOrgPolicy(ctx, a); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return org, out, err
}
