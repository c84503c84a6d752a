package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/warden-iam/warden/internal/store"
)

const (
	qOrgFeatures    = `SELECT name, enabled FROM org_features WHERE org = $1 ORDER BY name`
	qEnableFeature  = `INSERT INTO org_features (org, name, enabled) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	qDisableFeature = `DELETE FROM org_features WHERE org = $1 AND name = $2`
)

// OrgFeatures returns the organization's enabled features, sorted.
func (t *txn) OrgFeatures(ctx context.Context, org string) ([]store.OrgFeature, error) {
	var out []store.OrgFeature
	err := t.each(ctx, "list organization features", qOrgFeatures, []any{escape(org)}, func(rows pgx.Rows) error {
		var f store.OrgFeature
		if err := rows.Scan(str(&f.Name), tm(&f.Enabled)); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// SetOrgFeature enables or disables a feature of an existing organization.
func (t *txn) SetOrgFeature(ctx context.Context, org, name string, on bool, at time.Time) error {
	const op = "set organization feature"
	if err := t.requireOrg(ctx, op, org); err != nil {
		return err
	}
	if !on {
		_, err := t.execSafe(ctx, op, qDisableFeature, escape(org), escape(name))
		return err
	}
	enabled, err := timeArg(at)
	if err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qEnableFeature, escape(org), escape(name), enabled)
	return err
}

var _ store.OrgFeatureWriter = (*txn)(nil)
