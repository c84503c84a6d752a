-- Warden's PostgreSQL schema, version 4: virtual MFA devices (the SQLite
-- backend's version 3).
--
-- A device belongs to an account (ON DELETE CASCADE from accounts) and is
-- keyed by its serial number (its ARN), compared case-sensitively. The
-- user it is enabled for is referenced by the user's entity pk, never by
-- name, so a rename of the user carries along and reads return the
-- user's current name. user_pk is NULL while the device is unassigned;
-- deleting the user unassigns it (ON DELETE SET NULL), and a device read
-- without a user has the zero enable date whatever enabled holds. (IAM
-- refuses to delete a user with an enabled device; the service checks
-- that, the schema only stays consistent.)
--
-- The seed is stored sealed; tags are JSON in data, as in entities.data.
-- Strings are stored escaped and times as in version 1.

-- +goose Up
CREATE TABLE mfa_devices (
    account     text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    serial      text COLLATE "C" NOT NULL,
    name        text COLLATE "C" NOT NULL,
    path        text COLLATE "C" NOT NULL,
    -- the user the device is enabled for; NULL while unassigned
    user_pk     bigint REFERENCES entities (pk) ON DELETE SET NULL,
    enabled     timestamptz,
    created     timestamptz,
    sealed_seed bytea NOT NULL,
    -- the TOTP time step of the last code accepted
    last_step   bigint NOT NULL DEFAULT 0,
    -- tags, JSON
    data        json NOT NULL DEFAULT '{}',
    PRIMARY KEY (account, serial)
);

CREATE INDEX mfa_devices_user ON mfa_devices (user_pk);

-- +goose Down
DROP TABLE mfa_devices;
