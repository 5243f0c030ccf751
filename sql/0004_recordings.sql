-- The index of call recordings. A recording's end is an event like any other
-- ("recording.completed" or "recording.failed", written behind and spooled while the database
-- is away), and this table is kept from those events by a trigger: an outage loses no index
-- row, and an event replayed from the spool inserts nothing twice (the events table ignores a
-- known id, so the trigger does not even fire).
CREATE TABLE recordings (
    call_uuid    uuid        PRIMARY KEY,
    event_id     uuid        NOT NULL REFERENCES events (id),
    status       text        NOT NULL CHECK (status IN ('completed', 'failed')),
    failure      text,       -- why, when status is 'failed'
    sip_call_id  text,
    caller       text,       -- left channel
    agent        text,       -- right channel: the extension or number that answered
    queue        text,
    started_at   timestamptz NOT NULL,
    duration_ms  bigint      NOT NULL,
    size_bytes   bigint      NOT NULL,
    sha256       text,       -- of the whole file; NULL when it could not be read back
    path         text        NOT NULL,
    pauses       jsonb       NOT NULL DEFAULT '[]'::jsonb,  -- [{offset_ms, length_ms}]
    quality      jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- per leg: loss, jitter_ms, mos
    node         text        NOT NULL
);

-- QA looks recordings up by agent and by time; supervisors by queue.
CREATE INDEX recordings_started_at_idx ON recordings (started_at);
CREATE INDEX recordings_agent_idx ON recordings (agent, started_at);
CREATE INDEX recordings_queue_idx ON recordings (queue, started_at) WHERE queue IS NOT NULL;

CREATE FUNCTION index_recording() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p jsonb := NEW.payload;
BEGIN
    INSERT INTO recordings (call_uuid, event_id, status, failure, sip_call_id, caller, agent,
                            queue, started_at, duration_ms, size_bytes, sha256, path, pauses,
                            quality, node)
    VALUES ((p->>'call_uuid')::uuid, NEW.id,
            CASE WHEN NEW.kind = 'recording.failed' THEN 'failed' ELSE 'completed' END,
            p->>'failure', p->>'sip_call_id', p->>'caller', p->>'agent', p->>'queue',
            (p->>'started_at')::timestamptz, (p->>'duration_ms')::bigint,
            (p->>'size_bytes')::bigint, p->>'sha256', p->>'path',
            COALESCE(p->'pauses', '[]'::jsonb), COALESCE(p->'quality', '{}'::jsonb), NEW.node)
    ON CONFLICT (call_uuid) DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_index_recording
    AFTER INSERT ON events
    FOR EACH ROW
    WHEN (NEW.kind IN ('recording.completed', 'recording.failed'))
    EXECUTE FUNCTION index_recording();
