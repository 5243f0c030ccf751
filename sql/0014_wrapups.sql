-- What agents say of their calls in wrap-up: a disposition code from the site's list and free
-- notes. The list is edited by admins through the API; a code is retired (active = false),
-- never deleted, since past calls keep naming it. A wrap-up is a "call.wrapup" event of the
-- event log, filed here by a trigger, so a database outage loses none; the latest written
-- wins when an agent (or a supervisor) changes it later.
CREATE TABLE disposition_codes (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,32}$'),
    label      text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE call_wrapups (
    call_id     uuid PRIMARY KEY,
    agent       text NOT NULL,         -- whose call it was
    disposition text,                  -- a code of disposition_codes, or none
    notes       text NOT NULL DEFAULT '',
    written_by  text NOT NULL,         -- the login that wrote it last
    written_at  timestamptz NOT NULL,
    event_id    uuid NOT NULL
);
CREATE INDEX call_wrapups_disposition_idx ON call_wrapups (disposition, written_at);

CREATE FUNCTION call_wrapups_from_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p jsonb := NEW.payload;
BEGIN
    INSERT INTO call_wrapups (call_id, agent, disposition, notes, written_by, written_at,
                              event_id)
    VALUES (NEW.correlation_id::uuid, p->>'agent', p->>'disposition',
            coalesce(p->>'notes', ''), coalesce(p->>'by', ''), NEW.occurred_at, NEW.id)
    ON CONFLICT (call_id) DO UPDATE
        SET agent = EXCLUDED.agent, disposition = EXCLUDED.disposition,
            notes = EXCLUDED.notes, written_by = EXCLUDED.written_by,
            written_at = EXCLUDED.written_at, event_id = EXCLUDED.event_id
        -- A replayed or late event never overwrites a newer wrap-up.
        WHERE call_wrapups.written_at <= EXCLUDED.written_at;
    RETURN NULL;
EXCEPTION WHEN others THEN
    RAISE WARNING 'event % made no wrap-up: %', NEW.id, SQLERRM;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_call_wrapups
    AFTER INSERT ON events
    FOR EACH ROW
    WHEN (NEW.kind = 'call.wrapup')
    EXECUTE FUNCTION call_wrapups_from_event();
