package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/store/internal/record"
)

// txn is the store.Tx (and, in View, the store.Reader) of one PostgreSQL
// transaction. All SQL is constant text with $N parameters; no value is
// ever spliced into a statement.
type txn struct {
	tx    pgx.Tx
	write bool
	// failed is set when a statement fails in a way that aborts the
	// PostgreSQL transaction (anything but a constraint violation inside
	// a savepoint). Every later call returns it, and Update refuses to
	// commit.
	failed error
}

var _ store.Tx = (*txn)(nil)

// ---- statement helpers ----

func (t *txn) fail(ctx context.Context, op string, err error) error {
	c := classify(ctx, op, err)
	if t.failed == nil {
		t.failed = c
	}
	return c
}

// exec runs a statement that is not expected to fail; any failure aborts
// the transaction.
func (t *txn) exec(ctx context.Context, op, query string, args ...any) (pgconn.CommandTag, error) {
	if t.failed != nil {
		return pgconn.CommandTag{}, t.failed
	}
	tag, err := t.tx.Exec(ctx, query, args...)
	if err != nil {
		return tag, t.fail(ctx, op, err)
	}
	return tag, nil
}

// execSafe runs a statement that may fail with a constraint violation (a
// unique or foreign-key violation, which become sentinels) inside a
// savepoint, so that the failure does not abort the transaction: fn may
// handle the sentinel and go on. SAVEPOINT, the statement and RELEASE go
// in one round trip (a pipelined batch); after a violation a second round
// trip rolls back to the savepoint.
func (t *txn) execSafe(ctx context.Context, op, query string, args ...any) (pgconn.CommandTag, error) {
	if t.failed != nil {
		return pgconn.CommandTag{}, t.failed
	}
	b := &pgx.Batch{}
	b.Queue(`SAVEPOINT warden_stmt`)
	b.Queue(query, args...)
	b.Queue(`RELEASE SAVEPOINT warden_stmt`)
	br := t.tx.SendBatch(ctx, b)
	_, errSave := br.Exec()
	tag, errStmt := br.Exec()
	_, errRelease := br.Exec()
	errClose := br.Close()
	if errSave == nil && errStmt == nil {
		if err := errors.Join(errRelease, errClose); err != nil {
			return tag, t.fail(ctx, op, err)
		}
		return tag, nil
	}
	if errSave == nil && isConstraint(errStmt) {
		if _, err := t.tx.Exec(ctx, `ROLLBACK TO SAVEPOINT warden_stmt`); err != nil {
			return tag, t.fail(ctx, op, err)
		}
		if _, err := t.tx.Exec(ctx, `RELEASE SAVEPOINT warden_stmt`); err != nil {
			return tag, t.fail(ctx, op, err)
		}
		return tag, classify(ctx, op, errStmt)
	}
	if errSave != nil {
		return tag, t.fail(ctx, op, errSave)
	}
	return tag, t.fail(ctx, op, errStmt)
}

// isConstraint reports whether err is an integrity constraint violation
// (SQLSTATE class 23), which a savepoint can undo.
func isConstraint(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && strings.HasPrefix(pe.Code, "23")
}

// execOne runs a statement that must change a row; ErrNotFound otherwise.
func (t *txn) execOne(ctx context.Context, op, query string, args ...any) error {
	tag, err := t.exec(ctx, op, query, args...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
	}
	return nil
}

// get scans the one row query returns into dest; ErrNotFound if none.
func (t *txn) get(ctx context.Context, op, query string, args []any, dest ...any) error {
	if t.failed != nil {
		return t.failed
	}
	err := t.tx.QueryRow(ctx, query, args...).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
	}
	if err != nil {
		return t.fail(ctx, op, err)
	}
	return nil
}

// each runs query and calls scan for every row.
func (t *txn) each(ctx context.Context, op, query string, args []any, scan func(pgx.Rows) error) error {
	if t.failed != nil {
		return t.failed
	}
	rows, err := t.tx.Query(ctx, query, args...)
	if err != nil {
		return t.fail(ctx, op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			rows.Close()
			return t.fail(ctx, op, err)
		}
	}
	if err := rows.Err(); err != nil {
		return t.fail(ctx, op, err)
	}
	return nil
}

// ---- accounts ----

func (t *txn) GetAccount(ctx context.Context, id string) (store.Account, error) {
	a := store.Account{ID: id}
	if err := t.get(ctx, "get account", qGetAccount, []any{escape(id)}, tm(&a.CreateDate)); err != nil {
		return store.Account{}, err
	}
	return a, nil
}

func (t *txn) ListAccounts(ctx context.Context) ([]store.Account, error) {
	var out []store.Account
	err := t.each(ctx, "list accounts", qListAccounts, nil, func(rows pgx.Rows) error {
		var a store.Account
		if err := rows.Scan(str(&a.ID), tm(&a.CreateDate)); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

func (t *txn) CreateAccount(ctx context.Context, a store.Account) error {
	if err := rec.CheckText("account id", a.ID); err != nil {
		return err
	}
	ct, err := timeArg(a.CreateDate)
	if err != nil {
		return err
	}
	_, err = t.execSafe(ctx, "create account", qCreateAccount, escape(a.ID), ct)
	return err
}

// requireAccount returns ErrNotFound unless the account exists.
func (t *txn) requireAccount(ctx context.Context, op, acct string) error {
	var one int
	return t.get(ctx, op+": account", qAccountExists, []any{escape(acct)}, &one)
}

// DeleteAccountData deletes every user, group, role and managed policy of
// the account, its OIDC and SAML providers and its MFA devices; foreign
// keys cascade to memberships, attachments, inline policies, policy
// versions, the users' access keys, SSH public keys and service
// credentials, and the last accessed data of users and roles; its
// instance profiles, server certificates, alias, settings, password
// policy, signing certificates, credential report and last accessed
// report jobs go too, and the organization it manages. The account row
// and the root user's keys (user_pk NULL) stay. ErrNotFound if the
// account does not exist.
func (t *txn) DeleteAccountData(ctx context.Context, acct string) error {
	const op = "delete account data"
	if err := t.requireAccount(ctx, op, acct); err != nil {
		return err
	}
	for _, q := range []string{qDeleteMFAOf, qDeleteProfilesOf, qDeleteCertsOf, qDeleteAliasOf, qDeleteSettings, qDeleteAccessJobsOf, qDeleteEntitiesOf, qDeleteOIDCOf, qDeleteSAMLOf, qDeleteOrgOf,
		qDeletePasswordPolicyOf, qDeleteSigningCertsOf, qDeleteReportOf} {
		if _, err := t.exec(ctx, op, q, escape(acct)); err != nil {
			return err
		}
	}
	return nil
}

// ---- entities: common rows ----

// entityRow is an entity row: its key and the rest of it.
type entityRow struct {
	pk int64
	record.Entity
}

func (r *entityRow) dest() []any {
	return []any{&r.pk, str(&r.Account), str(&r.Name), str(&r.NameLower), str(&r.Path), str(&r.ID),
		tm(&r.Created), str(&r.Ref), &r.Data}
}

func scanEntity(rows pgx.Row) (entityRow, error) {
	var r entityRow
	err := rows.Scan(r.dest()...)
	return r, err
}

func (t *txn) getEntity(ctx context.Context, op, acct string, kind store.EntityKind, name string) (entityRow, error) {
	var r entityRow
	err := t.get(ctx, op, qGetEntity, []any{escape(acct), string(kind), escape(fold(name))}, r.dest()...)
	return r, err
}

// pkOf returns the internal key and stored name of an entity.
func (t *txn) pkOf(ctx context.Context, op, acct string, kind store.EntityKind, name string) (int64, string, error) {
	var pk int64
	var stored string
	err := t.get(ctx, op, qEntityPK, []any{escape(acct), string(kind), escape(fold(name))}, &pk, str(&stored))
	return pk, stored, err
}

// ownerPK resolves the owner of an attachment or inline policy: a user,
// group or role. Any other kind owns nothing, so it is ErrNotFound.
func (t *txn) ownerPK(ctx context.Context, op, acct string, kind store.EntityKind, name string) (int64, string, error) {
	switch kind {
	case store.KindUser, store.KindGroup, store.KindRole:
		return t.pkOf(ctx, op, acct, kind, name)
	}
	return 0, "", fmt.Errorf("postgres: %s: owner kind %q: %w", op, kind, store.ErrNotFound)
}

// createEntity stores w, the stored form of a new entity from rec.
func (t *txn) createEntity(ctx context.Context, op string, kind store.EntityKind, w record.Entity) error {
	created, err := timeArg(w.Created)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, w.Account); err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qInsertEntity,
		escape(w.Account), string(kind), escape(w.Name), escape(w.NameLower), escape(w.Path), escape(w.ID),
		created, escape(w.Ref), w.Data)
	return err
}

// updateEntity replaces every field of the entity named oldName (case-
// insensitively), renaming it to w.name. Relations are keyed by pk, so
// they follow the rename. A new name taken by another entity of the kind
// is ErrAlreadyExists.
func (t *txn) updateEntity(ctx context.Context, op string, kind store.EntityKind, oldName string, w record.Entity) error {
	created, err := timeArg(w.Created)
	if err != nil {
		return err
	}
	tag, err := t.execSafe(ctx, op, qUpdateEntity,
		escape(w.Name), escape(w.NameLower), escape(w.Path), escape(w.ID), created, escape(w.Ref), w.Data,
		escape(w.Account), string(kind), escape(fold(oldName)))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
	}
	return nil
}

func (t *txn) deleteEntity(ctx context.Context, op, acct string, kind store.EntityKind, name string) error {
	return t.execOne(ctx, op, qDeleteEntity, escape(acct), string(kind), escape(fold(name)))
}

// ---- pagination ----

// pageArgs returns the marker flag, the (escaped) marker and the LIMIT
// for p: one row more than asked, to learn whether the list is
// truncated. A MaxItems of 0 (or less) means all rows (LIMIT NULL).
func pageArgs(p store.PageRequest) (hasMarker bool, after string, limit any, err error) {
	if p.Marker != "" {
		m, err := rec.DecodeMarker(p.Marker)
		if err != nil {
			return false, "", nil, err
		}
		hasMarker, after = true, escape(m)
	}
	if p.MaxItems > 0 {
		limit = p.MaxItems + 1
	}
	return hasMarker, after, limit, nil
}

// page lists entities with one of the list queries, whose last three
// parameters are the marker flag, the marker and the limit, and converts
// each row with conv.
func page[T any](ctx context.Context, t *txn, op, query string, args []any, p store.PageRequest, conv func(record.Entity) (T, error)) (store.Page[T], error) {
	hasMarker, after, limit, err := pageArgs(p)
	if err != nil {
		return store.Page[T]{}, err
	}
	args = append(args, hasMarker, after, limit)
	var rows []record.Entity
	err = t.each(ctx, op, query, args, func(rs pgx.Rows) error {
		r, err := scanEntity(rs)
		if err != nil {
			return err
		}
		rows = append(rows, r.Entity)
		return nil
	})
	if err != nil {
		return store.Page[T]{}, err
	}
	return record.Page(rows, p, conv)
}

func listByKind[T any](ctx context.Context, t *txn, op, acct string, kind store.EntityKind, prefix string, p store.PageRequest, conv func(record.Entity) (T, error)) (store.Page[T], error) {
	return page(ctx, t, op, qListByKind, []any{escape(acct), string(kind), escape(prefix)}, p, conv)
}

// ---- users ----

func (t *txn) GetUser(ctx context.Context, acct, name string) (store.User, error) {
	r, err := t.getEntity(ctx, "get user", acct, store.KindUser, name)
	if err != nil {
		return store.User{}, err
	}
	return rec.User(r.Entity)
}

func (t *txn) ListUsers(ctx context.Context, acct, pathPrefix string, p store.PageRequest) (store.Page[store.User], error) {
	return listByKind(ctx, t, "list users", acct, store.KindUser, pathPrefix, p, rec.User)
}

// CreateUser returns ErrNotFound if the account does not exist.
func (t *txn) CreateUser(ctx context.Context, u store.User) error {
	w, err := rec.UserEntity(u)
	if err != nil {
		return err
	}
	return t.createEntity(ctx, "create user", store.KindUser, w)
}

// UpdateUser looks the user up by u.Account and name and replaces every
// field with u's (the id and create date too).
func (t *txn) UpdateUser(ctx context.Context, name string, u store.User) error {
	w, err := rec.UserEntity(u)
	if err != nil {
		return err
	}
	return t.updateEntity(ctx, "update user", store.KindUser, name, w)
}

func (t *txn) DeleteUser(ctx context.Context, acct, name string) error {
	return t.deleteEntity(ctx, "delete user", acct, store.KindUser, name)
}

// ---- groups ----

func (t *txn) GetGroup(ctx context.Context, acct, name string) (store.Group, error) {
	r, err := t.getEntity(ctx, "get group", acct, store.KindGroup, name)
	if err != nil {
		return store.Group{}, err
	}
	return rec.Group(r.Entity)
}

func (t *txn) ListGroups(ctx context.Context, acct, pathPrefix string, p store.PageRequest) (store.Page[store.Group], error) {
	return listByKind(ctx, t, "list groups", acct, store.KindGroup, pathPrefix, p, rec.Group)
}

func (t *txn) CreateGroup(ctx context.Context, g store.Group) error {
	w, err := rec.GroupEntity(g)
	if err != nil {
		return err
	}
	return t.createEntity(ctx, "create group", store.KindGroup, w)
}

func (t *txn) UpdateGroup(ctx context.Context, name string, g store.Group) error {
	w, err := rec.GroupEntity(g)
	if err != nil {
		return err
	}
	return t.updateEntity(ctx, "update group", store.KindGroup, name, w)
}

func (t *txn) DeleteGroup(ctx context.Context, acct, name string) error {
	return t.deleteEntity(ctx, "delete group", acct, store.KindGroup, name)
}

// ---- roles ----

func (t *txn) GetRole(ctx context.Context, acct, name string) (store.Role, error) {
	r, err := t.getEntity(ctx, "get role", acct, store.KindRole, name)
	if err != nil {
		return store.Role{}, err
	}
	return rec.Role(r.Entity)
}

func (t *txn) ListRoles(ctx context.Context, acct, pathPrefix string, p store.PageRequest) (store.Page[store.Role], error) {
	return listByKind(ctx, t, "list roles", acct, store.KindRole, pathPrefix, p, rec.Role)
}

func (t *txn) CreateRole(ctx context.Context, r store.Role) error {
	w, err := rec.RoleEntity(r)
	if err != nil {
		return err
	}
	return t.createEntity(ctx, "create role", store.KindRole, w)
}

func (t *txn) UpdateRole(ctx context.Context, name string, r store.Role) error {
	w, err := rec.RoleEntity(r)
	if err != nil {
		return err
	}
	return t.updateEntity(ctx, "update role", store.KindRole, name, w)
}

func (t *txn) DeleteRole(ctx context.Context, acct, name string) error {
	return t.deleteEntity(ctx, "delete role", acct, store.KindRole, name)
}

// ---- managed policies ----

func (t *txn) GetPolicy(ctx context.Context, acct, name string) (store.Policy, error) {
	r, err := t.getEntity(ctx, "get policy", acct, store.KindPolicy, name)
	if err != nil {
		return store.Policy{}, err
	}
	return rec.Policy(r.Entity)
}

func (t *txn) ListPolicies(ctx context.Context, acct, pathPrefix string, p store.PageRequest) (store.Page[store.Policy], error) {
	return listByKind(ctx, t, "list policies", acct, store.KindPolicy, pathPrefix, p, rec.Policy)
}

func (t *txn) CreatePolicy(ctx context.Context, p store.Policy) error {
	w, err := rec.PolicyEntity(p)
	if err != nil {
		return err
	}
	return t.createEntity(ctx, "create policy", store.KindPolicy, w)
}

// UpdatePolicy finds the policy by p.Account and p.Name (case-
// insensitively) and replaces every other field, the path included; IAM
// cannot rename a managed policy, so there is no old name. It does not
// touch the policy's versions.
func (t *txn) UpdatePolicy(ctx context.Context, p store.Policy) error {
	w, err := rec.PolicyEntity(p)
	if err != nil {
		return err
	}
	return t.updateEntity(ctx, "update policy", store.KindPolicy, p.Name, w)
}

// DeletePolicy deletes the policy and its versions, and detaches it from
// the account's users, groups and roles. Attachments name policies by ARN,
// and the store does not know the partition, so it removes attachments
// whose ARN is arn:<any partition>:iam::<acct>:policy<path><name>.
// Permissions boundaries naming the policy are left alone: IAM refuses to
// delete a policy in use as a boundary, and the caller checks that first
// (CountBoundaryUses).
func (t *txn) DeletePolicy(ctx context.Context, acct, name string) error {
	const op = "delete policy"
	r, err := t.getEntity(ctx, op, acct, store.KindPolicy, name)
	if err != nil {
		return err
	}
	suffix := ":iam::" + acct + ":policy" + r.Path + r.Name
	type att struct {
		owner int64
		arn   string
	}
	var drop []att
	err = t.each(ctx, op, qAccountAttachments, []any{escape(acct)},
		func(rows pgx.Rows) error {
			var a att
			if err := rows.Scan(&a.owner, str(&a.arn)); err != nil {
				return err
			}
			if rest, ok := strings.CutPrefix(a.arn, "arn:"); ok {
				if part, ok := strings.CutSuffix(rest, suffix); ok && part != "" && !strings.Contains(part, ":") {
					drop = append(drop, a)
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	for _, a := range drop {
		if _, err := t.exec(ctx, op, qDetach, a.owner, escape(a.arn)); err != nil {
			return err
		}
	}
	return t.execOne(ctx, op, qDeleteEntityByPK, r.pk)
}

// ---- group membership ----

func (t *txn) ListGroupsForUser(ctx context.Context, acct, user string, p store.PageRequest) (store.Page[store.Group], error) {
	const op = "list groups for user"
	pk, _, err := t.pkOf(ctx, op, acct, store.KindUser, user)
	if err != nil {
		return store.Page[store.Group]{}, err
	}
	return page(ctx, t, op, qGroupsForUser, []any{pk}, p, rec.Group)
}

func (t *txn) ListGroupUsers(ctx context.Context, acct, group string, p store.PageRequest) (store.Page[store.User], error) {
	const op = "list group users"
	pk, _, err := t.pkOf(ctx, op, acct, store.KindGroup, group)
	if err != nil {
		return store.Page[store.User]{}, err
	}
	return page(ctx, t, op, qGroupUsers, []any{pk}, p, rec.User)
}

func (t *txn) AddUserToGroup(ctx context.Context, acct, user, group string) error {
	const op = "add user to group"
	upk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
	if err != nil {
		return err
	}
	gpk, _, err := t.pkOf(ctx, op+": group", acct, store.KindGroup, group)
	if err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qAddMember, gpk, upk)
	return err
}

func (t *txn) RemoveUserFromGroup(ctx context.Context, acct, user, group string) error {
	const op = "remove user from group"
	upk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
	if err != nil {
		return err
	}
	gpk, _, err := t.pkOf(ctx, op+": group", acct, store.KindGroup, group)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qRemoveMember, gpk, upk)
}

// ---- policy versions ----

// GetPolicyVersion matches the version id exactly (IAM's are "v1", "v2"...).
func (t *txn) GetPolicyVersion(ctx context.Context, acct, policyName, versionID string) (store.PolicyVersion, error) {
	const op = "get policy version"
	pk, stored, err := t.pkOf(ctx, op, acct, store.KindPolicy, policyName)
	if err != nil {
		return store.PolicyVersion{}, err
	}
	v := store.PolicyVersion{Account: acct, PolicyName: stored, VersionID: versionID}
	if err := t.get(ctx, op, qGetVersion, []any{pk, escape(versionID)}, str(&v.Document), tm(&v.CreateDate)); err != nil {
		return store.PolicyVersion{}, err
	}
	return v, nil
}

// ListPolicyVersions returns the versions newest first: by create date,
// then by insertion order. ErrNotFound if the policy does not exist.
func (t *txn) ListPolicyVersions(ctx context.Context, acct, policyName string) ([]store.PolicyVersion, error) {
	const op = "list policy versions"
	pk, stored, err := t.pkOf(ctx, op, acct, store.KindPolicy, policyName)
	if err != nil {
		return nil, err
	}
	var out []store.PolicyVersion
	err = t.each(ctx, op, qListVersions, []any{pk}, func(rows pgx.Rows) error {
		v := store.PolicyVersion{Account: acct, PolicyName: stored}
		if err := rows.Scan(str(&v.VersionID), str(&v.Document), tm(&v.CreateDate)); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// CreatePolicyVersion stores a version; it does not change the policy's
// DefaultVersion or NextVersion (the caller updates the policy).
func (t *txn) CreatePolicyVersion(ctx context.Context, v store.PolicyVersion) error {
	const op = "create policy version"
	if err := rec.CheckText("version id", v.VersionID, "document", v.Document); err != nil {
		return err
	}
	created, err := timeArg(v.CreateDate)
	if err != nil {
		return err
	}
	pk, _, err := t.pkOf(ctx, op, v.Account, store.KindPolicy, v.PolicyName)
	if err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qCreateVersion, pk, escape(v.VersionID), escape(v.Document), created)
	return err
}

// DeletePolicyVersion returns ErrNotFound if the policy or version is absent.
func (t *txn) DeletePolicyVersion(ctx context.Context, acct, policyName, versionID string) error {
	const op = "delete policy version"
	pk, _, err := t.pkOf(ctx, op, acct, store.KindPolicy, policyName)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qDeleteVersion, pk, escape(versionID))
}

// ---- attachments ----

func (t *txn) ListAttachments(ctx context.Context, acct string, kind store.EntityKind, owner string) ([]store.Attachment, error) {
	const op = "list attachments"
	pk, stored, err := t.ownerPK(ctx, op, acct, kind, owner)
	if err != nil {
		return nil, err
	}
	var out []store.Attachment
	err = t.each(ctx, op, qOwnerAttachments, []any{pk}, func(rows pgx.Rows) error {
		a := store.Attachment{Account: acct, OwnerKind: kind, OwnerName: stored}
		if err := rows.Scan(str(&a.PolicyARN)); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// ListPolicyAttachments orders by owner kind as text ("group" < "role" <
// "user"), then by lower-cased owner name.
func (t *txn) ListPolicyAttachments(ctx context.Context, acct, policyARN string) ([]store.Attachment, error) {
	var out []store.Attachment
	err := t.each(ctx, "list policy attachments", qPolicyAttachments, []any{escape(policyARN), escape(acct)},
		func(rows pgx.Rows) error {
			a := store.Attachment{Account: acct, PolicyARN: policyARN}
			var kind string
			if err := rows.Scan(&kind, str(&a.OwnerName)); err != nil {
				return err
			}
			a.OwnerKind = store.EntityKind(kind)
			out = append(out, a)
			return nil
		})
	return out, err
}

func (t *txn) CountBoundaryUses(ctx context.Context, acct, policyARN string) (int, error) {
	var n int
	err := t.get(ctx, "count boundary uses", qCountBoundary, []any{escape(acct), escape(policyARN)}, &n)
	return n, err
}

func (t *txn) Attach(ctx context.Context, a store.Attachment) error {
	const op = "attach policy"
	if err := rec.CheckText("policy ARN", a.PolicyARN); err != nil {
		return err
	}
	pk, _, err := t.ownerPK(ctx, op, a.Account, a.OwnerKind, a.OwnerName)
	if err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qAttach, pk, escape(a.PolicyARN))
	return err
}

// Detach returns ErrNotFound if the owner is absent or the policy is not
// attached to it. The ARN is matched exactly.
func (t *txn) Detach(ctx context.Context, a store.Attachment) error {
	const op = "detach policy"
	pk, _, err := t.ownerPK(ctx, op, a.Account, a.OwnerKind, a.OwnerName)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qDetach, pk, escape(a.PolicyARN))
}

// ---- inline policies ----

func (t *txn) GetInlinePolicy(ctx context.Context, acct string, kind store.EntityKind, owner, name string) (store.InlinePolicy, error) {
	const op = "get inline policy"
	pk, stored, err := t.ownerPK(ctx, op, acct, kind, owner)
	if err != nil {
		return store.InlinePolicy{}, err
	}
	p := store.InlinePolicy{Account: acct, OwnerKind: kind, OwnerName: stored}
	if err := t.get(ctx, op, qGetInline, []any{pk, escape(fold(name))}, str(&p.Name), str(&p.Document)); err != nil {
		return store.InlinePolicy{}, err
	}
	return p, nil
}

func (t *txn) ListInlinePolicies(ctx context.Context, acct string, kind store.EntityKind, owner string) ([]store.InlinePolicy, error) {
	const op = "list inline policies"
	pk, stored, err := t.ownerPK(ctx, op, acct, kind, owner)
	if err != nil {
		return nil, err
	}
	var out []store.InlinePolicy
	err = t.each(ctx, op, qListInline, []any{pk}, func(rows pgx.Rows) error {
		p := store.InlinePolicy{Account: acct, OwnerKind: kind, OwnerName: stored}
		if err := rows.Scan(str(&p.Name), str(&p.Document)); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// PutInlinePolicy creates the policy or replaces the one whose name
// matches case-insensitively; a replacement takes p.Name's case too.
func (t *txn) PutInlinePolicy(ctx context.Context, p store.InlinePolicy) error {
	const op = "put inline policy"
	if err := rec.CheckText("policy name", p.Name, "document", p.Document); err != nil {
		return err
	}
	pk, _, err := t.ownerPK(ctx, op, p.Account, p.OwnerKind, p.OwnerName)
	if err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qPutInline, pk, escape(fold(p.Name)), escape(p.Name), escape(p.Document))
	return err
}

// DeleteInlinePolicy returns ErrNotFound if the owner or policy is absent.
func (t *txn) DeleteInlinePolicy(ctx context.Context, acct string, kind store.EntityKind, owner, name string) error {
	const op = "delete inline policy"
	pk, _, err := t.ownerPK(ctx, op, acct, kind, owner)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qDeleteInline, pk, escape(fold(name)))
}

// ---- access keys ----

func scanAccessKey(rows pgx.Row) (store.AccessKey, error) {
	var k store.AccessKey
	var status string
	if err := rows.Scan(str(&k.ID), str(&k.Account), str(&k.UserName), str(&status), tm(&k.CreateDate),
		&k.SealedSecret, tm(&k.LastUsedDate), str(&k.LastUsedService), str(&k.LastUsedRegion)); err != nil {
		return k, err
	}
	k.Status = store.AccessKeyStatus(status)
	if len(k.SealedSecret) == 0 {
		k.SealedSecret = nil
	}
	return k, nil
}

// GetAccessKey matches the id exactly. UserName is the owner's current
// name (it follows renames), "" for a root key.
func (t *txn) GetAccessKey(ctx context.Context, id string) (store.AccessKey, error) {
	if t.failed != nil {
		return store.AccessKey{}, t.failed
	}
	const op = "get access key"
	k, err := scanAccessKey(t.tx.QueryRow(ctx, qGetKey, escape(id)))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.AccessKey{}, fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
	}
	if err != nil {
		return store.AccessKey{}, t.fail(ctx, op, err)
	}
	return k, nil
}

// ListAccessKeys returns ErrNotFound if the user (for user "", the
// account) does not exist. Oldest first, then by id.
func (t *txn) ListAccessKeys(ctx context.Context, acct, user string) ([]store.AccessKey, error) {
	const op = "list access keys"
	var (
		query string
		args  []any
	)
	if user == "" {
		if err := t.requireAccount(ctx, op, acct); err != nil {
			return nil, err
		}
		query = qRootKeys
		args = []any{escape(acct)}
	} else {
		pk, _, err := t.pkOf(ctx, op, acct, store.KindUser, user)
		if err != nil {
			return nil, err
		}
		query = qUserKeys
		args = []any{escape(acct), pk}
	}
	var out []store.AccessKey
	err := t.each(ctx, op, query, args, func(rows pgx.Rows) error {
		k, err := scanAccessKey(rows)
		if err != nil {
			return err
		}
		out = append(out, k)
		return nil
	})
	return out, err
}

// CreateAccessKey returns ErrNotFound if the account, or the user when
// k.UserName is not "", does not exist.
func (t *txn) CreateAccessKey(ctx context.Context, k store.AccessKey) error {
	const op = "create access key"
	if err := rec.CheckText("access key id", k.ID, "status", string(k.Status), "last used service", k.LastUsedService, "last used region", k.LastUsedRegion); err != nil {
		return err
	}
	created, err := timeArg(k.CreateDate)
	if err != nil {
		return err
	}
	lastUsed, err := timeArg(k.LastUsedDate)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, k.Account); err != nil {
		return err
	}
	var userPK any // NULL: the root user
	if k.UserName != "" {
		pk, _, err := t.pkOf(ctx, op+": user", k.Account, store.KindUser, k.UserName)
		if err != nil {
			return err
		}
		userPK = pk
	}
	secret := k.SealedSecret
	if secret == nil {
		secret = []byte{}
	}
	_, err = t.execSafe(ctx, op, qCreateKey,
		escape(k.ID), escape(k.Account), userPK, escape(string(k.Status)), created, secret, lastUsed,
		escape(k.LastUsedService), escape(k.LastUsedRegion))
	return err
}

// UpdateAccessKey sets Status, LastUsedDate, LastUsedService and
// LastUsedRegion of the key k.ID; every other field of k is ignored.
// ErrNotFound if there is no such key.
func (t *txn) UpdateAccessKey(ctx context.Context, k store.AccessKey) error {
	if err := rec.CheckText("status", string(k.Status), "last used service", k.LastUsedService, "last used region", k.LastUsedRegion); err != nil {
		return err
	}
	lastUsed, err := timeArg(k.LastUsedDate)
	if err != nil {
		return err
	}
	return t.execOne(ctx, "update access key", qUpdateKey,
		escape(string(k.Status)), lastUsed, escape(k.LastUsedService), escape(k.LastUsedRegion), escape(k.ID))
}

// DeleteAccessKey returns ErrNotFound if there is no such key.
func (t *txn) DeleteAccessKey(ctx context.Context, id string) error {
	return t.execOne(ctx, "delete access key", qDeleteKey, escape(id))
}
