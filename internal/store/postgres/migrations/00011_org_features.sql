-- Warden's PostgreSQL schema, version 13: the features enabled for an
-- organization (the SQLite backend's version 12). Strings are stored
-- escaped, as in version 1.

-- +goose Up
CREATE TABLE org_features (
    org  text COLLATE "C" NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    name text COLLATE "C" NOT NULL,
    PRIMARY KEY (org, name)
);

-- +goose Down
DROP TABLE org_features;
