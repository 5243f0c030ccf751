"""Start on an empty database, serve the skeleton endpoints, stop cleanly on SIGTERM/SIGINT."""
import json
import signal
import unittest

from harness import DaemonTestCase


class LifecycleTest(DaemonTestCase):
    def test_serves_health_readiness_metrics_and_api_root(self):
        self.daemon.start()
        status, body = self.daemon.get_json("/healthz")
        self.assertEqual((status, body["status"]), (200, "ok"))
        status, body = self.daemon.get_json("/readyz")
        self.assertEqual((status, body["status"]), (200, "ready"))

        status, body = self.daemon.get_json("/api/v1/")
        self.assertEqual(status, 200)
        self.assertEqual(body["name"], "callcenterd")
        self.assertRegex(body["version"], r"^\d+\.\d+\.\d+$")

        status, headers, text = self.daemon.get("/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        for family in ("process_resident_memory_bytes", "callcenterd_event_log_backlog",
                       "callcenterd_event_log_spool_bytes", "callcenterd_db_pool_connections",
                       "callcenterd_http_requests_total", "callcenterd_ready"):
            self.assertIn(f"# TYPE {family} ", text)
        self.assertEqual(self.daemon.metric("callcenterd_ready"), 1.0)
        self.assertGreaterEqual(self.daemon.metric(
            'callcenterd_http_requests_total{method="GET",route="/healthz",status="200"}'), 1.0)

        status, body = self.daemon.get_json("/no/such/path")
        self.assertEqual(status, 404)
        self.assertEqual(body["error"]["code"], "not_found")

    def test_applies_migrations_and_records_start_and_stop_events(self):
        self.daemon.start()
        versions = self.db.query("SELECT string_agg(version::text, ',' ORDER BY version) "
                                 "FROM schema_migrations")
        self.assertTrue(versions.startswith("1,2"), versions)
        self.assertEqual(self.daemon.stop(signal.SIGTERM), 0)
        kinds = self.db.query("SELECT string_agg(kind, ',' ORDER BY log_position) FROM events "
                              "WHERE node = 'it-node'")
        self.assertEqual(kinds, "daemon.started,daemon.stopping")

        # A second start on the same database applies nothing new and starts as well.
        self.daemon.start()
        self.assertEqual(self.db.query("SELECT count(*) FROM schema_migrations"),
                         str(len(versions.split(","))))
        self.assertEqual(self.daemon.stop(signal.SIGINT), 0)
        self.assertEqual(self.db.query("SELECT count(*) FROM events WHERE kind = "
                                       "'daemon.started'"), "2")

    def test_request_id_is_echoed(self):
        self.daemon.start()
        _, headers, _ = self.daemon.get("/healthz", headers={"X-Request-Id": "abc-123"})
        self.assertEqual(headers.get("X-Request-Id"), "abc-123")

    def test_json_log_format_writes_one_json_object_per_line(self):
        self.daemon.write_config(self.daemon.config_text().replace("format: text", "format: json"))
        self.daemon.start()
        self.daemon.get("/healthz")
        self.assertEqual(self.daemon.stop(), 0)
        records = [json.loads(line) for line in self.daemon.log().splitlines()]
        self.assertGreater(len(records), 3)
        for record in records:
            self.assertEqual(set(record) - {"correlation_id"}, {"time", "level", "thread",
                                                                "message"})
        self.assertTrue(any("started on node it-node" in r["message"] for r in records))


if __name__ == "__main__":
    unittest.main()
