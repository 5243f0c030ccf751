-- Callers turned away before any flow runs: a number, or a prefix written with a trailing
-- '*'. Digits only ('+' and separators are ignored when callers are matched). The daemon
-- reads the rows every few seconds; the API will manage them.
CREATE TABLE caller_blocklist (
    pattern    text        PRIMARY KEY CHECK (pattern ~ '^[0-9]{1,20}\*?$'),
    reason     text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz  -- NULL: until removed
);
