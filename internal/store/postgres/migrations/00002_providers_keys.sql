-- Warden's PostgreSQL schema, version 2: identity providers, service keys
-- and the SAML assertion-id replay cache (the SQLite backend's version 2).
--
-- Providers belong to an account (ON DELETE CASCADE from accounts) and are
-- keyed by what IAM keys them by: an OIDC provider by its URL, compared
-- case-sensitively; a SAML provider by its name, unique case-insensitively
-- through name_lower (the Go strings.ToLower fold, as for entities) while
-- name keeps its case. List fields (client ids, thumbprints, tags) are
-- JSON in data, as in entities.data. Strings are stored escaped and times
-- as in version 1.
--
-- Service keys and assertion ids belong to Warden itself, not to an
-- account.

-- +goose Up
CREATE TABLE oidc_providers (
    account text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    url     text COLLATE "C" NOT NULL,
    created timestamptz,
    -- client ids, thumbprints and tags, JSON
    data    json NOT NULL DEFAULT '{}',
    PRIMARY KEY (account, url)
);

CREATE TABLE saml_providers (
    pk          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account     text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        text COLLATE "C" NOT NULL,
    name_lower  text COLLATE "C" NOT NULL,
    metadata    text COLLATE "C" NOT NULL,
    created     timestamptz,
    valid_until timestamptz,
    -- tags, JSON
    data        json NOT NULL DEFAULT '{}',
    UNIQUE (account, name_lower)
);

CREATE TABLE service_keys (
    purpose text COLLATE "C" NOT NULL,
    id      text COLLATE "C" NOT NULL,
    sealed  bytea NOT NULL,
    created timestamptz,
    PRIMARY KEY (purpose, id)
);

CREATE INDEX service_keys_created ON service_keys (purpose, created);

-- SAML assertion ids seen, each until it expires (replay protection); a
-- NULL expiry (the zero time) has always expired.
CREATE TABLE saml_assertions (
    id      text COLLATE "C" NOT NULL PRIMARY KEY,
    expires timestamptz
);

CREATE INDEX saml_assertions_expires ON saml_assertions (expires);

-- +goose Down
DROP TABLE saml_assertions;
DROP TABLE service_keys;
DROP TABLE saml_providers;
DROP TABLE oidc_providers;
