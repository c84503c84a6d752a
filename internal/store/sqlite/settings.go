package sqlite

import (
	"context"
	"database/sql"
	"maps"
	"slices"
)

// ---- account settings ----

var (
	qListSettings   = stmt(`SELECT name, value FROM account_settings WHERE account = ?1`)
	qPutSetting     = stmt(`INSERT INTO account_settings (account, name, value) VALUES (?1, ?2, ?3) ON CONFLICT (account, name) DO UPDATE SET value = excluded.value`)
	qDeleteSetting  = stmt(`DELETE FROM account_settings WHERE account = ?1 AND name = ?2`)
	qDeleteSettings = stmt(`DELETE FROM account_settings WHERE account = ?1`)
)

// GetAccountSettings returns an empty map for an account without settings.
func (t *txn) GetAccountSettings(ctx context.Context, acct string) (map[string]string, error) {
	out := map[string]string{}
	err := t.each(ctx, "get account settings", qListSettings, []any{acct}, func(rows *sql.Rows) error {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
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
			_, err = t.exec(ctx, op, qDeleteSetting, acct, name)
		} else {
			_, err = t.exec(ctx, op, qPutSetting, acct, name, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
