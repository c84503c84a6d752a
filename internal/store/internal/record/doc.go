// Package record holds what the SQL backends (internal/store/sqlite and
// internal/store/postgres) share that is not SQL: the stored form of the
// store's records. It converts users, groups, roles, managed policies,
// OIDC and SAML providers and MFA devices to and from the JSON of their
// data columns, checks that every string is valid UTF-8 before it is
// stored, encodes and decodes list markers, assembles a page from the rows
// a list query returned, and sorts the entity rows of LoadAccount into a
// store.AccountData.
//
// The formats here are on disk in existing databases of both backends:
// changing a JSON field name, the time layout or the marker encoding
// breaks them. Both backends must keep reading what the other writes
// (the JSON shapes were the SQLite backend's first).
//
// It must not hold SQL, a driver, transactions or anything else that
// depends on the database: each backend writes its SQL, maps its driver
// errors and encodes its columns itself (STYLE §4). It imports only
// internal/store and the standard library.
package record
