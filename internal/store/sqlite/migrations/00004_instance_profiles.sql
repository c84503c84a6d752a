-- Warden's SQLite schema, version 4: instance profiles and account aliases.
--
-- An instance profile belongs to an account (ON DELETE CASCADE from
-- accounts); its name is unique per account case-insensitively (name_lower
-- is the Go strings.ToLower fold of name, as in entities). The role it
-- holds (IAM allows at most one) is referenced by the role's entity pk,
-- never by name, so reads return the role's current name; deleting the
-- role empties the profile (ON DELETE SET NULL). (IAM refuses to delete a
-- role that is in a profile; the service checks that, the schema only
-- stays consistent.) Tags are JSON in data, as in entities.data.
--
-- An account has at most one alias, and an alias is unique across all
-- accounts (compared case-sensitively; IAM allows only lower case).

-- +goose Up
CREATE TABLE instance_profiles (
    pk         INTEGER PRIMARY KEY,
    account    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    path       TEXT NOT NULL,
    id         TEXT NOT NULL,
    created    TEXT NOT NULL,
    -- the role the profile holds; NULL for none
    role_pk    INTEGER REFERENCES entities (pk) ON DELETE SET NULL,
    -- tags, JSON
    data       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    UNIQUE (account, name_lower)
) STRICT;

CREATE INDEX instance_profiles_role ON instance_profiles (role_pk);

CREATE TABLE account_aliases (
    alias   TEXT NOT NULL PRIMARY KEY,
    account TEXT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE
) STRICT;

-- +goose Down
DROP TABLE account_aliases;
DROP TABLE instance_profiles;
