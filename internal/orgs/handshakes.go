package orgs

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/store"
)

// Handshakes: an organization invites an account (InviteAccountToOrganization),
// the invited account's principals accept or decline, the management
// account may cancel ([Inviting an account to join your organization]).
// Handshakes are between Warden accounts: an account is invited by id, and
// it joins the root with the AWS-managed policies of the enabled types
// attached, as a created account does. An invitation is OPEN until it is
// answered or expires after 15 days (EXPIRED, computed when read).
//
// [Inviting an account to join your organization]: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_invites.html

// HandshakeExpiry is how long an invitation stays open.
const HandshakeExpiry = 15 * 24 * time.Hour

// HandshakeRetention is how long a handshake stays visible once it is
// accepted, declined, canceled or expired; AWS then deletes it.
const HandshakeRetention = 30 * 24 * time.Hour

// gone reports whether a handshake is past its retention at now.
func gone(h store.OrgHandshake, now time.Time) bool {
	end := h.Closed
	if state(h, now) == "EXPIRED" {
		end = h.Expires
	}
	return !end.IsZero() && !now.Before(end.Add(HandshakeRetention))
}

func newHandshakeID() string { return "h-" + randomString(lowerAlnum, 16) }

// HandshakeARN returns a handshake's ARN.
func HandshakeARN(mgmt, org, action, id string) string {
	return "arn:aws:organizations::" + mgmt + ":handshake/" + org + "/" + strings.ToLower(action) + "/" + id
}

func errHandshakeNotFound() error {
	return exception("HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.")
}

func errHandshakeAlreadyInState() error {
	return exception("HandshakeAlreadyInStateException", "The specified handshake is already in the requested state. For example, you can't accept a handshake that was already accepted.")
}

func errInvalidHandshakeTransition() error {
	return exception("InvalidHandshakeTransitionException", "You can't perform the operation on the handshake in its current state. For example, you can't cancel a handshake that was already accepted or accept a handshake that was already declined.")
}

func errDuplicateHandshake() error {
	return exception("DuplicateHandshakeException", "A handshake with the same action and target already exists. For example, if you invited an account to join your organization, the invited account might already have a pending invitation from this organization.")
}

// handshakeConstraint is HandshakeConstraintViolationException with its
// Reason.
func handshakeConstraint(reason, msg string) error {
	e := exception("HandshakeConstraintViolationException", "%s", msg)
	e.Reason = reason
	return e
}

func errAlreadyInAnOrganization() error {
	return handshakeConstraint("ALREADY_IN_AN_ORGANIZATION", "The handshake request is invalid because the invited account is already a member of an organization.")
}

func errHandshakeAccountLimit() error {
	return handshakeConstraint("ACCOUNT_NUMBER_LIMIT_EXCEEDED", "You attempted to exceed the limit on the number of accounts in an organization. Note that deleted and closed accounts still count toward your limit.")
}

// Handshake is a handshake as the actions answer it: the record, its
// state now, and what the recipient is told of the sender.
type Handshake struct {
	store.OrgHandshake
	Management      string
	ManagementEmail string
	ManagementName  string
	FeatureSet      string
}

// ARN returns the handshake's ARN.
func (h Handshake) ARN() string { return HandshakeARN(h.Management, h.Org, h.Action, h.ID) }

// state returns the handshake's state at now: an open one past its expiry
// is EXPIRED.
func state(h store.OrgHandshake, now time.Time) string {
	if h.State == "OPEN" && !now.Before(h.Expires) {
		return "EXPIRED"
	}
	return h.State
}

// handshakeOf completes a stored handshake with its sender's details.
func (s *Service) handshakeOf(ctx context.Context, r store.Reader, h store.OrgHandshake) (Handshake, error) {
	h.State = state(h, s.now())
	d, err := r.LoadOrganization(ctx, h.Org)
	if err != nil {
		return Handshake{}, err
	}
	out := Handshake{OrgHandshake: h, Management: d.Organization.ManagementAccount, ManagementEmail: d.Organization.ManagementEmail,
		ManagementName: d.Organization.ManagementAccount, FeatureSet: d.Organization.FeatureSet}
	if i := slices.IndexFunc(d.Accounts, func(a store.OrgAccount) bool { return a.Account == out.Management }); i >= 0 {
		out.ManagementName = d.Accounts[i].Name
	}
	return out, nil
}

// HandshakePartyInput is the HandshakeParty shape of a request. The
// model marks the party's id and the notes sensitive: the audit trail
// hides them, as CloudTrail does.
type HandshakePartyInput struct {
	ID   string `json:"Id,required" min:"1" max:"64" pattern:"any" audit:"redact"`
	Type string `json:"Type,required" enum:"ACCOUNT|ORGANIZATION|EMAIL"`
}

// InviteAccountInput is InviteAccountToOrganization's input.
type InviteAccountInput struct {
	Target *HandshakePartyInput `json:"Target,required"`
	Notes  *string              `json:"Notes" max:"1024" pattern:"any" audit:"redact"`
	Tags   []Tag                `json:"Tags"`
}

// InviteAccountToOrganization invites an account to join the caller's
// organization. An account is named by id; an email address names no
// Warden account (Warden knows no account's address), so it is refused as
// AWS refuses an address it cannot invite. An id that is no Warden
// account still gets its invitation, which no one can accept: AWS does
// not tell the sender whether an account exists, and neither does Warden.
func (s *Service) InviteAccountToOrganization(ctx context.Context, caller string, in InviteAccountInput) (Handshake, error) {
	t := in.Target
	switch t.Type {
	case "ORGANIZATION":
		return Handshake{}, invalidInput("INVALID_PARTY_TYPE_TARGET", "You specified the wrong type of entity (account, organization, or email) as a party.")
	case "EMAIL":
		return Handshake{}, invalidInput("INVALID_EMAIL_ADDRESS_TARGET", "You specified an invalid email address for the invited account owner.")
	}
	if !isAccountID(t.ID) {
		return Handshake{}, InvalidField("Target.Id", "INVALID_PATTERN")
	}
	tags, err := storeTags(in.Tags)
	if err != nil {
		return Handshake{}, err
	}
	var out Handshake
	err = s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		if _, err := tx.OrganizationOf(ctx, t.ID); err == nil {
			return errAlreadyInAnOrganization()
		} else if !isNotFound(err) {
			return err
		}
		sent, err := tx.OrgHandshakes(ctx, o.ID())
		if err != nil {
			return err
		}
		now := s.now().UTC()
		open := 0
		for _, h := range sent {
			if state(h, now) != "OPEN" {
				continue
			}
			if h.Action == "INVITE" && h.Account == t.ID {
				return errDuplicateHandshake()
			}
			open++
		}
		if len(o.Accounts)+open >= MaxAccounts {
			return errHandshakeAccountLimit()
		}
		h := store.OrgHandshake{Org: o.ID(), ID: newHandshakeID(), Action: "INVITE", State: "OPEN", TargetType: "ACCOUNT", Target: t.ID,
			Account: t.ID, Tags: tags, Requested: now, Expires: now.Add(HandshakeExpiry)}
		if in.Notes != nil {
			h.Notes = *in.Notes
		}
		if err := tx.PutOrgHandshake(ctx, h); err != nil {
			return err
		}
		out, err = s.handshakeOf(ctx, tx, h)
		return err
	})
	return out, err
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// HandshakeIDInput is the input of the actions on one handshake.
type HandshakeIDInput struct {
	HandshakeID string `json:"HandshakeId,required" max:"34" pattern:"handshakeId"`
}

// respond runs fn on an open handshake sent to the caller's account: the
// recipient answers it. A handshake the caller can see but does not
// receive (its organization's own) is AccessDeniedException; one it
// cannot see is not found.
func (s *Service) respond(ctx context.Context, caller, id, to string, fn func(tx store.Tx, h *store.OrgHandshake) error) (Handshake, error) {
	var out Handshake
	err := s.iam.UpdateStore(ctx, func(tx store.Tx) error {
		h, err := s.visibleHandshake(ctx, tx, caller, id)
		if err != nil {
			return err
		}
		if h.Account != caller {
			return errAccessDenied()
		}
		if err := transition(h, s.now(), to); err != nil {
			return err
		}
		if err := fn(tx, &h); err != nil {
			return err
		}
		h.State, h.Closed = to, s.now().UTC()
		if err := tx.PutOrgHandshake(ctx, h); err != nil {
			return err
		}
		out, err = s.handshakeOf(ctx, tx, h)
		return err
	})
	return out, err
}

// transition checks that an open handshake may move to state to.
func transition(h store.OrgHandshake, now time.Time, to string) error {
	switch state(h, now) {
	case "OPEN":
		return nil
	case to:
		return errHandshakeAlreadyInState()
	default:
		return errInvalidHandshakeTransition()
	}
}

// visibleHandshake returns a handshake the caller may see: one sent to its
// account, or one its organization sent when it is the management account
// or a delegated administrator. Any other is HandshakeNotFoundException.
func (s *Service) visibleHandshake(ctx context.Context, r store.Reader, caller, id string) (store.OrgHandshake, error) {
	h, err := r.GetOrgHandshake(ctx, id)
	if isNotFound(err) || (err == nil && gone(h, s.now())) {
		return h, errHandshakeNotFound()
	}
	if err != nil {
		return h, err
	}
	if h.Account == caller {
		return h, nil
	}
	if org, err := r.OrganizationOf(ctx, caller); isNotFound(err) || (err == nil && org.ID != h.Org) {
		return h, errHandshakeNotFound()
	} else if err != nil {
		return h, err
	}
	d, err := r.LoadOrganization(ctx, h.Org)
	if err != nil {
		return h, err
	}
	if o := newOrg(d); o.Management() != caller && !o.isDelegatedAdmin(caller) {
		return h, errHandshakeNotFound()
	}
	return h, nil
}

// AcceptHandshake accepts an invitation: the caller's account joins the
// organization's root, with the invitation's tags and the AWS-managed
// policies of the enabled types attached.
func (s *Service) AcceptHandshake(ctx context.Context, caller string, in HandshakeIDInput) (Handshake, error) {
	return s.respond(ctx, caller, in.HandshakeID, "ACCEPTED", func(tx store.Tx, h *store.OrgHandshake) error {
		if _, err := tx.OrganizationOf(ctx, caller); err == nil {
			return errAlreadyInAnOrganization()
		} else if !isNotFound(err) {
			return err
		}
		d, err := tx.LoadOrganization(ctx, h.Org)
		if err != nil {
			return err
		}
		o := newOrg(d)
		if len(o.Accounts) >= MaxAccounts {
			return errHandshakeAccountLimit()
		}
		alias, err := tx.GetAccountAlias(ctx, caller)
		if err != nil {
			return err
		}
		name := alias
		if name == "" {
			name = caller
		}
		if err := tx.CreateOrgAccount(ctx, store.OrgAccount{Org: o.ID(), Account: caller, ParentID: o.Root.ID, Email: standInEmail(caller), Name: name,
			Status: "ACTIVE", State: "ACTIVE", JoinedMethod: "INVITED", Joined: s.now().UTC(), Tags: h.Tags}); err != nil {
			return err
		}
		return o.attachDefaults(ctx, tx, caller)
	})
}

// DeclineHandshake declines an invitation sent to the caller's account.
func (s *Service) DeclineHandshake(ctx context.Context, caller string, in HandshakeIDInput) (Handshake, error) {
	return s.respond(ctx, caller, in.HandshakeID, "DECLINED", func(store.Tx, *store.OrgHandshake) error { return nil })
}

// CancelHandshake cancels an invitation the caller's organization sent
// (management account only).
func (s *Service) CancelHandshake(ctx context.Context, caller string, in HandshakeIDInput) (Handshake, error) {
	var out Handshake
	err := s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		h, err := tx.GetOrgHandshake(ctx, in.HandshakeID)
		if isNotFound(err) || (err == nil && (h.Org != o.ID() || gone(h, s.now()))) {
			return errHandshakeNotFound()
		}
		if err != nil {
			return err
		}
		if err := transition(h, s.now(), "CANCELED"); err != nil {
			return err
		}
		h.State, h.Closed = "CANCELED", s.now().UTC()
		if err := tx.PutOrgHandshake(ctx, h); err != nil {
			return err
		}
		out, err = s.handshakeOf(ctx, tx, h)
		return err
	})
	return out, err
}

// DescribeHandshake returns a handshake the caller may see.
func (s *Service) DescribeHandshake(ctx context.Context, caller string, in HandshakeIDInput) (Handshake, error) {
	var out Handshake
	err := s.iam.ViewStore(ctx, func(r store.Reader) error {
		h, err := s.visibleHandshake(ctx, r, caller, in.HandshakeID)
		if err != nil {
			return err
		}
		out, err = s.handshakeOf(ctx, r, h)
		return err
	})
	return out, err
}

// HandshakeFilterInput is the HandshakeFilter shape.
type HandshakeFilterInput struct {
	ActionType        string `json:"ActionType" enum:"INVITE|ENABLE_ALL_FEATURES|APPROVE_ALL_FEATURES|ADD_ORGANIZATIONS_SERVICE_LINKED_ROLE|TRANSFER_RESPONSIBILITY"`
	ParentHandshakeID string `json:"ParentHandshakeId" max:"34" pattern:"handshakeId"`
}

// ListHandshakesInput is the input of ListHandshakesForAccount and
// ListHandshakesForOrganization.
type ListHandshakesInput struct {
	Filter     *HandshakeFilterInput `json:"Filter"`
	NextToken  string                `json:"NextToken" max:"100000"`
	MaxResults *int32                `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// filter keeps the handshakes still retained at now that the input's
// filter selects. Warden's handshakes have no parent, so a parent id
// selects none.
func (in ListHandshakesInput) filter(hs []store.OrgHandshake, now time.Time) ([]store.OrgHandshake, error) {
	f := in.Filter
	if f == nil {
		f = &HandshakeFilterInput{}
	}
	if f.ActionType != "" && f.ParentHandshakeID != "" {
		return nil, invalidInput("MAX_LIMIT_EXCEEDED_FILTER", "You can specify only one filter parameter for the operation.")
	}
	return slices.DeleteFunc(hs, func(h store.OrgHandshake) bool {
		return gone(h, now) || f.ParentHandshakeID != "" || (f.ActionType != "" && h.Action != f.ActionType)
	}), nil
}

// listHandshakes pages the filtered handshakes, completed.
func (s *Service) listHandshakes(ctx context.Context, r store.Reader, hs []store.OrgHandshake, in ListHandshakesInput) (Page[Handshake], error) {
	hs, err := in.filter(hs, s.now())
	if err != nil {
		return Page[Handshake]{}, err
	}
	p, err := page(hs, func(h store.OrgHandshake) string { return h.ID }, in.NextToken, in.MaxResults)
	if err != nil {
		return Page[Handshake]{}, err
	}
	out := Page[Handshake]{NextToken: p.NextToken, Items: make([]Handshake, 0, len(p.Items))}
	for _, h := range p.Items {
		c, err := s.handshakeOf(ctx, r, h)
		if err != nil {
			return Page[Handshake]{}, err
		}
		out.Items = append(out.Items, c)
	}
	return out, nil
}

// ListHandshakesForAccount lists the handshakes sent to the caller's
// account; any account may call it, in an organization or not.
func (s *Service) ListHandshakesForAccount(ctx context.Context, caller string, in ListHandshakesInput) (Page[Handshake], error) {
	var p Page[Handshake]
	err := s.iam.ViewStore(ctx, func(r store.Reader) error {
		hs, err := r.AccountHandshakes(ctx, caller)
		if err != nil {
			return err
		}
		p, err = s.listHandshakes(ctx, r, hs, in)
		return err
	})
	return p, err
}

// ListHandshakesForOrganization lists the handshakes the caller's
// organization sent (the management account and delegated
// administrators).
func (s *Service) ListHandshakesForOrganization(ctx context.Context, caller string, in ListHandshakesInput) (Page[Handshake], error) {
	var p Page[Handshake]
	err := s.iam.ViewStore(ctx, func(r store.Reader) error {
		o, err := load(ctx, r, caller)
		if err != nil {
			return err
		}
		if o.Management() != caller && !o.isDelegatedAdmin(caller) {
			return errAccessDenied()
		}
		hs, err := r.OrgHandshakes(ctx, o.ID())
		if err != nil {
			return err
		}
		p, err = s.listHandshakes(ctx, r, hs, in)
		return err
	})
	return p, err
}

// HandshakeResource returns the ARN of a handshake the caller may see, or
// "" when there is none: the resource authorization asks about.
func (s *Service) HandshakeResource(ctx context.Context, caller, id string) string {
	var arn string
	_ = s.iam.ViewStore(ctx, func(r store.Reader) error {
		h, err := s.visibleHandshake(ctx, r, caller, id)
		if err != nil {
			return nil
		}
		if c, err := s.handshakeOf(ctx, r, h); err == nil {
			arn = c.ARN()
		}
		return nil
	})
	return arn
}
