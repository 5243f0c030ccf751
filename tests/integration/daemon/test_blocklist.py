"""The caller blocklist in PostgreSQL turns callers away before any flow runs: refused (603
Decline by default) or, with a greeting configured, answered, told and hung up on. Entries
are read every few seconds; callers not on the list still reach their flow."""
from sip_phone import UdpPhone
from test_sip_calls import DIDS, CallTestCase


class BlocklistTestCase(CallTestCase):
    def block(self, pattern, reason=""):
        self.db.query("INSERT INTO caller_blocklist (pattern, reason) "
                      f"VALUES ('{pattern}', '{reason}')")

    def wait_for_entries(self, count):
        self.daemon.wait_until(
            lambda: self.daemon.metric("callcenterd_caller_blocklist_entries") == count,
            what=f"{count} blocklist entries in force", timeout=20)

    def caller(self, extension):
        phone = UdpPhone(self.daemon.sip_port, extension, f"demo{extension}")
        self.addCleanup(phone.close)
        return phone


class BlocklistRefusalTest(BlocklistTestCase):
    def test_a_blocked_caller_is_refused_and_others_still_reach_the_flow(self):
        self.block("1003", "abusive caller")
        self.block("99*")
        self.wait_for_entries(2)
        blocked = self.caller("1003")
        self.assertEqual(blocked.answered(blocked.invite("8000")), 603)
        allowed = self.caller("1004")
        dialog = allowed.call("8000")
        self.assertEqual(allowed.hang_up(dialog), 200)
        self.wait_for_no_calls()
        self.assertEqual(self.calls("blocked"), 1)
        self.assertEqual(self.calls("flow_started"), 1)
        self.assertIn("call from 1003 blocked by the blocklist entry 1003 (abusive caller)",
                      self.daemon.log())

    def test_an_entry_removed_from_the_table_is_lifted(self):
        self.block("1003")
        self.wait_for_entries(1)
        self.db.query("DELETE FROM caller_blocklist")
        self.wait_for_entries(0)
        caller = self.caller("1003")
        dialog = caller.call("8000")
        self.assertEqual(caller.hang_up(dialog), 200)
        self.wait_for_no_calls()
        self.assertEqual(self.calls("blocked"), 0)


class BlocklistAnnouncementTest(BlocklistTestCase):
    extra_yaml = DIDS + "blocklist:\n  greeting: 'This number cannot take your call.'\n"

    def test_a_blocked_caller_hears_the_greeting_and_is_hung_up_on(self):
        self.block("1003")
        self.wait_for_entries(1)
        caller = self.caller("1003")
        dialog = caller.call("8000")
        bye = caller.next_request("BYE", timeout=15)
        self.assertEqual(bye.header("call-id"), dialog.call_id)
        self.wait_for_no_calls()
        self.assertEqual(self.calls("blocked"), 1)
        self.assertEqual(self.calls("flow_started"), 0)


if __name__ == "__main__":
    import unittest
    unittest.main()
