-- Sign-in sessions of the API and the console, and which teams a supervisor oversees.

-- A session is an opaque random token given at login; only its SHA-256 is kept, so a copy of
-- this table signs nobody in.
CREATE TABLE sessions (
    token_sha256  bytea PRIMARY KEY CHECK (length(token_sha256) = 32),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    source        text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- The teams whose agents a supervisor may see and steer (agents' teams are in the config).
CREATE TABLE user_teams (
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team     text NOT NULL CHECK (team ~ '^[A-Za-z0-9_.+-]{1,64}$'),
    PRIMARY KEY (user_id, team)
);
