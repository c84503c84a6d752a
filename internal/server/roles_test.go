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

// roleTrustEC2 is a trust policy with white space and characters that
// URL-encoding changes, so the round trip is a real test.
const roleTrustEC2 = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}`

const roleTrustAccount = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`

// roleDecode undoes IAM's URL-encoding of a policy document.
func roleDecode(t *testing.T, doc *string) string {
	t.Helper()
	require.NotNil(t, doc)
	out, err := url.QueryUnescape(*doc)
	require.NoError(t, err)
	return out
}

func roleCreate(t *testing.T, c *iam.Client, name string, tags ...types.Tag) *types.Role {
	t.Helper()
	out, err := c.CreateRole(context.Background(), &iam.CreateRoleInput{RoleName: aws.String(name),
		AssumeRolePolicyDocument: aws.String(roleTrustAccount), Tags: tags})
	require.NoError(t, err)
	return out.Role
}

func roleTag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func TestRoleLifecycle(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()

	t.Run("create", func(t *testing.T) {
		out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Deployer"), Path: aws.String("/ci/"),
			AssumeRolePolicyDocument: aws.String(roleTrustEC2), Description: aws.String("deploys things"),
			MaxSessionDuration: aws.Int32(7200), Tags: []types.Tag{roleTag("team", "red")}})
		require.NoError(t, err)
		r := out.Role
		require.Equal(t, "Deployer", *r.RoleName)
		require.Equal(t, "/ci/", *r.Path)
		require.Equal(t, "arn:aws:iam::123456789012:role/ci/Deployer", *r.Arn)
		require.True(t, strings.HasPrefix(*r.RoleId, "AROA"), *r.RoleId)
		require.Len(t, *r.RoleId, 21)
		require.NotNil(t, r.CreateDate)
		require.Equal(t, "deploys things", aws.ToString(r.Description))
		require.Equal(t, roleTrustEC2, roleDecode(t, r.AssumeRolePolicyDocument))
		require.Equal(t, []types.Tag{roleTag("team", "red")}, r.Tags)
		require.Nil(t, r.RoleLastUsed)
	})
	t.Run("already exists, case-insensitively", func(t *testing.T) {
		_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deployer"), AssumeRolePolicyDocument: aws.String(roleTrustAccount)})
		requireAPIError(t, err, "EntityAlreadyExists", "Role with name deployer already exists.")
	})
	t.Run("get", func(t *testing.T) {
		got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("DEPLOYER")})
		require.NoError(t, err)
		r := got.Role
		require.Equal(t, "Deployer", *r.RoleName, "case preserved, lookup case-insensitive")
		require.Equal(t, "arn:aws:iam::123456789012:role/ci/Deployer", *r.Arn)
		require.Equal(t, int32(7200), aws.ToInt32(r.MaxSessionDuration))
		require.Equal(t, "deploys things", aws.ToString(r.Description))
		require.Equal(t, []types.Tag{roleTag("team", "red")}, r.Tags)
		require.Nil(t, r.PermissionsBoundary)
		require.NotNil(t, r.RoleLastUsed, "GetRole always has RoleLastUsed")
		require.Nil(t, r.RoleLastUsed.LastUsedDate)
	})
	t.Run("trust policy round trip", func(t *testing.T) {
		got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("Deployer")})
		require.NoError(t, err)
		require.NotContains(t, *got.Role.AssumeRolePolicyDocument, "{", "the document is URL-encoded")
		require.Equal(t, roleTrustEC2, roleDecode(t, got.Role.AssumeRolePolicyDocument), "stored verbatim")
	})
	t.Run("default session duration", func(t *testing.T) {
		roleCreate(t, c, "plain")
		got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("plain")})
		require.NoError(t, err)
		require.Equal(t, int32(3600), aws.ToInt32(got.Role.MaxSessionDuration))
		require.Equal(t, "/", *got.Role.Path)
		require.Empty(t, got.Role.Tags)
	})
	t.Run("update role", func(t *testing.T) {
		_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("deployer"), Description: aws.String("new"), MaxSessionDuration: aws.Int32(43200)})
		require.NoError(t, err)
		got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("Deployer")})
		require.NoError(t, err)
		require.Equal(t, "new", aws.ToString(got.Role.Description))
		require.Equal(t, int32(43200), aws.ToInt32(got.Role.MaxSessionDuration))
	})
	t.Run("update role description", func(t *testing.T) {
		out, err := c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("Deployer"), Description: aws.String("newer")})
		require.NoError(t, err)
		require.Equal(t, "newer", aws.ToString(out.Role.Description))
		require.Equal(t, "arn:aws:iam::123456789012:role/ci/Deployer", *out.Role.Arn)
		require.Equal(t, int32(43200), aws.ToInt32(out.Role.MaxSessionDuration))
	})
	t.Run("update assume role policy", func(t *testing.T) {
		_, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("Deployer"), PolicyDocument: aws.String(roleTrustAccount)})
		require.NoError(t, err)
		got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("Deployer")})
		require.NoError(t, err)
		require.Equal(t, roleTrustAccount, roleDecode(t, got.Role.AssumeRolePolicyDocument))
	})
	t.Run("list by path prefix", func(t *testing.T) {
		list, err := c.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/ci/")})
		require.NoError(t, err)
		require.Len(t, list.Roles, 1)
		r := list.Roles[0]
		require.Equal(t, "Deployer", *r.RoleName)
		require.Equal(t, roleTrustAccount, roleDecode(t, r.AssumeRolePolicyDocument))
		require.Equal(t, int32(43200), aws.ToInt32(r.MaxSessionDuration))
		// AWS behaviour: list members carry no tags, boundary or last use.
		require.Empty(t, r.Tags)
		require.Nil(t, r.PermissionsBoundary)
		require.Nil(t, r.RoleLastUsed)
		list, err = c.ListRoles(ctx, &iam.ListRolesInput{})
		require.NoError(t, err)
		require.Len(t, list.Roles, 2)
		require.False(t, list.IsTruncated)
		list, err = c.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/nothing/")})
		require.NoError(t, err)
		require.Empty(t, list.Roles)
	})
	t.Run("delete", func(t *testing.T) {
		_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("deployer")})
		require.NoError(t, err)
		_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("Deployer")})
		requireAPIError(t, err, "NoSuchEntity", "The role with name Deployer cannot be found.")
		_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("Deployer")})
		requireAPIError(t, err, "NoSuchEntity", "The role with name Deployer cannot be found.")
	})
}

func TestRoleNoSuchEntity(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	const msg = "The role with name ghost cannot be found."
	name := aws.String("ghost")
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"GetRole", func() error { _, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: name}); return err }},
		{"UpdateRole", func() error {
			_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: name, Description: aws.String("x")})
			return err
		}},
		{"UpdateRoleDescription", func() error {
			_, err := c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: name, Description: aws.String("x")})
			return err
		}},
		{"UpdateAssumeRolePolicy", func() error {
			_, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: name, PolicyDocument: aws.String(roleTrustAccount)})
			return err
		}},
		{"DeleteRole", func() error { _, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: name}); return err }},
		{"TagRole", func() error {
			_, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: name, Tags: []types.Tag{roleTag("a", "b")}})
			return err
		}},
		{"UntagRole", func() error {
			_, err := c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: name, TagKeys: []string{"a"}})
			return err
		}},
		{"ListRoleTags", func() error { _, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: name}); return err }},
		{"PutRolePermissionsBoundary", func() error {
			_, err := c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: name,
				PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/PowerUserAccess")})
			return err
		}},
		{"DeleteRolePermissionsBoundary", func() error {
			_, err := c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: name})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireAPIError(t, tc.call(), "NoSuchEntity", msg)
		})
	}
}

func TestCreateRoleValidation(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	// A valid trust policy of 2049 characters, white space not counted.
	var principals []string
	for i := 0; len(strings.Join(principals, ",")) < 2100; i++ {
		principals = append(principals, fmt.Sprintf(`"arn:aws:iam::123456789012:user/u%04d"`, i))
	}
	oversized := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[` + strings.Join(principals, ",") + `]},"Action":"sts:AssumeRole"}]}`
	withResource := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]}`
	noPrincipal := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`
	for _, tc := range []struct {
		name string
		in   *iam.CreateRoleInput
		code string
		msg  string
	}{
		{"trust policy with Resource", &iam.CreateRoleInput{AssumeRolePolicyDocument: aws.String(withResource)},
			"MalformedPolicyDocument", "Has prohibited field Resource"},
		{"trust policy without Principal", &iam.CreateRoleInput{AssumeRolePolicyDocument: aws.String(noPrincipal)},
			"MalformedPolicyDocument", "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"},
		{"trust policy too large", &iam.CreateRoleInput{AssumeRolePolicyDocument: aws.String(oversized)},
			"LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048"},
		{"trust policy not JSON", &iam.CreateRoleInput{AssumeRolePolicyDocument: aws.String("{not json")},
			"MalformedPolicyDocument", "Syntax errors in policy."},
		{"session duration too short", &iam.CreateRoleInput{AssumeRolePolicyDocument: aws.String(roleTrustAccount), MaxSessionDuration: aws.Int32(100)},
			"ValidationError", "1 validation error detected: Value '100' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"session duration too long", &iam.CreateRoleInput{AssumeRolePolicyDocument: aws.String(roleTrustAccount), MaxSessionDuration: aws.Int32(43201)},
			"ValidationError", "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"description too long", &iam.CreateRoleInput{AssumeRolePolicyDocument: aws.String(roleTrustAccount), Description: aws.String(strings.Repeat("d", 1001))},
			"ValidationError", ""},
		{"name too long", &iam.CreateRoleInput{RoleName: aws.String(strings.Repeat("r", 65)), AssumeRolePolicyDocument: aws.String(roleTrustAccount)},
			"ValidationError", ""},
		{"bad name", &iam.CreateRoleInput{RoleName: aws.String("bad role!"), AssumeRolePolicyDocument: aws.String(roleTrustAccount)},
			"ValidationError", `1 validation error detected: Value 'bad role!' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"bad path", &iam.CreateRoleInput{Path: aws.String("ci"), AssumeRolePolicyDocument: aws.String(roleTrustAccount)},
			"ValidationError", ""},
		{"duplicate tag keys", &iam.CreateRoleInput{AssumeRolePolicyDocument: aws.String(roleTrustAccount),
			Tags: []types.Tag{roleTag("a", "1"), roleTag("A", "2")}},
			"InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"unknown boundary", &iam.CreateRoleInput{AssumeRolePolicyDocument: aws.String(roleTrustAccount),
			PermissionsBoundary: aws.String("arn:aws:iam::123456789012:policy/none")},
			"NoSuchEntity", "Scope ARN: arn:aws:iam::123456789012:policy/none does not exist or is not attachable."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.RoleName == nil {
				tc.in.RoleName = aws.String("r")
			}
			_, err := c.CreateRole(ctx, tc.in)
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}
	// Nothing was half-written.
	list, err := c.ListRoles(ctx, &iam.ListRolesInput{})
	require.NoError(t, err)
	require.Empty(t, list.Roles)

	roleCreate(t, c, "r")
	t.Run("update with a bad trust policy", func(t *testing.T) {
		_, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("r"), PolicyDocument: aws.String(withResource)})
		requireAPIError(t, err, "MalformedPolicyDocument", "Has prohibited field Resource")
		got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})
		require.NoError(t, err)
		require.Equal(t, roleTrustAccount, roleDecode(t, got.Role.AssumeRolePolicyDocument), "unchanged")
	})
	t.Run("update with a bad session duration", func(t *testing.T) {
		_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("r"), MaxSessionDuration: aws.Int32(3599)})
		requireAPIError(t, err, "ValidationError", "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600")
	})
}

func TestListRolesPagination(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	for i := 0; i < 25; i++ {
		roleCreate(t, c, string(rune('a'+i))+"-role")
	}
	var names []string
	p := iam.NewListRolesPaginator(c, &iam.ListRolesInput{MaxItems: aws.Int32(10)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, r := range out.Roles {
			names = append(names, *r.RoleName)
		}
	}
	require.Equal(t, 3, pages)
	require.Len(t, names, 25)
	require.Equal(t, "a-role", names[0])
	require.Equal(t, "y-role", names[24])
}

func TestRoleTags(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	roleCreate(t, c, "tagged", roleTag("env", "dev"))
	name := aws.String("tagged")

	t.Run("tag, replace and untag", func(t *testing.T) {
		_, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: name, Tags: []types.Tag{roleTag("ENV", "prod"), roleTag("team", "blue")}})
		require.NoError(t, err)
		out, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: name})
		require.NoError(t, err)
		require.Equal(t, []types.Tag{roleTag("ENV", "prod"), roleTag("team", "blue")}, out.Tags)
		require.False(t, out.IsTruncated)
		_, err = c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: name, TagKeys: []string{"env"}})
		require.NoError(t, err)
		out, err = c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: name})
		require.NoError(t, err)
		require.Equal(t, []types.Tag{roleTag("team", "blue")}, out.Tags)
	})
	t.Run("reserved prefix", func(t *testing.T) {
		_, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: name, Tags: []types.Tag{roleTag("aws:x", "y")}})
		requireAPIError(t, err, "InvalidInput", "User-created tag keys can't start with \"aws:\".")
	})
	t.Run("more than 50 tags", func(t *testing.T) {
		var many []types.Tag
		for i := 0; i < 50; i++ {
			many = append(many, roleTag(fmt.Sprintf("k%02d", i), "v"))
		}
		_, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: name, Tags: many})
		requireAPIError(t, err, "LimitExceeded", "The number of tags has reached the maximum limit.")
		out, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: name})
		require.NoError(t, err)
		require.Len(t, out.Tags, 1, "unchanged")
	})
	t.Run("no tags", func(t *testing.T) {
		roleCreate(t, c, "bare")
		out, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("bare")})
		require.NoError(t, err)
		require.Empty(t, out.Tags)
	})
}

func TestRolePermissionsBoundary(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	roleCreate(t, c, "bounded")
	name := aws.String("bounded")

	t.Run("unknown policy", func(t *testing.T) {
		_, err := c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: name,
			PermissionsBoundary: aws.String("arn:aws:iam::123456789012:policy/none")})
		requireAPIError(t, err, "NoSuchEntity", "Scope ARN: arn:aws:iam::123456789012:policy/none does not exist or is not attachable.")
	})
	t.Run("delete when there is none", func(t *testing.T) {
		_, err := c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: name})
		requireAPIError(t, err, "NoSuchEntity", "The role with name bounded does not have a permissions boundary.")
	})
	t.Run("put, get and delete", func(t *testing.T) {
		pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("boundary"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
		if err != nil {
			t.Skipf("CreatePolicy is not available yet: %v", err)
		}
		arn := pol.Policy.Arn
		_, err = c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: name, PermissionsBoundary: arn})
		require.NoError(t, err)
		got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: name})
		require.NoError(t, err)
		require.NotNil(t, got.Role.PermissionsBoundary)
		require.Equal(t, *arn, aws.ToString(got.Role.PermissionsBoundary.PermissionsBoundaryArn))
		require.Equal(t, types.PermissionsBoundaryAttachmentTypePolicy, got.Role.PermissionsBoundary.PermissionsBoundaryType,
			"AWS's enum value is PermissionsBoundaryPolicy (iamapi/wire.go boundary())")
		_, err = c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: name})
		require.NoError(t, err)
		got, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: name})
		require.NoError(t, err)
		require.Nil(t, got.Role.PermissionsBoundary)

		out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("born-bounded"),
			AssumeRolePolicyDocument: aws.String(roleTrustAccount), PermissionsBoundary: arn})
		require.NoError(t, err)
		require.Equal(t, arn, out.Role.PermissionsBoundary.PermissionsBoundaryArn)
		// AWS behaviour: a boundary does not stop DeleteRole.
		_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("born-bounded")})
		require.NoError(t, err)
	})
}

func TestDeleteRoleConflicts(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	roleCreate(t, c, "busy")
	name := aws.String("busy")
	allowS3 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`

	t.Run("inline policy", func(t *testing.T) {
		_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: name, PolicyName: aws.String("inline"), PolicyDocument: aws.String(allowS3)})
		if err != nil {
			t.Skipf("PutRolePolicy is not available yet: %v", err)
		}
		_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: name})
		requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
		_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: name, PolicyName: aws.String("inline")})
		require.NoError(t, err)
	})
	t.Run("attached policy", func(t *testing.T) {
		pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("managed"), PolicyDocument: aws.String(allowS3)})
		if err != nil {
			t.Skipf("CreatePolicy is not available yet: %v", err)
		}
		_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: name, PolicyArn: pol.Policy.Arn})
		require.NoError(t, err)
		_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: name})
		requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
		_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: name, PolicyArn: pol.Policy.Arn})
		require.NoError(t, err)
	})
	t.Run("nothing left", func(t *testing.T) {
		_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: name})
		require.NoError(t, err)
	})
}

func TestRoleAuthorization(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	alice, _ := newUserWithKey(t, srv, "alice")
	roleCreate(t, root, "red-role", roleTag("team", "red"))
	roleCreate(t, root, "blue-role", roleTag("team", "blue"))

	t.Run("denied without a policy", func(t *testing.T) {
		_, err := alice.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("red-role")})
		requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:GetRole on resource: arn:aws:iam::123456789012:role/red-role because no identity-based policy allows the iam:GetRole action")
		_, err = alice.ListRoles(ctx, &iam.ListRolesInput{})
		requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/ because no identity-based policy allows the iam:ListRoles action")
	})

	_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("roles"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"iam:GetRole","Resource":"*","Condition":{"StringEquals":{"iam:ResourceTag/team":"red"}}},
			{"Effect":"Allow","Action":"iam:CreateRole","Resource":"arn:aws:iam::123456789012:role/*","Condition":{"StringEquals":{"aws:RequestTag/team":"red"}}}]}`)})
	if err != nil {
		t.Skipf("PutUserPolicy is not available yet: %v", err)
	}

	t.Run("GetRole on a role with the tag", func(t *testing.T) {
		out, err := alice.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("red-role")})
		require.NoError(t, err)
		require.Equal(t, "red-role", *out.Role.RoleName)
	})
	t.Run("GetRole on a role with another tag", func(t *testing.T) {
		_, err := alice.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("blue-role")})
		requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:GetRole on resource: arn:aws:iam::123456789012:role/blue-role because no identity-based policy allows the iam:GetRole action")
	})
	t.Run("GetRole on an absent role", func(t *testing.T) {
		// No tags to match: denied before existence is checked.
		_, err := alice.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("ghost")})
		requireAPIError(t, err, "AccessDenied", "")
	})
	t.Run("the tag follows TagRole", func(t *testing.T) {
		_, err := root.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("blue-role"), Tags: []types.Tag{roleTag("team", "red")}})
		require.NoError(t, err)
		_, err = alice.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("blue-role")})
		require.NoError(t, err)
	})
	t.Run("CreateRole with the request tag", func(t *testing.T) {
		_, err := alice.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("alices"), AssumeRolePolicyDocument: aws.String(roleTrustAccount),
			Tags: []types.Tag{roleTag("team", "red")}})
		require.NoError(t, err)
	})
	t.Run("CreateRole without the request tag", func(t *testing.T) {
		_, err := alice.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("untagged"), AssumeRolePolicyDocument: aws.String(roleTrustAccount)})
		requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/untagged because no identity-based policy allows the iam:CreateRole action")
		_, err = root.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("untagged")})
		requireAPIError(t, err, "NoSuchEntity", "")
	})
}
