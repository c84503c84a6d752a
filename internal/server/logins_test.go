package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// A password that satisfies AWS's default policy and the strict one below.
const (
	goodPassword  = "Sunny-day-42!"
	goodPassword2 = "Rainy-day-43!"
	goodPassword3 = "Windy-day-44!"
)

func TestLoginProfiles(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	for _, name := range []string{"alice", "bob"} {
		_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
		require.NoError(t, err)
	}

	t.Run("create", func(t *testing.T) {
		out, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"),
			Password: aws.String(goodPassword), PasswordResetRequired: true})
		require.NoError(t, err)
		require.Equal(t, "alice", *out.LoginProfile.UserName)
		require.True(t, out.LoginProfile.PasswordResetRequired)
		require.NotNil(t, out.LoginProfile.CreateDate)
	})
	t.Run("get", func(t *testing.T) {
		out, err := root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("ALICE")})
		require.NoError(t, err)
		require.Equal(t, "alice", *out.LoginProfile.UserName)
		require.True(t, out.LoginProfile.PasswordResetRequired)
	})
	t.Run("update the reset flag", func(t *testing.T) {
		_, err := root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("alice"), PasswordResetRequired: aws.Bool(false)})
		require.NoError(t, err)
		out, err := root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("alice")})
		require.NoError(t, err)
		require.False(t, out.LoginProfile.PasswordResetRequired)
	})
	t.Run("update the password", func(t *testing.T) {
		_, err := root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String(goodPassword2)})
		require.NoError(t, err)
		res, err := srv.Server.IAM().VerifyConsolePassword(ctx, servertest.AccountID, "alice", goodPassword2)
		require.NoError(t, err)
		require.Equal(t, "alice", res.UserName)
	})
	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			call      func() error
			code, msg string
		}{
			{"create twice", func() error {
				_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String(goodPassword)})
				return err
			}, "EntityAlreadyExists", "Login Profile for user alice already exists."},
			{"create for no user", func() error {
				_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("nobody"), Password: aws.String(goodPassword)})
				return err
			}, "NoSuchEntity", "The user with name nobody cannot be found."},
			{"create without a password", func() error {
				_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob")})
				return err
			}, "ValidationError", "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"},
			{"a password too long, not echoed", func() error {
				_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Aa1!" + strings.Repeat("x", 125))})
				return err
			}, "ValidationError", "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 128"},
			{"a password outside Latin-1", func() error {
				_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Aa1!Ā-long-enough")})
				return err
			}, "ValidationError", `1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`},
			{"the default policy", func() error {
				_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("password")})
				return err
			}, "PasswordPolicyViolation", "Password does not conform to the account password policy."},
			{"get without a profile", func() error {
				_, err := root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("bob")})
				return err
			}, "NoSuchEntity", "Login Profile for User bob cannot be found."},
			{"get for no user", func() error {
				_, err := root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("nobody")})
				return err
			}, "NoSuchEntity", "The user with name nobody cannot be found."},
			{"get as root without a name", func() error {
				_, err := root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{})
				return err
			}, "ValidationError", "Must specify userName when calling with non-User credentials"},
			{"update without a profile", func() error {
				_, err := root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("bob"), PasswordResetRequired: aws.Bool(true)})
				return err
			}, "NoSuchEntity", "Login Profile for User bob cannot be found."},
			{"update to a weak password", func() error {
				_, err := root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("short")})
				return err
			}, "PasswordPolicyViolation", "Password does not conform to the account password policy."},
			{"delete without a profile", func() error {
				_, err := root.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("bob")})
				return err
			}, "NoSuchEntity", "Login Profile for User bob cannot be found."},
			{"delete the user first", func() error {
				_, err := root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
				return err
			}, "DeleteConflict", "Cannot delete entity, must delete login profile first."},
		} {
			t.Run(tc.name, func(t *testing.T) { requireAPIError(t, tc.call(), tc.code, tc.msg) })
		}
	})
	t.Run("a rename carries the profile", func(t *testing.T) {
		_, err := root.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("alicia")})
		require.NoError(t, err)
		out, err := root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("alicia")})
		require.NoError(t, err)
		require.Equal(t, "alicia", *out.LoginProfile.UserName)
	})
	t.Run("delete", func(t *testing.T) {
		_, err := root.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("alicia")})
		require.NoError(t, err)
		_, err = root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("alicia")})
		requireAPIError(t, err, "NoSuchEntity", "Login Profile for User alicia cannot be found.")
		_, err = root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alicia")})
		require.NoError(t, err)
	})
	t.Run("a user's own profile", func(t *testing.T) {
		c, _ := newUserWithKey(t, srv, "carol")
		_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("own"),
			PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": []string{"iam:CreateLoginProfile", "iam:GetLoginProfile"},
				"Resource": "arn:aws:iam::" + servertest.AccountID + ":user/carol"}))})
		require.NoError(t, err)
		_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{Password: aws.String(goodPassword)})
		require.NoError(t, err)
		out, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{})
		require.NoError(t, err)
		require.Equal(t, "carol", *out.LoginProfile.UserName)
		_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("bob")})
		requireAPIError(t, err, "AccessDenied", "")
	})
}

func TestAccountPasswordPolicy(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	noPolicy := "The Password Policy with domain name " + servertest.AccountID + " cannot be found."

	_, err := root.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	requireAPIError(t, err, "NoSuchEntity", noPolicy)

	t.Run("ranges", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			in   iam.UpdateAccountPasswordPolicyInput
			msg  string
		}{
			{"length 5", iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(5)},
				"1 validation error detected: Value '5' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
			{"length 129", iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(129)},
				"1 validation error detected: Value '129' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128"},
			{"age 0", iam.UpdateAccountPasswordPolicyInput{MaxPasswordAge: aws.Int32(0)},
				"1 validation error detected: Value '0' at 'maxPasswordAge' failed to satisfy constraint: Member must have value greater than or equal to 1"},
			{"age 1096", iam.UpdateAccountPasswordPolicyInput{MaxPasswordAge: aws.Int32(1096)},
				"1 validation error detected: Value '1096' at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095"},
			{"reuse 0", iam.UpdateAccountPasswordPolicyInput{PasswordReusePrevention: aws.Int32(0)},
				"1 validation error detected: Value '0' at 'passwordReusePrevention' failed to satisfy constraint: Member must have value greater than or equal to 1"},
			{"reuse 25", iam.UpdateAccountPasswordPolicyInput{PasswordReusePrevention: aws.Int32(25)},
				"1 validation error detected: Value '25' at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := root.UpdateAccountPasswordPolicy(ctx, &tc.in)
				requireAPIError(t, err, "ValidationError", tc.msg)
			})
		}
	})
	t.Run("every field", func(t *testing.T) {
		_, err := root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(14),
			RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
			AllowUsersToChangePassword: true, MaxPasswordAge: aws.Int32(90), PasswordReusePrevention: aws.Int32(24), HardExpiry: aws.Bool(true)})
		require.NoError(t, err)
		out, err := root.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		require.NoError(t, err)
		p := out.PasswordPolicy
		require.Equal(t, int32(14), *p.MinimumPasswordLength)
		require.True(t, p.RequireSymbols && p.RequireNumbers && p.RequireUppercaseCharacters && p.RequireLowercaseCharacters)
		require.True(t, p.AllowUsersToChangePassword)
		require.True(t, p.ExpirePasswords)
		require.Equal(t, int32(90), *p.MaxPasswordAge)
		require.Equal(t, int32(24), *p.PasswordReusePrevention)
		require.True(t, *p.HardExpiry)
	})
	t.Run("left-out fields take their defaults", func(t *testing.T) {
		_, err := root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{RequireSymbols: true})
		require.NoError(t, err)
		out, err := root.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		require.NoError(t, err)
		p := out.PasswordPolicy
		require.Equal(t, int32(6), *p.MinimumPasswordLength)
		require.True(t, p.RequireSymbols)
		require.False(t, p.RequireNumbers || p.RequireUppercaseCharacters || p.RequireLowercaseCharacters || p.AllowUsersToChangePassword)
		require.False(t, p.ExpirePasswords)
		require.Nil(t, p.MaxPasswordAge)
		require.Nil(t, p.PasswordReusePrevention)
		require.Nil(t, p.HardExpiry)
	})
	t.Run("delete", func(t *testing.T) {
		_, err := root.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
		require.NoError(t, err)
		_, err = root.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		requireAPIError(t, err, "NoSuchEntity", noPolicy)
		_, err = root.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
		requireAPIError(t, err, "NoSuchEntity", noPolicy)
	})
}

func TestPasswordPolicyEnforced(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave")})
	require.NoError(t, err)
	_, err = root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(12),
		RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
		PasswordReusePrevention: aws.Int32(2)})
	require.NoError(t, err)
	const violation = "Password does not conform to the account password policy."

	for _, tc := range []struct{ name, password string }{
		{"too short", "Sunny-day1!"},
		{"no upper case", "sunny-day-42!"},
		{"no lower case", "SUNNY-DAY-42!"},
		{"no number", "Sunny-day-xx!"},
		{"no symbol", "Sunnyday4242"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("dave"), Password: aws.String(tc.password)})
			requireAPIError(t, err, "PasswordPolicyViolation", violation)
		})
	}
	_, err = root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("dave"), Password: aws.String(goodPassword)})
	require.NoError(t, err)

	t.Run("reuse prevention", func(t *testing.T) {
		set := func(pw string) error {
			_, err := root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("dave"), Password: aws.String(pw)})
			return err
		}
		requireAPIError(t, set(goodPassword), "PasswordPolicyViolation", violation)
		require.NoError(t, set(goodPassword2))
		requireAPIError(t, set(goodPassword), "PasswordPolicyViolation", violation)
		require.NoError(t, set(goodPassword3))
		require.NoError(t, set(goodPassword), "two passwords on, the first is allowed again")
	})
}

func TestChangePassword(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	erin, _ := newUserWithKey(t, srv, "erin")
	_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("erin"),
		Password: aws.String(goodPassword), PasswordResetRequired: true})
	require.NoError(t, err)
	change := func(c *iam.Client, old, new string) error {
		_, err := c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(old), NewPassword: aws.String(new)})
		return err
	}

	t.Run("needs permission while the policy does not grant it", func(t *testing.T) {
		requireAPIError(t, change(erin, goodPassword, goodPassword2), "AccessDenied", "")
		_, err := erin.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		requireAPIError(t, err, "AccessDenied", "")
		_, err = root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(8)})
		require.NoError(t, err)
		requireAPIError(t, change(erin, goodPassword, goodPassword2), "AccessDenied", "")
	})
	_, err = root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(8),
		RequireSymbols: true, AllowUsersToChangePassword: true, PasswordReusePrevention: aws.Int32(1)})
	require.NoError(t, err)

	t.Run("the policy grants reading it", func(t *testing.T) {
		out, err := erin.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		require.NoError(t, err)
		require.True(t, out.PasswordPolicy.AllowUsersToChangePassword)
	})
	t.Run("errors", func(t *testing.T) {
		requireAPIError(t, change(erin, "Not-the-password-1", goodPassword2), "AccessDenied", "The old password is incorrect.")
		requireAPIError(t, change(erin, goodPassword, "nosymbol123"), "PasswordPolicyViolation", "Password does not conform to the account password policy.")
		requireAPIError(t, change(erin, goodPassword, goodPassword), "PasswordPolicyViolation", "Password does not conform to the account password policy.")
		requireAPIError(t, change(root, goodPassword, goodPassword2), "InvalidUserType", "Only IAM Users can change their own password.")
	})
	t.Run("change", func(t *testing.T) {
		require.NoError(t, change(erin, goodPassword, goodPassword2))
		out, err := root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("erin")})
		require.NoError(t, err)
		require.False(t, out.LoginProfile.PasswordResetRequired, "a change clears the reset flag")
		_, err = srv.Server.IAM().VerifyConsolePassword(ctx, servertest.AccountID, "erin", goodPassword2)
		require.NoError(t, err)
	})
	t.Run("a user without a profile", func(t *testing.T) {
		frank, _ := newUserWithKey(t, srv, "frank")
		requireAPIError(t, change(frank, goodPassword, goodPassword2), "NoSuchEntity", "Login Profile for User frank cannot be found.")
	})
	t.Run("no grant past a permissions boundary", func(t *testing.T) {
		gus, _ := newUserWithKey(t, srv, "gus")
		_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("gus"), Password: aws.String(goodPassword)})
		require.NoError(t, err)
		pol, err := root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bound"),
			PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))})
		require.NoError(t, err)
		_, err = root.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("gus"), PermissionsBoundary: pol.Policy.Arn})
		require.NoError(t, err)
		requireAPIError(t, change(gus, goodPassword, goodPassword2), "AccessDenied", "")
		_, err = root.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("gus")})
		require.NoError(t, err)
		require.NoError(t, change(gus, goodPassword, goodPassword2), "without the boundary the policy grants it")
	})
	t.Run("an explicit deny still refuses", func(t *testing.T) {
		_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("erin"), PolicyName: aws.String("no-change"),
			PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Deny", "Action": []string{"iam:ChangePassword", "iam:GetAccountPasswordPolicy"}, "Resource": "*"}))})
		require.NoError(t, err)
		requireAPIError(t, change(erin, goodPassword2, goodPassword3), "AccessDenied", "")
		_, err = erin.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		requireAPIError(t, err, "AccessDenied", "")
	})
}
