package server_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// requireAPIError asserts an AWS error code (and, when msg is not empty,
// its exact message).
func requireAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "want an API error %s, got %v", code, err)
	require.Equal(t, code, ae.ErrorCode(), ae.ErrorMessage())
	if msg != "" {
		require.Equal(t, msg, ae.ErrorMessage())
	}
}

func TestUserLifecycle(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()

	out, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("Alice"), Path: aws.String("/eng/"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("red")}}})
	require.NoError(t, err)
	u := out.User
	require.Equal(t, "Alice", *u.UserName)
	require.Equal(t, "/eng/", *u.Path)
	require.Equal(t, "arn:aws:iam::123456789012:user/eng/Alice", *u.Arn)
	require.True(t, strings.HasPrefix(*u.UserId, "AIDA"), *u.UserId)
	require.Len(t, *u.UserId, 21)
	require.NotNil(t, u.CreateDate)

	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	requireAPIError(t, err, "EntityAlreadyExists", "User with name alice already exists.")

	got, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ALICE")})
	require.NoError(t, err)
	require.Equal(t, "Alice", *got.User.UserName, "case preserved, lookup case-insensitive")
	require.Equal(t, []types.Tag{{Key: aws.String("team"), Value: aws.String("red")}}, got.User.Tags)

	_, err = c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("Alice"), NewUserName: aws.String("alice2"), NewPath: aws.String("/ops/")})
	require.NoError(t, err)
	got, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice2")})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:iam::123456789012:user/ops/alice2", *got.User.Arn)

	list, err := c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/ops/")})
	require.NoError(t, err)
	require.Len(t, list.Users, 1)
	list, err = c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/eng/")})
	require.NoError(t, err)
	require.Empty(t, list.Users)

	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice2")})
	require.NoError(t, err)
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice2")})
	requireAPIError(t, err, "NoSuchEntity", "The user with name alice2 cannot be found.")
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice2")})
	requireAPIError(t, err, "NoSuchEntity", "The user with name alice2 cannot be found.")
}

func TestUserValidation(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		in   *iam.CreateUserInput
		code string
		msg  string
	}{
		{"bad name", &iam.CreateUserInput{UserName: aws.String("bad name")}, "ValidationError",
			`1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"name too long", &iam.CreateUserInput{UserName: aws.String(strings.Repeat("a", 65))}, "ValidationError", ""},
		{"bad path", &iam.CreateUserInput{UserName: aws.String("eve"), Path: aws.String("eng")}, "ValidationError", ""},
		{"duplicate tag keys", &iam.CreateUserInput{UserName: aws.String("eve"), Tags: []types.Tag{
			{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("A"), Value: aws.String("2")}}}, "InvalidInput",
			"Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"unknown boundary", &iam.CreateUserInput{UserName: aws.String("eve"), PermissionsBoundary: aws.String("arn:aws:iam::123456789012:policy/none")},
			"NoSuchEntity", "Scope ARN: arn:aws:iam::123456789012:policy/none does not exist or is not attachable."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateUser(ctx, tc.in)
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}
	// Nothing was half-written.
	list, err := c.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	require.Empty(t, list.Users)
}

func TestListUsersPagination(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	for i := 0; i < 25; i++ {
		_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(string(rune('a'+i)) + "-user")})
		require.NoError(t, err)
	}
	var names []string
	p := iam.NewListUsersPaginator(c, &iam.ListUsersInput{MaxItems: aws.Int32(10)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, u := range out.Users {
			names = append(names, *u.UserName)
		}
	}
	require.Equal(t, 3, pages)
	require.Len(t, names, 25)
	require.Equal(t, "a-user", names[0])
	require.Equal(t, "y-user", names[24])
}

func TestConcurrentCreateUserOneWins(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("racer")})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		requireAPIError(t, err, "EntityAlreadyExists", "")
	}
	require.Equal(t, 1, ok)
}

func TestUserTagsAndBoundaryErrors(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
	require.NoError(t, err)
	_, err = c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("bob"), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("team"), Value: aws.String("blue")}}})
	require.NoError(t, err)
	_, err = c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("bob"), TagKeys: []string{"ENV"}})
	require.NoError(t, err)
	tags, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("bob")})
	require.NoError(t, err)
	require.Equal(t, []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}, tags.Tags)
	_, err = c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("nobody"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	requireAPIError(t, err, "NoSuchEntity", "The user with name nobody cannot be found.")
	_, err = c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("bob")})
	requireAPIError(t, err, "NoSuchEntity", "")
}

// AWS: "To change a user name, the requester must have appropriate
// permissions on both the source object and the target object." The same
// holds for groups and for a new path.
func TestRenameNeedsPermissionOnTheNewName(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	admin, _ := newUserWithKey(t, srv, "admin")
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	_, err = root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("Managers")})
	require.NoError(t, err)
	_, err = root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:UpdateUser","iam:UpdateGroup"],"Resource":["arn:aws:iam::123456789012:user/alice","arn:aws:iam::123456789012:user/alicia","arn:aws:iam::123456789012:group/Managers"]}]}`)})
	require.NoError(t, err)

	_, err = admin.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("bob")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: iam:UpdateUser on resource: arn:aws:iam::123456789012:user/bob because no identity-based policy allows the iam:UpdateUser action")
	_, err = admin.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice"), NewPath: aws.String("/staff/")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: iam:UpdateUser on resource: arn:aws:iam::123456789012:user/staff/alice because no identity-based policy allows the iam:UpdateUser action")
	_, err = admin.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String("Managers"), NewGroupName: aws.String("MGRs")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: iam:UpdateGroup on resource: arn:aws:iam::123456789012:group/MGRs because no identity-based policy allows the iam:UpdateGroup action")
	// Nothing was renamed.
	_, err = root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	_, err = root.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("Managers")})
	require.NoError(t, err)

	// With permission on both names the rename goes through.
	_, err = admin.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("alicia")})
	require.NoError(t, err)
	_, err = root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alicia")})
	require.NoError(t, err)
}
