"""Dialog probes through the real daemon: answered call legs get an OPTIONS inside their
dialog now and then, and a peer that no longer has the dialog (481) or no longer answers
(64×T1 of silence) ends the call, so a lost BYE cannot hold a call forever."""
from sip_phone import tag_of
from test_sip_calls import CallTestCase


class DialogProbeTest(CallTestCase):
    # Probes every second; T1 of 50 ms gives up on a silent peer after 3.2 s.
    sip_yaml = CallTestCase.sip_yaml + ("  dialog_probe_interval: 1s\n"
                                        "  timers: {t1: 50ms, t2: 200ms}\n")

    def assert_no_request(self, phone, method):
        """Nothing of `method` reaches `phone` within a second."""
        with self.assertRaises(TimeoutError):
            phone.next_request(method, timeout=1.0)

    def test_a_phone_that_answers_the_probes_keeps_its_call(self):
        caller = self.phone("1001")
        dialog = caller.call("8000")
        first = caller.next_request("OPTIONS", timeout=5)
        second = caller.next_request("OPTIONS", timeout=5)
        self.assertEqual(first.header("call-id"), dialog.call_id)
        self.assertEqual(tag_of(first.header("to")), dialog.local_tag)
        self.assertEqual(tag_of(first.header("from")), dialog.remote_tag)
        self.assertGreater(second.cseq()[0], first.cseq()[0])
        self.assertEqual(self.daemon.metric("callcenterd_calls_active"), 1)
        self.assertEqual(caller.hang_up(dialog), 200)
        self.wait_for_no_calls()

    def test_a_caller_that_lost_the_dialog_is_let_go_without_bye(self):
        caller = self.phone("1001")
        dialog = caller.call("8000")
        caller.options_status = 481  # as after a reboot: the phone knows no such dialog
        probe = caller.next_request("OPTIONS", timeout=5)
        self.assertEqual(probe.header("call-id"), dialog.call_id)
        self.wait_for_no_calls()
        self.assertEqual(self.calls("ended"), 1)
        self.assert_no_request(caller, "BYE")
        self.assertIn("no longer has its dialog (OPTIONS got 481)", self.daemon.log())

    def test_a_callee_gone_silent_ends_the_call_and_the_caller_gets_bye(self):
        agent = self.phone("1002")
        caller = self.phone("1001")
        dialog = caller.invite("1002")
        agent.answer_call()
        self.assertEqual(caller.answered(dialog), 200)
        agent.options_status = None  # the agent's phone lost power mid-call
        bye = caller.next_request("BYE", timeout=15)
        self.assertEqual(bye.header("call-id"), dialog.call_id)
        self.wait_for_no_calls()
        self.assertEqual(self.calls("bridged"), 1)
        # The agent's phone was asked (and asked again by the retransmissions), never sent BYE.
        agent.next_request("OPTIONS", timeout=1)
        self.assert_no_request(agent, "BYE")
        self.assertIn("no longer has its dialog (OPTIONS got 408)", self.daemon.log())


if __name__ == "__main__":
    import unittest
    unittest.main()
