-- Agents' skills as supervisors and admins set them through the API, over those of the
-- configuration file. A change is an "agent.skills" event of the event log (payload: agent,
-- skills as {"skill": level} or null for "back to the configuration's", by), filed here by a
-- trigger, so a database outage loses none; each start puts the rows back in force.
CREATE TABLE agent_skill_overrides (
    agent      text PRIMARY KEY,
    skills     jsonb NOT NULL,
    written_by text NOT NULL,
    written_at timestamptz NOT NULL,
    event_id   uuid NOT NULL
);

CREATE FUNCTION agent_skill_overrides_from_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p jsonb := NEW.payload;
BEGIN
    IF p->'skills' IS NULL OR jsonb_typeof(p->'skills') <> 'object' THEN
        -- Back to the configuration's, unless a newer change is filed already.
        DELETE FROM agent_skill_overrides
         WHERE agent = p->>'agent' AND written_at <= NEW.occurred_at;
        RETURN NULL;
    END IF;
    INSERT INTO agent_skill_overrides (agent, skills, written_by, written_at, event_id)
    VALUES (p->>'agent', p->'skills', coalesce(p->>'by', ''), NEW.occurred_at, NEW.id)
    ON CONFLICT (agent) DO UPDATE
        SET skills = EXCLUDED.skills, written_by = EXCLUDED.written_by,
            written_at = EXCLUDED.written_at, event_id = EXCLUDED.event_id
        -- A replayed or late event never overwrites a newer change.
        WHERE agent_skill_overrides.written_at <= EXCLUDED.written_at;
    RETURN NULL;
EXCEPTION WHEN others THEN
    RAISE WARNING 'event % changed no skills: %', NEW.id, SQLERRM;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_agent_skill_overrides
    AFTER INSERT ON events
    FOR EACH ROW
    WHEN (NEW.kind = 'agent.skills')
    EXECUTE FUNCTION agent_skill_overrides_from_event();
