package iam

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/warden-iam/warden/arn"
	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam/awspolicies"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// The policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy and
// GetContextKeysFor{Principal,Custom}Policy ([Testing IAM policies with
// the IAM policy simulator]). Every decision is made by [authz.Explain], the
// engine that decides real requests; this file only gathers the policies,
// builds the requests and reports the diagnostics in AWS's shapes.
//
// [Testing IAM policies with the IAM policy simulator]: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html

// ContextEntry is the ContextEntry shape: a condition key with its typed
// values, supplied to a simulation.
type ContextEntry struct {
	ContextKeyName   *string  `query:"ContextKeyName" min:"5" max:"256"`
	ContextKeyValues []string `query:"ContextKeyValues"`
	ContextKeyType   *string  `query:"ContextKeyType" enum:"string|stringList|numeric|numericList|boolean|booleanList|ip|ipList|binary|binaryList|date|dateList"`
}

// SimulatePrincipalPolicyInput is the input of SimulatePrincipalPolicy.
type SimulatePrincipalPolicyInput struct {
	PolicySourceArn                    string         `query:"PolicySourceArn,required" min:"20" max:"2048" pattern:"arn"`
	PolicyInputList                    []string       `query:"PolicyInputList" pattern:"policyDocument"`
	PermissionsBoundaryPolicyInputList []string       `query:"PermissionsBoundaryPolicyInputList" pattern:"policyDocument"`
	ActionNames                        []string       `query:"ActionNames,required"`
	ResourceArns                       []string       `query:"ResourceArns"`
	ResourcePolicy                     *string        `query:"ResourcePolicy" min:"1" max:"131072" pattern:"policyDocument"`
	ResourceOwner                      *string        `query:"ResourceOwner" min:"1" max:"2048"`
	CallerArn                          *string        `query:"CallerArn" min:"1" max:"2048"`
	ContextEntries                     []ContextEntry `query:"ContextEntries"`
	ResourceHandlingOption             *string        `query:"ResourceHandlingOption" min:"1" max:"64"`
	MaxItems                           *int           `query:"MaxItems" minValue:"1" maxValue:"1000"`
	Marker                             *string        `query:"Marker" min:"1" max:"320" pattern:"marker"`
}

// SimulateCustomPolicyInput is the input of SimulateCustomPolicy.
type SimulateCustomPolicyInput struct {
	PolicyInputList                    []string       `query:"PolicyInputList,required" pattern:"policyDocument"`
	PermissionsBoundaryPolicyInputList []string       `query:"PermissionsBoundaryPolicyInputList" pattern:"policyDocument"`
	ActionNames                        []string       `query:"ActionNames,required"`
	ResourceArns                       []string       `query:"ResourceArns"`
	ResourcePolicy                     *string        `query:"ResourcePolicy" min:"1" max:"131072" pattern:"policyDocument"`
	ResourceOwner                      *string        `query:"ResourceOwner" min:"1" max:"2048"`
	CallerArn                          *string        `query:"CallerArn" min:"1" max:"2048"`
	ContextEntries                     []ContextEntry `query:"ContextEntries"`
	ResourceHandlingOption             *string        `query:"ResourceHandlingOption" min:"1" max:"64"`
	MaxItems                           *int           `query:"MaxItems" minValue:"1" maxValue:"1000"`
	Marker                             *string        `query:"Marker" min:"1" max:"320" pattern:"marker"`
}

// GetContextKeysForPrincipalPolicyInput is the input of
// GetContextKeysForPrincipalPolicy.
type GetContextKeysForPrincipalPolicyInput struct {
	PolicySourceArn string   `query:"PolicySourceArn,required" min:"20" max:"2048" pattern:"arn"`
	PolicyInputList []string `query:"PolicyInputList" pattern:"policyDocument"`
}

// GetContextKeysForCustomPolicyInput is the input of
// GetContextKeysForCustomPolicy.
type GetContextKeysForCustomPolicyInput struct {
	PolicyInputList []string `query:"PolicyInputList,required" pattern:"policyDocument"`
}

// The EvalDecision values, spelled as AWS spells them.
const (
	DecisionAllowed      = "allowed"
	DecisionExplicitDeny = "explicitDeny"
	DecisionImplicitDeny = "implicitDeny"
)

// The SourcePolicyType values of the PolicySourceType enum.
const (
	SourceUser        = "user"
	SourceGroup       = "group"
	SourceRole        = "role"
	SourceUserManaged = "user-managed"
	SourceAWSManaged  = "aws-managed"
	SourceResource    = "resource"
	SourceNone        = "none"
)

// Position is a place in a policy document: 1-based line and column
// (columns count characters).
type Position struct {
	Line, Column int
}

// MatchedStatement is one statement that decided a simulation.
type MatchedStatement struct {
	SourcePolicyID   string
	SourcePolicyType string
	Start, End       Position
}

// ResourceResult is the decision on one requested resource.
type ResourceResult struct {
	Resource string
	Decision string
	Matched  []MatchedStatement
	Missing  []string
	// Details maps a policy type to its decision; nil when not reported.
	Details map[string]string
	// Boundary is nil when no permissions boundary applies.
	Boundary *bool
}

// EvaluationResult is the simulation of one action over every requested
// resource. AWS behaviour: the simulator returns one result per action;
// the top-level fields aggregate the resources (the most restrictive
// decision, the union of matched statements and missing keys), and the
// per-resource decisions are in Resources ([EvaluationResult]).
//
// [EvaluationResult]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html
type EvaluationResult struct {
	Action   string
	Resource string
	Decision string
	Matched  []MatchedStatement
	Missing  []string
	// Details is nil when not reported; an empty non-nil map is reported
	// as an empty element.
	Details  map[string]string
	Boundary *bool
	// AllowedByOrganizations reports whether the service control policies
	// of the simulated principal's account allow the action (on every
	// resource); true when none apply.
	AllowedByOrganizations bool
	// Resources are the per-resource results; nil when the only resource
	// is "*".
	Resources []ResourceResult
}

// SimulationResult is one page of a simulation's results.
type SimulationResult struct {
	Results   []EvaluationResult
	Truncated bool
	Marker    string
}

// simSource says where a policy of a simulation came from, as the
// MatchedStatements report it.
type simSource struct {
	id  string
	typ string
}

// simPolicies are the policies of a simulation and their sources.
type simPolicies struct {
	identity []*policy.Policy
	boundary *policy.Policy
	resource *policy.Policy
	sources  map[*policy.Policy]simSource
}

func (sp *simPolicies) add(p *policy.Policy, src simSource) {
	if sp.sources == nil {
		sp.sources = map[*policy.Policy]simSource{}
	}
	if _, ok := sp.sources[p]; !ok {
		sp.sources[p] = src
	}
}

// simEntity is the user, group or role a PolicySourceArn names.
type simEntity struct {
	kind    string // user, group or role
	arn     string
	account string
	name    string
	userID  string
	tags    map[string]string
}

// simParseEntityARN reads a user, group or role ARN. AWS behaviour: any
// other ARN is "Invalid Entity Arn: ARN" (InvalidInput), as AWS answered
// for an assumed-role ARN.
func simParseEntityARN(s string) (simEntity, error) {
	bad := awserr.InvalidInput("Invalid Entity Arn: %s", s)
	a, err := arn.Parse(s)
	if err != nil || a.Service != "iam" || len(a.Account) != 12 {
		return simEntity{}, bad
	}
	kind, rest, ok := strings.Cut(a.Resource, "/")
	if !ok || (kind != "user" && kind != "group" && kind != "role") {
		return simEntity{}, bad
	}
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	if name == "" {
		return simEntity{}, bad
	}
	return simEntity{kind: kind, arn: s, account: a.Account, name: name}, nil
}

// simPrincipalPolicies gathers the identity policies and boundary of the
// entity e names, from the snapshot, with their sources. It returns
// NoSuchEntity when the entity does not exist in acct.
func (snap *Snapshot) simPrincipalPolicies(acct string, e *simEntity, sp *simPolicies) error {
	a := snap.accounts[acct]
	if e.account != acct || a == nil {
		return awserr.NoSuchEntity("The %s with name %s cannot be found.", e.kind, e.name)
	}
	key := strings.ToLower(e.name)
	addOwn := func(typ string, inline []*policy.Policy, attached []string) {
		for _, p := range inline {
			sp.identity = append(sp.identity, p)
			sp.add(p, simSource{id: simInlineName(p.ID), typ: typ})
		}
		for _, ref := range attached {
			if p := a.policy(ref); p != nil {
				sp.identity = append(sp.identity, p)
				sp.add(p, simSource{id: simManagedName(ref), typ: simManagedType(ref)})
			}
		}
	}
	boundary := ""
	switch e.kind {
	case "user":
		u := a.users[key]
		if u == nil {
			return awserr.NoSuchEntity("The user with name %s cannot be found.", e.name)
		}
		e.arn, e.name, e.userID = u.arn, u.user.Name, u.user.ID
		e.tags = simTags(u.user.Tags)
		addOwn(SourceUser, u.inline, u.attached)
		for _, gname := range u.groups {
			if g := a.groups[gname]; g != nil {
				addOwn(SourceGroup, g.inline, g.attached)
			}
		}
		boundary = u.user.PermissionsBoundary
	case "group":
		g := a.groups[key]
		if g == nil {
			return awserr.NoSuchEntity("The group with name %s cannot be found.", e.name)
		}
		e.arn, e.name, e.userID = g.arn, g.group.Name, g.group.ID
		addOwn(SourceGroup, g.inline, g.attached)
	case "role":
		r := a.roles[key]
		if r == nil {
			return awserr.NoSuchEntity("The role with name %s cannot be found.", e.name)
		}
		e.arn, e.name, e.userID = r.arn, r.role.Name, r.role.ID
		e.tags = simTags(r.role.Tags)
		addOwn(SourceRole, r.inline, r.attached)
		boundary = r.role.PermissionsBoundary
	}
	if boundary != "" {
		p := a.policy(boundary)
		if p == nil {
			p = emptyPolicy(boundary) // fail closed, as for real requests
		}
		sp.boundary = p
		sp.add(p, simSource{id: simManagedName(boundary), typ: simManagedType(boundary)})
	}
	return nil
}

// simInlineName is an inline policy's name, from the snapshot's ID
// "KIND/OWNER/inline/NAME".
func simInlineName(id string) string {
	if i := strings.LastIndex(id, "/inline/"); i >= 0 {
		return id[i+len("/inline/"):]
	}
	return id
}

// simManagedName is a managed policy's name, from its ARN.
func simManagedName(ref string) string { return ref[strings.LastIndexByte(ref, '/')+1:] }

// simManagedType is the source type of a managed policy: aws-managed for
// an AWS managed policy, user-managed for the account's own.
func simManagedType(ref string) string {
	if awspolicies.IsAWSManaged(ref) {
		return SourceAWSManaged
	}
	return SourceUserManaged
}

func simTags(tags []store.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// simParseInputs compiles the input policies: PolicyInputList entries are
// identity policies named "PolicyInputList.N" (source type "none"),
// boundaries "PermissionsBoundaryPolicyInputList.N". A document that does
// not parse is refused with the engine's MalformedPolicyDocument message.
func simParseInputs(sp *simPolicies, inputs, boundaries []string, resource *string) error {
	for i, doc := range inputs {
		// Input policies are checked like inline role policies: no Version
		// requirement, no principal, the largest identity size limit.
		p, err := policy.Parse(doc, policy.InlineRole)
		if err != nil {
			return documentError(err)
		}
		id := "PolicyInputList." + strconv.Itoa(i+1)
		p.ID = id
		sp.identity = append(sp.identity, p)
		sp.add(p, simSource{id: id, typ: SourceNone})
	}
	if len(boundaries) > 1 {
		return awserr.InvalidInput("Only one permissions boundary policy can be provided in PermissionsBoundaryPolicyInputList.")
	}
	for i, doc := range boundaries {
		p, err := policy.Parse(doc, policy.Boundary)
		if err != nil {
			return documentError(err)
		}
		id := "PermissionsBoundaryPolicyInputList." + strconv.Itoa(i+1)
		p.ID = id
		// AWS behaviour: a boundary given as input replaces the entity's.
		sp.boundary = p
		sp.add(p, simSource{id: id, typ: SourceNone})
	}
	if resource != nil {
		p, err := policy.Parse(*resource, policy.Resource)
		if err != nil {
			return documentError(err)
		}
		p.ID = "ResourcePolicy"
		sp.resource = p
		sp.add(p, simSource{id: "ResourcePolicy", typ: SourceResource})
	}
	return nil
}

// simRun is one simulation's shared input.
type simRun struct {
	sp        simPolicies
	caller    *simEntity // nil: no caller (a custom simulation without CallerArn)
	account   string     // the caller's account
	owner     string     // ResourceOwner, or ""
	actions   []string
	resources []string
	context   policy.Context
	maxItems  *int
	marker    *string
	// scps are the service control policies of the simulated principal's
	// account (SimulatePrincipalPolicy only), or nil.
	scps [][]*policy.Policy
}

// simAllowAll is an identity policy that allows everything.
var simAllowAll = sync.OnceValue(func() *policy.Policy {
	p, err := policy.Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, policy.Identity)
	if err != nil {
		panic(err)
	}
	return p
})

// SimulatePrincipalPolicy simulates the policies of the user, group or
// role in.PolicySourceArn (a user's include its groups'), plus the input
// policies, against every action and resource.
func (s *Service) SimulatePrincipalPolicy(snap *Snapshot, acct string, in SimulatePrincipalPolicyInput) (*SimulationResult, error) {
	src, err := simParseEntityARN(in.PolicySourceArn)
	if err != nil {
		return nil, err
	}
	run := simRun{account: acct, actions: in.ActionNames, maxItems: in.MaxItems, marker: in.Marker}
	if err := snap.simPrincipalPolicies(acct, &src, &run.sp); err != nil {
		return nil, err
	}
	// AWS behaviour ([SimulatePrincipalPolicy]): the SCPs of the entity's
	// account take part, and OrganizationsDecisionDetail reports them. A
	// service-linked role is not bound by them.
	//
	// [SimulatePrincipalPolicy]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
	if src.kind != "role" || !snap.IsServiceLinkedRole(acct, src.name) {
		run.scps = snap.scps(acct)
	}
	if err := simParseInputs(&run.sp, in.PolicyInputList, in.PermissionsBoundaryPolicyInputList, in.ResourcePolicy); err != nil {
		return nil, err
	}
	// AWS behaviour: the caller defaults to the PolicySourceArn entity.
	run.caller = &src
	if in.CallerArn != nil {
		c, err := snap.simCaller(*in.CallerArn)
		if err != nil {
			return nil, err
		}
		run.caller = &c
	}
	return run.finish(in.ResourceArns, in.ResourceOwner, in.ContextEntries)
}

// SimulateCustomPolicy simulates the input policies alone.
func (s *Service) SimulateCustomPolicy(snap *Snapshot, acct string, in SimulateCustomPolicyInput) (*SimulationResult, error) {
	run := simRun{account: acct, actions: in.ActionNames, maxItems: in.MaxItems, marker: in.Marker}
	if err := simParseInputs(&run.sp, in.PolicyInputList, in.PermissionsBoundaryPolicyInputList, in.ResourcePolicy); err != nil {
		return nil, err
	}
	if in.CallerArn != nil {
		c, err := snap.simCaller(*in.CallerArn)
		if err != nil {
			return nil, err
		}
		run.caller = &c
	} else if in.ResourcePolicy != nil {
		// AWS behaviour: the resource policy's Principal element needs a
		// caller to match (CallerArn documentation).
		return nil, awserr.InvalidInput("CallerArn must be specified when a ResourcePolicy is included in the simulation.")
	}
	return run.finish(in.ResourceArns, in.ResourceOwner, in.ContextEntries)
}

// simCaller reads a CallerArn: a user, group or role ARN, in any account.
// Entities of the snapshot get their unique id and tags.
func (snap *Snapshot) simCaller(s string) (simEntity, error) {
	e, err := simParseEntityARN(s)
	if err != nil {
		return simEntity{}, err
	}
	if a := snap.accounts[e.account]; a != nil {
		switch e.kind {
		case "user":
			if u := a.users[strings.ToLower(e.name)]; u != nil {
				e.userID, e.tags = u.user.ID, simTags(u.user.Tags)
			}
		case "role":
			if r := a.roles[strings.ToLower(e.name)]; r != nil {
				e.userID, e.tags = r.role.ID, simTags(r.role.Tags)
			}
		}
	}
	return e, nil
}

func (run *simRun) finish(resources []string, owner *string, entries []ContextEntry) (*SimulationResult, error) {
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	for _, r := range resources {
		if r == "*" {
			continue
		}
		if _, err := arn.Parse(r); err != nil {
			// AWS behaviour (recorded): "ResourceNames are not in a valid
			// ARN format: ID."
			return nil, awserr.InvalidInput("ResourceNames are not in a valid ARN format: %s.", r)
		}
	}
	run.resources = resources
	if owner != nil {
		o := *owner
		if a, err := arn.Parse(o); err == nil && a.Service == "iam" && a.Resource == "root" {
			o = a.Account
		}
		if !simAccountID(o) {
			// AWS behaviour (recorded, with AWS's grammar).
			return nil, awserr.InvalidInput("'%s' is not a valid as a Resource Owner.", *owner)
		}
		run.owner = o
	}
	for _, e := range entries {
		if err := simContextEntry(&run.context, e); err != nil {
			return nil, err
		}
	}
	return run.simulate()
}

func simAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// simContextEntry adds one typed context entry, checking that its values
// have its type.
func simContextEntry(c *policy.Context, e ContextEntry) error {
	if e.ContextKeyName == nil || *e.ContextKeyName == "" {
		return awserr.InvalidInput("A ContextEntry must have a ContextKeyName.")
	}
	name := *e.ContextKeyName
	typ := "string"
	if e.ContextKeyType != nil {
		typ = *e.ContextKeyType
	}
	base, list := strings.CutSuffix(typ, "List")
	if !list && len(e.ContextKeyValues) > 1 {
		return awserr.InvalidInput("The context key %s has type %s, which takes one value; use %sList for several.", name, typ, typ)
	}
	for _, v := range e.ContextKeyValues {
		if !simValueOK(base, v) {
			return awserr.InvalidInput("The value %s of context key %s is not a valid %s.", v, name, base)
		}
	}
	c.Set(name, e.ContextKeyValues...)
	return nil
}

func simValueOK(typ, v string) bool {
	switch typ {
	case "numeric":
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case "boolean":
		return strings.EqualFold(v, "true") || strings.EqualFold(v, "false")
	case "ip":
		if _, err := netip.ParseAddr(v); err == nil {
			return true
		}
		_, err := netip.ParsePrefix(v)
		return err == nil
	case "binary":
		_, err := base64.StdEncoding.DecodeString(v)
		return err == nil
	case "date":
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			return true
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02"} {
			if _, err := time.Parse(layout, v); err == nil {
				return true
			}
		}
		return false
	}
	return true
}

// principal is the request principal of the simulation's caller.
func (run *simRun) principal() policy.Principal {
	e := run.caller
	if e == nil {
		// No caller: the input policies are evaluated as an identity's in
		// the caller's account; no principal keys are known.
		return policy.Principal{Type: policy.PrincipalUser, Account: run.account}
	}
	p := policy.Principal{Type: policy.PrincipalUser, ARN: e.arn, Account: e.account, UserID: e.userID, Tags: e.tags}
	if e.kind == "role" {
		// A role acts through a session; the session is named after the
		// role, and aws:PrincipalArn is the role's ARN, as for real
		// sessions.
		p.Type = policy.PrincipalAssumedRole
		p.RoleARN = e.arn
		p.ARN = "arn:aws:sts::" + e.account + ":assumed-role/" + e.name + "/" + e.name
		if e.userID != "" {
			p.UserID = e.userID + ":" + e.name
		}
	}
	return p
}

func (run *simRun) simulate() (*SimulationResult, error) {
	start := 0
	if run.marker != nil {
		n, err := strconv.Atoi(*run.marker)
		if err != nil || n < 0 || n >= len(run.actions) {
			return nil, awserr.InvalidInput("Invalid Marker: %s", *run.marker)
		}
		start = n
	}
	limit := 100 // AWS behaviour: MaxItems defaults to 100
	if run.maxItems != nil {
		limit = *run.maxItems
	}
	end := min(start+limit, len(run.actions))

	set := authz.NewPolicySet(authz.Policies{SCPs: run.scps, Identity: run.sp.identity, Boundary: run.sp.boundary, Resource: run.sp.resource})
	// orgs decides the SCPs alone: an identity policy that allows
	// everything beside them.
	var orgs *authz.PolicySet
	if run.scps != nil {
		orgs = authz.NewPolicySet(authz.Policies{SCPs: run.scps, Identity: []*policy.Policy{simAllowAll()}})
	}
	spelled := run.keySpellings()
	principal := run.principal()
	out := &SimulationResult{}
	var d authz.Diagnostic
	for _, action := range run.actions[start:end] {
		er := EvaluationResult{Action: action, Resource: "*", AllowedByOrganizations: true}
		if len(run.resources) == 1 {
			er.Resource = run.resources[0]
		}
		results := make([]ResourceResult, 0, len(run.resources))
		for _, res := range run.resources {
			req := authz.Request{Principal: principal, Action: action, Resource: res, Context: run.context.Clone()}
			if a, err := arn.Parse(res); err == nil && a.Account != "" {
				req.ResourceAccount = a.Account
			} else if run.owner != "" {
				req.ResourceAccount = run.owner
			} else {
				req.ResourceAccount = principal.Account
			}
			if run.caller != nil {
				req.SetGlobalKeys()
			}
			r := authz.Explain(set, &req, &d)
			results = append(results, run.resourceResult(res, r, &d, &req, spelled))
			if orgs != nil && !authz.Evaluate(orgs, &req).Allowed() {
				er.AllowedByOrganizations = false
			}
		}
		run.aggregate(&er, results)
		out.Results = append(out.Results, er)
	}
	if end < len(run.actions) {
		out.Truncated = true
		out.Marker = strconv.Itoa(end)
	}
	return out, nil
}

// keySpellings maps lower-cased condition keys to their first spelling
// in the policies, so missing keys are reported as the policies write them.
func (run *simRun) keySpellings() map[string]string {
	m := map[string]string{}
	all := append([]*policy.Policy{}, run.sp.identity...)
	if run.sp.boundary != nil {
		all = append(all, run.sp.boundary)
	}
	if run.sp.resource != nil {
		all = append(all, run.sp.resource)
	}
	for _, k := range simContextKeys(all) {
		m[strings.ToLower(k)] = k
	}
	return m
}

func (run *simRun) resourceResult(res string, r authz.Result, d *authz.Diagnostic, req *authz.Request, spelled map[string]string) ResourceResult {
	rr := ResourceResult{Resource: res, Decision: simDecision(r.Decision)}
	for _, m := range d.Matched {
		if m.Kind != authz.KindIdentity && m.Kind != authz.KindResource {
			continue // AWS behaviour: only identity- and resource-based statements are listed
		}
		// AWS behaviour: an explicit deny lists the Deny statements only;
		// an allow lists the Allow statements; an implicit deny none.
		switch {
		case r.Decision == authz.ExplicitlyDenied && m.Rule.Effect == policy.Deny,
			r.Decision == authz.Allowed && m.Rule.Effect == policy.Allow:
			rr.Matched = append(rr.Matched, run.statement(m.Policy, m.Rule))
		}
	}
	for _, k := range d.MissingContextKeys {
		if s, ok := spelled[k]; ok {
			k = s
		}
		rr.Missing = append(rr.Missing, k)
	}
	if run.sp.boundary != nil {
		ok := d.BoundaryAllowed
		for _, m := range d.Matched {
			if m.Kind == authz.KindBoundary && m.Rule.Effect == policy.Deny {
				ok = false
			}
		}
		rr.Boundary = &ok
	}
	if req.ResourceAccount != req.Principal.Account {
		rr.Details = simDetails(d, run.sp.resource != nil)
	}
	return rr
}

// simDetails is EvalDecisionDetails of a cross-account decision: each
// side's verdict, read from the statements the engine matched.
func simDetails(d *authz.Diagnostic, hasResource bool) map[string]string {
	side := func(k authz.Kind) string {
		v := DecisionImplicitDeny
		for _, m := range d.Matched {
			if m.Kind != k {
				continue
			}
			if m.Rule.Effect == policy.Deny {
				return DecisionExplicitDeny
			}
			v = DecisionAllowed
		}
		return v
	}
	out := map[string]string{"IAM Policy": side(authz.KindIdentity)}
	if hasResource {
		out["Resource Policy"] = side(authz.KindResource)
	}
	return out
}

func (run *simRun) statement(p *policy.Policy, r *policy.Rule) MatchedStatement {
	src := run.sp.sources[p]
	ms := MatchedStatement{SourcePolicyID: src.id, SourcePolicyType: src.typ}
	if p.Document != nil {
		ms.Start = simPosition(p.Document.Source, r.Span.Start)
		ms.End = simPosition(p.Document.Source, r.Span.End)
	}
	return ms
}

// simPosition converts a byte offset of doc to a 1-based line and column
// (counted in characters).
func simPosition(doc string, off int) Position {
	off = min(max(off, 0), len(doc))
	head := doc[:off]
	line := strings.Count(head, "\n") + 1
	lineStart := strings.LastIndexByte(head, '\n') + 1
	return Position{Line: line, Column: utf8.RuneCountInString(head[lineStart:]) + 1}
}

func simDecision(d authz.Decision) string {
	switch d {
	case authz.Allowed:
		return DecisionAllowed
	case authz.ExplicitlyDenied:
		return DecisionExplicitDeny
	}
	return DecisionImplicitDeny
}

func simRank(decision string) int {
	switch decision {
	case DecisionExplicitDeny:
		return 2
	case DecisionImplicitDeny:
		return 1
	}
	return 0
}

// aggregate fills the top-level fields of er from the per-resource
// results: the most restrictive decision, the statements of the resources
// with that decision, every missing key, each policy type's most
// restrictive decision.
func (run *simRun) aggregate(er *EvaluationResult, results []ResourceResult) {
	er.Decision = DecisionAllowed
	for _, rr := range results {
		if simRank(rr.Decision) > simRank(er.Decision) {
			er.Decision = rr.Decision
		}
	}
	seen := map[MatchedStatement]bool{}
	missing := map[string]bool{}
	for _, rr := range results {
		if rr.Decision == er.Decision {
			for _, m := range rr.Matched {
				if !seen[m] {
					seen[m] = true
					er.Matched = append(er.Matched, m)
				}
			}
		}
		for _, k := range rr.Missing {
			if !missing[strings.ToLower(k)] {
				missing[strings.ToLower(k)] = true
				er.Missing = append(er.Missing, k)
			}
		}
		if rr.Boundary != nil {
			if er.Boundary == nil {
				v := true
				er.Boundary = &v
			}
			*er.Boundary = *er.Boundary && *rr.Boundary
		}
		for k, v := range rr.Details {
			if er.Details == nil {
				er.Details = map[string]string{}
			}
			if cur, ok := er.Details[k]; !ok || simRank(v) > simRank(cur) {
				er.Details[k] = v
			}
		}
	}
	explicitResources := len(run.resources) > 1 || run.resources[0] != "*"
	if explicitResources {
		er.Resources = results
		if er.Details == nil {
			// AWS behaviour: within one account, with a resource ARN, the
			// element is present and empty.
			er.Details = map[string]string{}
		}
	}
}

// GetContextKeysForPrincipalPolicy lists the condition keys that the
// entity's policies (a user's with its groups') and the input policies
// read.
func (s *Service) GetContextKeysForPrincipalPolicy(snap *Snapshot, acct string, in GetContextKeysForPrincipalPolicyInput) ([]string, error) {
	src, err := simParseEntityARN(in.PolicySourceArn)
	if err != nil {
		return nil, err
	}
	var sp simPolicies
	if err := snap.simPrincipalPolicies(acct, &src, &sp); err != nil {
		return nil, err
	}
	if err := simParseInputs(&sp, in.PolicyInputList, nil, nil); err != nil {
		return nil, err
	}
	return simContextKeys(sp.identity), nil
}

// GetContextKeysForCustomPolicy lists the condition keys the input
// policies read.
func (s *Service) GetContextKeysForCustomPolicy(in GetContextKeysForCustomPolicyInput) ([]string, error) {
	var sp simPolicies
	if err := simParseInputs(&sp, in.PolicyInputList, nil, nil); err != nil {
		return nil, err
	}
	return simContextKeys(sp.identity), nil
}

// simContextKeys lists the condition keys the policies read (in Condition
// elements and policy variables), in document order, each once: keys
// differing only in case are one key, reported as first written.
func simContextKeys(ps []*policy.Policy) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, p := range ps {
		for _, r := range p.Rules {
			for _, k := range r.ConditionKeys() {
				if l := strings.ToLower(k); !seen[l] {
					seen[l] = true
					out = append(out, k)
				}
			}
		}
	}
	return out
}
