-- Warden's PostgreSQL schema, version 7: server certificates, SSH public
-- keys and service-specific credentials (the SQLite backend's version 6).
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
-- Strings are stored escaped and times as in version 1.

-- +goose Up
CREATE TABLE server_certificates (
    pk         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account    text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       text COLLATE "C" NOT NULL,
    name_lower text COLLATE "C" NOT NULL,
    path       text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    created    timestamptz,
    body       text COLLATE "C" NOT NULL,
    chain      text COLLATE "C" NOT NULL DEFAULT '',
    sealed_key bytea NOT NULL,
    -- expiration and tags, JSON
    data       json NOT NULL DEFAULT '{}',
    UNIQUE (account, name_lower)
);

CREATE TABLE ssh_public_keys (
    account     text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id          text COLLATE "C" NOT NULL,
    user_pk     bigint NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    body        text COLLATE "C" NOT NULL,
    fingerprint text COLLATE "C" NOT NULL,
    status      text COLLATE "C" NOT NULL,
    created     timestamptz,
    PRIMARY KEY (account, id)
);

CREATE INDEX ssh_public_keys_user ON ssh_public_keys (user_pk);

CREATE TABLE service_credentials (
    account           text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id                text COLLATE "C" NOT NULL,
    user_pk           bigint NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    service_name      text COLLATE "C" NOT NULL,
    service_user_name text COLLATE "C" NOT NULL,
    sealed_secret     bytea NOT NULL,
    status            text COLLATE "C" NOT NULL,
    created           timestamptz,
    expiration        timestamptz,
    PRIMARY KEY (account, id)
);

CREATE INDEX service_credentials_user ON service_credentials (user_pk);

-- +goose Down
DROP TABLE service_credentials;
DROP TABLE ssh_public_keys;
DROP TABLE server_certificates;
