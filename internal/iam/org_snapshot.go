package iam

import (
	"context"
	"fmt"
	"strings"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// The Organizations policy types that authorization enforces.
const (
	PolicyTypeSCP = "SERVICE_CONTROL_POLICY"
	PolicyTypeRCP = "RESOURCE_CONTROL_POLICY"
)

// OrgManagedPolicy is an AWS-managed Organizations policy: the same in
// every organization, never stored, attached by its id.
type OrgManagedPolicy struct {
	ID          string
	Name        string
	Type        string
	Description string
	Content     string
}

// AWS behaviour: enabling a policy type attaches its AWS-managed full
// access policy to the root, every OU and every account, and to each OU
// and account made later ([FullAWSAccess], [RCPFullAWSAccess]).
//
// [FullAWSAccess]: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
// [RCPFullAWSAccess]: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
var (
	FullAWSAccess = OrgManagedPolicy{
		ID: "p-FullAWSAccess", Name: "FullAWSAccess", Type: PolicyTypeSCP,
		Description: "Allows access to every operation",
		Content:     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
	}
	RCPFullAWSAccess = OrgManagedPolicy{
		ID: "p-RCPFullAWSAccess", Name: "RCPFullAWSAccess", Type: PolicyTypeRCP,
		Description: "Allows access to every operation",
		Content:     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`,
	}
)

// OrgPolicyARN returns the ARN of an Organizations policy; AWS-managed
// policies have one ARN in every organization. It is the ID of the
// compiled SCPs and RCPs in OrgPath, so a decision names the policy as
// AWS does ([Enhanced access denied error messages]): "with an explicit
// deny in a service control policy:
// arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd".
//
// [Enhanced access denied error messages]: https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns
func OrgPolicyARN(mgmt, org, typ, id string) string {
	if _, ok := OrgManagedPolicies[id]; ok {
		return "arn:aws:organizations::aws:policy/" + strings.ToLower(typ) + "/" + id
	}
	return "arn:aws:organizations::" + mgmt + ":policy/" + org + "/" + strings.ToLower(typ) + "/" + id
}

// OrgManagedPolicies are the AWS-managed policies, by id.
var OrgManagedPolicies = map[string]OrgManagedPolicy{FullAWSAccess.ID: FullAWSAccess, RCPFullAWSAccess.ID: RCPFullAWSAccess}

// OrgPath is where an account sits in its AWS organization, with the
// organization policies attached at each level: what SCP and RCP
// enforcement reads. It is part of the Snapshot, so it is as current as
// the rest of a decision's data and never read from the store per request.
//
// Levels run from the root down to the account: IDs[0] is the root
// (r-…), then the OUs outermost first (ou-…), and the last is the account
// id itself. SCPs[i] and RCPs[i] are the policies attached to IDs[i].
//
// For a request, SCPs come from the path of the principal's account and
// RCPs from the path of the account that owns the resource:
//
//	if p := snap.OrgPath(principalAccount); p != nil && !p.IsManagement {
//		policies.SCPs = p.SCPs
//	}
//	if p := snap.OrgPath(resourceAccount); p != nil && !p.IsManagement {
//		policies.RCPs = p.RCPs
//	}
type OrgPath struct {
	// OrgID is the organization's id (o-…).
	OrgID string
	// ManagementAccount is the organization's management account.
	// AWS behaviour: SCPs and RCPs do not restrict the management account
	// (its principals, its resources); enforcement checks IsManagement.
	ManagementAccount string
	// IsManagement reports whether the account is the management account.
	IsManagement bool
	// Status is the account's status in the organization: ACTIVE, or
	// SUSPENDED once it is closed (CloseAccount).
	Status string
	// IDs are the ids of the levels, root first, account last.
	IDs []string
	// SCPs holds the compiled service control policies per level, shaped
	// for authz.Policies.SCPs; nil when SCPs are not enabled on the root.
	// Each policy's ID is its ARN (OrgPolicyARN) and its Document.Source
	// the stored document.
	// A level without policies (impossible through the API, which keeps
	// one attached) allows nothing.
	SCPs [][]*policy.Policy
	// RCPs is SCPs for resource control policies (authz.Policies.RCPs).
	RCPs [][]*policy.Policy

	// What requests read, made once when the snapshot is loaded (see
	// finish): the condition key values, the policy set that binds the
	// account's root user, and the RCP set of its resources (nil when
	// none binds).
	keys    OrgKeys
	rootSet *authz.PolicySet
	rcpSet  *authz.PolicySet
}

// finish makes the values requests read from p, so that a request only
// looks them up.
func (p *OrgPath) finish() {
	p.keys = OrgKeys{ID: []string{p.OrgID}, Paths: []string{p.String()}}
	p.rootSet = emptySet
	if !p.IsManagement && p.SCPs != nil {
		p.rootSet = authz.NewPolicySet(authz.Policies{SCPs: p.SCPs})
	}
	if !p.IsManagement && p.RCPs != nil {
		p.rcpSet = authz.NewPolicySet(authz.Policies{RCPs: p.RCPs})
	}
}

// String returns the path as AWS writes an entity path in
// aws:PrincipalOrgPaths and aws:ResourceOrgPaths, without the account:
// "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/".
func (p *OrgPath) String() string {
	var b strings.Builder
	b.WriteString(p.OrgID)
	b.WriteByte('/')
	for _, id := range p.IDs[:len(p.IDs)-1] {
		b.WriteString(id)
		b.WriteByte('/')
	}
	return b.String()
}

// OrgPath returns where the account sits in its organization, or nil when
// it belongs to none. The result is shared: callers must not change it.
func (snap *Snapshot) OrgPath(acct string) *OrgPath { return snap.orgs[acct] }

// AccountClosed reports whether acct was closed in its organization
// (SUSPENDED). AWS behaviour: a closed account's resources are not
// available until it is reopened, so its credentials authenticate nothing
// and its roles cannot be assumed.
func (snap *Snapshot) AccountClosed(acct string) bool {
	p := snap.orgs[acct]
	return p != nil && p.Status == "SUSPENDED"
}

// loadOrganizations reads every organization into snap.orgs.
func (s *Service) loadOrganizations(ctx context.Context, r store.Reader, snap *Snapshot) error {
	orgs, err := r.ListOrganizations(ctx)
	if err != nil {
		return err
	}
	snap.orgs = make(map[string]*OrgPath)
	for _, o := range orgs {
		d, err := r.LoadOrganization(ctx, o.ID)
		if err != nil {
			return fmt.Errorf("load organization %s: %w", o.ID, err)
		}
		if err := s.addOrganization(d, snap.orgs); err != nil {
			return fmt.Errorf("organization %s: %w", o.ID, err)
		}
	}
	return nil
}

// addOrganization builds the path of every member account of d.
func (s *Service) addOrganization(d store.OrgData, out map[string]*OrgPath) error {
	parents := make(map[string]string, len(d.Units))
	enabled := map[string]bool{}
	for _, u := range d.Units {
		parents[u.ID] = u.ParentID
		if u.ParentID == "" {
			for _, t := range u.PolicyTypes {
				enabled[t] = true
			}
		}
	}
	// The compiled policies attached to each target, by type.
	docs := make(map[string]store.OrgPolicy, len(d.Policies))
	for _, p := range d.Policies {
		docs[p.ID] = p
	}
	attached := map[string]map[string][]*policy.Policy{PolicyTypeSCP: {}, PolicyTypeRCP: {}}
	for _, a := range d.Attachments {
		var typ, content string
		if m, ok := OrgManagedPolicies[a.PolicyID]; ok {
			typ, content = m.Type, m.Content
		} else if p, ok := docs[a.PolicyID]; ok {
			typ, content = p.Type, p.Content
		} else {
			continue
		}
		byTarget := attached[typ]
		if byTarget == nil || !enabled[typ] {
			continue
		}
		pt := policy.SCP
		if typ == PolicyTypeRCP {
			pt = policy.RCP
		}
		compiled, err := s.compiled.get(content, pt, OrgPolicyARN(d.Organization.ManagementAccount, d.Organization.ID, typ, a.PolicyID))
		if err != nil {
			return fmt.Errorf("policy %s: %w", a.PolicyID, err)
		}
		byTarget[a.TargetID] = append(byTarget[a.TargetID], compiled)
	}
	for _, m := range d.Accounts {
		var ids []string
		for id, n := m.ParentID, 0; id != "" && n <= len(d.Units); id, n = parents[id], n+1 {
			ids = append(ids, id)
		}
		if len(ids) == 0 || len(ids) > len(d.Units) || parents[ids[len(ids)-1]] != "" {
			return fmt.Errorf("account %s: its parent %s is not in the tree", m.Account, m.ParentID)
		}
		// ids runs from the parent up to the root; the path runs down.
		for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
			ids[i], ids[j] = ids[j], ids[i]
		}
		ids = append(ids, m.Account)
		p := &OrgPath{OrgID: d.Organization.ID, ManagementAccount: d.Organization.ManagementAccount,
			IsManagement: m.Account == d.Organization.ManagementAccount, Status: m.Status, IDs: ids}
		if enabled[PolicyTypeSCP] {
			p.SCPs = levels(ids, attached[PolicyTypeSCP])
		}
		if enabled[PolicyTypeRCP] {
			p.RCPs = levels(ids, attached[PolicyTypeRCP])
		}
		p.finish()
		out[m.Account] = p
	}
	return nil
}

func levels(ids []string, byTarget map[string][]*policy.Policy) [][]*policy.Policy {
	out := make([][]*policy.Policy, len(ids))
	for i, id := range ids {
		out[i] = byTarget[id]
	}
	return out
}
