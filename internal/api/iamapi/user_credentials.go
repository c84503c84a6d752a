package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

func init() {
	query.RegisterPattern("publicKeyMaterial", `[\u0009\u000A\u000D\u0020-\u00FF]+`, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`)
}

// SSHPublicKey is the SSHPublicKey shape.
type SSHPublicKey struct {
	UserName         string     `xml:"UserName"`
	SSHPublicKeyID   string     `xml:"SSHPublicKeyId"`
	Fingerprint      string     `xml:"Fingerprint"`
	SSHPublicKeyBody string     `xml:"SSHPublicKeyBody"`
	Status           string     `xml:"Status"`
	UploadDate       query.Time `xml:"UploadDate"`
}

func sshPublicKeyOf(k store.SSHPublicKey) SSHPublicKey {
	return SSHPublicKey{UserName: k.UserName, SSHPublicKeyID: k.ID, Fingerprint: k.Fingerprint,
		SSHPublicKeyBody: k.Body, Status: string(k.Status), UploadDate: query.Time(k.UploadDate)}
}

// SSHPublicKeyMetadata is the SSHPublicKeyMetadata shape.
type SSHPublicKeyMetadata struct {
	UserName       string     `xml:"UserName"`
	SSHPublicKeyID string     `xml:"SSHPublicKeyId"`
	Status         string     `xml:"Status"`
	UploadDate     query.Time `xml:"UploadDate"`
}

type sshPublicKeyResult struct {
	SSHPublicKey SSHPublicKey `xml:"SSHPublicKey"`
}

type listSSHPublicKeysResult struct {
	SSHPublicKeys []SSHPublicKeyMetadata `xml:"SSHPublicKeys>member"`
	IsTruncated   bool                   `xml:"IsTruncated"`
	Marker        string                 `xml:"Marker,omitempty"`
}

// ServiceSpecificCredential is the ServiceSpecificCredential shape (and,
// without secrets, ServiceSpecificCredentialMetadata). A password
// credential has ServiceUserName (and ServicePassword when just made); an
// API key has ServiceCredentialAlias (and ServiceCredentialSecret).
type ServiceSpecificCredential struct {
	UserName                    string      `xml:"UserName"`
	Status                      string      `xml:"Status"`
	ServiceUserName             string      `xml:"ServiceUserName,omitempty"`
	ServicePassword             string      `xml:"ServicePassword,omitempty" audit:"redact"`
	ServiceCredentialAlias      string      `xml:"ServiceCredentialAlias,omitempty"`
	ServiceCredentialSecret     string      `xml:"ServiceCredentialSecret,omitempty" audit:"redact"`
	CreateDate                  query.Time  `xml:"CreateDate"`
	ExpirationDate              *query.Time `xml:"ExpirationDate,omitempty"`
	ServiceSpecificCredentialID string      `xml:"ServiceSpecificCredentialId"`
	ServiceName                 string      `xml:"ServiceName"`
}

func serviceCredentialOf(c iam.ServiceCredential) ServiceSpecificCredential {
	w := ServiceSpecificCredential{UserName: c.UserName, Status: c.Status, CreateDate: query.Time(c.CreateDate),
		ServiceSpecificCredentialID: c.ID, ServiceName: c.ServiceName}
	if !c.Expiration.IsZero() {
		w.ExpirationDate = query.TimePtr(c.Expiration)
	}
	if c.APIKey {
		w.ServiceCredentialAlias, w.ServiceCredentialSecret = c.ServiceUserName, c.Secret
	} else {
		w.ServiceUserName, w.ServicePassword = c.ServiceUserName, c.Secret
	}
	return w
}

type serviceCredentialResult struct {
	ServiceSpecificCredential ServiceSpecificCredential `xml:"ServiceSpecificCredential"`
}

type listServiceCredentialsResult struct {
	ServiceSpecificCredentials []ServiceSpecificCredential `xml:"ServiceSpecificCredentials>member"`
	IsTruncated                bool                        `xml:"IsTruncated"`
	Marker                     string                      `xml:"Marker,omitempty"`
}

// userByInput is the resource of the SSH key and credential actions: the
// user the input names.
func userByInput[In any](name func(*In) string) func(context.Context, *api.Call, *In) (api.Target, error) {
	return named(userByName, name)
}

// ownerByInput is the resource of the actions whose UserName is optional:
// the named user, or the caller itself.
func ownerByInput[In any](name func(*In) *string) func(context.Context, *api.Call, *In) (api.Target, error) {
	return func(_ context.Context, c *api.Call, in *In) (api.Target, error) {
		return keyOwnerTarget(c, name(in)), nil
	}
}

func userCredentialActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.UploadSSHPublicKeyInput, sshPublicKeyResult]{
			Name: "UploadSSHPublicKey", IAMAction: "iam:UploadSSHPublicKey",
			Resource: userByInput(func(in *iam.UploadSSHPublicKeyInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UploadSSHPublicKeyInput) (*sshPublicKeyResult, error) {
				k, err := s.UploadSSHPublicKey(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &sshPublicKeyResult{SSHPublicKey: sshPublicKeyOf(k)}, nil
			},
		},
		api.Action[iam.GetSSHPublicKeyInput, sshPublicKeyResult]{
			Name: "GetSSHPublicKey", IAMAction: "iam:GetSSHPublicKey", ReadOnly: true,
			Resource: userByInput(func(in *iam.GetSSHPublicKeyInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.GetSSHPublicKeyInput) (*sshPublicKeyResult, error) {
				k, err := s.GetSSHPublicKey(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &sshPublicKeyResult{SSHPublicKey: sshPublicKeyOf(k)}, nil
			},
		},
		api.Action[iam.ListSSHPublicKeysInput, listSSHPublicKeysResult]{
			Name: "ListSSHPublicKeys", IAMAction: "iam:ListSSHPublicKeys", ReadOnly: true,
			Resource: ownerByInput(func(in *iam.ListSSHPublicKeysInput) *string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ListSSHPublicKeysInput) (*listSSHPublicKeysResult, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				p, err := s.ListSSHPublicKeys(ctx, c.Caller.Account, user, in.Marker, in.MaxItems)
				if err != nil {
					return nil, err
				}
				out := &listSSHPublicKeysResult{SSHPublicKeys: []SSHPublicKeyMetadata{}, IsTruncated: p.Truncated, Marker: p.Marker}
				for _, k := range p.Items {
					out.SSHPublicKeys = append(out.SSHPublicKeys, SSHPublicKeyMetadata{UserName: k.UserName,
						SSHPublicKeyID: k.ID, Status: string(k.Status), UploadDate: query.Time(k.UploadDate)})
				}
				return out, nil
			},
		},
		api.Action[iam.UpdateSSHPublicKeyInput, struct{}]{
			Name: "UpdateSSHPublicKey", IAMAction: "iam:UpdateSSHPublicKey",
			Resource: userByInput(func(in *iam.UpdateSSHPublicKeyInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateSSHPublicKeyInput) (*struct{}, error) {
				return nil, s.UpdateSSHPublicKey(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.DeleteSSHPublicKeyInput, struct{}]{
			Name: "DeleteSSHPublicKey", IAMAction: "iam:DeleteSSHPublicKey",
			Resource: userByInput(func(in *iam.DeleteSSHPublicKeyInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.DeleteSSHPublicKeyInput) (*struct{}, error) {
				return nil, s.DeleteSSHPublicKey(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.CreateServiceSpecificCredentialInput, serviceCredentialResult]{
			Name: "CreateServiceSpecificCredential", IAMAction: "iam:CreateServiceSpecificCredential",
			Resource: userByInput(func(in *iam.CreateServiceSpecificCredentialInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateServiceSpecificCredentialInput) (*serviceCredentialResult, error) {
				cred, err := s.CreateServiceSpecificCredential(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &serviceCredentialResult{ServiceSpecificCredential: serviceCredentialOf(cred)}, nil
			},
		},
		api.Action[iam.ListServiceSpecificCredentialsInput, listServiceCredentialsResult]{
			Name: "ListServiceSpecificCredentials", IAMAction: "iam:ListServiceSpecificCredentials", ReadOnly: true,
			Resource: ownerByInput(func(in *iam.ListServiceSpecificCredentialsInput) *string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ListServiceSpecificCredentialsInput) (*listServiceCredentialsResult, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				p, err := s.ListServiceSpecificCredentials(ctx, c.Caller.Account, user, *in)
				if err != nil {
					return nil, err
				}
				out := &listServiceCredentialsResult{ServiceSpecificCredentials: []ServiceSpecificCredential{},
					IsTruncated: p.Truncated, Marker: p.Marker}
				for _, cred := range p.Items {
					out.ServiceSpecificCredentials = append(out.ServiceSpecificCredentials, serviceCredentialOf(cred))
				}
				return out, nil
			},
		},
		api.Action[iam.ServiceCredentialIDInput, serviceCredentialResult]{
			Name: "ResetServiceSpecificCredential", IAMAction: "iam:ResetServiceSpecificCredential",
			Resource: ownerByInput(func(in *iam.ServiceCredentialIDInput) *string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ServiceCredentialIDInput) (*serviceCredentialResult, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				cred, err := s.ResetServiceSpecificCredential(ctx, c.Caller.Account, user, in.ServiceSpecificCredentialID)
				if err != nil {
					return nil, err
				}
				return &serviceCredentialResult{ServiceSpecificCredential: serviceCredentialOf(cred)}, nil
			},
		},
		api.Action[iam.UpdateServiceSpecificCredentialInput, struct{}]{
			Name: "UpdateServiceSpecificCredential", IAMAction: "iam:UpdateServiceSpecificCredential",
			Resource: ownerByInput(func(in *iam.UpdateServiceSpecificCredentialInput) *string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateServiceSpecificCredentialInput) (*struct{}, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, s.UpdateServiceSpecificCredential(ctx, c.Caller.Account, user,
					in.ServiceSpecificCredentialID, store.AccessKeyStatus(in.Status))
			},
		},
		api.Action[iam.ServiceCredentialIDInput, struct{}]{
			Name: "DeleteServiceSpecificCredential", IAMAction: "iam:DeleteServiceSpecificCredential",
			Resource: ownerByInput(func(in *iam.ServiceCredentialIDInput) *string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ServiceCredentialIDInput) (*struct{}, error) {
				user, err := userOrSelf(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, s.DeleteServiceSpecificCredential(ctx, c.Caller.Account, user, in.ServiceSpecificCredentialID)
			},
		},
	}
}
