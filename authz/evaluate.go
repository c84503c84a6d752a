package authz

import (
	"github.com/warden-iam/warden/policy"
)

// Request is one request to decide. Evaluation reads only its context for
// condition keys: call [policy.Request.SetGlobalKeys] (or set the keys) first.
type Request = policy.Request

// Decision is the outcome of an evaluation.
type Decision uint8

// The three outcomes of AWS's evaluation logic.
const (
	// ImplicitlyDenied: nothing allows the request (the default).
	ImplicitlyDenied Decision = iota
	// Allowed: the request is allowed.
	Allowed
	// ExplicitlyDenied: a Deny statement matches.
	ExplicitlyDenied
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "Allowed"
	case ExplicitlyDenied:
		return "ExplicitlyDenied"
	}
	return "ImplicitlyDenied"
}

// Result is a decision and what decided it.
type Result struct {
	Decision Decision
	// Kind is the kind of policy that decided: for an explicit deny, the
	// kind holding the Deny; for an implicit deny, the kind that failed to
	// allow; for an allow, the kind that granted it (identity or resource).
	// Zero for the root user and for actions AWS always allows.
	Kind Kind
	// Policy and Rule are the deciding statement, when one did: the
	// explicit Deny, or the Allow that granted the request.
	Policy *policy.Policy
	Rule   *policy.Rule
	// crossAccount and trust are kept for the message: trust is set when
	// the resource-based policy is a role trust policy.
	crossAccount bool
	trust        bool
}

// Allowed reports whether the request is allowed.
func (r Result) Allowed() bool { return r.Decision == Allowed }

// alwaysAllowed reports whether no policy controls the action (lower-cased).
// AWS behaviour: sts:GetCallerIdentity needs no permission and cannot be
// denied ([GetCallerIdentity]).
//
// [GetCallerIdentity]: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
func alwaysAllowed(action []byte) bool {
	return string(action) == "sts:getcalleridentity"
}

// Evaluate decides req under the policies of ps with AWS's policy
// evaluation logic ([Policy evaluation logic], [Cross-account policy
// evaluation logic]):
//
//  1. an explicit Deny in any applicable policy denies;
//  2. every level of the resource owner's RCPs, then of the principal's
//     SCPs, must allow;
//  3. a resource-based policy that names the principal itself allows, in
//     the same account, without an identity-based allow; naming a role
//     (for a role session) is still limited by the permissions boundary and
//     session policies; naming the account delegates to identity policies;
//  4. otherwise an identity-based policy must allow, and then the
//     permissions boundary and session policies, when present, must too;
//  5. across accounts, both the principal's side (identity, boundary,
//     session) and the resource-based policy must allow.
//
// The root user is not bound by identity policies, boundaries or session
// policies, but is by SCPs (in member accounts), RCPs and resource-based
// policies. Evaluate is pure: no I/O, no clock, and no allocation.
//
// [Policy evaluation logic]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// [Cross-account policy evaluation logic]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
func Evaluate(ps *PolicySet, req *Request) Result {
	return evaluate(ps, req, nil)
}

// Explain is Evaluate that also records, in d, every statement that
// matched and every condition key that was looked up but absent. d is reset
// first; reusing one Diagnostic avoids allocating on every call.
func Explain(ps *PolicySet, req *Request, d *Diagnostic) Result {
	d.reset()
	r := evaluate(ps, req, d)
	d.Result = r
	return r
}

// evaluation is the state of one decision.
type evaluation struct {
	ps    *PolicySet
	prep  policy.Prepared
	key   []byte // the action, lower-cased
	svc   []byte // its service prefix
	trace *Diagnostic
}

func evaluate(ps *PolicySet, req *Request, trace *Diagnostic) Result {
	var buf [128]byte
	key := lowerASCII(buf[:0], req.Action)
	svc := key
	for i, c := range key {
		if c == ':' {
			svc = key[:i]
			break
		}
	}
	var missing *[]string
	if trace != nil {
		missing = &trace.MissingContextKeys
	}
	ev := evaluation{ps: ps, key: key, svc: svc, trace: trace,
		prep: policy.Prepare(req, ps.boundary != nil, missing)}
	if alwaysAllowed(key) {
		return Result{Decision: Allowed}
	}
	r := ev.decide()
	r.trust = ps.policies.Resource != nil && ps.policies.Resource.Type == policy.Trust
	if trace != nil {
		trace.Result = r
	}
	return r
}

func (ev *evaluation) decide() Result {
	ps, p := ev.ps, &ev.prep.Request().Principal
	identityApplies := p.Type == policy.PrincipalUser || p.Type == policy.PrincipalAssumedRole || p.Type == policy.PrincipalFederatedUser
	root := p.Type == policy.PrincipalAccount
	scpApplies := identityApplies || root
	// A root user's session from sts:AssumeRoot carries its task policy as
	// a session policy, which binds it (no other root session has one).
	sessionApplies := identityApplies || (root && ps.session != nil)
	req := ev.prep.Request()
	cross := req.ResourceAccount != "" && req.ResourceAccount != p.Account

	// 1. Deny evaluation, over every applicable policy. The order here
	// decides only which Deny an explanation names first.
	var deny Result
	denied := false
	check := func(g *group) {
		if g == nil || (denied && ev.trace == nil) {
			return
		}
		if e, ok := ev.first(g, &g.deny); ok && !denied {
			denied = true
			deny = Result{Decision: ExplicitlyDenied, Kind: g.kind, Policy: e.pol, Rule: e.rule, crossAccount: cross}
		}
	}
	if scpApplies {
		for _, g := range ps.scp {
			check(g)
		}
	}
	for _, g := range ps.rcp {
		check(g)
	}
	if identityApplies {
		check(ps.identity)
		check(ps.boundary)
	}
	if sessionApplies {
		check(ps.session)
	}
	check(ps.resource)
	if denied && ev.trace == nil {
		return deny
	}
	// With a trace, read on: the explanation lists the allows too.

	// 2. Organization guardrails: every level must allow.
	implicit := func(k Kind) Result {
		return Result{Decision: ImplicitlyDenied, Kind: k, crossAccount: cross}
	}
	result, decided := deny, denied
	decide := func(r Result) {
		if !decided {
			result, decided = r, true
		}
	}
	for _, g := range ps.rcp {
		if _, ok := ev.first(g, &g.allow); !ok {
			decide(implicit(KindRCP))
		}
	}
	if scpApplies {
		for _, g := range ps.scp {
			if _, ok := ev.first(g, &g.allow); !ok {
				decide(implicit(KindSCP))
			}
		}
	}
	if decided && ev.trace == nil {
		return result
	}

	// 3. The grants.
	resEntry, how := ev.resourceGrant()
	var idEntry entry
	idAllows := false
	boundaryOK, sessionOK := true, true
	if identityApplies {
		if ps.identity != nil {
			idEntry, idAllows = ev.first(ps.identity, &ps.identity.allow)
		}
		if ps.boundary != nil {
			_, boundaryOK = ev.first(ps.boundary, &ps.boundary.allow)
		}
	}
	if sessionApplies && ps.session != nil {
		_, sessionOK = ev.first(ps.session, &ps.session.allow)
	}
	if ev.trace != nil {
		ev.trace.BoundaryAllowed = boundaryOK
		ev.trace.SessionAllowed = sessionOK
	}
	trustRequired := ps.resource != nil && ps.policies.Resource.Type == policy.Trust
	allowedBy := func(k Kind, e entry) Result {
		return Result{Decision: Allowed, Kind: k, Policy: e.pol, Rule: e.rule, crossAccount: cross}
	}
	// identitySide is the principal's own account's verdict.
	identitySide := func() (Result, bool) {
		switch {
		case root && !sessionOK:
			return implicit(KindSession), false
		case root:
			return Result{Decision: Allowed, crossAccount: cross}, true
		case !identityApplies || !idAllows:
			return implicit(KindIdentity), false
		case !boundaryOK:
			return implicit(KindBoundary), false
		case !sessionOK:
			return implicit(KindSession), false
		}
		return allowedBy(KindIdentity, idEntry), true
	}

	switch {
	case !scpApplies:
		// A service, an anonymous caller or a web identity has no account
		// side: only the resource-based policy can grant.
		if how == policy.PrincipalNotNamed {
			decide(implicit(KindResource))
		}
		decide(allowedBy(KindResource, resEntry))
	case cross:
		// Across accounts both sides must allow; naming the account is
		// enough on the resource side.
		if r, ok := identitySide(); !ok {
			decide(r)
		}
		if how == policy.PrincipalNotNamed {
			decide(implicit(KindResource))
		}
		decide(allowedBy(KindResource, resEntry))
	case trustRequired && how == policy.PrincipalNotNamed:
		// AWS behaviour: a role trust policy must allow the principal,
		// whatever its identity policies say.
		decide(implicit(KindResource))
	case root:
		r, _ := identitySide()
		decide(r)
	case how == policy.PrincipalDirect || how == policy.PrincipalByRole:
		decide(ev.sameAccountResource(resEntry, how, boundaryOK, sessionOK, implicit, allowedBy))
	default:
		// Not named, or named through its account, which delegates the
		// decision to the account's identity-based policies.
		r, _ := identitySide()
		decide(r)
	}
	ev.finishTrace(result)
	return result
}

// sameAccountResource applies the same-account rules for a resource-based
// policy that names the principal. AWS behaviour: naming the user or the
// session ARN allows even where the boundary or a session policy does not;
// naming the role (for one of its sessions) is limited by both.
func (ev *evaluation) sameAccountResource(e entry, how policy.PrincipalMatch, boundaryOK, sessionOK bool,
	implicit func(Kind) Result, allowedBy func(Kind, entry) Result) Result {
	if how == policy.PrincipalByRole {
		if !boundaryOK {
			return implicit(KindBoundary)
		}
		if !sessionOK {
			return implicit(KindSession)
		}
	}
	return allowedBy(KindResource, e)
}

// resourceGrant finds the Allow of the resource-based policy that names the
// principal most directly.
func (ev *evaluation) resourceGrant() (entry, policy.PrincipalMatch) {
	g := ev.ps.resource
	if g == nil {
		return entry{}, policy.PrincipalNotNamed
	}
	var best entry
	bestHow := policy.PrincipalNotNamed
	res := ev.prep.Request().Resource
	for li, list := range g.allow.candidates(ev.key, ev.svc) {
		for _, e := range list {
			if len(res) < len(e.prefix) || res[:len(e.prefix)] != e.prefix {
				continue
			}
			if li > 0 && !e.rule.MatchAction(ev.prep.Request().Action) {
				continue
			}
			how, ok := e.rule.MatchRest(&ev.prep)
			if !ok {
				continue
			}
			ev.record(g, e)
			if how > bestHow {
				best, bestHow = e, how
				if how == policy.PrincipalDirect && ev.trace == nil {
					return best, bestHow
				}
			}
		}
	}
	return best, bestHow
}

// first returns the first statement of ix that matches. With a trace it
// reads on, recording every match.
func (ev *evaluation) first(g *group, ix *index) (entry, bool) {
	var found entry
	ok := false
	res := ev.prep.Request().Resource
	for li, list := range ix.candidates(ev.key, ev.svc) {
		for _, e := range list {
			if len(res) < len(e.prefix) || res[:len(e.prefix)] != e.prefix {
				continue
			}
			if li > 0 && !e.rule.MatchAction(ev.prep.Request().Action) {
				continue
			}
			if _, m := e.rule.MatchRest(&ev.prep); !m {
				continue
			}
			if ev.trace == nil {
				return e, true
			}
			ev.record(g, e)
			if !ok {
				found, ok = e, true
			}
		}
	}
	return found, ok
}

func (ev *evaluation) record(g *group, e entry) {
	if ev.trace == nil {
		return
	}
	for _, m := range ev.trace.Matched {
		if m.Rule == e.rule && m.Policy == e.pol && m.Kind == g.kind && m.Level == g.level {
			return
		}
	}
	ev.trace.Matched = append(ev.trace.Matched, Match{Kind: g.kind, Level: g.level, Policy: e.pol, Rule: e.rule})
}

func (ev *evaluation) finishTrace(r Result) {
	if ev.trace != nil {
		ev.trace.Result = r
	}
}

// lowerASCII appends s to dst with ASCII letters lower-cased.
func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
