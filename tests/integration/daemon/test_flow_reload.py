"""SIGHUP (or an admin's POST /api/v1/flows/reload) reloads the flow files with the
configuration, all or nothing: a broken set is refused with file:line and the running set stays
in force; a valid one takes over."""
import os
import signal
import unittest

from harness import MAIN_FLOW, DaemonTestCase
from test_api_agents import ApiTestCase

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



class ApiReloadTest(ApiTestCase):
    def reload(self, token):
        return self.post("/api/v1/flows/reload", {}, token)

    def test_an_admin_reloads_and_is_told_why_a_broken_set_is_refused(self):
        d = self.daemon
        admin = self.login("admin")
        self.assert_error(self.reload(self.login("super")), 403, "forbidden")
        started = int(d.metric(VERSION))
        d.write_flow("main.yaml", BROKEN)
        status, body = self.reload(admin)
        self.assertEqual(status, 422, body)
        self.assertEqual(body["error"]["code"], "invalid_config")
        self.assertEqual(len(body["error"]["problems"]), 1, body)
        self.assertIn("main.yaml:5:46: flows.main.nodes.greeting.next: the target 'hodl' is "
                      "not a node of flow 'main'", body["error"]["problems"][0]["message"])
        self.assertEqual((body["applied"], body["flows_version"]), (False, started))
        self.assertEqual(d.metric(VERSION), started)

        d.write_flow("main.yaml", GOOD)
        status, body = self.reload(admin)
        self.assertEqual(status, 200, body)
        self.assertEqual((body["applied"], body["needs_restart"]), (True, []))
        self.assertGreater(body["flows_version"], started)
        self.assertEqual(d.metric(VERSION), body["flows_version"])
        audited = ("SELECT payload->>'outcome' FROM events WHERE kind = 'audit' "
                   "AND payload->>'action' = 'flows.reload' ORDER BY occurred_at")
        d.wait_until(lambda: len(self.db.query(audited).split()) == 2, what="two audit rows")
        self.assertEqual(self.db.query(audited).split(), ["invalid_config", "ok"])


if __name__ == "__main__":
    unittest.main()
