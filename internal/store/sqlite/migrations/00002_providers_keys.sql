-- Warden's SQLite schema, version 2: identity providers, service keys and
-- the SAML assertion-id replay cache.
--
-- Providers belong to an account (ON DELETE CASCADE from accounts) and are
-- keyed by what IAM keys them by: an OIDC provider by its URL, compared
-- case-sensitively; a SAML provider by its name, unique case-insensitively
-- through name_lower (the Go strings.ToLower fold, as for entities) while
-- name keeps its case. List fields (client ids, thumbprints, tags) are
-- JSON in data, as in entities.data. Times are TEXT in the layout of
-- version 1 ('' is the zero time).
--
-- Service keys and assertion ids belong to Warden itself, not to an
-- account.

-- +goose Up
CREATE TABLE oidc_providers (
    account TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    url     TEXT NOT NULL,
    created TEXT NOT NULL,
    -- client ids, thumbprints and tags, JSON
    data    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    PRIMARY KEY (account, url)
) STRICT, WITHOUT ROWID;

CREATE TABLE saml_providers (
    pk          INTEGER PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_lower  TEXT NOT NULL,
    metadata    TEXT NOT NULL,
    created     TEXT NOT NULL,
    valid_until TEXT NOT NULL DEFAULT '',
    -- tags, JSON
    data        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    UNIQUE (account, name_lower)
) STRICT;

CREATE TABLE service_keys (
    purpose TEXT NOT NULL,
    id      TEXT NOT NULL,
    sealed  BLOB NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (purpose, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX service_keys_created ON service_keys (purpose, created);

-- SAML assertion ids seen, each until it expires (replay protection).
CREATE TABLE saml_assertions (
    id      TEXT NOT NULL PRIMARY KEY,
    expires TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX saml_assertions_expires ON saml_assertions (expires);

-- +goose Down
DROP TABLE saml_assertions;
DROP TABLE service_keys;
DROP TABLE saml_providers;
DROP TABLE oidc_providers;
