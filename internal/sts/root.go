package sts

import (
	"context"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam"
)

// AssumeRoot bounds. AWS behaviour ([AssumeRoot]): 0 to 900 seconds, 900 by
// default.
//
// [AssumeRoot]: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html
const (
	rootMaxTaskDuration     = 900
	rootDefaultTaskDuration = 900
	// rootTaskPolicyPrefix is where the AWS managed task policies live.
	rootTaskPolicyPrefix = iam.RootTaskPolicyPrefix
)

// rootTaskPolicies are the task policies AWS accepts.
var rootTaskPolicies = map[string]bool{
	"IAMAuditRootUserCredentials":  true,
	"IAMCreateRootUserPassword":    true,
	"IAMDeleteRootUserCredentials": true,
	"S3UnlockBucketPolicy":         true,
	"SQSUnlockQueuePolicy":         true,
}

// RootInput is what AssumeRoot asks for.
type RootInput struct {
	// TargetPrincipal is the member account's id or root ARN.
	TargetPrincipal string
	TaskPolicyARN   string
	DurationSeconds *int
}

// RootTarget returns the account a TargetPrincipal names: a 12-digit
// account id, or arn:aws:iam::ACCOUNT:root.
func RootTarget(principal string) (string, bool) {
	acct := principal
	if rest, ok := strings.CutPrefix(principal, "arn:aws:iam::"); ok {
		acct, ok = strings.CutSuffix(rest, ":root")
		if !ok {
			return "", false
		}
	}
	if len(acct) != 12 || strings.Trim(acct, "0123456789") != "" {
		return "", false
	}
	return acct, true
}

// RootTaskPolicy checks that arn names one of AWS's root task policies.
func RootTaskPolicy(arn string) error {
	if name, ok := strings.CutPrefix(arn, rootTaskPolicyPrefix); !ok || !rootTaskPolicies[name] {
		return awserr.ValidationError("The TaskPolicyArn %s is not a valid root task policy.", arn)
	}
	return nil
}

// RootARN is the ARN of an account's root user, the resource of
// sts:AssumeRoot.
func RootARN(acct string) string { return "arn:aws:iam::" + acct + ":root" }

// AssumeRoot issues a short privileged session of a member account's root
// user, limited to one task policy. On AWS the caller must be in the
// management account (or the delegated administrator for IAM) of an
// organization that enabled centralized root access ("root sessions"), and
// the target a member account of it. Authorization (sts:AssumeRoot on the
// target's root ARN) happened before.
//
// In a self-hosted deployment this is how an operator who manages many
// Warden accounts fixes a member account without holding its root
// credentials.
func (s *Service) AssumeRoot(ctx context.Context, c Caller, callerARN string, in RootInput) (Credentials, *Session, error) {
	target, ok := RootTarget(in.TargetPrincipal)
	if !ok {
		return Credentials{}, nil, awserr.ValidationError("The TargetPrincipal %s is not a valid account id or root user ARN.", in.TargetPrincipal)
	}
	if err := RootTaskPolicy(in.TaskPolicyARN); err != nil {
		return Credentials{}, nil, err
	}
	d := rootDefaultTaskDuration
	if in.DurationSeconds != nil {
		d = *in.DurationSeconds
		if d < 0 || d > rootMaxTaskDuration {
			return Credentials{}, nil, awserr.ValidationError("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to %d", d, rootMaxTaskDuration)
		}
	}
	if c.Root {
		// AWS behaviour: root user credentials cannot call AssumeRoot.
		return Credentials{}, nil, awserr.AccessDenied("User: %s is not authorized to perform: sts:AssumeRoot on resource: %s", callerARN, RootARN(target))
	}
	if err := s.rootOrganizationCheck(ctx, c, callerARN, target); err != nil {
		return Credentials{}, nil, err
	}
	// The session acts as the member account's root user, and only within
	// the task policy, carried as its (managed) session policy.
	sess := &Session{Kind: KindRoot, Account: target, PolicyARNs: []string{in.TaskPolicyARN}}
	return s.issue(sess, time.Duration(d)*time.Second), sess, nil
}

// rootOrganizationCheck refuses AssumeRoot unless the caller's account
// manages an organization that target is a member of, which gives IAM
// trusted access and has root sessions enabled
// (EnableOrganizationsRootSessions). Warden has no delegated
// administrator for IAM: only the management account passes.
//
// AWS behaviour: the model lists no dedicated error for this; the refusal
// is an AccessDenied naming the action and the target's root user, and the
// reason Warden adds is its own wording (AWS's exact text is not
// published).
func (s *Service) rootOrganizationCheck(ctx context.Context, c Caller, callerARN, target string) error {
	ok, err := s.iam.RootSessionAllowed(ctx, c.Account, target)
	if err != nil {
		return err
	}
	if !ok {
		return awserr.AccessDenied("User: %s is not authorized to perform: sts:AssumeRoot on resource: %s because centralized root access (root sessions) is not enabled for an organization that manages the account", callerARN, RootARN(target))
	}
	return nil
}

// Privileged reports whether the session is a root session from
// AssumeRoot: a root user's session with a task policy, which the task
// policy alone limits.
func (s *Session) Privileged() bool { return s.Kind == KindRoot && len(s.PolicyARNs) > 0 }
