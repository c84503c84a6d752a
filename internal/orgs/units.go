package orgs

import (
	"context"

	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

// attachDefaults attaches, to a new OU or account, the AWS-managed full
// access policy of every enabled policy type. AWS behaviour: "FullAWSAccess
// … is automatically attached to every root, OU, and account" while SCPs
// are enabled, and likewise RCPFullAWSAccess
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
func (o *Org) attachDefaults(ctx context.Context, tx store.Tx, target string) error {
	for _, m := range []iam.OrgManagedPolicy{iam.FullAWSAccess, iam.RCPFullAWSAccess} {
		if o.enabled(m.Type) {
			if err := tx.AttachOrgPolicy(ctx, store.OrgAttachment{Org: o.ID(), PolicyID: m.ID, TargetID: target}); err != nil {
				return err
			}
		}
	}
	return nil
}

// isParent reports whether id is a root or OU of o.
func (o *Org) isParent(id string) bool { return o.units[id] != nil }

// ou returns an OU (not the root) of o; OrganizationalUnitNotFoundException.
func (o *Org) ou(id string) (*store.OrgUnit, error) {
	u := o.units[id]
	if u == nil || u.ParentID == "" {
		return nil, errOUNotFound()
	}
	return u, nil
}

// CreateOrganizationalUnitInput is CreateOrganizationalUnit's input.
type CreateOrganizationalUnitInput struct {
	ParentID string `json:"ParentId,required" max:"100" pattern:"parentId"`
	Name     string `json:"Name,required" min:"1" max:"128" pattern:"any"`
	Tags     []Tag  `json:"Tags"`
}

// CreateOrganizationalUnit creates an OU under a root or OU, up to
// MaxOUDepth levels deep.
func (s *Service) CreateOrganizationalUnit(ctx context.Context, caller string, in CreateOrganizationalUnitInput) (*Org, store.OrgUnit, error) {
	var out store.OrgUnit
	var org *Org
	err := s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		org = o
		if !o.isParent(in.ParentID) {
			return errParentNotFound()
		}
		if o.depth(in.ParentID)+1 > MaxOUDepth {
			return constraint("OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU tree that is too many levels deep.")
		}
		if len(o.Units)-1 >= MaxOUs {
			return constraint("OU_NUMBER_LIMIT_EXCEEDED", "You have reached the limit on the number of OUs in your organization.")
		}
		tags, err := storeTags(in.Tags)
		if err != nil {
			return err
		}
		out = store.OrgUnit{Org: o.ID(), ID: newOUID(o.Root.ID), ParentID: in.ParentID, Name: in.Name, Tags: tags, CreateDate: s.now().UTC()}
		if err := tx.CreateOrgUnit(ctx, out); isExists(err) {
			return errDuplicateOU()
		} else if err != nil {
			return err
		}
		o.units[out.ID] = &out
		return o.attachDefaults(ctx, tx, out.ID)
	})
	return org, out, err
}

// DescribeOrganizationalUnitInput is DescribeOrganizationalUnit's input.
type DescribeOrganizationalUnitInput struct {
	OrganizationalUnitID string `json:"OrganizationalUnitId,required" max:"68" pattern:"ouId"`
}

// DescribeOrganizationalUnit returns an OU.
func (s *Service) DescribeOrganizationalUnit(ctx context.Context, caller string, in DescribeOrganizationalUnitInput) (*Org, store.OrgUnit, error) {
	var out store.OrgUnit
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		u, err := o.ou(in.OrganizationalUnitID)
		if err != nil {
			return err
		}
		out = *u
		return nil
	})
	return org, out, err
}

// UpdateOrganizationalUnitInput is UpdateOrganizationalUnit's input.
type UpdateOrganizationalUnitInput struct {
	OrganizationalUnitID string  `json:"OrganizationalUnitId,required" max:"68" pattern:"ouId"`
	Name                 *string `json:"Name" min:"1" max:"128" pattern:"any"`
}

// UpdateOrganizationalUnit renames an OU (no Name: no change).
func (s *Service) UpdateOrganizationalUnit(ctx context.Context, caller string, in UpdateOrganizationalUnitInput) (*Org, store.OrgUnit, error) {
	var out store.OrgUnit
	var org *Org
	err := s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		org = o
		u, err := o.ou(in.OrganizationalUnitID)
		if err != nil {
			return err
		}
		out = *u
		if in.Name == nil || *in.Name == u.Name {
			return nil
		}
		out.Name = *in.Name
		if err := tx.UpdateOrgUnit(ctx, out); isExists(err) {
			return errDuplicateOU()
		} else if err != nil {
			return err
		}
		return nil
	})
	return org, out, err
}

// DeleteOrganizationalUnitInput is DeleteOrganizationalUnit's input.
type DeleteOrganizationalUnitInput struct {
	OrganizationalUnitID string `json:"OrganizationalUnitId,required" max:"68" pattern:"ouId"`
}

// DeleteOrganizationalUnit deletes an OU that holds no OU and no account.
func (s *Service) DeleteOrganizationalUnit(ctx context.Context, caller string, in DeleteOrganizationalUnitInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		if _, err := o.ou(in.OrganizationalUnitID); err != nil {
			return err
		}
		if len(o.childUnits(in.OrganizationalUnitID))+len(o.childAccounts(in.OrganizationalUnitID)) > 0 {
			return errOUNotEmpty()
		}
		return tx.DeleteOrgUnit(ctx, o.ID(), in.OrganizationalUnitID)
	})
}

func (o *Org) childUnits(parent string) []store.OrgUnit {
	var out []store.OrgUnit
	for _, u := range o.Units {
		if u.ParentID == parent {
			out = append(out, u)
		}
	}
	return out
}

func (o *Org) childAccounts(parent string) []store.OrgAccount {
	var out []store.OrgAccount
	for _, a := range o.Accounts {
		if a.ParentID == parent {
			out = append(out, a)
		}
	}
	return out
}

// ListForParentInput is the input of the actions that list a parent's
// OUs or accounts.
type ListForParentInput struct {
	ParentID   string `json:"ParentId,required" max:"100" pattern:"parentId"`
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// ListOrganizationalUnitsForParent lists the OUs directly under a parent.
func (s *Service) ListOrganizationalUnitsForParent(ctx context.Context, caller string, in ListForParentInput) (*Org, Page[store.OrgUnit], error) {
	var p Page[store.OrgUnit]
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		if !o.isParent(in.ParentID) {
			return errParentNotFound()
		}
		var err error
		p, err = page(o.childUnits(in.ParentID), unitID, in.NextToken, in.MaxResults)
		return err
	})
	return org, p, err
}

// Child is a child of a parent: an OU or an account.
type Child struct {
	ID   string
	Type string // ORGANIZATIONAL_UNIT or ACCOUNT
}

// ListChildrenInput is ListChildren's input.
type ListChildrenInput struct {
	ParentID   string `json:"ParentId,required" max:"100" pattern:"parentId"`
	ChildType  string `json:"ChildType,required" enum:"ACCOUNT|ORGANIZATIONAL_UNIT"`
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// ListChildren lists the OUs or accounts directly under a parent.
func (s *Service) ListChildren(ctx context.Context, caller string, in ListChildrenInput) (Page[Child], error) {
	var p Page[Child]
	err := s.view(ctx, caller, func(o *Org) error {
		if !o.isParent(in.ParentID) {
			return errParentNotFound()
		}
		var children []Child
		if in.ChildType == "ORGANIZATIONAL_UNIT" {
			for _, u := range o.childUnits(in.ParentID) {
				children = append(children, Child{ID: u.ID, Type: in.ChildType})
			}
		} else {
			for _, a := range o.childAccounts(in.ParentID) {
				children = append(children, Child{ID: a.Account, Type: in.ChildType})
			}
		}
		var err error
		p, err = page(children, func(c Child) string { return c.ID }, in.NextToken, in.MaxResults)
		return err
	})
	return p, err
}

// ListParentsInput is ListParents' input.
type ListParentsInput struct {
	ChildID    string `json:"ChildId,required" max:"100" pattern:"childId"`
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// ListParents returns the parent of an OU or account (one, in AWS's
// current model): a ROOT or an ORGANIZATIONAL_UNIT.
func (s *Service) ListParents(ctx context.Context, caller string, in ListParentsInput) (Page[Child], error) {
	var p Page[Child]
	err := s.view(ctx, caller, func(o *Org) error {
		parent := ""
		if a := o.accounts[in.ChildID]; a != nil {
			parent = a.ParentID
		} else if u, err := o.ou(in.ChildID); err == nil {
			parent = u.ParentID
		} else {
			return errChildNotFound()
		}
		typ := "ORGANIZATIONAL_UNIT"
		if parent == o.Root.ID {
			typ = "ROOT"
		}
		var err error
		p, err = page([]Child{{ID: parent, Type: typ}}, func(c Child) string { return c.ID }, in.NextToken, in.MaxResults)
		return err
	})
	return p, err
}
