-- Warden's SQLite schema, version 5: login profiles, the account password
-- policy, signing certificates and credential reports.
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
-- (the latest). Times are TEXT in the layout of version 1 ('' is the zero
-- time).

-- +goose Up
CREATE TABLE login_profiles (
    user_pk        INTEGER NOT NULL PRIMARY KEY REFERENCES entities (pk) ON DELETE CASCADE,
    account        TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    hash           TEXT NOT NULL,
    reset_required INTEGER NOT NULL,
    created        TEXT NOT NULL,
    changed        TEXT NOT NULL,
    history        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(history))
) STRICT;

CREATE INDEX login_profiles_account ON login_profiles (account);

CREATE TABLE password_policies (
    account            TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    min_length         INTEGER NOT NULL,
    require_symbols    INTEGER NOT NULL,
    require_numbers    INTEGER NOT NULL,
    require_uppercase  INTEGER NOT NULL,
    require_lowercase  INTEGER NOT NULL,
    allow_change       INTEGER NOT NULL,
    max_age            INTEGER NOT NULL,
    reuse_prevention   INTEGER NOT NULL,
    hard_expiry        INTEGER NOT NULL
) STRICT;

CREATE TABLE signing_certificates (
    account  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id       TEXT NOT NULL,
    -- the user; NULL for the root user
    user_pk  INTEGER REFERENCES entities (pk) ON DELETE CASCADE,
    body     TEXT NOT NULL,
    status   TEXT NOT NULL,
    uploaded TEXT NOT NULL,
    PRIMARY KEY (account, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX signing_certificates_user ON signing_certificates (account, user_pk);

CREATE TABLE credential_reports (
    account   TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    generated TEXT NOT NULL,
    content   BLOB NOT NULL
) STRICT;

-- +goose Down
DROP TABLE credential_reports;
DROP TABLE signing_certificates;
DROP TABLE password_policies;
DROP TABLE login_profiles;
