package sqlite

import (
	"context"
	"database/sql"

	"github.com/warden-iam/warden/internal/store"
)

var (
	qOrgFeatures    = stmt(`SELECT name FROM org_features WHERE org = ?1 ORDER BY name`)
	qEnableFeature  = stmt(`INSERT INTO org_features (org, name) VALUES (?1, ?2) ON CONFLICT DO NOTHING`)
	qDisableFeature = stmt(`DELETE FROM org_features WHERE org = ?1 AND name = ?2`)
)

// OrgFeatures returns the organization's enabled features, sorted.
func (t *txn) OrgFeatures(ctx context.Context, org string) ([]string, error) {
	var out []string
	err := t.each(ctx, "list organization features", qOrgFeatures, []any{org}, func(rows *sql.Rows) error {
		var name string
		if err := rows.Scan(&name); err != nil {
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
	_, err := t.exec(ctx, op, q, org, name)
	return err
}

var _ store.OrgFeatureWriter = (*txn)(nil)
