-- The customer each call was with: the daemon looks the caller's number up in its customer
-- directory when the call ends and names the customer in the "call.record" event; this
-- trigger copies it to call_records.customer_id (0011), which the contact history and the
-- agents' view of customers read. A trigger of its own, after events_make_call_records (the
-- triggers of one event fire in name order), which made the row it completes.
CREATE FUNCTION call_records_mark_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE call_records SET customer_id = (NEW.payload->>'customer_id')::uuid
     WHERE call_id = NEW.correlation_id::uuid;
    RETURN NULL;
EXCEPTION WHEN others THEN
    RAISE WARNING 'event % named no usable customer: %', NEW.id, SQLERRM;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_mark_customers
    AFTER INSERT ON events
    FOR EACH ROW
    WHEN (NEW.kind = 'call.record' AND NEW.payload ? 'customer_id')
    EXECUTE FUNCTION call_records_mark_customer();
