package iam

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// Login profiles (console passwords) and the account password policy.
// [Managing passwords for IAM users]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html
// [Setting an account password policy]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html

// passwordMaxLength: AWS behaviour, a password is at most 128 characters
// of [\u0009\u000A\u000D\u0020-\u00FF].
const passwordMaxLength = 128

// passwordSymbols are the characters that count as symbols. AWS
// behaviour: "! @ # $ % ^ & * ( ) _ + - = [ ] { } | '".
const passwordSymbols = "!@#$%^&*()_+-=[]{}|'"

// defaultPasswordPolicy is the policy in force when the account has set
// none. AWS behaviour ([Setting an account password policy], "Default
// password policy"): at least 8 characters, at least three of upper case,
// lower case, numbers and symbols, and not the account's name; passwords
// never expire.
var defaultPasswordPolicy = store.PasswordPolicy{MinimumPasswordLength: 8}

// errPasswordPolicy is AWS's refusal of a password the policy does not
// allow. AWS gives the one message whatever the rule (and for reuse).
func errPasswordPolicy() error {
	return awserr.New("PasswordPolicyViolation", http.StatusBadRequest, "Password does not conform to the account password policy.")
}

func errNoLoginProfile(user string) error {
	return awserr.NoSuchEntity("Login Profile for User %s cannot be found.", user)
}

func errNoPasswordPolicy(acct string) error {
	return awserr.NoSuchEntity("The Password Policy with domain name %s cannot be found.", acct)
}

// checkPasswordInput refuses a password outside AWS's constraints, in
// AWS's validation wording but without echoing the password.
func checkPasswordInput(member, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < 1:
		return awserr.ValidationError("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", member)
	case n > passwordMaxLength:
		return awserr.ValidationError("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, passwordMaxLength)
	}
	for _, r := range password {
		if r != '\t' && r != '\n' && r != '\r' && (r < 0x20 || r > 0xff) {
			return awserr.ValidationError(`1 validation error detected: Value at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`, member)
		}
	}
	return nil
}

// passwordClasses reports which character classes password holds. Upper
// and lower case are the ISO basic Latin letters (AWS behaviour).
func passwordClasses(password string) (upper, lower, number, symbol bool) {
	for _, r := range password {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			number = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		}
	}
	return
}

// passwordContext is what checking and storing a password needs, read in
// one view: the account's policy (or nil) and its names.
type passwordContext struct {
	policy *store.PasswordPolicy
	alias  string
}

// effective returns the policy in force.
func (pc passwordContext) effective() store.PasswordPolicy {
	if pc.policy != nil {
		return *pc.policy
	}
	return defaultPasswordPolicy
}

func readPasswordContext(ctx context.Context, r store.Reader, acct string) (passwordContext, error) {
	var pc passwordContext
	p, err := r.GetPasswordPolicy(ctx, acct)
	switch {
	case err == nil:
		pc.policy = &p
	case !isNotFound(err):
		return pc, err
	}
	if pc.alias, err = r.GetAccountAlias(ctx, acct); err != nil {
		return pc, err
	}
	return pc, nil
}

// checkPasswordPolicy refuses a password the account's policy (or, with
// none set, AWS's default policy) does not allow. Reuse is checked
// separately, against the hashes.
func checkPasswordPolicy(acct string, pc passwordContext, password string) error {
	p := pc.effective()
	if utf8.RuneCountInString(password) < p.MinimumPasswordLength {
		return errPasswordPolicy()
	}
	upper, lower, number, symbol := passwordClasses(password)
	if pc.policy == nil {
		n := 0
		for _, ok := range []bool{upper, lower, number, symbol} {
			if ok {
				n++
			}
		}
		// The account id stands in for the account name; the alias is
		// the other name an account has here.
		if n < 3 || password == acct || (pc.alias != "" && strings.EqualFold(password, pc.alias)) {
			return errPasswordPolicy()
		}
		return nil
	}
	if (p.RequireUppercaseCharacters && !upper) || (p.RequireLowercaseCharacters && !lower) ||
		(p.RequireNumbers && !number) || (p.RequireSymbols && !symbol) {
		return errPasswordPolicy()
	}
	return nil
}

// checkReuse refuses a password that matches the current one or one of
// the policy's number of earlier ones. AWS behaviour: PasswordReusePrevention
// counts previous passwords; the current one counts among them.
func (s *Service) checkReuse(ctx context.Context, pc passwordContext, lp store.LoginProfile, password string) error {
	n := pc.effective().PasswordReusePrevention
	if n == 0 {
		return nil
	}
	hashes := append([]string{lp.PasswordHash}, lp.History...)
	for _, h := range hashes[:min(n, len(hashes))] {
		ok, err := s.passwords.verify(ctx, h, password)
		if err != nil {
			return err
		}
		if ok {
			return errPasswordPolicy()
		}
	}
	return nil
}

// passwordHistoryMax is the most earlier hashes kept: AWS's largest
// PasswordReusePrevention.
const passwordHistoryMax = 24

// withNewPassword returns lp with a new hash, the old one first in the
// history.
func withNewPassword(lp store.LoginProfile, hash string, now time.Time) store.LoginProfile {
	if lp.PasswordHash != "" {
		hist := append([]string{lp.PasswordHash}, lp.History...)
		lp.History = hist[:min(len(hist), passwordHistoryMax)]
	}
	lp.PasswordHash, lp.PasswordChanged = hash, now
	return lp
}

// CreateLoginProfileInput is the input of CreateLoginProfile. The user is
// resolved by the caller (the named one or the caller itself).
type CreateLoginProfileInput struct {
	UserName              *string `query:"UserName" min:"1" max:"64" pattern:"name"`
	Password              *string `query:"Password" audit:"redact"`
	PasswordResetRequired bool    `query:"PasswordResetRequired"`
}

// CreateLoginProfile gives a user a console password.
func (s *Service) CreateLoginProfile(ctx context.Context, acct, user string, in CreateLoginProfileInput) (store.LoginProfile, error) {
	// AWS behaviour: the password may be omitted only in an AssumeRoot
	// session, which Warden does not issue.
	if in.Password == nil {
		return store.LoginProfile{}, awserr.ValidationError("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null")
	}
	if err := checkPasswordInput("password", *in.Password); err != nil {
		return store.LoginProfile{}, err
	}
	var pc passwordContext
	err := s.view(ctx, func(r store.Reader) error {
		if _, err := getUser(ctx, r, acct, user); err != nil {
			return err
		}
		var err error
		pc, err = readPasswordContext(ctx, r, acct)
		return err
	})
	if err != nil {
		return store.LoginProfile{}, err
	}
	if err := checkPasswordPolicy(acct, pc, *in.Password); err != nil {
		return store.LoginProfile{}, err
	}
	hash, err := s.passwords.hash(ctx, *in.Password)
	if err != nil {
		return store.LoginProfile{}, err
	}
	now := s.now().UTC()
	var lp store.LoginProfile
	err = s.update(ctx, func(tx store.Tx) error {
		u, err := getUser(ctx, tx, acct, user)
		if err != nil {
			return err
		}
		if _, err := tx.GetLoginProfile(ctx, acct, u.Name); err == nil {
			return awserr.EntityAlreadyExists("Login Profile for user %s already exists.", u.Name)
		} else if !isNotFound(err) {
			return err
		}
		lp = store.LoginProfile{Account: acct, UserName: u.Name, PasswordHash: hash,
			PasswordResetRequired: in.PasswordResetRequired, CreateDate: now, PasswordChanged: now}
		return tx.PutLoginProfile(ctx, lp)
	})
	return lp, err
}

// getLoginProfile reads a user's profile, or AWS's NoSuchEntity for the
// user or the profile.
func getLoginProfile(ctx context.Context, r store.Reader, acct, user string) (store.LoginProfile, error) {
	u, err := getUser(ctx, r, acct, user)
	if err != nil {
		return store.LoginProfile{}, err
	}
	lp, err := r.GetLoginProfile(ctx, acct, u.Name)
	if isNotFound(err) {
		return store.LoginProfile{}, errNoLoginProfile(u.Name)
	}
	return lp, err
}

// GetLoginProfile returns a user's profile (never its hash to the wire).
func (s *Service) GetLoginProfile(ctx context.Context, acct, user string) (store.LoginProfile, error) {
	var lp store.LoginProfile
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		lp, err = getLoginProfile(ctx, r, acct, user)
		return err
	})
	return lp, err
}

// DeleteLoginProfile removes a user's console password.
func (s *Service) DeleteLoginProfile(ctx context.Context, acct, user string) error {
	return s.update(ctx, func(tx store.Tx) error {
		lp, err := getLoginProfile(ctx, tx, acct, user)
		if err != nil {
			return err
		}
		return tx.DeleteLoginProfile(ctx, acct, lp.UserName)
	})
}

// UpdateLoginProfileInput is the input of UpdateLoginProfile.
type UpdateLoginProfileInput struct {
	UserName              string  `query:"UserName,required" min:"1" max:"64" pattern:"name"`
	Password              *string `query:"Password" audit:"redact"`
	PasswordResetRequired *bool   `query:"PasswordResetRequired"`
}

// errPasswordChanged: the profile changed between reading it and writing
// the new password (a concurrent change); the caller may retry. The
// message is AWS's description of the error.
func errPasswordChanged() error {
	return awserr.New("EntityTemporarilyUnmodifiable", http.StatusConflict,
		"The request was rejected because it referenced an entity that is temporarily unmodifiable.")
}

// setPassword checks newPassword against the policy and reuse, hashes it
// and stores it on the user's profile, which must still be lp; change
// runs on the profile before it is stored.
func (s *Service) setPassword(ctx context.Context, acct string, pc passwordContext, lp store.LoginProfile, newPassword string, change func(*store.LoginProfile)) error {
	if err := checkPasswordPolicy(acct, pc, newPassword); err != nil {
		return err
	}
	if err := s.checkReuse(ctx, pc, lp, newPassword); err != nil {
		return err
	}
	hash, err := s.passwords.hash(ctx, newPassword)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.update(ctx, func(tx store.Tx) error {
		cur, err := getLoginProfile(ctx, tx, acct, lp.UserName)
		if err != nil {
			return err
		}
		if cur.PasswordHash != lp.PasswordHash {
			return errPasswordChanged()
		}
		next := withNewPassword(cur, hash, now)
		if change != nil {
			change(&next)
		}
		return tx.PutLoginProfile(ctx, next)
	})
}

// UpdateLoginProfile changes a user's password or reset flag.
func (s *Service) UpdateLoginProfile(ctx context.Context, acct string, in UpdateLoginProfileInput) error {
	if in.Password != nil {
		if err := checkPasswordInput("password", *in.Password); err != nil {
			return err
		}
	}
	var (
		lp store.LoginProfile
		pc passwordContext
	)
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		if lp, err = getLoginProfile(ctx, r, acct, in.UserName); err != nil {
			return err
		}
		pc, err = readPasswordContext(ctx, r, acct)
		return err
	})
	if err != nil {
		return err
	}
	setReset := func(p *store.LoginProfile) {
		if in.PasswordResetRequired != nil {
			p.PasswordResetRequired = *in.PasswordResetRequired
		}
	}
	if in.Password != nil {
		return s.setPassword(ctx, acct, pc, lp, *in.Password, setReset)
	}
	return s.update(ctx, func(tx store.Tx) error {
		cur, err := getLoginProfile(ctx, tx, acct, in.UserName)
		if err != nil {
			return err
		}
		setReset(&cur)
		return tx.PutLoginProfile(ctx, cur)
	})
}

// ChangePasswordInput is the input of ChangePassword.
type ChangePasswordInput struct {
	OldPassword string `query:"OldPassword,required" audit:"redact"`
	NewPassword string `query:"NewPassword,required" audit:"redact"`
}

// ErrInvalidUserType is AWS's refusal of ChangePassword by a caller that
// is not an IAM user (the root user, a role session).
func ErrInvalidUserType() error {
	return awserr.New("InvalidUserType", http.StatusBadRequest, "Only IAM Users can change their own password.")
}

// ChangePassword changes the calling IAM user's own password: the old one
// must match, the new one must satisfy the policy and its reuse rule.
// AWS behaviour: it clears PasswordResetRequired, and works after the
// password expired even with HardExpiry (which only stops the console).
func (s *Service) ChangePassword(ctx context.Context, acct, user string, in ChangePasswordInput) error {
	if err := checkPasswordInput("oldPassword", in.OldPassword); err != nil {
		return err
	}
	if err := checkPasswordInput("newPassword", in.NewPassword); err != nil {
		return err
	}
	var (
		lp store.LoginProfile
		pc passwordContext
	)
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		if lp, err = getLoginProfile(ctx, r, acct, user); err != nil {
			return err
		}
		pc, err = readPasswordContext(ctx, r, acct)
		return err
	})
	if err != nil {
		return err
	}
	ok, err := s.passwords.verify(ctx, lp.PasswordHash, in.OldPassword)
	if err != nil {
		return err
	}
	if !ok {
		// AWS does not document this error; Warden refuses as for a
		// missing permission, without saying more.
		return awserr.AccessDenied("The old password is incorrect.")
	}
	return s.setPassword(ctx, acct, pc, lp, in.NewPassword, func(p *store.LoginProfile) {
		p.PasswordResetRequired = false
	})
}

// UsersMayChangePassword reports whether the account's password policy
// lets every IAM user change its own password and read the policy.
func (s *Service) UsersMayChangePassword(ctx context.Context, acct string) (bool, error) {
	var allow bool
	err := s.view(ctx, func(r store.Reader) error {
		p, err := r.GetPasswordPolicy(ctx, acct)
		if isNotFound(err) {
			return nil
		}
		allow = p.AllowUsersToChangePassword
		return err
	})
	return allow, err
}

// UpdateAccountPasswordPolicyInput is the input of
// UpdateAccountPasswordPolicy. AWS behaviour: a parameter left out takes
// its default; nothing is kept from the policy it replaces.
type UpdateAccountPasswordPolicyInput struct {
	MinimumPasswordLength      *int  `query:"MinimumPasswordLength" minValue:"6" maxValue:"128"`
	RequireSymbols             bool  `query:"RequireSymbols"`
	RequireNumbers             bool  `query:"RequireNumbers"`
	RequireUppercaseCharacters bool  `query:"RequireUppercaseCharacters"`
	RequireLowercaseCharacters bool  `query:"RequireLowercaseCharacters"`
	AllowUsersToChangePassword bool  `query:"AllowUsersToChangePassword"`
	MaxPasswordAge             *int  `query:"MaxPasswordAge" minValue:"1" maxValue:"1095"`
	PasswordReusePrevention    *int  `query:"PasswordReusePrevention" minValue:"1" maxValue:"24"`
	HardExpiry                 *bool `query:"HardExpiry"`
}

// UpdateAccountPasswordPolicy sets the account's password policy.
func (s *Service) UpdateAccountPasswordPolicy(ctx context.Context, acct string, in UpdateAccountPasswordPolicyInput) error {
	p := store.PasswordPolicy{Account: acct, MinimumPasswordLength: 6,
		RequireSymbols: in.RequireSymbols, RequireNumbers: in.RequireNumbers,
		RequireUppercaseCharacters: in.RequireUppercaseCharacters, RequireLowercaseCharacters: in.RequireLowercaseCharacters,
		AllowUsersToChangePassword: in.AllowUsersToChangePassword}
	if in.MinimumPasswordLength != nil {
		p.MinimumPasswordLength = *in.MinimumPasswordLength
	}
	if in.MaxPasswordAge != nil {
		p.MaxPasswordAge = *in.MaxPasswordAge
	}
	if in.PasswordReusePrevention != nil {
		p.PasswordReusePrevention = *in.PasswordReusePrevention
	}
	if in.HardExpiry != nil {
		p.HardExpiry = *in.HardExpiry
	}
	return s.update(ctx, func(tx store.Tx) error { return tx.PutPasswordPolicy(ctx, p) })
}

// GetAccountPasswordPolicy returns the policy the account has set; AWS
// behaviour: NoSuchEntity when it has set none (the default policy is
// not returned).
func (s *Service) GetAccountPasswordPolicy(ctx context.Context, acct string) (store.PasswordPolicy, error) {
	var p store.PasswordPolicy
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		p, err = r.GetPasswordPolicy(ctx, acct)
		if isNotFound(err) {
			return errNoPasswordPolicy(acct)
		}
		return err
	})
	return p, err
}

// DeleteAccountPasswordPolicy removes the account's password policy, so
// the default applies again.
func (s *Service) DeleteAccountPasswordPolicy(ctx context.Context, acct string) error {
	return s.update(ctx, func(tx store.Tx) error {
		err := tx.DeletePasswordPolicy(ctx, acct)
		if isNotFound(err) {
			return errNoPasswordPolicy(acct)
		}
		return err
	})
}

// passwordExpiry is when a password set at changed expires under p, or
// the zero time when it does not.
func passwordExpiry(p store.PasswordPolicy, changed time.Time) time.Time {
	if p.MaxPasswordAge == 0 || changed.IsZero() {
		return time.Time{}
	}
	return changed.AddDate(0, 0, p.MaxPasswordAge)
}

// Console sign-in refusals. The console shows one message for both
// ErrBadSignIn cases so that it does not reveal which users have a password.
var (
	// ErrBadSignIn: no such user, no password, or a wrong password.
	ErrBadSignIn = errors.New("iam: user name or password is incorrect")
	// ErrPasswordHardExpired: the password expired and the policy's
	// HardExpiry stops the user from setting a new one; an administrator
	// must reset it.
	ErrPasswordHardExpired = errors.New("iam: password expired; an administrator must reset it")
)

// SignIn is a successful console password check.
type SignIn struct {
	UserName string // the user's name as stored
	// MustChangePassword: the user must set a new password (with
	// ChangePassword) before going on: PasswordResetRequired is set, or
	// the password expired and the policy lets the user renew it.
	MustChangePassword bool
	// Expired: the password is past the policy's MaxPasswordAge.
	Expired bool
}

// VerifyConsolePassword checks a user's console password, for the console
// sign-in. It honours the password policy's expiry and HardExpiry and the
// profile's PasswordResetRequired, and on success records
// PasswordLastUsed on the user; a hash made with older parameters is
// replaced by one with the current ones. Every failure to match is ErrBadSignIn,
// and the time taken does not depend on whether the user or its profile
// exists (a hash is computed either way).
func (s *Service) VerifyConsolePassword(ctx context.Context, acct, user, password string) (SignIn, error) {
	var (
		lp     store.LoginProfile
		policy = defaultPasswordPolicy
		found  bool
	)
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		lp, err = r.GetLoginProfile(ctx, acct, user)
		switch {
		case isNotFound(err):
			return nil
		case err != nil:
			return err
		}
		found = true
		p, err := r.GetPasswordPolicy(ctx, acct)
		if err == nil {
			policy = p
		} else if !isNotFound(err) {
			return err
		}
		return nil
	})
	if err != nil {
		return SignIn{}, err
	}
	if !found {
		// Spend the time a check takes, so that timing does not tell
		// which users have a password.
		if _, err := s.passwords.hash(ctx, password); err != nil {
			return SignIn{}, err
		}
		return SignIn{}, ErrBadSignIn
	}
	ok, err := s.passwords.verify(ctx, lp.PasswordHash, password)
	if err != nil {
		return SignIn{}, fmt.Errorf("iam: verify password of %s: %w", lp.UserName, err)
	}
	if !ok {
		return SignIn{}, ErrBadSignIn
	}
	// A hash made with older parameters is replaced while the password
	// is at hand.
	var rehash string
	if needsRehash(lp.PasswordHash) {
		if rehash, err = s.passwords.hash(ctx, password); err != nil {
			return SignIn{}, err
		}
	}
	now := s.now().UTC()
	res := SignIn{UserName: lp.UserName, MustChangePassword: lp.PasswordResetRequired}
	if exp := passwordExpiry(policy, lp.PasswordChanged); !exp.IsZero() && !now.Before(exp) {
		if policy.HardExpiry {
			return SignIn{}, ErrPasswordHardExpired
		}
		res.Expired, res.MustChangePassword = true, true
	}
	err = s.update(ctx, func(tx store.Tx) error {
		u, err := getUser(ctx, tx, acct, lp.UserName)
		if err != nil {
			return err
		}
		u.PasswordLastUsed = now
		if err := tx.UpdateUser(ctx, u.Name, u); err != nil {
			return err
		}
		if rehash == "" {
			return nil
		}
		cur, err := tx.GetLoginProfile(ctx, acct, u.Name)
		if err != nil || cur.PasswordHash != lp.PasswordHash {
			// Gone or changed meanwhile: nothing to upgrade.
			return nil
		}
		cur.PasswordHash = rehash
		return tx.PutLoginProfile(ctx, cur)
	})
	if err != nil {
		return SignIn{}, err
	}
	return res, nil
}

// checkUserLogins refuses to delete a user that still has a console
// password or signing certificates. AWS behaviour ([DeleteUser]): they must
// be deleted first.
// [DeleteUser]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html
func checkUserLogins(ctx context.Context, r store.Reader, acct, user string) error {
	if _, err := r.GetLoginProfile(ctx, acct, user); err == nil {
		return awserr.DeleteConflict("Cannot delete entity, must delete login profile first.")
	} else if !isNotFound(err) {
		return err
	}
	certs, err := r.ListSigningCertificates(ctx, acct, user)
	if err != nil {
		return err
	}
	if len(certs) > 0 {
		return awserr.DeleteConflict("Cannot delete entity, must delete signing certificates first.")
	}
	return nil
}
