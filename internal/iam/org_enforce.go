package iam

import (
	"strings"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/policy"
)

// scps returns the service control policies that bind the principals of
// acct, per level, or nil when none do.
//
// AWS behaviour ([SCPs]): SCPs bind every principal of a member account,
// its root user included, at every level from the root to the account;
// they do not bind the management account, nor service-linked roles.
//
// [SCPs]: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
func (snap *Snapshot) scps(acct string) [][]*policy.Policy {
	if p := snap.orgs[acct]; p != nil && !p.IsManagement {
		return p.SCPs
	}
	return nil
}

// RootPolicySet returns the policies that bind the root user of acct: the
// service control policies of a member account, and nothing else.
func (snap *Snapshot) RootPolicySet(acct string) *authz.PolicySet {
	if p := snap.orgs[acct]; p != nil {
		return p.rootSet
	}
	return emptySet
}

var emptySet = authz.NewPolicySet(authz.Policies{})

// rcpActions are the actions, of those Warden serves, that resource
// control policies bind. AWS behaviour ([RCPs]): RCPs apply
// to Amazon S3, AWS STS, AWS KMS, Amazon SQS, AWS Secrets Manager and a
// few others; IAM is not among them. Of STS, Warden binds the actions on a
// role (the resource an RCP protects), not those on the caller itself
// (GetSessionToken, GetFederationToken), which act on no resource of
// another principal: AWS's list names the service, not the actions.
//
// [RCPs]: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
var rcpActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
	"sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"}

func rcpBinds(action string) bool {
	for _, a := range rcpActions {
		if strings.EqualFold(a, action) {
			return true
		}
	}
	return false
}

// RCPSet returns a set holding only the resource control policies that
// bind a request for action (e.g. "sts:AssumeRole") on a resource of
// acct, for [authz.PolicySet.WithRCPs]; nil when none do. It is built once
// per snapshot and account.
//
// AWS behaviour ([RCPs]): RCPs bind requests to the resources of member
// accounts, whoever makes them (principals outside the organization too),
// not the management account's resources, and not requests made by
// service-linked roles (the caller checks that).
func (snap *Snapshot) RCPSet(acct, action string) *authz.PolicySet {
	p := snap.orgs[acct]
	if p == nil || !rcpBinds(action) {
		return nil
	}
	return p.rcpSet
}

// IsServiceLinkedRole reports whether the role is a service-linked role,
// which neither SCPs nor RCPs bind.
func (snap *Snapshot) IsServiceLinkedRole(acct, name string) bool {
	r, ok := snap.Role(acct, name)
	return ok && isServiceLinked(r)
}

// OrgKeys are the values of the organization condition keys for an
// account (aws:PrincipalOrgID and aws:PrincipalOrgPaths for its
// principals, aws:ResourceOrgID and aws:ResourceOrgPaths for its
// resources). They are built once per snapshot and shared: callers must
// not change them.
type OrgKeys struct {
	ID    []string
	Paths []string
}

// OrgKeys returns the organization condition key values of acct, or nil
// when it belongs to no organization.
func (snap *Snapshot) OrgKeys(acct string) *OrgKeys {
	if p := snap.orgs[acct]; p != nil {
		return &p.keys
	}
	return nil
}
