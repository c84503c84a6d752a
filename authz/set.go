package authz

import (
	"strings"

	"github.com/warden-iam/warden/policy"
)

// Kind is the role a policy plays in a decision.
type Kind uint8

// The kinds of policy a decision weighs.
const (
	KindSCP Kind = iota + 1
	KindRCP
	KindIdentity
	KindResource
	KindBoundary
	KindSession
)

func (k Kind) String() string {
	switch k {
	case KindSCP:
		return "service control policy"
	case KindRCP:
		return "resource control policy"
	case KindIdentity:
		return "identity-based policy"
	case KindResource:
		return "resource-based policy"
	case KindBoundary:
		return "permissions boundary"
	case KindSession:
		return "session policy"
	}
	return "policy"
}

// Policies are the policies that apply to one principal and resource. A
// nil field means that type does not apply.
type Policies struct {
	// SCPs lists, per level of the principal's organization from the root
	// through its OUs to the account, the service control policies attached
	// there. Nil when the account is in no organization or is the
	// management account; a present level with no policies allows nothing.
	SCPs [][]*policy.Policy
	// RCPs lists the resource control policies per level of the resource
	// owner's organization, like SCPs.
	RCPs [][]*policy.Policy
	// Identity holds the principal's identity-based policies: a user's own
	// and its groups', or a role's, managed and inline.
	Identity []*policy.Policy
	// Resource is the resource's resource-based policy (a role's trust
	// policy when the action is sts:AssumeRole*), or nil.
	Resource *policy.Policy
	// Boundary is the principal's permissions boundary, or nil.
	Boundary *policy.Policy
	// Session holds the session's policies (an inline session policy and
	// managed session policies); nil when the session has none.
	Session []*policy.Policy
}

// PolicySet is Policies compiled for fast decisions: statements are
// indexed by action, so a decision reads only the statements that can
// match. A PolicySet is immutable and safe for concurrent use.
type PolicySet struct {
	policies Policies
	scp      []*group
	rcp      []*group
	identity *group
	resource *group
	boundary *group
	session  *group
}

// NewPolicySet compiles ps. The policies must not change afterwards.
func NewPolicySet(ps Policies) *PolicySet {
	s := &PolicySet{policies: ps}
	for i, level := range ps.SCPs {
		s.scp = append(s.scp, newGroup(KindSCP, i, level))
	}
	for i, level := range ps.RCPs {
		s.rcp = append(s.rcp, newGroup(KindRCP, i, level))
	}
	if len(ps.Identity) > 0 {
		s.identity = newGroup(KindIdentity, 0, ps.Identity)
	}
	if ps.Resource != nil {
		s.resource = newGroup(KindResource, 0, []*policy.Policy{ps.Resource})
	}
	if ps.Boundary != nil {
		s.boundary = newGroup(KindBoundary, 0, []*policy.Policy{ps.Boundary})
	}
	if ps.Session != nil {
		s.session = newGroup(KindSession, 0, ps.Session)
	}
	return s
}

// Policies returns the policies the set was built from.
func (s *PolicySet) Policies() Policies { return s.policies }

// group is the policies of one kind (and, for SCPs and RCPs, one level),
// indexed by action and split by effect.
type group struct {
	kind  Kind
	level int
	deny  index
	allow index
}

// entry is one statement of one policy.
type entry struct {
	pol  *policy.Policy
	rule *policy.Rule
	// prefix is text every resource the statement matches starts with;
	// checking it first rejects most statements without a call.
	prefix string
}

// index finds the statements whose Action can match an action: by exact
// (lower-cased) name, by service prefix for statements with wildcard
// actions in that service, and the statements that can match any action
// (NotAction, "*", a wildcard in the service prefix). A statement appears
// at most once among the lists an action reads.
type index struct {
	exact    map[string][]entry
	services map[string][]entry
	any      []entry
	size     int
}

func newGroup(kind Kind, level int, policies []*policy.Policy) *group {
	g := &group{kind: kind, level: level}
	for _, p := range policies {
		for _, r := range p.Rules {
			ix := &g.allow
			if r.Effect == policy.Deny {
				ix = &g.deny
			}
			ix.add(entry{pol: p, rule: r, prefix: r.ResourcePrefix()})
		}
	}
	return g
}

func (ix *index) add(e entry) {
	ix.size++
	exact, services, anyAction := e.rule.IndexKeys()
	if anyAction {
		ix.any = append(ix.any, e)
		return
	}
	if ix.exact == nil {
		ix.exact = make(map[string][]entry)
		ix.services = make(map[string][]entry)
	}
	wild := make(map[string]bool, len(services))
	for _, svc := range services {
		if !wild[svc] {
			wild[svc] = true
			ix.services[svc] = append(ix.services[svc], e)
		}
	}
	for _, a := range exact {
		svc, _, _ := strings.Cut(a, ":")
		if wild[svc] {
			continue // already reachable through its service
		}
		list := ix.exact[a]
		if n := len(list); n > 0 && list[n-1].rule == e.rule {
			continue // the same action listed twice
		}
		ix.exact[a] = append(list, e)
	}
}

// candidates returns the lists of statements that can match the action
// whose lower-cased name is key and whose service prefix is svc.
func (ix *index) candidates(key, svc []byte) [3][]entry {
	var c [3][]entry
	if len(ix.exact) > 0 {
		c[0] = ix.exact[string(key)]
	}
	if len(ix.services) > 0 {
		c[1] = ix.services[string(svc)]
	}
	c[2] = ix.any
	return c
}

// With returns a set with the policies of s and, in place of s's, each of
// add's fields that is not nil (SCPs, RCPs, Resource, Session; Identity and
// Boundary are s's always). Only the policies taken from add are indexed:
// the rest is shared with s, so adding a role's trust policy or an
// account's RCPs to a principal's cached set costs only what is added.
func (s *PolicySet) With(add Policies) *PolicySet {
	out := *s
	if add.SCPs != nil {
		out.policies.SCPs, out.scp = add.SCPs, nil
		for i, level := range add.SCPs {
			out.scp = append(out.scp, newGroup(KindSCP, i, level))
		}
	}
	if add.RCPs != nil {
		out.policies.RCPs, out.rcp = add.RCPs, nil
		for i, level := range add.RCPs {
			out.rcp = append(out.rcp, newGroup(KindRCP, i, level))
		}
	}
	if add.Resource != nil {
		out.policies.Resource = add.Resource
		out.resource = newGroup(KindResource, 0, []*policy.Policy{add.Resource})
	}
	if add.Session != nil {
		out.policies.Session = add.Session
		out.session = newGroup(KindSession, 0, add.Session)
	}
	return &out
}

// WithRCPs returns a set with the policies of s and the resource control
// policies of from (a set built for them, typically cached per account),
// sharing from's indexes.
func (s *PolicySet) WithRCPs(from *PolicySet) *PolicySet {
	out := *s
	out.policies.RCPs, out.rcp = from.policies.RCPs, from.rcp
	return &out
}
