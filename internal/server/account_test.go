package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

const (
	accountAllowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	accountTrust    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	accountReadS3   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
)

// accountQuotas are the quotas GetAccountSummary reports: Warden's limits.
var accountQuotas = map[string]int32{
	"UsersQuota": 5000, "GroupsQuota": 300, "RolesQuota": 1000, "PoliciesQuota": 1500,
	"ServerCertificatesQuota": 20, "InstanceProfilesQuota": 1000, "PolicyVersionsInUseQuota": 10000,
	"UserPolicySizeQuota": 2048, "GroupPolicySizeQuota": 5120, "RolePolicySizeQuota": 10240,
	"PolicySizeQuota": 6144, "AssumeRolePolicySizeQuota": 2048, "GroupsPerUserQuota": 10,
	"SigningCertificatesPerUserQuota": 2, "AccessKeysPerUserQuota": 2, "AttachedPoliciesPerGroupQuota": 10,
	"AttachedPoliciesPerRoleQuota": 10, "AttachedPoliciesPerUserQuota": 10, "VersionsPerPolicyQuota": 5,
	"GlobalEndpointTokenVersion": 1,
}

// accountSummaryWant is the whole SummaryMap for the given counts.
func accountSummaryWant(counts map[string]int32) map[string]int32 {
	want := map[string]int32{
		"Users": 0, "Groups": 0, "Roles": 0, "Policies": 0, "PolicyVersionsInUse": 0, "ServerCertificates": 0,
		"InstanceProfiles": 0, "Providers": 0, "MFADevices": 0, "MFADevicesInUse": 0, "AccountMFAEnabled": 0,
		"AccountAccessKeysPresent": 1, "AccountPasswordPresent": 0, "AccountSigningCertificatesPresent": 0,
	}
	for k, v := range accountQuotas {
		want[k] = v
	}
	for k, v := range counts {
		want[k] = v
	}
	return want
}

func TestAccountSummary(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()

	t.Run("empty account", func(t *testing.T) {
		out, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		require.NoError(t, err)
		require.Len(t, out.SummaryMap, 34, "every key of the SummaryKeyType enum")
		for _, k := range types.SummaryKeyType("").Values() {
			require.Contains(t, out.SummaryMap, string(k))
		}
		require.Empty(t, cmp.Diff(accountSummaryWant(nil), out.SummaryMap))
	})
	t.Run("wire form is a map of entries", func(t *testing.T) {
		status, body := signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam",
			"Action=GetAccountSummary&Version=2010-05-08", time.Now())
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, body, "<GetAccountSummaryResult><SummaryMap><entry><key>Users</key><value>0</value></entry>")
	})

	for _, u := range []string{"alice", "bob"} {
		_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u)})
		require.NoError(t, err)
	}
	_, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})
	require.NoError(t, err)
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(accountTrust)})
	require.NoError(t, err)
	p, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), PolicyDocument: aws.String(accountReadS3)})
	require.NoError(t, err)
	for _, in := range []*iam.AttachUserPolicyInput{{UserName: aws.String("alice"), PolicyArn: p.Policy.Arn}, {UserName: aws.String("bob"), PolicyArn: p.Policy.Arn}} {
		_, err = c.AttachUserPolicy(ctx, in)
		require.NoError(t, err)
	}
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: p.Policy.Arn})
	require.NoError(t, err)
	mfaCreate(t, c, "spare")
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://token.example.com"),
		ClientIDList: []string{"sts.amazonaws.com"}, ThumbprintList: []string{"0123456789abcdef0123456789abcdef01234567"}})
	require.NoError(t, err)

	t.Run("counts", func(t *testing.T) {
		out, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		require.NoError(t, err)
		require.Empty(t, cmp.Diff(accountSummaryWant(map[string]int32{"Users": 2, "Groups": 1, "Roles": 1, "Policies": 1,
			"PolicyVersionsInUse": 3, "MFADevices": 1, "Providers": 1}), out.SummaryMap))
	})
	t.Run("authorization", func(t *testing.T) {
		carol, _ := newUserWithKey(t, srv, "carol")
		_, err := carol.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		requireAPIError(t, err, "AccessDenied", "")
		_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("summary"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetAccountSummary","Resource":"*"}]}`)})
		require.NoError(t, err)
		out, err := carol.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		require.NoError(t, err)
		require.Equal(t, int32(3), out.SummaryMap["Users"])
		_, err = carol.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
		requireAPIError(t, err, "AccessDenied", "")
	})
}

// accountDecode URL-decodes a document as IAM returns it.
func accountDecode(t *testing.T, doc *string) string {
	t.Helper()
	require.NotNil(t, doc)
	s, err := url.QueryUnescape(*doc)
	require.NoError(t, err)
	return s
}

func TestAccountAuthorizationDetails(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()

	boundary, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Boundary"), PolicyDocument: aws.String(accountAllowAll)})
	require.NoError(t, err)
	read, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), Path: aws.String("/team/"),
		PolicyDocument: aws.String(accountReadS3), Description: aws.String("read objects")})
	require.NoError(t, err)
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: read.Policy.Arn, PolicyDocument: aws.String(accountAllowAll), SetAsDefault: true})
	require.NoError(t, err)

	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("Alice"), Path: aws.String("/eng/"),
		PermissionsBoundary: boundary.Policy.Arn, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("red")}}})
	require.NoError(t, err)
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
	require.NoError(t, err)
	_, err = c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("Devs")})
	require.NoError(t, err)
	_, err = c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("alice")})
	require.NoError(t, err)
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("Alice"), PolicyName: aws.String("own"), PolicyDocument: aws.String(accountReadS3)})
	require.NoError(t, err)
	_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("Alice"), PolicyArn: read.Policy.Arn})
	require.NoError(t, err)
	_, err = c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("Devs"), PolicyName: aws.String("g"), PolicyDocument: aws.String(accountReadS3)})
	require.NoError(t, err)
	_, err = c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("Devs"), PolicyArn: read.Policy.Arn})
	require.NoError(t, err)
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(accountTrust),
		PermissionsBoundary: boundary.Policy.Arn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	require.NoError(t, err)
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("r"), PolicyDocument: aws.String(accountReadS3)})
	require.NoError(t, err)
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: read.Policy.Arn})
	require.NoError(t, err)

	t.Run("everything", func(t *testing.T) {
		out, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
		require.NoError(t, err)
		require.False(t, out.IsTruncated)
		require.Nil(t, out.Marker)

		require.Len(t, out.UserDetailList, 2)
		a := out.UserDetailList[0]
		require.Equal(t, "Alice", *a.UserName)
		require.Equal(t, "/eng/", *a.Path)
		require.Equal(t, "arn:aws:iam::123456789012:user/eng/Alice", *a.Arn)
		require.NotNil(t, a.UserId)
		require.NotNil(t, a.CreateDate)
		require.Equal(t, []string{"Devs"}, a.GroupList)
		require.Len(t, a.UserPolicyList, 1)
		require.Equal(t, "own", *a.UserPolicyList[0].PolicyName)
		require.JSONEq(t, accountReadS3, accountDecode(t, a.UserPolicyList[0].PolicyDocument))
		require.Equal(t, []types.AttachedPolicy{{PolicyName: aws.String("read"), PolicyArn: read.Policy.Arn}},
			stripAttached(a.AttachedManagedPolicies))
		require.Equal(t, *boundary.Policy.Arn, *a.PermissionsBoundary.PermissionsBoundaryArn)
		require.Equal(t, types.PermissionsBoundaryAttachmentTypePolicy, a.PermissionsBoundary.PermissionsBoundaryType)
		require.Len(t, a.Tags, 1)
		require.Equal(t, "team", *a.Tags[0].Key)

		b := out.UserDetailList[1]
		require.Equal(t, "bob", *b.UserName)
		require.Empty(t, b.GroupList)
		require.Empty(t, b.UserPolicyList)
		require.Empty(t, b.AttachedManagedPolicies)
		require.Nil(t, b.PermissionsBoundary)
		require.Empty(t, b.Tags)

		require.Len(t, out.GroupDetailList, 1)
		g := out.GroupDetailList[0]
		require.Equal(t, "Devs", *g.GroupName)
		require.Equal(t, "arn:aws:iam::123456789012:group/Devs", *g.Arn)
		require.Len(t, g.GroupPolicyList, 1)
		require.Equal(t, "g", *g.GroupPolicyList[0].PolicyName)
		require.JSONEq(t, accountReadS3, accountDecode(t, g.GroupPolicyList[0].PolicyDocument))
		require.Len(t, g.AttachedManagedPolicies, 1)

		require.Len(t, out.RoleDetailList, 1)
		r := out.RoleDetailList[0]
		require.Equal(t, "app", *r.RoleName)
		require.JSONEq(t, accountTrust, accountDecode(t, r.AssumeRolePolicyDocument))
		require.Len(t, r.RolePolicyList, 1)
		require.JSONEq(t, accountReadS3, accountDecode(t, r.RolePolicyList[0].PolicyDocument))
		require.Len(t, r.AttachedManagedPolicies, 1)
		require.Empty(t, r.InstanceProfileList)
		require.NotNil(t, r.RoleLastUsed)
		require.Nil(t, r.RoleLastUsed.LastUsedDate)
		require.Equal(t, *boundary.Policy.Arn, *r.PermissionsBoundary.PermissionsBoundaryArn)
		require.Len(t, r.Tags, 1)

		require.Len(t, out.Policies, 2)
		bp, rp := out.Policies[0], out.Policies[1]
		require.Equal(t, "Boundary", *bp.PolicyName)
		require.Equal(t, int32(0), *bp.AttachmentCount)
		require.Equal(t, int32(2), *bp.PermissionsBoundaryUsageCount)
		require.Len(t, bp.PolicyVersionList, 1)
		require.True(t, bp.PolicyVersionList[0].IsDefaultVersion)

		require.Equal(t, "read", *rp.PolicyName)
		require.Equal(t, "/team/", *rp.Path)
		require.Equal(t, *read.Policy.Arn, *rp.Arn)
		require.Equal(t, "read objects", *rp.Description)
		require.Equal(t, "v2", *rp.DefaultVersionId)
		require.Equal(t, int32(3), *rp.AttachmentCount)
		require.Equal(t, int32(0), *rp.PermissionsBoundaryUsageCount)
		require.True(t, rp.IsAttachable)
		require.Len(t, rp.PolicyVersionList, 2)
		v2, v1 := rp.PolicyVersionList[0], rp.PolicyVersionList[1]
		require.Equal(t, "v2", *v2.VersionId)
		require.True(t, v2.IsDefaultVersion)
		require.JSONEq(t, accountAllowAll, accountDecode(t, v2.Document))
		require.Equal(t, "v1", *v1.VersionId)
		require.False(t, v1.IsDefaultVersion)
		require.JSONEq(t, accountReadS3, accountDecode(t, v1.Document))
	})

	t.Run("filter", func(t *testing.T) {
		for _, tc := range []struct {
			name                          string
			filter                        []types.EntityType
			users, groups, roles, managed int
		}{
			{"users", []types.EntityType{types.EntityTypeUser}, 2, 0, 0, 0},
			{"groups and roles", []types.EntityType{types.EntityTypeGroup, types.EntityTypeRole}, 0, 1, 1, 0},
			{"local policies", []types.EntityType{types.EntityTypeLocalManagedPolicy}, 0, 0, 0, 2},
			{"aws policies", []types.EntityType{types.EntityTypeAWSManagedPolicy}, 0, 0, 0, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				out, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: tc.filter})
				require.NoError(t, err)
				require.Len(t, out.UserDetailList, tc.users)
				require.Len(t, out.GroupDetailList, tc.groups)
				require.Len(t, out.RoleDetailList, tc.roles)
				require.Len(t, out.Policies, tc.managed)
			})
		}
		_, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{"Bucket"}})
		requireAPIError(t, err, "ValidationError", "")
	})

	t.Run("pages", func(t *testing.T) {
		var names []string
		var marker *string
		for range 10 {
			out, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(2), Marker: marker})
			require.NoError(t, err)
			n := len(out.UserDetailList) + len(out.GroupDetailList) + len(out.RoleDetailList) + len(out.Policies)
			require.LessOrEqual(t, n, 2)
			for _, u := range out.UserDetailList {
				names = append(names, "user "+*u.UserName)
			}
			for _, g := range out.GroupDetailList {
				names = append(names, "group "+*g.GroupName)
			}
			for _, r := range out.RoleDetailList {
				names = append(names, "role "+*r.RoleName)
			}
			for _, p := range out.Policies {
				names = append(names, "policy "+*p.PolicyName)
			}
			if !out.IsTruncated {
				break
			}
			require.NotNil(t, out.Marker)
			marker = out.Marker
		}
		require.Equal(t, []string{"user Alice", "user bob", "group Devs", "role app", "policy Boundary", "policy read"}, names)
	})

	t.Run("paginator", func(t *testing.T) {
		p := iam.NewGetAccountAuthorizationDetailsPaginator(c, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(1)})
		pages := 0
		for p.HasMorePages() {
			_, err := p.NextPage(ctx)
			require.NoError(t, err)
			pages++
		}
		require.Equal(t, 6, pages)
	})

	t.Run("bad marker", func(t *testing.T) {
		_, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Marker: aws.String("nonsense")})
		requireAPIError(t, err, "ValidationError", "Invalid Marker: the value was not returned by a previous call.")
	})
}

// stripAttached drops the SDK's unexported fields so lists compare.
func stripAttached(in []types.AttachedPolicy) []types.AttachedPolicy {
	out := make([]types.AttachedPolicy, len(in))
	for i, a := range in {
		out[i] = types.AttachedPolicy{PolicyName: a.PolicyName, PolicyArn: a.PolicyArn}
	}
	return out
}
