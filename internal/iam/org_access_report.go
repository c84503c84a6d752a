package iam

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/servicecatalog"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Organizations access reports: for an organization root, OU or account,
// the services its service control policies (or one SCP) allow, with the
// last access by any principal of the accounts under it, computed from the
// accesses the dispatcher records, like the last accessed reports.
// [GenerateOrganizationsAccessReport]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateOrganizationsAccessReport.html
//
// The report is computed when it is generated and stored as a job of the
// management account, like a last accessed report, so a job is always
// COMPLETED and never carries ErrorDetails: what would fail a job (an
// entity or policy the organization does not have) fails the request.

// orgReportKind marks an Organizations access report job (see loadJob).
const orgReportKind = "organizations"

// The sort keys of GetOrganizationsAccessReport.
const (
	SortNamespaceAscending  = "SERVICE_NAMESPACE_ASCENDING"
	SortNamespaceDescending = "SERVICE_NAMESPACE_DESCENDING"
	SortTimeAscending       = "LAST_AUTHENTICATED_TIME_ASCENDING"
	SortTimeDescending      = "LAST_AUTHENTICATED_TIME_DESCENDING"
)

// GenerateOrganizationsAccessReportInput is the input of
// GenerateOrganizationsAccessReport.
type GenerateOrganizationsAccessReportInput struct {
	EntityPath            string  `query:"EntityPath,required" min:"19" max:"427" pattern:"orgEntityPath"`
	OrganizationsPolicyID *string `query:"OrganizationsPolicyId" pattern:"orgPolicyId"`
}

// GetOrganizationsAccessReportInput is the input of
// GetOrganizationsAccessReport.
type GetOrganizationsAccessReportInput struct {
	JobID    string  `query:"JobId,required" min:"36" max:"36"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	SortKey  *string `query:"SortKey" enum:"SERVICE_NAMESPACE_ASCENDING|SERVICE_NAMESPACE_DESCENDING|LAST_AUTHENTICATED_TIME_ASCENDING|LAST_AUTHENTICATED_TIME_DESCENDING"`
}

// OrgAccessReport is a generated Organizations access report, as a job
// stores it.
type OrgAccessReport struct {
	Kind      string             `json:"kind"` // orgReportKind
	Created   time.Time          `json:"created"`
	Completed time.Time          `json:"completed"`
	Services  []OrgServiceAccess `json:"services"` // by namespace
}

// OrgServiceAccess is one service of an Organizations access report.
type OrgServiceAccess struct {
	ServiceName      string `json:"name"`
	ServiceNamespace string `json:"namespace"`
	// LastAuthenticated is zero when no principal of the reported accounts
	// attempted to access the service within the tracking period; the
	// entity path and region are then "".
	LastAuthenticated time.Time `json:"last,omitzero"`
	// EntityPath is the path of the account that last accessed the
	// service: o-…/r-…/ou-…/123456789012.
	EntityPath string `json:"path,omitempty"`
	Region     string `json:"region,omitempty"`
	// TotalAuthenticatedEntities is the number of accounts whose
	// principals accessed the service.
	TotalAuthenticatedEntities int `json:"total"`
}

// OrgAccessReportPage is a job read back with one page of its services.
type OrgAccessReportPage struct {
	Created, Completed time.Time
	// Accessible is the number of services the report lists,
	// NotAccessed those of them no principal accessed.
	Accessible, NotAccessed int
	Items                   []OrgServiceAccess
	Truncated               bool
	Marker                  string
}

// orgTree is an organization read for a report: its tree and the SCPs
// attached to each target, compiled.
type orgTree struct {
	org      store.Organization
	parents  map[string]string // unit or account id -> parent id ("" for the root)
	units    map[string]bool   // the root and the OUs
	accounts []string          // member accounts, sorted
	// scps holds the SCPs attached to each target; nil when SCPs are not
	// enabled on the root.
	scps map[string][]*policy.Policy
	// policies are the organization's SCPs by id, with FullAWSAccess.
	policies map[string]*policy.Policy
}

func (s *Service) newOrgTree(d store.OrgData) (*orgTree, error) {
	t := &orgTree{org: d.Organization, parents: map[string]string{}, units: map[string]bool{}, policies: map[string]*policy.Policy{}}
	enabled := false
	for _, u := range d.Units {
		t.parents[u.ID], t.units[u.ID] = u.ParentID, true
		enabled = enabled || (u.ParentID == "" && slices.Contains(u.PolicyTypes, PolicyTypeSCP))
	}
	for _, m := range d.Accounts {
		t.parents[m.Account] = m.ParentID
		t.accounts = append(t.accounts, m.Account)
	}
	slices.Sort(t.accounts)
	compile := func(id, content string) (*policy.Policy, error) {
		return s.compiled.get(content, policy.SCP, OrgPolicyARN(d.Organization.ManagementAccount, d.Organization.ID, PolicyTypeSCP, id))
	}
	full, err := compile(FullAWSAccess.ID, FullAWSAccess.Content)
	if err != nil {
		return nil, err
	}
	t.policies[FullAWSAccess.ID] = full
	for _, p := range d.Policies {
		if p.Type != PolicyTypeSCP {
			continue
		}
		if t.policies[p.ID], err = compile(p.ID, p.Content); err != nil {
			return nil, err
		}
	}
	if !enabled {
		return t, nil
	}
	t.scps = map[string][]*policy.Policy{}
	for _, a := range d.Attachments {
		if p, ok := t.policies[a.PolicyID]; ok {
			t.scps[a.TargetID] = append(t.scps[a.TargetID], p)
		}
	}
	return t, nil
}

// chain returns the ids from the root down to id, or nil when id is not
// in the tree.
func (t *orgTree) chain(id string) []string {
	var ids []string
	for n := 0; id != "" && n <= len(t.parents); n++ {
		if _, ok := t.parents[id]; !ok {
			return nil
		}
		ids = append(ids, id)
		id = t.parents[id]
	}
	slices.Reverse(ids)
	return ids
}

// path writes the entity path of the levels ids: o-…/r-…/…/id.
func (t *orgTree) path(ids []string) string {
	return t.org.ID + "/" + strings.Join(ids, "/")
}

// resolve reads an EntityPath: the organization's id, then the root, then
// OUs each the child of the one before, and optionally a member account
// of the last; a trailing "/" is allowed. It returns the ids from the root
// down to the entity.
func (t *orgTree) resolve(entityPath string) ([]string, error) {
	bad := awserr.InvalidInput("The entity path %s does not name a root, organizational unit or account of your organization.", entityPath)
	parts := strings.Split(strings.TrimSuffix(entityPath, "/"), "/")
	if len(parts) < 2 || parts[0] != t.org.ID {
		return nil, bad
	}
	ids := parts[1:]
	for i, id := range ids {
		parent, ok := t.parents[id]
		isAccount := ok && !t.units[id]
		switch {
		case !ok, i == 0 && parent != "", i > 0 && parent != ids[i-1], isAccount && i != len(ids)-1:
			return nil, bad
		}
	}
	return ids, nil
}

// covered returns the accounts a report on the entity at levels covers:
// the member accounts below it, without the management account (AWS
// behaviour: it "is not limited by SCPs"), or the management account
// itself when it is the entity.
func (t *orgTree) covered(levels []string) []string {
	target := levels[len(levels)-1]
	if target == t.org.ManagementAccount {
		return []string{target}
	}
	var out []string
	for _, a := range t.accounts {
		if a == t.org.ManagementAccount {
			continue
		}
		if ids := t.chain(a); len(ids) >= len(levels) && slices.Equal(ids[:len(levels)], levels) {
			out = append(out, a)
		}
	}
	return out
}

// orgReportScope is what a report covers: the services it lists and the
// accounts whose accesses count, by id with their entity path.
type orgReportScope struct {
	allows   func(ns string) bool
	accounts map[string]string
}

// scope decides the services and accounts of a report on the entity at
// levels, for the SCP policyID when not "". AWS behaviour
// (GenerateOrganizationsAccessReport):
//   - the management account: every service, its own accesses, and a
//     policy id is ignored;
//   - without a policy: the services the SCPs attached to the entity and
//     each level above it allow, and the accounts below it;
//   - with a policy: the services that SCP allows, and the accounts below
//     the entity "to which the SCP applies" (attached to the account or a
//     level above it); none when it applies to none.
//
// Within a level the SCPs together must grant the service and none may
// take the whole service away (setGrantsService); the levels must all
// allow it. Conditions and resources are not considered, as in last
// accessed reports.
func (t *orgTree) scope(levels []string, policyID string) orgReportScope {
	sc := orgReportScope{accounts: map[string]string{}}
	accounts := t.covered(levels)
	if levels[len(levels)-1] == t.org.ManagementAccount {
		sc.allows = func(string) bool { return true }
		policyID = ""
	} else if policyID != "" {
		p := t.policies[policyID]
		sc.allows = func(ns string) bool { return setGrantsService([]*policy.Policy{p}, ns) }
	} else {
		sc.allows = func(ns string) bool {
			return !slices.ContainsFunc(levels, func(id string) bool { return !setGrantsService(t.scps[id], ns) })
		}
	}
	for _, a := range accounts {
		ids := t.chain(a)
		if policyID != "" && !slices.ContainsFunc(ids, func(id string) bool { return slices.Contains(t.scps[id], t.policies[policyID]) }) {
			continue
		}
		sc.accounts[a] = t.path(ids)
	}
	return sc
}

// computeOrgReport lists the services of the catalog the scope allows, by
// namespace, each with the latest service-level access among the scope's
// accounts and the number of those accounts that accessed it. Ties in
// time go to the lower entity path, so the report does not depend on
// the order of accesses.
func computeOrgReport(sc orgReportScope, accesses []store.ServiceAccess) []OrgServiceAccess {
	type last struct {
		when         time.Time
		path, region string
	}
	latest := map[string]*last{}
	counted := map[string]map[string]bool{}
	for _, a := range accesses {
		path, ok := sc.accounts[a.Account]
		if !ok || a.Action != "" {
			continue
		}
		if counted[a.Service] == nil {
			counted[a.Service] = map[string]bool{}
		}
		counted[a.Service][a.Account] = true
		if l := latest[a.Service]; l == nil || a.Time.After(l.when) || (a.Time.Equal(l.when) && path < l.path) {
			latest[a.Service] = &last{when: a.Time, path: path, region: a.Region}
		}
	}
	out := []OrgServiceAccess{}
	for _, ns := range servicecatalog.Namespaces() {
		if !sc.allows(ns) {
			continue
		}
		name, _ := servicecatalog.Name(ns)
		osa := OrgServiceAccess{ServiceName: name, ServiceNamespace: ns, TotalAuthenticatedEntities: len(counted[ns])}
		if l := latest[ns]; l != nil {
			osa.LastAuthenticated, osa.EntityPath, osa.Region = l.when, l.path, l.region
		}
		out = append(out, osa)
	}
	return out
}

// errSCPsNotEnabled: AWS behaviour: "SCPs must be enabled for your
// organization root". AWS documents no error for it; Warden refuses the
// request with its own wording rather than report services no SCP limits.
func errSCPsNotEnabled() *awserr.Error {
	return awserr.InvalidInput("Service control policies are not enabled for the root of your organization.")
}

// managedOrganization returns the organization acct manages. AWS
// behaviour: both operations need "your Organizations management account
// credentials"; the errors are those of IAM's other organization
// operations (see orgForRootAccess).
func managedOrganization(ctx context.Context, r store.Reader, acct string) (store.Organization, error) {
	o, err := r.OrganizationOf(ctx, acct)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return o, errOrgNotFound()
	case err != nil:
		return o, err
	case o.ManagementAccount != acct:
		return o, errCallerNotManagement()
	}
	return o, nil
}

// GenerateOrganizationsAccessReport computes the report of the entity
// in.EntityPath names and stores it as a job of the management account
// acct owned by owner (the caller's principal ARN), returning the job id.
// As for GenerateServiceLastAccessedDetails, this node's latest accesses
// are written first.
func (s *Service) GenerateOrganizationsAccessReport(ctx context.Context, acct, owner string, in GenerateOrganizationsAccessReportInput) (string, error) {
	if err := s.FlushAccess(ctx); err != nil {
		s.log.WarnContext(ctx, "writing last accessed data before a report failed; the report may miss the latest accesses", "err", err)
	}
	created := s.now().UTC()
	var report OrgAccessReport
	err := s.view(ctx, func(r store.Reader) error {
		o, err := managedOrganization(ctx, r, acct)
		if err != nil {
			return err
		}
		d, err := r.LoadOrganization(ctx, o.ID)
		if err != nil {
			return err
		}
		t, err := s.newOrgTree(d)
		if err != nil {
			return err
		}
		if t.scps == nil {
			return errSCPsNotEnabled()
		}
		levels, err := t.resolve(in.EntityPath)
		if err != nil {
			return err
		}
		policyID := ""
		if in.OrganizationsPolicyID != nil {
			policyID = *in.OrganizationsPolicyID
			if t.policies[policyID] == nil {
				return awserr.InvalidInput("The policy %s is not a service control policy of your organization.", policyID)
			}
		}
		sc := t.scope(levels, policyID)
		var accesses []store.ServiceAccess
		for _, a := range slices.Sorted(maps.Keys(sc.accounts)) {
			got, err := r.ListServiceAccess(ctx, a, created.Add(-trackingPeriod))
			if err != nil {
				return err
			}
			accesses = append(accesses, got...)
		}
		report = OrgAccessReport{Kind: orgReportKind, Created: created, Completed: s.now().UTC(), Services: computeOrgReport(sc, accesses)}
		return nil
	})
	if err != nil {
		return "", err
	}
	return s.storeJob(ctx, acct, owner, created, report)
}

// GetOrganizationsAccessReport returns a page of a job's services in the
// order of in.SortKey (by namespace by default). The caller must still
// manage the organization. Sorted by time, a service never accessed
// counts as older than any access; ties go by namespace.
func (s *Service) GetOrganizationsAccessReport(ctx context.Context, acct, owner string, in GetOrganizationsAccessReportInput) (OrgAccessReportPage, error) {
	err := s.view(ctx, func(r store.Reader) error {
		_, err := managedOrganization(ctx, r, acct)
		return err
	})
	if err != nil {
		return OrgAccessReportPage{}, err
	}
	var rep OrgAccessReport
	if err := s.loadJob(ctx, acct, owner, in.JobID, orgReportKind, &rep); err != nil {
		return OrgAccessReportPage{}, err
	}
	items := slices.Clone(rep.Services)
	byNamespace := func(a, b OrgServiceAccess) int { return strings.Compare(a.ServiceNamespace, b.ServiceNamespace) }
	key := SortNamespaceAscending
	if in.SortKey != nil {
		key = *in.SortKey
	}
	switch key {
	case SortNamespaceDescending:
		slices.SortFunc(items, func(a, b OrgServiceAccess) int { return byNamespace(b, a) })
	case SortTimeAscending, SortTimeDescending:
		slices.SortFunc(items, func(a, b OrgServiceAccess) int {
			c := a.LastAuthenticated.Compare(b.LastAuthenticated)
			if key == SortTimeDescending {
				c = -c
			}
			return cmp.Or(c, byNamespace(a, b))
		})
	default:
		slices.SortFunc(items, byNamespace)
	}
	page, next, err := pageOf(items, in.Marker, in.MaxItems)
	if err != nil {
		return OrgAccessReportPage{}, err
	}
	out := OrgAccessReportPage{Created: rep.Created, Completed: rep.Completed, Accessible: len(rep.Services),
		Items: page, Truncated: next != "", Marker: next}
	for _, sv := range rep.Services {
		if sv.LastAuthenticated.IsZero() {
			out.NotAccessed++
		}
	}
	return out, nil
}
