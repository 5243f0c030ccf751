"""SIGHUP reloads the configuration; an invalid file is refused with file:line and the running
configuration stays in force."""
import signal
import unittest

from harness import DaemonTestCase

APPLIED = 'callcenterd_config_reloads_total{result="applied"}'
REFUSED = 'callcenterd_config_reloads_total{result="refused"}'


class ReloadTest(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.daemon.start()

    def reload(self, text, metric, expected):
        self.daemon.write_config(text)
        self.daemon.signal(signal.SIGHUP)
        self.daemon.wait_until(lambda: self.daemon.metric(metric) == expected,
                               what=f"{metric} reaches {expected}")

    def test_valid_change_is_applied(self):
        d = self.daemon
        self.assertEqual(d.metric(APPLIED), 0)
        self.reload(d.config_text(log_level="debug"), APPLIED, 1)
        d.wait_for_log("configuration reloaded")
        d.wait_for_log("log level is now debug")

    def test_invalid_file_is_refused_and_the_daemon_keeps_serving(self):
        d = self.daemon
        broken = d.config_text() + "unexpected_section:\n  key: 1\n"
        line = broken.count("\n") - 1
        self.reload(broken, REFUSED, 1)
        d.wait_for_log(f"{d.config_path}:{line}:")
        d.wait_for_log("unknown key 'unexpected_section'")
        self.assertEqual(d.get("/readyz")[0], 200)
        self.assertEqual(d.metric(APPLIED), 0)
        refused = "SELECT count(*) FROM events WHERE kind = 'daemon.config_reload_refused'"
        d.wait_until(lambda: self.db.query(refused) == "1", what="the refusal is recorded")

    def test_change_that_needs_a_restart_is_named_and_not_applied(self):
        d = self.daemon
        old_port = d.http_port
        self.reload(d.config_text(http_port=old_port + 1), APPLIED, 1)
        d.wait_for_log("http.port")
        d.wait_for_log("needs a restart")
        self.assertEqual(d.get("/healthz")[0], 200)  # still on the old port


if __name__ == "__main__":
    unittest.main()
