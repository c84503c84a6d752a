-- Warden's SQLite schema, version 10: AWS Organizations.
--
-- Each record is kept whole as JSON in data (the store.Org* types); the
-- columns beside it hold what the schema indexes or constrains. Ids are
-- unique across organizations. An account manages at most one
-- organization and belongs to at most one. Units (the root and its OUs)
-- and accounts link to their parent unit by id; the backend refuses to
-- delete a unit that has children. Everything of an organization goes with it (ON DELETE
-- CASCADE), and an organization goes with its management account.
-- Attachments name AWS-managed policies (p-FullAWSAccess) too, which have
-- no row, so they reference no policy row; the backend removes a policy's
-- or target's attachments with it.

-- +goose Up
CREATE TABLE org_organizations (
    id                 TEXT NOT NULL PRIMARY KEY,
    management_account TEXT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    data               TEXT NOT NULL CHECK (json_valid(data))
) STRICT;

CREATE TABLE org_units (
    id     TEXT NOT NULL PRIMARY KEY,
    org    TEXT NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    -- '' for the root
    parent TEXT NOT NULL,
    name   TEXT NOT NULL,
    data   TEXT NOT NULL CHECK (json_valid(data)),
    UNIQUE (org, parent, name)
) STRICT;

CREATE INDEX org_units_parent ON org_units (parent);

CREATE TABLE org_accounts (
    account TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    org     TEXT NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    parent  TEXT NOT NULL,
    data    TEXT NOT NULL CHECK (json_valid(data))
) STRICT;

CREATE INDEX org_accounts_org ON org_accounts (org);
CREATE INDEX org_accounts_parent ON org_accounts (parent);

CREATE TABLE org_policies (
    id   TEXT NOT NULL PRIMARY KEY,
    org  TEXT NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data)),
    UNIQUE (org, name)
) STRICT;

CREATE TABLE org_attachments (
    org    TEXT NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    policy TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (org, policy, target)
) STRICT;

CREATE INDEX org_attachments_target ON org_attachments (org, target);

CREATE TABLE org_account_requests (
    id   TEXT NOT NULL PRIMARY KEY,
    org  TEXT NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;

CREATE INDEX org_account_requests_org ON org_account_requests (org);

-- +goose Down
DROP TABLE org_account_requests;
DROP TABLE org_attachments;
DROP TABLE org_policies;
DROP TABLE org_accounts;
DROP TABLE org_units;
DROP TABLE org_organizations;
