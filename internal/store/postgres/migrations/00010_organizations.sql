-- Warden's PostgreSQL schema, version 11: AWS Organizations (the SQLite
-- backend's version 10).
--
-- Each record is kept whole as JSON in data (the store.Org* types); the
-- columns beside it hold what the schema indexes or constrains. Ids are
-- unique across organizations. An account manages at most one
-- organization and belongs to at most one. Units (the root and its OUs)
-- and accounts link to their parent unit by id; the backend refuses to
-- delete a unit that has children. Everything of an organization goes
-- with it (ON DELETE CASCADE), and an organization goes with its
-- management account. Attachments name AWS-managed policies
-- (p-FullAWSAccess) too, which have no row, so they reference no policy
-- row; the backend removes a policy's or target's attachments with it.
-- Strings are stored escaped, as in version 1.

-- +goose Up
CREATE TABLE org_organizations (
    id                 text COLLATE "C" NOT NULL PRIMARY KEY,
    management_account text COLLATE "C" NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    data               json NOT NULL
);

CREATE TABLE org_units (
    id     text COLLATE "C" NOT NULL PRIMARY KEY,
    org    text COLLATE "C" NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    -- '' for the root
    parent text COLLATE "C" NOT NULL,
    name   text COLLATE "C" NOT NULL,
    data   json NOT NULL,
    UNIQUE (org, parent, name)
);

CREATE INDEX org_units_parent ON org_units (parent);

CREATE TABLE org_accounts (
    account text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    org     text COLLATE "C" NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    parent  text COLLATE "C" NOT NULL,
    data    json NOT NULL
);

CREATE INDEX org_accounts_org ON org_accounts (org);
CREATE INDEX org_accounts_parent ON org_accounts (parent);

CREATE TABLE org_policies (
    id   text COLLATE "C" NOT NULL PRIMARY KEY,
    org  text COLLATE "C" NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    name text COLLATE "C" NOT NULL,
    data json NOT NULL,
    UNIQUE (org, name)
);

CREATE TABLE org_attachments (
    org    text COLLATE "C" NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    policy text COLLATE "C" NOT NULL,
    target text COLLATE "C" NOT NULL,
    PRIMARY KEY (org, policy, target)
);

CREATE INDEX org_attachments_target ON org_attachments (org, target);

CREATE TABLE org_account_requests (
    id   text COLLATE "C" NOT NULL PRIMARY KEY,
    org  text COLLATE "C" NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    data json NOT NULL
);

CREATE INDEX org_account_requests_org ON org_account_requests (org);

-- +goose Down
DROP TABLE org_account_requests;
DROP TABLE org_attachments;
DROP TABLE org_policies;
DROP TABLE org_accounts;
DROP TABLE org_units;
DROP TABLE org_organizations;
