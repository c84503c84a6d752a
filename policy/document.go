package policy

import "fmt"

// Type is the kind of policy a document is written as. The type decides
// which elements are required or forbidden and the size limit.
type Type uint8

// The policy types. AWS behaviour for each is documented in
// [Policies and permissions in IAM] and, for SCPs and RCPs, in the
// AWS Organizations User Guide.
//
// [Policies and permissions in IAM]: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html
const (
	// Identity is a managed policy attached to a user, group or role.
	Identity Type = iota + 1
	// InlineUser, InlineGroup and InlineRole are inline identity policies;
	// they differ from managed policies only in their size limits.
	InlineUser
	InlineGroup
	InlineRole
	// Resource is a resource-based policy (bucket policy, key policy ...).
	Resource
	// Trust is a role trust policy (AssumeRolePolicyDocument).
	Trust
	// Boundary is a permissions boundary.
	Boundary
	// Session is an inline session policy passed to AssumeRole* or
	// GetFederationToken.
	Session
	// SCP is an AWS Organizations service control policy.
	SCP
	// RCP is an AWS Organizations resource control policy.
	RCP
)

var typeNames = map[Type]string{
	Identity: "identity", InlineUser: "inline-user", InlineGroup: "inline-group", InlineRole: "inline-role",
	Resource: "resource", Trust: "trust", Boundary: "boundary", Session: "session", SCP: "scp", RCP: "rcp",
}

// String returns the type's name as `warden policy validate --type` spells it.
func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("Type(%d)", t)
}

// ParseType parses a type name as returned by [Type.String].
func ParseType(s string) (Type, error) {
	for t, name := range typeNames {
		if name == s {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown policy type %q (want identity, inline-user, inline-group, inline-role, resource, trust, boundary, session, scp or rcp)", s)
}

// identityLike reports whether policies of type t describe what a principal
// may do, and so must not name a principal.
func (t Type) identityLike() bool {
	switch t {
	case Identity, InlineUser, InlineGroup, InlineRole, Boundary, Session, SCP:
		return true
	}
	return false
}

// Version values a policy may declare.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Effect is a statement's effect.
type Effect uint8

// The two effects.
const (
	Allow Effect = iota + 1
	Deny
)

func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Effect(?)"
}

// Span is a byte range of the source document.
type Span struct{ Start, End int }

// Document is a parsed policy document, element by element as written.
type Document struct {
	Version    string // "" when absent (AWS then applies 2008-10-17)
	ID         string
	Statements []Statement
	// Source is the document text the spans refer to.
	Source string
}

// Statement is one statement as written.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    *PrincipalSet // nil when absent
	NotPrincipal bool          // Principal holds the NotPrincipal element
	Action       []string
	NotAction    bool // Action holds the NotAction element
	Resource     []string
	NotResource  bool // Resource holds the NotResource element
	HasResource  bool // a Resource or NotResource element is present
	Condition    []ConditionBlock
	Span         Span
}

// PrincipalSet is a Principal or NotPrincipal element. All is set for
// `"Principal": "*"`; the lists hold the typed forms.
type PrincipalSet struct {
	All           bool
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// ConditionBlock is one operator with its keys, e.g.
// "StringEquals": {"aws:username": ["alice"]}.
type ConditionBlock struct {
	Operator string // as written, e.g. "ForAnyValue:StringLikeIfExists"
	Keys     []ConditionKey
}

// ConditionKey is one key of a condition block with its values. Values are
// the JSON strings, numbers and booleans as text.
type ConditionKey struct {
	Key    string
	Values []string
}
