package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

const (
	laAlice  = "arn:aws:iam::123456789012:user/alice"
	laRunner = "arn:aws:iam::123456789012:role/runner"
)

// laServices indexes a report's services by namespace.
func laServices(t *testing.T, out *iam.GetServiceLastAccessedDetailsOutput) map[string]types.ServiceLastAccessed {
	t.Helper()
	m := map[string]types.ServiceLastAccessed{}
	var order []string
	for _, s := range out.ServicesLastAccessed {
		m[*s.ServiceNamespace] = s
		order = append(order, *s.ServiceNamespace)
	}
	require.IsNonDecreasing(t, order, "sorted by namespace")
	return m
}

func laActions(s types.ServiceLastAccessed) map[string]types.TrackedActionLastAccessed {
	m := map[string]types.TrackedActionLastAccessed{}
	for _, a := range s.TrackedActionsLastAccessed {
		m[*a.ActionName] = a
	}
	return m
}

// laGenerate generates a report and reads it back whole.
func laGenerate(t *testing.T, c *iam.Client, arn string, g types.AccessAdvisorUsageGranularityType) (string, *iam.GetServiceLastAccessedDetailsOutput) {
	t.Helper()
	ctx := context.Background()
	gen, err := c.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(arn), Granularity: g})
	require.NoError(t, err)
	require.Len(t, *gen.JobId, 36)
	out, err := c.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: gen.JobId})
	require.NoError(t, err)
	require.Equal(t, types.JobStatusTypeCompleted, out.JobStatus)
	require.NotNil(t, out.JobCreationDate)
	require.NotNil(t, out.JobCompletionDate)
	require.False(t, out.IsTruncated)
	return *gen.JobId, out
}

// laSetup: alice (inline policy; member of devs with bob), the group's
// inline policy and the managed policy read-iam attached to the group and
// to the role runner, which alice may assume.
func laSetup(t *testing.T, srv *servertest.Server) (alice *iam.Client, aliceKey *types.AccessKey) {
	t.Helper()
	ctx := context.Background()
	root := srv.RootIAM()
	alice, aliceKey = newUserWithKey(t, srv, "alice")
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
	require.NoError(t, err)
	_, err = root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("own"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": []string{"iam:Get*", "iam:ListUsers", "s3:GetObject"}, "Resource": "*"}))})
	require.NoError(t, err)
	_, err = root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})
	require.NoError(t, err)
	for _, u := range []string{"alice", "bob"} {
		_, err = root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String(u)})
		require.NoError(t, err)
	}
	_, err = root.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("ec2"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}))})
	require.NoError(t, err)
	pol, err := root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read-iam"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": []string{"iam:List*", "sts:GetCallerIdentity"}, "Resource": "*"}))})
	require.NoError(t, err)
	_, err = root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: pol.Policy.Arn})
	require.NoError(t, err)
	createRole(t, root, "runner", policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": laAlice}, "Action": "sts:AssumeRole"}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}))
	_, err = root.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("runner"), PolicyArn: pol.Policy.Arn})
	require.NoError(t, err)
	return alice, aliceKey
}

// TestServiceLastAccessed: calls made as a user and as a role session,
// allowed and denied, show in the reports of the user, the role, their
// group and the managed policy, at both granularities.
func TestServiceLastAccessed(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	alice, key := laSetup(t, srv)

	// As alice: an allowed IAM call, a denied one (AWS counts attempts,
	// not only successes), and an STS call.
	_, err := alice.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	_, err = alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("eve")})
	requireAPIError(t, err, "AccessDenied", "")
	aliceSTS := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	_, err = aliceSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	// As a session of runner: an allowed and a denied IAM call.
	sess, err := aliceSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(laRunner), RoleSessionName: aws.String("job")})
	require.NoError(t, err)
	runner := sessionIAM(srv, sess.Credentials)
	_, err = runner.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("runner")})
	require.NoError(t, err)
	_, err = runner.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("runner")})
	requireAPIError(t, err, "AccessDenied", "")

	t.Run("user, service level", func(t *testing.T) {
		_, out := laGenerate(t, root, laAlice, "")
		require.Equal(t, types.AccessAdvisorUsageGranularityTypeServiceLevel, out.JobType)
		svcs := laServices(t, out)
		require.ElementsMatch(t, []string{"ec2", "iam", "s3", "sts"}, keys(svcs), "own, group and attached policies")
		i := svcs["iam"]
		require.Equal(t, "AWS Identity and Access Management", *i.ServiceName)
		require.NotNil(t, i.LastAuthenticated)
		require.Equal(t, laAlice, *i.LastAuthenticatedEntity)
		require.Equal(t, "us-east-1", *i.LastAuthenticatedRegion)
		require.Equal(t, int32(1), *i.TotalAuthenticatedEntities)
		require.Nil(t, i.TrackedActionsLastAccessed)
		require.NotNil(t, svcs["sts"].LastAuthenticated, "GetCallerIdentity and AssumeRole count")
		for _, ns := range []string{"ec2", "s3"} {
			s := svcs[ns]
			require.Nil(t, s.LastAuthenticated, ns)
			require.Nil(t, s.LastAuthenticatedEntity, ns)
			require.Equal(t, int32(0), *s.TotalAuthenticatedEntities, ns)
		}
		require.Equal(t, "Amazon EC2", *svcs["ec2"].ServiceName)
	})

	t.Run("user, action level", func(t *testing.T) {
		_, out := laGenerate(t, root, laAlice, types.AccessAdvisorUsageGranularityTypeActionLevel)
		require.Equal(t, types.AccessAdvisorUsageGranularityTypeActionLevel, out.JobType)
		svcs := laServices(t, out)
		acts := laActions(svcs["iam"])
		require.NotNil(t, acts["ListUsers"].LastAccessedTime)
		require.Equal(t, laAlice, *acts["ListUsers"].LastAccessedEntity)
		require.Equal(t, "us-east-1", *acts["ListUsers"].LastAccessedRegion)
		require.Contains(t, acts, "GetUser", "allowed and never used")
		require.Nil(t, acts["GetUser"].LastAccessedTime)
		require.NotContains(t, acts, "CreateUser", "attempted, but not allowed")
		require.NotContains(t, acts, "DeleteUser")
		sts := laActions(svcs["sts"])
		require.NotNil(t, sts["GetCallerIdentity"].LastAccessedTime)
		require.Nil(t, svcs["s3"].TrackedActionsLastAccessed, "s3's actions are not tracked")
	})

	t.Run("role session", func(t *testing.T) {
		_, out := laGenerate(t, root, laRunner, types.AccessAdvisorUsageGranularityTypeActionLevel)
		svcs := laServices(t, out)
		require.ElementsMatch(t, []string{"iam", "sts"}, keys(svcs))
		i := svcs["iam"]
		require.Equal(t, laRunner, *i.LastAuthenticatedEntity, "a session counts for its role")
		acts := laActions(i)
		require.NotNil(t, acts["GetRole"].LastAccessedTime)
		require.Equal(t, laRunner, *acts["GetRole"].LastAccessedEntity)
		require.Nil(t, acts["ListRoles"].LastAccessedTime, "allowed by read-iam, never called")
		require.NotContains(t, acts, "DeleteRole")
		require.Nil(t, svcs["sts"].LastAuthenticated, "the session made no STS call")
	})

	t.Run("group with entities", func(t *testing.T) {
		job, out := laGenerate(t, root, "arn:aws:iam::123456789012:group/devs", "")
		svcs := laServices(t, out)
		require.ElementsMatch(t, []string{"ec2", "iam", "sts"}, keys(svcs), "the group's own policies only")
		require.Equal(t, laAlice, *svcs["iam"].LastAuthenticatedEntity)
		require.Equal(t, int32(1), *svcs["iam"].TotalAuthenticatedEntities)
		ents, err := root.GetServiceLastAccessedDetailsWithEntities(ctx, &iam.GetServiceLastAccessedDetailsWithEntitiesInput{
			JobId: aws.String(job), ServiceNamespace: aws.String("iam")})
		require.NoError(t, err)
		require.Equal(t, types.JobStatusTypeCompleted, ents.JobStatus)
		require.Len(t, ents.EntityDetailsList, 2)
		first, second := ents.EntityDetailsList[0], ents.EntityDetailsList[1]
		require.Equal(t, laAlice, *first.EntityInfo.Arn, "the most recent first")
		require.Equal(t, "alice", *first.EntityInfo.Name)
		require.Equal(t, types.PolicyOwnerEntityTypeUser, first.EntityInfo.Type)
		require.True(t, strings.HasPrefix(*first.EntityInfo.Id, "AIDA"))
		require.Equal(t, "/", *first.EntityInfo.Path)
		require.NotNil(t, first.LastAuthenticated)
		require.Equal(t, "bob", *second.EntityInfo.Name)
		require.Nil(t, second.LastAuthenticated)

		// Paging: one at a time.
		page, err := root.GetServiceLastAccessedDetailsWithEntities(ctx, &iam.GetServiceLastAccessedDetailsWithEntitiesInput{
			JobId: aws.String(job), ServiceNamespace: aws.String("iam"), MaxItems: aws.Int32(1)})
		require.NoError(t, err)
		require.True(t, page.IsTruncated)
		require.Len(t, page.EntityDetailsList, 1)
		page, err = root.GetServiceLastAccessedDetailsWithEntities(ctx, &iam.GetServiceLastAccessedDetailsWithEntitiesInput{
			JobId: aws.String(job), ServiceNamespace: aws.String("iam"), MaxItems: aws.Int32(1), Marker: page.Marker})
		require.NoError(t, err)
		require.False(t, page.IsTruncated)
		require.Equal(t, "bob", *page.EntityDetailsList[0].EntityInfo.Name)

		none, err := root.GetServiceLastAccessedDetailsWithEntities(ctx, &iam.GetServiceLastAccessedDetailsWithEntitiesInput{
			JobId: aws.String(job), ServiceNamespace: aws.String("s3")})
		require.NoError(t, err)
		require.Empty(t, none.EntityDetailsList, "a service the group is not granted")
	})

	t.Run("policy with entities", func(t *testing.T) {
		job, out := laGenerate(t, root, "arn:aws:iam::123456789012:policy/read-iam", "")
		svcs := laServices(t, out)
		require.ElementsMatch(t, []string{"iam", "sts"}, keys(svcs))
		require.Equal(t, int32(2), *svcs["iam"].TotalAuthenticatedEntities, "alice through the group, and runner")
		ents, err := root.GetServiceLastAccessedDetailsWithEntities(ctx, &iam.GetServiceLastAccessedDetailsWithEntitiesInput{
			JobId: aws.String(job), ServiceNamespace: aws.String("iam")})
		require.NoError(t, err)
		last := map[string]bool{}
		for _, e := range ents.EntityDetailsList {
			last[*e.EntityInfo.Name] = e.LastAuthenticated != nil
		}
		require.Equal(t, map[string]bool{"alice": true, "bob": false, "runner": true}, last,
			"the users of the group the policy is attached to, and the role")
	})

	t.Run("paging", func(t *testing.T) {
		gen, err := root.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(laAlice)})
		require.NoError(t, err)
		var all []string
		var marker *string
		for {
			out, err := root.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: gen.JobId, MaxItems: aws.Int32(3), Marker: marker})
			require.NoError(t, err)
			for _, s := range out.ServicesLastAccessed {
				all = append(all, *s.ServiceNamespace)
			}
			if !out.IsTruncated {
				break
			}
			marker = out.Marker
		}
		require.Equal(t, []string{"ec2", "iam", "s3", "sts"}, all)
		_, err = root.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: gen.JobId, Marker: aws.String("x")})
		requireAPIError(t, err, "InvalidInput", "Invalid Marker.")
	})
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestListPoliciesGrantingServiceAccess: per namespace, the policies of
// the user (its own and its groups') that grant the service.
func TestListPoliciesGrantingServiceAccess(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	laSetup(t, srv)

	out, err := root.ListPoliciesGrantingServiceAccess(ctx, &iam.ListPoliciesGrantingServiceAccessInput{
		Arn: aws.String(laAlice), ServiceNamespaces: []string{"iam", "ec2", "s3", "sqs"}})
	require.NoError(t, err)
	require.False(t, out.IsTruncated)
	require.Len(t, out.PoliciesGrantingServiceAccess, 4)
	byNS := map[string][]types.PolicyGrantingServiceAccess{}
	for _, e := range out.PoliciesGrantingServiceAccess {
		byNS[*e.ServiceNamespace] = e.Policies
	}
	own := types.PolicyGrantingServiceAccess{PolicyName: aws.String("own"), PolicyType: types.PolicyTypeInline,
		EntityType: types.PolicyOwnerEntityTypeUser, EntityName: aws.String("alice")}
	readIAM := types.PolicyGrantingServiceAccess{PolicyName: aws.String("read-iam"), PolicyType: types.PolicyTypeManaged,
		PolicyArn: aws.String("arn:aws:iam::123456789012:policy/read-iam")}
	groupEC2 := types.PolicyGrantingServiceAccess{PolicyName: aws.String("ec2"), PolicyType: types.PolicyTypeInline,
		EntityType: types.PolicyOwnerEntityTypeGroup, EntityName: aws.String("devs")}
	require.Equal(t, []types.PolicyGrantingServiceAccess{own, readIAM}, byNS["iam"])
	require.Equal(t, []types.PolicyGrantingServiceAccess{groupEC2}, byNS["ec2"])
	require.Equal(t, []types.PolicyGrantingServiceAccess{own}, byNS["s3"])
	require.Empty(t, byNS["sqs"])

	roleOut, err := root.ListPoliciesGrantingServiceAccess(ctx, &iam.ListPoliciesGrantingServiceAccessInput{
		Arn: aws.String(laRunner), ServiceNamespaces: []string{"sts"}})
	require.NoError(t, err)
	require.Equal(t, []types.PolicyGrantingServiceAccess{readIAM}, roleOut.PoliciesGrantingServiceAccess[0].Policies)
}

// TestServiceLastAccessedErrors: AWS's errors for what the report actions
// refuse.
func TestServiceLastAccessedErrors(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	alice, _ := laSetup(t, srv)
	gen := func(arn string) error {
		_, err := root.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(arn)})
		return err
	}
	requireAPIError(t, gen("arn:aws:iam::123456789012:user/ghost"), "NoSuchEntity", "The user with name ghost cannot be found.")
	requireAPIError(t, gen("arn:aws:iam::123456789012:user/eng/alice"), "NoSuchEntity", "The user with name alice cannot be found.")
	requireAPIError(t, gen("arn:aws:iam::123456789012:role/ghost"), "NoSuchEntity", "The role with name ghost cannot be found.")
	requireAPIError(t, gen("arn:aws:iam::123456789012:group/ghost"), "NoSuchEntity", "The group with name ghost cannot be found.")
	requireAPIError(t, gen("arn:aws:iam::123456789012:policy/ghost"), "NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/ghost was not found.")
	requireAPIError(t, gen("arn:aws:iam::210987654321:policy/read-iam"), "NoSuchEntity", "Policy arn:aws:iam::210987654321:policy/read-iam was not found.")
	// An AWS managed policy Warden does not hold is one that is not found.
	requireAPIError(t, gen("arn:aws:iam::aws:policy/NoSuchPolicy"), "NoSuchEntity", "Policy arn:aws:iam::aws:policy/NoSuchPolicy was not found.")
	requireAPIError(t, gen("arn:aws:iam::123456789012:instance-profile/web"), "InvalidInput", "ARN arn:aws:iam::123456789012:instance-profile/web is not valid.")
	requireAPIError(t, gen("arn:aws:sts::123456789012:assumed-role/runner/job"), "InvalidInput", "")
	requireAPIError(t, gen("short"), "ValidationError", "")
	_, err := root.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(laAlice), Granularity: "SOME_LEVEL"})
	requireAPIError(t, err, "ValidationError", "")

	_, err = root.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: aws.String("00000000-0000-4000-8000-000000000000")})
	requireAPIError(t, err, "NoSuchEntity", "")
	_, err = root.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: aws.String("too-short")})
	requireAPIError(t, err, "ValidationError", "")
	// A job is read only by the principal that generated it.
	g, err := root.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(laAlice)})
	require.NoError(t, err)
	_, err = alice.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: g.JobId})
	requireAPIError(t, err, "NoSuchEntity", "")
	_, err = root.GetServiceLastAccessedDetailsWithEntities(ctx, &iam.GetServiceLastAccessedDetailsWithEntitiesInput{
		JobId: g.JobId, ServiceNamespace: aws.String("not a namespace")})
	requireAPIError(t, err, "ValidationError", "")
	_, err = root.GetServiceLastAccessedDetailsWithEntities(ctx, &iam.GetServiceLastAccessedDetailsWithEntitiesInput{
		JobId: aws.String("00000000-0000-4000-8000-000000000000"), ServiceNamespace: aws.String("iam")})
	requireAPIError(t, err, "NoSuchEntity", "")

	list := func(arn string, ns ...string) error {
		_, err := root.ListPoliciesGrantingServiceAccess(ctx, &iam.ListPoliciesGrantingServiceAccessInput{Arn: aws.String(arn), ServiceNamespaces: ns})
		return err
	}
	requireAPIError(t, list("arn:aws:iam::123456789012:policy/read-iam", "iam"), "InvalidInput", "ARN arn:aws:iam::123456789012:policy/read-iam is not valid.")
	requireAPIError(t, list("arn:aws:iam::123456789012:user/ghost", "iam"), "NoSuchEntity", "The user with name ghost cannot be found.")
	code, body := signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam",
		"Action=ListPoliciesGrantingServiceAccess&Version=2010-05-08&Arn="+laAlice, time.Now())
	require.Equal(t, 400, code)
	require.Contains(t, body, "<Code>ValidationError</Code>")
	requireAPIError(t, list(laAlice, "s3 x"), "ValidationError", "")
	_, err = root.ListPoliciesGrantingServiceAccess(ctx, &iam.ListPoliciesGrantingServiceAccessInput{Arn: aws.String(laAlice),
		ServiceNamespaces: []string{"iam"}, Marker: aws.String("m")})
	requireAPIError(t, err, "InvalidInput", "Invalid Marker.")

	// alice may not generate reports (her policies do not allow it).
	_, err = alice.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(laAlice)})
	requireAPIError(t, err, "AccessDenied", "")
}

// TestServiceLastAccessedTwoNodes: accesses recorded on one node and
// written to the shared store show in a report generated on the other,
// and a job generated on one node is read back on the other.
func TestServiceLastAccessedTwoNodes(t *testing.T) {
	db := testDatabase(t)
	a := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	b := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	ctx := context.Background()
	alice, key := laSetup(t, a)
	waitFor(t, "alice's key on both nodes", func() bool {
		_, err := b.STS(*key.AccessKeyId, *key.SecretAccessKey).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err == nil
	})
	_, err := alice.ListUsers(ctx, &iam.ListUsersInput{}) // on node A
	require.NoError(t, err)

	// Generating on A writes A's accesses; the job is then read on B.
	rootA, rootB := a.RootIAM(), b.RootIAM()
	gen, err := rootA.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(laAlice)})
	require.NoError(t, err)
	out, err := rootB.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: gen.JobId})
	require.NoError(t, err)
	require.NotNil(t, laServices(t, out)["iam"].LastAuthenticated)

	// A report generated on B sees the accesses made on A.
	_, out = laGenerate(t, rootB, laAlice, types.AccessAdvisorUsageGranularityTypeActionLevel)
	acts := laActions(laServices(t, out)["iam"])
	require.NotNil(t, acts["ListUsers"].LastAccessedTime)
}

// TestGoldenLastAccessed pins the XML of the report actions' responses and
// errors, with a fixed clock and request id.
func TestGoldenLastAccessed(t *testing.T) {
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	// The SDK signs with the real time: the clock stops at at only once
	// the setup is done.
	var stopped atomic.Bool
	clock := func() time.Time {
		if stopped.Load() {
			return at
		}
		return time.Now()
	}
	srv := servertest.Start(t, servertest.WithClock(clock), servertest.WithRequestID("11111111-2222-3333-4444-555555555555"))
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("own"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": []string{"iam:GetUser", "s3:GetObject"}, "Resource": "*"}))})
	require.NoError(t, err)
	stopped.Store(true)
	status, _ := signedPost(t, srv, *key.AccessKeyId, *key.SecretAccessKey, "iam", "Action=GetUser&Version=2010-05-08", at)
	require.Equal(t, http.StatusOK, status)

	post := func(form string) (int, string) {
		return signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam", form, at)
	}
	jobID := regexp.MustCompile(`<JobId>[0-9a-f-]{36}</JobId>`)
	entityID := regexp.MustCompile(`<Id>AIDA[A-Z2-7]{17}</Id>`)
	normal := func(body string) string {
		return entityID.ReplaceAllString(jobID.ReplaceAllString(body, "<JobId>JOB_ID</JobId>"), "<Id>AIDA_USER_ID</Id>")
	}
	status, body := post("Action=GenerateServiceLastAccessedDetails&Version=2010-05-08&Granularity=ACTION_LEVEL&Arn=" + laAlice)
	require.Equal(t, http.StatusOK, status, body)
	job := jobID.FindString(body)
	require.NotEmpty(t, job)
	job = strings.TrimSuffix(strings.TrimPrefix(job, "<JobId>"), "</JobId>")
	golden(t, "GenerateServiceLastAccessedDetails/user", normal(body))

	for _, tc := range []struct {
		name, form string
		status     int
	}{
		{"GetServiceLastAccessedDetails/action-level", "Action=GetServiceLastAccessedDetails&Version=2010-05-08&JobId=" + job, http.StatusOK},
		{"GetServiceLastAccessedDetails/no-such-job", "Action=GetServiceLastAccessedDetails&Version=2010-05-08&JobId=00000000-0000-4000-8000-000000000000", http.StatusNotFound},
		{"GetServiceLastAccessedDetailsWithEntities/iam", "Action=GetServiceLastAccessedDetailsWithEntities&Version=2010-05-08&ServiceNamespace=iam&JobId=" + job, http.StatusOK},
		{"ListPoliciesGrantingServiceAccess/user", "Action=ListPoliciesGrantingServiceAccess&Version=2010-05-08&Arn=" + laAlice + "&ServiceNamespaces.member.1=s3&ServiceNamespaces.member.2=ec2", http.StatusOK},
		{"GenerateServiceLastAccessedDetails/no-such-user", "Action=GenerateServiceLastAccessedDetails&Version=2010-05-08&Arn=arn:aws:iam::123456789012:user/ghost", http.StatusNotFound},
		{"GenerateServiceLastAccessedDetails/not-an-entity", "Action=GenerateServiceLastAccessedDetails&Version=2010-05-08&Arn=arn:aws:iam::123456789012:mfa/x", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(tc.form)
			require.Equal(t, tc.status, status, body)
			golden(t, tc.name, normal(body))
		})
	}
}

// TestServiceLastAccessedSessions: a user's own session (GetSessionToken)
// and its federated users' sessions (GetFederationToken) count for the
// user; the root user's calls count for no entity.
func TestServiceLastAccessedSessions(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "carol")
	_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("sts"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": []string{"sts:*", "iam:ListUsers"}, "Resource": "*"}))})
	require.NoError(t, err)
	carol := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	// The root user's calls are recorded for no one.
	_, err = root.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	_, out := laGenerate(t, root, "arn:aws:iam::123456789012:user/carol", types.AccessAdvisorUsageGranularityTypeActionLevel)
	svcs := laServices(t, out)
	require.Nil(t, svcs["iam"].LastAuthenticated, "root's ListUsers is not carol's")
	require.Nil(t, svcs["sts"].LastAuthenticated)

	// A federated user's call: carol herself never calls GetCallerIdentity.
	fed, err := carol.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("visitor"),
		Policy: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}))})
	require.NoError(t, err)
	_, err = sessionSTS(srv, fed.Credentials).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	// A call of her own session: an AssumeRole attempt that fails counts too.
	tok, err := carol.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	require.NoError(t, err)
	_, err = sessionSTS(srv, tok.Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/none"), RoleSessionName: aws.String("x")})
	require.Error(t, err)

	_, out = laGenerate(t, root, "arn:aws:iam::123456789012:user/carol", types.AccessAdvisorUsageGranularityTypeActionLevel)
	acts := laActions(laServices(t, out)["sts"])
	for _, a := range []string{"GetSessionToken", "GetFederationToken", "GetCallerIdentity", "AssumeRole"} {
		require.NotNil(t, acts[a].LastAccessedTime, a)
		require.Equal(t, "arn:aws:iam::123456789012:user/carol", *acts[a].LastAccessedEntity, a)
	}
	require.Nil(t, acts["AssumeRoleWithSAML"].LastAccessedTime)
}
