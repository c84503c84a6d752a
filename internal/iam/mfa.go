package iam

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"net/url"
	"sort"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// Virtual MFA devices: TOTP per RFC 6238 (SHA-1, six digits, 30-second
// steps), as AWS virtual MFA expects.
// [Using a virtual MFA device]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html
const (
	// mfaMaxPerUser: AWS behaviour, "MFA devices in use per user" is 8.
	mfaMaxPerUser = 8
	mfaPeriod     = 30 // seconds per time step
	// mfaSkew is how many steps a code may be off the server's clock.
	mfaSkew = 1
	// mfaResyncWindow bounds the steps ResyncMFADevice searches, each side
	// of now (10 minutes).
	mfaResyncWindow = 20
	// mfaSeedBytes: AWS seeds are 64 base32 characters (40 bytes).
	mfaSeedBytes = 40
	// mfaQRSize is the side of the QR code image, in pixels.
	mfaQRSize = 200
)

var mfaOpts = totp.ValidateOpts{Period: mfaPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// mfaAAD binds a sealed seed to its device.
func mfaAAD(serial string) string { return "mfa-device:" + serial }

// MFADeviceARN returns the serial number (the ARN) of a virtual MFA device.
func MFADeviceARN(acct, path, name string) string { return entityARN(acct, "mfa", path, name) }

// mfaStep is the TOTP time step of t.
func mfaStep(t time.Time) int64 { return t.Unix() / mfaPeriod }

// mfaCode is the device's code for a time step.
func mfaCode(seed string, step int64) (string, error) {
	return totp.GenerateCodeCustom(seed, time.Unix(step*mfaPeriod, 0), mfaOpts)
}

// mfaMatch reports whether code is the device's code for step, in
// constant time.
func mfaMatch(seed string, step int64, code string) (bool, error) {
	want, err := mfaCode(seed, step)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1, nil
}

// mfaErrNoSuchDevice is AWS's error for an absent virtual MFA device.
func mfaErrNoSuchDevice(serial string) error {
	return awserr.NoSuchEntity("VirtualMFADevice with serial number %s doesn't exist.", serial)
}

// mfaErrInvalidForUser: the device is not enabled for the named user.
func mfaErrInvalidForUser() error { return awserr.NoSuchEntity("MFA Device invalid for user.") }

// mfaErrInvalidCode is IAM's refusal of codes that do not verify.
func mfaErrInvalidCode() error {
	return awserr.New("InvalidAuthenticationCode", 403, "Authentication code for device is not valid.")
}

// mfaGet reads a device of the account, or AWS's NoSuchEntity.
func mfaGet(ctx context.Context, r store.Reader, acct, serial string) (store.MFADevice, error) {
	d, err := r.GetMFADevice(ctx, acct, serial)
	if isNotFound(err) {
		return store.MFADevice{}, mfaErrNoSuchDevice(serial)
	}
	return d, err
}

// mfaOpenSeed opens a device's base32 seed.
func (s *Service) mfaOpenSeed(d store.MFADevice) (string, error) {
	seed, err := s.keyring.Open(d.SealedSeed, mfaAAD(d.SerialNumber))
	if err != nil {
		return "", fmt.Errorf("iam: MFA seed of %s does not open under the master key: %w", d.SerialNumber, err)
	}
	return string(seed), nil
}

// CreateVirtualMFADeviceInput is the input of CreateVirtualMFADevice.
type CreateVirtualMFADeviceInput struct {
	VirtualMFADeviceName string  `query:"VirtualMFADeviceName,required" min:"1" pattern:"name"`
	Path                 *string `query:"Path" min:"1" max:"512" pattern:"path"`
	Tags                 []Tag   `query:"Tags" max:"50"`
}

// NewVirtualMFADevice is a device just created, with its seed: the only
// time the seed leaves Warden.
type NewVirtualMFADevice struct {
	store.MFADevice
	// Seed is the base32 TOTP secret.
	Seed string
	// QRCodePNG encodes otpauth://totp/NAME@ACCOUNT?secret=SEED.
	QRCodePNG []byte
}

// CreateVirtualMFADevice creates an unassigned virtual MFA device with a
// new random seed, sealed at rest.
func (s *Service) CreateVirtualMFADevice(ctx context.Context, acct string, in CreateVirtualMFADeviceInput) (NewVirtualMFADevice, error) {
	if err := checkNewTags(in.Tags); err != nil {
		return NewVirtualMFADevice{}, err
	}
	raw := make([]byte, mfaSeedBytes)
	if _, err := rand.Read(raw); err != nil {
		return NewVirtualMFADevice{}, err
	}
	seed := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw)
	path := PathOrRoot(in.Path)
	d := store.MFADevice{Account: acct, SerialNumber: MFADeviceARN(acct, path, in.VirtualMFADeviceName),
		Name: in.VirtualMFADeviceName, Path: path, CreateDate: s.now().UTC(), Tags: toStoreTags(in.Tags)}
	d.SealedSeed = s.keyring.Seal([]byte(seed), mfaAAD(d.SerialNumber))
	// AWS behaviour: AccountName in the QR code is the user name if set,
	// else the account id; a new device has no user.
	qr, err := mfaQRCode(in.VirtualMFADeviceName+"@"+acct, seed)
	if err != nil {
		return NewVirtualMFADevice{}, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		err := tx.CreateMFADevice(ctx, d)
		if isExists(err) {
			return awserr.EntityAlreadyExists("MFADevice entity at the same path and name already exists.")
		}
		return err
	})
	if err != nil {
		return NewVirtualMFADevice{}, err
	}
	return NewVirtualMFADevice{MFADevice: d, Seed: seed, QRCodePNG: qr}, nil
}

// mfaQRCode renders otpauth://totp/LABEL?secret=SEED as a PNG.
func mfaQRCode(label, seed string) ([]byte, error) {
	key, err := otp.NewKeyFromURL("otpauth://totp/" + url.PathEscape(label) + "?secret=" + seed)
	if err != nil {
		return nil, err
	}
	img, err := key.Image(mfaQRSize, mfaQRSize)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MFACodesInput is the input of EnableMFADevice and ResyncMFADevice.
type MFACodesInput struct {
	UserName            string `query:"UserName,required" min:"1" max:"128" pattern:"name"`
	SerialNumber        string `query:"SerialNumber,required" min:"9" max:"256" pattern:"mfaSerialNumber"`
	AuthenticationCode1 string `query:"AuthenticationCode1,required" min:"6" max:"6" pattern:"mfaAuthenticationCode" audit:"redact"`
	AuthenticationCode2 string `query:"AuthenticationCode2,required" min:"6" max:"6" pattern:"mfaAuthenticationCode" audit:"redact"`
}

// mfaConsecutive finds the step t in [lo, hi] at which code1 is the code
// for t and code2 the code for t+1, skipping steps at or before last (codes
// already accepted). ok is false if there is none.
func mfaConsecutive(seed string, lo, hi, last int64, code1, code2 string) (step int64, ok bool, err error) {
	for t := max(lo, last+1); t <= hi; t++ {
		m1, err := mfaMatch(seed, t, code1)
		if err != nil {
			return 0, false, err
		}
		if !m1 {
			continue
		}
		m2, err := mfaMatch(seed, t+1, code2)
		if err != nil {
			return 0, false, err
		}
		if m2 {
			return t, true, nil
		}
	}
	return 0, false, nil
}

// EnableMFADevice assigns an unassigned device to a user. AWS behaviour:
// the two codes are consecutive (code 1 for a step, code 2 for the next);
// here both must lie within one step of now, and neither may have been
// accepted before.
func (s *Service) EnableMFADevice(ctx context.Context, acct string, in MFACodesInput) error {
	now := s.now().UTC()
	step := mfaStep(now)
	return s.update(ctx, func(tx store.Tx) error {
		u, err := getUser(ctx, tx, acct, in.UserName)
		if err != nil {
			return err
		}
		d, err := mfaGet(ctx, tx, acct, in.SerialNumber)
		if err != nil {
			return err
		}
		if d.UserName != "" {
			return awserr.EntityAlreadyExists("MFA Device is already in use.")
		}
		enabled, err := tx.ListMFADevices(ctx, acct, store.MFAFilter{UserName: u.Name})
		if err != nil {
			return err
		}
		if len(enabled) >= mfaMaxPerUser {
			return awserr.LimitExceeded("Cannot exceed quota for MFADevicesPerUser: %d", mfaMaxPerUser)
		}
		seed, err := s.mfaOpenSeed(d)
		if err != nil {
			return err
		}
		// Steps t and t+1 both within [now-1, now+1].
		t, ok, err := mfaConsecutive(seed, step-mfaSkew, step+mfaSkew-1, d.LastUsedStep, in.AuthenticationCode1, in.AuthenticationCode2)
		if err != nil {
			return err
		}
		if !ok {
			return mfaErrInvalidCode()
		}
		d.UserName, d.EnableDate, d.LastUsedStep = u.Name, now, t+1
		return tx.UpdateMFADevice(ctx, d)
	})
}

// ResyncMFADevice checks two consecutive codes of a user's device within a
// bounded window around now, and records them as used. Warden keeps no
// per-device clock offset: verification always allows one step either way
// of its own clock.
func (s *Service) ResyncMFADevice(ctx context.Context, acct string, in MFACodesInput) error {
	step := mfaStep(s.now())
	return s.update(ctx, func(tx store.Tx) error {
		d, err := mfaUserDevice(ctx, tx, acct, in.UserName, in.SerialNumber)
		if err != nil {
			return err
		}
		seed, err := s.mfaOpenSeed(d)
		if err != nil {
			return err
		}
		t, ok, err := mfaConsecutive(seed, step-mfaResyncWindow, step+mfaResyncWindow-1, d.LastUsedStep, in.AuthenticationCode1, in.AuthenticationCode2)
		if err != nil {
			return err
		}
		if !ok {
			return mfaErrInvalidCode()
		}
		d.LastUsedStep = t + 1
		return tx.UpdateMFADevice(ctx, d)
	})
}

// mfaUserDevice reads a device that must be enabled for the named user.
func mfaUserDevice(ctx context.Context, r store.Reader, acct, user, serial string) (store.MFADevice, error) {
	if _, err := getUser(ctx, r, acct, user); err != nil {
		return store.MFADevice{}, err
	}
	d, err := mfaGet(ctx, r, acct, serial)
	if err != nil {
		return store.MFADevice{}, err
	}
	if d.UserName == "" || !sameName(d.UserName, user) {
		return store.MFADevice{}, mfaErrInvalidForUser()
	}
	return d, nil
}

// MFADeviceInput names a device and, optionally, its user.
type MFADeviceInput struct {
	UserName     *string `query:"UserName" min:"1" max:"128" pattern:"name"`
	SerialNumber string  `query:"SerialNumber,required" min:"9" max:"256" pattern:"mfaSerialNumber"`
}

// DeactivateMFADevice removes a device from its user; the device remains,
// unassigned.
func (s *Service) DeactivateMFADevice(ctx context.Context, acct, user, serial string) error {
	return s.update(ctx, func(tx store.Tx) error {
		d, err := mfaUserDevice(ctx, tx, acct, user, serial)
		if err != nil {
			return err
		}
		d.UserName, d.EnableDate = "", time.Time{}
		return tx.UpdateMFADevice(ctx, d)
	})
}

// GetMFADevice returns a device enabled for the user.
func (s *Service) GetMFADevice(ctx context.Context, acct, user, serial string) (store.MFADevice, error) {
	var d store.MFADevice
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		d, err = mfaUserDevice(ctx, r, acct, user, serial)
		return err
	})
	return d, err
}

// MFASerialNumberInput is the input of the actions that take only a serial
// number.
type MFASerialNumberInput struct {
	SerialNumber string `query:"SerialNumber,required" min:"9" max:"256" pattern:"mfaSerialNumber"`
}

// DeleteVirtualMFADevice deletes an unassigned device.
func (s *Service) DeleteVirtualMFADevice(ctx context.Context, acct string, in MFASerialNumberInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		d, err := mfaGet(ctx, tx, acct, in.SerialNumber)
		if err != nil {
			return err
		}
		if d.UserName != "" {
			return awserr.DeleteConflict("MFA VirtualDevice in use. Must deactivate first.")
		}
		return tx.DeleteMFADevice(ctx, acct, in.SerialNumber)
	})
}

// MFAPage is one page of devices.
type MFAPage struct {
	Devices   []store.MFADevice
	Truncated bool
	Marker    string
}

// mfaPageOf cuts a page from devices ordered by serial number: the
// marker is the serial number the next page starts at.
func mfaPageOf(all []store.MFADevice, marker *string, maxItems *int) MFAPage {
	p := page(marker, maxItems)
	i := 0
	if p.Marker != "" {
		i = sort.Search(len(all), func(i int) bool { return all[i].SerialNumber >= p.Marker })
	}
	rest := all[i:]
	if len(rest) > p.MaxItems {
		return MFAPage{Devices: rest[:p.MaxItems], Truncated: true, Marker: rest[p.MaxItems].SerialNumber}
	}
	return MFAPage{Devices: rest}
}

// ListMFADevicesInput is the input of ListMFADevices.
type ListMFADevicesInput struct {
	UserName *string `query:"UserName" min:"1" max:"128" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListMFADevices lists the devices enabled for a user ("" for the root
// user, who has none here).
func (s *Service) ListMFADevices(ctx context.Context, acct, user string, in ListMFADevicesInput) (MFAPage, error) {
	var all []store.MFADevice
	err := s.view(ctx, func(r store.Reader) error {
		if user == "" {
			return nil
		}
		if _, err := getUser(ctx, r, acct, user); err != nil {
			return err
		}
		var err error
		all, err = r.ListMFADevices(ctx, acct, store.MFAFilter{UserName: user})
		return err
	})
	if err != nil {
		return MFAPage{}, err
	}
	return mfaPageOf(all, in.Marker, in.MaxItems), nil
}

// ListVirtualMFADevicesInput is the input of ListVirtualMFADevices.
type ListVirtualMFADevicesInput struct {
	AssignmentStatus *string `query:"AssignmentStatus" enum:"Assigned|Unassigned|Any"`
	Marker           *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems         *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// VirtualMFADevice is a device as ListVirtualMFADevices reports it, with
// its user when assigned.
type VirtualMFADevice struct {
	store.MFADevice
	User *store.User
}

// ListVirtualMFADevices lists the account's devices by assignment status
// (AWS behaviour: Any by default).
func (s *Service) ListVirtualMFADevices(ctx context.Context, acct string, in ListVirtualMFADevicesInput) ([]VirtualMFADevice, MFAPage, error) {
	f := store.MFAFilter{}
	if in.AssignmentStatus != nil && *in.AssignmentStatus != "Any" {
		f.Assignment = *in.AssignmentStatus
	}
	var (
		p   MFAPage
		out []VirtualMFADevice
	)
	err := s.view(ctx, func(r store.Reader) error {
		all, err := r.ListMFADevices(ctx, acct, f)
		if err != nil {
			return err
		}
		p = mfaPageOf(all, in.Marker, in.MaxItems)
		out = make([]VirtualMFADevice, 0, len(p.Devices))
		for _, d := range p.Devices {
			v := VirtualMFADevice{MFADevice: d}
			if d.UserName != "" {
				u, err := r.GetUser(ctx, acct, d.UserName)
				if err != nil && !isNotFound(err) {
					return err
				}
				if err == nil {
					v.User = &u
				}
			}
			out = append(out, v)
		}
		return nil
	})
	return out, p, err
}

// TagMFADeviceInput is the input of TagMFADevice.
type TagMFADeviceInput struct {
	SerialNumber string `query:"SerialNumber,required" min:"9" max:"256" pattern:"mfaSerialNumber"`
	Tags         []Tag  `query:"Tags,required" max:"50"`
}

// TagMFADevice adds or replaces tags of a device.
func (s *Service) TagMFADevice(ctx context.Context, acct string, in TagMFADeviceInput) error {
	return s.tag(ctx, mfaTags, acct, in.SerialNumber, in.Tags)
}

// UntagMFADeviceInput is the input of UntagMFADevice.
type UntagMFADeviceInput struct {
	SerialNumber string   `query:"SerialNumber,required" min:"9" max:"256" pattern:"mfaSerialNumber"`
	TagKeys      []string `query:"TagKeys,required" max:"50" pattern:"tagKey"`
}

// UntagMFADevice removes tags of a device.
func (s *Service) UntagMFADevice(ctx context.Context, acct string, in UntagMFADeviceInput) error {
	return s.untag(ctx, mfaTags, acct, in.SerialNumber, in.TagKeys)
}

// ListMFADeviceTagsInput is the input of ListMFADeviceTags.
type ListMFADeviceTagsInput struct {
	SerialNumber string  `query:"SerialNumber,required" min:"9" max:"256" pattern:"mfaSerialNumber"`
	Marker       *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems     *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListMFADeviceTags returns a device's tags; at most 50, one page.
func (s *Service) ListMFADeviceTags(ctx context.Context, acct string, in ListMFADeviceTagsInput) (store.Page[store.Tag], error) {
	return s.listTags(ctx, mfaTags, acct, in.SerialNumber, in.Marker, in.MaxItems)
}

// mfaTags are a device's tags, for the tag actions.
var mfaTags = taggable{
	modify: func(ctx context.Context, s *Service, acct, serial string, fn func(*[]store.Tag) error) error {
		return s.update(ctx, func(tx store.Tx) error {
			d, err := mfaGet(ctx, tx, acct, serial)
			if err != nil {
				return err
			}
			if err := fn(&d.Tags); err != nil {
				return err
			}
			return tx.UpdateMFADevice(ctx, d)
		})
	},
	read: func(ctx context.Context, s *Service, acct, serial string) ([]store.Tag, error) {
		d, err := s.MFADevice(ctx, acct, serial)
		return d.Tags, err
	},
	merge: mergeTags, remove: removeTags,
}

// MFADevice returns a device of the account (its tags, for authorization
// and ListMFADeviceTags).
func (s *Service) MFADevice(ctx context.Context, acct, serial string) (store.MFADevice, error) {
	var d store.MFADevice
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		d, err = mfaGet(ctx, r, acct, serial)
		return err
	})
	return d, err
}

// mfaErrUnknownDevice is STS's refusal when the serial number names no
// device enabled for the caller.
func mfaErrUnknownDevice() error {
	// AWS behaviour: two spaces after "code." (recorded from aws-cli
	// issue #6325).
	return awserr.AccessDenied("MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
}

// mfaErrSTSInvalidCode is STS's refusal of a code that does not verify.
func mfaErrSTSInvalidCode() error {
	return awserr.AccessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code.")
}

// VerifyMFA checks a one-time code for STS: the device must be enabled for
// the user (userName "" is the root user, who has no virtual device here),
// the code must be the device's for a step within one of now, and later than
// the last step accepted (a code is accepted once). It records the step.
func (s *Service) VerifyMFA(ctx context.Context, acct, userName, serial, code string) error {
	if userName == "" {
		return mfaErrUnknownDevice()
	}
	step := mfaStep(s.now())
	// The device is not part of the snapshot, so the snapshot is not
	// reloaded after recording the step.
	err := s.store.Record(ctx, func(tx store.Tx) error {
		d, err := tx.GetMFADevice(ctx, acct, serial)
		if isNotFound(err) || (err == nil && (d.UserName == "" || !sameName(d.UserName, userName))) {
			return mfaErrUnknownDevice()
		}
		if err != nil {
			return err
		}
		seed, err := s.mfaOpenSeed(d)
		if err != nil {
			return err
		}
		for t := max(step-mfaSkew, d.LastUsedStep+1); t <= step+mfaSkew; t++ {
			ok, err := mfaMatch(seed, t, code)
			if err != nil {
				return err
			}
			if ok {
				d.LastUsedStep = t
				return tx.UpdateMFADevice(ctx, d)
			}
		}
		return mfaErrSTSInvalidCode()
	})
	return storeInputError(err)
}
