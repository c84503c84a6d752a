package iam

import (
	"strings"
	"sync"

	"github.com/warden-iam/warden/policy"
)

// RootTaskPolicyPrefix is where the AWS managed root task policies live:
// the session policies of sts:AssumeRoot sessions.
const RootTaskPolicyPrefix = "arn:aws:iam::aws:policy/root-task/"

// rootTaskActions are the actions each root task policy allows, as AWS
// documents the task ([Perform a privileged task on a member account]):
// auditing the root user's credentials reads them; deleting them also
// deletes each kind; creating a password adds a login profile. The S3 and
// SQS tasks name actions of services Warden does not serve, so a session
// for them can do nothing here. Warden writes the documents from the task
// descriptions (every statement on "*": the session is confined to its
// own account's root user anyway); AWS does not publish them in its API.
//
// [Perform a privileged task on a member account]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html
var rootTaskActions = map[string][]string{
	"IAMAuditRootUserCredentials": {"iam:GetAccessKeyLastUsed", "iam:GetLoginProfile", "iam:GetUser",
		"iam:ListAccessKeys", "iam:ListMFADevices", "iam:ListSigningCertificates"},
	"IAMCreateRootUserPassword": {"iam:CreateLoginProfile", "iam:GetLoginProfile"},
	"IAMDeleteRootUserCredentials": {"iam:DeactivateMFADevice", "iam:DeleteAccessKey", "iam:DeleteLoginProfile",
		"iam:DeleteSigningCertificate", "iam:DeleteVirtualMFADevice", "iam:GetAccessKeyLastUsed", "iam:GetLoginProfile",
		"iam:GetUser", "iam:ListAccessKeys", "iam:ListMFADevices", "iam:ListSigningCertificates"},
	"S3UnlockBucketPolicy": {"s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy"},
	"SQSUnlockQueuePolicy": {"sqs:GetQueueAttributes", "sqs:ListQueues", "sqs:SetQueueAttributes"},
}

var rootTaskPolicies = sync.OnceValue(func() map[string]*policy.Policy {
	out := make(map[string]*policy.Policy, len(rootTaskActions))
	for name, actions := range rootTaskActions {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["` + strings.Join(actions, `","`) + `"],"Resource":"*"}]}`
		p, err := policy.Parse(doc, policy.Session)
		if err != nil {
			panic("root task policy " + name + ": " + err.Error())
		}
		p.ID = RootTaskPolicyPrefix + name
		out[p.ID] = p
	}
	return out
})

// RootTaskPolicy returns the root task policy arn names, compiled, or nil.
func RootTaskPolicy(arn string) *policy.Policy { return rootTaskPolicies()[arn] }
