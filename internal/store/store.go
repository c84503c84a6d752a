// Package store is Warden's storage interface: the records every backend
// keeps, the transaction closures callers use, and the sentinel errors
// backends return. Backends live in sub-packages (sqlite, postgres)
// and all pass the conformance suite in storetest.
//
// The interface is shaped by the IAM domain, not by SQL: names are unique
// per account and kind case-insensitively with their case preserved,
// lists come in name order with opaque markers, and every entity is keyed
// by its account id. It imports nothing of Warden's; callers translate the
// sentinels into AWS errors.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Backends map their driver errors to these and never let
// a driver error type cross this package.
var (
	// ErrNotFound: the entity does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrAlreadyExists: an entity of that kind and name (compared
	// case-insensitively) already exists in the account.
	ErrAlreadyExists = errors.New("store: already exists")
	// ErrConflict: a concurrent transaction got in the way; Update retries
	// on it, so callers see it only when retries run out.
	ErrConflict = errors.New("store: conflict")
	// ErrInvalidMarker: a page marker that no list of this backend made.
	ErrInvalidMarker = errors.New("store: invalid page marker")
	// ErrInvalidText: a string that is not valid UTF-8.
	ErrInvalidText = errors.New("store: text is not valid UTF-8")
)

// Store is a storage backend.
type Store interface {
	// View runs fn in a read-only transaction with a consistent view.
	View(ctx context.Context, fn func(Reader) error) error
	// Update runs fn in one serializable read-write transaction and
	// commits it if fn returns nil. fn may run more than once (on
	// ErrConflict), so it must have no side effects outside the
	// transaction. Every committed Update increments the revision.
	Update(ctx context.Context, fn func(Tx) error) error
	// Record is Update for bookkeeping that no decision reads (when a key
	// or role was last used, what a principal last accessed, report jobs,
	// a TOTP code's step): it commits fn the same way but does not move
	// the revision, so caches built from the store (every node's
	// snapshot) do not reload for it.
	Record(ctx context.Context, fn func(Tx) error) error
	// Revision returns a counter that increases with every committed
	// Update, so caches know when to reload.
	Revision(ctx context.Context) (int64, error)
	// Ping reports whether the backend is reachable.
	Ping(ctx context.Context) error
	Close() error
}

// EntityKind is the kind of a named IAM entity.
type EntityKind string

// The named entity kinds.
const (
	KindUser   EntityKind = "user"
	KindGroup  EntityKind = "group"
	KindRole   EntityKind = "role"
	KindPolicy EntityKind = "policy"
)

// Tag is a key-value tag, in the order it was set.
type Tag struct {
	Key   string
	Value string
}

// Account is an AWS account.
type Account struct {
	ID         string
	CreateDate time.Time
}

// User is an IAM user.
type User struct {
	Account             string
	Name                string
	Path                string
	ID                  string // AIDA…
	CreateDate          time.Time
	PermissionsBoundary string // policy ARN, or ""
	Tags                []Tag
	PasswordLastUsed    time.Time // zero when never
}

// Group is an IAM group.
type Group struct {
	Account    string
	Name       string
	Path       string
	ID         string // AGPA…
	CreateDate time.Time
}

// Role is an IAM role.
type Role struct {
	Account             string
	Name                string
	Path                string
	ID                  string // AROA…
	CreateDate          time.Time
	AssumeRolePolicy    string
	Description         string
	MaxSessionDuration  int // seconds
	PermissionsBoundary string
	Tags                []Tag
	LastUsedDate        time.Time // zero when never
	LastUsedRegion      string
}

// Policy is a customer managed policy. Its versions are PolicyVersion
// records; DefaultVersion names the one in force.
type Policy struct {
	Account        string
	Name           string
	Path           string
	ID             string // ANPA…
	Description    string
	DefaultVersion string // "v1", "v2", …
	NextVersion    int    // the number the next CreatePolicyVersion takes
	CreateDate     time.Time
	UpdateDate     time.Time
	Tags           []Tag
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	Account    string
	PolicyName string
	VersionID  string
	Document   string
	CreateDate time.Time
}

// InlinePolicy is a policy embedded in a user, group or role.
type InlinePolicy struct {
	Account   string
	OwnerKind EntityKind // user, group or role
	OwnerName string
	Name      string
	Document  string
}

// Attachment is a managed policy attached to a user, group or role.
type Attachment struct {
	Account   string
	OwnerKind EntityKind
	OwnerName string
	PolicyARN string
}

// AccessKeyStatus is Active or Inactive.
type AccessKeyStatus string

// The access key statuses.
const (
	KeyActive   AccessKeyStatus = "Active"
	KeyInactive AccessKeyStatus = "Inactive"
)

// AccessKey is a long-term access key. The secret is stored sealed: the
// store never sees it in plaintext.
type AccessKey struct {
	ID              string // AKIA…, unique across all accounts
	Account         string // "" with UserName "" is impossible; root keys have UserName ""
	UserName        string // "" for the account root user's keys
	Status          AccessKeyStatus
	CreateDate      time.Time
	SealedSecret    []byte
	LastUsedDate    time.Time // zero when never
	LastUsedService string
	LastUsedRegion  string
}

// Membership is a user's membership of a group.
type Membership struct {
	Account   string
	UserName  string
	GroupName string
}

// AccountData is everything of one account, read at once: what an
// in-memory snapshot needs, in a handful of queries rather than several per
// entity.
type AccountData struct {
	Account        Account
	Users          []User
	Groups         []Group
	Roles          []Role
	Policies       []Policy
	PolicyVersions []PolicyVersion
	Memberships    []Membership
	Attachments    []Attachment
	InlinePolicies []InlinePolicy
	// AccessKeys holds the users' keys and the root user's (UserName "").
	AccessKeys []AccessKey
}

// OIDCProvider is an IAM OpenID Connect identity provider.
type OIDCProvider struct {
	Account string
	// URL is the issuer without its scheme, e.g. "token.actions.githubusercontent.com";
	// unique per account, compared case-sensitively.
	URL         string
	ClientIDs   []string
	Thumbprints []string // 40 hex digits each
	CreateDate  time.Time
	Tags        []Tag
}

// SAMLProvider is an IAM SAML 2.0 identity provider.
type SAMLProvider struct {
	Account    string
	Name       string // unique per account, case-insensitively
	Metadata   string // the IdP's SAML metadata document
	CreateDate time.Time
	ValidUntil time.Time
	Tags       []Tag
}

// MFADevice is a virtual MFA device.
type MFADevice struct {
	Account string
	// SerialNumber is the device's ARN, arn:aws:iam::ACCOUNT:mfa/PATH/NAME;
	// unique per account (case-sensitively).
	SerialNumber string
	Name         string
	Path         string
	// UserName is the user the device is enabled for; "" while unassigned.
	// A rename of the user carries along.
	UserName   string
	EnableDate time.Time // zero while unassigned
	CreateDate time.Time
	// SealedSeed is the TOTP secret, sealed: the store never sees it plain.
	SealedSeed []byte
	// LastUsedStep is the TOTP time step of the last code accepted, so that
	// a code is accepted once.
	LastUsedStep int64
	Tags         []Tag
}

// InstanceProfile is an IAM instance profile: a container for at most one
// role that EC2 passes to an instance.
type InstanceProfile struct {
	Account    string
	Name       string // unique per account, case-insensitively
	Path       string
	ID         string // AIPA…
	CreateDate time.Time
	// RoleName is the role the profile holds, or "" for none; it follows
	// a rename of the role, and deleting the role empties it.
	RoleName string
	Tags     []Tag
}

// ServiceKey is a key Warden itself uses (for example to seal session
// tokens), stored sealed under the master key so every node shares it.
type ServiceKey struct {
	ID         string // unique per purpose
	Purpose    string // "session-token", ...
	Sealed     []byte
	CreateDate time.Time
}

// PageRequest asks for one page of a list. A zero MaxItems means all.
type PageRequest struct {
	// Marker is the Marker of the previous page, or "".
	Marker   string
	MaxItems int
}

// Page is one page of a list, in name order.
type Page[T any] struct {
	Items []T
	// Marker continues the list when Truncated.
	Marker    string
	Truncated bool
}

// Reader reads a consistent view.
type Reader interface {
	// GetAccount returns ErrNotFound when the account does not exist.
	GetAccount(ctx context.Context, id string) (Account, error)
	// ListAccounts returns every account, ordered by id.
	ListAccounts(ctx context.Context) ([]Account, error)
	// LoadAccount returns everything of the account (no order promised);
	// ErrNotFound if it does not exist.
	LoadAccount(ctx context.Context, acct string) (AccountData, error)

	// GetUser matches name case-insensitively; ErrNotFound if absent.
	GetUser(ctx context.Context, acct, name string) (User, error)
	// ListUsers returns the users whose path starts with pathPrefix
	// (case-sensitively), ordered by lower-cased name.
	ListUsers(ctx context.Context, acct, pathPrefix string, p PageRequest) (Page[User], error)
	GetGroup(ctx context.Context, acct, name string) (Group, error)
	ListGroups(ctx context.Context, acct, pathPrefix string, p PageRequest) (Page[Group], error)
	GetRole(ctx context.Context, acct, name string) (Role, error)
	ListRoles(ctx context.Context, acct, pathPrefix string, p PageRequest) (Page[Role], error)
	GetPolicy(ctx context.Context, acct, name string) (Policy, error)
	ListPolicies(ctx context.Context, acct, pathPrefix string, p PageRequest) (Page[Policy], error)

	// ListGroupsForUser returns the user's groups, ordered by name;
	// ErrNotFound if the user does not exist.
	ListGroupsForUser(ctx context.Context, acct, user string, p PageRequest) (Page[Group], error)
	// ListGroupUsers returns the group's members, ordered by name;
	// ErrNotFound if the group does not exist.
	ListGroupUsers(ctx context.Context, acct, group string, p PageRequest) (Page[User], error)

	// GetPolicyVersion returns ErrNotFound if the policy or version is absent.
	GetPolicyVersion(ctx context.Context, acct, policyName, versionID string) (PolicyVersion, error)
	// ListPolicyVersions returns the versions newest first.
	ListPolicyVersions(ctx context.Context, acct, policyName string) ([]PolicyVersion, error)

	// ListAttachments returns the policies attached to an owner, ordered by
	// policy ARN; ErrNotFound if the owner does not exist.
	ListAttachments(ctx context.Context, acct string, kind EntityKind, owner string) ([]Attachment, error)
	// ListPolicyAttachments returns every attachment of a policy ARN in the
	// account, ordered by owner kind and name.
	ListPolicyAttachments(ctx context.Context, acct, policyARN string) ([]Attachment, error)
	// CountBoundaryUses counts users and roles with policyARN as boundary.
	CountBoundaryUses(ctx context.Context, acct, policyARN string) (int, error)

	// GetInlinePolicy matches the policy name case-insensitively;
	// ErrNotFound if the owner or policy is absent.
	GetInlinePolicy(ctx context.Context, acct string, kind EntityKind, owner, name string) (InlinePolicy, error)
	// ListInlinePolicies returns an owner's inline policies ordered by
	// name; ErrNotFound if the owner does not exist.
	ListInlinePolicies(ctx context.Context, acct string, kind EntityKind, owner string) ([]InlinePolicy, error)

	// GetAccessKey finds a key by id in any account; ErrNotFound if absent.
	GetAccessKey(ctx context.Context, id string) (AccessKey, error)
	// ListAccessKeys returns a user's keys (user "" for the root user),
	// oldest first.
	ListAccessKeys(ctx context.Context, acct, user string) ([]AccessKey, error)

	// GetOIDCProvider returns ErrNotFound if the account has no provider
	// with that URL.
	GetOIDCProvider(ctx context.Context, acct, url string) (OIDCProvider, error)
	// ListOIDCProviders returns the account's providers ordered by URL.
	ListOIDCProviders(ctx context.Context, acct string) ([]OIDCProvider, error)
	// GetSAMLProvider matches the name case-insensitively; ErrNotFound if absent.
	GetSAMLProvider(ctx context.Context, acct, name string) (SAMLProvider, error)
	// ListSAMLProviders returns the account's providers ordered by name.
	ListSAMLProviders(ctx context.Context, acct string) ([]SAMLProvider, error)

	// ListServiceKeys returns the keys of a purpose, oldest first.
	ListServiceKeys(ctx context.Context, purpose string) ([]ServiceKey, error)

	// GetMFADevice returns ErrNotFound if the account has no device with
	// that serial number.
	GetMFADevice(ctx context.Context, acct, serial string) (MFADevice, error)
	// ListMFADevices returns the account's devices selected by f, ordered
	// by serial number.
	ListMFADevices(ctx context.Context, acct string, f MFAFilter) ([]MFADevice, error)

	// GetInstanceProfile matches name case-insensitively; ErrNotFound if absent.
	GetInstanceProfile(ctx context.Context, acct, name string) (InstanceProfile, error)
	// ListInstanceProfiles returns the profiles whose path starts with
	// pathPrefix (case-sensitively), ordered by lower-cased name.
	ListInstanceProfiles(ctx context.Context, acct, pathPrefix string, p PageRequest) (Page[InstanceProfile], error)
	// ListInstanceProfilesForRole returns the profiles holding the role,
	// ordered by lower-cased name; ErrNotFound if the role is absent.
	ListInstanceProfilesForRole(ctx context.Context, acct, role string, p PageRequest) (Page[InstanceProfile], error)

	// GetAccountAlias returns the account's alias, or "" when it has none.
	GetAccountAlias(ctx context.Context, acct string) (string, error)

	// GetAccountSettings returns the account's settings (name to value;
	// empty, never nil, when it has none). No account check.
	GetAccountSettings(ctx context.Context, acct string) (map[string]string, error)
	CredentialReader
	OrgReader
	OrgFeatureReader
	OrgHandshakeReader
	ServiceAccessReader
	LoginReader
}

// MFAFilter selects MFA devices.
type MFAFilter struct {
	// UserName, when set, selects the devices enabled for that user
	// (matched case-insensitively); ErrNotFound if the user is absent.
	UserName string
	// Assignment is "", "Assigned" or "Unassigned" (ignored with UserName).
	Assignment string
}

// Tx is a read-write transaction.
type Tx interface {
	Reader
	ServiceAccessWriter

	// CreateAccount returns ErrAlreadyExists if the id is taken.
	CreateAccount(ctx context.Context, a Account) error

	// Create* return ErrAlreadyExists when the account has an entity of
	// the kind with the same name, compared case-insensitively.
	CreateUser(ctx context.Context, u User) error
	// UpdateUser replaces the user named name (which may be renamed by
	// u.Name); ErrNotFound, or ErrAlreadyExists for a taken new name.
	// Memberships, attachments, inline policies and keys follow a rename.
	UpdateUser(ctx context.Context, name string, u User) error
	// Delete* remove the entity and everything that hangs from it
	// (memberships, attachments, inline policies, keys, versions); the
	// caller checks AWS's DeleteConflict rules first. ErrNotFound if absent.
	DeleteUser(ctx context.Context, acct, name string) error
	CreateGroup(ctx context.Context, g Group) error
	UpdateGroup(ctx context.Context, name string, g Group) error
	DeleteGroup(ctx context.Context, acct, name string) error
	CreateRole(ctx context.Context, r Role) error
	UpdateRole(ctx context.Context, name string, r Role) error
	DeleteRole(ctx context.Context, acct, name string) error
	CreatePolicy(ctx context.Context, p Policy) error
	UpdatePolicy(ctx context.Context, p Policy) error
	DeletePolicy(ctx context.Context, acct, name string) error

	// AddUserToGroup is idempotent; ErrNotFound if either is absent.
	AddUserToGroup(ctx context.Context, acct, user, group string) error
	// RemoveUserFromGroup returns ErrNotFound if either is absent or the
	// user is not a member.
	RemoveUserFromGroup(ctx context.Context, acct, user, group string) error

	// CreatePolicyVersion returns ErrNotFound if the policy is absent and
	// ErrAlreadyExists if the version id is taken.
	CreatePolicyVersion(ctx context.Context, v PolicyVersion) error
	DeletePolicyVersion(ctx context.Context, acct, policyName, versionID string) error

	// Attach is idempotent; ErrNotFound if the owner is absent.
	Attach(ctx context.Context, a Attachment) error
	// Detach returns ErrNotFound if the policy is not attached.
	Detach(ctx context.Context, a Attachment) error

	// PutInlinePolicy creates or replaces; ErrNotFound if the owner is absent.
	PutInlinePolicy(ctx context.Context, p InlinePolicy) error
	DeleteInlinePolicy(ctx context.Context, acct string, kind EntityKind, owner, name string) error

	// CreateAccessKey returns ErrAlreadyExists if the id is taken and
	// ErrNotFound if the user is absent.
	CreateAccessKey(ctx context.Context, k AccessKey) error
	// UpdateAccessKey replaces status and last-used fields of key k.ID.
	UpdateAccessKey(ctx context.Context, k AccessKey) error
	DeleteAccessKey(ctx context.Context, id string) error

	// DeleteAccountData removes every entity of the account but the
	// account itself and the root user's keys (the --dev reset), server
	// certificates and the organization the account manages included.
	DeleteAccountData(ctx context.Context, acct string) error

	// CreateOIDCProvider returns ErrAlreadyExists for a URL the account
	// has, ErrNotFound if the account is absent.
	CreateOIDCProvider(ctx context.Context, p OIDCProvider) error
	// UpdateOIDCProvider replaces the provider with p.URL; ErrNotFound.
	UpdateOIDCProvider(ctx context.Context, p OIDCProvider) error
	DeleteOIDCProvider(ctx context.Context, acct, url string) error
	// CreateSAMLProvider returns ErrAlreadyExists for a name the account
	// has (case-insensitively).
	CreateSAMLProvider(ctx context.Context, p SAMLProvider) error
	UpdateSAMLProvider(ctx context.Context, p SAMLProvider) error
	DeleteSAMLProvider(ctx context.Context, acct, name string) error

	// CreateServiceKey returns ErrAlreadyExists if the purpose has the id.
	CreateServiceKey(ctx context.Context, k ServiceKey) error

	// CreateMFADevice returns ErrAlreadyExists for a serial number the
	// account has, ErrNotFound if the account is absent.
	CreateMFADevice(ctx context.Context, d MFADevice) error
	// UpdateMFADevice replaces the device with d.SerialNumber (user,
	// enable date, last used step, tags); ErrNotFound if absent, or if
	// d.UserName names no user of the account.
	UpdateMFADevice(ctx context.Context, d MFADevice) error
	// DeleteMFADevice returns ErrNotFound if absent.
	DeleteMFADevice(ctx context.Context, acct, serial string) error

	// CreateInstanceProfile returns ErrAlreadyExists for a name the
	// account has (case-insensitively), ErrNotFound if the account, or the
	// role when p.RoleName is not "", is absent.
	CreateInstanceProfile(ctx context.Context, p InstanceProfile) error
	// UpdateInstanceProfile sets the role (none for "") and tags of the
	// profile named p.Name; every other field is ignored. ErrNotFound if
	// the profile is absent or p.RoleName names no role of the account.
	UpdateInstanceProfile(ctx context.Context, p InstanceProfile) error
	// DeleteInstanceProfile returns ErrNotFound if absent.
	DeleteInstanceProfile(ctx context.Context, acct, name string) error

	// SetAccountAlias gives the account its one alias, replacing any it
	// has; ErrAlreadyExists if another account has that alias, ErrNotFound
	// if the account is absent. Aliases compare case-sensitively.
	SetAccountAlias(ctx context.Context, acct, alias string) error
	// DeleteAccountAlias removes the account's alias if it is alias;
	// ErrNotFound otherwise.
	DeleteAccountAlias(ctx context.Context, acct, alias string) error

	// PutAccountSettings sets each named setting of the account; an empty
	// value removes the setting. ErrNotFound if the account is absent.
	// Names compare case-sensitively.
	PutAccountSettings(ctx context.Context, acct string, set map[string]string) error

	// UseAssertionID records a SAML assertion id until expires, and returns
	// ErrAlreadyExists if it is already recorded and not expired (a
	// replay). Expired records may be removed by any call.
	UseAssertionID(ctx context.Context, id string, now, expires time.Time) error

	CredentialWriter
	OrgWriter
	OrgFeatureWriter
	OrgHandshakeWriter
	LoginWriter
}
