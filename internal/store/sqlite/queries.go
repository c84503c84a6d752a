package sqlite

// Every statement the backend runs is a constant below, registered with
// stmt so that Open prepares it once per connection instead of SQLite
// parsing it on every call (parsing was about half the cost of a point
// read). No statement is ever built from a value: values are ?NNN
// parameters.

// statements lists the registered SQL, in registration order.
var statements []string

// stmt registers q for preparation at Open and returns it.
func stmt(q string) string {
	statements = append(statements, q)
	return q
}

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

var (
	qBumpRevision = stmt(`UPDATE revision SET value = value + 1 WHERE id = 1`)
	qRevision     = stmt(`SELECT value FROM revision WHERE id = 1`)

	qGetAccount       = stmt(`SELECT created FROM accounts WHERE id = ?1`)
	qListAccounts     = stmt(`SELECT id, created FROM accounts ORDER BY id`)
	qCreateAccount    = stmt(`INSERT INTO accounts (id, created) VALUES (?1, ?2)`)
	qAccountExists    = stmt(`SELECT 1 FROM accounts WHERE id = ?1`)
	qDeleteEntitiesOf = stmt(`DELETE FROM entities WHERE account = ?1`)
	qDeleteOIDCOf     = stmt(`DELETE FROM oidc_providers WHERE account = ?1`)
	qDeleteSAMLOf     = stmt(`DELETE FROM saml_providers WHERE account = ?1`)
	qDeleteMFAOf      = stmt(`DELETE FROM mfa_devices WHERE account = ?1`)
	qDeleteProfilesOf = stmt(`DELETE FROM instance_profiles WHERE account = ?1`)
	qDeleteAliasOf    = stmt(`DELETE FROM account_aliases WHERE account = ?1`)

	qGetProfile = stmt(`SELECT ` + profileCols + ` FROM instance_profiles p LEFT JOIN entities e ON e.pk = p.role_pk
		WHERE p.account = ?1 AND p.name_lower = ?2`)
	// ?1 account, ?2 prefix byte length, ?3 prefix, ?4 marker flag, ?5
	// marker, ?6 limit; the prefix is compared as bytes, as in qListByKind.
	qListProfiles = stmt(`SELECT ` + profileCols + ` FROM instance_profiles p LEFT JOIN entities e ON e.pk = p.role_pk
		WHERE p.account = ?1 AND substr(CAST(p.path AS BLOB), 1, ?2) = CAST(?3 AS BLOB)
		  AND (?4 = 0 OR p.name_lower > ?5)
		ORDER BY p.name_lower, p.name
		LIMIT ?6`)
	// ?1 role pk, ?2 marker flag, ?3 marker, ?4 limit.
	qRoleProfiles = stmt(`SELECT ` + profileCols + ` FROM instance_profiles p JOIN entities e ON e.pk = p.role_pk
		WHERE p.role_pk = ?1 AND (?2 = 0 OR p.name_lower > ?3)
		ORDER BY p.name_lower, p.name
		LIMIT ?4`)
	qCreateProfile = stmt(`INSERT INTO instance_profiles (account, name, name_lower, path, id, created, role_pk, data)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`)
	qUpdateProfile = stmt(`UPDATE instance_profiles SET role_pk = ?1, data = ?2 WHERE account = ?3 AND name_lower = ?4`)
	qDeleteProfile = stmt(`DELETE FROM instance_profiles WHERE account = ?1 AND name_lower = ?2`)

	qGetAlias    = stmt(`SELECT alias FROM account_aliases WHERE account = ?1`)
	qAliasOwner  = stmt(`SELECT account FROM account_aliases WHERE alias = ?1`)
	qInsertAlias = stmt(`INSERT INTO account_aliases (alias, account) VALUES (?1, ?2)`)
	qDeleteAlias = stmt(`DELETE FROM account_aliases WHERE account = ?1 AND alias = ?2`)

	qGetEntity = stmt(`SELECT ` + entityCols + ` FROM entities e
		WHERE e.account = ?1 AND e.kind = ?2 AND e.name_lower = ?3`)
	qEntityPK     = stmt(`SELECT pk, name FROM entities WHERE account = ?1 AND kind = ?2 AND name_lower = ?3`)
	qInsertEntity = stmt(`INSERT INTO entities (account, kind, name, name_lower, path, id, created, boundary, data)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`)
	qUpdateEntity = stmt(`UPDATE entities
		SET name = ?1, name_lower = ?2, path = ?3, id = ?4, created = ?5, boundary = ?6, data = ?7
		WHERE account = ?8 AND kind = ?9 AND name_lower = ?10`)
	qDeleteEntity     = stmt(`DELETE FROM entities WHERE account = ?1 AND kind = ?2 AND name_lower = ?3`)
	qDeleteEntityByPK = stmt(`DELETE FROM entities WHERE pk = ?1`)

	// ?1 account, ?2 kind, ?3 prefix byte length, ?4 prefix, ?5 marker
	// flag, ?6 marker, ?7 limit. The path prefix is compared as bytes
	// (case-sensitive, no LIKE wildcards, NUL-safe).
	qListByKind = stmt(`SELECT ` + entityCols + ` FROM entities e
		WHERE e.account = ?1 AND e.kind = ?2
		  AND substr(CAST(e.path AS BLOB), 1, ?3) = CAST(?4 AS BLOB)
		  AND (?5 = 0 OR e.name_lower > ?6)
		ORDER BY e.name_lower, e.name
		LIMIT ?7`)
	// ?1 user pk, ?2 marker flag, ?3 marker, ?4 limit.
	qGroupsForUser = stmt(`SELECT ` + entityCols + ` FROM group_members m
		JOIN entities e ON e.pk = m.group_pk
		WHERE m.user_pk = ?1 AND (?2 = 0 OR e.name_lower > ?3)
		ORDER BY e.name_lower, e.name
		LIMIT ?4`)
	// ?1 group pk, ?2 marker flag, ?3 marker, ?4 limit.
	qGroupUsers = stmt(`SELECT ` + entityCols + ` FROM group_members m
		JOIN entities e ON e.pk = m.user_pk
		WHERE m.group_pk = ?1 AND (?2 = 0 OR e.name_lower > ?3)
		ORDER BY e.name_lower, e.name
		LIMIT ?4`)
	qAddMember = stmt(`INSERT INTO group_members (group_pk, user_pk) VALUES (?1, ?2)
		ON CONFLICT (group_pk, user_pk) DO NOTHING`)
	qRemoveMember = stmt(`DELETE FROM group_members WHERE group_pk = ?1 AND user_pk = ?2`)

	qAccountAttachments = stmt(`SELECT a.owner_pk, a.policy_arn FROM attachments a
		JOIN entities e ON e.pk = a.owner_pk WHERE e.account = ?1`)
	qOwnerAttachments  = stmt(`SELECT policy_arn FROM attachments WHERE owner_pk = ?1 ORDER BY policy_arn`)
	qPolicyAttachments = stmt(`SELECT e.kind, e.name FROM attachments a
		JOIN entities e ON e.pk = a.owner_pk
		WHERE a.policy_arn = ?1 AND e.account = ?2
		ORDER BY e.kind, e.name_lower, e.name`)
	qCountBoundary = stmt(`SELECT count(*) FROM entities
		WHERE account = ?1 AND boundary = ?2 AND boundary <> '' AND kind IN ('user', 'role')`)
	qAttach = stmt(`INSERT INTO attachments (owner_pk, policy_arn) VALUES (?1, ?2)
		ON CONFLICT (owner_pk, policy_arn) DO NOTHING`)
	qDetach = stmt(`DELETE FROM attachments WHERE owner_pk = ?1 AND policy_arn = ?2`)

	qGetVersion = stmt(`SELECT document, created FROM policy_versions WHERE policy_pk = ?1 AND version_id = ?2`)
	// Newest first: by create date, then by insertion order.
	qListVersions = stmt(`SELECT version_id, document, created FROM policy_versions
		WHERE policy_pk = ?1 ORDER BY created DESC, seq DESC`)
	qCreateVersion = stmt(`INSERT INTO policy_versions (policy_pk, version_id, document, created) VALUES (?1, ?2, ?3, ?4)`)
	qDeleteVersion = stmt(`DELETE FROM policy_versions WHERE policy_pk = ?1 AND version_id = ?2`)

	qGetInline  = stmt(`SELECT name, document FROM inline_policies WHERE owner_pk = ?1 AND name_lower = ?2`)
	qListInline = stmt(`SELECT name, document FROM inline_policies WHERE owner_pk = ?1 ORDER BY name_lower, name`)
	qPutInline  = stmt(`INSERT INTO inline_policies (owner_pk, name_lower, name, document) VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT (owner_pk, name_lower) DO UPDATE SET name = excluded.name, document = excluded.document`)
	qDeleteInline = stmt(`DELETE FROM inline_policies WHERE owner_pk = ?1 AND name_lower = ?2`)

	// LoadAccount: everything of an account in a few scans.
	qLoadEntities = stmt(`SELECT e.kind, ` + entityCols + ` FROM entities e WHERE e.account = ?1`)
	qLoadMembers  = stmt(`SELECT u.name, g.name FROM group_members m
		JOIN entities g ON g.pk = m.group_pk JOIN entities u ON u.pk = m.user_pk WHERE g.account = ?1`)
	qLoadAttachments = stmt(`SELECT e.kind, e.name, a.policy_arn FROM attachments a
		JOIN entities e ON e.pk = a.owner_pk WHERE e.account = ?1`)
	qLoadInline = stmt(`SELECT e.kind, e.name, i.name, i.document FROM inline_policies i
		JOIN entities e ON e.pk = i.owner_pk WHERE e.account = ?1`)
	qLoadVersions = stmt(`SELECT e.name, v.version_id, v.document, v.created FROM policy_versions v
		JOIN entities e ON e.pk = v.policy_pk WHERE e.account = ?1 ORDER BY v.created DESC, v.seq DESC`)
	qLoadKeys = stmt(`SELECT ` + accessKeyCols + ` FROM access_keys k
		LEFT JOIN entities e ON e.pk = k.user_pk WHERE k.account = ?1 ORDER BY k.created, k.id`)

	qGetKey = stmt(`SELECT ` + accessKeyCols + ` FROM access_keys k
		LEFT JOIN entities e ON e.pk = k.user_pk WHERE k.id = ?1`)
	qRootKeys = stmt(`SELECT ` + accessKeyCols + ` FROM access_keys k LEFT JOIN entities e ON e.pk = k.user_pk
		WHERE k.account = ?1 AND k.user_pk IS NULL ORDER BY k.created, k.id`)
	qUserKeys = stmt(`SELECT ` + accessKeyCols + ` FROM access_keys k LEFT JOIN entities e ON e.pk = k.user_pk
		WHERE k.account = ?1 AND k.user_pk = ?2 ORDER BY k.created, k.id`)
	qCreateKey = stmt(`INSERT INTO access_keys
		(id, account, user_pk, status, created, sealed_secret, last_used, last_used_service, last_used_region)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`)
	qUpdateKey = stmt(`UPDATE access_keys
		SET status = ?1, last_used = ?2, last_used_service = ?3, last_used_region = ?4 WHERE id = ?5`)
	qDeleteKey = stmt(`DELETE FROM access_keys WHERE id = ?1`)

	qGetOIDC    = stmt(`SELECT created, data FROM oidc_providers WHERE account = ?1 AND url = ?2`)
	qListOIDC   = stmt(`SELECT url, created, data FROM oidc_providers WHERE account = ?1 ORDER BY url`)
	qCreateOIDC = stmt(`INSERT INTO oidc_providers (account, url, created, data) VALUES (?1, ?2, ?3, ?4)`)
	qUpdateOIDC = stmt(`UPDATE oidc_providers SET created = ?1, data = ?2 WHERE account = ?3 AND url = ?4`)
	qDeleteOIDC = stmt(`DELETE FROM oidc_providers WHERE account = ?1 AND url = ?2`)

	qGetSAML    = stmt(`SELECT ` + samlCols + ` FROM saml_providers WHERE account = ?1 AND name_lower = ?2`)
	qListSAML   = stmt(`SELECT ` + samlCols + ` FROM saml_providers WHERE account = ?1 ORDER BY name_lower, name`)
	qCreateSAML = stmt(`INSERT INTO saml_providers (account, name, name_lower, metadata, created, valid_until, data)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`)
	qUpdateSAML = stmt(`UPDATE saml_providers
		SET name = ?1, metadata = ?2, created = ?3, valid_until = ?4, data = ?5
		WHERE account = ?6 AND name_lower = ?7`)
	qDeleteSAML = stmt(`DELETE FROM saml_providers WHERE account = ?1 AND name_lower = ?2`)

	qGetMFA = stmt(`SELECT ` + mfaCols + ` FROM mfa_devices d LEFT JOIN entities e ON e.pk = d.user_pk
		WHERE d.account = ?1 AND d.serial = ?2`)
	// ?1 account, ?2 assignment: 0 all, 1 assigned, 2 unassigned.
	qListMFA = stmt(`SELECT ` + mfaCols + ` FROM mfa_devices d LEFT JOIN entities e ON e.pk = d.user_pk
		WHERE d.account = ?1
		  AND (?2 = 0 OR (?2 = 1 AND d.user_pk IS NOT NULL) OR (?2 = 2 AND d.user_pk IS NULL))
		ORDER BY d.serial`)
	qUserMFA = stmt(`SELECT ` + mfaCols + ` FROM mfa_devices d JOIN entities e ON e.pk = d.user_pk
		WHERE d.account = ?1 AND d.user_pk = ?2 ORDER BY d.serial`)
	qCreateMFA = stmt(`INSERT INTO mfa_devices
		(account, serial, name, path, user_pk, enabled, created, sealed_seed, last_step, data)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`)
	qUpdateMFA = stmt(`UPDATE mfa_devices SET user_pk = ?1, enabled = ?2, last_step = ?3, data = ?4
		WHERE account = ?5 AND serial = ?6`)
	qDeleteMFA = stmt(`DELETE FROM mfa_devices WHERE account = ?1 AND serial = ?2`)

	// Oldest first, then by id.
	qListServiceKeys  = stmt(`SELECT id, sealed, created FROM service_keys WHERE purpose = ?1 ORDER BY created, id`)
	qCreateServiceKey = stmt(`INSERT INTO service_keys (purpose, id, sealed, created) VALUES (?1, ?2, ?3, ?4)`)

	qExpireAssertions = stmt(`DELETE FROM saml_assertions WHERE expires <= ?1`)
	qUseAssertion     = stmt(`INSERT INTO saml_assertions (id, expires) VALUES (?1, ?2)`)
)
