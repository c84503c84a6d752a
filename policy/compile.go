package policy

import (
	"strings"

	"github.com/warden-iam/warden/arn"
)

// Policy is a validated, compiled policy document. It is immutable and safe
// for concurrent use once returned by [Parse].
type Policy struct {
	// ID names the policy in explanations: a policy ARN, or a name such as
	// "user/alice/inline/s3-read". Set it before sharing the Policy.
	ID       string
	Type     Type
	Document *Document
	// Rules are the statements compiled for evaluation, in document order.
	Rules []*Rule
	// Warnings are findings that do not stop AWS from accepting the policy.
	Warnings []Finding
}

// Parse validates doc as a policy of type t and compiles it. It returns a
// *[Error] holding every error finding when AWS would refuse the document.
func Parse(doc string, t Type) (*Policy, error) {
	return parse(doc, t, true)
}

// ParseAWSManaged validates and compiles the document of an AWS managed
// policy (arn:aws:iam::aws:policy/...) as an identity policy. AWS behaviour:
// the PolicySize quota binds customer managed policies only; AWS's own
// documents exceed it (ReadOnlyAccess is several times larger), so it is
// not checked. Every other rule of Parse applies.
func ParseAWSManaged(doc string) (*Policy, error) {
	return parse(doc, Identity, false)
}

func parse(doc string, t Type, sized bool) (*Policy, error) {
	d, findings := parseDocument(doc, t, sized)
	var errs, warns []Finding
	for _, f := range findings {
		if f.Severity == SeverityError {
			errs = append(errs, f)
		} else {
			warns = append(warns, f)
		}
	}
	if len(errs) > 0 {
		return nil, &Error{Findings: errs}
	}
	p := &Policy{Type: t, Document: d, Warnings: warns}
	vars := d.Version == Version2012
	for i := range d.Statements {
		p.Rules = append(p.Rules, compileRule(&d.Statements[i], i, vars))
	}
	return p, nil
}

// MustParse is Parse for documents known to be valid, such as AWS-managed
// policies built into a program. It panics on an invalid document.
func MustParse(doc string, t Type) *Policy {
	p, err := Parse(doc, t)
	if err != nil {
		panic(err)
	}
	return p
}

// Rule is a statement compiled for evaluation.
type Rule struct {
	Index  int // the statement's position in the document
	Sid    string
	Effect Effect
	Span   Span

	notAction bool
	actions   []arn.Pattern // compiled from lower-case text
	// byService and wildService index a long Action list: the positions in
	// actions of the patterns whose service prefix is literal, by that
	// (lower-case) prefix, and of the others. Nil for short lists.
	byService   map[string][]int
	wildService []int

	notResource bool
	resources   []resourceEntry
	hasResource bool

	principal    *principalMatcher // nil when the statement names none
	notPrincipal bool

	conds []condition
}

type resourceEntry struct {
	pat  arn.Pattern
	tmpl *template // set when the entry holds policy variables
}

func compileRule(s *Statement, i int, vars bool) *Rule {
	r := &Rule{Index: i, Sid: s.Sid, Effect: s.Effect, Span: s.Span, notAction: s.NotAction,
		notResource: s.NotResource, hasResource: s.HasResource, notPrincipal: s.NotPrincipal}
	for _, a := range s.Action {
		r.actions = append(r.actions, arn.NewPattern(strings.ToLower(a)))
	}
	if len(r.actions) >= indexedActions {
		r.indexActions()
	}
	for _, res := range s.Resource {
		r.resources = append(r.resources, compileResource(res, vars))
	}
	if s.Principal != nil {
		r.principal = compilePrincipal(s.Principal)
	}
	for _, b := range s.Condition {
		op, _ := parseOperator(b.Operator) // validated by the parser
		for _, k := range b.Keys {
			r.conds = append(r.conds, compileCondition(b.Operator, op, k.Key, k.Values, vars))
		}
	}
	return r
}

// compileResource compiles one Resource entry. AWS behaviour: the Resource
// element is matched as a whole string, so a '*' that ends an ARN section
// may reach across colons ("arn:aws:s3:::*" matches every S3 ARN); policy
// variables are replaced only in the resource section, after the fifth colon.
func compileResource(res string, vars bool) resourceEntry {
	if !vars || !strings.Contains(res, "${") {
		return resourceEntry{pat: arn.NewPattern(res)}
	}
	secs, ok := arn.Split(res)
	if !ok || !strings.Contains(secs[5], "${") {
		return resourceEntry{pat: arn.NewPattern(res)}
	}
	head := res[:len(res)-len(secs[5])]
	t := parseTemplate(secs[5])
	t.parts = append([]tmplPart{{text: head}}, t.parts...)
	return resourceEntry{tmpl: t}
}

// IndexKeys tells an index which actions can match the rule: exact
// (lower-cased) action names, service prefixes whose every action may
// match, or any action at all.
func (r *Rule) IndexKeys() (exact, services []string, anyAction bool) {
	if r.notAction {
		return nil, nil, true
	}
	for _, p := range r.actions {
		text := p.String()
		if p.IsExact() {
			exact = append(exact, text)
			continue
		}
		svc, _, ok := strings.Cut(text, ":")
		if !ok || strings.ContainsAny(svc, "*?") {
			return nil, nil, true
		}
		services = append(services, svc)
	}
	return exact, services, false
}

// ResourcePrefix returns text that every resource the rule's Resource
// element matches starts with ("" when there is no such text, or the rule
// uses NotResource or names no resource). An index uses it to skip rules
// without calling Match.
func (r *Rule) ResourcePrefix() string {
	if r.notResource || !r.hasResource || len(r.resources) == 0 {
		return ""
	}
	prefix := ""
	for i, e := range r.resources {
		var p string
		if e.tmpl != nil {
			head := e.tmpl.parts[0].text
			if j := strings.IndexAny(head, "*?"); j >= 0 {
				head = head[:j]
			}
			p = head
		} else {
			p = e.pat.Prefix()
		}
		if i == 0 {
			prefix = p
			continue
		}
		n := 0
		for n < len(prefix) && n < len(p) && prefix[n] == p[n] {
			n++
		}
		prefix = prefix[:n]
	}
	return prefix
}

// indexedActions is the length from which an Action list is indexed by
// service prefix. AWS managed policies such as ReadOnlyAccess list
// thousands of actions; scanning them all on every request is what the
// index avoids.
const indexedActions = 16

// indexActions fills byService and wildService. A pattern whose service
// prefix (the text before its first colon) holds no wildcard matches only
// actions of that service; the others may match any action.
func (r *Rule) indexActions() {
	r.byService = make(map[string][]int)
	for i, p := range r.actions {
		svc, _, ok := strings.Cut(p.String(), ":")
		if !ok || strings.ContainsAny(svc, "*?") {
			r.wildService = append(r.wildService, i)
			continue
		}
		r.byService[svc] = append(r.byService[svc], i)
	}
}

// MatchAction reports whether the rule's Action (or NotAction) element
// matches action. Case does not matter.
func (r *Rule) MatchAction(action string) bool {
	return r.matchActions(action) != r.notAction
}

func (r *Rule) matchActions(action string) bool {
	svc, _, ok := strings.Cut(action, ":")
	if r.byService == nil || !ok {
		for i := range r.actions {
			if r.actions[i].MatchFold(action) {
				return true
			}
		}
		return false
	}
	for _, i := range r.byService[strings.ToLower(svc)] {
		if r.actions[i].MatchFold(action) {
			return true
		}
	}
	for _, i := range r.wildService {
		if r.actions[i].MatchFold(action) {
			return true
		}
	}
	return false
}

// PrincipalMatch tells how a statement's Principal element names the
// requesting principal. The evaluation rules for resource-based policies
// depend on it.
type PrincipalMatch uint8

// The ways a statement can name a principal.
const (
	// PrincipalNotNamed: the principal is not named (or is excluded by
	// NotPrincipal).
	PrincipalNotNamed PrincipalMatch = iota
	// PrincipalUnnamed: the statement has no Principal element (identity
	// policies, boundaries, session policies, SCPs).
	PrincipalUnnamed
	// PrincipalByAccount: named through its account (an account id or
	// root ARN), which delegates the decision to the account's own policies.
	PrincipalByAccount
	// PrincipalByRole: a role session named through its role's ARN, or a
	// federated user through the IAM user who federated.
	PrincipalByRole
	// PrincipalDirect: named itself: its user, session or federated-user
	// ARN, its service or identity provider, or "*".
	PrincipalDirect
)

// Match reports whether the rule applies to the prepared request, and how
// it names the principal. Only the action, resource, principal and
// conditions are checked here; the effect is the caller's business.
func (r *Rule) Match(p *Prepared) (PrincipalMatch, bool) {
	if !r.MatchAction(p.req.Action) {
		return PrincipalNotNamed, false
	}
	return r.MatchRest(p)
}

// MatchRest is Match for a caller that has already matched the action
// (an index lookup followed by MatchAction).
func (r *Rule) MatchRest(p *Prepared) (PrincipalMatch, bool) {
	if r.hasResource && !r.matchResource(p) {
		return PrincipalNotNamed, false
	}
	how := PrincipalUnnamed
	if r.principal != nil {
		how = r.principal.match(&p.req.Principal)
		if r.notPrincipal {
			// AWS behaviour: a principal with a permissions boundary is
			// never excluded by NotPrincipal in a Deny statement.
			excluded := r.principal.excludes(&p.req.Principal) && !(p.hasBoundary && r.Effect == Deny)
			if excluded {
				return PrincipalNotNamed, false
			}
			how = PrincipalDirect
		} else if how == PrincipalNotNamed {
			return PrincipalNotNamed, false
		}
	}
	matched := true
	for i := range r.conds {
		m, ok := r.conds[i].eval(p)
		if !ok || !m {
			matched = false
			if p.missing == nil {
				break
			}
			// Explaining: read every condition, so every absent key is
			// reported, not only the first.
		}
	}
	if !matched {
		return PrincipalNotNamed, false
	}
	return how, true
}

func (r *Rule) matchResource(p *Prepared) bool {
	for i := range r.resources {
		e := &r.resources[i]
		var m bool
		if e.tmpl != nil {
			parts, ok := e.tmpl.resolve(p)
			if !ok {
				// An unresolved variable: the entry matches nothing in
				// Resource; in NotResource the statement does not apply.
				if r.notResource {
					return false
				}
				continue
			}
			m = arn.NewPatternFromParts(parts).Match(p.resource)
		} else {
			m = e.pat.Match(p.resource)
		}
		if m {
			return !r.notResource
		}
	}
	return r.notResource
}

// ConditionKeys returns the condition keys the rule reads, as written, in
// document order, and the keys its policy variables read (lower-cased).
func (r *Rule) ConditionKeys() []string {
	var keys []string
	for _, c := range r.conds {
		keys = append(keys, c.rawKey)
		for _, v := range c.values {
			if v.tmpl != nil {
				keys = append(keys, v.tmpl.keys()...)
			}
		}
	}
	for _, e := range r.resources {
		if e.tmpl != nil {
			keys = append(keys, e.tmpl.keys()...)
		}
	}
	return keys
}

func (t *template) keys() []string {
	var out []string
	for _, p := range t.parts {
		if p.key != "" {
			out = append(out, p.key)
		}
	}
	return out
}

// principalMatcher is a compiled Principal or NotPrincipal element.
type principalMatcher struct {
	all       bool
	accounts  []string // account ids, from ids and root ARNs
	arns      []string // user, assumed-role session and federated-user ARNs
	roles     []roleRef
	services  []string
	federated []string
	canonical []string
}

type roleRef struct{ account, name string }

func compilePrincipal(ps *PrincipalSet) *principalMatcher {
	m := &principalMatcher{all: ps.All, services: ps.Service, federated: ps.Federated, canonical: ps.CanonicalUser}
	for _, v := range ps.AWS {
		switch {
		case v == "*":
			m.all = true
		case arn.IsAccountID(v):
			m.accounts = append(m.accounts, v)
		default:
			a, err := arn.Parse(v)
			if err != nil {
				continue // refused by the validator
			}
			switch {
			case a.Service == "iam" && a.Resource == "root":
				m.accounts = append(m.accounts, a.Account)
			case a.Service == "iam" && strings.HasPrefix(a.Resource, "role/"):
				name := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
				m.roles = append(m.roles, roleRef{account: a.Account, name: name})
			default:
				m.arns = append(m.arns, v)
			}
		}
	}
	return m
}

// match returns how the element names p.
//
// AWS behaviour ([AWS JSON policy elements: Principal]): an account id or
// root ARN stands for every principal of the account; a role ARN for every
// session of the role; an assumed-role ARN for that session only; "*" for
// everyone, anonymous callers included.
//
// [AWS JSON policy elements: Principal]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
func (m *principalMatcher) match(p *Principal) PrincipalMatch {
	if m.all {
		return PrincipalDirect
	}
	switch p.Type {
	case PrincipalService:
		if containsFold(m.services, p.ARN) {
			return PrincipalDirect
		}
		return PrincipalNotNamed
	case PrincipalWebIdentity:
		if contains(m.federated, p.ARN) {
			return PrincipalDirect
		}
		return PrincipalNotNamed
	case PrincipalAnonymous:
		return PrincipalNotNamed
	}
	if contains(m.arns, p.ARN) {
		return PrincipalDirect
	}
	switch p.Type {
	case PrincipalAssumedRole:
		name := p.sessionRoleName()
		for _, r := range m.roles {
			if r.account == p.Account && r.name == name {
				return PrincipalByRole
			}
		}
	case PrincipalFederatedUser:
		if p.UserARN != "" && contains(m.arns, p.UserARN) {
			return PrincipalByRole
		}
	}
	if contains(m.accounts, p.Account) {
		return PrincipalByAccount
	}
	return PrincipalNotNamed
}

// excludes reports whether a NotPrincipal element lists every identity of
// p. AWS behaviour ([AWS JSON policy elements: NotPrincipal]): a request
// carries the principal's account as well as the principal, and a role
// session also its role, so an exception for a session must list the
// session, its role and its account, and one for a user the user and its
// account.
//
// [AWS JSON policy elements: NotPrincipal]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func (m *principalMatcher) excludes(p *Principal) bool {
	if m.all {
		return true
	}
	switch p.Type {
	case PrincipalService, PrincipalWebIdentity:
		return m.match(p) == PrincipalDirect
	case PrincipalAnonymous:
		return false
	}
	if !contains(m.accounts, p.Account) {
		return false
	}
	switch p.Type {
	case PrincipalAccount:
		return true
	case PrincipalAssumedRole:
		name := p.sessionRoleName()
		role := false
		for _, r := range m.roles {
			if r.account == p.Account && r.name == name {
				role = true
			}
		}
		return role && contains(m.arns, p.ARN)
	}
	return contains(m.arns, p.ARN)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
