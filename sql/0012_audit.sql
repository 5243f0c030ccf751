-- Who did what through the API: logins (failed ones too), state changes, recording playback
-- and downloads, configuration reloads, data changes. Entries are "audit" events of the event
-- log, copied here by a trigger, so a database outage loses none (the log spools and replays
-- them) and a replay adds none twice (the log ignores a known id). Append-only by intent:
-- nothing in the daemon updates or deletes these rows.
CREATE TABLE audit_log (
    event_id    uuid PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text,          -- the user's login; NULL when nobody was signed in
    actor_id    uuid,
    actor_role  text,
    source      text NOT NULL, -- the client's IP address
    action      text NOT NULL, -- e.g. auth.login, agent.state, recording.download
    target      text NOT NULL, -- what it was done to: an agent, a call, a customer...
    outcome     text NOT NULL, -- ok, or the error code the client got
    request_id  text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
    node        text NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);

CREATE FUNCTION audit_log_from_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p jsonb := NEW.payload;
BEGIN
    INSERT INTO audit_log (event_id, at, actor, actor_id, actor_role, source, action, target,
                           outcome, request_id, detail, node)
    VALUES (NEW.id, NEW.occurred_at, p->>'user', (p->>'user_id')::uuid, p->>'role',
            coalesce(p->>'source', ''), p->>'action', coalesce(p->>'target', ''),
            coalesce(p->>'outcome', ''), coalesce(p->>'request_id', ''),
            coalesce(p->'detail', '{}'::jsonb), NEW.node)
    ON CONFLICT (event_id) DO NOTHING;
    RETURN NULL;
EXCEPTION WHEN others THEN
    -- A malformed entry must not refuse its whole batch; the event itself stays in the log.
    RAISE WARNING 'event % made no audit row: %', NEW.id, SQLERRM;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_audit_log
    AFTER INSERT ON events
    FOR EACH ROW
    WHEN (NEW.kind = 'audit')
    EXECUTE FUNCTION audit_log_from_event();
