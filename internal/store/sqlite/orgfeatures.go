package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/warden-iam/warden/internal/store"
)

var (
	qOrgFeatures    = stmt(`SELECT name, enabled FROM org_features WHERE org = ?1 ORDER BY name`)
	qEnableFeature  = stmt(`INSERT INTO org_features (org, name, enabled) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING`)
	qDisableFeature = stmt(`DELETE FROM org_features WHERE org = ?1 AND name = ?2`)
)

// OrgFeatures returns the organization's enabled features, sorted.
func (t *txn) OrgFeatures(ctx context.Context, org string) ([]store.OrgFeature, error) {
	var out []store.OrgFeature
	err := t.each(ctx, "list organization features", qOrgFeatures, []any{org}, func(rows *sql.Rows) error {
		var f store.OrgFeature
		var enabled string
		if err := rows.Scan(&f.Name, &enabled); err != nil {
			return err
		}
		if enabled != "" {
			at, err := decodeTime(enabled)
			if err != nil {
				return err
			}
			f.Enabled = at
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
		_, err := t.exec(ctx, op, qDisableFeature, org, name)
		return err
	}
	enabled := ""
	if !at.IsZero() {
		var err error
		if enabled, err = encodeTime(at); err != nil {
			return err
		}
	}
	_, err := t.exec(ctx, op, qEnableFeature, org, name, enabled)
	return err
}

var _ store.OrgFeatureWriter = (*txn)(nil)
