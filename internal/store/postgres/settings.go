package postgres

import (
	"context"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"
)

// ---- account settings ----

const (
	qListSettings   = `SELECT name, value FROM account_settings WHERE account = $1`
	qPutSetting     = `INSERT INTO account_settings (account, name, value) VALUES ($1, $2, $3) ON CONFLICT (account, name) DO UPDATE SET value = excluded.value`
	qDeleteSetting  = `DELETE FROM account_settings WHERE account = $1 AND name = $2`
	qDeleteSettings = `DELETE FROM account_settings WHERE account = $1`
)

// GetAccountSettings returns an empty map for an account without settings.
func (t *txn) GetAccountSettings(ctx context.Context, acct string) (map[string]string, error) {
	out := map[string]string{}
	err := t.each(ctx, "get account settings", qListSettings, []any{escape(acct)}, func(rows pgx.Rows) error {
		var name, value string
		if err := rows.Scan(str(&name), str(&value)); err != nil {
			return err
		}
		out[name] = value
		return nil
	})
	return out, err
}

// PutAccountSettings writes the settings in name order; "" deletes one.
func (t *txn) PutAccountSettings(ctx context.Context, acct string, set map[string]string) error {
	const op = "put account settings"
	if err := t.requireAccount(ctx, op, acct); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(set)) {
		var err error
		if v := set[name]; v == "" {
			_, err = t.exec(ctx, op, qDeleteSetting, escape(acct), escape(name))
		} else {
			_, err = t.exec(ctx, op, qPutSetting, escape(acct), escape(name), escape(v))
		}
		if err != nil {
			return err
		}
	}
	return nil
}
