-- The CRM: customers and their phone numbers, tickets with their comments and history, and the
-- knowledge base. Full-text search: PostgreSQL's parsers do not split Chinese, so the daemon
-- tokenises text itself (Latin words lower-cased, CJK runs as overlapping bigrams plus single
-- characters) and stores to_tsvector('simple', <tokens>) in the search columns; queries go
-- through the same tokeniser. A row written by other means has an empty vector (it is still
-- listed, just not found by words) until the daemon writes it again.

-- People and companies the center talks to. `account` holds the site's own fields (contract
-- number, plan, ...) as one flat JSON object, so a site adds a field without a migration.
-- search_text: name (weight A), tags (B), notes (C).
CREATE TABLE customers (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (name <> ''),
    account     jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(account) = 'object'),
    vip_level   smallint NOT NULL DEFAULT 0 CHECK (vip_level BETWEEN 0 AND 5),
    tags        text[] NOT NULL DEFAULT '{}',
    notes       text NOT NULL DEFAULT '',
    search_text tsvector NOT NULL DEFAULT ''::tsvector,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_search_idx ON customers USING gin (search_text);
-- Lists and exports page through customers by name.
CREATE INDEX customers_name_idx ON customers (name, id);

-- A customer's numbers in E.164. The number is the key: one number belongs to one customer, so
-- an incoming call identifies at most one and the screen pop never has to guess.
CREATE TABLE customer_phones (
    number      text PRIMARY KEY CHECK (number ~ '^\+[1-9][0-9]{4,14}$'),
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    label       text NOT NULL DEFAULT '',
    position    smallint NOT NULL DEFAULT 0  -- the order in which the numbers were given
);
CREATE INDEX customer_phones_customer_idx ON customer_phones (customer_id, position);
-- Agents search by the start of a number; the primary key's collation cannot serve LIKE 'x%'.
CREATE INDEX customer_phones_prefix_idx ON customer_phones (number text_pattern_ops);

-- The customer a call was with, for the contact history and for which customers an agent may
-- see. No foreign key: records come from the event log and may reach the database before the
-- customer exists or after it was deleted; a dangling id simply finds no customer.
ALTER TABLE call_records ADD COLUMN customer_id uuid;
CREATE INDEX call_records_customer_idx ON call_records (customer_id, started_at)
    WHERE customer_id IS NOT NULL;

-- Work items ("ticket 1234": a number people can say). The workflow (new, open, pending,
-- resolved, closed) is enforced by the daemon, which writes a ticket_history row for each
-- change. search: subject (A), description (B), comments (C).
CREATE TABLE tickets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject     text NOT NULL CHECK (subject <> ''),
    description text NOT NULL DEFAULT '',
    status      text NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'open', 'pending', 'resolved', 'closed')),
    priority    text NOT NULL DEFAULT 'normal'
                CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    -- A ticket outlives the customer it was about: it stays, unlinked, for the record.
    customer_id uuid REFERENCES customers (id) ON DELETE SET NULL,
    call_id     uuid,        -- the call it came from; no key for the same reason as above
    assignee    text,        -- an agent's login
    team        text,
    due_at      timestamptz,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    search      tsvector NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX tickets_search_idx ON tickets USING gin (search);
CREATE INDEX tickets_assignee_idx ON tickets (assignee, status) WHERE assignee IS NOT NULL;
CREATE INDEX tickets_team_idx ON tickets (team, status) WHERE team IS NOT NULL;
CREATE INDEX tickets_created_by_idx ON tickets (created_by);
CREATE INDEX tickets_customer_idx ON tickets (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX tickets_status_due_idx ON tickets (status, due_at);

-- The conversation on a ticket, oldest first.
CREATE TABLE ticket_comments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id  bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author     text NOT NULL,
    body       text NOT NULL CHECK (body <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, id);

-- Who changed what on a ticket and when: one row per changed field (status, priority,
-- assignee, team, due time, subject, ...), plus one 'created' row. Values are text as shown to
-- people (times in ISO 8601 UTC); NULL means "none".
CREATE TABLE ticket_history (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    actor     text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    field     text NOT NULL,
    old_value text,
    new_value text
);
CREATE INDEX ticket_history_ticket_idx ON ticket_history (ticket_id, id);

-- Answers agents look up during a call. search: title and tags (A), body (B), so a hit in
-- the title ranks first.
CREATE TABLE kb_articles (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title      text NOT NULL CHECK (title <> ''),
    body       text NOT NULL DEFAULT '',
    category   text NOT NULL DEFAULT '',  -- '' for none
    tags       text[] NOT NULL DEFAULT '{}',
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search     tsvector NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (search);
CREATE INDEX kb_articles_category_idx ON kb_articles (category);
