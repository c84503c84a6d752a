-- Warden's SQLite schema, version 3: virtual MFA devices.
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
-- Times are TEXT in the layout of version 1 ('' is the zero time).

-- +goose Up
CREATE TABLE mfa_devices (
    account     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    serial      TEXT NOT NULL,
    name        TEXT NOT NULL,
    path        TEXT NOT NULL,
    -- the user the device is enabled for; NULL while unassigned
    user_pk     INTEGER REFERENCES entities (pk) ON DELETE SET NULL,
    enabled     TEXT NOT NULL DEFAULT '',
    created     TEXT NOT NULL,
    sealed_seed BLOB NOT NULL,
    -- the TOTP time step of the last code accepted
    last_step   INTEGER NOT NULL DEFAULT 0,
    -- tags, JSON
    data        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    PRIMARY KEY (account, serial)
) STRICT, WITHOUT ROWID;

CREATE INDEX mfa_devices_user ON mfa_devices (user_pk);

-- +goose Down
DROP TABLE mfa_devices;
