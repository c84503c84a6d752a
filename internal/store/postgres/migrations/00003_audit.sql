-- The audit trail: one CloudTrail-format event per API request, kept in
-- the database so that every node of a deployment writes to one trail.

-- +goose Up
CREATE TABLE audit_events (
    seq     BIGSERIAL PRIMARY KEY,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    event   JSON NOT NULL
);

CREATE INDEX audit_events_created ON audit_events (created);

-- +goose Down
DROP TABLE audit_events;
