-- Warden's SQLite schema, version 7: service last accessed data and
-- report jobs.
--
-- service_access holds, per IAM user or role (by entity pk, so a row
-- follows a rename and goes with the entity: ON DELETE CASCADE), the last
-- attempt to access each service (action '') and each tracked action.
-- at is a time in the layout of entities.created, whose text order is
-- time order.
--
-- access_report_jobs holds generated last accessed reports by job id;
-- report is the report as the IAM service encodes it (JSON).

-- +goose Up
CREATE TABLE service_access (
    entity_pk INTEGER NOT NULL REFERENCES entities (pk) ON DELETE CASCADE,
    service   TEXT NOT NULL,
    action    TEXT NOT NULL,
    at        TEXT NOT NULL,
    region    TEXT NOT NULL,
    PRIMARY KEY (entity_pk, service, action)
) STRICT;

CREATE TABLE access_report_jobs (
    id      TEXT NOT NULL PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    owner   TEXT NOT NULL,
    created TEXT NOT NULL,
    report  TEXT NOT NULL CHECK (json_valid(report))
) STRICT;

CREATE INDEX access_report_jobs_created ON access_report_jobs (created);

-- +goose Down
DROP TABLE access_report_jobs;
DROP TABLE service_access;
