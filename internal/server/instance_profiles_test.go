package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

func profileNames(ps []types.InstanceProfile) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, *p.InstanceProfileName)
	}
	return out
}

func TestInstanceProfileLifecycle(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()

	out, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("Web"),
		Path: aws.String("/eng/"), Tags: []types.Tag{roleTag("team", "red")}})
	require.NoError(t, err)
	p := out.InstanceProfile
	require.Equal(t, "Web", *p.InstanceProfileName)
	require.Equal(t, "/eng/", *p.Path)
	require.Equal(t, "arn:aws:iam::123456789012:instance-profile/eng/Web", *p.Arn)
	require.True(t, strings.HasPrefix(*p.InstanceProfileId, "AIPA"), *p.InstanceProfileId)
	require.Len(t, *p.InstanceProfileId, 21)
	require.NotNil(t, p.CreateDate)
	require.Empty(t, p.Roles)
	require.Len(t, p.Tags, 1)
	sum, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	require.NoError(t, err)
	require.Equal(t, int32(1), sum.SummaryMap["InstanceProfiles"])

	_, err = c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("WEB")})
	requireAPIError(t, err, "EntityAlreadyExists", "Instance Profile WEB already exists.")
	_, err = c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("bad name")})
	requireAPIError(t, err, "ValidationError", "")
	_, err = c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("x"), Path: aws.String("eng")})
	requireAPIError(t, err, "ValidationError", "")
	_, err = c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("nope")})
	requireAPIError(t, err, "NoSuchEntity", "Instance Profile nope cannot be found.")

	roleCreate(t, c, "app")
	roleCreate(t, c, "other")
	_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("app")})
	require.NoError(t, err)
	_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("Web"), RoleName: aws.String("other")})
	requireAPIError(t, err, "LimitExceeded", "Cannot exceed quota for InstanceRolesPerInstanceProfile: 1")
	_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("Web"), RoleName: aws.String("ghost")})
	requireAPIError(t, err, "NoSuchEntity", "The role with name ghost cannot be found.")
	_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("ghost"), RoleName: aws.String("app")})
	requireAPIError(t, err, "NoSuchEntity", "Instance Profile ghost cannot be found.")

	got, err := c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")})
	require.NoError(t, err)
	require.Equal(t, "Web", *got.InstanceProfile.InstanceProfileName)
	require.Len(t, got.InstanceProfile.Roles, 1)
	require.Equal(t, "app", *got.InstanceProfile.Roles[0].RoleName)
	require.Equal(t, "arn:aws:iam::123456789012:role/app", *got.InstanceProfile.Roles[0].Arn)
	require.Equal(t, []types.Tag{roleTag("team", "red")}, got.InstanceProfile.Tags)

	forRole, err := c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("app")})
	require.NoError(t, err)
	require.Equal(t, []string{"Web"}, profileNames(forRole.InstanceProfiles))
	forRole, err = c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("other")})
	require.NoError(t, err)
	require.Empty(t, forRole.InstanceProfiles)
	_, err = c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("ghost")})
	requireAPIError(t, err, "NoSuchEntity", "The role with name ghost cannot be found.")

	// Neither the role nor the profile can go while they are joined.
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
	_, err = c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("Web")})
	requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")

	_, err = c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("Web"), RoleName: aws.String("other")})
	requireAPIError(t, err, "NoSuchEntity", "The role with name other cannot be found.")
	_, err = c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("Web"), RoleName: aws.String("app")})
	require.NoError(t, err)
	_, err = c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("Web"), RoleName: aws.String("app")})
	requireAPIError(t, err, "NoSuchEntity", "The role with name app cannot be found.")

	_, err = c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")})
	require.NoError(t, err)
	_, err = c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")})
	requireAPIError(t, err, "NoSuchEntity", "Instance Profile web cannot be found.")
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	require.NoError(t, err)
}

func TestListInstanceProfiles(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("p%d", i)
		path := "/"
		if i%2 == 1 {
			path = "/odd/"
		}
		_, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(name), Path: aws.String(path)})
		require.NoError(t, err)
		want = append(want, name)
	}
	var got []string
	var marker *string
	for {
		out, err := c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{MaxItems: aws.Int32(2), Marker: marker})
		require.NoError(t, err)
		require.LessOrEqual(t, len(out.InstanceProfiles), 2)
		got = append(got, profileNames(out.InstanceProfiles)...)
		if !out.IsTruncated {
			break
		}
		marker = out.Marker
	}
	require.Equal(t, want, got)

	out, err := c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{PathPrefix: aws.String("/odd/")})
	require.NoError(t, err)
	require.Equal(t, []string{"p1", "p3"}, profileNames(out.InstanceProfiles))
	require.Empty(t, out.InstanceProfiles[0].Tags, "list members carry no tags")
	require.False(t, out.IsTruncated)

	_, err = c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{Marker: aws.String("bogus!")})
	requireAPIError(t, err, "ValidationError", "")
}

func TestInstanceProfileTags(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	_, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web")})
	require.NoError(t, err)

	_, err = c.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String("web"),
		Tags: []types.Tag{roleTag("a", "1"), roleTag("b", "2")}})
	require.NoError(t, err)
	_, err = c.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String("web"),
		Tags: []types.Tag{roleTag("A", "3")}})
	require.NoError(t, err)
	out, err := c.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("web")})
	require.NoError(t, err)
	require.Equal(t, []types.Tag{roleTag("A", "3"), roleTag("b", "2")}, out.Tags)
	require.False(t, out.IsTruncated)

	_, err = c.UntagInstanceProfile(ctx, &iam.UntagInstanceProfileInput{InstanceProfileName: aws.String("web"), TagKeys: []string{"a"}})
	require.NoError(t, err)
	out, err = c.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("web")})
	require.NoError(t, err)
	require.Equal(t, []types.Tag{roleTag("b", "2")}, out.Tags)

	_, err = c.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String("web"),
		Tags: []types.Tag{roleTag("aws:x", "1")}})
	requireAPIError(t, err, "InvalidInput", "User-created tag keys can't start with \"aws:\".")
	_, err = c.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String("ghost"),
		Tags: []types.Tag{roleTag("a", "1")}})
	requireAPIError(t, err, "NoSuchEntity", "Instance Profile ghost cannot be found.")
	_, err = c.UntagInstanceProfile(ctx, &iam.UntagInstanceProfileInput{InstanceProfileName: aws.String("ghost"), TagKeys: []string{"a"}})
	requireAPIError(t, err, "NoSuchEntity", "Instance Profile ghost cannot be found.")
	_, err = c.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("ghost")})
	requireAPIError(t, err, "NoSuchEntity", "Instance Profile ghost cannot be found.")
}

func TestAccountAliases(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	list := func() []string {
		t.Helper()
		out, err := c.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
		require.NoError(t, err)
		require.False(t, out.IsTruncated)
		return out.AccountAliases
	}
	require.Empty(t, list())

	_, err := c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("my-corp-1")})
	require.NoError(t, err)
	require.Equal(t, []string{"my-corp-1"}, list())
	_, err = c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("my-corp-1")})
	requireAPIError(t, err, "EntityAlreadyExists", "The account alias my-corp-1 already exists.")
	// A new alias replaces the old one: an account has one.
	_, err = c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("corp")})
	require.NoError(t, err)
	require.Equal(t, []string{"corp"}, list())

	for _, tc := range []struct{ name, alias string }{
		{"too short", "ab"},
		{"too long", strings.Repeat("a", 64)},
		{"upper case", "Corp"},
		{"leading hyphen", "-corp"},
		{"trailing hyphen", "corp-"},
		{"double hyphen", "my--corp"},
		{"underscore", "my_corp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(tc.alias)})
			requireAPIError(t, err, "ValidationError", "")
		})
	}
	_, err = c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(strings.Repeat("a", 63))})
	require.NoError(t, err)

	_, err = c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("corp")})
	requireAPIError(t, err, "NoSuchEntity", "The account alias corp cannot be found.")
	_, err = c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String(strings.Repeat("a", 63))})
	require.NoError(t, err)
	require.Empty(t, list())
}

func TestServiceLinkedRoles(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()

	out, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("elasticbeanstalk.amazonaws.com"),
		Description: aws.String("for EB")})
	require.NoError(t, err)
	r := out.Role
	require.Equal(t, "AWSServiceRoleForElasticBeanstalk", *r.RoleName)
	require.Equal(t, "/aws-service-role/elasticbeanstalk.amazonaws.com/", *r.Path)
	require.Equal(t, "arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk", *r.Arn)
	require.Equal(t, "for EB", *r.Description)
	require.Contains(t, roleDecode(t, r.AssumeRolePolicyDocument), `"Service":["elasticbeanstalk.amazonaws.com"]`)
	got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("AWSServiceRoleForElasticBeanstalk")})
	require.NoError(t, err)
	require.Equal(t, *r.RoleId, *got.Role.RoleId)

	_, err = c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("elasticbeanstalk.amazonaws.com")})
	requireAPIError(t, err, "InvalidInput", "Service role name AWSServiceRoleForElasticBeanstalk has been taken in this account, please try a different suffix.")
	sfx, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com"),
		CustomSuffix: aws.String("web")})
	require.NoError(t, err)
	require.Equal(t, "AWSServiceRoleForAutoScaling_web", *sfx.Role.RoleName)
	_, err = c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("not-a-service")})
	requireAPIError(t, err, "InvalidInput", "Invalid ServiceName: not-a-service")

	// DeleteServiceLinkedRole refuses other roles and absent ones.
	roleCreate(t, c, "plain")
	_, err = c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("plain")})
	requireAPIError(t, err, "InvalidInput", "Role plain is not a service-linked role.")
	_, err = c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("ghost")})
	requireAPIError(t, err, "NoSuchEntity", "The role with name ghost cannot be found.")

	del, err := c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String("AWSServiceRoleForElasticBeanstalk")})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(*del.DeletionTaskId,
		"task/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk/"), *del.DeletionTaskId)
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("AWSServiceRoleForElasticBeanstalk")})
	requireAPIError(t, err, "NoSuchEntity", "")

	st, err := c.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: del.DeletionTaskId})
	require.NoError(t, err)
	require.Equal(t, types.DeletionTaskStatusTypeSucceeded, st.Status)
	_, err = c.GetServiceLinkedRoleDeletionStatus(ctx, &iam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: aws.String("task/none")})
	requireAPIError(t, err, "NoSuchEntity", "Deletion task with id task/none cannot be found.")
}
