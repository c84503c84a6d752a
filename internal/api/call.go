package api

import (
	"strconv"
	"time"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/policy"
)

// Caller is the authenticated principal of a request.
type Caller struct {
	Account   string
	Principal policy.Principal
	// UserName is the IAM user's name; "" for the root user and sessions.
	UserName    string
	AccessKeyID string
}

// IsRoot reports whether the caller is its account's root user.
func (c *Caller) IsRoot() bool { return c.Principal.Type == policy.PrincipalAccount }

// Call is one request on its way through the dispatcher.
type Call struct {
	Caller    Caller
	RequestID string
	Time      time.Time
	SourceIP  string
	UserAgent string
	Region    string
	Secure    bool
	// Snapshot is the state this request is authorized against.
	Snapshot *iam.Snapshot
	// Input is the decoded input, for the audit event.
	Input    any
	ReadOnly bool
	// Decision is the authorization result, once made.
	Decision *authz.Result
}

// authorize asks the engine whether the caller may perform action on the
// target, with the request's global condition keys and the action's own.
func (c *Call) authorize(action string, t Target, keys policy.Context) error {
	req := authz.Request{
		Principal:       c.Caller.Principal,
		Action:          action,
		Resource:        t.ARN,
		ResourceAccount: c.Caller.Account,
		Context:         keys,
		Time:            c.Time,
	}
	ctx := &req.Context
	if c.SourceIP != "" {
		ctx.SetDefault("aws:SourceIp", c.SourceIP)
	}
	if c.UserAgent != "" {
		ctx.SetDefault("aws:UserAgent", c.UserAgent)
	}
	ctx.SetDefault("aws:SecureTransport", strconv.FormatBool(c.Secure))
	if c.Region != "" {
		ctx.SetDefault("aws:RequestedRegion", c.Region)
	}
	for _, tag := range t.Tags {
		ctx.SetDefault("aws:ResourceTag/"+tag.Key, tag.Value)
		ctx.SetDefault("iam:ResourceTag/"+tag.Key, tag.Value)
	}
	req.SetGlobalKeys()
	var ps *authz.PolicySet
	switch {
	case c.Caller.IsRoot():
		ps = emptySet
	case c.Caller.Principal.Type == policy.PrincipalUser:
		ps = c.Snapshot.UserPolicySet(c.Caller.Account, c.Caller.UserName)
	default:
		ps = emptySet
	}
	res := authz.Evaluate(ps, &req)
	c.Decision = &res
	if !res.Allowed() {
		return awserr.AccessDenied("%s", res.Message(&req))
	}
	return nil
}

var emptySet = authz.NewPolicySet(authz.Policies{})
