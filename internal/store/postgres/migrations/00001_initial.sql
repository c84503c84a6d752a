-- Warden's PostgreSQL schema, version 1: the logical schema of the SQLite
-- backend's version 1, written for PostgreSQL.
--
-- Named IAM entities (users, groups, roles, managed policies) share one
-- table keyed by an internal bigint pk. Every relation (memberships,
-- attachments, inline policies, policy versions, access keys) refers to
-- that pk, never to a name, so a rename carries everything along and a
-- delete cascades through ON DELETE CASCADE. name_lower is the Go
-- strings.ToLower fold of name (folded in Go, not with lower(), whose
-- result depends on the database's locale): the unique key is
-- case-insensitive while name keeps its case.
--
-- Every text column is COLLATE "C", so comparisons and ORDER BY are by
-- bytes whatever the database's default collation is: list order,
-- markers and path prefixes behave exactly as in SQLite.
--
-- PostgreSQL text cannot hold a NUL byte, and IAM strings may contain one,
-- so the backend stores every string escaped: NUL as 0x01 0x01 and 0x01
-- as 0x01 0x02 (see escape in tx.go). The escape keeps byte order and
-- prefixes, so ORDER BY, > marker and starts_with work on the stored
-- form. The data columns are json (not jsonb, which refuses \u0000).
--
-- Times are timestamptz (microseconds); NULL is the zero time.

-- +goose Up
CREATE TABLE accounts (
    id      text COLLATE "C" NOT NULL PRIMARY KEY,
    created timestamptz
);

CREATE TABLE entities (
    pk         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account    text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       text COLLATE "C" NOT NULL CHECK (kind IN ('user', 'group', 'role', 'policy')),
    name       text COLLATE "C" NOT NULL,
    name_lower text COLLATE "C" NOT NULL,
    path       text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    created    timestamptz,
    -- permissions boundary policy ARN of a user or role, '' for none; a
    -- column rather than a data field so CountBoundaryUses uses an index
    boundary   text COLLATE "C" NOT NULL DEFAULT '',
    -- the kind-specific fields (tags, role trust policy, policy default
    -- version ...), JSON
    data       json NOT NULL DEFAULT '{}',
    UNIQUE (account, kind, name_lower)
);

CREATE INDEX entities_boundary ON entities (account, boundary) WHERE boundary <> '';

CREATE TABLE group_members (
    group_pk bigint NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    user_pk  bigint NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    PRIMARY KEY (group_pk, user_pk)
);

CREATE INDEX group_members_user ON group_members (user_pk);

CREATE TABLE attachments (
    owner_pk   bigint NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    policy_arn text COLLATE "C" NOT NULL,
    PRIMARY KEY (owner_pk, policy_arn)
);

CREATE INDEX attachments_policy ON attachments (policy_arn);

CREATE TABLE inline_policies (
    owner_pk   bigint NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    name_lower text COLLATE "C" NOT NULL,
    name       text COLLATE "C" NOT NULL,
    document   text COLLATE "C" NOT NULL,
    PRIMARY KEY (owner_pk, name_lower)
);

CREATE TABLE policy_versions (
    -- insertion order: breaks ties between equal create dates
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_pk  bigint NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    version_id text COLLATE "C" NOT NULL,
    document   text COLLATE "C" NOT NULL,
    created    timestamptz,
    UNIQUE (policy_pk, version_id)
);

CREATE TABLE access_keys (
    id                text COLLATE "C" NOT NULL PRIMARY KEY,
    account           text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- NULL for the account root user's keys
    user_pk           bigint REFERENCES entities (pk) ON DELETE CASCADE,
    status            text COLLATE "C" NOT NULL,
    created           timestamptz,
    sealed_secret     bytea NOT NULL,
    last_used         timestamptz,
    last_used_service text COLLATE "C" NOT NULL DEFAULT '',
    last_used_region  text COLLATE "C" NOT NULL DEFAULT ''
);

CREATE INDEX access_keys_owner ON access_keys (account, user_pk, created);
CREATE INDEX access_keys_user ON access_keys (user_pk);

-- One row; every committed Update increments value (and announces it with
-- pg_notify on the channel warden_changes).
CREATE TABLE revision (
    id    integer PRIMARY KEY CHECK (id = 1),
    value bigint NOT NULL
);

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
