-- Warden's SQLite schema, version 1.
--
-- Named IAM entities (users, groups, roles, managed policies) share one
-- table keyed by an internal integer pk. Every relation (memberships,
-- attachments, inline policies, policy versions, access keys) refers to
-- that pk, never to a name, so a rename carries everything along and a
-- delete cascades through ON DELETE CASCADE (foreign_keys is on for every
-- connection). name_lower is the Go strings.ToLower fold of name: the
-- unique key is case-insensitive while name keeps its case.
--
-- Times are TEXT in one fixed-width UTC layout (see timeLayout in
-- sqlite.go) so that they sort as strings; '' is the zero time.

-- +goose Up
CREATE TABLE accounts (
    id      TEXT NOT NULL PRIMARY KEY,
    created TEXT NOT NULL
) STRICT;

CREATE TABLE entities (
    pk         INTEGER PRIMARY KEY,
    account    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('user', 'group', 'role', 'policy')),
    name       TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    path       TEXT NOT NULL,
    id         TEXT NOT NULL,
    created    TEXT NOT NULL,
    -- permissions boundary policy ARN of a user or role, '' for none; a
    -- column rather than a data field so CountBoundaryUses uses an index
    boundary   TEXT NOT NULL DEFAULT '',
    -- the kind-specific fields (tags, role trust policy, policy default
    -- version ...), JSON
    data       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    UNIQUE (account, kind, name_lower)
) STRICT;

CREATE INDEX entities_boundary ON entities (account, boundary) WHERE boundary <> '';

CREATE TABLE group_members (
    group_pk INTEGER NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    user_pk  INTEGER NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    PRIMARY KEY (group_pk, user_pk)
) STRICT, WITHOUT ROWID;

CREATE INDEX group_members_user ON group_members (user_pk);

CREATE TABLE attachments (
    owner_pk   INTEGER NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    policy_arn TEXT NOT NULL,
    PRIMARY KEY (owner_pk, policy_arn)
) STRICT, WITHOUT ROWID;

CREATE INDEX attachments_policy ON attachments (policy_arn);

CREATE TABLE inline_policies (
    owner_pk   INTEGER NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    name_lower TEXT NOT NULL,
    name       TEXT NOT NULL,
    document   TEXT NOT NULL,
    PRIMARY KEY (owner_pk, name_lower)
) STRICT, WITHOUT ROWID;

CREATE TABLE policy_versions (
    -- insertion order: breaks ties between equal create dates
    seq        INTEGER PRIMARY KEY,
    policy_pk  INTEGER NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    document   TEXT NOT NULL,
    created    TEXT NOT NULL,
    UNIQUE (policy_pk, version_id)
) STRICT;

CREATE TABLE access_keys (
    id                TEXT NOT NULL PRIMARY KEY,
    account           TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- NULL for the account root user's keys
    user_pk           INTEGER REFERENCES entities (pk) ON DELETE CASCADE,
    status            TEXT NOT NULL,
    created           TEXT NOT NULL,
    sealed_secret     BLOB NOT NULL,
    last_used         TEXT NOT NULL DEFAULT '',
    last_used_service TEXT NOT NULL DEFAULT '',
    last_used_region  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX access_keys_owner ON access_keys (account, user_pk, created);
CREATE INDEX access_keys_user ON access_keys (user_pk);

-- One row; every committed Update increments value.
CREATE TABLE revision (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
) STRICT;

INSERT INTO revision (id, value) VALUES (1, 0);

-- +goose Down
DROP TABLE revision;
DROP TABLE access_keys;
DROP TABLE policy_versions;
DROP TABLE inline_policies;
DROP TABLE attachments;
DROP TABLE group_members;
DROP TABLE entities;
DROP TABLE accounts;
