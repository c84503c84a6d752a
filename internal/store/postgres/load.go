package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/warden-iam/warden/internal/store"
)

// LoadAccount reads everything of an account in seven scans, all in the
// caller's transaction (one snapshot).
func (t *txn) LoadAccount(ctx context.Context, acct string) (store.AccountData, error) {
	const op = "load account"
	var d store.AccountData
	a, err := t.GetAccount(ctx, acct)
	if err != nil {
		return d, err
	}
	d.Account = a
	ea := []any{escape(acct)}
	err = t.each(ctx, op, qLoadEntities, ea, func(rows pgx.Rows) error {
		var kind string
		var r entityRow
		if err := rows.Scan(append([]any{&kind}, r.dest()...)...); err != nil {
			return err
		}
		if err := rec.AddEntity(&d, kind, r.Entity); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadMembers, ea, func(rows pgx.Rows) error {
		m := store.Membership{Account: acct}
		if err := rows.Scan(str(&m.UserName), str(&m.GroupName)); err != nil {
			return err
		}
		d.Memberships = append(d.Memberships, m)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadAttachments, ea, func(rows pgx.Rows) error {
		a := store.Attachment{Account: acct}
		var kind string
		if err := rows.Scan(&kind, str(&a.OwnerName), str(&a.PolicyARN)); err != nil {
			return err
		}
		a.OwnerKind = store.EntityKind(kind)
		d.Attachments = append(d.Attachments, a)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadInline, ea, func(rows pgx.Rows) error {
		p := store.InlinePolicy{Account: acct}
		var kind string
		if err := rows.Scan(&kind, str(&p.OwnerName), str(&p.Name), str(&p.Document)); err != nil {
			return err
		}
		p.OwnerKind = store.EntityKind(kind)
		d.InlinePolicies = append(d.InlinePolicies, p)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadVersions, ea, func(rows pgx.Rows) error {
		v := store.PolicyVersion{Account: acct}
		if err := rows.Scan(str(&v.PolicyName), str(&v.VersionID), str(&v.Document), tm(&v.CreateDate)); err != nil {
			return err
		}
		d.PolicyVersions = append(d.PolicyVersions, v)
		return nil
	})
	if err != nil {
		return d, err
	}
	err = t.each(ctx, op, qLoadKeys, ea, func(rows pgx.Rows) error {
		k, err := scanAccessKey(rows)
		if err != nil {
			return err
		}
		d.AccessKeys = append(d.AccessKeys, k)
		return nil
	})
	return d, err
}
