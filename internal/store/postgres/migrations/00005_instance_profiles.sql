-- Warden's PostgreSQL schema, version 5: instance profiles and account
-- aliases (the SQLite backend's version 4).
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
-- Strings are stored escaped and times as in version 1.

-- +goose Up
CREATE TABLE instance_profiles (
    pk         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account    text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       text COLLATE "C" NOT NULL,
    name_lower text COLLATE "C" NOT NULL,
    path       text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    created    timestamptz,
    -- the role the profile holds; NULL for none
    role_pk    bigint REFERENCES entities (pk) ON DELETE SET NULL,
    -- tags, JSON
    data       json NOT NULL DEFAULT '{}',
    UNIQUE (account, name_lower)
);

CREATE INDEX instance_profiles_role ON instance_profiles (role_pk);

CREATE TABLE account_aliases (
    alias   text COLLATE "C" NOT NULL PRIMARY KEY,
    account text COLLATE "C" NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE account_aliases;
DROP TABLE instance_profiles;
