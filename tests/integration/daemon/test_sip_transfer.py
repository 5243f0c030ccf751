"""Transfers through the real daemon: blind (REFER to a number) with sipp phones, and
attended (REFER with Replaces, RFC 5589 §7) with a scripted agent phone holding a call
with the caller and a consultation call with a colleague, answered or still ringing."""
from harness import free_port
from test_sip_calls import CallTestCase


class TransferTest(CallTestCase):
    def test_the_agent_transfers_the_caller_blindly_to_another_phone(self):
        agent_port, target_port = free_port(), free_port()
        self.register_phone("1002", agent_port)
        self.register_phone("1003", target_port)
        agent = self.start_phone("uas_phone_refer.xml", agent_port, "-key", "target", "1003")
        target = self.start_phone("uas_target.xml", target_port)
        self.call("uac_call_transferred.xml", "1002")
        self.assert_phone_done(agent)
        self.assert_phone_done(target)
        self.assertEqual(self.calls("bridged"), 1)
        self.assertEqual(self.calls("transferred"), 1)
        self.wait_for_no_calls()

    def test_a_refer_to_an_unknown_number_is_refused_and_the_call_goes_on(self):
        self.call_phone("uas_phone_refer_refused.xml", "uac_call.xml",
                        phone_args=("-key", "target", "5555"),
                        caller_args=("-set", "hangup", "callee"))
        self.assertEqual(self.calls("bridged"), 1)
        self.assertEqual(self.calls("transferred"), 0)


class AttendedTransferTest(CallTestCase):
    def refer_to(self, number, replaced):
        return f"<sip:{number}@127.0.0.1:{self.daemon.sip_port}?Replaces={replaced.replaces()}>"

    def final_notify(self, referrer):
        """The NOTIFY that ends the REFER's subscription (RFC 3515 §2.4.7)."""
        while True:
            notify = referrer.next_request("NOTIFY")
            self.assertEqual(notify.header("event"), "refer")
            self.assertEqual(notify.header("content-type"), "message/sipfrag;version=2.0")
            if notify.header("subscription-state").startswith("terminated"):
                return notify

    def assert_released(self, agent, *dialogs):
        """The daemon ends each of the agent's dialogs with a BYE."""
        ended = {agent.next_request("BYE").header("call-id") for _ in dialogs}
        self.assertEqual(ended, {d.call_id for d in dialogs})

    def test_the_agent_consults_a_colleague_then_connects_the_caller_to_it(self):
        colleague_port = free_port()
        self.register_phone("1003", colleague_port)
        colleague = self.start_phone("uas_target_attended.xml", colleague_port)
        agent = self.phone("1002")
        # The caller is re-INVITEd with the colleague's offer, answers, and hangs up later.
        caller = self.start_sipp("uac_call_transferred.xml", *self.caller_args("1002"))
        customer = agent.answer_call()
        consultation = agent.call("1003")
        self.assertEqual(self.daemon.metric("callcenterd_calls_active"), 2)
        accepted = agent.refer(customer, self.refer_to("1003", consultation))
        self.assertEqual(accepted.status, 202)
        self.assertIn("SIP/2.0 200 OK", self.final_notify(agent).body)
        self.assert_released(agent, customer, consultation)
        self.assert_phone_done(caller)
        self.assert_phone_done(colleague)
        self.assertEqual(self.calls("bridged"), 2)
        self.assertEqual(self.calls("transferred"), 1)
        self.wait_for_no_calls()

    def test_a_transfer_while_the_colleague_rings_rings_it_for_the_caller(self):
        colleague = self.phone("1003")
        agent = self.phone("1002")
        caller = self.start_sipp("uac_call_transferred.xml", *self.caller_args("1002"))
        customer = agent.answer_call()
        consultation = agent.invite("1003")
        ringing = colleague.answer_call(ring_only=True)
        agent.ringing(consultation)
        accepted = agent.refer(customer, self.refer_to("1003", consultation))
        self.assertEqual(accepted.status, 202)
        # The agent's consultation call stops ringing; the colleague's first INVITE is
        # cancelled and a new one, without an offer, rings it for the caller.
        self.assertEqual(agent.answered(consultation), 487)
        colleague.expect_cancel(ringing)
        colleague.answer_call()
        self.assertEqual(colleague.last_invite.body, "")
        self.assertIn("m=audio", colleague.last_ack.body)
        self.assertIn("SIP/2.0 200 OK", self.final_notify(agent).body)
        self.assert_released(agent, customer)
        self.assert_phone_done(caller)
        self.assertEqual(colleague.next_request("BYE").header("call-id"),
                         colleague.last_invite.header("call-id"))
        self.assertEqual(self.calls("transferred"), 1)
        self.wait_for_no_calls()

    def test_a_replaces_naming_no_call_of_the_agent_is_refused_and_both_calls_go_on(self):
        colleague_port = free_port()
        self.register_phone("1003", colleague_port)
        colleague = self.start_phone("uas_phone.xml", colleague_port)
        agent = self.phone("1002")
        caller = self.start_sipp("uac_call.xml", *self.caller_args("1002"),
                                 "-set", "hangup", "callee")
        customer = agent.answer_call()
        consultation = agent.call("1003")
        # A dialog we never had: refused at once.
        unknown = agent.refer(customer, "<sip:1003@127.0.0.1?Replaces=nope%3Bto-tag%3D1"
                                        "%3Bfrom-tag%3D2>")
        self.assertEqual(unknown.status, 403)
        # The right Call-ID and our tag, but not the agent's tag: nobody else's call can be
        # taken over by guessing (RFC 3891 §3 matches all three).
        real_tag = consultation.local_tag
        consultation.local_tag = "someone-else"
        accepted = agent.refer(customer, self.refer_to("1003", consultation))
        consultation.local_tag = real_tag
        self.assertEqual(accepted.status, 202)
        self.assertIn("SIP/2.0 481", self.final_notify(agent).body)
        # Both calls are still up: the agent hangs up each, and each far end gets our BYE.
        self.assertEqual(self.daemon.metric("callcenterd_calls_active"), 2)
        self.assertEqual(agent.send_in_dialog(customer, "BYE").status, 200)
        self.assertEqual(agent.send_in_dialog(consultation, "BYE").status, 200)
        self.assert_phone_done(caller)
        self.assert_phone_done(colleague)
        self.assertEqual(self.calls("transferred"), 0)
        self.wait_for_no_calls()
