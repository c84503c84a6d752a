package server_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	wiam "github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

const (
	pathRoot = orgID + "/" + orgRoot
	pathDev  = pathRoot + "/" + ouDev
	pathA    = pathDev + "/" + memberA
	pathB    = pathRoot + "/" + memberB
	pathMgmt = pathRoot + "/" + orgMgmt
	// iamOnly is an SCP allowing IAM and STS only.
	iamOnly    = "p-iamonly12"
	iamOnlyDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","sts:*"],"Resource":"*"}]}`
)

// orgReport generates a report and reads it back whole, checking the job
// and the counts, and indexes its services by namespace.
func orgReport(t *testing.T, c *iam.Client, path string, policyID *string) map[string]types.AccessDetail {
	t.Helper()
	ctx := context.Background()
	gen, err := c.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String(path), OrganizationsPolicyId: policyID})
	require.NoError(t, err)
	require.Len(t, *gen.JobId, 36)
	out, err := c.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: gen.JobId, MaxItems: aws.Int32(1000)})
	require.NoError(t, err)
	require.Equal(t, types.JobStatusTypeCompleted, out.JobStatus)
	require.NotNil(t, out.JobCreationDate)
	require.NotNil(t, out.JobCompletionDate)
	require.Nil(t, out.ErrorDetails)
	require.False(t, out.IsTruncated)
	m := map[string]types.AccessDetail{}
	var order []string
	notAccessed := 0
	for _, d := range out.AccessDetails {
		m[*d.ServiceNamespace] = d
		order = append(order, *d.ServiceNamespace)
		if d.LastAuthenticatedTime == nil {
			notAccessed++
			require.Nil(t, d.EntityPath)
			require.Nil(t, d.Region)
			require.Zero(t, *d.TotalAuthenticatedEntities)
		}
	}
	require.IsIncreasing(t, order, "sorted by namespace by default")
	require.Equal(t, int32(len(out.AccessDetails)), *out.NumberOfServicesAccessible)
	require.Equal(t, int32(notAccessed), *out.NumberOfServicesNotAccessed)
	return m
}

// requireAccess checks a service's last access: the account path that
// made it and how many accounts did.
func requireAccess(t *testing.T, d types.AccessDetail, path string, total int32) {
	t.Helper()
	require.NotNil(t, d.LastAuthenticatedTime, *d.ServiceNamespace)
	require.Equal(t, path, aws.ToString(d.EntityPath))
	require.Equal(t, "us-east-1", aws.ToString(d.Region))
	require.Equal(t, total, *d.TotalAuthenticatedEntities)
}

func requireNoAccess(t *testing.T, d types.AccessDetail) {
	t.Helper()
	require.Nil(t, d.LastAuthenticatedTime, *d.ServiceNamespace)
	require.Zero(t, *d.TotalAuthenticatedEntities)
}

// orgReportSetup: calls made in memberA by a user (IAM and STS), in
// memberB by a role session (IAM, after the memberA call, so memberB is
// the latest) and in the management account by its administrator. Then
// the SCP iamOnly replaces FullAWSAccess on ouDev.
func orgReportSetup(t *testing.T) (*orgTestEnv, *iam.Client) {
	t.Helper()
	env := orgSetup(t)
	ctx := context.Background()
	devCfg := env.user(t, memberA, "dev", adminDoc)
	_, err := iam.NewFromConfig(devCfg).ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	_, err = sts.NewFromConfig(devCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)

	roleARN := env.role(t, memberB, "ops", trustAccounts(memberB), adminDoc)
	out, err := sts.NewFromConfig(env.user(t, memberB, "runner", assumeAny)).AssumeRole(ctx,
		&sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1")})
	require.NoError(t, err)
	sessCfg := env.srv.Config(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey)
	sessCfg.Credentials = staticSession(out.Credentials)
	_, err = iam.NewFromConfig(sessCfg).ListRoles(ctx, &iam.ListRolesInput{})
	require.NoError(t, err)

	mgmtAdmin := iam.NewFromConfig(env.user(t, orgMgmt, "admin", adminDoc))
	_, err = mgmtAdmin.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
	require.NoError(t, err)

	env.policy(t, iamOnly, wiam.PolicyTypeSCP, iamOnlyDoc)
	env.attach(t, iamOnly, ouDev)
	env.detach(t, wiam.FullAWSAccess.ID, ouDev)
	return env, mgmtAdmin
}

// TestOrganizationsAccessReport: reports on the root, an OU and accounts,
// with and without a policy id, as the management account's
// administrator.
func TestOrganizationsAccessReport(t *testing.T) {
	_, admin := orgReportSetup(t)

	// The root: every service FullAWSAccess allows, with the accesses of
	// both member accounts and not the management account's.
	all := orgReport(t, admin, pathRoot, nil)
	require.Greater(t, len(all), 50)
	requireAccess(t, all["iam"], pathB, 2)
	requireAccess(t, all["sts"], pathB, 2) // memberA's GetCallerIdentity, then memberB's runner assuming the role
	requireNoAccess(t, all["s3"])
	// A trailing slash names the same entity.
	require.Equal(t, all["iam"].EntityPath, orgReport(t, admin, pathRoot+"/", nil)["iam"].EntityPath)

	// The OU: what the SCPs of the root and the OU allow, memberA only.
	dev := orgReport(t, admin, pathDev, nil)
	require.ElementsMatch(t, []string{"iam", "sts"}, keys(dev))
	requireAccess(t, dev["iam"], pathA, 1)
	requireAccess(t, dev["sts"], pathA, 1)

	// An account: the SCPs down to it.
	a := orgReport(t, admin, pathA, nil)
	require.ElementsMatch(t, []string{"iam", "sts"}, keys(a))
	requireAccess(t, a["iam"], pathA, 1)
	b := orgReport(t, admin, pathB, nil)
	require.Len(t, b, len(all))
	requireAccess(t, b["iam"], pathB, 1)
	requireAccess(t, b["sts"], pathB, 1)

	// The management account: every service, its own accesses only.
	m := orgReport(t, admin, pathMgmt, nil)
	require.GreaterOrEqual(t, len(m), len(all))
	requireAccess(t, m["iam"], pathMgmt, 1)
	requireNoAccess(t, m["sts"])
	// A policy id is ignored for it.
	require.Len(t, orgReport(t, admin, pathMgmt, aws.String(iamOnly)), len(m))

	// A policy: the services it allows, from the accounts it applies to.
	p := orgReport(t, admin, pathRoot, aws.String(iamOnly))
	require.ElementsMatch(t, []string{"iam", "sts"}, keys(p))
	requireAccess(t, p["iam"], pathA, 1)
	// memberB is not under the policy: its services, without data.
	pb := orgReport(t, admin, pathB, aws.String(iamOnly))
	require.ElementsMatch(t, []string{"iam", "sts"}, keys(pb))
	requireNoAccess(t, pb["iam"])
	requireNoAccess(t, pb["sts"])
	// FullAWSAccess still applies to both member accounts at the root.
	f := orgReport(t, admin, pathRoot, aws.String(wiam.FullAWSAccess.ID))
	require.Len(t, f, len(all))
	requireAccess(t, f["iam"], pathB, 2)
}

// TestOrganizationsAccessReportPaging: the sort keys and pages.
func TestOrganizationsAccessReportPaging(t *testing.T) {
	_, admin := orgReportSetup(t)
	ctx := context.Background()
	gen, err := admin.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String(pathRoot)})
	require.NoError(t, err)

	get := func(key types.SortKeyType, marker *string, max int32) *iam.GetOrganizationsAccessReportOutput {
		t.Helper()
		out, err := admin.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: gen.JobId, SortKey: key, Marker: marker, MaxItems: aws.Int32(max)})
		require.NoError(t, err)
		return out
	}
	newest := get(types.SortKeyTypeLastAuthenticatedTimeDescending, nil, 2)
	require.True(t, newest.IsTruncated)
	require.Len(t, newest.AccessDetails, 2)
	for _, d := range newest.AccessDetails {
		require.NotNil(t, d.LastAuthenticatedTime, "accessed services first")
	}
	require.True(t, !newest.AccessDetails[0].LastAuthenticatedTime.Before(*newest.AccessDetails[1].LastAuthenticatedTime))
	oldest := get(types.SortKeyTypeLastAuthenticatedTimeAscending, nil, 1)
	require.Nil(t, oldest.AccessDetails[0].LastAuthenticatedTime, "never accessed counts as oldest")

	// All pages, by namespace descending, hold every service once.
	var seen []string
	var marker *string
	for {
		page := get(types.SortKeyTypeServiceNamespaceDescending, marker, 40)
		require.NotZero(t, *page.NumberOfServicesAccessible)
		for _, d := range page.AccessDetails {
			seen = append(seen, *d.ServiceNamespace)
		}
		if !page.IsTruncated {
			require.Nil(t, page.Marker)
			require.Equal(t, int(*page.NumberOfServicesAccessible), len(seen))
			break
		}
		marker = page.Marker
	}
	require.IsDecreasing(t, seen)

	_, err = admin.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: gen.JobId, Marker: aws.String("x")})
	requireAPIError(t, err, "InvalidInput", "Invalid Marker.")
	_, err = admin.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: gen.JobId, SortKey: "NEWEST"})
	requireAPIError(t, err, "ValidationError", "")
	_, err = admin.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: gen.JobId, MaxItems: aws.Int32(0)})
	requireAPIError(t, err, "ValidationError", "")
}

// TestOrganizationsAccessReportErrors: callers outside the organization
// or not its management account, paths and policies the organization
// does not have, SCPs not enabled, and jobs that are not the caller's.
func TestOrganizationsAccessReportErrors(t *testing.T) {
	env, admin := orgReportSetup(t)
	ctx := context.Background()
	gen := func(c *iam.Client, path string, policyID *string) error {
		_, err := c.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String(path), OrganizationsPolicyId: policyID})
		return err
	}

	outsiderAdmin := iam.NewFromConfig(env.user(t, outsider, "admin", adminDoc))
	requireAPIError(t, gen(outsiderAdmin, pathRoot, nil), "OrganizationNotFoundException",
		"The request was rejected because no organization is associated with your account.")
	memberAdmin := iam.NewFromConfig(env.user(t, memberA, "admin", adminDoc))
	notManagement := "The request was rejected because the account making the request is not the management account for the organization."
	requireAPIError(t, gen(memberAdmin, pathA, nil), "CallerIsNotManagementAccountException", notManagement)

	for _, path := range []string{
		"o-zzzzzzzzzz/" + orgRoot,      // another organization
		orgID + "/r-zz99",              // another root
		pathRoot + "/ou-ab12-99999999", // no such OU
		pathRoot + "/" + memberA,       // memberA is in ouDev, not under the root
		pathDev + "/" + memberB,        // memberB is not in ouDev
		pathRoot + "/" + outsider,      // not a member
		pathA + "/" + ouDev,            // nothing below an account
		pathRoot + "//" + memberB,      // an empty level
	} {
		requireAPIError(t, gen(admin, path, nil), "InvalidInput",
			"The entity path "+path+" does not name a root, organizational unit or account of your organization.")
	}
	// Paths out of AWS's pattern: the root must follow the organization.
	requireAPIError(t, gen(admin, orgID+"/"+ouDev+"/"+orgRoot, nil), "ValidationError", "")
	requireAPIError(t, gen(admin, "r-ab12/o-a1b2c3d4e5", nil), "ValidationError", "")
	requireAPIError(t, gen(admin, "o-a1b2c3d4e5/r-ab12/OU", nil), "ValidationError", "")
	requireAPIError(t, gen(admin, pathRoot, aws.String("p-nosuchpolicy")), "InvalidInput",
		"The policy p-nosuchpolicy is not a service control policy of your organization.")
	requireAPIError(t, gen(admin, pathRoot, aws.String(wiam.RCPFullAWSAccess.ID)), "InvalidInput",
		"The policy p-RCPFullAWSAccess is not a service control policy of your organization.")
	requireAPIError(t, gen(admin, pathRoot, aws.String("bad")), "ValidationError", "")

	// Jobs: unknown, another principal's, another operation's, and Get
	// by a caller that does not manage the organization.
	getOrg := func(c *iam.Client, id *string) error {
		_, err := c.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: id})
		return err
	}
	requireAPIError(t, getOrg(admin, aws.String("00000000-0000-4000-8000-000000000000")), "NoSuchEntity",
		"No report job with id 00000000-0000-4000-8000-000000000000 exists.")
	requireAPIError(t, getOrg(admin, aws.String("short")), "ValidationError", "")
	g, err := admin.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String(pathRoot)})
	require.NoError(t, err)
	require.NoError(t, getOrg(admin, g.JobId))
	requireAPIError(t, getOrg(env.srv.RootIAM(), g.JobId), "NoSuchEntity", "")
	requireAPIError(t, getOrg(memberAdmin, g.JobId), "CallerIsNotManagementAccountException", notManagement)
	requireAPIError(t, getOrg(outsiderAdmin, g.JobId), "OrganizationNotFoundException", "")
	_, err = admin.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: g.JobId})
	requireAPIError(t, err, "NoSuchEntity", "")
	sla, err := admin.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String("arn:aws:iam::" + orgMgmt + ":user/admin")})
	require.NoError(t, err)
	requireAPIError(t, getOrg(admin, sla.JobId), "NoSuchEntity", "")

	// A principal whose policies do not allow the action.
	reader := iam.NewFromConfig(env.user(t, orgMgmt, "reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}`))
	requireAPIError(t, gen(reader, pathRoot, nil), "AccessDenied", "")

	// SCPs disabled on the root.
	require.NoError(t, env.svc.UpdateStore(ctx, func(tx store.Tx) error {
		return tx.UpdateOrgUnit(ctx, store.OrgUnit{Org: orgID, ID: orgRoot, Name: "Root", PolicyTypes: []string{wiam.PolicyTypeRCP}})
	}))
	requireAPIError(t, gen(admin, pathRoot, nil), "InvalidInput", "Service control policies are not enabled for the root of your organization.")
}
