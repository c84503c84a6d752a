package sqlite

import (
	"context"
	"database/sql"

	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/store/internal/record"
)

// LoadAccount reads everything of an account in six scans.
func (t *txn) LoadAccount(ctx context.Context, acct string) (store.AccountData, error) {
	const op = "load account"
	var d store.AccountData
	a, err := t.GetAccount(ctx, acct)
	if err != nil {
		return d, err
	}
	d.Account = a
	err = t.each(ctx, op, qLoadEntities, []any{acct}, func(rows *sql.Rows) error {
		var kind string
		var e record.Entity
		var created string
		if err := rows.Scan(&kind, new(int64), &e.Account, &e.Name, &e.NameLower, &e.Path, &e.ID, &created, &e.Ref, &e.Data); err != nil {
			return err
		}
		if e.Created, err = decodeTime(created); err != nil {
			return err
		}
		if err := rec.AddEntity(&d, kind, e); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadMembers, []any{acct}, func(rows *sql.Rows) error {
		m := store.Membership{Account: acct}
		if err := rows.Scan(&m.UserName, &m.GroupName); err != nil {
			return err
		}
		d.Memberships = append(d.Memberships, m)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadAttachments, []any{acct}, func(rows *sql.Rows) error {
		a := store.Attachment{Account: acct}
		var kind string
		if err := rows.Scan(&kind, &a.OwnerName, &a.PolicyARN); err != nil {
			return err
		}
		a.OwnerKind = store.EntityKind(kind)
		d.Attachments = append(d.Attachments, a)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadInline, []any{acct}, func(rows *sql.Rows) error {
		p := store.InlinePolicy{Account: acct}
		var kind string
		if err := rows.Scan(&kind, &p.OwnerName, &p.Name, &p.Document); err != nil {
			return err
		}
		p.OwnerKind = store.EntityKind(kind)
		d.InlinePolicies = append(d.InlinePolicies, p)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadVersions, []any{acct}, func(rows *sql.Rows) error {
		v := store.PolicyVersion{Account: acct}
		var created string
		if err := rows.Scan(&v.PolicyName, &v.VersionID, &v.Document, &created); err != nil {
			return err
		}
		var err error
		if v.CreateDate, err = decodeTime(created); err != nil {
			return err
		}
		d.PolicyVersions = append(d.PolicyVersions, v)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadKeys, []any{acct}, func(rows *sql.Rows) error {
		k, err := scanAccessKey(rows)
		if err != nil {
			return err
		}
		d.AccessKeys = append(d.AccessKeys, k)
		return nil
	})
	return d, err
}
