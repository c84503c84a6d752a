-- Warden's SQLite schema, version 6: server certificates, SSH public keys
-- and service-specific credentials.
--
-- A server certificate belongs to an account (ON DELETE CASCADE from
-- accounts); its name is unique per account case-insensitively (name_lower
-- is the Go strings.ToLower fold of name, as in entities). Its private key
-- is stored sealed; its expiration and tags are JSON in data. created is
-- the upload date.
--
-- SSH public keys and service-specific credentials belong to a user,
-- referenced by the user's entity pk, never by name, so a rename of the
-- user carries along and reads return the user's current name. (IAM
-- refuses to delete a user that has either; the service checks that, the
-- schema cascades only to stay consistent.) Their ids are unique per
-- account. A credential's password (or API key secret) is stored sealed.
-- Times are TEXT in the layout of version 1 ('' is the zero time).

-- +goose Up
CREATE TABLE server_certificates (
    pk         INTEGER PRIMARY KEY,
    account    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    path       TEXT NOT NULL,
    id         TEXT NOT NULL,
    created    TEXT NOT NULL,
    body       TEXT NOT NULL,
    chain      TEXT NOT NULL DEFAULT '',
    sealed_key BLOB NOT NULL,
    -- expiration and tags, JSON
    data       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    UNIQUE (account, name_lower)
) STRICT;

CREATE TABLE ssh_public_keys (
    account     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    user_pk     INTEGER NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      TEXT NOT NULL,
    created     TEXT NOT NULL,
    PRIMARY KEY (account, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX ssh_public_keys_user ON ssh_public_keys (user_pk);

CREATE TABLE service_credentials (
    account           TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    user_pk           INTEGER NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    service_name      TEXT NOT NULL,
    service_user_name TEXT NOT NULL,
    sealed_secret     BLOB NOT NULL,
    status            TEXT NOT NULL,
    created           TEXT NOT NULL,
    expiration        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX service_credentials_user ON service_credentials (user_pk);

-- +goose Down
DROP TABLE service_credentials;
DROP TABLE ssh_public_keys;
DROP TABLE server_certificates;
