-- Call detail records: one row per call that is over, and the segments of its life (IVR, queue
-- wait, ringing, talk, hold, transfer, after-call work). The database fills them itself from
-- the event log: a "call.record" event becomes a call_records row and its call_segments, and an
-- "agent.state" event out of wrap-up adds that agent's after-call work to the call. The log
-- inserts each event once (its id is the key), so each fact lands once, whether it was written
-- directly or replayed from the spool later.
CREATE TABLE call_records (
    call_id       uuid PRIMARY KEY,
    sip_call_id   text NOT NULL,
    caller        text NOT NULL,      -- the user part of the caller's From
    caller_name   text NOT NULL,
    dialed        text NOT NULL,      -- the user part of the request URI
    started_at    timestamptz NOT NULL,
    answered_at   timestamptz,        -- the caller's 2xx, here or from a callee
    connected_at  timestamptz,        -- the first talk with an agent or callee
    ended_at      timestamptz NOT NULL,
    disposition   text NOT NULL CHECK (disposition IN
                      ('connected', 'abandoned', 'self_service', 'refused')),
    status        integer NOT NULL,   -- refused: the final status sent; else 0
    ended_by      text NOT NULL,      -- caller, agent, callee or system
    queue         text,               -- the last queue it waited in
    agent         text,               -- the last agent it talked to
    wait_ms       bigint,             -- start to connect; NULL when never connected
    talk_ms       bigint NOT NULL,
    hold_ms       bigint NOT NULL,
    node          text NOT NULL
);
CREATE INDEX call_records_started_idx ON call_records (started_at);
CREATE INDEX call_records_caller_idx ON call_records (caller, started_at);
CREATE INDEX call_records_agent_idx ON call_records (agent, started_at) WHERE agent IS NOT NULL;
CREATE INDEX call_records_queue_idx ON call_records (queue, started_at) WHERE queue IS NOT NULL;

-- No foreign key to call_records: an agent's after-call work can reach the database before the
-- record of its call (the two come from different strands).
CREATE TABLE call_segments (
    event_id    uuid NOT NULL,        -- the event it came from
    seq         integer NOT NULL,     -- its place in that event
    call_id     uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN
                    ('ivr', 'queue', 'ring', 'talk', 'hold', 'transfer', 'after_call_work')),
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz NOT NULL,
    party       text NOT NULL DEFAULT '',  -- the flow, agent, extension or number; who held
    queue       text NOT NULL DEFAULT '',
    result      text NOT NULL DEFAULT '',
    detail      text NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, seq)
);
CREATE INDEX call_segments_call_idx ON call_segments (call_id, started_at);
CREATE INDEX call_segments_party_idx ON call_segments (party, started_at) WHERE party <> '';

CREATE FUNCTION call_records_from_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p jsonb := NEW.payload;
BEGIN
    IF NEW.kind = 'call.record' THEN
        INSERT INTO call_segments (event_id, seq, call_id, kind, started_at, ended_at, party,
                                   queue, result, detail)
        SELECT NEW.id, s.ord::integer, NEW.correlation_id::uuid, s.value->>'kind',
               (s.value->>'started')::timestamptz, (s.value->>'ended')::timestamptz,
               coalesce(s.value->>'party', ''), coalesce(s.value->>'queue', ''),
               coalesce(s.value->>'result', ''), coalesce(s.value->>'detail', '')
          FROM jsonb_array_elements(coalesce(p->'segments', '[]'::jsonb))
               WITH ORDINALITY AS s(value, ord);
        INSERT INTO call_records (call_id, sip_call_id, caller, caller_name, dialed, started_at,
                                  answered_at, connected_at, ended_at, disposition, status,
                                  ended_by, queue, agent, wait_ms, talk_ms, hold_ms, node)
        VALUES (NEW.correlation_id::uuid, p->>'sip_call_id', p->>'caller', p->>'caller_name',
                p->>'dialed', (p->>'started')::timestamptz, (p->>'answered')::timestamptz,
                (p->>'connected')::timestamptz, (p->>'ended')::timestamptz, p->>'disposition',
                (p->>'status')::integer, p->>'ended_by', nullif(p->>'queue', ''),
                nullif(p->>'agent', ''),
                (extract(epoch FROM (p->>'connected')::timestamptz
                                    - (p->>'started')::timestamptz) * 1000)::bigint,
                (SELECT coalesce(sum(extract(epoch FROM ended_at - started_at) * 1000), 0)::bigint
                   FROM call_segments WHERE event_id = NEW.id AND kind = 'talk'),
                (SELECT coalesce(sum(extract(epoch FROM ended_at - started_at) * 1000), 0)::bigint
                   FROM call_segments WHERE event_id = NEW.id AND kind = 'hold'),
                NEW.node)
        ON CONFLICT (call_id) DO NOTHING;
    ELSE
        INSERT INTO call_segments (event_id, seq, call_id, kind, started_at, ended_at, party,
                                   queue, result)
        VALUES (NEW.id, 1, (p->>'call')::uuid, 'after_call_work',
                NEW.occurred_at - make_interval(secs => (p->>'after_call_work_ms')::bigint / 1000.0),
                NEW.occurred_at, coalesce(p->>'agent', ''), coalesce(p->>'queue', ''),
                coalesce(p->>'state', ''));
    END IF;
    RETURN NULL;
EXCEPTION WHEN others THEN
    -- A malformed record must not refuse its whole batch: the event stays in the log, which
    -- is the source of truth, and the record can be rebuilt from it.
    RAISE WARNING 'event % (%) made no call record: %', NEW.id, NEW.kind, SQLERRM;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_make_call_records
    AFTER INSERT ON events
    FOR EACH ROW
    WHEN (NEW.kind = 'call.record'
          OR (NEW.kind = 'agent.state' AND NEW.payload->>'previous' = 'wrap_up'
              AND NEW.payload ? 'call' AND NEW.payload ? 'after_call_work_ms'))
    EXECUTE FUNCTION call_records_from_event();
