"""The shipped demo data loads (twice, idempotently) into a migrated database and holds the
documented accounts, queues and numbers."""
import hashlib
import os
import unittest

from harness import SOURCE_DIR, DaemonTestCase, psql_file

DEMO_SQL = os.path.join(SOURCE_DIR, "config", "demo", "demo_data.sql")


class DemoDataTest(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.migrate()
        psql_file(self.db.conninfo, DEMO_SQL)
        psql_file(self.db.conninfo, DEMO_SQL)

    def test_accounts_roles_queues_and_numbers(self):
        q = self.db.query
        self.assertEqual(q("SELECT string_agg(login || ':' || role, ',' ORDER BY login) FROM users"),
                         "1001:agent,1002:agent,1003:agent,1004:agent,1005:agent,"
                         "admin:admin,super:supervisor")
        self.assertEqual(q("SELECT bool_and(is_demo) FROM users"), "t")
        self.assertEqual(q("SELECT string_agg(name, ',' ORDER BY name) FROM queues"),
                         "sales,support")
        self.assertEqual(q("SELECT string_agg(number || '>' || target_kind || ':' || target, ','"
                           " ORDER BY number) FROM dids"), "8000>flow:main,8001>queue:support")
        self.assertTrue(q("SELECT password_hash FROM users WHERE login = 'admin'")
                        .startswith("$argon2id$"))

    def test_sip_digests_match_the_documented_passwords(self):
        for ext in ("1001", "1002", "1003", "1004", "1005"):
            md5, sha, realm = self.db.query(
                f"SELECT ha1_md5 || '|' || ha1_sha256 || '|' || realm FROM sip_accounts "
                f"WHERE extension = '{ext}'").split("|")
            a1 = f"{ext}:{realm}:demo{ext}".encode()
            self.assertEqual(md5, hashlib.md5(a1).hexdigest())
            self.assertEqual(sha, hashlib.sha256(a1).hexdigest())


if __name__ == "__main__":
    unittest.main()
