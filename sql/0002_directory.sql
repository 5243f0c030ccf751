-- The directory: who signs in, which SIP identities exist, which queues and numbers the site
-- has. Later migrations extend these tables; they never change what an applied one did.

-- People who sign in to the console or the API.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    login         text NOT NULL UNIQUE CHECK (login ~ '^[A-Za-z0-9_.@-]{1,64}$'),
    display_name  text NOT NULL,
    role          text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    -- argon2id encoded hash (salt and cost inside); NULL means no web sign-in.
    password_hash text,
    -- Rows of the shipped demo data: the daemon warns when these are reachable off loopback.
    is_demo       boolean NOT NULL DEFAULT false,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- SIP identities (extensions). Only digests are kept (RFC 8760 HA1 = H(user:realm:password)),
-- one per algorithm a client may choose, never the password itself.
CREATE TABLE sip_accounts (
    extension   text PRIMARY KEY CHECK (extension ~ '^[A-Za-z0-9_.+-]{1,32}$'),
    user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    realm       text NOT NULL,
    ha1_md5     text NOT NULL CHECK (ha1_md5 ~ '^[0-9a-f]{32}$'),
    ha1_sha256  text NOT NULL CHECK (ha1_sha256 ~ '^[0-9a-f]{64}$'),
    is_demo     boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sip_accounts_user_idx ON sip_accounts (user_id);

-- Queues by name; their routing settings come with the ACD.
CREATE TABLE queues (
    name         text PRIMARY KEY CHECK (name ~ '^[a-z0-9_-]{1,64}$'),
    display_name text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Dialed numbers and where a call to each goes first.
CREATE TABLE dids (
    number      text PRIMARY KEY CHECK (number ~ '^\+?[0-9]{1,20}$'),
    target_kind text NOT NULL CHECK (target_kind IN ('flow', 'queue', 'extension')),
    target      text NOT NULL,
    description text NOT NULL DEFAULT ''
);
