-- Warden's SQLite schema, version 12: the features enabled for an
-- organization (trusted access for a service, IAM's centralized root
-- access), one row each, gone with the organization.

-- +goose Up
CREATE TABLE org_features (
    org  TEXT NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (org, name)
) STRICT;

-- +goose Down
DROP TABLE org_features;
