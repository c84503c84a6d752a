package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/warden-iam/warden/internal/store"
)

// ---- organizations ----
//
// Every record is kept whole as JSON in data (see the record package);
// the columns beside it are copies for indexes and constraints.

var (
	qListOrgs  = stmt(`SELECT data FROM org_organizations ORDER BY id`)
	qGetOrg    = stmt(`SELECT data FROM org_organizations WHERE id = ?1`)
	qOrgOf     = stmt(`SELECT o.data FROM org_accounts a JOIN org_organizations o ON o.id = a.org WHERE a.account = ?1`)
	qOrgOfMgmt = stmt(`SELECT data FROM org_organizations WHERE management_account = ?1`)
	qOrgUnits  = stmt(`SELECT data FROM org_units WHERE org = ?1`)
	qOrgAccts  = stmt(`SELECT data FROM org_accounts WHERE org = ?1`)
	qOrgPols   = stmt(`SELECT data FROM org_policies WHERE org = ?1`)
	qOrgAtts   = stmt(`SELECT policy, target FROM org_attachments WHERE org = ?1`)
	qOrgReqs   = stmt(`SELECT data FROM org_account_requests WHERE org = ?1`)

	qCreateOrg = stmt(`INSERT INTO org_organizations (id, management_account, data) VALUES (?1, ?2, ?3)`)
	qDeleteOrg = stmt(`DELETE FROM org_organizations WHERE id = ?1`)
	// qDeleteOrgOf removes the organization an account manages (the --dev reset).
	qDeleteOrgOf = stmt(`DELETE FROM org_organizations WHERE management_account = ?1`)

	qUnitExists     = stmt(`SELECT 1 FROM org_units WHERE org = ?1 AND id = ?2`)
	qCreateUnit     = stmt(`INSERT INTO org_units (id, org, parent, name, data) VALUES (?1, ?2, ?3, ?4, ?5)`)
	qGetUnit        = stmt(`SELECT data FROM org_units WHERE org = ?1 AND id = ?2`)
	qUpdateUnit     = stmt(`UPDATE org_units SET name = ?1, data = ?2 WHERE org = ?3 AND id = ?4`)
	qDeleteUnit     = stmt(`DELETE FROM org_units WHERE org = ?1 AND id = ?2`)
	qUnitChildren   = stmt(`SELECT (SELECT count(*) FROM org_units WHERE parent = ?1) + (SELECT count(*) FROM org_accounts WHERE parent = ?1)`)
	qDetachTarget   = stmt(`DELETE FROM org_attachments WHERE org = ?1 AND target = ?2`)
	qDetachPolicy   = stmt(`DELETE FROM org_attachments WHERE org = ?1 AND policy = ?2`)
	qCreateOrgAcct  = stmt(`INSERT INTO org_accounts (account, org, parent, data) VALUES (?1, ?2, ?3, ?4)`)
	qGetOrgAcct     = stmt(`SELECT data FROM org_accounts WHERE org = ?1 AND account = ?2`)
	qUpdateOrgAcct  = stmt(`UPDATE org_accounts SET parent = ?1, data = ?2 WHERE org = ?3 AND account = ?4`)
	qDeleteOrgAcct  = stmt(`DELETE FROM org_accounts WHERE org = ?1 AND account = ?2`)
	qCreateOrgPol   = stmt(`INSERT INTO org_policies (id, org, name, data) VALUES (?1, ?2, ?3, ?4)`)
	qUpdateOrgPol   = stmt(`UPDATE org_policies SET name = ?1, data = ?2 WHERE org = ?3 AND id = ?4`)
	qDeleteOrgPol   = stmt(`DELETE FROM org_policies WHERE org = ?1 AND id = ?2`)
	qAttachOrgPol   = stmt(`INSERT INTO org_attachments (org, policy, target) VALUES (?1, ?2, ?3)`)
	qDetachOrgPol   = stmt(`DELETE FROM org_attachments WHERE org = ?1 AND policy = ?2 AND target = ?3`)
	qPutOrgRequest  = stmt(`INSERT INTO org_account_requests (id, org, data) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET data = excluded.data WHERE org_account_requests.org = excluded.org`)
	qOrgRequestOrg  = stmt(`SELECT org FROM org_account_requests WHERE id = ?1`)
	qOrgExistsQuery = stmt(`SELECT 1 FROM org_organizations WHERE id = ?1`)
)

// ListOrganizations returns every organization, ordered by id.
func (t *txn) ListOrganizations(ctx context.Context) ([]store.Organization, error) {
	return orgRecords[store.Organization](ctx, t, "list organizations", qListOrgs)
}

// OrganizationOf returns the organization the account is a member of or
// manages; ErrNotFound if none.
func (t *txn) OrganizationOf(ctx context.Context, acct string) (store.Organization, error) {
	const op = "organization of account"
	var data string
	err := t.get(ctx, op, qOrgOf, []any{acct}, &data)
	if errors.Is(err, store.ErrNotFound) {
		err = t.get(ctx, op, qOrgOfMgmt, []any{acct}, &data)
	}
	if err != nil {
		return store.Organization{}, err
	}
	var o store.Organization
	return o, rec.DecodeOrgRecord(data, &o)
}

// LoadOrganization reads the organization in six scans.
func (t *txn) LoadOrganization(ctx context.Context, id string) (store.OrgData, error) {
	const op = "load organization"
	var d store.OrgData
	var data string
	if err := t.get(ctx, op, qGetOrg, []any{id}, &data); err != nil {
		return d, err
	}
	if err := rec.DecodeOrgRecord(data, &d.Organization); err != nil {
		return d, err
	}
	var err error
	if d.Units, err = orgRecords[store.OrgUnit](ctx, t, op, qOrgUnits, id); err != nil {
		return d, err
	}
	if d.Accounts, err = orgRecords[store.OrgAccount](ctx, t, op, qOrgAccts, id); err != nil {
		return d, err
	}
	if d.Policies, err = orgRecords[store.OrgPolicy](ctx, t, op, qOrgPols, id); err != nil {
		return d, err
	}
	if d.Requests, err = orgRecords[store.CreateAccountStatus](ctx, t, op, qOrgReqs, id); err != nil {
		return d, err
	}
	err = t.each(ctx, op, qOrgAtts, []any{id}, func(rows *sql.Rows) error {
		a := store.OrgAttachment{Org: id}
		if err := rows.Scan(&a.PolicyID, &a.TargetID); err != nil {
			return err
		}
		d.Attachments = append(d.Attachments, a)
		return nil
	})
	return d, err
}

// orgRecords decodes the data column of every row query returns.
func orgRecords[T any](ctx context.Context, t *txn, op, query string, args ...any) ([]T, error) {
	var out []T
	err := t.each(ctx, op, query, args, func(rows *sql.Rows) error {
		var data string
		if err := rows.Scan(&data); err != nil {
			return err
		}
		var v T
		if err := rec.DecodeOrgRecord(data, &v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

func (t *txn) requireOrg(ctx context.Context, op, org string) error {
	var one int
	return t.get(ctx, op+": organization", qOrgExistsQuery, []any{org}, &one)
}

func (t *txn) requireUnit(ctx context.Context, op, org, id string) error {
	var one int
	return t.get(ctx, op+": parent", qUnitExists, []any{org, id}, &one)
}

// CreateOrganization returns ErrNotFound if the account is absent.
func (t *txn) CreateOrganization(ctx context.Context, o store.Organization) error {
	const op = "create organization"
	data, err := rec.OrgRecord(o)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, o.ManagementAccount); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qCreateOrg, o.ID, o.ManagementAccount, data)
	return err
}

// DeleteOrganization cascades to everything of the organization.
func (t *txn) DeleteOrganization(ctx context.Context, id string) error {
	return t.execOne(ctx, "delete organization", qDeleteOrg, id)
}

// CreateOrgUnit checks the organization and the parent (none for a root).
func (t *txn) CreateOrgUnit(ctx context.Context, u store.OrgUnit) error {
	const op = "create organization unit"
	data, err := rec.OrgRecord(u)
	if err != nil {
		return err
	}
	if err := t.requireOrg(ctx, op, u.Org); err != nil {
		return err
	}
	if u.ParentID != "" {
		if err := t.requireUnit(ctx, op, u.Org, u.ParentID); err != nil {
			return err
		}
	}
	_, err = t.exec(ctx, op, qCreateUnit, u.ID, u.Org, u.ParentID, u.Name, data)
	return err
}

// UpdateOrgUnit keeps the stored parent, organization and creation date.
func (t *txn) UpdateOrgUnit(ctx context.Context, u store.OrgUnit) error {
	const op = "update organization unit"
	var data string
	if err := t.get(ctx, op, qGetUnit, []any{u.Org, u.ID}, &data); err != nil {
		return err
	}
	var cur store.OrgUnit
	if err := rec.DecodeOrgRecord(data, &cur); err != nil {
		return err
	}
	cur.Name, cur.PolicyTypes, cur.Tags = u.Name, u.PolicyTypes, u.Tags
	data, err := rec.OrgRecord(cur)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qUpdateUnit, cur.Name, data, u.Org, u.ID)
}

// DeleteOrgUnit refuses a unit with children.
func (t *txn) DeleteOrgUnit(ctx context.Context, org, id string) error {
	const op = "delete organization unit"
	if err := t.requireUnit(ctx, op, org, id); err != nil {
		return err
	}
	var n int
	if err := t.get(ctx, op, qUnitChildren, []any{id}, &n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("sqlite: %s: unit %s has %d children", op, id, n)
	}
	if _, err := t.exec(ctx, op, qDetachTarget, org, id); err != nil {
		return err
	}
	return t.execOne(ctx, op, qDeleteUnit, org, id)
}

// CreateOrgAccount checks the account, the organization and the parent.
func (t *txn) CreateOrgAccount(ctx context.Context, a store.OrgAccount) error {
	const op = "create organization account"
	data, err := rec.OrgRecord(a)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, a.Account); err != nil {
		return err
	}
	if err := t.requireOrg(ctx, op, a.Org); err != nil {
		return err
	}
	if err := t.requireUnit(ctx, op, a.Org, a.ParentID); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qCreateOrgAcct, a.Account, a.Org, a.ParentID, data)
	return err
}

// UpdateOrgAccount keeps the stored join date.
func (t *txn) UpdateOrgAccount(ctx context.Context, a store.OrgAccount) error {
	const op = "update organization account"
	var data string
	if err := t.get(ctx, op, qGetOrgAcct, []any{a.Org, a.Account}, &data); err != nil {
		return err
	}
	var cur store.OrgAccount
	if err := rec.DecodeOrgRecord(data, &cur); err != nil {
		return err
	}
	if err := t.requireUnit(ctx, op, a.Org, a.ParentID); err != nil {
		return err
	}
	a.Joined = cur.Joined
	data, err := rec.OrgRecord(a)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qUpdateOrgAcct, a.ParentID, data, a.Org, a.Account)
}

// DeleteOrgAccount removes the membership and the account's attachments.
func (t *txn) DeleteOrgAccount(ctx context.Context, org, acct string) error {
	const op = "delete organization account"
	if err := t.execOne(ctx, op, qDeleteOrgAcct, org, acct); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, qDetachTarget, org, acct)
	return err
}

// CreateOrgPolicy checks the organization.
func (t *txn) CreateOrgPolicy(ctx context.Context, p store.OrgPolicy) error {
	const op = "create organization policy"
	data, err := rec.OrgRecord(p)
	if err != nil {
		return err
	}
	if err := t.requireOrg(ctx, op, p.Org); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qCreateOrgPol, p.ID, p.Org, p.Name, data)
	return err
}

// UpdateOrgPolicy replaces the record (its type does not change).
func (t *txn) UpdateOrgPolicy(ctx context.Context, p store.OrgPolicy) error {
	data, err := rec.OrgRecord(p)
	if err != nil {
		return err
	}
	return t.execOne(ctx, "update organization policy", qUpdateOrgPol, p.Name, data, p.Org, p.ID)
}

// DeleteOrgPolicy removes the policy and its attachments.
func (t *txn) DeleteOrgPolicy(ctx context.Context, org, id string) error {
	const op = "delete organization policy"
	if err := t.execOne(ctx, op, qDeleteOrgPol, org, id); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, qDetachPolicy, org, id)
	return err
}

// AttachOrgPolicy returns ErrAlreadyExists for an attached policy.
func (t *txn) AttachOrgPolicy(ctx context.Context, a store.OrgAttachment) error {
	const op = "attach organization policy"
	if err := rec.CheckText("policy id", a.PolicyID, "target id", a.TargetID); err != nil {
		return err
	}
	if err := t.requireOrg(ctx, op, a.Org); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, qAttachOrgPol, a.Org, a.PolicyID, a.TargetID)
	return err
}

// DetachOrgPolicy returns ErrNotFound if the policy is not attached.
func (t *txn) DetachOrgPolicy(ctx context.Context, a store.OrgAttachment) error {
	return t.execOne(ctx, "detach organization policy", qDetachOrgPol, a.Org, a.PolicyID, a.TargetID)
}

// PutCreateAccountStatus upserts; a request id of another organization is
// ErrAlreadyExists.
func (t *txn) PutCreateAccountStatus(ctx context.Context, s store.CreateAccountStatus) error {
	const op = "put create account status"
	data, err := rec.OrgRecord(s)
	if err != nil {
		return err
	}
	if err := t.requireOrg(ctx, op, s.Org); err != nil {
		return err
	}
	var org string
	err = t.get(ctx, op, qOrgRequestOrg, []any{s.ID}, &org)
	switch {
	case err == nil && org != s.Org:
		return fmt.Errorf("sqlite: %s: %w", op, store.ErrAlreadyExists)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	_, err = t.exec(ctx, op, qPutOrgRequest, s.ID, s.Org, data)
	return err
}
