package iam

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/argon2"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

func TestPasswordHashPHC(t *testing.T) {
	h := newPasswordHasher(1)
	ctx := context.Background()
	phc, err := h.hash(ctx, "Correct horse 1!")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$"), phc)
	p, err := parsePHC(phc)
	require.NoError(t, err)
	require.Len(t, p.salt, 16)
	require.Len(t, p.key, 32)

	again, err := h.hash(ctx, "Correct horse 1!")
	require.NoError(t, err)
	require.NotEqual(t, phc, again, "every hash has its own salt")

	for _, tc := range []struct {
		name, password string
		want           bool
	}{
		{"same", "Correct horse 1!", true},
		{"other", "Correct horse 2!", false},
		{"prefix", "Correct horse 1", false},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := h.verify(ctx, phc, tc.password)
			require.NoError(t, err)
			require.Equal(t, tc.want, ok)
		})
	}
}

func TestParsePHCRefusesBadStrings(t *testing.T) {
	for _, tc := range []struct{ name, phc string }{
		{"empty", ""},
		{"bcrypt", "$2a$12$abcdefghijklmnopqrstuv"},
		{"argon2i", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"},
		{"old version", "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"},
		{"huge memory", "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"},
		{"zero time", "$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"},
		{"bad salt", "$argon2id$v=19$m=19456,t=2,p=1$!!$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"},
		{"short key", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5"},
		{"extra field", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5$x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parsePHC(tc.phc)
			require.ErrorIs(t, err, errBadPHC)
		})
	}
}

func TestPasswordHasherIsBounded(t *testing.T) {
	h := newPasswordHasher(1)
	require.NoError(t, h.acquire(context.Background()))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := h.hash(ctx, "x")
	require.ErrorIs(t, err, context.DeadlineExceeded, "a hash waits for a free slot")
	h.release()
}

func TestCheckPasswordPolicy(t *testing.T) {
	const acct = "123456789012"
	strict := &store.PasswordPolicy{MinimumPasswordLength: 10, RequireSymbols: true, RequireNumbers: true,
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true}
	for _, tc := range []struct {
		name     string
		pc       passwordContext
		password string
		ok       bool
	}{
		{"default: three classes", passwordContext{}, "Abcdefg1", true},
		{"default: upper lower symbol", passwordContext{}, "Abcdefg!", true},
		{"default: too short", passwordContext{}, "Abcde1!", false},
		{"default: two classes", passwordContext{}, "abcdefg12", false},
		{"default: the account id", passwordContext{}, acct, false},
		{"default: the alias", passwordContext{alias: "my-Corp1"}, "MY-CORP1", false},
		{"default: other symbols do not count", passwordContext{}, "abcdefg1~", false},
		{"strict: all classes", passwordContext{policy: strict}, "Abcdefgh1!", true},
		{"strict: short", passwordContext{policy: strict}, "Abcdefg1!", false},
		{"strict: no upper", passwordContext{policy: strict}, "abcdefgh1!", false},
		{"strict: no lower", passwordContext{policy: strict}, "ABCDEFGH1!", false},
		{"strict: no number", passwordContext{policy: strict}, "Abcdefghi!", false},
		{"strict: no symbol", passwordContext{policy: strict}, "Abcdefghi1", false},
		{"strict: Latin-1 letters are not upper case", passwordContext{policy: strict}, "ÀÉbcdefgh1!", false},
		{"policy without rules", passwordContext{policy: &store.PasswordPolicy{MinimumPasswordLength: 6}}, "aaaaaa", true},
		{"characters, not bytes", passwordContext{policy: &store.PasswordPolicy{MinimumPasswordLength: 6}}, "ééééé", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkPasswordPolicy(acct, tc.pc, tc.password)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			requireAWSCode(t, err, "PasswordPolicyViolation")
		})
	}
}

func requireAWSCode(t *testing.T, err error, code string) {
	t.Helper()
	ae, ok := err.(*awserr.Error)
	require.True(t, ok, "want %s, got %v", code, err)
	require.Equal(t, code, ae.Code)
}

// loginClock is a settable service clock.
type loginClock struct{ t time.Time }

func (c *loginClock) now() time.Time { return c.t }

func TestVerifyConsolePassword(t *testing.T) {
	const acct = "123456789012"
	ctx := context.Background()
	s, _ := newTestService(t)
	clock := &loginClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.now = clock.now
	for _, name := range []string{"alice", "bob"} {
		_, err := s.CreateUser(ctx, acct, CreateUserInput{UserName: name})
		require.NoError(t, err)
	}
	_, err := s.CreateLoginProfile(ctx, acct, "alice", CreateLoginProfileInput{Password: ptr("Sunny-day-42")})
	require.NoError(t, err)

	t.Run("right password records PasswordLastUsed", func(t *testing.T) {
		res, err := s.VerifyConsolePassword(ctx, acct, "ALICE", "Sunny-day-42")
		require.NoError(t, err)
		require.Equal(t, SignIn{UserName: "alice"}, res)
		u, err := s.GetUser(ctx, acct, "alice")
		require.NoError(t, err)
		require.True(t, u.PasswordLastUsed.Equal(clock.t))
	})
	t.Run("wrong password, no profile and no user look alike", func(t *testing.T) {
		for _, tc := range []struct{ user, password string }{
			{"alice", "Sunny-day-43"}, {"bob", "Sunny-day-42"}, {"nobody", "Sunny-day-42"},
		} {
			_, err := s.VerifyConsolePassword(ctx, acct, tc.user, tc.password)
			require.ErrorIs(t, err, ErrBadSignIn, tc.user)
		}
	})
	t.Run("reset required", func(t *testing.T) {
		require.NoError(t, s.UpdateLoginProfile(ctx, acct, UpdateLoginProfileInput{UserName: "alice", PasswordResetRequired: ptr(true)}))
		res, err := s.VerifyConsolePassword(ctx, acct, "alice", "Sunny-day-42")
		require.NoError(t, err)
		require.True(t, res.MustChangePassword)
		require.False(t, res.Expired)
		require.NoError(t, s.ChangePassword(ctx, acct, "alice", ChangePasswordInput{OldPassword: "Sunny-day-42", NewPassword: "Rainy-day-43"}))
		res, err = s.VerifyConsolePassword(ctx, acct, "alice", "Rainy-day-43")
		require.NoError(t, err)
		require.False(t, res.MustChangePassword, "ChangePassword clears the flag")
	})
	t.Run("expiry", func(t *testing.T) {
		require.NoError(t, s.UpdateAccountPasswordPolicy(ctx, acct, UpdateAccountPasswordPolicyInput{MaxPasswordAge: ptr(30)}))
		clock.t = clock.t.AddDate(0, 0, 29)
		res, err := s.VerifyConsolePassword(ctx, acct, "alice", "Rainy-day-43")
		require.NoError(t, err)
		require.False(t, res.Expired, "29 days old")
		clock.t = clock.t.AddDate(0, 0, 1)
		res, err = s.VerifyConsolePassword(ctx, acct, "alice", "Rainy-day-43")
		require.NoError(t, err)
		require.Equal(t, SignIn{UserName: "alice", Expired: true, MustChangePassword: true}, res)
	})
	t.Run("hard expiry", func(t *testing.T) {
		require.NoError(t, s.UpdateAccountPasswordPolicy(ctx, acct, UpdateAccountPasswordPolicyInput{MaxPasswordAge: ptr(30), HardExpiry: ptr(true)}))
		_, err := s.VerifyConsolePassword(ctx, acct, "alice", "Rainy-day-43")
		require.ErrorIs(t, err, ErrPasswordHardExpired)
		_, err = s.VerifyConsolePassword(ctx, acct, "alice", "wrong")
		require.ErrorIs(t, err, ErrBadSignIn, "a wrong password says nothing about expiry")
		// An administrator resets it.
		require.NoError(t, s.UpdateLoginProfile(ctx, acct, UpdateLoginProfileInput{UserName: "alice", Password: ptr("Windy-day-44")}))
		res, err := s.VerifyConsolePassword(ctx, acct, "alice", "Windy-day-44")
		require.NoError(t, err)
		require.False(t, res.Expired)
	})
}

func ptr[T any](v T) *T { return &v }

func TestSignInUpgradesOldHashes(t *testing.T) {
	const acct = "123456789012"
	ctx := context.Background()
	s, _ := newTestService(t)
	_, err := s.CreateUser(ctx, acct, CreateUserInput{UserName: "olaf"})
	require.NoError(t, err)
	// A hash with a lighter time cost, as an older Warden might have made.
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("Sunny-day-42"), salt, 1, argonMemory, argonThreads, argonKeyLen)
	old := "$argon2id$v=19$m=19456,t=1,p=1$" + base64.RawStdEncoding.EncodeToString(salt) + "$" + base64.RawStdEncoding.EncodeToString(key)
	require.True(t, needsRehash(old))
	require.NoError(t, s.store.Update(ctx, func(tx store.Tx) error {
		return tx.PutLoginProfile(ctx, store.LoginProfile{Account: acct, UserName: "olaf", PasswordHash: old,
			CreateDate: s.now(), PasswordChanged: s.now()})
	}))
	_, err = s.VerifyConsolePassword(ctx, acct, "olaf", "wrong")
	require.ErrorIs(t, err, ErrBadSignIn)
	lp, err := s.GetLoginProfile(ctx, acct, "olaf")
	require.NoError(t, err)
	require.Equal(t, old, lp.PasswordHash, "a failed sign-in changes nothing")

	_, err = s.VerifyConsolePassword(ctx, acct, "olaf", "Sunny-day-42")
	require.NoError(t, err)
	lp, err = s.GetLoginProfile(ctx, acct, "olaf")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(lp.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$"), lp.PasswordHash)
	require.False(t, needsRehash(lp.PasswordHash))
	require.Empty(t, lp.History, "an upgrade is not a new password")
	_, err = s.VerifyConsolePassword(ctx, acct, "olaf", "Sunny-day-42")
	require.NoError(t, err, "the new hash verifies")
}

func TestSetPasswordRefusesAConcurrentChange(t *testing.T) {
	const acct = "123456789012"
	ctx := context.Background()
	s, _ := newTestService(t)
	_, err := s.CreateUser(ctx, acct, CreateUserInput{UserName: "pia"})
	require.NoError(t, err)
	_, err = s.CreateLoginProfile(ctx, acct, "pia", CreateLoginProfileInput{Password: ptr("Sunny-day-42")})
	require.NoError(t, err)
	seen, err := s.GetLoginProfile(ctx, acct, "pia")
	require.NoError(t, err)
	// Another request changes the password after seen was read.
	require.NoError(t, s.UpdateLoginProfile(ctx, acct, UpdateLoginProfileInput{UserName: "pia", Password: ptr("Rainy-day-43")}))
	err = s.setPassword(ctx, acct, passwordContext{}, seen, "Windy-day-44", nil)
	requireAWSCode(t, err, "EntityTemporarilyUnmodifiable")
	_, err = s.VerifyConsolePassword(ctx, acct, "pia", "Rainy-day-43")
	require.NoError(t, err, "the other request's password stands")
}
