-- SIP registrations (RFC 3261 §10): the contacts each extension registered. The registrar keeps
-- them in memory and writes changes behind; on start it loads the unexpired ones, so phones
-- stay reachable across a restart without re-registering.
CREATE TABLE sip_registrations (
    extension      text NOT NULL REFERENCES sip_accounts (extension) ON DELETE CASCADE,
    contact        text NOT NULL,
    -- The flow the REGISTER arrived on: responses and requests to the contact go back over it
    -- (symmetric routing behind NAT).
    transport      text NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls', 'ws', 'wss')),
    local_address  inet NOT NULL,
    local_port     integer NOT NULL CHECK (local_port BETWEEN 0 AND 65535),
    remote_address inet NOT NULL,
    remote_port    integer NOT NULL CHECK (remote_port BETWEEN 0 AND 65535),
    call_id        text NOT NULL,
    cseq           bigint NOT NULL,
    -- RFC 5626 instance id (+sip.instance) and reg-id, when the client sent them.
    instance_id    text NOT NULL DEFAULT '',
    reg_id         integer NOT NULL DEFAULT 0,
    q_milli        integer NOT NULL DEFAULT 1000 CHECK (q_milli BETWEEN 0 AND 1000),
    user_agent     text NOT NULL DEFAULT '',
    registered_at  timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    PRIMARY KEY (extension, contact)
);
CREATE INDEX sip_registrations_expiry_idx ON sip_registrations (expires_at);
