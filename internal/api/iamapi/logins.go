package iamapi

import (
	"context"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// loginUserInput names a user, or none for the caller itself.
type loginUserInput struct {
	UserName *string `query:"UserName" min:"1" max:"64" pattern:"name"`
}

// loginProfile is the LoginProfile shape; the password never leaves.
type loginProfile struct {
	UserName              string     `xml:"UserName"`
	CreateDate            query.Time `xml:"CreateDate"`
	PasswordResetRequired bool       `xml:"PasswordResetRequired"`
}

type loginProfileResult struct {
	LoginProfile loginProfile `xml:"LoginProfile"`
}

func toLoginProfile(lp store.LoginProfile) loginProfileResult {
	return loginProfileResult{LoginProfile: loginProfile{UserName: lp.UserName, CreateDate: query.Time(lp.CreateDate),
		PasswordResetRequired: lp.PasswordResetRequired}}
}

// passwordPolicy is the PasswordPolicy shape. AWS behaviour: MaxPasswordAge,
// PasswordReusePrevention and HardExpiry appear only when set.
type passwordPolicy struct {
	MinimumPasswordLength      int   `xml:"MinimumPasswordLength"`
	RequireSymbols             bool  `xml:"RequireSymbols"`
	RequireNumbers             bool  `xml:"RequireNumbers"`
	RequireUppercaseCharacters bool  `xml:"RequireUppercaseCharacters"`
	RequireLowercaseCharacters bool  `xml:"RequireLowercaseCharacters"`
	AllowUsersToChangePassword bool  `xml:"AllowUsersToChangePassword"`
	ExpirePasswords            bool  `xml:"ExpirePasswords"`
	MaxPasswordAge             int   `xml:"MaxPasswordAge,omitempty"`
	PasswordReusePrevention    int   `xml:"PasswordReusePrevention,omitempty"`
	HardExpiry                 *bool `xml:"HardExpiry,omitempty"`
}

type passwordPolicyResult struct {
	PasswordPolicy passwordPolicy `xml:"PasswordPolicy"`
}

func toPasswordPolicy(p store.PasswordPolicy) passwordPolicyResult {
	out := passwordPolicy{MinimumPasswordLength: p.MinimumPasswordLength, RequireSymbols: p.RequireSymbols,
		RequireNumbers: p.RequireNumbers, RequireUppercaseCharacters: p.RequireUppercaseCharacters,
		RequireLowercaseCharacters: p.RequireLowercaseCharacters, AllowUsersToChangePassword: p.AllowUsersToChangePassword,
		ExpirePasswords: p.MaxPasswordAge > 0, MaxPasswordAge: p.MaxPasswordAge, PasswordReusePrevention: p.PasswordReusePrevention}
	if p.HardExpiry {
		out.HardExpiry = &p.HardExpiry
	}
	return passwordPolicyResult{PasswordPolicy: out}
}

// selfService authorizes an action that the account password policy's
// AllowUsersToChangePassword grants every IAM user for itself: AWS
// behaviour, "Gives IAM users permissions to iam:ChangePassword for only
// their user and to the iam:GetAccountPasswordPolicy action ... applied at
// the account-level" ([PasswordPolicy]). The grant stands in for a
// missing identity-policy allow only: an explicit deny, and a denial by an
// SCP or a session policy, still refuse. It is given to an IAM user's own
// long-term credentials, not to sessions, and not to a user with a
// permissions boundary, whose boundary then decides as for any identity
// permission: such a user needs an identity policy that the boundary
// allows (the safer readings where AWS is silent).
//
// [PasswordPolicy]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_PasswordPolicy.html
func selfService(ctx context.Context, s *iam.Service, c *api.Call, action string, t api.Target) error {
	err := c.Authorize(action, t, policy.Context{})
	if err == nil {
		return nil
	}
	d := c.Decision
	if d == nil || d.Decision != authz.ImplicitlyDenied || d.Kind != authz.KindIdentity ||
		c.Caller.UserName == "" || c.Caller.Session != nil {
		return err
	}
	if u, ok := c.Snapshot.User(c.Caller.Account, c.Caller.UserName); !ok || u.PermissionsBoundary != "" {
		return err
	}
	allow, perr := s.UsersMayChangePassword(ctx, c.Caller.Account)
	if perr != nil {
		return perr
	}
	if !allow {
		return err
	}
	c.Decision = &authz.Result{Decision: authz.Allowed, Kind: authz.KindIdentity}
	return nil
}

func loginActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.CreateLoginProfileInput, loginProfileResult]{
			Name: "CreateLoginProfile", IAMAction: "iam:CreateLoginProfile",
			Resource: func(_ context.Context, c *api.Call, in *iam.CreateLoginProfileInput) (api.Target, error) {
				return mfaUserTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateLoginProfileInput) (*loginProfileResult, error) {
				user, err := mfaUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				lp, err := s.CreateLoginProfile(ctx, c.Caller.Account, user, *in)
				if err != nil {
					return nil, err
				}
				out := toLoginProfile(lp)
				return &out, nil
			},
		},
		api.Action[loginUserInput, loginProfileResult]{
			Name: "GetLoginProfile", IAMAction: "iam:GetLoginProfile", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *loginUserInput) (api.Target, error) {
				return mfaUserTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *loginUserInput) (*loginProfileResult, error) {
				user, err := mfaUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				lp, err := s.GetLoginProfile(ctx, c.Caller.Account, user)
				if err != nil {
					return nil, err
				}
				out := toLoginProfile(lp)
				return &out, nil
			},
		},
		api.Action[iam.UpdateLoginProfileInput, struct{}]{
			Name: "UpdateLoginProfile", IAMAction: "iam:UpdateLoginProfile",
			Resource: named(userByName, func(in *iam.UpdateLoginProfileInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateLoginProfileInput) (*struct{}, error) {
				return nil, s.UpdateLoginProfile(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[loginUserInput, struct{}]{
			Name: "DeleteLoginProfile", IAMAction: "iam:DeleteLoginProfile",
			Resource: func(_ context.Context, c *api.Call, in *loginUserInput) (api.Target, error) {
				return mfaUserTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *loginUserInput) (*struct{}, error) {
				user, err := mfaUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, s.DeleteLoginProfile(ctx, c.Caller.Account, user)
			},
		},
		api.Action[iam.ChangePasswordInput, struct{}]{
			Name: "ChangePassword", IAMAction: "iam:ChangePassword",
			// Authorized in Do: the password policy may grant it (selfService).
			NoAuthorization: true,
			Do: func(ctx context.Context, c *api.Call, in *iam.ChangePasswordInput) (*struct{}, error) {
				// AWS behaviour: only an IAM user changes its own password;
				// the root user and role sessions get InvalidUserType.
				if c.Caller.UserName == "" || c.Caller.Principal.Type == policy.PrincipalAssumedRole {
					return nil, iam.ErrInvalidUserType()
				}
				if err := selfService(ctx, s, c, "iam:ChangePassword", selfTarget(c)); err != nil {
					return nil, err
				}
				return nil, s.ChangePassword(ctx, c.Caller.Account, c.Caller.UserName, *in)
			},
		},
		api.Action[struct{}, passwordPolicyResult]{
			Name: "GetAccountPasswordPolicy", IAMAction: "iam:GetAccountPasswordPolicy", ReadOnly: true,
			// Authorized in Do: the password policy may grant it (selfService).
			NoAuthorization: true,
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*passwordPolicyResult, error) {
				if err := selfService(ctx, s, c, "iam:GetAccountPasswordPolicy", api.Target{ARN: "*"}); err != nil {
					return nil, err
				}
				p, err := s.GetAccountPasswordPolicy(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				out := toPasswordPolicy(p)
				return &out, nil
			},
		},
		api.Action[iam.UpdateAccountPasswordPolicyInput, struct{}]{
			Name: "UpdateAccountPasswordPolicy", IAMAction: "iam:UpdateAccountPasswordPolicy",
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateAccountPasswordPolicyInput) (*struct{}, error) {
				return nil, s.UpdateAccountPasswordPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[struct{}, struct{}]{
			Name: "DeleteAccountPasswordPolicy", IAMAction: "iam:DeleteAccountPasswordPolicy",
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*struct{}, error) {
				return nil, s.DeleteAccountPasswordPolicy(ctx, c.Caller.Account)
			},
		},
	}
}
