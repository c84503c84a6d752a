package authz_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/policy"
)

// The property tests generate small policy sets over a handful of actions,
// resources and one condition key, so that statements often overlap, and
// check laws of AWS's evaluation logic that hold whatever the policies are.

const (
	propAccount  = "111122223333"
	propExternal = "444455556666"
)

var (
	propRequestActions = []string{"s3:GetObject", "s3:PutObject", "ec2:RunInstances", "iam:ListUsers", "sts:GetCallerIdentity"}
	propActionPatterns = []string{"*", "s3:*", "s3:Get*", "s3:GetObject", "S3:putobject", "ec2:RunInstances", "ec2:*", "iam:List*", "iam:ListUsers", "sts:*"}
	propResources      = []string{
		"arn:aws:s3:::bucket/x",
		"arn:aws:s3:::bucket/y/z",
		"arn:aws:ec2:us-east-1:" + propAccount + ":instance/i-1",
		"*",
	}
	propResourcePatterns = []string{"*", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/x", "arn:aws:ec2:*", "arn:aws:s3:::other/*", "arn:aws:s3:::bucket/?"}
	propPrincipals       = []string{
		"arn:aws:iam::" + propAccount + ":user/alice",
		"arn:aws:sts::" + propAccount + ":assumed-role/dev/s1",
		"arn:aws:iam::" + propAccount + ":root",
		"arn:aws:iam::" + propExternal + ":user/bob",
	}
	propNamedPrincipals = []any{
		"*",
		map[string]any{"AWS": "arn:aws:iam::" + propAccount + ":user/alice"},
		map[string]any{"AWS": "arn:aws:sts::" + propAccount + ":assumed-role/dev/s1"},
		map[string]any{"AWS": "arn:aws:iam::" + propAccount + ":role/dev"},
		map[string]any{"AWS": propAccount},
		map[string]any{"AWS": "arn:aws:iam::" + propExternal + ":user/bob"},
		map[string]any{"AWS": "arn:aws:iam::" + propExternal + ":root"},
	}
	propTeams = []string{"blue", "red", ""}
)

// propKind is where a generated policy goes.
type propKind int

const (
	pkIdentity propKind = iota
	pkBoundary
	pkSession
	pkResource
	pkSCP
	pkRCP
)

func (k propKind) policyType() policy.Type {
	return [...]policy.Type{policy.Identity, policy.Boundary, policy.Session, policy.Resource, policy.SCP, policy.RCP}[k]
}

// propStatement is a generated statement, kept as JSON-ready data so that a
// scenario can be changed and compiled again.
type propStatement map[string]any

// propScenario is a generated request with its (uncompiled) policies.
type propScenario struct {
	principal string
	team      string
	action    string
	resource  string
	cross     bool

	identity    [][]propStatement
	boundary    []propStatement // nil: none
	session     [][]propStatement
	resourcePol []propStatement // nil: none
	scps        [][][]propStatement
	rcps        [][][]propStatement
}

func drawStatement(t *rapid.T, kind propKind, effect string, label string) propStatement {
	s := propStatement{"Effect": effect}
	// RCPs support neither NotAction nor NotResource-free Allow; their only
	// Allow is RCPFullAWSAccess, drawn separately.
	notAction := kind != pkRCP && rapid.Bool().Draw(t, label+"notAction")
	actions := rapid.SliceOfN(rapid.SampledFrom(propActionPatterns), 1, 2).Draw(t, label+"actions")
	if notAction {
		s["NotAction"] = actions
	} else {
		s["Action"] = actions
	}
	resources := rapid.SliceOfN(rapid.SampledFrom(propResourcePatterns), 1, 2).Draw(t, label+"resources")
	if rapid.Bool().Draw(t, label+"notResource") {
		s["NotResource"] = resources
	} else {
		s["Resource"] = resources
	}
	if rapid.IntRange(0, 2).Draw(t, label+"cond") == 0 {
		s["Condition"] = map[string]any{"StringEquals": map[string]any{
			"aws:PrincipalTag/team": rapid.SampledFrom([]string{"blue", "red"}).Draw(t, label+"team")}}
	}
	switch kind {
	case pkResource:
		s["Principal"] = rapid.SampledFrom(propNamedPrincipals).Draw(t, label+"principal")
	case pkRCP:
		s["Principal"] = "*"
	}
	return s
}

func drawPolicy(t *rapid.T, kind propKind, label string, allowAllowed bool) []propStatement {
	n := rapid.IntRange(1, 3).Draw(t, label+"n")
	var stmts []propStatement
	for i := 0; i < n; i++ {
		effect := "Deny"
		if allowAllowed && kind != pkRCP && rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("%s%d.effect", label, i)) > 0 {
			effect = "Allow"
		}
		stmts = append(stmts, drawStatement(t, kind, effect, fmt.Sprintf("%s%d.", label, i)))
	}
	return stmts
}

func rcpFullAccess() []propStatement {
	return []propStatement{{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}
}

// drawScenario draws a scenario. Without allows, every generated statement
// is a Deny and no SCP or RCP level holds an Allow.
func drawScenario(t *rapid.T, allows bool) *propScenario {
	sc := &propScenario{
		principal: rapid.SampledFrom(propPrincipals).Draw(t, "principal"),
		team:      rapid.SampledFrom(propTeams).Draw(t, "team"),
		action:    rapid.SampledFrom(propRequestActions).Draw(t, "action"),
		resource:  rapid.SampledFrom(propResources).Draw(t, "resource"),
		cross:     rapid.IntRange(0, 3).Draw(t, "cross") == 0,
	}
	for i, n := 0, rapid.IntRange(0, 3).Draw(t, "identityN"); i < n; i++ {
		sc.identity = append(sc.identity, drawPolicy(t, pkIdentity, fmt.Sprintf("identity%d.", i), allows))
	}
	if rapid.IntRange(0, 2).Draw(t, "hasBoundary") == 0 {
		sc.boundary = drawPolicy(t, pkBoundary, "boundary.", allows)
	}
	if rapid.IntRange(0, 2).Draw(t, "hasSession") == 0 {
		for i, n := 0, rapid.IntRange(1, 2).Draw(t, "sessionN"); i < n; i++ {
			sc.session = append(sc.session, drawPolicy(t, pkSession, fmt.Sprintf("session%d.", i), allows))
		}
	}
	if rapid.Bool().Draw(t, "hasResource") {
		sc.resourcePol = drawPolicy(t, pkResource, "resource.", allows)
	}
	for l, n := 0, rapid.IntRange(0, 2).Draw(t, "scpLevels"); l < n; l++ {
		var level [][]propStatement
		if allows {
			level = append(level, []propStatement{{"Effect": "Allow", "Action": "*", "Resource": "*"}})
		}
		for i, m := 0, rapid.IntRange(0, 1).Draw(t, fmt.Sprintf("scp%dN", l)); i < m; i++ {
			level = append(level, drawPolicy(t, pkSCP, fmt.Sprintf("scp%d.%d.", l, i), allows))
		}
		sc.scps = append(sc.scps, level)
	}
	for l, n := 0, rapid.IntRange(0, 2).Draw(t, "rcpLevels"); l < n; l++ {
		var level [][]propStatement
		if allows {
			level = append(level, rcpFullAccess())
		}
		for i, m := 0, rapid.IntRange(0, 1).Draw(t, fmt.Sprintf("rcp%dN", l)); i < m; i++ {
			level = append(level, drawPolicy(t, pkRCP, fmt.Sprintf("rcp%d.%d.", l, i), false))
		}
		sc.rcps = append(sc.rcps, level)
	}
	return sc
}

func propParse(t *rapid.T, stmts []propStatement, kind propKind) *policy.Policy {
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	p, err := policy.Parse(string(doc), kind.policyType())
	if err != nil {
		t.Fatalf("generated %s policy does not parse: %v\n%s", kind.policyType(), err, doc)
	}
	return p
}

// build compiles the scenario's policies and request.
func (sc *propScenario) build(t *rapid.T) (*authz.PolicySet, *authz.Request) {
	var ps authz.Policies
	for _, p := range sc.identity {
		ps.Identity = append(ps.Identity, propParse(t, p, pkIdentity))
	}
	if sc.boundary != nil {
		ps.Boundary = propParse(t, sc.boundary, pkBoundary)
	}
	if sc.session != nil {
		ps.Session = []*policy.Policy{}
		for _, p := range sc.session {
			ps.Session = append(ps.Session, propParse(t, p, pkSession))
		}
	}
	if sc.resourcePol != nil {
		ps.Resource = propParse(t, sc.resourcePol, pkResource)
	}
	for _, level := range sc.scps {
		list := []*policy.Policy{}
		for _, p := range level {
			list = append(list, propParse(t, p, pkSCP))
		}
		ps.SCPs = append(ps.SCPs, list)
	}
	for _, level := range sc.rcps {
		list := []*policy.Policy{}
		for _, p := range level {
			list = append(list, propParse(t, p, pkRCP))
		}
		ps.RCPs = append(ps.RCPs, list)
	}
	p, err := policy.ParsePrincipal(sc.principal)
	if err != nil {
		t.Fatalf("principal: %v", err)
	}
	if sc.team != "" {
		p.Tags = map[string]string{"team": sc.team}
	}
	req := &authz.Request{Principal: p, Action: sc.action, Resource: sc.resource,
		Time: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)}
	if sc.cross {
		req.ResourceAccount = propExternal
		if p.Account == propExternal {
			req.ResourceAccount = propAccount
		}
	}
	req.SetGlobalKeys()
	return authz.NewPolicySet(ps), req
}

func (sc *propScenario) decide(t *rapid.T) authz.Result {
	ps, req := sc.build(t)
	return authz.Evaluate(ps, req)
}

// clone copies the scenario deeply enough that adding policies or
// statements to the copy leaves the original alone.
func (sc *propScenario) clone() *propScenario {
	c := *sc
	c.identity = cloneList(sc.identity)
	c.session = cloneList(sc.session)
	if sc.boundary != nil {
		c.boundary = append([]propStatement{}, sc.boundary...)
	}
	if sc.resourcePol != nil {
		c.resourcePol = append([]propStatement{}, sc.resourcePol...)
	}
	c.scps = nil
	for _, l := range sc.scps {
		c.scps = append(c.scps, cloneList(l))
	}
	c.rcps = nil
	for _, l := range sc.rcps {
		c.rcps = append(c.rcps, cloneList(l))
	}
	return &c
}

func cloneList(l [][]propStatement) [][]propStatement {
	if l == nil {
		return nil
	}
	out := make([][]propStatement, len(l))
	for i, p := range l {
		out[i] = append([]propStatement{}, p...)
	}
	return out
}

func (sc *propScenario) identityApplies() bool {
	p, _ := policy.ParsePrincipal(sc.principal)
	return p.Type != policy.PrincipalAccount
}

// addDeny adds stmt (a Deny) to a policy of the given kind, creating one
// where needed.
func (sc *propScenario) addDeny(t *rapid.T, kind propKind, stmt propStatement) {
	switch kind {
	case pkIdentity:
		if len(sc.identity) == 0 || rapid.Bool().Draw(t, "newIdentityPolicy") {
			sc.identity = append(sc.identity, []propStatement{stmt})
		} else {
			i := rapid.IntRange(0, len(sc.identity)-1).Draw(t, "identityIndex")
			sc.identity[i] = append(sc.identity[i], stmt)
		}
	case pkBoundary:
		sc.boundary = append(sc.boundary, stmt)
	case pkSession:
		if len(sc.session) == 0 {
			sc.session = [][]propStatement{{stmt}}
		} else {
			i := rapid.IntRange(0, len(sc.session)-1).Draw(t, "sessionIndex")
			sc.session[i] = append(sc.session[i], stmt)
		}
	case pkResource:
		sc.resourcePol = append(sc.resourcePol, stmt)
	case pkSCP:
		if len(sc.scps) == 0 {
			sc.scps = [][][]propStatement{{{stmt}}}
		} else {
			l := rapid.IntRange(0, len(sc.scps)-1).Draw(t, "scpLevel")
			sc.scps[l] = append(sc.scps[l], []propStatement{stmt})
		}
	case pkRCP:
		if len(sc.rcps) == 0 {
			sc.rcps = [][][]propStatement{{rcpFullAccess(), {stmt}}}
		} else {
			l := rapid.IntRange(0, len(sc.rcps)-1).Draw(t, "rcpLevel")
			sc.rcps[l] = append(sc.rcps[l], []propStatement{stmt})
		}
	}
}

// applicableKinds lists the kinds of policy that bind the scenario's
// principal: identity-type policies do not bind the root user.
func (sc *propScenario) applicableKinds() []propKind {
	if sc.identityApplies() {
		return []propKind{pkIdentity, pkBoundary, pkSession, pkResource, pkSCP, pkRCP}
	}
	return []propKind{pkResource, pkSCP, pkRCP}
}

func isGetCallerIdentity(action string) bool { return action == "sts:GetCallerIdentity" }

// Property 1: a Deny that matches the request, added to any applicable
// policy, makes the decision ExplicitlyDenied.
func TestPropertyMatchingDenyDenies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := drawScenario(t, true)
		kind := rapid.SampledFrom(sc.applicableKinds()).Draw(t, "denyKind")
		deny := propStatement{"Effect": "Deny", "Action": sc.action, "Resource": "*"}
		if kind == pkResource || kind == pkRCP {
			deny["Principal"] = "*"
		}
		after := sc.clone()
		after.addDeny(t, kind, deny)
		got := after.decide(t)
		want := authz.ExplicitlyDenied
		if isGetCallerIdentity(sc.action) {
			want = authz.Allowed
		}
		if got.Decision != want {
			t.Fatalf("after adding %v to the %s policies: %s (kind %s), want %s", deny, kind.policyType(), got.Decision, got.Kind, want)
		}
	})
}

// Property 2: adding any Deny statement never turns a denied request into
// an allowed one, and never turns an explicit deny into anything else.
func TestPropertyDenyNeverWidens(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := drawScenario(t, true)
		before := sc.decide(t)
		kind := rapid.SampledFrom(sc.applicableKinds()).Draw(t, "denyKind")
		deny := drawStatement(t, kind, "Deny", "added.")
		after := sc.clone()
		after.addDeny(t, kind, deny)
		got := after.decide(t)
		if before.Decision != authz.Allowed && got.Decision == authz.Allowed {
			t.Fatalf("adding %v to the %s policies turned %s into Allowed", deny, kind.policyType(), before.Decision)
		}
		if before.Decision == authz.ExplicitlyDenied && got.Decision != authz.ExplicitlyDenied {
			t.Fatalf("adding %v to the %s policies turned ExplicitlyDenied into %s", deny, kind.policyType(), got.Decision)
		}
	})
}

// Property 3: a permissions boundary, or session policies where there were
// none, only narrow: they never turn a denied request into an allowed one.
// (Several session policies are combined with each other, so adding one to
// existing session policies may widen what the session policies allow.)
func TestPropertyBoundaryAndSessionOnlyNarrow(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := drawScenario(t, true)
		after := sc.clone()
		what := ""
		switch {
		case sc.boundary == nil && rapid.Bool().Draw(t, "addBoundary"):
			after.boundary = drawPolicy(t, pkBoundary, "newBoundary.", true)
			what = "a permissions boundary"
		case sc.session == nil:
			after.session = [][]propStatement{drawPolicy(t, pkSession, "newSession.", true)}
			what = "a session policy"
		default:
			t.Skip("the scenario has a boundary and session policies already")
		}
		before := sc.decide(t)
		got := after.decide(t)
		if before.Decision != authz.Allowed && got.Decision == authz.Allowed {
			t.Fatalf("adding %s turned %s (%s) into Allowed (%s)", what, before.Decision, before.Kind, got.Kind)
		}
	})
}

// Property 4: with no Allow statement anywhere, nothing is allowed, except
// for the root user and sts:GetCallerIdentity.
func TestPropertyNoAllowNoAccess(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := drawScenario(t, false)
		got := sc.decide(t)
		if isGetCallerIdentity(sc.action) {
			if got.Decision != authz.Allowed {
				t.Fatalf("sts:GetCallerIdentity: %s, want Allowed", got.Decision)
			}
			return
		}
		if !sc.identityApplies() {
			return // the root user has full access in its own account
		}
		if got.Decision == authz.Allowed {
			t.Fatalf("allowed (kind %s) without any Allow statement", got.Kind)
		}
	})
}

// Property 5: Explain decides like Evaluate.
func TestPropertyExplainAgreesWithEvaluate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := drawScenario(t, true)
		ps, req := sc.build(t)
		got := authz.Evaluate(ps, req)
		var d authz.Diagnostic
		explained := authz.Explain(ps, req, &d)
		if got.Decision != explained.Decision || got.Kind != explained.Kind {
			t.Fatalf("Evaluate: %s (%s); Explain: %s (%s)", got.Decision, got.Kind, explained.Decision, explained.Kind)
		}
		if d.Result.Decision != explained.Decision {
			t.Fatalf("Diagnostic.Result %s, Explain returned %s", d.Result.Decision, explained.Decision)
		}
		if got.Message(req) != explained.Message(req) {
			t.Fatalf("messages differ:\n%s\n%s", got.Message(req), explained.Message(req))
		}
	})
}

// Property 6: the order of the identity-based policies does not matter.
func TestPropertyIdentityPolicyOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := drawScenario(t, true)
		if len(sc.identity) < 2 {
			t.Skip("fewer than two identity policies")
		}
		before := sc.decide(t)
		perm := rapid.Permutation(sc.identity).Draw(t, "order")
		after := sc.clone()
		after.identity = perm
		got := after.decide(t)
		if got.Decision != before.Decision || got.Kind != before.Kind {
			t.Fatalf("reordering identity policies changed %s (%s) into %s (%s)", before.Decision, before.Kind, got.Decision, got.Kind)
		}
	})
}
