-- Warden's SQLite schema, version 14: when an organization feature was
-- enabled (trusted access is listed with its date; '' for the rows of
-- version 12), and Organizations handshakes (invitations), each kept whole
-- as JSON in data like the other organizations records, gone with the
-- organization. account is the invited account ('' while none), indexed
-- for the account's own list.

-- +goose Up
ALTER TABLE org_features ADD COLUMN enabled TEXT NOT NULL DEFAULT '';

CREATE TABLE org_handshakes (
    id      TEXT NOT NULL PRIMARY KEY,
    org     TEXT NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    data    TEXT NOT NULL CHECK (json_valid(data))
) STRICT;

CREATE INDEX org_handshakes_org ON org_handshakes (org);
CREATE INDEX org_handshakes_account ON org_handshakes (account);

-- +goose Down
DROP TABLE org_handshakes;
ALTER TABLE org_features DROP COLUMN enabled;
