-- Warden's PostgreSQL schema, version 8: service last accessed data and
-- report jobs (the SQLite backend's version 7).
--
-- service_access holds, per IAM user or role (by entity pk, so a row
-- follows a rename and goes with the entity: ON DELETE CASCADE), the last
-- attempt to access each service (action '') and each tracked action.
--
-- access_report_jobs holds generated last accessed reports by job id;
-- report is the report as the IAM service encodes it (JSON text). Strings
-- are stored escaped and times as in version 1.

-- +goose Up
CREATE TABLE service_access (
    entity_pk bigint NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    service   text COLLATE "C" NOT NULL,
    action    text COLLATE "C" NOT NULL,
    at        timestamptz NOT NULL,
    region    text COLLATE "C" NOT NULL,
    PRIMARY KEY (entity_pk, service, action)
);

CREATE TABLE access_report_jobs (
    id      text COLLATE "C" NOT NULL PRIMARY KEY,
    account text COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    owner   text COLLATE "C" NOT NULL,
    created timestamptz NOT NULL,
    report  text COLLATE "C" NOT NULL
);

CREATE INDEX access_report_jobs_created ON access_report_jobs (created);

-- +goose Down
DROP TABLE access_report_jobs;
DROP TABLE service_access;
