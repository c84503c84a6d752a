package sqlite

import (
	"context"
	"database/sql"

	"github.com/warden-iam/warden/internal/store"
)

// certCols are entityCols for a server certificate: no reference column.
const certCols = `c.pk, c.account, c.name, c.name_lower, c.path, c.id, c.created, '', c.data`

const sshKeyCols = `k.account, k.id, e.name, k.body, k.fingerprint, k.status, k.created`

const serviceCredCols = `c.account, c.id, e.name, c.service_name, c.service_user_name, c.sealed_secret,
	c.status, c.created, c.expiration`

var (
	qDeleteCertsOf = stmt(`DELETE FROM server_certificates WHERE account = ?1`)
	qGetCert       = stmt(`SELECT ` + certCols + `, c.body, c.chain, c.sealed_key FROM server_certificates c
		WHERE c.account = ?1 AND c.name_lower = ?2`)
	// ?1 account, ?2 prefix byte length, ?3 prefix, ?4 marker flag, ?5
	// marker, ?6 limit; the prefix is compared as bytes, as in qListByKind.
	qListCerts = stmt(`SELECT ` + certCols + ` FROM server_certificates c
		WHERE c.account = ?1 AND substr(CAST(c.path AS BLOB), 1, ?2) = CAST(?3 AS BLOB)
		  AND (?4 = 0 OR c.name_lower > ?5)
		ORDER BY c.name_lower, c.name
		LIMIT ?6`)
	qCreateCert = stmt(`INSERT INTO server_certificates
		(account, name, name_lower, path, id, created, body, chain, sealed_key, data)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`)
	qUpdateCert = stmt(`UPDATE server_certificates SET name = ?1, name_lower = ?2, path = ?3, data = ?4
		WHERE account = ?5 AND name_lower = ?6`)
	qDeleteCert = stmt(`DELETE FROM server_certificates WHERE account = ?1 AND name_lower = ?2`)

	qGetSSHKey = stmt(`SELECT ` + sshKeyCols + ` FROM ssh_public_keys k JOIN entities e ON e.pk = k.user_pk
		WHERE k.account = ?1 AND k.id = ?2`)
	qUserSSHKeys = stmt(`SELECT ` + sshKeyCols + ` FROM ssh_public_keys k JOIN entities e ON e.pk = k.user_pk
		WHERE k.user_pk = ?1 ORDER BY k.created, k.id`)
	qCreateSSHKey = stmt(`INSERT INTO ssh_public_keys (account, id, user_pk, body, fingerprint, status, created)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`)
	qUpdateSSHKey = stmt(`UPDATE ssh_public_keys SET status = ?1 WHERE account = ?2 AND id = ?3`)
	qDeleteSSHKey = stmt(`DELETE FROM ssh_public_keys WHERE account = ?1 AND id = ?2`)

	qGetServiceCred = stmt(`SELECT ` + serviceCredCols + ` FROM service_credentials c JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = ?1 AND c.id = ?2`)
	qUserServiceCreds = stmt(`SELECT ` + serviceCredCols + ` FROM service_credentials c JOIN entities e ON e.pk = c.user_pk
		WHERE c.user_pk = ?1 ORDER BY c.created, c.id`)
	qAccountServiceCreds = stmt(`SELECT ` + serviceCredCols + ` FROM service_credentials c JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = ?1 ORDER BY e.name_lower, e.name, c.created, c.id`)
	qCreateServiceCred = stmt(`INSERT INTO service_credentials
		(account, id, user_pk, service_name, service_user_name, sealed_secret, status, created, expiration)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`)
	qUpdateServiceCred = stmt(`UPDATE service_credentials SET status = ?1, sealed_secret = ?2 WHERE account = ?3 AND id = ?4`)
	qDeleteServiceCred = stmt(`DELETE FROM service_credentials WHERE account = ?1 AND id = ?2`)
)

// ---- server certificates ----

// GetServerCertificate matches name case-insensitively.
func (t *txn) GetServerCertificate(ctx context.Context, acct, name string) (store.ServerCertificate, error) {
	var (
		r           entityRow
		body, chain string
		key         []byte
	)
	err := t.scanOne(ctx, "get server certificate", qGetCert, []any{acct, fold(name)}, func(row *sql.Row) error {
		var created string
		if err := row.Scan(&r.pk, &r.Account, &r.Name, &r.NameLower, &r.Path, &r.ID, &created, &r.Ref, &r.Data,
			&body, &chain, &key); err != nil {
			return err
		}
		var err error
		r.Created, err = decodeTime(created)
		return err
	})
	if err != nil {
		return store.ServerCertificate{}, err
	}
	c, err := rec.ServerCertificate(r.Entity)
	if err != nil {
		return store.ServerCertificate{}, err
	}
	c.Body, c.Chain, c.SealedKey = body, chain, key
	return c, nil
}

// ListServerCertificates compares the path prefix as bytes.
func (t *txn) ListServerCertificates(ctx context.Context, acct, pathPrefix string, p store.PageRequest) (store.Page[store.ServerCertificate], error) {
	return page(ctx, t, "list server certificates", qListCerts, []any{acct, len(pathPrefix), pathPrefix}, p, rec.ServerCertificate)
}

// CreateServerCertificate returns ErrNotFound if the account is absent and
// ErrAlreadyExists for a taken name.
func (t *txn) CreateServerCertificate(ctx context.Context, c store.ServerCertificate) error {
	const op = "create server certificate"
	w, err := rec.ServerCertificateEntity(c)
	if err != nil {
		return err
	}
	created, err := encodeTime(w.Created)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, c.Account); err != nil {
		return err
	}
	key := c.SealedKey
	if key == nil {
		key = []byte{}
	}
	_, err = t.exec(ctx, op, qCreateCert, w.Account, w.Name, w.NameLower, w.Path, w.ID, created, c.Body, c.Chain, key, w.Data)
	return err
}

// UpdateServerCertificate renames, moves and retags the certificate name.
func (t *txn) UpdateServerCertificate(ctx context.Context, name string, c store.ServerCertificate) error {
	w, err := rec.ServerCertificateEntity(c)
	if err != nil {
		return err
	}
	return t.execOne(ctx, "update server certificate", qUpdateCert, w.Name, w.NameLower, w.Path, w.Data, w.Account, fold(name))
}

// DeleteServerCertificate returns ErrNotFound if absent.
func (t *txn) DeleteServerCertificate(ctx context.Context, acct, name string) error {
	return t.execOne(ctx, "delete server certificate", qDeleteCert, acct, fold(name))
}

// ---- SSH public keys ----

func scanSSHKey(rows interface{ Scan(...any) error }) (store.SSHPublicKey, error) {
	var k store.SSHPublicKey
	var status, created string
	if err := rows.Scan(&k.Account, &k.ID, &k.UserName, &k.Body, &k.Fingerprint, &status, &created); err != nil {
		return k, err
	}
	k.Status = store.AccessKeyStatus(status)
	var err error
	k.UploadDate, err = decodeTime(created)
	return k, err
}

// GetSSHPublicKey returns ErrNotFound if the account has no key id.
func (t *txn) GetSSHPublicKey(ctx context.Context, acct, id string) (store.SSHPublicKey, error) {
	var k store.SSHPublicKey
	err := t.scanOne(ctx, "get SSH public key", qGetSSHKey, []any{acct, id}, func(row *sql.Row) error {
		var err error
		k, err = scanSSHKey(row)
		return err
	})
	return k, err
}

// ListSSHPublicKeys returns ErrNotFound if the user is absent.
func (t *txn) ListSSHPublicKeys(ctx context.Context, acct, user string) ([]store.SSHPublicKey, error) {
	const op = "list SSH public keys"
	pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
	if err != nil {
		return nil, err
	}
	var out []store.SSHPublicKey
	err = t.each(ctx, op, qUserSSHKeys, []any{pk}, func(rows *sql.Rows) error {
		k, err := scanSSHKey(rows)
		out = append(out, k)
		return err
	})
	return out, err
}

// CreateSSHPublicKey returns ErrNotFound if the user is absent and
// ErrAlreadyExists for a taken id.
func (t *txn) CreateSSHPublicKey(ctx context.Context, k store.SSHPublicKey) error {
	const op = "create SSH public key"
	if err := rec.CheckSSHPublicKey(k); err != nil {
		return err
	}
	created, err := encodeTime(k.UploadDate)
	if err != nil {
		return err
	}
	pk, _, err := t.pkOf(ctx, op+": user", k.Account, store.KindUser, k.UserName)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qCreateSSHKey, k.Account, k.ID, pk, k.Body, k.Fingerprint, string(k.Status), created)
	return err
}

// UpdateSSHPublicKey sets the status of key k.ID.
func (t *txn) UpdateSSHPublicKey(ctx context.Context, k store.SSHPublicKey) error {
	if err := rec.CheckSSHPublicKey(k); err != nil {
		return err
	}
	return t.execOne(ctx, "update SSH public key", qUpdateSSHKey, string(k.Status), k.Account, k.ID)
}

// DeleteSSHPublicKey returns ErrNotFound if absent.
func (t *txn) DeleteSSHPublicKey(ctx context.Context, acct, id string) error {
	return t.execOne(ctx, "delete SSH public key", qDeleteSSHKey, acct, id)
}

// ---- service-specific credentials ----

func scanServiceCred(rows interface{ Scan(...any) error }) (store.ServiceCredential, error) {
	var c store.ServiceCredential
	var status, created, expiration string
	if err := rows.Scan(&c.Account, &c.ID, &c.UserName, &c.ServiceName, &c.ServiceUserName, &c.SealedSecret,
		&status, &created, &expiration); err != nil {
		return c, err
	}
	c.Status = store.AccessKeyStatus(status)
	if len(c.SealedSecret) == 0 {
		c.SealedSecret = nil
	}
	var err error
	if c.CreateDate, err = decodeTime(created); err != nil {
		return c, err
	}
	c.Expiration, err = decodeTime(expiration)
	return c, err
}

// GetServiceCredential returns ErrNotFound if the account has no
// credential id.
func (t *txn) GetServiceCredential(ctx context.Context, acct, id string) (store.ServiceCredential, error) {
	var c store.ServiceCredential
	err := t.scanOne(ctx, "get service credential", qGetServiceCred, []any{acct, id}, func(row *sql.Row) error {
		var err error
		c, err = scanServiceCred(row)
		return err
	})
	return c, err
}

// ListServiceCredentials lists one user's credentials, or with user ""
// the account's.
func (t *txn) ListServiceCredentials(ctx context.Context, acct, user string) ([]store.ServiceCredential, error) {
	const op = "list service credentials"
	query, args := qAccountServiceCreds, []any{acct}
	if user != "" {
		pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
		if err != nil {
			return nil, err
		}
		query, args = qUserServiceCreds, []any{pk}
	}
	var out []store.ServiceCredential
	err := t.each(ctx, op, query, args, func(rows *sql.Rows) error {
		c, err := scanServiceCred(rows)
		out = append(out, c)
		return err
	})
	return out, err
}

// CreateServiceCredential returns ErrNotFound if the user is absent and
// ErrAlreadyExists for a taken id.
func (t *txn) CreateServiceCredential(ctx context.Context, c store.ServiceCredential) error {
	const op = "create service credential"
	if err := rec.CheckServiceCredential(c); err != nil {
		return err
	}
	created, err := encodeTime(c.CreateDate)
	if err != nil {
		return err
	}
	expiration, err := encodeTime(c.Expiration)
	if err != nil {
		return err
	}
	pk, _, err := t.pkOf(ctx, op+": user", c.Account, store.KindUser, c.UserName)
	if err != nil {
		return err
	}
	secret := c.SealedSecret
	if secret == nil {
		secret = []byte{}
	}
	_, err = t.exec(ctx, op, qCreateServiceCred, c.Account, c.ID, pk, c.ServiceName, c.ServiceUserName, secret,
		string(c.Status), created, expiration)
	return err
}

// UpdateServiceCredential sets the status and sealed secret of c.ID.
func (t *txn) UpdateServiceCredential(ctx context.Context, c store.ServiceCredential) error {
	if err := rec.CheckServiceCredential(c); err != nil {
		return err
	}
	secret := c.SealedSecret
	if secret == nil {
		secret = []byte{}
	}
	return t.execOne(ctx, "update service credential", qUpdateServiceCred, string(c.Status), secret, c.Account, c.ID)
}

// DeleteServiceCredential returns ErrNotFound if absent.
func (t *txn) DeleteServiceCredential(ctx context.Context, acct, id string) error {
	return t.execOne(ctx, "delete service credential", qDeleteServiceCred, acct, id)
}
