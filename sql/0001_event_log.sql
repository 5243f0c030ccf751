-- The durable event log: daemon, call, queue and agent events, written behind by the
-- store's event_log. Rows are never updated; `id` is a UUID made by the producing node, so a
-- batch replayed from the spool after a lost acknowledgement inserts nothing twice.
-- `log_position` is the order in which events reached the database, which for one producer
-- is the order in which it appended them.
CREATE TABLE events (
    id             uuid        PRIMARY KEY,
    log_position   bigserial   NOT NULL UNIQUE,
    occurred_at    timestamptz NOT NULL,
    kind           text        NOT NULL,
    correlation_id text,       -- call or request id; NULL when the event belongs to none
    node           text        NOT NULL,
    payload        jsonb       NOT NULL DEFAULT '{}'::jsonb
);

-- Reports read time ranges, often of one kind ("all call.abandoned yesterday").
CREATE INDEX events_occurred_at_idx ON events (occurred_at);
CREATE INDEX events_kind_occurred_at_idx ON events (kind, occurred_at);

-- A call's or request's history in log order; most events carry one.
CREATE INDEX events_correlation_idx ON events (correlation_id, log_position)
    WHERE correlation_id IS NOT NULL;
