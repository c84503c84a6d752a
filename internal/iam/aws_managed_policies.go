package iam

import (
	"context"
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam/awspolicies"
	"github.com/warden-iam/warden/internal/store"
)

// AWS managed policies: the policies of the awspolicies catalog, under
// arn:aws:iam::aws:policy/.... Every account can read them, attach them to
// its users, groups and roles, and use them as permissions boundaries;
// attachments are stored per account like those of customer managed
// policies. No account can change them: the API authorizes those writes
// as requests on a resource of the account "aws", which grants nothing
// (see internal/api/iamapi), and the service's writes look up only the
// caller's own policies.
// [AWS managed policies]: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies

// awsManagedRecord is a catalog policy as a policy record of the account
// "aws", so that ManagedPolicy.ARN names it.
func awsManagedRecord(p awspolicies.Policy) store.Policy {
	return store.Policy{Account: awspolicies.Account, Name: p.Name, Path: p.Path, ID: p.ID,
		Description: p.Description, DefaultVersion: p.DefaultVersion, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate}
}

// awsManagedVersion is the default version of a catalog policy.
func awsManagedVersion(p awspolicies.Policy) ManagedPolicyVersion {
	return ManagedPolicyVersion{IsDefault: true, PolicyVersion: store.PolicyVersion{Account: awspolicies.Account,
		PolicyName: p.Name, VersionID: p.DefaultVersion, Document: p.Document, CreateDate: p.UpdateDate}}
}

// managedFind finds the policy an ARN names: an AWS managed policy of the
// catalog, or a customer managed policy of acct (see managedGet). Only
// the actions that read a policy or attach it use it; those that change
// a policy use managedGet, which finds only the account's own.
func managedFind(ctx context.Context, r store.Reader, acct, arn string, notFound func() error) (store.Policy, error) {
	if !awspolicies.IsAWSManaged(arn) {
		return managedGet(ctx, r, acct, arn, notFound)
	}
	if err := managedCheckARN(arn); err != nil {
		return store.Policy{}, err
	}
	p, ok := awspolicies.Get(arn)
	if !ok {
		return store.Policy{}, notFound()
	}
	return awsManagedRecord(p), nil
}

// awsManagedVersions returns the versions of an AWS managed policy. The
// catalog holds each policy's default version only.
func awsManagedVersions(arn string) ([]ManagedPolicyVersion, bool) {
	p, ok := awspolicies.Get(arn)
	if !ok {
		return nil, false
	}
	return []ManagedPolicyVersion{awsManagedVersion(p)}, true
}

// awsManagedUnder returns the records of the catalog policies whose path
// starts with prefix.
func awsManagedUnder(prefix string) []store.Policy {
	var out []store.Policy
	for _, p := range awspolicies.All() {
		if strings.HasPrefix(p.Path, prefix) {
			out = append(out, awsManagedRecord(p))
		}
	}
	return out
}

// managedListKey orders ListPolicies and is its marker: the lower-cased
// name, then the ARN, since an account's policy may share its name with
// an AWS managed one.
func managedListKey(p store.Policy) string {
	return strings.ToLower(p.Name) + " " + PolicyARN(p.Account, p.Path, p.Name)
}

// accountAWSManaged returns the GetAccountAuthorizationDetails items of
// the AWS managed policies an account uses. AWS lists those attached to
// one of the account's users, groups or roles; Warden lists those used
// as a permissions boundary too, since they also decide the account's
// requests. Their marker key is "policy/NAME/aws", after an account's
// policy of the same name.
func accountAWSManaged(attachCount, boundaryUses map[string]int) []accountItem {
	var items []accountItem
	for _, p := range awspolicies.All() {
		arn := p.ARN()
		if attachCount[arn] == 0 && boundaryUses[arn] == 0 {
			continue
		}
		d := AccountPolicyDetail{
			Policy:   ManagedPolicy{Policy: awsManagedRecord(p), AttachmentCount: attachCount[arn], BoundaryUsageCount: boundaryUses[arn]},
			Versions: []ManagedPolicyVersion{awsManagedVersion(p)},
		}
		items = append(items, accountItem{key: "policy/" + strings.ToLower(p.Name) + "/aws",
			add: func(o *AccountAuthorizationDetails) { o.Policies = append(o.Policies, d) }})
	}
	return items
}

// awsManagedCheckAttach refuses to attach a service-linked role policy to
// anything but a service-linked role. AWS behaviour: "Cannot attach a
// Service Role Policy to a Customer Role." (PolicyNotAttachable, recorded
// in aws/aws-cdk#6131). AWS documents no wording for users and groups;
// Warden gives them the same error.
func awsManagedCheckAttach(ctx context.Context, r store.Reader, acct string, kind store.EntityKind, owner string, p store.Policy) error {
	if p.Account != awspolicies.Account || p.Path != awspolicies.ServiceLinkedPath {
		return nil
	}
	if kind == store.KindRole {
		ro, err := r.GetRole(ctx, acct, owner)
		if err != nil {
			return err
		}
		if isServiceLinked(ro) {
			return nil
		}
	}
	return awserr.PolicyNotAttachable("Cannot attach a Service Role Policy to a Customer Role.")
}

// serviceRolePolicies are the service-linked role policies of the catalog,
// by the service principal whose service-linked role AWS attaches them to.
var serviceRolePolicies = map[string]string{
	"organizations.amazonaws.com":                    awspolicies.ARNPrefix + "aws-service-role/AWSOrganizationsServiceTrustPolicy",
	"dynamodb.application-autoscaling.amazonaws.com": awspolicies.ARNPrefix + "aws-service-role/AWSApplicationAutoscalingDynamoDBTablePolicy",
}

// attachServiceRolePolicy attaches a new service-linked role's policy,
// when the catalog holds it.
func attachServiceRolePolicy(ctx context.Context, tx store.Tx, r store.Role, service string) error {
	arn, ok := serviceRolePolicies[service]
	if !ok {
		return nil
	}
	if _, ok := awspolicies.Get(arn); !ok {
		return nil
	}
	return tx.Attach(ctx, store.Attachment{Account: r.Account, OwnerKind: store.KindRole, OwnerName: r.Name, PolicyARN: arn})
}
