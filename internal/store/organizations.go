package store

import (
	"context"
	"time"
)

// Organization is an AWS Organizations organization. An account manages at
// most one organization and belongs to at most one.
type Organization struct {
	ID                string // o-…
	ManagementAccount string
	ManagementEmail   string
	FeatureSet        string // "ALL"
	CreateDate        time.Time
}

// OrgUnit is a node of an organization's tree: its root (ParentID "") or
// an organizational unit.
type OrgUnit struct {
	Org      string
	ID       string // r-… for the root, ou-… for an OU
	ParentID string // "" for the root
	// Name is unique among the OUs of one parent (compared
	// case-sensitively); the root's is "Root".
	Name string
	// PolicyTypes are the policy types enabled on the root
	// ("SERVICE_CONTROL_POLICY", …); empty for an OU.
	PolicyTypes []string
	Tags        []Tag
	CreateDate  time.Time
}

// OrgAccount is an account's membership of an organization.
type OrgAccount struct {
	Org          string
	Account      string
	ParentID     string // the root or OU holding the account
	Email        string
	Name         string
	Status       string // ACTIVE, SUSPENDED, PENDING_CLOSURE
	State        string // ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED
	JoinedMethod string // CREATED or INVITED
	Joined       time.Time
	Tags         []Tag
	// Delegations are the services the account is a delegated
	// administrator for.
	Delegations []Delegation
}

// Delegation makes a member account a delegated administrator for a
// service.
type Delegation struct {
	ServicePrincipal string // e.g. "guardduty.amazonaws.com"
	Enabled          time.Time
}

// OrgPolicy is a customer managed policy of an organization (an SCP or
// RCP). AWS-managed policies (FullAWSAccess) are not stored: they are
// the same for every organization.
type OrgPolicy struct {
	Org         string
	ID          string // p-…, unique
	Name        string // unique in the organization (case-sensitively)
	Description string
	Type        string // SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY
	Content     string
	Tags        []Tag
}

// OrgAttachment is a policy attached to a root, OU or account. PolicyID
// may name an AWS-managed policy, which has no OrgPolicy record.
type OrgAttachment struct {
	Org      string
	PolicyID string
	TargetID string // r-…, ou-… or an account id
}

// CreateAccountStatus is the state of one CreateAccount request.
type CreateAccountStatus struct {
	Org           string
	ID            string // car-…
	AccountName   string
	State         string // IN_PROGRESS, SUCCEEDED, FAILED
	AccountID     string // "" until it succeeds
	FailureReason string
	Requested     time.Time
	Completed     time.Time // zero while in progress
}

// OrgData is everything of one organization, read at once (no order
// promised).
type OrgData struct {
	Organization Organization
	Units        []OrgUnit // the root and every OU
	Accounts     []OrgAccount
	Policies     []OrgPolicy
	Attachments  []OrgAttachment
	Requests     []CreateAccountStatus
}

// OrgReader reads organizations.
type OrgReader interface {
	// ListOrganizations returns every organization, ordered by id.
	ListOrganizations(ctx context.Context) ([]Organization, error)
	// OrganizationOf returns the organization the account belongs to (a
	// management account belongs to its own); ErrNotFound if none.
	OrganizationOf(ctx context.Context, acct string) (Organization, error)
	// LoadOrganization returns everything of the organization;
	// ErrNotFound if it does not exist.
	LoadOrganization(ctx context.Context, id string) (OrgData, error)
}

// OrgWriter changes organizations. Ids (o-, r-, ou-, p-, car-) are unique
// across all organizations; a taken id is ErrAlreadyExists.
type OrgWriter interface {
	// CreateOrganization returns ErrNotFound if the management account
	// does not exist and ErrAlreadyExists if it already manages an
	// organization. The management account becomes a member through
	// CreateOrgAccount, like any other.
	CreateOrganization(ctx context.Context, o Organization) error
	// DeleteOrganization removes the organization and everything of it
	// (units, memberships, policies, attachments, requests); ErrNotFound
	// if absent.
	DeleteOrganization(ctx context.Context, id string) error

	// CreateOrgUnit returns ErrNotFound if the organization or parent is
	// absent, ErrAlreadyExists for a taken id or a name the parent already
	// has.
	CreateOrgUnit(ctx context.Context, u OrgUnit) error
	// UpdateOrgUnit replaces the name, policy types and tags of unit u.ID
	// (other fields are ignored); ErrNotFound, or ErrAlreadyExists for a
	// name a sibling has.
	UpdateOrgUnit(ctx context.Context, u OrgUnit) error
	// DeleteOrgUnit removes the unit and its attachments; ErrNotFound if
	// absent. The caller checks first that it holds no OU or account;
	// the backend refuses to orphan them with an error.
	DeleteOrgUnit(ctx context.Context, org, id string) error

	// CreateOrgAccount returns ErrNotFound if the account, organization or
	// parent is absent and ErrAlreadyExists if the account already belongs
	// to an organization.
	CreateOrgAccount(ctx context.Context, a OrgAccount) error
	// UpdateOrgAccount replaces every field but Org, Account and Joined of
	// the membership a.Account; ErrNotFound if it or the parent is absent.
	UpdateOrgAccount(ctx context.Context, a OrgAccount) error
	// DeleteOrgAccount removes the account from the organization with its
	// attachments; ErrNotFound if it is not a member.
	DeleteOrgAccount(ctx context.Context, org, acct string) error

	// CreateOrgPolicy returns ErrNotFound if the organization is absent
	// and ErrAlreadyExists for a taken id or name.
	CreateOrgPolicy(ctx context.Context, p OrgPolicy) error
	// UpdateOrgPolicy replaces name, description, content and tags of
	// policy p.ID; ErrNotFound, or ErrAlreadyExists for a taken name.
	UpdateOrgPolicy(ctx context.Context, p OrgPolicy) error
	// DeleteOrgPolicy removes the policy and its attachments; ErrNotFound
	// if absent.
	DeleteOrgPolicy(ctx context.Context, org, id string) error

	// AttachOrgPolicy returns ErrAlreadyExists if the policy is attached
	// to the target and ErrNotFound if the organization is absent. The
	// caller checks that policy and target exist.
	AttachOrgPolicy(ctx context.Context, a OrgAttachment) error
	// DetachOrgPolicy returns ErrNotFound if the policy is not attached.
	DetachOrgPolicy(ctx context.Context, a OrgAttachment) error

	// PutCreateAccountStatus creates or replaces the request s.ID;
	// ErrNotFound if the organization is absent.
	PutCreateAccountStatus(ctx context.Context, s CreateAccountStatus) error
}
