package policy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/warden-iam/warden/arn"
)

// PrincipalType is the kind of principal making a request, as the
// aws:PrincipalType condition key reports it.
type PrincipalType uint8

// The principal types.
const (
	// PrincipalAnonymous is an unauthenticated caller ("*").
	PrincipalAnonymous PrincipalType = iota + 1
	// PrincipalAccount is an account's root user.
	PrincipalAccount
	// PrincipalUser is an IAM user.
	PrincipalUser
	// PrincipalAssumedRole is a role session (AssumeRole*).
	PrincipalAssumedRole
	// PrincipalFederatedUser is a GetFederationToken session.
	PrincipalFederatedUser
	// PrincipalService is an AWS service acting as a service principal.
	PrincipalService
	// PrincipalWebIdentity is an identity from an OIDC or SAML provider
	// asking to assume a role; ARN holds the provider.
	PrincipalWebIdentity
)

// String returns the value of aws:PrincipalType for the type.
func (t PrincipalType) String() string {
	switch t {
	case PrincipalAnonymous:
		return "Anonymous"
	case PrincipalAccount:
		return "Account"
	case PrincipalUser:
		return "User"
	case PrincipalAssumedRole:
		return "AssumedRole"
	case PrincipalFederatedUser:
		return "FederatedUser"
	case PrincipalService:
		return "Service"
	case PrincipalWebIdentity:
		return "WebIdentityUser"
	}
	return "Unknown"
}

// Principal is who makes a request.
type Principal struct {
	Type PrincipalType
	// ARN is the caller's ARN: a user ARN (with path), an assumed-role
	// session ARN, a federated-user ARN or the account root ARN. For a
	// service it is the service principal (s3.amazonaws.com); for a web
	// identity, the identity provider (its ARN, or a name such as
	// cognito-identity.amazonaws.com); empty for an anonymous caller.
	ARN string
	// Account is the caller's account id.
	Account string
	// RoleARN is, for a role session, the role's ARN (arn:...:iam::ACCOUNT:role/PATH/NAME).
	RoleARN string
	// UserARN is, for a federated-user session, the ARN of the IAM user who
	// called GetFederationToken.
	UserARN string
	// UserID is the value of aws:userid: AIDA… for a user, AROA…:SESSION
	// for a role session, the account id for the root user.
	UserID string
	// Tags are the principal's tags (and session tags), which conditions
	// read as aws:PrincipalTag/KEY.
	Tags map[string]string
}

// ParsePrincipal reads a principal as `warden policy simulate` takes it: a
// user, role-session, federated-user or account-root ARN, a 12-digit
// account id (the root user), a service principal such as
// s3.amazonaws.com, or "*" for an anonymous caller.
func ParsePrincipal(s string) (Principal, error) {
	switch {
	case s == "*" || s == "":
		return Principal{Type: PrincipalAnonymous}, nil
	case arn.IsAccountID(s):
		return Principal{Type: PrincipalAccount, Account: s, ARN: "arn:aws:iam::" + s + ":root"}, nil
	case !strings.HasPrefix(s, "arn:"):
		if strings.Contains(s, ".") && !strings.ContainsAny(s, " /:") {
			return Principal{Type: PrincipalService, ARN: s}, nil
		}
		return Principal{}, fmt.Errorf("principal %q is not an ARN, an account id, a service principal or \"*\"", s)
	}
	a, err := arn.Parse(s)
	if err != nil {
		return Principal{}, err
	}
	if !arn.IsAccountID(a.Account) {
		return Principal{}, fmt.Errorf("principal %q has no 12-digit account id", s)
	}
	p := Principal{ARN: s, Account: a.Account}
	switch {
	case a.Service == "iam" && a.Resource == "root":
		p.Type = PrincipalAccount
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "user/"):
		p.Type = PrincipalUser
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		parts := strings.Split(a.Resource, "/")
		if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
			return Principal{}, fmt.Errorf("principal %q: an assumed-role ARN is arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION", s)
		}
		p.Type = PrincipalAssumedRole
		p.RoleARN = "arn:" + a.Partition + ":iam::" + a.Account + ":role/" + parts[1]
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "federated-user/"):
		p.Type = PrincipalFederatedUser
	case a.Service == "iam" && (strings.HasPrefix(a.Resource, "oidc-provider/") || strings.HasPrefix(a.Resource, "saml-provider/")):
		p.Type = PrincipalWebIdentity
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "role/"):
		return Principal{}, fmt.Errorf("principal %q is a role: a role acts through its sessions, give arn:%s:sts::%s:assumed-role/ROLE/SESSION", s, a.Partition, a.Account)
	default:
		return Principal{}, fmt.Errorf("principal %q is not a user, role session, federated user or account root", s)
	}
	return p, nil
}

// sessionRoleName returns the role name of a role session's ARN.
func (p *Principal) sessionRoleName() string {
	_, rest, _ := strings.Cut(p.ARN, ":assumed-role/")
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// Context holds a request's condition keys and their values. Key names are
// case-insensitive; a key may have several values (a multivalued key such
// as aws:TagKeys). The zero Context is empty and ready to use.
type Context struct {
	m map[string][]string
}

// NewContext returns a Context holding the keys of m.
func NewContext(m map[string][]string) Context {
	var c Context
	for k, v := range m {
		c.Set(k, v...)
	}
	return c
}

// Set replaces the values of key.
func (c *Context) Set(key string, values ...string) {
	if c.m == nil {
		c.m = make(map[string][]string)
	}
	c.m[strings.ToLower(key)] = values
}

// SetDefault sets key only when the context has no value for it.
func (c *Context) SetDefault(key string, values ...string) {
	if _, ok := c.Get(key); !ok {
		c.Set(key, values...)
	}
}

// Get returns the values of key and whether it is present.
func (c Context) Get(key string) ([]string, bool) {
	v, ok := c.m[strings.ToLower(key)]
	return v, ok
}

// Keys returns the (lower-cased) keys, sorted.
func (c Context) Keys() []string {
	keys := make([]string, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Clone returns a copy that Set on either does not affect the other.
func (c Context) Clone() Context {
	var d Context
	for k, v := range c.m {
		if d.m == nil {
			d.m = make(map[string][]string, len(c.m))
		}
		d.m[k] = v
	}
	return d
}

// Request is one request to decide: who asks to do what to which resource,
// with which condition keys.
type Request struct {
	Principal Principal
	// Action is service:action, e.g. s3:GetObject; case does not matter.
	Action string
	// Resource is the resource's ARN, or "*" for actions that do not act on
	// a particular resource.
	Resource string
	// ResourceAccount is the account that owns the resource; empty means
	// the principal's own account.
	ResourceAccount string
	// Context holds the condition keys. Evaluation reads only these; call
	// [Request.SetGlobalKeys] to add the keys AWS derives from the
	// principal, the resource and the time.
	Context Context
	// Time is when the request is made; it gives aws:CurrentTime and
	// aws:EpochTime.
	Time time.Time
}

// SetGlobalKeys adds to the context the global condition keys AWS sets for
// every request, unless the context already has them: aws:PrincipalArn,
// aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username (IAM
// users only), aws:PrincipalTag/KEY, aws:ResourceAccount, aws:CurrentTime
// and aws:EpochTime. AWS behaviour: for a role session aws:PrincipalArn is
// the role's ARN, not the session's.
//
// [AWS global condition context keys]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func (r *Request) SetGlobalKeys() {
	p := &r.Principal
	c := &r.Context
	switch p.Type {
	case PrincipalAnonymous:
		c.SetDefault("aws:PrincipalType", p.Type.String())
	case PrincipalService, PrincipalWebIdentity:
	default:
		principalARN := p.ARN
		if p.Type == PrincipalAssumedRole && p.RoleARN != "" {
			principalARN = p.RoleARN
		}
		c.SetDefault("aws:PrincipalArn", principalARN)
		c.SetDefault("aws:PrincipalAccount", p.Account)
		c.SetDefault("aws:PrincipalType", p.Type.String())
		userID := p.UserID
		if userID == "" && p.Type == PrincipalAccount {
			userID = p.Account
		}
		if userID != "" {
			c.SetDefault("aws:userid", userID)
		}
		if p.Type == PrincipalUser {
			c.SetDefault("aws:username", p.ARN[strings.LastIndexByte(p.ARN, '/')+1:])
		}
		for k, v := range p.Tags {
			c.SetDefault("aws:PrincipalTag/"+k, v)
		}
	}
	acct := r.ResourceAccount
	if acct == "" {
		if a, err := arn.Parse(r.Resource); err == nil && a.Account != "" {
			acct = a.Account
		} else {
			acct = p.Account
		}
	}
	if acct != "" {
		c.SetDefault("aws:ResourceAccount", acct)
	}
	if !r.Time.IsZero() {
		c.SetDefault("aws:CurrentTime", r.Time.UTC().Format(time.RFC3339))
		c.SetDefault("aws:EpochTime", strconv.FormatInt(r.Time.Unix(), 10))
	}
}

// Prepared is a request prepared for matching against many statements.
// Build it with [Prepare].
type Prepared struct {
	req      *Request
	resource string
	// hasBoundary: the principal has a permissions boundary, which makes
	// every Deny with NotPrincipal apply to it (AWS behaviour).
	hasBoundary bool
	// missing, when set, collects keys that conditions looked up and did
	// not find, for the diagnostic.
	missing *[]string
}

func (r *Prepared) lookup(key string) ([]string, bool) {
	v, ok := r.req.Context.m[key]
	if !ok && r.missing != nil {
		*r.missing = appendUnique(*r.missing, key)
	}
	return v, ok
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Prepare readies req for matching. hasBoundary tells whether the
// principal has a permissions boundary. If missing is not nil, condition
// keys that statements look up and do not find are added to it.
func Prepare(req *Request, hasBoundary bool, missing *[]string) Prepared {
	return Prepared{req: req, resource: req.Resource, hasBoundary: hasBoundary, missing: missing}
}

// Request returns the request being matched.
func (r *Prepared) Request() *Request { return r.req }
