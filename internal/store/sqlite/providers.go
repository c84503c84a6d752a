package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/warden-iam/warden/internal/store"
)

// ---- OIDC providers ----

func toOIDC(acct, url, created, data string) (store.OIDCProvider, error) {
	ct, err := decodeTime(created)
	if err != nil {
		return store.OIDCProvider{}, err
	}
	return rec.OIDC(acct, url, ct, data)
}

func oidcWrite(p store.OIDCProvider) (created, data string, err error) {
	if data, err = rec.OIDCData(p); err != nil {
		return "", "", err
	}
	if created, err = encodeTime(p.CreateDate); err != nil {
		return "", "", err
	}
	return created, data, nil
}

// GetOIDCProvider matches the URL exactly (case-sensitively).
func (t *txn) GetOIDCProvider(ctx context.Context, acct, url string) (store.OIDCProvider, error) {
	var created, data string
	if err := t.get(ctx, "get OIDC provider", qGetOIDC, []any{acct, url}, &created, &data); err != nil {
		return store.OIDCProvider{}, err
	}
	return toOIDC(acct, url, created, data)
}

// ListOIDCProviders orders by URL as bytes.
func (t *txn) ListOIDCProviders(ctx context.Context, acct string) ([]store.OIDCProvider, error) {
	var out []store.OIDCProvider
	err := t.each(ctx, "list OIDC providers", qListOIDC, []any{acct}, func(rows *sql.Rows) error {
		var url, created, data string
		if err := rows.Scan(&url, &created, &data); err != nil {
			return err
		}
		p, err := toOIDC(acct, url, created, data)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// CreateOIDCProvider returns ErrNotFound if the account does not exist and
// ErrAlreadyExists if it has a provider with p.URL.
func (t *txn) CreateOIDCProvider(ctx context.Context, p store.OIDCProvider) error {
	const op = "create OIDC provider"
	created, data, err := oidcWrite(p)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, p.Account); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qCreateOIDC, p.Account, p.URL, created, data)
	return err
}

// UpdateOIDCProvider finds the provider by p.Account and p.URL and
// replaces every other field (the create date too).
func (t *txn) UpdateOIDCProvider(ctx context.Context, p store.OIDCProvider) error {
	created, data, err := oidcWrite(p)
	if err != nil {
		return err
	}
	return t.execOne(ctx, "update OIDC provider", qUpdateOIDC, created, data, p.Account, p.URL)
}

// DeleteOIDCProvider returns ErrNotFound if there is no such provider.
func (t *txn) DeleteOIDCProvider(ctx context.Context, acct, url string) error {
	return t.execOne(ctx, "delete OIDC provider", qDeleteOIDC, acct, url)
}

// ---- SAML providers ----

func scanSAML(rows interface{ Scan(...any) error }) (store.SAMLProvider, error) {
	var p store.SAMLProvider
	var created, validUntil, data string
	if err := rows.Scan(&p.Account, &p.Name, &p.Metadata, &created, &validUntil, &data); err != nil {
		return p, err
	}
	var err error
	if p.Tags, err = rec.SAMLTags(p.Name, data); err != nil {
		return p, err
	}
	if p.CreateDate, err = decodeTime(created); err != nil {
		return p, err
	}
	if p.ValidUntil, err = decodeTime(validUntil); err != nil {
		return p, err
	}
	return p, nil
}

func samlWrite(p store.SAMLProvider) (created, validUntil, data string, err error) {
	if data, err = rec.SAMLData(p); err != nil {
		return "", "", "", err
	}
	if created, err = encodeTime(p.CreateDate); err != nil {
		return "", "", "", err
	}
	if validUntil, err = encodeTime(p.ValidUntil); err != nil {
		return "", "", "", err
	}
	return created, validUntil, data, nil
}

// GetSAMLProvider matches the name case-insensitively and returns it in
// its stored case.
func (t *txn) GetSAMLProvider(ctx context.Context, acct, name string) (store.SAMLProvider, error) {
	var p store.SAMLProvider
	err := t.scanOne(ctx, "get SAML provider", qGetSAML, []any{acct, fold(name)}, func(row *sql.Row) error {
		var err error
		p, err = scanSAML(row)
		return err
	})
	if err != nil {
		return store.SAMLProvider{}, err
	}
	return p, nil
}

// ListSAMLProviders orders by lower-cased name, as the entity lists do.
func (t *txn) ListSAMLProviders(ctx context.Context, acct string) ([]store.SAMLProvider, error) {
	var out []store.SAMLProvider
	err := t.each(ctx, "list SAML providers", qListSAML, []any{acct}, func(rows *sql.Rows) error {
		p, err := scanSAML(rows)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// CreateSAMLProvider returns ErrNotFound if the account does not exist and
// ErrAlreadyExists if it has a provider of that name (case-insensitively).
func (t *txn) CreateSAMLProvider(ctx context.Context, p store.SAMLProvider) error {
	const op = "create SAML provider"
	created, validUntil, data, err := samlWrite(p)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, p.Account); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qCreateSAML,
		p.Account, p.Name, fold(p.Name), p.Metadata, created, validUntil, data)
	return err
}

// UpdateSAMLProvider finds the provider by p.Account and p.Name (case-
// insensitively) and replaces every other field; the name takes p.Name's
// case. ErrNotFound if there is no such provider.
func (t *txn) UpdateSAMLProvider(ctx context.Context, p store.SAMLProvider) error {
	created, validUntil, data, err := samlWrite(p)
	if err != nil {
		return err
	}
	return t.execOne(ctx, "update SAML provider", qUpdateSAML,
		p.Name, p.Metadata, created, validUntil, data, p.Account, fold(p.Name))
}

// DeleteSAMLProvider matches the name case-insensitively; ErrNotFound if
// there is no such provider.
func (t *txn) DeleteSAMLProvider(ctx context.Context, acct, name string) error {
	return t.execOne(ctx, "delete SAML provider", qDeleteSAML, acct, fold(name))
}

// ---- service keys ----

// ListServiceKeys returns the purpose's keys oldest first, then by id.
func (t *txn) ListServiceKeys(ctx context.Context, purpose string) ([]store.ServiceKey, error) {
	var out []store.ServiceKey
	err := t.each(ctx, "list service keys", qListServiceKeys, []any{purpose}, func(rows *sql.Rows) error {
		k := store.ServiceKey{Purpose: purpose}
		var created string
		if err := rows.Scan(&k.ID, &k.Sealed, &created); err != nil {
			return err
		}
		if len(k.Sealed) == 0 {
			k.Sealed = nil
		}
		var err error
		if k.CreateDate, err = decodeTime(created); err != nil {
			return err
		}
		out = append(out, k)
		return nil
	})
	return out, err
}

// CreateServiceKey returns ErrAlreadyExists if the purpose has k.ID.
func (t *txn) CreateServiceKey(ctx context.Context, k store.ServiceKey) error {
	if err := rec.CheckText("service key id", k.ID, "purpose", k.Purpose); err != nil {
		return err
	}
	created, err := encodeTime(k.CreateDate)
	if err != nil {
		return err
	}
	sealed := k.Sealed
	if sealed == nil {
		sealed = []byte{}
	}
	_, err = t.exec(ctx, "create service key", qCreateServiceKey, k.Purpose, k.ID, sealed, created)
	return err
}

// ---- SAML assertion ids ----

// UseAssertionID first removes every record that expired at or before
// now (so a record is live while now < expires), then records id; a live
// record of id is a replay, ErrAlreadyExists (a constraint violation,
// which leaves the transaction usable).
func (t *txn) UseAssertionID(ctx context.Context, id string, now, expires time.Time) error {
	const op = "use assertion id"
	if err := rec.CheckText("assertion id", id); err != nil {
		return err
	}
	n, err := encodeTime(now)
	if err != nil {
		return err
	}
	e, err := encodeTime(expires)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, op, qExpireAssertions, n); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qUseAssertion, id, e)
	return err
}
