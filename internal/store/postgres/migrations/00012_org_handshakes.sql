-- Warden's PostgreSQL schema, version 15: when an organization feature
-- was enabled (NULL for the rows of version 13), and Organizations
-- handshakes (the SQLite backend's version 14). Strings are stored
-- escaped, as in version 1.

-- +goose Up
ALTER TABLE org_features ADD COLUMN enabled timestamptz;

CREATE TABLE org_handshakes (
    id      text COLLATE "C" NOT NULL PRIMARY KEY,
    org     text COLLATE "C" NOT NULL REFERENCES org_organizations (id) ON DELETE CASCADE,
    account text COLLATE "C" NOT NULL,
    data    json NOT NULL
);

CREATE INDEX org_handshakes_org ON org_handshakes (org);
CREATE INDEX org_handshakes_account ON org_handshakes (account);

-- +goose Down
DROP TABLE org_handshakes;
ALTER TABLE org_features DROP COLUMN enabled;
