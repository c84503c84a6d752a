package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/warden-iam/warden/internal/store"
)

// ---- virtual MFA devices ----

// The assignment modes of qListMFA.
const (
	mfaAll        = 0
	mfaAssigned   = 1
	mfaUnassigned = 2
)

// scanMFA scans a row of mfaCols. A device without a user has the zero
// enable date whatever the row holds (its user may have been deleted).
func scanMFA(rows pgx.Row) (store.MFADevice, error) {
	var d store.MFADevice
	var enabled time.Time
	var data string
	if err := rows.Scan(str(&d.Account), str(&d.SerialNumber), str(&d.Name), str(&d.Path), str(&d.UserName),
		tm(&enabled), tm(&d.CreateDate), &d.SealedSeed, &d.LastUsedStep, &data); err != nil {
		return d, err
	}
	if len(d.SealedSeed) == 0 {
		d.SealedSeed = nil
	}
	var err error
	if d.Tags, err = rec.MFATags(d.SerialNumber, data); err != nil {
		return d, err
	}
	if d.UserName != "" {
		d.EnableDate = enabled
	}
	return d, nil
}

// mfaWrite checks d and encodes its enable date (stored only with a
// user) and tags.
func mfaWrite(d store.MFADevice) (enabled any, data string, err error) {
	if data, err = rec.MFAData(d); err != nil {
		return nil, "", err
	}
	if d.UserName != "" {
		if enabled, err = timeArg(d.EnableDate); err != nil {
			return nil, "", err
		}
	}
	return enabled, data, nil
}

// mfaUserPK resolves the user a device is enabled for: NULL for "",
// ErrNotFound if the account has no such user.
func (t *txn) mfaUserPK(ctx context.Context, op, acct, user string) (any, error) {
	if user == "" {
		return nil, nil
	}
	pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
	if err != nil {
		return nil, err
	}
	return pk, nil
}

// GetMFADevice matches the serial number exactly (case-sensitively).
// UserName is the user's current name (it follows renames).
func (t *txn) GetMFADevice(ctx context.Context, acct, serial string) (store.MFADevice, error) {
	if t.failed != nil {
		return store.MFADevice{}, t.failed
	}
	const op = "get MFA device"
	d, err := scanMFA(t.tx.QueryRow(ctx, qGetMFA, escape(acct), escape(serial)))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.MFADevice{}, fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
	}
	if err != nil {
		return store.MFADevice{}, t.fail(ctx, op, err)
	}
	return d, nil
}

// ListMFADevices orders by serial number as bytes. With f.UserName it
// returns the devices enabled for that user (ErrNotFound if the account
// has no such user) and ignores f.Assignment; an Assignment other than
// "", "Assigned" and "Unassigned" is an error.
func (t *txn) ListMFADevices(ctx context.Context, acct string, f store.MFAFilter) ([]store.MFADevice, error) {
	const op = "list MFA devices"
	var (
		query string
		args  []any
	)
	switch {
	case f.UserName != "":
		pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, f.UserName)
		if err != nil {
			return nil, err
		}
		query, args = qUserMFA, []any{escape(acct), pk}
	case f.Assignment == "":
		query, args = qListMFA, []any{escape(acct), mfaAll}
	case f.Assignment == "Assigned":
		query, args = qListMFA, []any{escape(acct), mfaAssigned}
	case f.Assignment == "Unassigned":
		query, args = qListMFA, []any{escape(acct), mfaUnassigned}
	default:
		return nil, fmt.Errorf("postgres: %s: unknown assignment status %q", op, f.Assignment)
	}
	var out []store.MFADevice
	err := t.each(ctx, op, query, args, func(rows pgx.Rows) error {
		d, err := scanMFA(rows)
		if err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// CreateMFADevice returns ErrNotFound if the account, or the user when
// d.UserName is not "", does not exist, and ErrAlreadyExists if the
// account has a device with d.SerialNumber (a unique violation inside a
// savepoint, which leaves the transaction usable).
func (t *txn) CreateMFADevice(ctx context.Context, d store.MFADevice) error {
	const op = "create MFA device"
	enabled, data, err := mfaWrite(d)
	if err != nil {
		return err
	}
	created, err := timeArg(d.CreateDate)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, d.Account); err != nil {
		return err
	}
	userPK, err := t.mfaUserPK(ctx, op, d.Account, d.UserName)
	if err != nil {
		return err
	}
	seed := d.SealedSeed
	if seed == nil {
		seed = []byte{}
	}
	_, err = t.execSafe(ctx, op, qCreateMFA,
		escape(d.Account), escape(d.SerialNumber), escape(d.Name), escape(d.Path), userPK, enabled, created,
		seed, d.LastUsedStep, data)
	return err
}

// UpdateMFADevice finds the device by d.Account and d.SerialNumber and
// sets its user (none for ""), EnableDate, LastUsedStep and Tags; every
// other field of d is ignored. ErrNotFound if there is no such device or
// d.UserName names no user of the account.
func (t *txn) UpdateMFADevice(ctx context.Context, d store.MFADevice) error {
	const op = "update MFA device"
	enabled, data, err := mfaWrite(d)
	if err != nil {
		return err
	}
	userPK, err := t.mfaUserPK(ctx, op, d.Account, d.UserName)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qUpdateMFA,
		userPK, enabled, d.LastUsedStep, data, escape(d.Account), escape(d.SerialNumber))
}

// DeleteMFADevice returns ErrNotFound if there is no such device.
func (t *txn) DeleteMFADevice(ctx context.Context, acct, serial string) error {
	return t.execOne(ctx, "delete MFA device", qDeleteMFA, escape(acct), escape(serial))
}
