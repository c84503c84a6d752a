package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/warden-iam/warden/internal/store"
)

// ---- login profiles, password policies, signing certificates, credential reports ----

// signingCertCols gives the user's current name, "" for the root user's.
const signingCertCols = `c.account, c.id, coalesce(e.name, ''), c.body, c.status, c.uploaded`

var (
	qGetLogin = stmt(`SELECT e.name, l.hash, l.reset_required, l.created, l.changed, l.history
		FROM login_profiles l JOIN entities e ON e.pk = l.user_pk WHERE l.user_pk = ?1`)
	qPutLogin = stmt(`INSERT INTO login_profiles (user_pk, account, hash, reset_required, created, changed, history)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
		ON CONFLICT (user_pk) DO UPDATE SET hash = ?3, reset_required = ?4, created = ?5, changed = ?6, history = ?7`)
	qDeleteLogin = stmt(`DELETE FROM login_profiles WHERE user_pk = ?1`)

	qGetPasswordPolicy = stmt(`SELECT min_length, require_symbols, require_numbers, require_uppercase,
		require_lowercase, allow_change, max_age, reuse_prevention, hard_expiry
		FROM password_policies WHERE account = ?1`)
	qPutPasswordPolicy = stmt(`INSERT INTO password_policies (account, min_length, require_symbols,
		require_numbers, require_uppercase, require_lowercase, allow_change, max_age, reuse_prevention, hard_expiry)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
		ON CONFLICT (account) DO UPDATE SET min_length = ?2, require_symbols = ?3, require_numbers = ?4,
		require_uppercase = ?5, require_lowercase = ?6, allow_change = ?7, max_age = ?8,
		reuse_prevention = ?9, hard_expiry = ?10`)
	qDeletePasswordPolicy = stmt(`DELETE FROM password_policies WHERE account = ?1`)

	qGetSigningCert = stmt(`SELECT ` + signingCertCols + ` FROM signing_certificates c LEFT JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = ?1 AND c.id = ?2`)
	qUserSigningCerts = stmt(`SELECT ` + signingCertCols + ` FROM signing_certificates c JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = ?1 AND c.user_pk = ?2 ORDER BY c.uploaded, c.id`)
	qRootSigningCerts = stmt(`SELECT ` + signingCertCols + ` FROM signing_certificates c LEFT JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = ?1 AND c.user_pk IS NULL ORDER BY c.uploaded, c.id`)
	qCreateSigningCert = stmt(`INSERT INTO signing_certificates (account, id, user_pk, body, status, uploaded)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6)`)
	qUpdateSigningCert = stmt(`UPDATE signing_certificates SET status = ?3 WHERE account = ?1 AND id = ?2`)
	qDeleteSigningCert = stmt(`DELETE FROM signing_certificates WHERE account = ?1 AND id = ?2`)

	qGetReport = stmt(`SELECT generated, content FROM credential_reports WHERE account = ?1`)
	qPutReport = stmt(`INSERT INTO credential_reports (account, generated, content) VALUES (?1, ?2, ?3)
		ON CONFLICT (account) DO UPDATE SET generated = ?2, content = ?3`)

	// Run by DeleteAccountData; login profiles and users' certificates go
	// with their users.
	qDeletePasswordPolicyOf = stmt(`DELETE FROM password_policies WHERE account = ?1`)
	qDeleteSigningCertsOf   = stmt(`DELETE FROM signing_certificates WHERE account = ?1`)
	qDeleteReportOf         = stmt(`DELETE FROM credential_reports WHERE account = ?1`)
)

// GetLoginProfile matches the user name case-insensitively; UserName is
// the user's current name.
func (t *txn) GetLoginProfile(ctx context.Context, acct, user string) (store.LoginProfile, error) {
	const op = "get login profile"
	pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
	if err != nil {
		return store.LoginProfile{}, err
	}
	p := store.LoginProfile{Account: acct}
	var created, changed, history string
	if err := t.get(ctx, op, qGetLogin, []any{pk},
		&p.UserName, &p.PasswordHash, &p.PasswordResetRequired, &created, &changed, &history); err != nil {
		return store.LoginProfile{}, err
	}
	if p.CreateDate, err = decodeTime(created); err != nil {
		return store.LoginProfile{}, err
	}
	if p.PasswordChanged, err = decodeTime(changed); err != nil {
		return store.LoginProfile{}, err
	}
	if err := json.Unmarshal([]byte(history), &p.History); err != nil {
		return store.LoginProfile{}, fmt.Errorf("sqlite: %s: history: %w", op, err)
	}
	return p, nil
}

// PutLoginProfile returns ErrNotFound if the user is absent.
func (t *txn) PutLoginProfile(ctx context.Context, p store.LoginProfile) error {
	const op = "put login profile"
	created, err := encodeTime(p.CreateDate)
	if err != nil {
		return err
	}
	changed, err := encodeTime(p.PasswordChanged)
	if err != nil {
		return err
	}
	history := p.History
	if history == nil {
		history = []string{}
	}
	hist, err := json.Marshal(history)
	if err != nil {
		return err
	}
	pk, _, err := t.pkOf(ctx, op+": user", p.Account, store.KindUser, p.UserName)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qPutLogin, pk, p.Account, p.PasswordHash, p.PasswordResetRequired, created, changed, string(hist))
	return err
}

// DeleteLoginProfile returns ErrNotFound if the user or profile is absent.
func (t *txn) DeleteLoginProfile(ctx context.Context, acct, user string) error {
	const op = "delete login profile"
	pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qDeleteLogin, pk)
}

// GetPasswordPolicy returns ErrNotFound if the account has none.
func (t *txn) GetPasswordPolicy(ctx context.Context, acct string) (store.PasswordPolicy, error) {
	p := store.PasswordPolicy{Account: acct}
	err := t.get(ctx, "get password policy", qGetPasswordPolicy, []any{acct},
		&p.MinimumPasswordLength, &p.RequireSymbols, &p.RequireNumbers, &p.RequireUppercaseCharacters,
		&p.RequireLowercaseCharacters, &p.AllowUsersToChangePassword, &p.MaxPasswordAge,
		&p.PasswordReusePrevention, &p.HardExpiry)
	if err != nil {
		return store.PasswordPolicy{}, err
	}
	return p, nil
}

// PutPasswordPolicy returns ErrNotFound if the account is absent.
func (t *txn) PutPasswordPolicy(ctx context.Context, p store.PasswordPolicy) error {
	const op = "put password policy"
	if err := t.requireAccount(ctx, op, p.Account); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, qPutPasswordPolicy, p.Account, p.MinimumPasswordLength, p.RequireSymbols,
		p.RequireNumbers, p.RequireUppercaseCharacters, p.RequireLowercaseCharacters,
		p.AllowUsersToChangePassword, p.MaxPasswordAge, p.PasswordReusePrevention, p.HardExpiry)
	return err
}

// DeletePasswordPolicy returns ErrNotFound if the account has none.
func (t *txn) DeletePasswordPolicy(ctx context.Context, acct string) error {
	return t.execOne(ctx, "delete password policy", qDeletePasswordPolicy, acct)
}

func scanCert(rows interface{ Scan(...any) error }) (store.SigningCertificate, error) {
	var c store.SigningCertificate
	var status, uploaded string
	if err := rows.Scan(&c.Account, &c.ID, &c.UserName, &c.Body, &status, &uploaded); err != nil {
		return c, err
	}
	c.Status = store.AccessKeyStatus(status)
	var err error
	c.UploadDate, err = decodeTime(uploaded)
	return c, err
}

// GetSigningCertificate matches the id exactly; UserName is the user's
// current name.
func (t *txn) GetSigningCertificate(ctx context.Context, acct, id string) (store.SigningCertificate, error) {
	var c store.SigningCertificate
	err := t.scanOne(ctx, "get signing certificate", qGetSigningCert, []any{acct, id}, func(row *sql.Row) error {
		var err error
		c, err = scanCert(row)
		return err
	})
	if err != nil {
		return store.SigningCertificate{}, err
	}
	return c, nil
}

// ListSigningCertificates returns ErrNotFound if user is not "" and absent.
func (t *txn) ListSigningCertificates(ctx context.Context, acct, user string) ([]store.SigningCertificate, error) {
	const op = "list signing certificates"
	query, args := qRootSigningCerts, []any{acct}
	if user != "" {
		pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
		if err != nil {
			return nil, err
		}
		query, args = qUserSigningCerts, []any{acct, pk}
	}
	var out []store.SigningCertificate
	err := t.each(ctx, op, query, args, func(rows *sql.Rows) error {
		c, err := scanCert(rows)
		if err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// CreateSigningCertificate returns ErrNotFound if the account, or the user
// when c.UserName is not "", is absent; ErrAlreadyExists for a taken id.
func (t *txn) CreateSigningCertificate(ctx context.Context, c store.SigningCertificate) error {
	const op = "create signing certificate"
	uploaded, err := encodeTime(c.UploadDate)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, c.Account); err != nil {
		return err
	}
	var userPK any
	if c.UserName != "" {
		pk, _, err := t.pkOf(ctx, op+": user", c.Account, store.KindUser, c.UserName)
		if err != nil {
			return err
		}
		userPK = pk
	}
	_, err = t.exec(ctx, op, qCreateSigningCert, c.Account, c.ID, userPK, c.Body, string(c.Status), uploaded)
	return err
}

// UpdateSigningCertificate sets the status; ErrNotFound if absent.
func (t *txn) UpdateSigningCertificate(ctx context.Context, c store.SigningCertificate) error {
	return t.execOne(ctx, "update signing certificate", qUpdateSigningCert, c.Account, c.ID, string(c.Status))
}

// DeleteSigningCertificate returns ErrNotFound if absent.
func (t *txn) DeleteSigningCertificate(ctx context.Context, acct, id string) error {
	return t.execOne(ctx, "delete signing certificate", qDeleteSigningCert, acct, id)
}

// GetCredentialReport returns ErrNotFound if the account has none.
func (t *txn) GetCredentialReport(ctx context.Context, acct string) (store.CredentialReport, error) {
	r := store.CredentialReport{Account: acct}
	var generated string
	if err := t.get(ctx, "get credential report", qGetReport, []any{acct}, &generated, &r.Content); err != nil {
		return store.CredentialReport{}, err
	}
	var err error
	if r.GeneratedTime, err = decodeTime(generated); err != nil {
		return store.CredentialReport{}, err
	}
	return r, nil
}

// PutCredentialReport returns ErrNotFound if the account is absent.
func (t *txn) PutCredentialReport(ctx context.Context, r store.CredentialReport) error {
	const op = "put credential report"
	generated, err := encodeTime(r.GeneratedTime)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, r.Account); err != nil {
		return err
	}
	content := r.Content
	if content == nil {
		content = []byte{}
	}
	_, err = t.exec(ctx, op, qPutReport, r.Account, generated, content)
	return err
}
