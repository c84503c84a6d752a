package iamapi

import (
	"context"
	"encoding/base64"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/policy"
)

func init() {
	query.RegisterPattern("mfaSerialNumber", `[\w+=/:,.@-]+`, `[\w+=/:,.@-]+`)
	query.RegisterPattern("mfaAuthenticationCode", `[\d]+`, `[\d]+`)
}

// mfaVirtualDevice is the VirtualMFADevice shape. The seed and the QR code
// are base64 on the wire (blobs), as AWS sends them, and only
// CreateVirtualMFADevice carries them.
type mfaVirtualDevice struct {
	SerialNumber     string        `xml:"SerialNumber"`
	Base32StringSeed string        `xml:"Base32StringSeed,omitempty" audit:"redact"`
	QRCodePNG        string        `xml:"QRCodePNG,omitempty" audit:"redact"`
	User             *User         `xml:"User,omitempty"`
	EnableDate       *query.Time   `xml:"EnableDate,omitempty"`
	Tags             *Members[Tag] `xml:"Tags,omitempty"`
}

type mfaCreateResult struct {
	VirtualMFADevice mfaVirtualDevice `xml:"VirtualMFADevice"`
}

// mfaDevice is the MFADevice shape.
type mfaDevice struct {
	UserName     string     `xml:"UserName"`
	SerialNumber string     `xml:"SerialNumber"`
	EnableDate   query.Time `xml:"EnableDate"`
}

type mfaListResult struct {
	MFADevices  []mfaDevice `xml:"MFADevices>member"`
	IsTruncated bool        `xml:"IsTruncated"`
	Marker      string      `xml:"Marker,omitempty"`
}

type mfaListVirtualResult struct {
	VirtualMFADevices []mfaVirtualDevice `xml:"VirtualMFADevices>member"`
	IsTruncated       bool               `xml:"IsTruncated"`
	Marker            string             `xml:"Marker,omitempty"`
}

type mfaGetResult struct {
	UserName     string     `xml:"UserName,omitempty"`
	SerialNumber string     `xml:"SerialNumber"`
	EnableDate   query.Time `xml:"EnableDate"`
}

// mfaBySerial is the resource of an action on a device: its serial number
// (its ARN), with its tags when it exists.
func mfaBySerial(s *iam.Service) targetOf {
	return func(ctx context.Context, c *api.Call, serial string) api.Target {
		t := api.Target{ARN: serial}
		if d, err := s.MFADevice(ctx, c.Caller.Account, serial); err == nil {
			t.Tags = d.Tags
		}
		return t
	}
}

// mfaUser is the user an action names, or the caller's own. AWS behaviour:
// with non-user credentials the name is required.
func mfaUser(c *api.Call, name *string) (string, error) {
	if n, err := userOrSelf(c, name); err != nil || n != "" {
		return n, err
	}
	return "", errNonUserCredentials()
}

// mfaUserTarget is the user a device action is authorized on: the named
// user, or the caller itself.
func mfaUserTarget(c *api.Call, name *string) api.Target {
	if name != nil {
		return userTarget(c, *name)
	}
	return selfTarget(c)
}

func mfaActions(s *iam.Service) []api.Handler {
	return append([]api.Handler{
		api.Action[iam.CreateVirtualMFADeviceInput, mfaCreateResult]{
			Name: "CreateVirtualMFADevice", IAMAction: "iam:CreateVirtualMFADevice",
			Resource: func(_ context.Context, c *api.Call, in *iam.CreateVirtualMFADeviceInput) (api.Target, error) {
				return api.Target{ARN: iam.MFADeviceARN(c.Caller.Account, iam.PathOrRoot(in.Path), in.VirtualMFADeviceName)}, nil
			},
			Context: func(_ *api.Call, in *iam.CreateVirtualMFADeviceInput, keys *policy.Context) {
				requestTags(in.Tags, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateVirtualMFADeviceInput) (*mfaCreateResult, error) {
				d, err := s.CreateVirtualMFADevice(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &mfaCreateResult{VirtualMFADevice: mfaVirtualDevice{SerialNumber: d.SerialNumber,
					Base32StringSeed: base64.StdEncoding.EncodeToString([]byte(d.Seed)),
					QRCodePNG:        base64.StdEncoding.EncodeToString(d.QRCodePNG),
					Tags:             optionalTags(d.Tags)}}, nil
			},
		},
		api.Action[iam.MFACodesInput, struct{}]{
			Name: "EnableMFADevice", IAMAction: "iam:EnableMFADevice",
			Resource: named(userByName, func(in *iam.MFACodesInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.MFACodesInput) (*struct{}, error) {
				return nil, s.EnableMFADevice(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.MFACodesInput, struct{}]{
			Name: "ResyncMFADevice", IAMAction: "iam:ResyncMFADevice",
			Resource: named(userByName, func(in *iam.MFACodesInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.MFACodesInput) (*struct{}, error) {
				return nil, s.ResyncMFADevice(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.MFADeviceInput, struct{}]{
			Name: "DeactivateMFADevice", IAMAction: "iam:DeactivateMFADevice",
			Resource: func(_ context.Context, c *api.Call, in *iam.MFADeviceInput) (api.Target, error) {
				return mfaUserTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.MFADeviceInput) (*struct{}, error) {
				user, err := mfaUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, s.DeactivateMFADevice(ctx, c.Caller.Account, user, in.SerialNumber)
			},
		},
		api.Action[iam.MFADeviceInput, mfaGetResult]{
			Name: "GetMFADevice", IAMAction: "iam:GetMFADevice", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.MFADeviceInput) (api.Target, error) {
				return mfaUserTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.MFADeviceInput) (*mfaGetResult, error) {
				user, err := mfaUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				d, err := s.GetMFADevice(ctx, c.Caller.Account, user, in.SerialNumber)
				if err != nil {
					return nil, err
				}
				return &mfaGetResult{UserName: d.UserName, SerialNumber: d.SerialNumber, EnableDate: query.Time(d.EnableDate)}, nil
			},
		},
		api.Action[iam.MFASerialNumberInput, struct{}]{
			Name: "DeleteVirtualMFADevice", IAMAction: "iam:DeleteVirtualMFADevice",
			Resource: named(mfaBySerial(s), func(in *iam.MFASerialNumberInput) string { return in.SerialNumber }),
			Do: func(ctx context.Context, c *api.Call, in *iam.MFASerialNumberInput) (*struct{}, error) {
				return nil, s.DeleteVirtualMFADevice(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListMFADevicesInput, mfaListResult]{
			Name: "ListMFADevices", IAMAction: "iam:ListMFADevices", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.ListMFADevicesInput) (api.Target, error) {
				return mfaUserTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListMFADevicesInput) (*mfaListResult, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				p, err := s.ListMFADevices(ctx, c.Caller.Account, user, *in)
				if err != nil {
					return nil, err
				}
				out := &mfaListResult{MFADevices: []mfaDevice{}, IsTruncated: p.Truncated, Marker: p.Marker}
				for _, d := range p.Devices {
					out.MFADevices = append(out.MFADevices, mfaDevice{UserName: d.UserName, SerialNumber: d.SerialNumber, EnableDate: query.Time(d.EnableDate)})
				}
				return out, nil
			},
		},
		api.Action[iam.ListVirtualMFADevicesInput, mfaListVirtualResult]{
			Name: "ListVirtualMFADevices", IAMAction: "iam:ListVirtualMFADevices", ReadOnly: true,
			// AWS behaviour: authorized on "*" (the action has no resource type).
			Do: func(ctx context.Context, c *api.Call, in *iam.ListVirtualMFADevicesInput) (*mfaListVirtualResult, error) {
				devs, p, err := s.ListVirtualMFADevices(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := &mfaListVirtualResult{VirtualMFADevices: []mfaVirtualDevice{}, IsTruncated: p.Truncated, Marker: p.Marker}
				for _, d := range devs {
					w := mfaVirtualDevice{SerialNumber: d.SerialNumber, EnableDate: query.TimePtr(d.EnableDate)}
					if d.User != nil {
						u := userOf(*d.User, false)
						w.User = &u
					}
					out.VirtualMFADevices = append(out.VirtualMFADevices, w)
				}
				return out, nil
			},
		},
	}, taggable[iam.TagMFADeviceInput, iam.UntagMFADeviceInput, iam.ListMFADeviceTagsInput]{
		Kind: "MFADevice", Target: mfaBySerial(s),
		TagID:   func(in *iam.TagMFADeviceInput) string { return in.SerialNumber },
		UntagID: func(in *iam.UntagMFADeviceInput) string { return in.SerialNumber },
		ListID:  func(in *iam.ListMFADeviceTagsInput) string { return in.SerialNumber },
		Tags:    func(in *iam.TagMFADeviceInput) []iam.Tag { return in.Tags },
		TagKeys: func(in *iam.UntagMFADeviceInput) []string { return in.TagKeys },
		Tag:     s.TagMFADevice, Untag: s.UntagMFADevice, List: s.ListMFADeviceTags,
	}.actions()...)
}
