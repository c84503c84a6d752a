package api

import (
	"strconv"
	"time"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/sts"
	"github.com/warden-iam/warden/policy"
)

// Caller is the authenticated principal of a request.
type Caller struct {
	Account   string
	Principal policy.Principal
	// UserName is the IAM user's name (also behind a user's session or a
	// federated user); "" for the root user and role sessions.
	UserName    string
	AccessKeyID string
	// Session is set for temporary credentials.
	Session *sts.Session
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
	// IAM compiles session policies.
	IAM *iam.Service
	// Input is the decoded input, for the audit event.
	Input    any
	ReadOnly bool
	// Decision is the authorization result, once made.
	Decision *authz.Result
	// auditFailing: the audit trail refuses events (see Dispatcher).
	auditFailing bool
}

// Authorize asks the engine whether the caller may perform action on the
// target, with the request's global condition keys and the action's own.
// It is called for every action, and again by actions that need more than
// one permission (sts:TagSession beside sts:AssumeRole).
func (c *Call) Authorize(action string, t Target, keys policy.Context) error {
	req := authz.Request{
		Principal:       c.Caller.Principal,
		Action:          action,
		Resource:        t.ARN,
		ResourceAccount: t.Account,
		Context:         keys.Clone(),
		Time:            c.Time,
	}
	if req.ResourceAccount == "" {
		req.ResourceAccount = c.Caller.Account
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
	if sess := c.Caller.Session; sess != nil {
		sessionKeys(sess, c.Time, ctx)
	}
	req.SetGlobalKeys()
	ps, err := c.policySet(t.Policy)
	if err != nil {
		return err
	}
	res := authz.Evaluate(ps, &req)
	c.Decision = &res
	if !res.Allowed() {
		return awserr.AccessDenied("%s", res.Message(&req))
	}
	return nil
}

// sessionKeys adds the condition keys AWS sets for requests made with
// temporary credentials.
func sessionKeys(sess *sts.Session, now time.Time, ctx *policy.Context) {
	ctx.SetDefault("aws:TokenIssueTime", sess.Issued.UTC().Format(time.RFC3339))
	ctx.SetDefault("aws:MultiFactorAuthPresent", strconv.FormatBool(sess.MFA))
	if sess.MFA && !sess.MFAAuthTime.IsZero() {
		ctx.SetDefault("aws:MultiFactorAuthAge", strconv.FormatInt(int64(now.Sub(sess.MFAAuthTime)/time.Second), 10))
	}
	if sess.SourceIdentity != "" {
		ctx.SetDefault("aws:SourceIdentity", sess.SourceIdentity)
	}
	if sess.Provider != "" {
		ctx.SetDefault("aws:FederatedProvider", sess.Provider)
	}
	for _, k := range sess.ProviderKeys {
		ctx.SetDefault(k.Key, k.Value)
	}
}

// policySet is what applies to the caller: its identity policies,
// boundary and session policies, with the resource's policy.
func (c *Call) policySet(resource *policy.Policy) (*authz.PolicySet, error) {
	var base *authz.PolicySet
	caller := &c.Caller
	sess := caller.Session
	switch {
	case caller.IsRoot():
		base = emptySet
	case caller.Principal.Type == policy.PrincipalAssumedRole:
		base = c.Snapshot.RolePolicySet(caller.Account, sess.RoleName)
	case caller.UserName != "":
		base = c.Snapshot.UserPolicySet(caller.Account, caller.UserName)
	default:
		base = emptySet
	}
	needSession := sess != nil && (sess.Kind == sts.KindFederatedUser || sess.Policy != "" || len(sess.PolicyARNs) > 0)
	if resource == nil && !needSession {
		return base, nil
	}
	ps := base.Policies()
	ps.Resource = resource
	if needSession {
		pols, err := c.sessionPolicies(sess)
		if err != nil {
			return nil, err
		}
		ps.Session = pols
	}
	return authz.NewPolicySet(ps), nil
}

func (c *Call) sessionPolicies(sess *sts.Session) ([]*policy.Policy, error) {
	return c.IAM.SessionPolicies(c.Snapshot, sess.Account, sess.Policy, sess.PolicyARNs)
}

var emptySet = authz.NewPolicySet(authz.Policies{})
