package sts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// delegatedPurpose names the service keys that seal trade-in tokens.
const delegatedPurpose = "trade-in-token"

// delegatedVersion is the first byte of a sealed trade-in token.
const delegatedVersion byte = 1

// Delegation is what a trade-in token grants: a session of a role, limited
// by the permissions the delegation request asked for.
//
// AWS behaviour ([temporary delegation]): a partner creates a delegation
// request (iam:CreateDelegationRequest), a customer accepts it (IAM records
// the accepting identity) and sends the exchange token
// (iam:SendDelegationToken) to the partner, which trades it in once with
// sts:GetDelegatedAccessToken for credentials of that identity, scoped by
// the requested permissions. Only partners that AWS onboarded may create
// delegation requests, with policy templates registered with AWS and an
// SNS topic to receive the token: a self-hosted deployment has neither, so
// Warden's IAM refuses CreateDelegationRequest and no request exists (see
// package iam, delegation.go). [Service.IssueTradeInToken] is the one way
// to make a token, for a deployment's own code.
//
// [temporary delegation]: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-temporary-delegation.html
type Delegation struct {
	// RoleARN is the role whose session is delegated; SessionName names it.
	RoleARN     string `json:"role"`
	SessionName string `json:"session"`
	// Policy and PolicyARNs are the delegated permissions (session policies).
	Policy     string   `json:"policy,omitempty"`
	PolicyARNs []string `json:"policyArns,omitempty"`
	// Duration is the session's length; Expires when the token may no
	// longer be traded in.
	Duration time.Duration `json:"duration"`
	Expires  time.Time     `json:"expires"`
	// ID makes each token single-use; IssueTradeInToken sets it.
	ID string `json:"id"`
}

// IssueTradeInToken seals a delegation into a trade-in token, sealed like
// session tokens (AES-256-GCM under a service key every node shares).
func (s *Service) IssueTradeInToken(ctx context.Context, d Delegation) (string, error) {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", err
	}
	d.ID = hex.EncodeToString(id[:])
	keys, err := s.decodeServiceKeys(ctx, delegatedPurpose, nil, decodeRandomKey)
	if err != nil {
		return "", err
	}
	plain, err := json.Marshal(d)
	if err != nil {
		return "", err
	}
	return decodeSeal(keys, delegatedVersion, plain)
}

// errDelegatedExpired is AWS's ExpiredTradeInTokenException. AWS behaviour:
// the model names no other error for a token that cannot be traded in, so
// Warden answers with it for every token it did not issue, tampered with,
// expired, or already traded in: to the caller all of them are a token
// that "can no longer be exchanged".
func errDelegatedExpired() error {
	return awserr.New("ExpiredTradeInTokenException", http.StatusBadRequest,
		"The trade-in token provided in the request has expired and can no longer be exchanged for credentials.")
}

// DelegatedIssued is the result of a trade-in.
type DelegatedIssued struct {
	Credentials      Credentials
	Session          *Session
	AssumedPrincipal string
}

// GetDelegatedAccessToken trades a token in, once, for the delegated
// session.
func (s *Service) GetDelegatedAccessToken(ctx context.Context, token string) (DelegatedIssued, error) {
	if len(token) > 16<<10 {
		return DelegatedIssued{}, errDelegatedExpired()
	}
	keys, err := s.decodeServiceKeys(ctx, delegatedPurpose, nil, decodeRandomKey)
	if err != nil {
		return DelegatedIssued{}, err
	}
	plain, ok := decodeOpen(keys, delegatedVersion, token)
	var d Delegation
	if !ok || json.Unmarshal(plain, &d) != nil || d.ID == "" {
		return DelegatedIssued{}, errDelegatedExpired()
	}
	now := s.now().UTC()
	if !now.Before(d.Expires) {
		return DelegatedIssued{}, errDelegatedExpired()
	}
	acct, roleName, ok := ParseRoleARN(d.RoleARN)
	if !ok {
		return DelegatedIssued{}, errDelegatedExpired()
	}
	role, found := s.iam.Snapshot().Role(acct, roleName)
	if !found {
		// The delegated role is gone: nothing is left to trade in for.
		return DelegatedIssued{}, errDelegatedExpired()
	}
	sess := &Session{Kind: KindAssumedRole, Account: acct, RoleName: role.Name, RoleID: role.ID, RolePath: role.Path,
		SessionName: d.SessionName}
	if err := s.sessionPolicies(sess, delegatedOptional(d.Policy), d.PolicyARNs); err != nil {
		return DelegatedIssued{}, err
	}
	if PackedSize(sess) > 100 {
		return DelegatedIssued{}, awserr.New("PackedPolicyTooLarge", http.StatusBadRequest,
			"Packed size of the session policies exceeds the limit by %d%%.", PackedSize(sess)-100)
	}
	// Single use: the token's id is recorded until the token expires.
	err = s.store.Update(ctx, func(tx store.Tx) error {
		return tx.UseAssertionID(ctx, "trade-in:"+d.ID, now, d.Expires)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return DelegatedIssued{}, errDelegatedExpired()
	}
	if err != nil {
		return DelegatedIssued{}, err
	}
	creds := s.issue(sess, d.Duration)
	return DelegatedIssued{Credentials: creds, Session: sess,
		AssumedPrincipal: AssumedRoleARN(acct, role.Name, d.SessionName)}, nil
}

func delegatedOptional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
