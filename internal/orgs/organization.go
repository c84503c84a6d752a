package orgs

import (
	"context"

	"github.com/warden-iam/warden/internal/store"
)

// CreateOrganizationInput is CreateOrganization's input.
type CreateOrganizationInput struct {
	FeatureSet string `json:"FeatureSet" enum:"ALL|CONSOLIDATED_BILLING"`
}

// standInEmail stands in for the email address of an account that Warden
// did not create in an organization (the management account, an invited
// account), which Warden does not know: an address under the reserved
// .invalid domain (RFC 2606), so it can never reach anyone.
func standInEmail(acct string) string { return acct + "@warden.invalid" }

// CreateOrganization makes the caller's account the management account of
// a new organization ([CreateOrganization]), with its root and no policy
// type enabled. The API reference does not say how the management account
// joined; Warden says INVITED, since CreateAccount did not make it.
//
// [CreateOrganization]: https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateOrganization.html
func (s *Service) CreateOrganization(ctx context.Context, caller string, in CreateOrganizationInput) (*Org, error) {
	if in.FeatureSet == "" {
		in.FeatureSet = "ALL"
	}
	var out *Org
	err := s.iam.UpdateStore(ctx, func(tx store.Tx) error {
		if _, err := tx.OrganizationOf(ctx, caller); err == nil {
			return errAlreadyInOrganization()
		} else if !isNotFound(err) {
			return err
		}
		alias, err := tx.GetAccountAlias(ctx, caller)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		o := store.Organization{ID: newOrgID(), ManagementAccount: caller, ManagementEmail: standInEmail(caller), FeatureSet: in.FeatureSet, CreateDate: now}
		if err := tx.CreateOrganization(ctx, o); err != nil {
			return err
		}
		root := store.OrgUnit{Org: o.ID, ID: newRootID(), Name: "Root", CreateDate: now}
		if err := tx.CreateOrgUnit(ctx, root); err != nil {
			return err
		}
		name := alias
		if name == "" {
			name = caller
		}
		if err := tx.CreateOrgAccount(ctx, store.OrgAccount{Org: o.ID, Account: caller, ParentID: root.ID, Email: o.ManagementEmail,
			Name: name, Status: "ACTIVE", State: "ACTIVE", JoinedMethod: "INVITED", Joined: now}); err != nil {
			return err
		}
		d, err := tx.LoadOrganization(ctx, o.ID)
		if err != nil {
			return err
		}
		out = newOrg(d)
		return nil
	})
	return out, err
}

// DescribeOrganization returns the organization of the caller's account;
// any member account may call it.
func (s *Service) DescribeOrganization(ctx context.Context, caller string) (*Org, error) {
	var out *Org
	err := s.iam.ViewStore(ctx, func(r store.Reader) error {
		var err error
		out, err = load(ctx, r, caller)
		return err
	})
	return out, err
}

// DeleteOrganization deletes the caller's organization, which must have
// no member account but the management account.
func (s *Service) DeleteOrganization(ctx context.Context, caller string) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		if len(o.Accounts) > 1 {
			return errOrganizationNotEmpty()
		}
		return tx.DeleteOrganization(ctx, o.ID())
	})
}

// ListRootsInput is ListRoots' input.
type ListRootsInput struct {
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// ListRoots returns the organization's root (an organization has one).
func (s *Service) ListRoots(ctx context.Context, caller string, in ListRootsInput) (*Org, Page[store.OrgUnit], error) {
	var o *Org
	var p Page[store.OrgUnit]
	err := s.view(ctx, caller, func(org *Org) error {
		o = org
		var err error
		p, err = page([]store.OrgUnit{*org.Root}, unitID, in.NextToken, in.MaxResults)
		return err
	})
	return o, p, err
}

func unitID(u store.OrgUnit) string { return u.ID }

// EnableAllFeatures asks to move a consolidated billing organization to
// all features. An organization with all features (Warden's default)
// gets AWS's answer for one that has them already. Warden does not run
// the migration itself (the ENABLE_ALL_FEATURES and APPROVE_ALL_FEATURES
// handshakes) and says so.
func (s *Service) EnableAllFeatures(ctx context.Context, caller string) error {
	return s.update(ctx, caller, func(_ store.Tx, o *Org) error {
		if o.Organization.FeatureSet == "ALL" {
			return handshakeConstraint("ORGANIZATION_ALREADY_HAS_ALL_FEATURES", "The handshake request is invalid because the organization has already enabled all features.")
		}
		return exception("UnknownOperationException", "Warden does not migrate an organization from consolidated billing to all features; create the organization with all features.")
	})
}
