-- The ACD's model in force: agents (teams, skills) and queues (skills, strategy, thresholds) as
-- the daemon last started with them, so reports and the console can join events and call
-- records with names and skills. The configuration file is the source: each start of a node
-- writes its model here (replacing what is gone from it), once the database answers.
CREATE TABLE acd_agents (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    extension   text NOT NULL,
    teams       jsonb NOT NULL,     -- ["support", ...]
    skills      jsonb NOT NULL,     -- {"support": 8, ...}: skill to level 1..10
    auto_login  boolean NOT NULL,
    node        text NOT NULL,      -- the node whose start wrote it
    updated_at  timestamptz NOT NULL
);

CREATE TABLE acd_queues (
    name        text PRIMARY KEY,
    skills      jsonb NOT NULL,     -- {"support": 1, ...}: skill to the lowest level taken
    strategy    text NOT NULL,
    settings    jsonb NOT NULL,     -- limits, thresholds and timers, in milliseconds
    node        text NOT NULL,
    updated_at  timestamptz NOT NULL
);
