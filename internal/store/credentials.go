package store

import (
	"context"
	"time"
)

// ServerCertificate is an IAM server certificate: an X.509 certificate, its
// chain and its private key, for load balancers and CloudFront.
type ServerCertificate struct {
	Account string
	Name    string // unique per account, case-insensitively
	Path    string
	ID      string // ASCA…
	// Body and Chain are PEM; Chain is "" when none was uploaded. Lists
	// leave Body, Chain and SealedKey empty.
	Body  string
	Chain string
	// SealedKey is the private key, sealed: the store never sees it plain.
	SealedKey  []byte
	Expiration time.Time // the certificate's NotAfter
	UploadDate time.Time
	Tags       []Tag
}

// SSHPublicKey is a user's SSH public key (for CodeCommit).
type SSHPublicKey struct {
	Account string
	// UserName is the key's user; a rename of the user carries along.
	UserName string
	ID       string // APKA…, unique per account
	// Body is the key as uploaded (OpenSSH or PEM).
	Body        string
	Fingerprint string // MD5, colon-separated hex
	Status      AccessKeyStatus
	UploadDate  time.Time
}

// ServiceCredential is a user's service-specific credential: a user name
// and password (or an API key) for one AWS service.
type ServiceCredential struct {
	Account string
	// UserName is the credential's user; a rename of the user carries along.
	UserName    string
	ID          string // ACCA…, unique per account
	ServiceName string // e.g. codecommit.amazonaws.com
	// ServiceUserName is the user name the service knows (jane-at-123456789012)
	// or, for API keys, the public alias of the key.
	ServiceUserName string
	// SealedSecret is the password or API key secret, sealed.
	SealedSecret []byte
	Status       AccessKeyStatus
	CreateDate   time.Time
	Expiration   time.Time // zero for a credential that does not expire
}

// CredentialReader reads server certificates, SSH public keys and
// service-specific credentials.
type CredentialReader interface {
	// GetServerCertificate matches name case-insensitively; ErrNotFound if
	// absent.
	GetServerCertificate(ctx context.Context, acct, name string) (ServerCertificate, error)
	// ListServerCertificates returns the certificates whose path starts
	// with pathPrefix (case-sensitively), ordered by lower-cased name,
	// without their bodies, chains and keys.
	ListServerCertificates(ctx context.Context, acct, pathPrefix string, p PageRequest) (Page[ServerCertificate], error)

	// GetSSHPublicKey returns ErrNotFound if the account has no key with id.
	GetSSHPublicKey(ctx context.Context, acct, id string) (SSHPublicKey, error)
	// ListSSHPublicKeys returns a user's keys (matched case-insensitively)
	// oldest first, then by id; ErrNotFound if the user is absent.
	ListSSHPublicKeys(ctx context.Context, acct, user string) ([]SSHPublicKey, error)

	// GetServiceCredential returns ErrNotFound if the account has no
	// credential with id.
	GetServiceCredential(ctx context.Context, acct, id string) (ServiceCredential, error)
	// ListServiceCredentials returns a user's credentials (matched
	// case-insensitively; ErrNotFound if the user is absent), or with user
	// "" those of every user of the account, ordered by lower-cased user
	// name, then oldest first, then by id.
	ListServiceCredentials(ctx context.Context, acct, user string) ([]ServiceCredential, error)
}

// CredentialWriter writes server certificates, SSH public keys and
// service-specific credentials.
type CredentialWriter interface {
	// CreateServerCertificate returns ErrAlreadyExists for a name the
	// account has (case-insensitively), ErrNotFound if the account is
	// absent.
	CreateServerCertificate(ctx context.Context, c ServerCertificate) error
	// UpdateServerCertificate sets the name, path and tags of the
	// certificate named name; every other field is ignored. ErrNotFound if
	// absent, ErrAlreadyExists for a taken new name.
	UpdateServerCertificate(ctx context.Context, name string, c ServerCertificate) error
	// DeleteServerCertificate returns ErrNotFound if absent.
	DeleteServerCertificate(ctx context.Context, acct, name string) error

	// CreateSSHPublicKey returns ErrNotFound if the user is absent and
	// ErrAlreadyExists if the account has the id.
	CreateSSHPublicKey(ctx context.Context, k SSHPublicKey) error
	// UpdateSSHPublicKey sets the status of key k.ID; ErrNotFound if absent.
	UpdateSSHPublicKey(ctx context.Context, k SSHPublicKey) error
	// DeleteSSHPublicKey returns ErrNotFound if absent.
	DeleteSSHPublicKey(ctx context.Context, acct, id string) error

	// CreateServiceCredential returns ErrNotFound if the user is absent
	// and ErrAlreadyExists if the account has the id.
	CreateServiceCredential(ctx context.Context, c ServiceCredential) error
	// UpdateServiceCredential sets the status and sealed secret of
	// credential c.ID; ErrNotFound if absent.
	UpdateServiceCredential(ctx context.Context, c ServiceCredential) error
	// DeleteServiceCredential returns ErrNotFound if absent.
	DeleteServiceCredential(ctx context.Context, acct, id string) error
}
