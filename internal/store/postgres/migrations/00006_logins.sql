-- Warden's PostgreSQL schema, version 6: login profiles, the account
-- password policy, signing certificates and credential reports (the SQLite
-- backend's version 5).
--
-- A login profile belongs to a user, referenced by the user's entity pk
-- (a rename carries it; deleting the user deletes it, although IAM
-- refuses to delete a user with a profile: the service checks that, the
-- schema only stays consistent). The password is stored only as a hash;
-- history holds the hashes of earlier passwords, newest first, as a JSON
-- array of strings.
--
-- A signing certificate belongs to an account and, unless it is the root
-- user's (user_pk NULL), to a user; its id is unique per account.
--
-- An account has at most one password policy and one credential report
-- (the latest). Strings are stored escaped and times as in version 1.

-- +goose Up
CREATE TABLE login_profiles (
    user_pk        bigint NOT NULL PRIMARY KEY REFERENCES entities (pk) ON DELETE CASCADE,
    account        text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    hash           text COLLATE "C" NOT NULL,
    reset_required boolean NOT NULL,
    created        timestamptz,
    changed        timestamptz,
    history        json NOT NULL DEFAULT '[]'
);

CREATE INDEX login_profiles_account ON login_profiles (account);

CREATE TABLE password_policies (
    account           text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    min_length        integer NOT NULL,
    require_symbols   boolean NOT NULL,
    require_numbers   boolean NOT NULL,
    require_uppercase boolean NOT NULL,
    require_lowercase boolean NOT NULL,
    allow_change      boolean NOT NULL,
    max_age           integer NOT NULL,
    reuse_prevention  integer NOT NULL,
    hard_expiry       boolean NOT NULL
);

CREATE TABLE signing_certificates (
    account  text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id       text COLLATE "C" NOT NULL,
    -- the user; NULL for the root user
    user_pk  bigint REFERENCES entities (pk) ON DELETE CASCADE,
    body     text COLLATE "C" NOT NULL,
    status   text COLLATE "C" NOT NULL,
    uploaded timestamptz,
    PRIMARY KEY (account, id)
);

CREATE INDEX signing_certificates_user ON signing_certificates (account, user_pk);

CREATE TABLE credential_reports (
    account   text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    generated timestamptz,
    content   bytea NOT NULL
);

-- +goose Down
DROP TABLE credential_reports;
DROP TABLE signing_certificates;
DROP TABLE password_policies;
DROP TABLE login_profiles;
