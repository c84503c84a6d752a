package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/warden-iam/warden/internal/store"
)

// ---- instance profiles ----

// profileRolePK resolves the role a profile holds: NULL for "",
// ErrNotFound if the account has no such role.
func (t *txn) profileRolePK(ctx context.Context, op, acct, role string) (any, error) {
	if role == "" {
		return nil, nil
	}
	pk, _, err := t.pkOf(ctx, op+": role", acct, store.KindRole, role)
	if err != nil {
		return nil, err
	}
	return pk, nil
}

// GetInstanceProfile matches name case-insensitively. RoleName is the
// role's current name.
func (t *txn) GetInstanceProfile(ctx context.Context, acct, name string) (store.InstanceProfile, error) {
	var r entityRow
	if err := t.get(ctx, "get instance profile", qGetProfile, []any{escape(acct), escape(fold(name))}, r.dest()...); err != nil {
		return store.InstanceProfile{}, err
	}
	return rec.InstanceProfile(r.Entity)
}

// ListInstanceProfiles compares the path prefix as bytes.
func (t *txn) ListInstanceProfiles(ctx context.Context, acct, pathPrefix string, p store.PageRequest) (store.Page[store.InstanceProfile], error) {
	return page(ctx, t, "list instance profiles", qListProfiles, []any{escape(acct), escape(pathPrefix)}, p, rec.InstanceProfile)
}

// ListInstanceProfilesForRole returns ErrNotFound if the role is absent.
func (t *txn) ListInstanceProfilesForRole(ctx context.Context, acct, role string, p store.PageRequest) (store.Page[store.InstanceProfile], error) {
	const op = "list instance profiles for role"
	pk, _, err := t.pkOf(ctx, op+": role", acct, store.KindRole, role)
	if err != nil {
		return store.Page[store.InstanceProfile]{}, err
	}
	return page(ctx, t, op, qRoleProfiles, []any{pk}, p, rec.InstanceProfile)
}

// CreateInstanceProfile returns ErrNotFound if the account, or the role
// when p.RoleName is not "", is absent, and ErrAlreadyExists for a taken
// name.
func (t *txn) CreateInstanceProfile(ctx context.Context, p store.InstanceProfile) error {
	const op = "create instance profile"
	w, err := rec.InstanceProfileEntity(p)
	if err != nil {
		return err
	}
	created, err := timeArg(w.Created)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, p.Account); err != nil {
		return err
	}
	rolePK, err := t.profileRolePK(ctx, op, p.Account, p.RoleName)
	if err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qCreateProfile,
		escape(w.Account), escape(w.Name), escape(w.NameLower), escape(w.Path), escape(w.ID), created, rolePK, w.Data)
	return err
}

// UpdateInstanceProfile sets the role and tags of the profile p.Name.
func (t *txn) UpdateInstanceProfile(ctx context.Context, p store.InstanceProfile) error {
	const op = "update instance profile"
	w, err := rec.InstanceProfileEntity(p)
	if err != nil {
		return err
	}
	rolePK, err := t.profileRolePK(ctx, op, p.Account, p.RoleName)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qUpdateProfile, rolePK, w.Data, escape(w.Account), escape(w.NameLower))
}

// DeleteInstanceProfile returns ErrNotFound if absent.
func (t *txn) DeleteInstanceProfile(ctx context.Context, acct, name string) error {
	return t.execOne(ctx, "delete instance profile", qDeleteProfile, escape(acct), escape(fold(name)))
}

// ---- account aliases ----

// GetAccountAlias returns "" for an account without an alias.
func (t *txn) GetAccountAlias(ctx context.Context, acct string) (string, error) {
	var alias string
	err := t.get(ctx, "get account alias", qGetAlias, []any{escape(acct)}, str(&alias))
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return alias, err
}

// SetAccountAlias replaces the account's alias; ErrAlreadyExists if
// another account has alias.
func (t *txn) SetAccountAlias(ctx context.Context, acct, alias string) error {
	const op = "set account alias"
	if err := rec.CheckAlias(acct, alias); err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, acct); err != nil {
		return err
	}
	var owner string
	err := t.get(ctx, op, qAliasOwner, []any{escape(alias)}, str(&owner))
	switch {
	case err == nil && owner == acct:
		return nil
	case err == nil:
		return fmt.Errorf("postgres: %s: %w", op, store.ErrAlreadyExists)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	if _, err := t.exec(ctx, op, qDeleteAliasOf, escape(acct)); err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qInsertAlias, escape(alias), escape(acct))
	return err
}

// DeleteAccountAlias returns ErrNotFound unless the account's alias is alias.
func (t *txn) DeleteAccountAlias(ctx context.Context, acct, alias string) error {
	return t.execOne(ctx, "delete account alias", qDeleteAlias, escape(acct), escape(alias))
}
