-- Warden's PostgreSQL schema, version 10: account settings (the SQLite
-- backend's version 9).
--
-- An account setting is a named value of one account: the account-wide
-- switches and preferences of IAM and STS (outbound identity federation,
-- the global endpoint's token version, account properties). Names compare
-- case-sensitively; the service owns their vocabulary. A setting goes with
-- its account (ON DELETE CASCADE). Strings are stored escaped, as in
-- version 1.

-- +goose Up
CREATE TABLE account_settings (
    account text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name    text COLLATE "C" NOT NULL,
    value   text COLLATE "C" NOT NULL,
    PRIMARY KEY (account, name)
);

-- +goose Down
DROP TABLE account_settings;
