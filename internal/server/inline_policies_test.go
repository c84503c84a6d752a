package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// inlineAllow returns a policy document allowing action on every resource.
func inlineAllow(action string) string {
	return inlineDoc("Allow", action)
}

func inlineDoc(effect, action string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"` + effect + `","Action":"` + action + `","Resource":"*"}]}`
}

// inlinePadded returns a valid document of exactly size characters as AWS
// counts them (white space not counted), padded with a long Sid.
func inlinePadded(t *testing.T, size int) string {
	t.Helper()
	base := `{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}`
	n := size - len(base)
	require.GreaterOrEqual(t, n, 0)
	return strings.Replace(base, `"Sid":""`, `"Sid":"`+strings.Repeat("a", n)+`"`, 1)
}

// inlineDecoded URL-decodes a document as IAM returns it.
func inlineDecoded(t *testing.T, doc *string) string {
	t.Helper()
	require.NotNil(t, doc)
	s, err := url.QueryUnescape(*doc)
	require.NoError(t, err)
	return s
}

func TestUserPolicies(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("Alice")})
	require.NoError(t, err)
	doc := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}]}`

	t.Run("put", func(t *testing.T) {
		_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("ReadIAM"), PolicyDocument: aws.String(doc)})
		require.NoError(t, err)
	})
	t.Run("get returns the document URL-encoded", func(t *testing.T) {
		out, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("ALICE"), PolicyName: aws.String("readiam")})
		require.NoError(t, err)
		require.Equal(t, "Alice", *out.UserName)
		require.Equal(t, "ReadIAM", *out.PolicyName)
		require.True(t, strings.HasPrefix(*out.PolicyDocument, "%7B%22Version%22%3A%20%222012-10-17%22"), *out.PolicyDocument)
		require.Equal(t, doc, inlineDecoded(t, out.PolicyDocument))
	})
	t.Run("replace", func(t *testing.T) {
		_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("Alice"), PolicyName: aws.String("ReadIAM"), PolicyDocument: aws.String(inlineAllow("iam:List*"))})
		require.NoError(t, err)
		out, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("Alice"), PolicyName: aws.String("ReadIAM")})
		require.NoError(t, err)
		require.Equal(t, inlineAllow("iam:List*"), inlineDecoded(t, out.PolicyDocument))
		list, err := c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("Alice")})
		require.NoError(t, err)
		require.Equal(t, []string{"ReadIAM"}, list.PolicyNames)
	})
	t.Run("user missing", func(t *testing.T) {
		_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)})
		requireAPIError(t, err, "NoSuchEntity", "The user with name bob cannot be found.")
		_, err = c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p")})
		requireAPIError(t, err, "NoSuchEntity", "The user with name bob cannot be found.")
		_, err = c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("bob")})
		requireAPIError(t, err, "NoSuchEntity", "The user with name bob cannot be found.")
	})
	t.Run("policy missing", func(t *testing.T) {
		_, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("Alice"), PolicyName: aws.String("nope")})
		requireAPIError(t, err, "NoSuchEntity", "The user policy with name nope cannot be found.")
		_, err = c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("Alice"), PolicyName: aws.String("nope")})
		requireAPIError(t, err, "NoSuchEntity", "The user policy with name nope cannot be found.")
	})
	t.Run("malformed documents", func(t *testing.T) {
		for _, tc := range []struct {
			name, doc, code, msg string
		}{
			{"not JSON", `{"Version":`, "MalformedPolicyDocument", "Syntax errors in policy."},
			{"no resource", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*"}]}`,
				"MalformedPolicyDocument", "Policy statement must contain resources."},
			{"no action", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}`,
				"MalformedPolicyDocument", "Policy statement must contain actions."},
			{"principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"iam:*","Resource":"*"}]}`,
				"MalformedPolicyDocument", "Policy document should not specify a principal."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("Alice"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(tc.doc)})
				requireAPIError(t, err, tc.code, tc.msg)
			})
		}
		list, err := c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("Alice")})
		require.NoError(t, err)
		require.Equal(t, []string{"ReadIAM"}, list.PolicyNames, "nothing was written")
	})
	t.Run("bad policy name", func(t *testing.T) {
		_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("Alice"), PolicyName: aws.String("bad name"), PolicyDocument: aws.String(doc)})
		requireAPIError(t, err, "ValidationError",
			`1 validation error detected: Value 'bad name' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`)
		_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("Alice"), PolicyName: aws.String(strings.Repeat("p", 129)), PolicyDocument: aws.String(doc)})
		requireAPIError(t, err, "ValidationError", "")
	})
	t.Run("delete user with inline policies", func(t *testing.T) {
		_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("Alice")})
		requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	})
	t.Run("rename carries policies", func(t *testing.T) {
		_, err := c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("Alice"), NewUserName: aws.String("Alicia")})
		require.NoError(t, err)
		out, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("alicia"), PolicyName: aws.String("ReadIAM")})
		require.NoError(t, err)
		require.Equal(t, "Alicia", *out.UserName)
	})
	t.Run("delete", func(t *testing.T) {
		_, err := c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("Alicia"), PolicyName: aws.String("READIAM")})
		require.NoError(t, err)
		list, err := c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("Alicia")})
		require.NoError(t, err)
		require.Empty(t, list.PolicyNames)
		_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("Alicia")})
		require.NoError(t, err)
	})
}

func TestInlinePolicySizeLimits(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("Carol")})
	require.NoError(t, err)
	_, err = c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("Big")})
	require.NoError(t, err)
	put := func(name, doc string) error {
		_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
		return err
	}

	t.Run("one document over the user limit", func(t *testing.T) {
		requireAPIError(t, put("huge", inlinePadded(t, 2049)), "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user Carol")
	})
	t.Run("white space is not counted", func(t *testing.T) {
		spaced := strings.Replace(inlinePadded(t, 2048), `{"Version"`, "{\n    "+strings.Repeat(" ", 100)+`"Version"`, 1)
		require.NoError(t, put("spaced", spaced))
		_, err := c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("spaced")})
		require.NoError(t, err)
	})
	t.Run("aggregate over the user limit", func(t *testing.T) {
		require.NoError(t, put("first", inlinePadded(t, 1500)))
		requireAPIError(t, put("second", inlinePadded(t, 600)), "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user Carol")
		require.NoError(t, put("second", inlinePadded(t, 548)), "exactly at the limit")
	})
	t.Run("the replaced policy does not count", func(t *testing.T) {
		require.NoError(t, put("FIRST", inlinePadded(t, 1500)))
		requireAPIError(t, put("first", inlinePadded(t, 1501)), "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user Carol")
	})
	t.Run("groups have a larger limit", func(t *testing.T) {
		putGroup := func(name, doc string) error {
			_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("big"), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
			return err
		}
		require.NoError(t, putGroup("a", inlinePadded(t, 3000)))
		require.NoError(t, putGroup("b", inlinePadded(t, 2120)))
		requireAPIError(t, putGroup("c", inlinePadded(t, 200)), "LimitExceeded", "Maximum policy size of 5120 bytes exceeded for group Big")
	})
}

func TestGroupAndRolePolicies(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	_, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("Devs")})
	require.NoError(t, err)

	t.Run("group put get list delete", func(t *testing.T) {
		for i := range 5 {
			_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String(fmt.Sprintf("P%d", i)),
				PolicyDocument: aws.String(inlineAllow("iam:Get*"))})
			require.NoError(t, err)
		}
		out, err := c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("DEVS"), PolicyName: aws.String("p3")})
		require.NoError(t, err)
		require.Equal(t, "Devs", *out.GroupName)
		require.Equal(t, "P3", *out.PolicyName)
		require.Equal(t, inlineAllow("iam:Get*"), inlineDecoded(t, out.PolicyDocument))

		var names []string
		p := iam.NewListGroupPoliciesPaginator(c, &iam.ListGroupPoliciesInput{GroupName: aws.String("Devs"), MaxItems: aws.Int32(2)})
		pages := 0
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			pages++
			names = append(names, page.PolicyNames...)
		}
		require.Equal(t, 3, pages)
		require.Equal(t, []string{"P0", "P1", "P2", "P3", "P4"}, names)

		_, err = c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("Devs"), PolicyName: aws.String("P0")})
		require.NoError(t, err)
		_, err = c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("Devs"), PolicyName: aws.String("P0")})
		requireAPIError(t, err, "NoSuchEntity", "The group policy with name P0 cannot be found.")
	})
	t.Run("group missing", func(t *testing.T) {
		_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("nope"), PolicyName: aws.String("p"), PolicyDocument: aws.String(inlineAllow("iam:*"))})
		requireAPIError(t, err, "NoSuchEntity", "The group with name nope cannot be found.")
		_, err = c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("nope")})
		requireAPIError(t, err, "NoSuchEntity", "The group with name nope cannot be found.")
	})
	t.Run("group malformed", func(t *testing.T) {
		_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("Devs"), PolicyName: aws.String("p"), PolicyDocument: aws.String(`[]`)})
		requireAPIError(t, err, "MalformedPolicyDocument", "Syntax errors in policy.")
	})
	t.Run("role missing", func(t *testing.T) {
		_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("nope"), PolicyName: aws.String("p"), PolicyDocument: aws.String(inlineAllow("iam:*"))})
		requireAPIError(t, err, "NoSuchEntity", "The role with name nope cannot be found.")
		_, err = c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("nope"), PolicyName: aws.String("p")})
		requireAPIError(t, err, "NoSuchEntity", "The role with name nope cannot be found.")
		_, err = c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("nope")})
		requireAPIError(t, err, "NoSuchEntity", "The role with name nope cannot be found.")
		_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("nope"), PolicyName: aws.String("p")})
		requireAPIError(t, err, "NoSuchEntity", "The role with name nope cannot be found.")
	})
	t.Run("role put get list delete", func(t *testing.T) {
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
		if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Worker"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
			t.Skipf("CreateRole is not served yet: %v", err)
		}
		_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("worker"), PolicyName: aws.String("Logs"),
			PolicyDocument: aws.String(inlineAllow("logs:*"))})
		require.NoError(t, err)
		out, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("WORKER"), PolicyName: aws.String("logs")})
		require.NoError(t, err)
		require.Equal(t, "Worker", *out.RoleName)
		require.Equal(t, "Logs", *out.PolicyName)
		require.Equal(t, inlineAllow("logs:*"), inlineDecoded(t, out.PolicyDocument))
		list, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("Worker")})
		require.NoError(t, err)
		require.Equal(t, []string{"Logs"}, list.PolicyNames)
		_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("Worker"), PolicyName: aws.String("huge"),
			PolicyDocument: aws.String(inlinePadded(t, 10241))})
		requireAPIError(t, err, "LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role Worker")
		_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("Worker"), PolicyName: aws.String("Logs")})
		require.NoError(t, err)
		_, err = c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("Worker"), PolicyName: aws.String("Logs")})
		requireAPIError(t, err, "NoSuchEntity", "The role policy with name Logs cannot be found.")
	})
}

func TestInlinePolicyAuthorization(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	alice, _ := newUserWithKey(t, srv, "alice")
	const denied = "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListGroups on resource: arn:aws:iam::123456789012:group/ because no identity-based policy allows the iam:ListGroups action"
	listGroups := func() error {
		_, err := alice.ListGroups(ctx, &iam.ListGroupsInput{})
		return err
	}

	t.Run("no policy: denied", func(t *testing.T) {
		requireAPIError(t, listGroups(), "AccessDenied", denied)
	})
	t.Run("user inline policy allows", func(t *testing.T) {
		_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("list"),
			PolicyDocument: aws.String(inlineAllow("iam:ListGroups"))})
		require.NoError(t, err)
		require.NoError(t, listGroups())
	})
	t.Run("deleting it denies again", func(t *testing.T) {
		_, err := root.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("list")})
		require.NoError(t, err)
		requireAPIError(t, listGroups(), "AccessDenied", denied)
	})
	t.Run("group inline policy allows members", func(t *testing.T) {
		_, err := root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("listers")})
		require.NoError(t, err)
		_, err = root.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("listers"), PolicyName: aws.String("list"),
			PolicyDocument: aws.String(inlineAllow("iam:ListGroups"))})
		require.NoError(t, err)
		requireAPIError(t, listGroups(), "AccessDenied", denied)
		_, err = root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("listers"), UserName: aws.String("alice")})
		require.NoError(t, err)
		require.NoError(t, listGroups())
	})
	t.Run("explicit deny beats allow", func(t *testing.T) {
		_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("allow-all"),
			PolicyDocument: aws.String(inlineAllow("iam:*"))})
		require.NoError(t, err)
		_, err = root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("no-list"),
			PolicyDocument: aws.String(inlineDoc("Deny", "iam:List*"))})
		require.NoError(t, err)
		requireAPIError(t, listGroups(), "AccessDenied",
			"User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListGroups on resource: arn:aws:iam::123456789012:group/ with an explicit deny in an identity-based policy")
		_, err = alice.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("listers")})
		require.NoError(t, err, "the allow still covers what the deny does not")
	})
	t.Run("removing from the group and the deny", func(t *testing.T) {
		_, err := root.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("no-list")})
		require.NoError(t, err)
		_, err = root.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("allow-all")})
		require.NoError(t, err)
		require.NoError(t, listGroups(), "the group still allows")
		_, err = root.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("listers"), UserName: aws.String("alice")})
		require.NoError(t, err)
		requireAPIError(t, listGroups(), "AccessDenied", denied)
	})
	t.Run("group actions are authorized on the group ARN", func(t *testing.T) {
		_, err := root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("Ops"), Path: aws.String("/team/")})
		require.NoError(t, err)
		_, err = alice.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("ops")})
		requireAPIError(t, err, "AccessDenied",
			"User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:GetGroup on resource: arn:aws:iam::123456789012:group/team/Ops because no identity-based policy allows the iam:GetGroup action")
		_, err = alice.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("alice")})
		requireAPIError(t, err, "AccessDenied",
			"User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListGroupsForUser on resource: arn:aws:iam::123456789012:user/alice because no identity-based policy allows the iam:ListGroupsForUser action")
	})
}
