"""SIGHUP reloads the flow files with the configuration, all or nothing: a broken set is
refused with file:line and the running set stays in force; a valid one takes over."""
import os
import signal
import unittest

from harness import MAIN_FLOW, DaemonTestCase

VERSION = "callcenterd_flow_set_version"
APPLIED = 'callcenterd_flow_reloads_total{result="applied"}'
REFUSED = 'callcenterd_flow_reloads_total{result="refused"}'

# The harness's flow, edited: one word (valid), then a target misspelt (refused).
GOOD = MAIN_FLOW.replace("Hello.", "Hello again.")
BROKEN = GOOD.replace("next: hold", "next: hodl")


class FlowReloadTest(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.daemon.start()
        self.flow_file = os.path.join(self.daemon.flows_dir, "main.yaml")

    def sighup_until(self, metric, expected):
        self.daemon.signal(signal.SIGHUP)
        self.daemon.wait_until(lambda: self.daemon.metric(metric) == expected,
                               what=f"{metric} reaches {expected}")

    def test_a_broken_set_is_refused_and_the_running_one_stays(self):
        d = self.daemon
        started = d.metric(VERSION)
        self.assertGreaterEqual(started, 1)
        d.write_flow("main.yaml", BROKEN)
        self.sighup_until(REFUSED, 1)
        d.wait_for_log(f"{self.flow_file}:5:46: flows.main.nodes.greeting.next: the target "
                       "'hodl' is not a node of flow 'main'")
        d.wait_for_log(f"flows (version {int(started)}) stay in force")
        self.assertEqual(d.metric(VERSION), started)
        self.assertEqual(d.metric(APPLIED), 0)
        refused = "SELECT count(*) FROM events WHERE kind = 'daemon.config_reload_refused'"
        d.wait_until(lambda: self.db.query(refused) == "1", what="the refusal is recorded")

    def test_a_valid_edit_takes_over_for_new_calls(self):
        d = self.daemon
        started = d.metric(VERSION)
        d.write_flow("main.yaml", GOOD)
        self.sighup_until(APPLIED, 1)
        self.assertEqual(d.metric(VERSION), started + 1)
        d.wait_for_log(f"flows reloaded: 1 from {d.flows_dir} (version {int(started) + 1})")
        reloaded = ("SELECT payload->>'flows_version' FROM events "
                    "WHERE kind = 'daemon.config_reloaded'")
        d.wait_until(lambda: self.db.query(reloaded) == str(int(started) + 1),
                     what="the reload is recorded with the new version")

    def test_a_new_file_with_a_name_already_defined_is_refused(self):
        d = self.daemon
        started = d.metric(VERSION)
        d.write_flow("zz_copy.yaml", GOOD)
        self.sighup_until(REFUSED, 1)
        d.wait_for_log("the flow 'main' is defined twice")
        self.assertEqual(d.metric(VERSION), started)


if __name__ == "__main__":
    unittest.main()
