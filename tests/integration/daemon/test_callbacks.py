"""Queue callbacks through the real daemon: a waiting caller hears the offer, presses the key
and is hung up on with their place kept; when an agent's phone registers the daemon calls the
caller back through the trunk (a scripted phone on the trunk's port), and once they answer the
agent's phone rings and the two talk. A busy caller is tried again after the retry delay. The
events, the call records and the queue's figures in the API say what happened."""
import time

from harness import free_port
from rtp_peer import RtpPeer
from sip_phone import UdpPhone
from test_api_agents import ApiTestCase

CARRIER_PORT = free_port()

# Agent 1005 serves the queue but has no phone registered at first: the ACD's offer fails as
# unreachable and the caller waits, long enough to be offered the callback after 1 s.
CONFIG = """media:
  address: 127.0.0.1
agents:
  - {id: '1005', teams: [support], skills: {billing: 5}, auto_login: true}
queues:
  - name: billing
    skills: {billing: 1}
    wrap_up: 0s
    callback: {after: 1s, key: '1', trunk: carrier, dial_prefix: '9', retry_delay: 10s,
               ring_timeout: 8s, attempts: 2}
dids:
  - {number: '8005', queue: billing}
"""


class CallbackTest(ApiTestCase):
    extra_yaml = CONFIG
    sip_yaml = ApiTestCase.sip_yaml + f"""  trunks:
    - name: carrier
      host: 127.0.0.1
      port: {CARRIER_PORT}
"""

    def setUp(self):
        super().setUp()
        self.customer = UdpPhone(self.daemon.sip_port, "carrier", "", port=CARRIER_PORT)
        self.addCleanup(self.customer.close)

    def take_callback(self):
        """Extension 1003 calls the queue, hears the offer and presses 1; the call that asked."""
        caller, audio, dialog = self.caller("8005", "1003")
        self.wait_for_event("agent.state", agent="1005", state="not_ready", reason="unreachable")
        self.daemon.wait_until(lambda: "offered the callback of queue billing" in self.daemon.log(),
                               what="the callback offer")
        audio.press("1")
        # The confirmation is said, then the daemon ends the call.
        try:
            bye = caller.next_request("BYE", timeout=30)
        except TimeoutError:
            # Whether the key reached the media engine tells a lost packet from a lost key.
            keys = self.daemon.metric('callcenterd_media_dtmf_keys_total{source="rfc4733"}')
            self.fail(f"no BYE after the key (keys seen by the media engine: {keys}, "
                      f"RTP packets sent by the caller: {audio.sent}); daemon log:\n"
                      f"{self.daemon.log()[-6000:]}")
        self.assertEqual(bye.header("call-id"), dialog.call_id)
        requested = self.wait_for_event("queue.callback_requested", queue="billing")
        return requested[0][0]

    def answer_callback(self):
        """The caller's phone at the carrier answers the callback; its dialog and audio."""
        audio = RtpPeer()
        self.addCleanup(audio.close)
        dialog = self.customer.answer_call(sdp=audio.sdp(0))
        audio.send_to(self.customer.last_invite.body)
        return dialog, audio

    def test_the_caller_is_called_back_in_their_place_and_put_through_to_the_agent(self):
        asked = self.take_callback()
        token = self.login("admin")
        queue = self.queue("billing", token)
        self.assertEqual(queue["callback"], 1, queue)
        self.assertEqual(queue["callbacks_waiting"], 1, queue)
        self.assertEqual(queue["waiting"], 1, queue)
        self.assertEqual(queue["abandoned"], 0, queue)
        self.daemon.wait_until(
            lambda: self.daemon.metric('callcenterd_queue_callbacks_waiting{queue="billing"}') == 1,
            what="the callback in /metrics", timeout=3)
        # The agent's phone registers: the agent is ready, reserved for the callback, and the
        # daemon calls the caller's number (with the trunk's dial prefix) from the DID dialled.
        agent = self.phone("1005")
        customer_dialog, customer_audio = self.answer_callback()
        invite = self.customer.last_invite
        self.assertTrue(invite.start.startswith("INVITE sip:91003@127.0.0.1"),
                        invite.start)
        self.assertIn("sip:8005@", invite.header("from"))
        self.wait_for_event("queue.callback_dialing", agent="1005")
        agent_audio = RtpPeer()
        self.addCleanup(agent_audio.close)
        agent.answer_call(sdp=agent_audio.sdp(0))
        agent_audio.send_to(agent.last_invite.body)
        connected = self.wait_for_event("queue.connected", agent="1005", queue="billing")
        callback_call = connected[0][0]
        self.assertNotEqual(callback_call, asked)
        # The two hear each other.
        customer_audio.play([8000] * 8000)
        self.daemon.wait_until(lambda: len(agent_audio.received_samples()) > 4000,
                               what="the agent hearing the caller")
        self.customer.hang_up(customer_dialog)
        agent.next_request("BYE")
        self.wait_for_no_calls()
        queue = self.queue("billing", token)
        self.assertEqual(queue["callbacks_connected"], 1, queue)
        self.assertEqual(queue["answered"], 0, queue)
        self.assertEqual(queue["callbacks_waiting"], 0, queue)
        self.assertGreater(queue["callback_wait_s"], 1.0, queue)
        # The records: the first call ended by taking the callback, the second names it.
        self.daemon.wait_until(lambda: self.db.query(
            "SELECT count(*) FROM call_records").strip() == "2", what="both call records")
        first = self.db.query(
            f"SELECT disposition, caller FROM call_records WHERE call_id = '{asked}'").strip()
        self.assertEqual(first, "callback|1003")
        second = self.db.query(
            "SELECT disposition, caller, callback_of, agent FROM call_records "
            f"WHERE call_id = '{callback_call}'").strip()
        self.assertEqual(second, f"connected|1003|{asked}|1005")

    def test_a_busy_caller_is_called_again_after_the_retry_delay(self):
        self.take_callback()
        self.phone("1005")
        invite = self.customer.next_request("INVITE", timeout=20)
        self.customer._reply(invite, 486, "Busy Here", to_tag="busy1")
        self.customer.next_request("ACK")
        failed = self.wait_for_event("queue.callback_failed", agent="1005", reason="busy")
        self.assertEqual(len(failed), 1)
        # The agent is free again at once; the second attempt comes after the 10 s delay.
        self.wait_for_event("agent.state", agent="1005", state="ready", count=3)
        tried = time.monotonic()
        customer_dialog, _ = self.answer_callback()
        self.assertGreater(time.monotonic() - tried, 7.0)
        self.wait_for_event("queue.callback_answered", agent="1005")
        self.customer.hang_up(customer_dialog)
        # The caller left before the agent answered: the callback ends, not as an abandon.
        self.wait_for_event("queue.callback_failed", reason="abandoned")
        token = self.login("admin")
        queue = self.queue("billing", token)
        self.assertEqual(queue["callbacks_failed"], 1, queue)
        self.assertEqual(queue["abandoned"], 0, queue)
