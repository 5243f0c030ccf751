-- Queue callbacks in the call records: a call whose caller took the callback ends with the
-- disposition 'callback', and the call the daemon places to call them back names it in
-- callback_of, so a report follows a caller from the first call to the agent.
ALTER TABLE call_records DROP CONSTRAINT call_records_disposition_check;
ALTER TABLE call_records ADD CONSTRAINT call_records_disposition_check CHECK (disposition IN
    ('connected', 'abandoned', 'self_service', 'refused', 'callback'));
ALTER TABLE call_records ADD COLUMN callback_of uuid;
CREATE INDEX call_records_callback_of_idx ON call_records (callback_of)
    WHERE callback_of IS NOT NULL;

-- After events_make_call_records (triggers on one event fire in name order), which made the
-- row this one completes.
CREATE FUNCTION call_records_mark_callback() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE call_records SET callback_of = (NEW.payload->>'callback_of')::uuid
     WHERE call_id = NEW.correlation_id::uuid;
    RETURN NULL;
EXCEPTION WHEN others THEN
    RAISE WARNING 'event % named no usable callback: %', NEW.id, SQLERRM;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_mark_callbacks
    AFTER INSERT ON events
    FOR EACH ROW
    WHEN (NEW.kind = 'call.record' AND NEW.payload ? 'callback_of')
    EXECUTE FUNCTION call_records_mark_callback();
