package iamapi

import (
	"context"
	"net/url"
	"strings"

	"github.com/warden-iam/warden/arn"
	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/policy"
)

// Actions returns the IAM action table.
func Actions(s *iam.Service) []api.Handler {
	var all []api.Handler
	for _, area := range [][]api.Handler{
		userActions(s),
		accessKeyActions(s),
		groupActions(s),
		roleActions(s),
		managedPolicyActions(s),
		inlinePolicyActions(s),
		oidcProviderActions(s),
		samlProviderActions(s),
		mfaActions(s),
		instanceProfileActions(s),
		accountAliasActions(s),
		orgFeatureActions(s),
		serviceLinkedRoleActions(s),
		simulatorActions(s),
		accountActions(s),
		accountSettingActions(s),
		delegationActions(s),
		serverCertificateActions(s),
		userCredentialActions(s),
		lastAccessedActions(s),
		loginActions(s),
		signingCertificateActions(s),
		credentialReportActions(s),
		orgAccessReportActions(s),
	} {
		all = append(all, area...)
	}
	return all
}

// encodeDocument URL-encodes a policy document as IAM returns documents
// (RFC 3986 percent-encoding; a space is %20).
func encodeDocument(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

// targetOf finds the resource of an action on the entity id names (a
// name, an ARN or a serial number). It reads only the snapshot, or the
// service for what the snapshot does not hold.
type targetOf func(ctx context.Context, c *api.Call, id string) api.Target

// snapshotTarget adapts a target that needs only the call's snapshot.
func snapshotTarget(t func(c *api.Call, id string) api.Target) targetOf {
	return func(_ context.Context, c *api.Call, id string) api.Target { return t(c, id) }
}

var (
	userByName    = snapshotTarget(userTarget)
	groupByName   = snapshotTarget(groupTarget)
	roleByName    = snapshotTarget(roleTarget)
	roleARNByName = snapshotTarget(roleARNTarget)
)

// byARN is the ARN the caller named, without tags: the resource of actions
// on managed policies and SAML providers. Their tags are not in the
// snapshot, so conditions on iam:ResourceTag of them see none.
//
// An ARN of another account names that account's resource, and IAM has
// no resource-based policies: AWS denies the request as cross-account
// ("... because no resource-based policy allows the iam:X action")
// whatever the caller's own policies say, rather than telling whether
// the entity exists.
func byARN(_ context.Context, c *api.Call, s string) api.Target {
	t := api.Target{ARN: s}
	if a, err := arn.Parse(s); err == nil && a.Account != c.Caller.Account && arn.IsAccountID(a.Account) {
		t.Account = a.Account
	}
	return t
}

// named is the Resource of the actions whose input names an entity:
// target of id(in).
func named[In any](target targetOf, id func(*In) string) func(context.Context, *api.Call, *In) (api.Target, error) {
	return func(ctx context.Context, c *api.Call, in *In) (api.Target, error) {
		return target(ctx, c, id(in)), nil
	}
}

// authorizeRename asks for action on the entity's new ARN too when an
// Update* call moves it to a new name or path: AWS requires permission on
// both the source and the target of a rename ("to change Managers to
// MGRs, the requester must have permission on both"). The source was
// authorized as the action's Resource.
func authorizeRename(c *api.Call, action, kind string, source api.Target, newPath, newName *string) error {
	if newPath == nil && newName == nil {
		return nil
	}
	p, err := arn.Parse(source.ARN)
	if err != nil {
		return err
	}
	// The resource is KIND/PATH.../NAME: the path is what lies between.
	rest := strings.TrimPrefix(p.Resource, kind)
	path, name := rest[:strings.LastIndexByte(rest, '/')+1], rest[strings.LastIndexByte(rest, '/')+1:]
	if newPath != nil {
		path = *newPath
	}
	if newName != nil {
		name = *newName
	}
	target := "arn:aws:iam::" + p.Account + ":" + kind + path + name
	if target == source.ARN {
		return nil
	}
	return c.Authorize(action, api.Target{ARN: target}, policy.Context{})
}
