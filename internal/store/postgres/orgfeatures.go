package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/warden-iam/warden/internal/store"
)

const (
	qOrgFeatures    = `SELECT name FROM org_features WHERE org = $1 ORDER BY name`
	qEnableFeature  = `INSERT INTO org_features (org, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`
	qDisableFeature = `DELETE FROM org_features WHERE org = $1 AND name = $2`
)

// OrgFeatures returns the organization's enabled features, sorted.
func (t *txn) OrgFeatures(ctx context.Context, org string) ([]string, error) {
	var out []string
	err := t.each(ctx, "list organization features", qOrgFeatures, []any{escape(org)}, func(rows pgx.Rows) error {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		name, err := unescape(name)
		if err != nil {
			return err
		}
		out = append(out, name)
		return nil
	})
	return out, err
}

// SetOrgFeature enables or disables a feature of an existing organization.
func (t *txn) SetOrgFeature(ctx context.Context, org, name string, on bool) error {
	const op = "set organization feature"
	if err := t.requireOrg(ctx, op, org); err != nil {
		return err
	}
	q := qDisableFeature
	if on {
		q = qEnableFeature
	}
	_, err := t.execSafe(ctx, op, q, escape(org), escape(name))
	return err
}

var _ store.OrgFeatureWriter = (*txn)(nil)
