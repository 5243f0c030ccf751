"""PostgreSQL goes away and comes back: the daemon keeps running, says it is not ready, spools
its events, and replays them exactly once and in order when the database returns."""
import os
import signal
import unittest

from harness import Daemon, PrivateCluster, TestDatabase


class DatabaseOutageTest(unittest.TestCase):
    def setUp(self):
        self.cluster = PrivateCluster()
        self.db = TestDatabase(self.cluster.admin)
        self.daemon = Daemon(self.db.params)

    def tearDown(self):
        self.daemon.stop()
        self.cluster.start()
        self.db.close()
        self.cluster.remove()

    def events(self):
        return self.db.query("SELECT string_agg(kind, ',' ORDER BY log_position) FROM events")

    def test_outage_makes_it_unready_and_loses_no_event(self):
        d = self.daemon
        d.start()
        self.cluster.stop()
        d.wait_until(lambda: d.get("/readyz")[0] == 503, what="/readyz turns 503")
        status, body = d.get_json("/readyz")
        self.assertEqual(body["status"], "not_ready")
        self.assertIn("database", body["reason"])
        self.assertEqual(d.get("/healthz")[0], 200)

        # An event produced during the outage goes to the spool, then to PostgreSQL.
        d.signal(signal.SIGHUP)
        d.wait_until(lambda: d.metric("callcenterd_event_log_spool_bytes") > 0,
                     what="the reload event is spooled")
        self.cluster.start()
        d.wait_until(lambda: d.get("/readyz")[0] == 200, what="/readyz is 200 again")
        d.wait_until(lambda: self.events() == "daemon.started,daemon.config_reloaded",
                     what="the spooled event is replayed")
        d.wait_until(lambda: d.metric("callcenterd_event_log_spool_bytes") == 0,
                     what="the spool is emptied")

        # Stopping while PostgreSQL is down leaves the last event in the spool file...
        self.cluster.stop()
        self.assertEqual(d.stop(), 0)
        spool = os.path.join(d.workdir, "var", "spool", "events.spool")
        self.assertGreater(os.path.getsize(spool), 0)

        # ...and the next start replays it before anything newer, exactly once.
        self.cluster.start()
        d.start()
        d.wait_until(lambda: self.events() == "daemon.started,daemon.config_reloaded,"
                     "daemon.stopping,daemon.started", what="all four events are stored in order")
        self.assertEqual(self.db.query("SELECT count(DISTINCT id) = count(*) FROM events"), "t")

    def test_starts_without_database_and_becomes_ready_when_it_appears(self):
        self.cluster.stop()
        d = self.daemon
        d.start(wait_ready=False)
        status, body = d.get_json("/readyz")
        self.assertEqual(status, 503)
        self.assertIn("database", body["reason"])
        self.cluster.start()
        d.wait_until(lambda: d.get("/readyz")[0] == 200, what="/readyz is 200", timeout=60)
        self.assertIn("1", self.db.query("SELECT string_agg(version::text, ',') "
                                         "FROM schema_migrations"))
        d.wait_until(lambda: self.events() == "daemon.started", what="the start event is stored")


if __name__ == "__main__":
    unittest.main()
