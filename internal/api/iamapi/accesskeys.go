package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

// AccessKey is the AccessKey shape: the one response that carries a secret.
type AccessKey struct {
	UserName        string     `xml:"UserName"`
	AccessKeyID     string     `xml:"AccessKeyId"`
	Status          string     `xml:"Status"`
	SecretAccessKey string     `xml:"SecretAccessKey" audit:"redact"`
	CreateDate      query.Time `xml:"CreateDate"`
}

// AccessKeyMetadata is a key without its secret.
type AccessKeyMetadata struct {
	UserName    string     `xml:"UserName,omitempty"`
	AccessKeyID string     `xml:"AccessKeyId"`
	Status      string     `xml:"Status"`
	CreateDate  query.Time `xml:"CreateDate"`
}

type createAccessKeyResult struct {
	AccessKey AccessKey `xml:"AccessKey"`
}

type listAccessKeysResult struct {
	AccessKeyMetadata []AccessKeyMetadata `xml:"AccessKeyMetadata>member"`
	IsTruncated       bool                `xml:"IsTruncated"`
}

type accessKeyLastUsed struct {
	LastUsedDate *query.Time `xml:"LastUsedDate,omitempty"`
	ServiceName  string      `xml:"ServiceName"`
	Region       string      `xml:"Region"`
}

type getAccessKeyLastUsedResult struct {
	UserName          string            `xml:"UserName,omitempty"`
	AccessKeyLastUsed accessKeyLastUsed `xml:"AccessKeyLastUsed"`
}

type userOptionalInput struct {
	UserName *string `query:"UserName" min:"1" max:"128" pattern:"name"`
}

type listAccessKeysInput struct {
	UserName *string `query:"UserName" min:"1" max:"128" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

type updateAccessKeyInput struct {
	UserName    *string `query:"UserName" min:"1" max:"128" pattern:"name"`
	AccessKeyID string  `query:"AccessKeyId,required" min:"16" max:"128" pattern:"accessKeyId"`
	Status      string  `query:"Status,required" enum:"Active|Inactive"`
}

type deleteAccessKeyInput struct {
	UserName    *string `query:"UserName" min:"1" max:"128" pattern:"name"`
	AccessKeyID string  `query:"AccessKeyId,required" min:"16" max:"128" pattern:"accessKeyId"`
}

type getAccessKeyLastUsedInput struct {
	AccessKeyID string `query:"AccessKeyId,required" min:"16" max:"128" pattern:"accessKeyId"`
}

// keyOwnerTarget is the user whose keys an action manages: the named user,
// or the caller itself.
func keyOwnerTarget(c *api.Call, name *string) api.Target {
	if name == nil {
		return selfTarget(c)
	}
	return userTarget(c, *name)
}

func accessKeyActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[userOptionalInput, createAccessKeyResult]{
			Name: "CreateAccessKey", IAMAction: "iam:CreateAccessKey",
			Resource: func(_ context.Context, c *api.Call, in *userOptionalInput) (api.Target, error) {
				return keyOwnerTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *userOptionalInput) (*createAccessKeyResult, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				k, err := s.CreateAccessKey(ctx, c.Caller.Account, user)
				if err != nil {
					return nil, err
				}
				return &createAccessKeyResult{AccessKey: AccessKey{UserName: k.UserName, AccessKeyID: k.ID,
					Status: string(k.Status), SecretAccessKey: k.Secret, CreateDate: query.Time(k.CreateDate)}}, nil
			},
		},
		api.Action[listAccessKeysInput, listAccessKeysResult]{
			Name: "ListAccessKeys", IAMAction: "iam:ListAccessKeys", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *listAccessKeysInput) (api.Target, error) {
				return keyOwnerTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *listAccessKeysInput) (*listAccessKeysResult, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				keys, name, err := s.ListAccessKeys(ctx, c.Caller.Account, user)
				if err != nil {
					return nil, err
				}
				out := &listAccessKeysResult{AccessKeyMetadata: []AccessKeyMetadata{}}
				for _, k := range keys {
					out.AccessKeyMetadata = append(out.AccessKeyMetadata, AccessKeyMetadata{UserName: name,
						AccessKeyID: k.ID, Status: string(k.Status), CreateDate: query.Time(k.CreateDate)})
				}
				return out, nil
			},
		},
		api.Action[updateAccessKeyInput, struct{}]{
			Name: "UpdateAccessKey", IAMAction: "iam:UpdateAccessKey",
			Resource: func(_ context.Context, c *api.Call, in *updateAccessKeyInput) (api.Target, error) {
				return keyOwnerTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *updateAccessKeyInput) (*struct{}, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, s.UpdateAccessKey(ctx, c.Caller.Account, user, in.AccessKeyID, store.AccessKeyStatus(in.Status))
			},
		},
		api.Action[deleteAccessKeyInput, struct{}]{
			Name: "DeleteAccessKey", IAMAction: "iam:DeleteAccessKey",
			Resource: func(_ context.Context, c *api.Call, in *deleteAccessKeyInput) (api.Target, error) {
				return keyOwnerTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *deleteAccessKeyInput) (*struct{}, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, s.DeleteAccessKey(ctx, c.Caller.Account, user, in.AccessKeyID)
			},
		},
		api.Action[getAccessKeyLastUsedInput, getAccessKeyLastUsedResult]{
			Name: "GetAccessKeyLastUsed", IAMAction: "iam:GetAccessKeyLastUsed", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *getAccessKeyLastUsedInput) (api.Target, error) {
				if k := c.Snapshot.Key(in.AccessKeyID); k != nil && k.Account == c.Caller.Account && k.UserName != "" {
					return userTarget(c, k.UserName), nil
				}
				return selfTarget(c), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *getAccessKeyLastUsedInput) (*getAccessKeyLastUsedResult, error) {
				u, err := s.GetAccessKeyLastUsed(ctx, c.Caller.Account, in.AccessKeyID)
				if err != nil {
					return nil, err
				}
				out := &getAccessKeyLastUsedResult{UserName: u.UserName, AccessKeyLastUsed: accessKeyLastUsed{ServiceName: "N/A", Region: "N/A"}}
				if !u.Date.IsZero() {
					out.AccessKeyLastUsed = accessKeyLastUsed{LastUsedDate: query.TimePtr(u.Date), ServiceName: u.Service, Region: u.Region}
				}
				return out, nil
			},
		},
	}
}
