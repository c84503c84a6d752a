package postgres

// Every statement the backend runs is a constant below. No statement is
// ever built from a value: values are $N parameters, and pgx prepares and
// caches each statement per connection. Every string parameter and column
// holds the escaped form of its value (see escape in tx.go).

const entityCols = `e.pk, e.account, e.name, e.name_lower, e.path, e.id, e.created, e.boundary, e.data`

const samlCols = `account, name, metadata, created, valid_until, data`

// mfaCols gives the user's current name, empty while unassigned.
const mfaCols = `d.account, d.serial, d.name, d.path, coalesce(e.name, ''), d.enabled, d.created,
	d.sealed_seed, d.last_step, d.data`

// profileCols are entityCols for an instance profile (and e its role): the
// role's current name, or ”, stands in the boundary column.
const profileCols = `p.pk, p.account, p.name, p.name_lower, p.path, p.id, p.created, coalesce(e.name, ''), p.data`

const accessKeyCols = `k.id, k.account, coalesce(e.name, ''), k.status, k.created, k.sealed_secret,
	k.last_used, k.last_used_service, k.last_used_region`

const (
	// One statement: increment, and announce the new value at commit.
	qBumpRevision = `WITH r AS (UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value)
		SELECT value FROM r, pg_notify('` + Channel + `', value::text) AS n`
	qRevision = `SELECT value FROM revision WHERE id = 1`

	qGetAccount       = `SELECT created FROM accounts WHERE id = $1`
	qListAccounts     = `SELECT id, created FROM accounts ORDER BY id`
	qCreateAccount    = `INSERT INTO accounts (id, created) VALUES ($1, $2)`
	qAccountExists    = `SELECT 1 FROM accounts WHERE id = $1`
	qDeleteEntitiesOf = `DELETE FROM entities WHERE account = $1`
	qDeleteOIDCOf     = `DELETE FROM oidc_providers WHERE account = $1`
	qDeleteSAMLOf     = `DELETE FROM saml_providers WHERE account = $1`
	qDeleteMFAOf      = `DELETE FROM mfa_devices WHERE account = $1`
	qDeleteProfilesOf = `DELETE FROM instance_profiles WHERE account = $1`
	qDeleteAliasOf    = `DELETE FROM account_aliases WHERE account = $1`

	qGetProfile = `SELECT ` + profileCols + ` FROM instance_profiles p LEFT JOIN entities e ON e.pk = p.role_pk
		WHERE p.account = $1 AND p.name_lower = $2`
	// $1 account, $2 path prefix, $3 marker flag, $4 marker, $5 limit
	// (NULL: all); starts_with compares bytes, as in qListByKind.
	qListProfiles = `SELECT ` + profileCols + ` FROM instance_profiles p LEFT JOIN entities e ON e.pk = p.role_pk
		WHERE p.account = $1 AND starts_with(p.path, $2)
		  AND (NOT $3 OR p.name_lower > $4)
		ORDER BY p.name_lower, p.name
		LIMIT $5`
	// $1 role pk, $2 marker flag, $3 marker, $4 limit.
	qRoleProfiles = `SELECT ` + profileCols + ` FROM instance_profiles p JOIN entities e ON e.pk = p.role_pk
		WHERE p.role_pk = $1 AND (NOT $2 OR p.name_lower > $3)
		ORDER BY p.name_lower, p.name
		LIMIT $4`
	qCreateProfile = `INSERT INTO instance_profiles (account, name, name_lower, path, id, created, role_pk, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	qUpdateProfile = `UPDATE instance_profiles SET role_pk = $1, data = $2 WHERE account = $3 AND name_lower = $4`
	qDeleteProfile = `DELETE FROM instance_profiles WHERE account = $1 AND name_lower = $2`

	qGetAlias    = `SELECT alias FROM account_aliases WHERE account = $1`
	qAliasOwner  = `SELECT account FROM account_aliases WHERE alias = $1`
	qInsertAlias = `INSERT INTO account_aliases (alias, account) VALUES ($1, $2)`
	qDeleteAlias = `DELETE FROM account_aliases WHERE account = $1 AND alias = $2`

	qGetEntity = `SELECT ` + entityCols + ` FROM entities e
		WHERE e.account = $1 AND e.kind = $2 AND e.name_lower = $3`
	qEntityPK     = `SELECT pk, name FROM entities WHERE account = $1 AND kind = $2 AND name_lower = $3`
	qInsertEntity = `INSERT INTO entities (account, kind, name, name_lower, path, id, created, boundary, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	qUpdateEntity = `UPDATE entities
		SET name = $1, name_lower = $2, path = $3, id = $4, created = $5, boundary = $6, data = $7
		WHERE account = $8 AND kind = $9 AND name_lower = $10`
	qDeleteEntity     = `DELETE FROM entities WHERE account = $1 AND kind = $2 AND name_lower = $3`
	qDeleteEntityByPK = `DELETE FROM entities WHERE pk = $1`

	// $1 account, $2 kind, $3 path prefix, $4 marker flag, $5 marker, $6
	// limit (NULL: all). starts_with compares bytes (COLLATE "C"): case-
	// sensitive, no LIKE wildcards.
	qListByKind = `SELECT ` + entityCols + ` FROM entities e
		WHERE e.account = $1 AND e.kind = $2 AND starts_with(e.path, $3)
		  AND (NOT $4 OR e.name_lower > $5)
		ORDER BY e.name_lower, e.name
		LIMIT $6`
	// $1 user pk, $2 marker flag, $3 marker, $4 limit.
	qGroupsForUser = `SELECT ` + entityCols + ` FROM group_members m
		JOIN entities e ON e.pk = m.group_pk
		WHERE m.user_pk = $1 AND (NOT $2 OR e.name_lower > $3)
		ORDER BY e.name_lower, e.name
		LIMIT $4`
	// $1 group pk, $2 marker flag, $3 marker, $4 limit.
	qGroupUsers = `SELECT ` + entityCols + ` FROM group_members m
		JOIN entities e ON e.pk = m.user_pk
		WHERE m.group_pk = $1 AND (NOT $2 OR e.name_lower > $3)
		ORDER BY e.name_lower, e.name
		LIMIT $4`
	qAddMember = `INSERT INTO group_members (group_pk, user_pk) VALUES ($1, $2)
		ON CONFLICT (group_pk, user_pk) DO NOTHING`
	qRemoveMember = `DELETE FROM group_members WHERE group_pk = $1 AND user_pk = $2`

	qAccountAttachments = `SELECT a.owner_pk, a.policy_arn FROM attachments a
		JOIN entities e ON e.pk = a.owner_pk WHERE e.account = $1`
	qOwnerAttachments  = `SELECT policy_arn FROM attachments WHERE owner_pk = $1 ORDER BY policy_arn`
	qPolicyAttachments = `SELECT e.kind, e.name FROM attachments a
		JOIN entities e ON e.pk = a.owner_pk
		WHERE a.policy_arn = $1 AND e.account = $2
		ORDER BY e.kind, e.name_lower, e.name`
	qCountBoundary = `SELECT count(*) FROM entities
		WHERE account = $1 AND boundary = $2 AND boundary <> '' AND kind IN ('user', 'role')`
	qAttach = `INSERT INTO attachments (owner_pk, policy_arn) VALUES ($1, $2)
		ON CONFLICT (owner_pk, policy_arn) DO NOTHING`
	qDetach = `DELETE FROM attachments WHERE owner_pk = $1 AND policy_arn = $2`

	qGetVersion = `SELECT document, created FROM policy_versions WHERE policy_pk = $1 AND version_id = $2`
	// Newest first: by create date, then by insertion order; the zero
	// date (NULL) is the oldest.
	qListVersions = `SELECT version_id, document, created FROM policy_versions
		WHERE policy_pk = $1 ORDER BY created DESC NULLS LAST, seq DESC`
	qCreateVersion = `INSERT INTO policy_versions (policy_pk, version_id, document, created) VALUES ($1, $2, $3, $4)`
	qDeleteVersion = `DELETE FROM policy_versions WHERE policy_pk = $1 AND version_id = $2`

	qGetInline  = `SELECT name, document FROM inline_policies WHERE owner_pk = $1 AND name_lower = $2`
	qListInline = `SELECT name, document FROM inline_policies WHERE owner_pk = $1 ORDER BY name_lower, name`
	qPutInline  = `INSERT INTO inline_policies (owner_pk, name_lower, name, document) VALUES ($1, $2, $3, $4)
		ON CONFLICT (owner_pk, name_lower) DO UPDATE SET name = excluded.name, document = excluded.document`
	qDeleteInline = `DELETE FROM inline_policies WHERE owner_pk = $1 AND name_lower = $2`

	// LoadAccount: everything of an account in a few scans.
	qLoadEntities = `SELECT e.kind, ` + entityCols + ` FROM entities e WHERE e.account = $1`
	qLoadMembers  = `SELECT u.name, g.name FROM group_members m
		JOIN entities g ON g.pk = m.group_pk JOIN entities u ON u.pk = m.user_pk WHERE g.account = $1`
	qLoadAttachments = `SELECT e.kind, e.name, a.policy_arn FROM attachments a
		JOIN entities e ON e.pk = a.owner_pk WHERE e.account = $1`
	qLoadInline = `SELECT e.kind, e.name, i.name, i.document FROM inline_policies i
		JOIN entities e ON e.pk = i.owner_pk WHERE e.account = $1`
	qLoadVersions = `SELECT e.name, v.version_id, v.document, v.created FROM policy_versions v
		JOIN entities e ON e.pk = v.policy_pk WHERE e.account = $1 ORDER BY v.created DESC NULLS LAST, v.seq DESC`
	qLoadKeys = `SELECT ` + accessKeyCols + ` FROM access_keys k
		LEFT JOIN entities e ON e.pk = k.user_pk WHERE k.account = $1 ORDER BY k.created NULLS FIRST, k.id`

	qGetKey = `SELECT ` + accessKeyCols + ` FROM access_keys k
		LEFT JOIN entities e ON e.pk = k.user_pk WHERE k.id = $1`
	qRootKeys = `SELECT ` + accessKeyCols + ` FROM access_keys k LEFT JOIN entities e ON e.pk = k.user_pk
		WHERE k.account = $1 AND k.user_pk IS NULL ORDER BY k.created NULLS FIRST, k.id`
	qUserKeys = `SELECT ` + accessKeyCols + ` FROM access_keys k LEFT JOIN entities e ON e.pk = k.user_pk
		WHERE k.account = $1 AND k.user_pk = $2 ORDER BY k.created NULLS FIRST, k.id`
	qCreateKey = `INSERT INTO access_keys
		(id, account, user_pk, status, created, sealed_secret, last_used, last_used_service, last_used_region)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	qUpdateKey = `UPDATE access_keys
		SET status = $1, last_used = $2, last_used_service = $3, last_used_region = $4 WHERE id = $5`
	qDeleteKey = `DELETE FROM access_keys WHERE id = $1`

	qGetOIDC    = `SELECT created, data FROM oidc_providers WHERE account = $1 AND url = $2`
	qListOIDC   = `SELECT url, created, data FROM oidc_providers WHERE account = $1 ORDER BY url`
	qCreateOIDC = `INSERT INTO oidc_providers (account, url, created, data) VALUES ($1, $2, $3, $4)`
	qUpdateOIDC = `UPDATE oidc_providers SET created = $1, data = $2 WHERE account = $3 AND url = $4`
	qDeleteOIDC = `DELETE FROM oidc_providers WHERE account = $1 AND url = $2`

	qGetSAML    = `SELECT ` + samlCols + ` FROM saml_providers WHERE account = $1 AND name_lower = $2`
	qListSAML   = `SELECT ` + samlCols + ` FROM saml_providers WHERE account = $1 ORDER BY name_lower, name`
	qCreateSAML = `INSERT INTO saml_providers (account, name, name_lower, metadata, created, valid_until, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`
	qUpdateSAML = `UPDATE saml_providers
		SET name = $1, metadata = $2, created = $3, valid_until = $4, data = $5
		WHERE account = $6 AND name_lower = $7`
	qDeleteSAML = `DELETE FROM saml_providers WHERE account = $1 AND name_lower = $2`

	qGetMFA = `SELECT ` + mfaCols + ` FROM mfa_devices d LEFT JOIN entities e ON e.pk = d.user_pk
		WHERE d.account = $1 AND d.serial = $2`
	// $1 account, $2 assignment: 0 all, 1 assigned, 2 unassigned.
	qListMFA = `SELECT ` + mfaCols + ` FROM mfa_devices d LEFT JOIN entities e ON e.pk = d.user_pk
		WHERE d.account = $1
		  AND ($2 = 0 OR ($2 = 1 AND d.user_pk IS NOT NULL) OR ($2 = 2 AND d.user_pk IS NULL))
		ORDER BY d.serial`
	qUserMFA = `SELECT ` + mfaCols + ` FROM mfa_devices d JOIN entities e ON e.pk = d.user_pk
		WHERE d.account = $1 AND d.user_pk = $2 ORDER BY d.serial`
	qCreateMFA = `INSERT INTO mfa_devices
		(account, serial, name, path, user_pk, enabled, created, sealed_seed, last_step, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	qUpdateMFA = `UPDATE mfa_devices SET user_pk = $1, enabled = $2, last_step = $3, data = $4
		WHERE account = $5 AND serial = $6`
	qDeleteMFA = `DELETE FROM mfa_devices WHERE account = $1 AND serial = $2`

	// Oldest first, then by id.
	qListServiceKeys  = `SELECT id, sealed, created FROM service_keys WHERE purpose = $1 ORDER BY created NULLS FIRST, id`
	qCreateServiceKey = `INSERT INTO service_keys (purpose, id, sealed, created) VALUES ($1, $2, $3, $4)`

	qExpireAssertions = `DELETE FROM saml_assertions WHERE expires IS NULL OR expires <= $1`
	qUseAssertion     = `INSERT INTO saml_assertions (id, expires) VALUES ($1, $2)`
)
