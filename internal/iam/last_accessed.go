package iam

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/servicecatalog"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Last accessed reports: which services (and, at ACTION_LEVEL, which
// tracked actions) the policies of a user, group, role or customer managed
// policy grant, and when the users and roles concerned last attempted to
// use them, computed from the accesses the dispatcher records.
// [Refining permissions using last accessed information]: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html
//
// A report is computed when it is generated and stored whole as a job, so
// that every node reads it back; GetServiceLastAccessedDetails therefore
// always finds it COMPLETED.

const (
	// trackingPeriod: AWS behaviour: "IAM reports activity for at least the
	// last 400 days" (GenerateServiceLastAccessedDetails). Older accesses
	// are not reported.
	trackingPeriod = 400 * 24 * time.Hour
	// jobRetention bounds how long a job can be read back. AWS documents
	// no retention for these jobs; Warden keeps them seven days (a report
	// is cheap to generate again, and its data only grows stale).
	jobRetention = 7 * 24 * time.Hour
)

// The report granularities and job statuses.
const (
	GranularityService = "SERVICE_LEVEL"
	GranularityAction  = "ACTION_LEVEL"
	JobCompleted       = "COMPLETED"
)

// GenerateServiceLastAccessedDetailsInput is the input of
// GenerateServiceLastAccessedDetails.
type GenerateServiceLastAccessedDetailsInput struct {
	Arn         string  `query:"Arn,required" min:"20" max:"2048" pattern:"arn"`
	Granularity *string `query:"Granularity" enum:"SERVICE_LEVEL|ACTION_LEVEL"`
}

// GetServiceLastAccessedDetailsInput is the input of
// GetServiceLastAccessedDetails.
type GetServiceLastAccessedDetailsInput struct {
	JobID    string  `query:"JobId,required" min:"36" max:"36"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
}

// GetServiceLastAccessedDetailsWithEntitiesInput is the input of
// GetServiceLastAccessedDetailsWithEntities.
type GetServiceLastAccessedDetailsWithEntitiesInput struct {
	JobID            string  `query:"JobId,required" min:"36" max:"36"`
	ServiceNamespace string  `query:"ServiceNamespace,required" min:"1" max:"64" pattern:"serviceNamespace"`
	MaxItems         *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
	Marker           *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
}

// ListPoliciesGrantingServiceAccessInput is the input of
// ListPoliciesGrantingServiceAccess.
type ListPoliciesGrantingServiceAccessInput struct {
	Arn               string   `query:"Arn,required" min:"20" max:"2048" pattern:"arn"`
	ServiceNamespaces []string `query:"ServiceNamespaces,required" min:"1" max:"200" pattern:"serviceNamespace"`
	Marker            *string  `query:"Marker" min:"1" max:"320" pattern:"marker"`
}

// LastAccessedReport is a generated report, as a job stores it.
type LastAccessedReport struct {
	Granularity string                `json:"granularity"`
	Created     time.Time             `json:"created"`
	Completed   time.Time             `json:"completed"`
	Services    []ServiceLastAccessed `json:"services"`
	// Entities are the users and roles whose accesses the report counts,
	// with their last access per service namespace.
	Entities []ReportEntity `json:"entities"`
}

// ServiceLastAccessed is one service of a report.
type ServiceLastAccessed struct {
	ServiceName      string `json:"name"`
	ServiceNamespace string `json:"namespace"`
	// LastAuthenticated is zero when no entity attempted to access the
	// service within the tracking period; the entity and region are then "".
	LastAuthenticated          time.Time `json:"last,omitzero"`
	LastAuthenticatedEntity    string    `json:"entity,omitempty"`
	LastAuthenticatedRegion    string    `json:"region,omitempty"`
	TotalAuthenticatedEntities int       `json:"total"`
	// TrackedActions is set in ACTION_LEVEL reports for services whose
	// actions are tracked (possibly empty); nil otherwise.
	TrackedActions []TrackedActionLastAccessed `json:"actions,omitempty"`
}

// TrackedActionLastAccessed is one tracked action of a service.
type TrackedActionLastAccessed struct {
	ActionName         string    `json:"name"`
	LastAccessedTime   time.Time `json:"last,omitzero"`
	LastAccessedEntity string    `json:"entity,omitempty"`
	LastAccessedRegion string    `json:"region,omitempty"`
}

// EntityInfo names a user or role of a report.
type EntityInfo struct {
	ARN  string `json:"arn"`
	Name string `json:"name"`
	Type string `json:"type"` // USER or ROLE
	ID   string `json:"id"`
	Path string `json:"path"`
}

// ReportEntity is a user or role of a report with its last access per
// service namespace.
type ReportEntity struct {
	Info EntityInfo           `json:"info"`
	Last map[string]time.Time `json:"last,omitempty"`
}

// EntityDetails is one entry of GetServiceLastAccessedDetailsWithEntities.
type EntityDetails struct {
	Info              EntityInfo
	LastAuthenticated time.Time // zero when never within the tracking period
}

// ReportPage is a job read back with one page of its items.
type ReportPage[T any] struct {
	Granularity string
	Created     time.Time
	Completed   time.Time
	Items       []T
	Truncated   bool
	Marker      string
}

// PolicyGrantingServiceAccess is one policy of
// ListPoliciesGrantingServiceAccess.
type PolicyGrantingServiceAccess struct {
	PolicyName string
	PolicyType string // INLINE or MANAGED
	PolicyARN  string // managed policies only
	EntityType string // USER, GROUP or ROLE: the owner of an inline policy
	EntityName string
}

// ServiceAccessPolicies lists the policies granting one service.
type ServiceAccessPolicies struct {
	ServiceNamespace string
	Policies         []PolicyGrantingServiceAccess
}

// reportSubject is what a report or ListPoliciesGrantingServiceAccess is
// about: a user, group, role or customer managed policy of acct.
type reportSubject struct {
	kind    store.EntityKind
	account string // "aws" for an AWS managed policy
	arn     string
	path    string
	name    string
}

// lastAccessedSubject reads the Arn of a report. AWS behaviour: an ARN
// that is not that of an IAM entity is InvalidInput "ARN X is not valid."
// (the wording IAM uses for a malformed policy ARN). An entity of another
// account is not one the caller can report on: NoSuchEntity, as for an
// absent one (Warden does not reveal whether it exists). A managed policy
// may be the account's or an AWS managed policy (account "aws"), as AWS
// reports on "a user, group, role, or managed policy".
func lastAccessedSubject(acct, s string, policies bool) (reportSubject, error) {
	bad := awserr.InvalidInput("ARN %s is not valid.", s)
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "iam" || parts[3] != "" {
		return reportSubject{}, bad
	}
	kind, rest, ok := strings.Cut(parts[5], "/")
	if !ok {
		return reportSubject{}, bad
	}
	i := strings.LastIndexByte(rest, '/')
	sub := reportSubject{kind: store.EntityKind(kind), account: parts[4], arn: s, path: "/" + rest[:i+1], name: rest[i+1:]}
	if sub.name == "" {
		return reportSubject{}, bad
	}
	switch {
	case kind == "user" || kind == "group" || kind == "role":
	case kind == "policy" && policies:
		if parts[4] == "aws" {
			return sub, nil
		}
	default:
		return reportSubject{}, bad
	}
	if parts[4] != acct {
		return reportSubject{}, sub.notFound()
	}
	return sub, nil
}

// notFound is AWS's NoSuchEntity for the subject.
func (sub reportSubject) notFound() error {
	if sub.kind == store.KindPolicy {
		return managedNotFound(sub.arn)
	}
	return awserr.NoSuchEntity("The %s with name %s cannot be found.", sub.kind, sub.name)
}

// accountView is an account's entities and policies, indexed for reports.
type accountView struct {
	acct     string
	data     store.AccountData
	users    map[string]store.User // by lower-cased name
	groups   map[string]store.Group
	roles    map[string]store.Role
	policies map[string]store.Policy // by ARN
	docs     map[string]string       // default version documents by policy ARN
	snap     *Snapshot
	s        *Service
}

func (s *Service) newAccountView(acct string, d store.AccountData, snap *Snapshot) *accountView {
	v := &accountView{acct: acct, data: d, users: map[string]store.User{}, groups: map[string]store.Group{},
		roles: map[string]store.Role{}, policies: map[string]store.Policy{}, docs: map[string]string{}, snap: snap, s: s}
	for _, u := range d.Users {
		v.users[strings.ToLower(u.Name)] = u
	}
	for _, g := range d.Groups {
		v.groups[strings.ToLower(g.Name)] = g
	}
	for _, r := range d.Roles {
		v.roles[strings.ToLower(r.Name)] = r
	}
	versions := map[string]string{}
	for _, pv := range d.PolicyVersions {
		versions[strings.ToLower(pv.PolicyName)+"\x00"+pv.VersionID] = pv.Document
	}
	for _, p := range d.Policies {
		arn := PolicyARN(acct, p.Path, p.Name)
		v.policies[arn] = p
		v.docs[arn] = versions[strings.ToLower(p.Name)+"\x00"+p.DefaultVersion]
	}
	return v
}

// resolve checks that the subject exists at the path its ARN names.
func (v *accountView) resolve(sub reportSubject) (reportSubject, error) {
	key := strings.ToLower(sub.name)
	var path, name string
	var ok bool
	switch sub.kind {
	case store.KindUser:
		var u store.User
		u, ok = v.users[key]
		path, name = u.Path, u.Name
	case store.KindGroup:
		var g store.Group
		g, ok = v.groups[key]
		path, name = g.Path, g.Name
	case store.KindRole:
		var r store.Role
		r, ok = v.roles[key]
		path, name = r.Path, r.Name
	case store.KindPolicy:
		var p store.Policy
		p, ok = v.policies[sub.arn]
		path, name = p.Path, p.Name
		if !ok && sub.account == "aws" {
			// An AWS managed policy: known when the snapshot holds it.
			ok = v.snap.CompiledPolicy(v.acct, sub.arn) != nil
			path, name = sub.path, sub.name
		}
	}
	if !ok || path != sub.path {
		return sub, sub.notFound()
	}
	sub.name = name
	return sub, nil
}

// grantingPolicy is a permissions policy with what
// ListPoliciesGrantingServiceAccess says of it.
type grantingPolicy struct {
	compiled *policy.Policy
	info     PolicyGrantingServiceAccess
}

// managed returns an attached managed policy, or false when it cannot be
// found (an AWS managed policy Warden does not hold).
func (v *accountView) managed(arn string) (grantingPolicy, bool) {
	_, name, _ := managedSplitARN(arn)
	info := PolicyGrantingServiceAccess{PolicyName: name, PolicyType: "MANAGED", PolicyARN: arn}
	if doc, ok := v.docs[arn]; ok && doc != "" {
		p, err := v.s.compiled.get(doc, policy.Identity, arn)
		if err != nil {
			return grantingPolicy{}, false
		}
		info.PolicyName = v.policies[arn].Name
		return grantingPolicy{compiled: p, info: info}, true
	}
	if p := v.snap.CompiledPolicy(v.acct, arn); p != nil {
		return grantingPolicy{compiled: p, info: info}, true
	}
	return grantingPolicy{}, false
}

var inlineTypes = map[store.EntityKind]policy.Type{store.KindUser: policy.InlineUser, store.KindGroup: policy.InlineGroup, store.KindRole: policy.InlineRole}

// ownPolicies returns the inline and attached policies of a user, group
// or role, inline first, each in name or ARN order.
func (v *accountView) ownPolicies(kind store.EntityKind, name string) []grantingPolicy {
	var out []grantingPolicy
	var inline []store.InlinePolicy
	for _, ip := range v.data.InlinePolicies {
		if ip.OwnerKind == kind && strings.EqualFold(ip.OwnerName, name) {
			inline = append(inline, ip)
		}
	}
	slices.SortFunc(inline, func(a, b store.InlinePolicy) int { return strings.Compare(a.Name, b.Name) })
	for _, ip := range inline {
		p, err := v.s.compiled.get(ip.Document, inlineTypes[kind], fmt.Sprintf("%s/%s/inline/%s", kind, name, ip.Name))
		if err != nil {
			continue
		}
		out = append(out, grantingPolicy{compiled: p, info: PolicyGrantingServiceAccess{PolicyName: ip.Name, PolicyType: "INLINE",
			EntityType: strings.ToUpper(string(kind)), EntityName: name}})
	}
	var attached []string
	for _, a := range v.data.Attachments {
		if a.OwnerKind == kind && strings.EqualFold(a.OwnerName, name) {
			attached = append(attached, a.PolicyARN)
		}
	}
	slices.Sort(attached)
	for _, arn := range attached {
		if p, ok := v.managed(arn); ok {
			out = append(out, p)
		}
	}
	return out
}

// groupsOf returns the names of a user's groups, sorted.
func (v *accountView) groupsOf(user string) []string {
	var out []string
	for _, m := range v.data.Memberships {
		if strings.EqualFold(m.UserName, user) {
			if g, ok := v.groups[strings.ToLower(m.GroupName)]; ok {
				out = append(out, g.Name)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}

// permissionPolicies returns the permissions policies of the subject: for
// a user, its own and its groups'. AWS behaviour: last accessed data uses
// only permissions policies, not permissions boundaries, resource-based
// or Organizations policies.
func (v *accountView) permissionPolicies(sub reportSubject) []grantingPolicy {
	switch sub.kind {
	case store.KindPolicy:
		if p, ok := v.managed(sub.arn); ok {
			return []grantingPolicy{p}
		}
		return nil
	case store.KindUser:
		out := v.ownPolicies(store.KindUser, sub.name)
		for _, g := range v.groupsOf(sub.name) {
			out = append(out, v.ownPolicies(store.KindGroup, g)...)
		}
		return out
	}
	return v.ownPolicies(sub.kind, sub.name)
}

// reportEntityRef is a user or role whose accesses a report counts.
type reportEntityRef struct {
	kind store.EntityKind
	info EntityInfo
}

func userRef(u store.User) reportEntityRef {
	return reportEntityRef{kind: store.KindUser, info: EntityInfo{ARN: UserARN(u.Account, u.Path, u.Name), Name: u.Name, Type: "USER", ID: u.ID, Path: u.Path}}
}

func roleRef(r store.Role) reportEntityRef {
	return reportEntityRef{kind: store.KindRole, info: EntityInfo{ARN: RoleARN(r.Account, r.Path, r.Name), Name: r.Name, Type: "ROLE", ID: r.ID, Path: r.Path}}
}

// entities returns the users and roles whose accesses count for the
// subject: the user or role itself; a group's members; the users and roles
// a policy is attached to, and the members of the groups it is attached
// to. AWS behaviour: a group report names "the group member (user) that
// last attempted to access the service", a policy report "the user or role
// that last used the policy".
func (v *accountView) entities(sub reportSubject) []reportEntityRef {
	var out []reportEntityRef
	seen := map[string]bool{}
	addUser := func(name string) {
		if u, ok := v.users[strings.ToLower(name)]; ok && !seen["u"+u.ID] {
			seen["u"+u.ID] = true
			out = append(out, userRef(u))
		}
	}
	addMembers := func(group string) {
		for _, m := range v.data.Memberships {
			if strings.EqualFold(m.GroupName, group) {
				addUser(m.UserName)
			}
		}
	}
	switch sub.kind {
	case store.KindUser:
		addUser(sub.name)
	case store.KindRole:
		out = append(out, roleRef(v.roles[strings.ToLower(sub.name)]))
	case store.KindGroup:
		addMembers(sub.name)
	case store.KindPolicy:
		for _, a := range v.data.Attachments {
			if a.PolicyARN != sub.arn {
				continue
			}
			switch a.OwnerKind {
			case store.KindUser:
				addUser(a.OwnerName)
			case store.KindGroup:
				addMembers(a.OwnerName)
			case store.KindRole:
				if r, ok := v.roles[strings.ToLower(a.OwnerName)]; ok && !seen["r"+r.ID] {
					seen["r"+r.ID] = true
					out = append(out, roleRef(r))
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b reportEntityRef) int { return strings.Compare(a.info.ARN, b.info.ARN) })
	return out
}

// grantsService reports whether a policy allows some action of the
// service ns. It asks the policy engine which statements' Action elements
// reach the service; conditions and resources are not considered, as AWS
// reports the services "the resource could access using permissions
// policies".
func grantsService(p *policy.Policy, ns string) bool {
	for _, r := range p.Rules {
		if r.Effect == policy.Allow && r.MatchesService(ns) {
			return true
		}
	}
	return false
}

// deniesService reports whether a policy takes the whole service ns away:
// a Deny statement covers it on every resource, without condition.
func deniesService(p *policy.Policy, ns string) bool {
	for _, r := range p.Rules {
		if r.Effect == policy.Deny && r.CoversService(ns) {
			return true
		}
	}
	return false
}

// setGrantsService reports whether the policies together grant some
// action of ns: one allows it and none takes the whole service away.
func setGrantsService(ps []*policy.Policy, ns string) bool {
	return slices.ContainsFunc(ps, func(p *policy.Policy) bool { return grantsService(p, ns) }) &&
		!slices.ContainsFunc(ps, func(p *policy.Policy) bool { return deniesService(p, ns) })
}

// setGrantsAction reports whether the policies together allow the action
// ("iam:ListUsers"): a statement allows it and no Deny statement denies it
// on every resource without condition.
func setGrantsAction(ps []*policy.Policy, action string) bool {
	allowed := false
	for _, p := range ps {
		for _, r := range p.Rules {
			if !r.MatchAction(action) {
				continue
			}
			if r.Effect == policy.Deny && r.Unconditional() {
				return false
			}
			allowed = allowed || r.Effect == policy.Allow
		}
	}
	return allowed
}

// computeReport builds a report's services and entities: every service of
// the catalog that the policies grant (see setGrantsService), sorted by
// namespace (AWS behaviour:
// "By default, the list is sorted by service namespace"), with the latest
// access among the entities; at ACTION_LEVEL, for services whose actions
// are tracked, every tracked action the policies allow, with its latest
// access. tracked returns the tracked actions of a namespace.
func computeReport(policies []*policy.Policy, ents []reportEntityRef, accesses []store.ServiceAccess, actionLevel bool, tracked func(string) []string) ([]ServiceLastAccessed, []ReportEntity) {
	byEntity := map[string]int{} // kind + id -> index in ents
	for i, e := range ents {
		byEntity[string(e.kind)+"\x00"+e.info.ID] = i
	}
	type last struct {
		when           time.Time
		entity, region string
	}
	services := map[string]*last{}
	actions := map[string]*last{} // "ns:Action"
	counted := map[string]map[int]bool{}
	entLast := make([]map[string]time.Time, len(ents))
	for _, a := range accesses {
		i, ok := byEntity[string(a.Kind)+"\x00"+a.EntityID]
		if !ok {
			continue
		}
		arn := ents[i].info.ARN
		key := a.Service
		m := services
		if a.Action != "" {
			key, m = a.Service+":"+a.Action, actions
		} else {
			if counted[a.Service] == nil {
				counted[a.Service] = map[int]bool{}
			}
			counted[a.Service][i] = true
			if entLast[i] == nil {
				entLast[i] = map[string]time.Time{}
			}
			if a.Time.After(entLast[i][a.Service]) {
				entLast[i][a.Service] = a.Time
			}
		}
		if l := m[key]; l == nil || a.Time.After(l.when) || (a.Time.Equal(l.when) && arn < l.entity) {
			m[key] = &last{when: a.Time, entity: arn, region: a.Region}
		}
	}
	var out []ServiceLastAccessed
	granted := map[string]bool{}
	for _, ns := range servicecatalog.Namespaces() {
		if !setGrantsService(policies, ns) {
			continue
		}
		granted[ns] = true
		name, _ := servicecatalog.Name(ns)
		sla := ServiceLastAccessed{ServiceName: name, ServiceNamespace: ns, TotalAuthenticatedEntities: len(counted[ns])}
		if l := services[ns]; l != nil {
			sla.LastAuthenticated, sla.LastAuthenticatedEntity, sla.LastAuthenticatedRegion = l.when, l.entity, l.region
		}
		if names := tracked(ns); actionLevel && names != nil {
			sla.TrackedActions = []TrackedActionLastAccessed{}
			for _, act := range names {
				full := ns + ":" + act
				if !setGrantsAction(policies, full) {
					continue
				}
				ta := TrackedActionLastAccessed{ActionName: act}
				if l := actions[full]; l != nil {
					ta.LastAccessedTime, ta.LastAccessedEntity, ta.LastAccessedRegion = l.when, l.entity, l.region
				}
				sla.TrackedActions = append(sla.TrackedActions, ta)
			}
		}
		out = append(out, sla)
	}
	reported := make([]ReportEntity, len(ents))
	for i, e := range ents {
		reported[i] = ReportEntity{Info: e.info}
		for ns, t := range entLast[i] {
			if granted[ns] {
				if reported[i].Last == nil {
					reported[i].Last = map[string]time.Time{}
				}
				reported[i].Last[ns] = t
			}
		}
	}
	return out, reported
}

// GenerateServiceLastAccessedDetails computes the report of the entity or
// policy in.Arn names and stores it as a job owned by owner (the caller's
// principal ARN), returning the job id. This node's latest accesses are
// written first, so the report includes them; other nodes' reach the store
// within their flush interval (AWS behaviour: "Recent activity usually
// appears within four hours"). The store gives the entities and their
// policies; snap gives the managed policies the store does not hold (AWS
// managed policies).
func (s *Service) GenerateServiceLastAccessedDetails(ctx context.Context, snap *Snapshot, acct, owner string, in GenerateServiceLastAccessedDetailsInput) (string, error) {
	sub, err := lastAccessedSubject(acct, in.Arn, true)
	if err != nil {
		return "", err
	}
	granularity := GranularityService
	if in.Granularity != nil {
		granularity = *in.Granularity
	}
	if err := s.FlushAccess(ctx); err != nil {
		s.log.WarnContext(ctx, "writing last accessed data before a report failed; the report may miss the latest accesses", "err", err)
	}
	created := s.now().UTC()
	var report LastAccessedReport
	err = s.view(ctx, func(r store.Reader) error {
		d, err := r.LoadAccount(ctx, acct)
		if err != nil {
			return err
		}
		v := s.newAccountView(acct, d, snap)
		if sub, err = v.resolve(sub); err != nil {
			return err
		}
		accesses, err := r.ListServiceAccess(ctx, acct, created.Add(-trackingPeriod))
		if err != nil {
			return err
		}
		var compiled []*policy.Policy
		for _, p := range v.permissionPolicies(sub) {
			compiled = append(compiled, p.compiled)
		}
		services, ents := computeReport(compiled, v.entities(sub), accesses, granularity == GranularityAction, s.trackedActions)
		report = LastAccessedReport{Granularity: granularity, Created: created, Completed: s.now().UTC(), Services: services, Entities: ents}
		return nil
	})
	if err != nil {
		return "", err
	}
	return s.storeJob(ctx, acct, owner, created, report)
}

// storeJob stores a computed report as a new job of acct owned by owner,
// dropping the jobs past retention, and returns the job id.
func (s *Service) storeJob(ctx context.Context, acct, owner string, created time.Time, report any) (string, error) {
	body, err := json.Marshal(report)
	if err != nil {
		return "", fmt.Errorf("iam: encode report: %w", err)
	}
	id := uuid.NewString()
	err = s.store.Record(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteAccessReportJobsBefore(ctx, created.Add(-jobRetention)); err != nil {
			return err
		}
		return tx.CreateAccessReportJob(ctx, store.AccessReportJob{ID: id, Account: acct, Owner: owner, Created: created, Report: body})
	})
	if err != nil {
		return "", storeInputError(err)
	}
	return id, nil
}

// loadReport reads back a job of acct generated by owner. AWS behaviour:
// the job id "must be used by the same role within a session, or by the
// same user"; another caller's job, an expired job and an unknown id are
// all NoSuchEntity (Warden's wording; AWS's message is not documented).
func (s *Service) loadReport(ctx context.Context, acct, owner, id string) (LastAccessedReport, error) {
	var rep LastAccessedReport
	return rep, s.loadJob(ctx, acct, owner, id, "", &rep)
}

// loadJob reads back a report job of the kind given ("" for a last
// accessed report, see OrgAccessReport.Kind) into rep. A job of another
// kind is NoSuchEntity, as an unknown one: each Get operation reads only
// the jobs of its own Generate operation.
func (s *Service) loadJob(ctx context.Context, acct, owner, id, kind string, rep any) error {
	var job store.AccessReportJob
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		job, err = r.GetAccessReportJob(ctx, id)
		return err
	})
	notFound := awserr.NoSuchEntity("No report job with id %s exists.", id)
	switch {
	case isNotFound(err):
		return notFound
	case err != nil:
		return err
	case job.Account != acct || job.Owner != owner || s.now().Sub(job.Created) > jobRetention:
		return notFound
	}
	var probe struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(job.Report, &probe); err != nil {
		return fmt.Errorf("iam: decode report job %s: %w", id, err)
	}
	if probe.Kind != kind {
		return notFound
	}
	if err := json.Unmarshal(job.Report, rep); err != nil {
		return fmt.Errorf("iam: decode report job %s: %w", id, err)
	}
	return nil
}

// pageOf cuts items at marker (an index this API returned) and maxItems
// (default 100); it returns the page and the next marker, "" at the end.
func pageOf[T any](items []T, marker *string, maxItems *int) ([]T, string, error) {
	start := 0
	if marker != nil {
		n, err := strconv.Atoi(*marker)
		if err != nil || n <= 0 || n >= len(items) {
			return nil, "", awserr.InvalidInput("Invalid Marker.")
		}
		start = n
	}
	limit := 100
	if maxItems != nil {
		limit = *maxItems
	}
	end := min(start+limit, len(items))
	if end < len(items) {
		return items[start:end], strconv.Itoa(end), nil
	}
	return items[start:end], "", nil
}

// reportPage cuts items at marker (an index this API returned) and
// maxItems (default 100).
func reportPage[T any](rep LastAccessedReport, items []T, marker *string, maxItems *int) (ReportPage[T], error) {
	page, next, err := pageOf(items, marker, maxItems)
	if err != nil {
		return ReportPage[T]{}, err
	}
	return ReportPage[T]{Granularity: rep.Granularity, Created: rep.Created, Completed: rep.Completed, Items: page,
		Truncated: next != "", Marker: next}, nil
}

// GetServiceLastAccessedDetails returns a page of a job's services.
func (s *Service) GetServiceLastAccessedDetails(ctx context.Context, acct, owner string, in GetServiceLastAccessedDetailsInput) (ReportPage[ServiceLastAccessed], error) {
	rep, err := s.loadReport(ctx, acct, owner, in.JobID)
	if err != nil {
		return ReportPage[ServiceLastAccessed]{}, err
	}
	return reportPage(rep, rep.Services, in.Marker, in.MaxItems)
}

// GetServiceLastAccessedDetailsWithEntities returns a page of the users
// and roles of a job with their last access to one service, most recent
// first, then those that never accessed it, by ARN. A namespace the
// report does not list has no entities.
func (s *Service) GetServiceLastAccessedDetailsWithEntities(ctx context.Context, acct, owner string, in GetServiceLastAccessedDetailsWithEntitiesInput) (ReportPage[EntityDetails], error) {
	rep, err := s.loadReport(ctx, acct, owner, in.JobID)
	if err != nil {
		return ReportPage[EntityDetails]{}, err
	}
	ns := strings.ToLower(in.ServiceNamespace)
	var items []EntityDetails
	if slices.ContainsFunc(rep.Services, func(sla ServiceLastAccessed) bool { return sla.ServiceNamespace == ns }) {
		for _, e := range rep.Entities {
			items = append(items, EntityDetails{Info: e.Info, LastAuthenticated: e.Last[ns]})
		}
	}
	slices.SortStableFunc(items, func(a, b EntityDetails) int { return b.LastAuthenticated.Compare(a.LastAuthenticated) })
	return reportPage(rep, items, in.Marker, in.MaxItems)
}

// ListPoliciesGrantingServiceAccess lists, for each namespace in the order
// given, the permissions policies of a user, group or role that grant some
// action of the service: the entity's inline and attached policies and,
// for a user, its groups'. The policy engine decides what a policy grants
// (see grantsService); snap gives the managed policies the store does not
// hold. All of it fits one response: Warden never
// truncates this list, so any Marker is one it did not return.
func (s *Service) ListPoliciesGrantingServiceAccess(ctx context.Context, snap *Snapshot, acct string, in ListPoliciesGrantingServiceAccessInput) ([]ServiceAccessPolicies, error) {
	if in.Marker != nil {
		return nil, awserr.InvalidInput("Invalid Marker.")
	}
	sub, err := lastAccessedSubject(acct, in.Arn, false)
	if err != nil {
		return nil, err
	}
	var out []ServiceAccessPolicies
	err = s.view(ctx, func(r store.Reader) error {
		d, err := r.LoadAccount(ctx, acct)
		if err != nil {
			return err
		}
		v := s.newAccountView(acct, d, snap)
		if sub, err = v.resolve(sub); err != nil {
			return err
		}
		policies := v.permissionPolicies(sub)
		for _, ns := range in.ServiceNamespaces {
			entry := ServiceAccessPolicies{ServiceNamespace: ns, Policies: []PolicyGrantingServiceAccess{}}
			for _, p := range policies {
				if grantsService(p.compiled, ns) {
					entry.Policies = append(entry.Policies, p.info)
				}
			}
			out = append(out, entry)
		}
		return nil
	})
	return out, err
}
