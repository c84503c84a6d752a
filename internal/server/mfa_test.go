package server_test

import (
	"bytes"
	"context"
	"image/png"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// mfaClock is a server clock the test moves in whole TOTP steps. It starts
// 5 s into the current real step, so that SigV4 signatures made at real
// time stay within the allowed skew.
type mfaClock struct {
	base time.Time
	off  atomic.Int64 // steps
}

func newMFAClock() *mfaClock {
	return &mfaClock{base: time.Now().Truncate(30 * time.Second).Add(5 * time.Second)}
}

func (c *mfaClock) now() time.Time { return c.base.Add(time.Duration(c.off.Load()) * 30 * time.Second) }

// step is the server's current TOTP step.
func (c *mfaClock) step() int64 { return c.now().Unix() / 30 }

// mfaCodeAt is the code of seed for a TOTP step, as an authenticator app
// computes it.
func mfaCodeAt(t *testing.T, seed string, step int64) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(seed, time.Unix(step*30, 0), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	require.NoError(t, err)
	return code
}

// mfaCreate creates a virtual device and returns its serial number and seed.
func mfaCreate(t *testing.T, c *iam.Client, name string) (string, string) {
	t.Helper()
	out, err := c.CreateVirtualMFADevice(context.Background(), &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	require.NoError(t, err)
	return *out.VirtualMFADevice.SerialNumber, string(out.VirtualMFADevice.Base32StringSeed)
}

// mfaEnable enables a device for a user with the codes of the previous and
// the current step.
func mfaEnable(t *testing.T, c *iam.Client, clock *mfaClock, user, serial, seed string) {
	t.Helper()
	s := clock.step()
	_, err := c.EnableMFADevice(context.Background(), &iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(mfaCodeAt(t, seed, s-1)), AuthenticationCode2: aws.String(mfaCodeAt(t, seed, s))})
	require.NoError(t, err)
}

func TestMFAVirtualDevices(t *testing.T) {
	clock := newMFAClock()
	srv := servertest.Start(t, servertest.WithClock(clock.now))
	ctx := context.Background()
	root := srv.RootIAM()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")})
	require.NoError(t, err)

	out, err := root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("carol-mfa"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("red")}}})
	require.NoError(t, err)
	dev := out.VirtualMFADevice
	serial, seed := *dev.SerialNumber, string(dev.Base32StringSeed)

	t.Run("create returns a real seed and QR code", func(t *testing.T) {
		require.Equal(t, "arn:aws:iam::123456789012:mfa/carol-mfa", serial)
		require.Len(t, seed, 64)
		require.Regexp(t, `^[A-Z2-7]+$`, seed)
		img, err := png.Decode(bytes.NewReader(dev.QRCodePNG))
		require.NoError(t, err)
		require.Positive(t, img.Bounds().Dx())
		require.Equal(t, []types.Tag{{Key: aws.String("team"), Value: aws.String("red")}}, dev.Tags)
		require.Nil(t, dev.User)
		require.Nil(t, dev.EnableDate)
	})

	t.Run("create errors", func(t *testing.T) {
		_, err := root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("carol-mfa")})
		requireAPIError(t, err, "EntityAlreadyExists", "MFADevice entity at the same path and name already exists.")
		_, err = root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("bad name")})
		requireAPIError(t, err, "ValidationError", "")
		_, err = root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("x"), Path: aws.String("nopath")})
		requireAPIError(t, err, "ValidationError", "")
		p, err := root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("spare"), Path: aws.String("/team/")})
		require.NoError(t, err)
		require.Equal(t, "arn:aws:iam::123456789012:mfa/team/spare", *p.VirtualMFADevice.SerialNumber)
	})

	t.Run("enable refuses bad codes", func(t *testing.T) {
		s := clock.step()
		for _, tc := range []struct {
			name         string
			code1, code2 int64
		}{
			{"not consecutive", s - 1, s + 1},
			{"reversed", s, s - 1},
			{"same step twice", s, s},
			{"too old", s - 3, s - 2},
			{"too far ahead", s + 2, s + 3},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("carol"), SerialNumber: aws.String(serial),
					AuthenticationCode1: aws.String(mfaCodeAt(t, seed, tc.code1)), AuthenticationCode2: aws.String(mfaCodeAt(t, seed, tc.code2))})
				requireAPIError(t, err, "InvalidAuthenticationCode", "Authentication code for device is not valid.")
			})
		}
		_, err := root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("carol"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String("12345"), AuthenticationCode2: aws.String("123456")})
		requireAPIError(t, err, "ValidationError", "")
		_, err = root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("nobody"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(mfaCodeAt(t, seed, s-1)), AuthenticationCode2: aws.String(mfaCodeAt(t, seed, s))})
		requireAPIError(t, err, "NoSuchEntity", "The user with name nobody cannot be found.")
		_, err = root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("carol"), SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/none"),
			AuthenticationCode1: aws.String(mfaCodeAt(t, seed, s-1)), AuthenticationCode2: aws.String(mfaCodeAt(t, seed, s))})
		requireAPIError(t, err, "NoSuchEntity", "VirtualMFADevice with serial number arn:aws:iam::123456789012:mfa/none doesn't exist.")
	})

	t.Run("enable with two consecutive codes", func(t *testing.T) {
		mfaEnable(t, root, clock, "carol", serial, seed)
		s := clock.step()
		_, err := root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("carol"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(mfaCodeAt(t, seed, s)), AuthenticationCode2: aws.String(mfaCodeAt(t, seed, s+1))})
		requireAPIError(t, err, "EntityAlreadyExists", "MFA Device is already in use.")
	})

	t.Run("list and get", func(t *testing.T) {
		l, err := root.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("CAROL")})
		require.NoError(t, err)
		require.Len(t, l.MFADevices, 1)
		require.Equal(t, serial, *l.MFADevices[0].SerialNumber)
		require.Equal(t, "carol", *l.MFADevices[0].UserName)
		require.WithinDuration(t, clock.now(), *l.MFADevices[0].EnableDate, time.Second)

		for _, tc := range []struct {
			name   string
			status types.AssignmentStatusType
			want   []string
		}{
			{"any by default", "", []string{serial, "arn:aws:iam::123456789012:mfa/team/spare"}},
			{"any", types.AssignmentStatusTypeAny, []string{serial, "arn:aws:iam::123456789012:mfa/team/spare"}},
			{"assigned", types.AssignmentStatusTypeAssigned, []string{serial}},
			{"unassigned", types.AssignmentStatusTypeUnassigned, []string{"arn:aws:iam::123456789012:mfa/team/spare"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				v, err := root.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: tc.status})
				require.NoError(t, err)
				var got []string
				for _, d := range v.VirtualMFADevices {
					got = append(got, *d.SerialNumber)
					require.Nil(t, d.Base32StringSeed, "only CreateVirtualMFADevice returns the seed")
					require.Nil(t, d.QRCodePNG)
					if *d.SerialNumber == serial {
						require.NotNil(t, d.User)
						require.Equal(t, "carol", *d.User.UserName)
						require.Equal(t, "arn:aws:iam::123456789012:user/carol", *d.User.Arn)
						require.NotNil(t, d.EnableDate)
					} else {
						require.Nil(t, d.User)
					}
				}
				require.Equal(t, tc.want, got)
			})
		}
		page, err := root.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{MaxItems: aws.Int32(1)})
		require.NoError(t, err)
		require.True(t, page.IsTruncated)
		require.Len(t, page.VirtualMFADevices, 1)
		page, err = root.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{MaxItems: aws.Int32(1), Marker: page.Marker})
		require.NoError(t, err)
		require.False(t, page.IsTruncated)
		require.Equal(t, "arn:aws:iam::123456789012:mfa/team/spare", *page.VirtualMFADevices[0].SerialNumber)

		g, err := root.GetMFADevice(ctx, &iam.GetMFADeviceInput{UserName: aws.String("carol"), SerialNumber: aws.String(serial)})
		require.NoError(t, err)
		require.Equal(t, "carol", *g.UserName)
		require.Equal(t, serial, *g.SerialNumber)
		require.NotNil(t, g.EnableDate)
		_, err = root.GetMFADevice(ctx, &iam.GetMFADeviceInput{UserName: aws.String("carol"), SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/team/spare")})
		requireAPIError(t, err, "NoSuchEntity", "MFA Device invalid for user.")
		_, err = root.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("nobody")})
		requireAPIError(t, err, "NoSuchEntity", "The user with name nobody cannot be found.")
		rl, err := root.ListMFADevices(ctx, &iam.ListMFADevicesInput{})
		require.NoError(t, err)
		require.Empty(t, rl.MFADevices, "the root user has no virtual device here")
	})

	t.Run("tags", func(t *testing.T) {
		_, err := root.TagMFADevice(ctx, &iam.TagMFADeviceInput{SerialNumber: aws.String(serial), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
		require.NoError(t, err)
		_, err = root.UntagMFADevice(ctx, &iam.UntagMFADeviceInput{SerialNumber: aws.String(serial), TagKeys: []string{"TEAM"}})
		require.NoError(t, err)
		tg, err := root.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: aws.String(serial)})
		require.NoError(t, err)
		require.Equal(t, []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}, tg.Tags)
		_, err = root.TagMFADevice(ctx, &iam.TagMFADeviceInput{SerialNumber: aws.String(serial), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}})
		requireAPIError(t, err, "InvalidInput", "")
		_, err = root.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/none")})
		requireAPIError(t, err, "NoSuchEntity", "VirtualMFADevice with serial number arn:aws:iam::123456789012:mfa/none doesn't exist.")
	})

	t.Run("resync", func(t *testing.T) {
		s := clock.step()
		resync := func(c1, c2 int64) error {
			_, err := root.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("carol"), SerialNumber: aws.String(serial),
				AuthenticationCode1: aws.String(mfaCodeAt(t, seed, c1)), AuthenticationCode2: aws.String(mfaCodeAt(t, seed, c2))})
			return err
		}
		// The codes EnableMFADevice accepted are spent.
		requireAPIError(t, resync(s-1, s), "InvalidAuthenticationCode", "Authentication code for device is not valid.")
		requireAPIError(t, resync(s+30, s+31), "InvalidAuthenticationCode", "Authentication code for device is not valid.")
		requireAPIError(t, resync(s+5, s+7), "InvalidAuthenticationCode", "Authentication code for device is not valid.")
		// (The clock moves at most a few minutes: SigV4 allows 5 minutes of skew.)
		clock.off.Add(6)
		require.NoError(t, resync(s+1, s+2), "a device behind by 4 steps resyncs")
		requireAPIError(t, resync(s+1, s+2), "InvalidAuthenticationCode", "Authentication code for device is not valid.")
		_, err := root.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("carol"), SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/team/spare"),
			AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")})
		requireAPIError(t, err, "NoSuchEntity", "MFA Device invalid for user.")
	})

	t.Run("delete conflicts while enabled", func(t *testing.T) {
		_, err := root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("carol")})
		requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must delete MFA device first.")
		_, err = root.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
		requireAPIError(t, err, "DeleteConflict", "MFA VirtualDevice in use. Must deactivate first.")
	})

	t.Run("deactivate and delete", func(t *testing.T) {
		_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave")})
		require.NoError(t, err)
		_, err = root.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("dave"), SerialNumber: aws.String(serial)})
		requireAPIError(t, err, "NoSuchEntity", "MFA Device invalid for user.")
		_, err = root.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("carol"), SerialNumber: aws.String(serial)})
		require.NoError(t, err)
		l, err := root.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("carol")})
		require.NoError(t, err)
		require.Empty(t, l.MFADevices)
		_, err = root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("carol")})
		require.NoError(t, err)
		_, err = root.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
		require.NoError(t, err)
		_, err = root.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
		requireAPIError(t, err, "NoSuchEntity", "VirtualMFADevice with serial number "+serial+" doesn't exist.")
	})
}

func TestMFASessions(t *testing.T) {
	clock := newMFAClock()
	srv := servertest.Start(t, servertest.WithClock(clock.now))
	ctx := context.Background()
	root := srv.RootIAM()
	_, key := newUserWithKey(t, srv, "alice")
	_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("list"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}))})
	require.NoError(t, err)
	serial, seed := mfaCreate(t, root, "alice")
	mfaEnable(t, root, clock, "alice", serial, seed)
	enabledAt := clock.step()
	requireMFA := stmt{"Bool": stmt{"aws:MultiFactorAuthPresent": "true"}}
	roleARN := createRole(t, root, "admin",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole", "Condition": requireMFA}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*", "Condition": requireMFA}))
	alice := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	assume := func(serial, code *string) (*sts.AssumeRoleOutput, error) {
		return alice.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("mfa-session"), SerialNumber: serial, TokenCode: code})
	}
	const invalidCode = "MultiFactorAuthentication failed with invalid MFA one time pass code."
	const unknownDevice = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."

	t.Run("assume role without MFA is denied by the trust policy", func(t *testing.T) {
		_, err := assume(nil, nil)
		requireAPIError(t, err, "AccessDenied", "")
	})

	t.Run("codes already accepted by EnableMFADevice are refused", func(t *testing.T) {
		_, err := assume(aws.String(serial), aws.String(mfaCodeAt(t, seed, enabledAt)))
		requireAPIError(t, err, "AccessDenied", invalidCode)
	})

	t.Run("assume role with MFA", func(t *testing.T) {
		clock.off.Add(1)
		code := mfaCodeAt(t, seed, clock.step())
		out, err := assume(aws.String(serial), aws.String(code))
		require.NoError(t, err)
		_, err = sessionIAM(srv, out.Credentials).ListUsers(ctx, &iam.ListUsersInput{})
		require.NoError(t, err, "the session carries aws:MultiFactorAuthPresent")

		_, err = assume(aws.String(serial), aws.String(code))
		requireAPIError(t, err, "AccessDenied", invalidCode)
	})

	t.Run("refusals", func(t *testing.T) {
		s := clock.step()
		for _, tc := range []struct {
			name, serial, code, msg string
		}{
			{"wrong code", serial, mfaCodeAt(t, seed, s+5), invalidCode},
			{"code too old", serial, mfaCodeAt(t, seed, s-2), invalidCode},
			{"unknown serial", "arn:aws:iam::123456789012:mfa/none", mfaCodeAt(t, seed, s+1), unknownDevice},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := assume(aws.String(tc.serial), aws.String(tc.code))
				requireAPIError(t, err, "AccessDenied", tc.msg)
			})
		}
		_, err := assume(aws.String(serial), nil)
		requireAPIError(t, err, "AccessDenied", invalidCode)
		_, err = srv.RootSTS().GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(mfaCodeAt(t, seed, s+1))})
		requireAPIError(t, err, "AccessDenied", unknownDevice)
	})

	t.Run("a device of another user does not count", func(t *testing.T) {
		_, bobKey := newUserWithKey(t, srv, "bob")
		clock.off.Add(1)
		_, err := srv.STS(*bobKey.AccessKeyId, *bobKey.SecretAccessKey).GetSessionToken(ctx, &sts.GetSessionTokenInput{
			SerialNumber: aws.String(serial), TokenCode: aws.String(mfaCodeAt(t, seed, clock.step()))})
		requireAPIError(t, err, "AccessDenied", unknownDevice)
	})

	t.Run("get session token with MFA can call IAM", func(t *testing.T) {
		plain, err := alice.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
		require.NoError(t, err)
		_, err = sessionIAM(srv, plain.Credentials).ListUsers(ctx, &iam.ListUsersInput{})
		requireAPIError(t, err, "InvalidClientTokenId", "")

		clock.off.Add(1)
		withMFA, err := alice.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(mfaCodeAt(t, seed, clock.step()))})
		require.NoError(t, err)
		_, err = sessionIAM(srv, withMFA.Credentials).ListUsers(ctx, &iam.ListUsersInput{})
		require.NoError(t, err)
		// The MFA session assumes the MFA-only role without a new code.
		_, err = sessionSTS(srv, withMFA.Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("chained")})
		require.NoError(t, err)
	})
}
