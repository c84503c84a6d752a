package store

import (
	"context"
	"time"
)

// OrgHandshake is an AWS Organizations handshake: an invitation from an
// organization to an account to join it.
type OrgHandshake struct {
	Org    string
	ID     string // h-…, unique
	Action string // INVITE
	// State is OPEN, ACCEPTED, DECLINED, CANCELED or EXPIRED (an OPEN
	// handshake past Expires reads as EXPIRED; the service decides).
	State string
	// TargetType is ACCOUNT or EMAIL; Target the account id or address.
	TargetType string
	Target     string
	// Account is the invited account ("" while an email matches none).
	Account   string
	Notes     string
	Tags      []Tag // put on the account when it joins
	Requested time.Time
	Expires   time.Time
	Closed    time.Time // when it was answered or canceled; zero while open
}

// OrgHandshakeReader reads handshakes.
type OrgHandshakeReader interface {
	// GetOrgHandshake returns the handshake id; ErrNotFound if absent.
	GetOrgHandshake(ctx context.Context, id string) (OrgHandshake, error)
	// OrgHandshakes returns the organization's handshakes, ordered by id.
	OrgHandshakes(ctx context.Context, org string) ([]OrgHandshake, error)
	// AccountHandshakes returns the handshakes sent to the account by any
	// organization, ordered by id.
	AccountHandshakes(ctx context.Context, acct string) ([]OrgHandshake, error)
}

// OrgHandshakeWriter stores handshakes.
type OrgHandshakeWriter interface {
	// PutOrgHandshake creates or replaces the handshake h.ID; ErrNotFound
	// if the organization is absent. Handshakes go with their
	// organization.
	PutOrgHandshake(ctx context.Context, h OrgHandshake) error
}
