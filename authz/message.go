package authz

import (
	"strings"

	"github.com/warden-iam/warden/policy"
)

// Reason returns the reason AWS gives for a denial, such as "with an
// explicit deny in a service control policy" or "because no
// identity-based policy allows the s3:GetObject action". It is empty for an
// allow.
//
// AWS behaviour ([Troubleshoot access denied error messages]): an explicit
// deny in the same account names the denying policy's ARN after a colon;
// the role trust policy is "the role trust policy".
//
// [Troubleshoot access denied error messages]: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
func (r Result) Reason(action string) string {
	what, article := r.Kind.String(), "a "
	switch {
	case r.Kind == KindResource && r.trust:
		what, article = "role trust policy", "the "
	case r.Kind == KindIdentity:
		article = "an "
	}
	switch r.Decision {
	case ExplicitlyDenied:
		s := "with an explicit deny in " + article + what
		if !r.crossAccount && r.Policy != nil && strings.HasPrefix(r.Policy.ID, "arn:") && r.Kind != KindResource {
			s += ": " + r.Policy.ID
		}
		return s
	case ImplicitlyDenied:
		if r.Kind == 0 {
			return ""
		}
		return "because no " + what + " allows the " + action + " action"
	}
	return ""
}

// Message returns AWS's AccessDenied message for a denied request:
// "User: ARN is not authorized to perform: ACTION on resource: RESOURCE
// REASON". It is empty for an allow.
func (r Result) Message(req *Request) string {
	if r.Decision == Allowed {
		return ""
	}
	who := req.Principal.ARN
	if req.Principal.Type == policy.PrincipalAnonymous || who == "" {
		who = "anonymous"
	}
	var b strings.Builder
	b.WriteString("User: ")
	b.WriteString(who)
	b.WriteString(" is not authorized to perform: ")
	b.WriteString(req.Action)
	// AWS behaviour: an action on no particular resource ("*") names none.
	if req.Resource != "" && req.Resource != "*" {
		b.WriteString(" on resource: ")
		b.WriteString(req.Resource)
	}
	if reason := r.Reason(req.Action); reason != "" {
		b.WriteString(" ")
		b.WriteString(reason)
	}
	return b.String()
}
