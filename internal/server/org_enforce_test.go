package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/stretchr/testify/require"

	wiam "github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/server/servertest"
	"github.com/warden-iam/warden/internal/store"
)

// The organization of these tests: the test server's account manages it;
// memberA sits in ouDev, memberB directly under the root; outsider is in
// no organization.
const (
	orgID     = "o-a1b2c3d4e5"
	orgRoot   = "r-ab12"
	ouDev     = "ou-ab12-11111111"
	memberA   = "111111111111"
	memberB   = "222222222222"
	outsider  = "333333333333"
	adminDoc  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	orgMgmt   = servertest.AccountID
	denyUsers = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}`
)

// orgTestEnv is a running server with an organization.
type orgTestEnv struct {
	srv *servertest.Server
	svc *wiam.Service
}

// orgSetup makes the organization with SCPs and RCPs enabled and their
// AWS-managed full-access policies attached everywhere, as AWS does.
func orgSetup(t testing.TB) *orgTestEnv {
	t.Helper()
	srv := servertest.Start(t)
	env := &orgTestEnv{srv: srv, svc: srv.Server.IAM()}
	ctx := context.Background()
	require.NoError(t, env.svc.UpdateStore(ctx, func(tx store.Tx) error {
		for _, acct := range []string{memberA, memberB} {
			if err := env.svc.CreateMemberAccount(ctx, tx, acct, orgMgmt, "OrganizationAccountAccessRole"); err != nil {
				return err
			}
		}
		if err := tx.CreateAccount(ctx, store.Account{ID: outsider}); err != nil {
			return err
		}
		if err := tx.CreateOrganization(ctx, store.Organization{ID: orgID, ManagementAccount: orgMgmt, FeatureSet: "ALL"}); err != nil {
			return err
		}
		if err := tx.CreateOrgUnit(ctx, store.OrgUnit{Org: orgID, ID: orgRoot, Name: "Root",
			PolicyTypes: []string{wiam.PolicyTypeSCP, wiam.PolicyTypeRCP}}); err != nil {
			return err
		}
		if err := tx.CreateOrgUnit(ctx, store.OrgUnit{Org: orgID, ID: ouDev, ParentID: orgRoot, Name: "dev"}); err != nil {
			return err
		}
		members := map[string]string{orgMgmt: orgRoot, memberA: ouDev, memberB: orgRoot}
		for acct, parent := range members {
			if err := tx.CreateOrgAccount(ctx, store.OrgAccount{Org: orgID, Account: acct, ParentID: parent}); err != nil {
				return err
			}
		}
		for _, target := range []string{orgRoot, ouDev, orgMgmt, memberA, memberB} {
			for _, p := range []string{wiam.FullAWSAccess.ID, wiam.RCPFullAWSAccess.ID} {
				if err := tx.AttachOrgPolicy(ctx, store.OrgAttachment{Org: orgID, PolicyID: p, TargetID: target}); err != nil {
					return err
				}
			}
		}
		return nil
	}))
	return env
}

// policy creates an organization policy.
func (env *orgTestEnv) policy(t testing.TB, id, typ, content string) {
	t.Helper()
	require.NoError(t, env.svc.UpdateStore(context.Background(), func(tx store.Tx) error {
		return tx.CreateOrgPolicy(context.Background(), store.OrgPolicy{Org: orgID, ID: id, Name: id, Type: typ, Content: content})
	}))
}

func (env *orgTestEnv) attach(t testing.TB, id, target string) {
	t.Helper()
	require.NoError(t, env.svc.UpdateStore(context.Background(), func(tx store.Tx) error {
		return tx.AttachOrgPolicy(context.Background(), store.OrgAttachment{Org: orgID, PolicyID: id, TargetID: target})
	}))
}

func (env *orgTestEnv) detach(t testing.TB, id, target string) {
	t.Helper()
	require.NoError(t, env.svc.UpdateStore(context.Background(), func(tx store.Tx) error {
		return tx.DetachOrgPolicy(context.Background(), store.OrgAttachment{Org: orgID, PolicyID: id, TargetID: target})
	}))
}

// user makes a user of acct with an inline policy and returns its keys.
func (env *orgTestEnv) user(t testing.TB, acct, name, doc string) aws.Config {
	t.Helper()
	ctx := context.Background()
	_, err := env.svc.CreateUser(ctx, acct, wiam.CreateUserInput{UserName: name})
	require.NoError(t, err)
	require.NoError(t, env.svc.PutUserPolicy(ctx, acct, wiam.PutUserPolicyInput{UserName: name, PolicyName: "p", PolicyDocument: doc}))
	k, err := env.svc.CreateAccessKey(ctx, acct, name)
	require.NoError(t, err)
	return env.srv.Config(k.ID, k.Secret)
}

// role makes a role of acct with a trust policy and an inline policy.
func (env *orgTestEnv) role(t testing.TB, acct, name, trust, doc string) string {
	t.Helper()
	ctx := context.Background()
	r, err := env.svc.CreateRole(ctx, acct, wiam.CreateRoleInput{RoleName: name, AssumeRolePolicyDocument: trust})
	require.NoError(t, err)
	require.NoError(t, env.svc.PutRolePolicy(ctx, acct, wiam.PutRolePolicyInput{RoleName: name, PolicyName: "p", PolicyDocument: doc}))
	return wiam.RoleARN(acct, r.Path, r.Name)
}

func scpARN(id string) string {
	return "arn:aws:organizations::" + orgMgmt + ":policy/" + orgID + "/service_control_policy/" + id
}

// TestSCPDenyBindsMemberAdmin: an SCP deny on the member account's OU
// stops its administrator with AWS's message naming the SCP; detached,
// the same call succeeds. The management account is not bound.
func TestSCPDenyBindsMemberAdmin(t *testing.T) {
	env := orgSetup(t)
	ctx := context.Background()
	admin := iam.NewFromConfig(env.user(t, memberA, "admin", adminDoc))
	mgmtAdmin := iam.NewFromConfig(env.user(t, orgMgmt, "admin", adminDoc))

	_, err := admin.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)

	env.policy(t, "p-denyusers1", wiam.PolicyTypeSCP, denyUsers)
	env.attach(t, "p-denyusers1", ouDev)
	_, err = admin.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::"+memberA+":user/admin is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::"+memberA+":user/ with an explicit deny in a service control policy: "+scpARN("p-denyusers1"))
	// Other actions are still allowed by FullAWSAccess at every level.
	_, err = admin.ListRoles(ctx, &iam.ListRolesInput{})
	require.NoError(t, err)

	// The simulator weighs the account's SCPs and reports them.
	sim, err := admin.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::" + memberA + ":user/admin"), ActionNames: []string{"iam:ListUsers", "iam:ListRoles"}})
	require.NoError(t, err)
	require.Len(t, sim.EvaluationResults, 2)
	require.Equal(t, "explicitDeny", string(sim.EvaluationResults[0].EvalDecision))
	require.False(t, sim.EvaluationResults[0].OrganizationsDecisionDetail.AllowedByOrganizations)
	require.Equal(t, "allowed", string(sim.EvaluationResults[1].EvalDecision))
	require.True(t, sim.EvaluationResults[1].OrganizationsDecisionDetail.AllowedByOrganizations)

	// SCPs do not bind the management account, even when attached to it.
	env.attach(t, "p-denyusers1", orgMgmt)
	_, err = mgmtAdmin.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)

	env.detach(t, "p-denyusers1", ouDev)
	_, err = admin.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
}

// TestSCPAllowList: with FullAWSAccess detached from an OU, only what an
// SCP there lists is allowed to its accounts, whatever their IAM policies
// grant; the accounts elsewhere are not affected.
func TestSCPAllowList(t *testing.T) {
	env := orgSetup(t)
	ctx := context.Background()
	a := iam.NewFromConfig(env.user(t, memberA, "admin", adminDoc))
	b := iam.NewFromConfig(env.user(t, memberB, "admin", adminDoc))

	env.policy(t, "p-readusers1", wiam.PolicyTypeSCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","iam:GetUser"],"Resource":"*"}]}`)
	env.attach(t, "p-readusers1", ouDev)
	env.detach(t, wiam.FullAWSAccess.ID, ouDev)

	_, err := a.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	_, err = a.ListRoles(ctx, &iam.ListRolesInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::"+memberA+":user/admin is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::"+memberA+":role/ because no service control policy allows the iam:ListRoles action")
	_, err = a.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "")

	_, err = b.ListRoles(ctx, &iam.ListRolesInput{})
	require.NoError(t, err)

	// A level with nothing attached allows nothing: the account's own
	// FullAWSAccess does not make up for the OU.
	env.detach(t, "p-readusers1", ouDev)
	_, err = a.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::"+memberA+":user/admin is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::"+memberA+":user/ because no service control policy allows the iam:ListUsers action")
}

// TestSCPBindsRoleSessions: a member account's role session is bound by
// the SCPs of its account, and GetCallerIdentity never is.
func TestSCPBindsRoleSessions(t *testing.T) {
	env := orgSetup(t)
	ctx := context.Background()
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}`, memberA)
	roleARN := env.role(t, memberA, "ops", trust, adminDoc)
	u := sts.NewFromConfig(env.user(t, memberA, "dev", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`))
	out, err := u.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1")})
	require.NoError(t, err)
	c := out.Credentials
	sessCfg := env.srv.Config(*c.AccessKeyId, *c.SecretAccessKey)
	sessCfg.Credentials = staticSession(c)
	sess := iam.NewFromConfig(sessCfg)
	_, err = sess.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)

	env.policy(t, "p-denyusers1", wiam.PolicyTypeSCP, denyUsers)
	env.attach(t, "p-denyusers1", orgRoot)
	_, err = sess.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:sts::"+memberA+":assumed-role/ops/s1 is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::"+memberA+":user/ with an explicit deny in a service control policy: "+scpARN("p-denyusers1"))
	_, err = sts.NewFromConfig(sessCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
}

const assumeAny = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`

func trustAccounts(accts ...string) string {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[`
	for i, a := range accts {
		if i > 0 {
			doc += ","
		}
		doc += `"arn:aws:iam::` + a + `:root"`
	}
	return doc + `]},"Action":"sts:AssumeRole"}]}`
}

// TestRCPIdentityPerimeter: an RCP on a member account denying
// sts:AssumeRole to principals outside the organization stops an outside
// account that the role trusts, not a member account; cross-account
// AssumeRole within the organization works; the management account's
// roles are not bound.
func TestRCPIdentityPerimeter(t *testing.T) {
	env := orgSetup(t)
	ctx := context.Background()
	sharedARN := env.role(t, memberA, "shared", trustAccounts(memberB, outsider), adminDoc)
	mgmtARN := env.role(t, orgMgmt, "shared", trustAccounts(outsider), adminDoc)
	inside := sts.NewFromConfig(env.user(t, memberB, "dev", assumeAny))
	outside := sts.NewFromConfig(env.user(t, outsider, "dev", assumeAny))
	assume := func(c *sts.Client, role string) error {
		_, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("s1")})
		return err
	}
	require.NoError(t, assume(inside, sharedARN))
	require.NoError(t, assume(outside, sharedARN))

	env.policy(t, "p-perimeter1", wiam.PolicyTypeRCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Resource":"*",
		"Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"`+orgID+`"},"Bool":{"aws:PrincipalIsAWSService":"false"}}}]}`)
	env.attach(t, "p-perimeter1", memberA)
	env.attach(t, "p-perimeter1", orgMgmt)

	requireAPIError(t, assume(outside, sharedARN), "AccessDenied",
		"User: arn:aws:iam::"+outsider+":user/dev is not authorized to perform: sts:AssumeRole on resource: "+sharedARN+" with an explicit deny in a resource control policy")
	require.NoError(t, assume(inside, sharedARN))
	// RCPs do not bind the management account's resources.
	require.NoError(t, assume(outside, mgmtARN))

	// An allow-list RCP: with RCPFullAWSAccess detached from the account,
	// nothing that no RCP there allows is allowed, even inside the
	// organization.
	env.detach(t, "p-perimeter1", memberA)
	env.detach(t, wiam.RCPFullAWSAccess.ID, memberA)
	requireAPIError(t, assume(inside, sharedARN), "AccessDenied",
		"User: arn:aws:iam::"+memberB+":user/dev is not authorized to perform: sts:AssumeRole on resource: "+sharedARN+" because no resource control policy allows the sts:AssumeRole action")
}

// TestPrincipalOrgIDInTrustPolicy: a trust policy that trusts every
// principal of the organization through aws:PrincipalOrgID lets a member
// account's user in and keeps an outside account out.
func TestPrincipalOrgIDInTrustPolicy(t *testing.T) {
	env := orgSetup(t)
	ctx := context.Background()
	roleARN := env.role(t, orgMgmt, "org-readers", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
		"Condition":{"StringEquals":{"aws:PrincipalOrgID":"`+orgID+`"},"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"`+orgID+`/`+orgRoot+`/`+ouDev+`/*"}}}]}`, adminDoc)
	assume := func(cfg aws.Config) error {
		_, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1")})
		return err
	}
	require.NoError(t, assume(env.user(t, memberA, "dev", assumeAny)))
	// In the organization, but not under the OU the path names.
	requireAPIError(t, assume(env.user(t, memberB, "dev", assumeAny)), "AccessDenied", "")
	requireAPIError(t, assume(env.user(t, outsider, "dev", assumeAny)), "AccessDenied",
		"User: arn:aws:iam::"+outsider+":user/dev is not authorized to perform: sts:AssumeRole on resource: "+roleARN+" because no role trust policy allows the sts:AssumeRole action")
}

func (env *orgTestEnv) feature(t testing.TB, name string, on bool) {
	t.Helper()
	require.NoError(t, env.svc.UpdateStore(context.Background(), func(tx store.Tx) error {
		return tx.SetOrgFeature(context.Background(), orgID, name, on, time.Now())
	}))
}

// TestOrganizationsRootAccessFeatures: the centralized root access
// operations need an organization, its management account and trusted
// access for IAM, with AWS's error for each.
func TestOrganizationsRootAccessFeatures(t *testing.T) {
	env := orgSetup(t)
	ctx := context.Background()
	root := env.srv.RootIAM()
	member := iam.NewFromConfig(env.user(t, memberA, "admin", adminDoc))
	outside := iam.NewFromConfig(env.user(t, outsider, "admin", adminDoc))

	_, err := outside.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	requireAPIError(t, err, "OrganizationNotFoundException", "The request was rejected because no organization is associated with your account.")
	_, err = root.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	requireAPIError(t, err, "ServiceAccessNotEnabledException", "The request was rejected because trusted access is not enabled for IAM in Organizations. For details, see IAM and Organizations in the Organizations User Guide.")
	_, err = root.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	requireAPIError(t, err, "ServiceAccessNotEnabledException", "")

	env.feature(t, store.OrgFeatureTrustedAccess+wiam.IAMServicePrincipal, true)
	_, err = member.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	requireAPIError(t, err, "CallerIsNotManagementAccountException", "The request was rejected because the account making the request is not the management account for the organization.")
	_, err = member.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	requireAPIError(t, err, "AccountNotManagementOrDelegatedAdministratorException", "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.")

	list, err := root.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	require.NoError(t, err)
	require.Equal(t, orgID, *list.OrganizationId)
	require.Empty(t, list.EnabledFeatures)

	sess, err := root.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	require.NoError(t, err)
	require.Equal(t, orgID, *sess.OrganizationId)
	require.Equal(t, []string{"RootSessions"}, featureNames(sess.EnabledFeatures))
	creds, err := root.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{})
	require.NoError(t, err)
	require.Equal(t, []string{"RootCredentialsManagement", "RootSessions"}, featureNames(creds.EnabledFeatures))
	// Enabling twice is no error.
	_, err = root.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	require.NoError(t, err)

	off, err := root.DisableOrganizationsRootSessions(ctx, &iam.DisableOrganizationsRootSessionsInput{})
	require.NoError(t, err)
	require.Equal(t, []string{"RootCredentialsManagement"}, featureNames(off.EnabledFeatures))
	off2, err := root.DisableOrganizationsRootCredentialsManagement(ctx, &iam.DisableOrganizationsRootCredentialsManagementInput{})
	require.NoError(t, err)
	require.Empty(t, off2.EnabledFeatures)
	list, err = root.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	require.NoError(t, err)
	require.Empty(t, list.EnabledFeatures)

	// An SCP binds these actions in a member account like any other; and
	// an identity policy must allow them.
	noPerms := iam.NewFromConfig(env.user(t, orgMgmt, "nobody", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`))
	_, err = noPerms.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::"+orgMgmt+":user/nobody is not authorized to perform: iam:ListOrganizationsFeatures because no identity-based policy allows the iam:ListOrganizationsFeatures action")
}

func featureNames[T ~string](fs []T) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, string(f))
	}
	return out
}

// TestAssumeRootWithRootSessions: once the organization gives IAM trusted
// access and enables root sessions, its management account starts a
// member account's root session, which only its task policy (and the
// member account's SCPs) limits; other targets and callers are refused.
func TestAssumeRootWithRootSessions(t *testing.T) {
	env := orgSetup(t)
	ctx := context.Background()
	admin := sts.NewFromConfig(env.user(t, orgMgmt, "admin", adminDoc))
	memberAdmin := sts.NewFromConfig(env.user(t, memberB, "admin", adminDoc))
	task := &ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")}
	assumeRoot := func(c *sts.Client, target string) (*sts.AssumeRootOutput, error) {
		return c.AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String(target), TaskPolicyArn: task})
	}
	refused := func(caller, target string) string {
		return "User: " + caller + " is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::" + target +
			":root because centralized root access (root sessions) is not enabled for an organization that manages the account"
	}
	adminARN := "arn:aws:iam::" + orgMgmt + ":user/admin"
	_, err := assumeRoot(admin, memberA)
	requireAPIError(t, err, "AccessDenied", refused(adminARN, memberA))

	env.feature(t, store.OrgFeatureTrustedAccess+wiam.IAMServicePrincipal, true)
	_, err = assumeRoot(admin, memberA)
	requireAPIError(t, err, "AccessDenied", refused(adminARN, memberA))
	_, err = env.srv.RootIAM().EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	require.NoError(t, err)

	out, err := assumeRoot(admin, memberA)
	require.NoError(t, err)
	c := out.Credentials
	require.NotEmpty(t, *c.SessionToken)
	cfg := env.srv.Config(*c.AccessKeyId, *c.SecretAccessKey)
	cfg.Credentials = staticSession(c)
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:iam::"+memberA+":root", *who.Arn)
	require.Equal(t, memberA, *who.Account)

	rootSess := iam.NewFromConfig(cfg)
	_, err = rootSess.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	require.NoError(t, err)
	_, err = rootSess.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::"+memberA+":root is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::"+memberA+":user/x because no session policy allows the iam:CreateUser action")
	_, err = sts.NewFromConfig(cfg).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	requireAPIError(t, err, "AccessDenied", "")

	// The member account's SCPs bind its root user's session too.
	env.policy(t, "p-nokeys1234", wiam.PolicyTypeSCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListAccessKeys","Resource":"*"}]}`)
	env.attach(t, "p-nokeys1234", memberA)
	_, err = rootSess.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	requireAPIError(t, err, "AccessDenied", "")
	require.Contains(t, err.Error(), "with an explicit deny in a service control policy: "+scpARN("p-nokeys1234"))

	// Not an outside account, not the management account itself, and not
	// from a member account.
	_, err = assumeRoot(admin, outsider)
	requireAPIError(t, err, "AccessDenied", refused(adminARN, outsider))
	_, err = assumeRoot(admin, orgMgmt)
	requireAPIError(t, err, "AccessDenied", refused(adminARN, orgMgmt))
	_, err = assumeRoot(memberAdmin, memberA)
	requireAPIError(t, err, "AccessDenied", refused("arn:aws:iam::"+memberB+":user/admin", memberA))

	// Disabled again, no new session starts.
	_, err = env.srv.RootIAM().DisableOrganizationsRootSessions(ctx, &iam.DisableOrganizationsRootSessionsInput{})
	require.NoError(t, err)
	_, err = assumeRoot(admin, memberA)
	requireAPIError(t, err, "AccessDenied", refused(adminARN, memberA))
}

// TestResourceOrgKeys: aws:ResourceOrgID and aws:ResourceOrgPaths name the
// organization of the resource's account, aws:PrincipalIsAWSService and
// aws:ViaAWSService are false for a direct call; an account outside any
// organization has no organization keys.
func TestResourceOrgKeys(t *testing.T) {
	env := orgSetup(t)
	ctx := context.Background()
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{
		"StringEquals":{"aws:ResourceOrgID":"` + orgID + `","aws:ResourceOrgPaths":"` + orgID + `/` + orgRoot + `/` + ouDev + `/",
		"aws:PrincipalIsAWSService":"false","aws:ViaAWSService":"false"}}},
		{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*","Condition":{"Null":{"aws:ResourceOrgID":"true","aws:PrincipalOrgID":"true"}}}]}`
	inside := iam.NewFromConfig(env.user(t, memberA, "dev", doc))
	outside := iam.NewFromConfig(env.user(t, outsider, "dev", doc))
	_, err := inside.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	_, err = inside.ListRoles(ctx, &iam.ListRolesInput{})
	requireAPIError(t, err, "AccessDenied", "")
	_, err = outside.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "")
	_, err = outside.ListRoles(ctx, &iam.ListRolesInput{})
	require.NoError(t, err)
}
