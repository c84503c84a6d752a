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
	c.orgKeys(req.ResourceAccount, ctx)
	req.SetGlobalKeys()
	ps, err := c.policySet(action, req.ResourceAccount, t.Policy)
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

// orgKeys adds the condition keys of the principal's and the resource's
// organizations. AWS behaviour ([AWS global condition context keys]):
// aws:PrincipalOrgID and aws:PrincipalOrgPaths are present when the
// principal's account is in an organization (its management account
// included), aws:ResourceOrgID and aws:ResourceOrgPaths when the
// resource's account is; aws:PrincipalIsAWSService and aws:ViaAWSService
// are in every signed request, false for a request that an IAM principal
// makes directly.
//
// [AWS global condition context keys]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func (c *Call) orgKeys(resourceAccount string, ctx *policy.Context) {
	// The keys are written lower-cased, as the context keeps them, and the
	// values are shared: a request allocates nothing for them.
	switch c.Caller.Principal.Type {
	case policy.PrincipalUser, policy.PrincipalAssumedRole, policy.PrincipalFederatedUser, policy.PrincipalAccount:
		ctx.SetDefault("aws:principalisawsservice", falseValue...)
		ctx.SetDefault("aws:viaawsservice", falseValue...)
		if k := c.Snapshot.OrgKeys(c.Caller.Principal.Account); k != nil {
			ctx.SetDefault("aws:principalorgid", k.ID...)
			ctx.SetDefault("aws:principalorgpaths", k.Paths...)
		}
	}
	if k := c.Snapshot.OrgKeys(resourceAccount); k != nil {
		ctx.SetDefault("aws:resourceorgid", k.ID...)
		ctx.SetDefault("aws:resourceorgpaths", k.Paths...)
	}
}

// falseValue is the shared value of the keys that are "false" in every
// request an IAM principal makes directly.
var falseValue = []string{"false"}

// policySet is what applies to the caller for action on a resource of
// resourceAccount: its identity policies, boundary and session policies,
// its account's SCPs, with the resource's policy and its account's RCPs.
// The principal's part is cached in the snapshot; only a resource policy,
// RCPs or session policies are added per request.
func (c *Call) policySet(action, resourceAccount string, resource *policy.Policy) (*authz.PolicySet, error) {
	var base *authz.PolicySet
	caller := &c.Caller
	sess := caller.Session
	serviceLinked := false
	switch {
	case caller.IsRoot():
		base = c.Snapshot.RootPolicySet(caller.Account)
	case caller.Principal.Type == policy.PrincipalAssumedRole:
		base = c.Snapshot.RolePolicySet(caller.Account, sess.RoleName)
		serviceLinked = c.Snapshot.IsServiceLinkedRole(caller.Account, sess.RoleName)
	case caller.UserName != "":
		base = c.Snapshot.UserPolicySet(caller.Account, caller.UserName)
	default:
		base = emptySet
	}
	// AWS behaviour: RCPs do not bind requests of service-linked roles.
	if !serviceLinked {
		if rcps := c.Snapshot.RCPSet(resourceAccount, action); rcps != nil {
			base = base.WithRCPs(rcps)
		}
	}
	needSession := sess != nil && (sess.Kind == sts.KindFederatedUser || sess.Policy != "" || len(sess.PolicyARNs) > 0)
	if resource == nil && !needSession {
		return base, nil
	}
	var add authz.Policies
	add.Resource = resource
	if needSession {
		pols, err := c.sessionPolicies(sess)
		if err != nil {
			return nil, err
		}
		add.Session = pols
	}
	return base.With(add), nil
}

func (c *Call) sessionPolicies(sess *sts.Session) ([]*policy.Policy, error) {
	return c.IAM.SessionPolicies(c.Snapshot, sess.Account, sess.Policy, sess.PolicyARNs)
}

var emptySet = authz.NewPolicySet(authz.Policies{})
