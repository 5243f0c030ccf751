-- DEMO DATA. Every credential here is public (documented in README.md): agents 1001-1005
-- with SIP and web password demo<ext> (e.g. demo1001), supervisor super/demosuper, admin
-- admin/demoadmin. Rows are marked is_demo; callcenterd warns loudly at start when demo
-- accounts exist and it listens on a non-loopback address. Never load this on a real site.
--
-- Idempotent: scripts/run loads it on every start. Web passwords are argon2id hashes; SIP
-- digests use the realm 'callcenterd'.
BEGIN;

INSERT INTO users (id, login, display_name, role, password_hash, is_demo) VALUES
    ('00000000-0000-4000-8000-000000001001', '1001', 'Li Na', 'agent',
     '$argon2id$v=19$m=65536,t=3,p=1$TFVNNzMyMnp5ejdtWTlzbw$kcj6PXNTVmEY7xRnjfIVw8HJ/WaFuCr1MK+MAwp48Jg', true),
    ('00000000-0000-4000-8000-000000001002', '1002', 'Wang Wei', 'agent',
     '$argon2id$v=19$m=65536,t=3,p=1$WkVJVWJoUDMxbG1sUElTNQ$trr/LaHQEIeKU8NO1NtDCfayqA+8YwQttnYujvd01Bs', true),
    ('00000000-0000-4000-8000-000000001003', '1003', 'Emma Clark', 'agent',
     '$argon2id$v=19$m=65536,t=3,p=1$a0dPZ2R1WWhneDRwZ0U5bw$RETxMDTI4evrGltf40gpyJuZSTWhVqIRGqFvuEt6AEY', true),
    ('00000000-0000-4000-8000-000000001004', '1004', 'Zhang Min', 'agent',
     '$argon2id$v=19$m=65536,t=3,p=1$TGwyQ080UTBGaVoxRU9ncQ$N+/GnNdQlQq0ScYrQuEcYI879az3zL9zSYssCluJHQ4', true),
    ('00000000-0000-4000-8000-000000001005', '1005', 'Oliver Brown', 'agent',
     '$argon2id$v=19$m=65536,t=3,p=1$S28ySG1KOU9YQU5MZENndA$R/ygMYuKpPrLoqHuIjyR7bofEiPrG5VAwEj/WiwQo8E', true),
    ('00000000-0000-4000-8000-00000000a001', 'super', 'Chen Jing (supervisor)', 'supervisor',
     '$argon2id$v=19$m=65536,t=3,p=1$MTUzNVB2R04xUVhVUHRoSQ$VYCm4B7bHKYQLQekJF0mJRFDs6KIKlJNyhBf6frrr8s', true),
    ('00000000-0000-4000-8000-00000000a002', 'admin', 'Site Admin', 'admin',
     '$argon2id$v=19$m=65536,t=3,p=1$MG03WVJxaGxvREtFZWtRWg$GSAWtBXVtD0OCXjx+DvkdbmtLMFIAXDlLUWZmmF2TLU', true)
ON CONFLICT (login) DO UPDATE
    SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
        password_hash = EXCLUDED.password_hash, is_demo = true, updated_at = now();

INSERT INTO sip_accounts (extension, user_id, realm, ha1_md5, ha1_sha256, is_demo) VALUES
    ('1001', '00000000-0000-4000-8000-000000001001', 'callcenterd', 'bf9accd940f85170f4f5854ba104be11',
     '680d49d0ad50e781509253d725d6db2d734e5aac60057ca5c57a2791142f8f7f', true),
    ('1002', '00000000-0000-4000-8000-000000001002', 'callcenterd', '7c8b695b74dcbe5421dccf993a32ee40',
     '3976352efe7196012a7b1d9244c46bcffe5f79f89bd60ae7907b9488e4b2f4bd', true),
    ('1003', '00000000-0000-4000-8000-000000001003', 'callcenterd', '03e5ad7a10b7871f06e6f31f71696c54',
     '917e6b5b63f58c7d9c86712464c53d4bca7c7ffd7be8643eb50e67c4b509998c', true),
    ('1004', '00000000-0000-4000-8000-000000001004', 'callcenterd', '7d1cd62c25f5ac0d2e8de3ea3d698dde',
     '6d10818ba171d27f89665ff2efddff8dca8a9a728040dbbd5e640da74d32f9d4', true),
    ('1005', '00000000-0000-4000-8000-000000001005', 'callcenterd', '3244c7f1aeb1d33eccc74ced3099f023',
     'daea69a1d39e42746c8cbbb80dc0618ca866baa0d9e1f926d99493ed759281c6', true)
ON CONFLICT (extension) DO UPDATE
    SET user_id = EXCLUDED.user_id, realm = EXCLUDED.realm, ha1_md5 = EXCLUDED.ha1_md5,
        ha1_sha256 = EXCLUDED.ha1_sha256, is_demo = true;

INSERT INTO queues (name, display_name) VALUES
    ('support', 'Customer support'),
    ('sales', 'Sales')
ON CONFLICT (name) DO UPDATE SET display_name = EXCLUDED.display_name;

INSERT INTO dids (number, target_kind, target, description) VALUES
    ('8000', 'flow', 'main', 'Main demo line: greeting, menu, then support or sales'),
    ('8001', 'queue', 'support', 'Direct support line')
ON CONFLICT (number) DO UPDATE
    SET target_kind = EXCLUDED.target_kind, target = EXCLUDED.target,
        description = EXCLUDED.description;

-- The demo supervisor oversees the support team (agents' teams are in config/callcenterd.yaml).
INSERT INTO user_teams (user_id, team) VALUES
    ('00000000-0000-4000-8000-00000000a001', 'support')
ON CONFLICT DO NOTHING;

-- What the demo flow's option 3 reads back: 6123 4567 has 1,250.75 yuan.
INSERT INTO demo_accounts (account_number, holder, balance) VALUES
    ('61234567', 'Li Wei', 1250.75),
    ('62345678', 'Zhang Min', 0.00),
    ('63456789', 'Wang Fang', 98000.50)
ON CONFLICT (account_number) DO UPDATE
    SET holder = EXCLUDED.holder, balance = EXCLUDED.balance;

COMMIT;
