"""The daemon refuses a database whose schema is newer than the migrations it knows."""
import unittest

from harness import DaemonTestCase, run_binary


class SchemaGuardTest(DaemonTestCase):
    def test_migrate_only_applies_and_exits(self):
        self.migrate()
        self.assertEqual(self.db.query("SELECT min(version) FROM schema_migrations"), "1")

    def test_newer_schema_is_refused_at_start(self):
        self.migrate()
        self.db.query("INSERT INTO schema_migrations (version, name, checksum) "
                      "VALUES (9999, 'from_the_future', 'x')")
        out = run_binary("--config", self.daemon.config_path, env=self.daemon.env, timeout=60)
        self.assertEqual(out.returncode, 1)
        self.assertIn("9999", out.stdout + out.stderr)
        self.assertIn("newer", out.stdout + out.stderr)


if __name__ == "__main__":
    unittest.main()
