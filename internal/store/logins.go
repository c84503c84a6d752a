package store

import (
	"context"
	"time"
)

// LoginProfile is an IAM user's console password. The password is stored
// only as a hash: the store never sees it.
type LoginProfile struct {
	Account string
	// UserName is the user's current name: a rename carries the profile.
	UserName string
	// PasswordHash is the password's hash (a PHC string).
	PasswordHash          string
	PasswordResetRequired bool
	CreateDate            time.Time
	// PasswordChanged is when the password was last set.
	PasswordChanged time.Time
	// History holds the hashes of earlier passwords, newest first, for
	// the password policy's reuse prevention.
	History []string
}

// PasswordPolicy is an account's password policy.
type PasswordPolicy struct {
	Account                    string
	MinimumPasswordLength      int
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercaseCharacters bool
	RequireLowercaseCharacters bool
	AllowUsersToChangePassword bool
	MaxPasswordAge             int // days; 0: passwords do not expire
	PasswordReusePrevention    int // 0: reuse allowed
	HardExpiry                 bool
}

// SigningCertificate is an X.509 signing certificate of a user or of the
// account's root user.
type SigningCertificate struct {
	Account string
	// ID is unique per account.
	ID string
	// UserName is the user's current name, "" for the root user.
	UserName   string
	Body       string // PEM
	Status     AccessKeyStatus
	UploadDate time.Time
}

// CredentialReport is an account's most recent credential report. A
// report without Content is being generated, since GeneratedTime.
type CredentialReport struct {
	Account       string
	GeneratedTime time.Time
	Content       []byte // CSV
}

// LoginReader reads login profiles, password policies, signing
// certificates and credential reports.
type LoginReader interface {
	// GetLoginProfile matches the user name case-insensitively;
	// ErrNotFound if the user or the profile is absent.
	GetLoginProfile(ctx context.Context, acct, user string) (LoginProfile, error)
	// GetPasswordPolicy returns ErrNotFound if the account has none.
	GetPasswordPolicy(ctx context.Context, acct string) (PasswordPolicy, error)
	// GetSigningCertificate returns ErrNotFound if the account has no
	// certificate with that id.
	GetSigningCertificate(ctx context.Context, acct, id string) (SigningCertificate, error)
	// ListSigningCertificates returns a user's certificates (user "" for
	// the root user), oldest first; ErrNotFound if the user is absent.
	ListSigningCertificates(ctx context.Context, acct, user string) ([]SigningCertificate, error)
	// GetCredentialReport returns ErrNotFound if the account has none.
	GetCredentialReport(ctx context.Context, acct string) (CredentialReport, error)
}

// LoginWriter changes login profiles, password policies, signing
// certificates and credential reports.
type LoginWriter interface {
	// PutLoginProfile creates or replaces the profile of p.UserName;
	// ErrNotFound if the user is absent.
	PutLoginProfile(ctx context.Context, p LoginProfile) error
	// DeleteLoginProfile returns ErrNotFound if the user or profile is absent.
	DeleteLoginProfile(ctx context.Context, acct, user string) error
	// PutPasswordPolicy creates or replaces the account's policy;
	// ErrNotFound if the account is absent.
	PutPasswordPolicy(ctx context.Context, p PasswordPolicy) error
	// DeletePasswordPolicy returns ErrNotFound if the account has none.
	DeletePasswordPolicy(ctx context.Context, acct string) error
	// CreateSigningCertificate returns ErrAlreadyExists for an id the
	// account has, ErrNotFound if the account, or the user when
	// c.UserName is not "", is absent.
	CreateSigningCertificate(ctx context.Context, c SigningCertificate) error
	// UpdateSigningCertificate sets the status of the certificate c.ID;
	// ErrNotFound if absent.
	UpdateSigningCertificate(ctx context.Context, c SigningCertificate) error
	// DeleteSigningCertificate returns ErrNotFound if absent.
	DeleteSigningCertificate(ctx context.Context, acct, id string) error
	// PutCredentialReport replaces the account's report; ErrNotFound if
	// the account is absent.
	PutCredentialReport(ctx context.Context, r CredentialReport) error
}
