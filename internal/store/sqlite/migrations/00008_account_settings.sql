-- Warden's SQLite schema, version 9: account settings.
--
-- An account setting is a named value of one account: the account-wide
-- switches and preferences of IAM and STS (outbound identity federation,
-- the global endpoint's token version, account properties). Names compare
-- case-sensitively; the service owns their vocabulary. A setting goes with
-- its account (ON DELETE CASCADE).

-- +goose Up
CREATE TABLE account_settings (
    account TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (account, name)
) STRICT;

-- +goose Down
DROP TABLE account_settings;
