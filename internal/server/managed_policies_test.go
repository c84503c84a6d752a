package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

const (
	managedAllowListUsers = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`
	managedAllowGetUser   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`
	managedAllowAll       = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	managedARNPrefix      = "arn:aws:iam::123456789012:policy"
)

// managedUserClient creates a user with an access key and returns an IAM
// client signed with it.
func managedUserClient(t *testing.T, srv *servertest.Server, root *iam.Client, name string) *iam.Client {
	t.Helper()
	ctx := context.Background()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	require.NoError(t, err)
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	require.NoError(t, err)
	return srv.IAM(*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey)
}

func managedCreate(t *testing.T, c *iam.Client, name, doc string) string {
	t.Helper()
	out, err := c.CreatePolicy(context.Background(), &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
	require.NoError(t, err)
	return *out.Policy.Arn
}

// TestManagedPolicyGrantsAccess is the headline flow: a new user
// is denied, a managed policy attached to it allows, detaching denies
// again, and a permissions boundary that does not allow the action denies
// even while the policy is attached.
func TestManagedPolicyGrantsAccess(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	dev := managedUserClient(t, srv, root, "dev")
	denied := "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/ because no identity-based policy allows the iam:ListUsers action"

	_, err := dev.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", denied)

	arn := managedCreate(t, root, "list-users", managedAllowListUsers)
	_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(arn)})
	require.NoError(t, err)
	list, err := dev.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	require.Len(t, list.Users, 1)

	t.Run("detach denies again", func(t *testing.T) {
		_, err := root.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(arn)})
		require.NoError(t, err)
		_, err = dev.ListUsers(ctx, &iam.ListUsersInput{})
		requireAPIError(t, err, "AccessDenied", denied)
		_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(arn)})
		require.NoError(t, err)
	})

	t.Run("boundary limits", func(t *testing.T) {
		boundary := managedCreate(t, root, "boundary-get-user", managedAllowGetUser)
		_, err := root.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("dev"), PermissionsBoundary: aws.String(boundary)})
		require.NoError(t, err)
		_, err = dev.ListUsers(ctx, &iam.ListUsersInput{})
		requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/ because no permissions boundary allows the iam:ListUsers action")

		got, err := root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(boundary)})
		require.NoError(t, err)
		require.Equal(t, int32(1), *got.Policy.PermissionsBoundaryUsageCount)
		require.Equal(t, int32(0), *got.Policy.AttachmentCount)
		_, err = root.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(boundary)})
		requireAPIError(t, err, "DeleteConflict", "Cannot delete a policy attached to entities.")

		ents, err := root.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(boundary), PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary})
		require.NoError(t, err)
		require.Len(t, ents.PolicyUsers, 1)
		require.Equal(t, "dev", *ents.PolicyUsers[0].UserName)

		_, err = root.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("dev")})
		require.NoError(t, err)
		_, err = dev.ListUsers(ctx, &iam.ListUsersInput{})
		require.NoError(t, err)
	})
}

func TestManagedPolicyDefaultVersionDecides(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	dev := managedUserClient(t, srv, root, "dev")
	arn := managedCreate(t, root, "switch", managedAllowGetUser)
	_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(arn)})
	require.NoError(t, err)

	_, err = dev.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "")

	v2, err := root.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(managedAllowListUsers)})
	require.NoError(t, err)
	require.Equal(t, "v2", *v2.PolicyVersion.VersionId)
	require.False(t, v2.PolicyVersion.IsDefaultVersion)
	_, err = dev.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "" /* v2 is not the default yet */)

	_, err = root.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v2")})
	require.NoError(t, err)
	_, err = dev.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	_, err = dev.GetUser(ctx, &iam.GetUserInput{})
	requireAPIError(t, err, "AccessDenied", "")

	_, err = root.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})
	require.NoError(t, err)
	_, err = dev.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "")

	v3, err := root.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(managedAllowAll), SetAsDefault: true})
	require.NoError(t, err)
	require.True(t, v3.PolicyVersion.IsDefaultVersion)
	_, err = dev.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
}

func TestManagedPolicyLifecycle(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()

	out, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("ReadOnly"), Path: aws.String("/team/"),
		PolicyDocument: aws.String(managedAllowListUsers), Description: aws.String("reads"),
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}})
	require.NoError(t, err)
	p := out.Policy
	arn := managedARNPrefix + "/team/ReadOnly"
	require.Equal(t, arn, *p.Arn)
	require.Equal(t, "ReadOnly", *p.PolicyName)
	require.Equal(t, "/team/", *p.Path)
	require.True(t, strings.HasPrefix(*p.PolicyId, "ANPA"), *p.PolicyId)
	require.Len(t, *p.PolicyId, 21)
	require.Equal(t, "v1", *p.DefaultVersionId)
	require.True(t, p.IsAttachable)
	require.Equal(t, int32(0), *p.AttachmentCount)
	require.NotNil(t, p.CreateDate)
	require.NotNil(t, p.UpdateDate)
	require.Len(t, p.Tags, 1)

	t.Run("get", func(t *testing.T) {
		got, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
		require.NoError(t, err)
		require.Equal(t, "reads", *got.Policy.Description)
		require.Equal(t, []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}, got.Policy.Tags)
		require.Equal(t, int32(0), *got.Policy.PermissionsBoundaryUsageCount)
	})

	t.Run("get version returns the URL-encoded document", func(t *testing.T) {
		v, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})
		require.NoError(t, err)
		doc, err := url.QueryUnescape(*v.PolicyVersion.Document)
		require.NoError(t, err)
		require.JSONEq(t, managedAllowListUsers, doc)
		require.True(t, v.PolicyVersion.IsDefaultVersion)
	})

	t.Run("list", func(t *testing.T) {
		list, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, PathPrefix: aws.String("/team/")})
		require.NoError(t, err)
		require.Len(t, list.Policies, 1)
		require.Nil(t, list.Policies[0].Description, "ListPolicies omits Description")
		list, err = c.ListPolicies(ctx, &iam.ListPoliciesInput{PathPrefix: aws.String("/other/")})
		require.NoError(t, err)
		require.Empty(t, list.Policies)
		list, err = c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws})
		require.NoError(t, err)
		require.NotEmpty(t, list.Policies)
		for _, p := range list.Policies {
			require.True(t, strings.HasPrefix(*p.Arn, "arn:aws:iam::aws:policy/"), "Scope AWS lists only AWS managed policies")
		}
		list, err = c.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true})
		require.NoError(t, err)
		require.Empty(t, list.Policies)
	})

	t.Run("tags", func(t *testing.T) {
		_, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(arn), Tags: []types.Tag{
			{Key: aws.String("abc"), Value: aws.String("1")}, {Key: aws.String("a"), Value: aws.String("2")}, {Key: aws.String("A"), Value: aws.String("3")}}})
		require.NoError(t, err)
		_, err = c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: aws.String(arn), TagKeys: []string{"env"}})
		require.NoError(t, err)
		tags, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String(arn)})
		require.NoError(t, err)
		var keys []string
		for _, t := range tags.Tags {
			keys = append(keys, *t.Key)
		}
		require.Equal(t, []string{"A", "a", "abc"}, keys, "case-sensitive keys, by length then key")
		_, err = c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(arn), Tags: []types.Tag{
			{Key: aws.String("x"), Value: aws.String("1")}, {Key: aws.String("x"), Value: aws.String("2")}}})
		requireAPIError(t, err, "InvalidInput", "Duplicate tag keys found.")
		_, err = c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(managedARNPrefix + "/NotAPolicy"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
		requireAPIError(t, err, "NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/NotAPolicy was not found.")
		_, err = c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: aws.String(managedARNPrefix + "/NotAPolicy"), TagKeys: []string{"a"}})
		requireAPIError(t, err, "NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/NotAPolicy was not found.")
	})

	t.Run("delete", func(t *testing.T) {
		_, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
		require.NoError(t, err)
		_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
		requireAPIError(t, err, "NoSuchEntity", "Policy "+arn+" was not found.")
		_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
		requireAPIError(t, err, "NoSuchEntity", "Policy "+arn+" was not found.")
	})
}

func TestManagedPolicyCreateErrors(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	managedCreate(t, c, "taken", managedAllowListUsers)
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"arn:aws:s3:::` + strings.Repeat("a", 6200) + `"}]}`
	for _, tc := range []struct {
		name string
		in   *iam.CreatePolicyInput
		code string
		msg  string
	}{
		{"duplicate name", &iam.CreatePolicyInput{PolicyName: aws.String("TAKEN"), PolicyDocument: aws.String(managedAllowListUsers)},
			"EntityAlreadyExists", "A policy called TAKEN already exists. Duplicate names are not allowed."},
		{"old version", &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`)},
			"MalformedPolicyDocument", "Policy document must be version 2012-10-17 or greater."},
		{"not json", &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(`{`)},
			"MalformedPolicyDocument", "Syntax errors in policy."},
		{"too big", &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(big)},
			"LimitExceeded", "Cannot exceed quota for PolicySize: 6144"},
		{"bad path", &iam.CreatePolicyInput{PolicyName: aws.String("p"), Path: aws.String("/a*b/"), PolicyDocument: aws.String(managedAllowListUsers)},
			"ValidationError", `1 validation error detected: Value '/a*b/' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: ((/[A-Za-z0-9\.,\+@=_-]+)*)/`},
		{"bad name", &iam.CreatePolicyInput{PolicyName: aws.String("a b"), PolicyDocument: aws.String(managedAllowListUsers)}, "ValidationError", ""},
		{"description too long", &iam.CreatePolicyInput{PolicyName: aws.String("p"), Description: aws.String(strings.Repeat("d", 1001)), PolicyDocument: aws.String(managedAllowListUsers)}, "ValidationError", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreatePolicy(ctx, tc.in)
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}
	list, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	require.NoError(t, err)
	require.Len(t, list.Policies, 1, "nothing half-written")
}

func TestManagedPolicyVersions(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	arn := managedCreate(t, c, "versioned", managedAllowListUsers)
	for i := 2; i <= 5; i++ {
		v, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(managedAllowGetUser)})
		require.NoError(t, err)
		require.Equal(t, fmt.Sprintf("v%d", i), *v.PolicyVersion.VersionId)
	}

	t.Run("five versions at most", func(t *testing.T) {
		_, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(managedAllowGetUser)})
		requireAPIError(t, err, "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	})
	t.Run("list newest first", func(t *testing.T) {
		list, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
		require.NoError(t, err)
		var ids []string
		for _, v := range list.Versions {
			ids = append(ids, *v.VersionId)
			require.Nil(t, v.Document)
			require.Equal(t, *v.VersionId == "v1", v.IsDefaultVersion)
		}
		require.Equal(t, []string{"v5", "v4", "v3", "v2", "v1"}, ids)
		page, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn), MaxItems: aws.Int32(2)})
		require.NoError(t, err)
		require.True(t, page.IsTruncated)
		require.Len(t, page.Versions, 2)
	})
	t.Run("delete policy with versions", func(t *testing.T) {
		_, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
		requireAPIError(t, err, "DeleteConflict", "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	})
	t.Run("delete default version", func(t *testing.T) {
		_, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})
		requireAPIError(t, err, "DeleteConflict", "Cannot delete the default version of a policy.")
	})
	t.Run("ids are not reused", func(t *testing.T) {
		_, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v5")})
		require.NoError(t, err)
		v, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(managedAllowGetUser)})
		require.NoError(t, err)
		require.Equal(t, "v6", *v.PolicyVersion.VersionId)
	})
	for _, tc := range []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"get absent version", func() error {
			_, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v9")})
			return err
		}, "NoSuchEntity", "Policy " + arn + " version v9 does not exist or is not attachable."},
		{"get version of absent policy", func() error {
			_, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(managedARNPrefix + "/none"), VersionId: aws.String("v1")})
			return err
		}, "NoSuchEntity", "Policy " + managedARNPrefix + "/none version v1 does not exist or is not attachable."},
		{"delete absent version", func() error {
			_, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v9")})
			return err
		}, "NoSuchEntity", "Policy " + arn + " version v9 does not exist or is not attachable."},
		{"set absent default", func() error {
			_, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v5")})
			return err
		}, "NoSuchEntity", "Policy " + arn + " version v5 does not exist or is not attachable."},
		{"bad version id", func() error {
			_, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("1")})
			return err
		}, "ValidationError", `1 validation error detected: Value '1' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`},
		{"version of absent policy", func() error {
			_, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(managedARNPrefix + "/none"), PolicyDocument: aws.String(managedAllowGetUser)})
			return err
		}, "NoSuchEntity", "Policy " + managedARNPrefix + "/none does not exist or is not attachable."},
		{"malformed version", func() error {
			_, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(`{"Statement":[]}`)})
			return err
		}, "MalformedPolicyDocument", ""},
	} {
		t.Run(tc.name, func(t *testing.T) { requireAPIError(t, tc.call(), tc.code, tc.msg) })
	}
}

func TestManagedPolicyAttachments(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	var arns []string
	for i := 0; i < 11; i++ {
		path := "/"
		if i == 0 {
			path = "/team/"
		}
		out, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("p%02d", i)), Path: aws.String(path), PolicyDocument: aws.String(managedAllowGetUser)})
		require.NoError(t, err)
		arns = append(arns, *out.Policy.Arn)
	}
	for _, arn := range arns[:10] {
		_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)})
		require.NoError(t, err)
	}

	t.Run("attach again is a no-op", func(t *testing.T) {
		_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ALICE"), PolicyArn: aws.String(arns[0])})
		require.NoError(t, err)
	})
	t.Run("ten per user", func(t *testing.T) {
		_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arns[10])})
		requireAPIError(t, err, "LimitExceeded", "Cannot exceed quota for PoliciesPerUser: 10")
	})
	t.Run("list attached", func(t *testing.T) {
		list, err := c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("alice")})
		require.NoError(t, err)
		require.Len(t, list.AttachedPolicies, 10)
		list, err = c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("alice"), PathPrefix: aws.String("/team/")})
		require.NoError(t, err)
		require.Equal(t, []types.AttachedPolicy{{PolicyName: aws.String("p00"), PolicyArn: aws.String(arns[0])}}, list.AttachedPolicies)
		var n int
		p := iam.NewListAttachedUserPoliciesPaginator(c, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("alice"), MaxItems: aws.Int32(4)})
		pages := 0
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			n += len(out.AttachedPolicies)
			pages++
		}
		require.Equal(t, 10, n)
		require.Equal(t, 3, pages)
	})
	t.Run("counts and only attached", func(t *testing.T) {
		got, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arns[0])})
		require.NoError(t, err)
		require.Equal(t, int32(1), *got.Policy.AttachmentCount)
		list, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true})
		require.NoError(t, err)
		require.Len(t, list.Policies, 10)
		list, err = c.ListPolicies(ctx, &iam.ListPoliciesInput{PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary})
		require.NoError(t, err)
		require.Empty(t, list.Policies)
		var names []string
		p := iam.NewListPoliciesPaginator(c, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, MaxItems: aws.Int32(5)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			for _, pol := range out.Policies {
				names = append(names, *pol.PolicyName)
			}
		}
		require.Len(t, names, 11)
		require.Equal(t, "p00", names[0])
		require.Equal(t, "p10", names[10])
	})
	t.Run("entities for policy", func(t *testing.T) {
		ents, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arns[1])})
		require.NoError(t, err)
		require.Len(t, ents.PolicyUsers, 1)
		require.Empty(t, ents.PolicyGroups)
		require.Empty(t, ents.PolicyRoles)
		_, err = c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(managedARNPrefix + "/NonExistentPolicy")})
		requireAPIError(t, err, "NoSuchEntity", "Policy "+managedARNPrefix+"/NonExistentPolicy does not exist or is not attachable.")
	})
	t.Run("delete attached", func(t *testing.T) {
		_, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arns[1])})
		requireAPIError(t, err, "DeleteConflict", "Cannot delete a policy attached to entities.")
		_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
		requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	})

	for _, tc := range []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"attach absent policy", func() error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(managedARNPrefix + "/none")})
			return err
		}, "NoSuchEntity", "Policy " + managedARNPrefix + "/none does not exist or is not attachable."},
		{"attach to absent user", func() error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("nobody"), PolicyArn: aws.String(arns[0])})
			return err
		}, "NoSuchEntity", "The user with name nobody cannot be found."},
		{"attach to absent group", func() error {
			_, err := c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("nogroup"), PolicyArn: aws.String(arns[0])})
			return err
		}, "NoSuchEntity", "The group with name nogroup cannot be found."},
		{"attach to absent role", func() error {
			_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("norole"), PolicyArn: aws.String(arns[0])})
			return err
		}, "NoSuchEntity", "The role with name norole cannot be found."},
		{"attach a role ARN", func() error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String("arn:aws:iam::123456789012:role/r")})
			return err
		}, "InvalidInput", "ARN arn:aws:iam::123456789012:role/r is not valid."},
		{"detach not attached", func() error {
			_, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arns[10])})
			return err
		}, "NoSuchEntity", "Policy " + arns[10] + " was not found."},
		{"detach absent policy", func() error {
			_, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(managedARNPrefix + "/none")})
			return err
		}, "NoSuchEntity", "Policy " + managedARNPrefix + "/none was not found."},
		{"detach from absent group", func() error {
			_, err := c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("nogroup"), PolicyArn: aws.String(arns[0])})
			return err
		}, "NoSuchEntity", "The group with name nogroup cannot be found."},
		{"detach from absent role", func() error {
			_, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("norole"), PolicyArn: aws.String(arns[0])})
			return err
		}, "NoSuchEntity", "The role with name norole cannot be found."},
		{"list attached of absent user", func() error {
			_, err := c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity", "The user with name nobody cannot be found."},
		{"list attached of absent group", func() error {
			_, err := c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("nogroup")})
			return err
		}, "NoSuchEntity", "The group with name nogroup cannot be found."},
		{"list attached of absent role", func() error {
			_, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("norole")})
			return err
		}, "NoSuchEntity", "The role with name norole cannot be found."},
	} {
		t.Run(tc.name, func(t *testing.T) { requireAPIError(t, tc.call(), tc.code, tc.msg) })
	}

	t.Run("detach", func(t *testing.T) {
		_, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arns[1])})
		require.NoError(t, err)
		got, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arns[1])})
		require.NoError(t, err)
		require.Equal(t, int32(0), *got.Policy.AttachmentCount)
		_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arns[1])})
		require.NoError(t, err)
	})
}

// TestManagedPolicyGroupsAndRoles attaches to a group and a role when
// those actions are served (they are built alongside).
func TestManagedPolicyGroupsAndRoles(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	arn := managedCreate(t, c, "shared", managedAllowListUsers)

	t.Run("group", func(t *testing.T) {
		if _, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}); err != nil {
			t.Skipf("CreateGroup not served yet: %v", err)
		}
		_, err := c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: aws.String(arn)})
		require.NoError(t, err)
		list, err := c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("devs")})
		require.NoError(t, err)
		require.Equal(t, []types.AttachedPolicy{{PolicyName: aws.String("shared"), PolicyArn: aws.String(arn)}}, list.AttachedPolicies)
		_, err = c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: aws.String(arn)})
		require.NoError(t, err)
	})
	t.Run("role", func(t *testing.T) {
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
		if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
			t.Skipf("CreateRole not served yet: %v", err)
		}
		_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)})
		require.NoError(t, err)
		list, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("app")})
		require.NoError(t, err)
		require.Len(t, list.AttachedPolicies, 1)
		ents, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn), EntityFilter: types.EntityTypeRole})
		require.NoError(t, err)
		require.Len(t, ents.PolicyRoles, 1)
		require.Equal(t, "app", *ents.PolicyRoles[0].RoleName)
		_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)})
		require.NoError(t, err)
		_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)})
		requireAPIError(t, err, "NoSuchEntity", "Policy "+arn+" was not found.")
	})
}

// TestManagedPolicyAuthorization checks the resources the policy actions
// are authorized on.
func TestManagedPolicyAuthorization(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	dev := managedUserClient(t, srv, root, "dev")
	target := managedCreate(t, root, "target", managedAllowGetUser)
	only := managedCreate(t, root, "only-target", `{"Version":"2012-10-17","Statement":[`+
		`{"Effect":"Allow","Action":["iam:GetPolicy","iam:ListPolicies"],"Resource":["`+target+`","arn:aws:iam::123456789012:policy/"]},`+
		`{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"`+target+`"}}}]}`)
	_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(only)})
	require.NoError(t, err)

	_, err = dev.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(target)})
	require.NoError(t, err)
	_, err = dev.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(only)})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:GetPolicy on resource: "+only+" because no identity-based policy allows the iam:GetPolicy action")
	_, err = dev.ListPolicies(ctx, &iam.ListPoliciesInput{})
	require.NoError(t, err)
	_, err = dev.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(target)})
	require.NoError(t, err)
	_, err = dev.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(only)})
	requireAPIError(t, err, "AccessDenied", "")
}
