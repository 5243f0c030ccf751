"""Call control (CTI) through the API of the real daemon, on live calls between scripted SIP
phones with real RTP: the agent holds the caller (who hears the DID's hold music while the
agent hears nothing of them) and resumes, sends keys to the caller as RFC 4733 events, pauses
and resumes the recording (its index marks the pause), hangs up; transfers the caller blindly
to another phone and to a queue. Another agent may not touch the call; refusals say why and
change nothing; each command is in the audit log and the call's record."""
import json
import struct
import threading
import time
import unittest

from rtp_peer import RtpPeer, goertzel_power, tone
from sip_phone import SDP
from test_acd import CALLER_HZ, windows
from test_api_agents import CONFIG, ApiTestCase
from test_media import HOLD_CLASS_HZ, HOLD_CLASS_WAV

CONTROL_CONFIG = f"""media:
  address: 127.0.0.1
  hold_classes:
    - {{name: bright, file: {HOLD_CLASS_WAV}}}
""" + CONFIG.replace("  - {number: '8001', queue: support}",
                    "  - {number: '8001', queue: support, hold_class: bright}")

# RFC 4733 event codes of the keys the tests send.
EVENT_CODES = {"1": 1, "2": 2, "#": 11}


class CallControlTest(ApiTestCase):
    extra_yaml = CONTROL_CONFIG

    def command(self, call, what, token, body=None):
        return self.post(f"/api/v1/calls/{call}/{what}", body if body is not None else {}, token)

    def talking_call(self):
        """A caller from 1003 on 8001, answered by agent 1001's phone, both with real RTP
        (the caller sends a 1000 Hz tone): (caller, its audio, its dialog, agent phone, agent
        audio, the agent's dialog, the call's id)."""
        agent_phone = self.phone("1001")
        agent_audio = RtpPeer()
        self.addCleanup(agent_audio.close)
        caller, caller_audio, dialog = self.caller("8001", "1003")
        caller_audio.play(tone([CALLER_HZ], 30))
        agent_dialog = agent_phone.answer_call(sdp=agent_audio.sdp(0))
        agent_audio.send_to(agent_phone.last_invite.body)
        connected = self.wait_for_event("queue.connected", agent="1001")
        return (caller, caller_audio, dialog, agent_phone, agent_audio, agent_dialog,
                connected[-1][0])

    def test_hold_keys_recording_pause_and_hang_up(self):
        agent = self.login("1001")
        (caller, caller_audio, dialog, agent_phone, agent_audio, agent_dialog,
         call) = self.talking_call()

        # Not another agent's to touch; nothing changes.
        other = self.login("1002")
        self.assert_error(self.command(call, "hold", other), 403)
        self.assert_error(self.command("no-such-call", "hold", agent), 404, "not_found")
        self.assert_error(self.command(call, "resume", agent), 409, "wrong_state")

        status, body = self.command(call, "hold", agent)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["call"]["state"], "held")
        held = time.monotonic()
        self.assert_error(self.command(call, "hold", agent), 409, "wrong_state")
        time.sleep(2)
        told = windows(caller_audio.received_samples(since=held + 0.3), {"music": HOLD_CLASS_HZ})
        self.assertGreater(told.count("music"), 10, f"the caller heard no hold music: {told}")
        heard = agent_audio.received_samples(since=held + 0.3)
        self.assertGreater(len(heard), 8000, "the agent's leg went quiet altogether")
        self.assertLess(goertzel_power(heard, CALLER_HZ), 1.0,
                        "the agent heard the held caller")

        status, body = self.command(call, "resume", agent)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["call"]["state"], "talking")
        resumed = time.monotonic()
        time.sleep(1)
        heard = windows(agent_audio.received_samples(since=resumed + 0.3), {"caller": CALLER_HZ})
        self.assertGreater(heard.count("caller"), 4, f"the agent does not hear the caller: {heard}")

        # Keys go to the caller as telephone events, each pressed once.
        sent = time.monotonic()
        status, body = self.command(call, "dtmf", agent, {"digits": "12#"})
        self.assertEqual(status, 200, body)
        for bad in ({"digits": "12x"}, {"digits": ""}, {"keys": "1"}, {"digits": "1" * 33}):
            self.assert_error(self.command(call, "dtmf", agent, bad), 400)
        self.daemon.wait_until(lambda: len(self.pressed(caller_audio, sent)) == 3,
                               what="three keys at the caller", timeout=5)
        self.assertEqual(self.pressed(caller_audio, sent), [1, 2, 11])

        status, body = self.command(call, "recording/pause", agent)
        self.assertEqual(status, 200, body)
        self.assert_error(self.command(call, "recording/pause", agent), 409, "wrong_state")
        time.sleep(1)
        status, body = self.command(call, "recording/resume", agent)
        self.assertEqual(status, 200, body)

        status, body = self.command(call, "hangup", agent)
        self.assertEqual(status, 200, body)
        self.assertIsNone(body["call"])
        caller.next_request("BYE")
        agent_phone.next_request("BYE")
        self.wait_for_no_calls()
        self.assertEqual(self.get(f"/api/v1/calls/{call}", agent)[0], 404)

        # The record: ended by the agent, the hold counted; the recording marks the pause;
        # the audit log has every command.
        select = f"SELECT ended_by, hold_ms FROM call_records WHERE call_id = '{call}'"
        self.daemon.wait_until(lambda: self.db.query(select), what="the call's record")
        ended_by, hold_ms = self.db.query(select).split("|")
        self.assertEqual(ended_by, "agent")
        self.assertGreaterEqual(int(hold_ms), 1900)
        pauses = f"SELECT pauses FROM recordings WHERE call_uuid = '{call}'"
        self.daemon.wait_until(lambda: self.db.query(pauses), what="the recording's index")
        marked = json.loads(self.db.query(pauses))
        self.assertEqual(len(marked), 1, marked)
        self.assertGreaterEqual(marked[0]["length_ms"], 900)
        audited = ("SELECT payload->>'action', payload->>'outcome' FROM events "
                   f"WHERE kind = 'audit' AND payload->>'target' = '{call}' ORDER BY id")
        self.daemon.wait_until(
            lambda: "call.hang_up|ok" in self.db.query(audited), what="the audit rows")
        rows = self.db.query(audited).splitlines()
        self.assertIn("call.hold|forbidden", rows)
        self.assertIn("call.hold|ok", rows)
        self.assertIn("call.hold|wrong_state", rows)
        self.assertIn("call.send_dtmf|ok", rows)
        self.check_wrapup(call, agent, other)
        del dialog, agent_dialog

    def check_wrapup(self, call, agent, other):
        """Agent 1001, wrapping call `call` up, gives it a code of the site's list and notes;
        they show in its record; a retired code is refused; after the wrap-up the notes can
        still be changed (the record names the agent)."""
        admin = self.login("admin")
        status, body = self.post("/api/v1/disposition-codes",
                                 {"code": "resolved", "label": "Resolved"}, admin)
        self.assertEqual(status, 201, body)
        self.assert_error(self.post("/api/v1/disposition-codes",
                                    {"code": "resolved", "label": "Again"}, admin), 409, "conflict")
        self.assert_error(self.post("/api/v1/disposition-codes",
                                    {"code": "Bad Code", "label": "x"}, admin), 400)
        self.assert_error(self.post("/api/v1/disposition-codes",
                                    {"code": "x", "label": "x"}, agent), 403, "forbidden")
        wrapup = f"/api/v1/calls/{call}/wrapup"
        status, body = self.request("PUT", wrapup,
                                    {"disposition": "resolved", "notes": "客户已满意"}, agent)
        self.assertEqual(status, 200, body)
        self.assertEqual((body["agent"], body["disposition"], body["notes"]),
                         ("1001", "resolved", "客户已满意"))
        self.assert_error(self.request("PUT", wrapup, {"notes": "x"}, other), 404, "not_found")
        self.assert_error(self.request("PUT", wrapup, {"disposition": "nope"}, agent), 400,
                          "unknown_disposition")
        self.assert_error(self.request("PUT", wrapup, {"mood": "good"}, agent), 400,
                          "bad_request")
        self.assert_error(self.request("PUT", wrapup, {"notes": "x" * 4001}, agent), 400)

        def record():
            status, body = self.get("/api/v1/cdrs?agent=1001", agent)
            self.assertEqual(status, 200, body)
            return {c["id"]: c for c in body["cdrs"]}.get(call, {})
        self.daemon.wait_until(lambda: record().get("wrapup_code") == "resolved",
                               what="the wrap-up on the call's record")
        self.assertEqual(record()["wrapup_notes"], "客户已满意")

        status, body = self.request("PUT", "/api/v1/disposition-codes/resolved",
                                    {"active": False}, admin)
        self.assertEqual((status, body.get("active")), (200, False), body)
        self.assert_error(self.request("PUT", wrapup, {"disposition": "resolved"}, agent), 400,
                          "unknown_disposition")
        status, body = self.get("/api/v1/disposition-codes", agent)
        self.assertEqual((status, body.get("codes")),
                         (200, [{"code": "resolved", "label": "Resolved", "active": False}]))

        # Once the wrap-up is over the call's record says whose call it was.
        status, body = self.post("/api/v1/agents/1001/wrapup/end", {}, agent)
        self.assertEqual(status, 200, body)
        status, body = self.request("PUT", wrapup, {"notes": "回访已安排"}, agent)
        self.assertEqual((status, body.get("disposition")), (200, None), body)
        self.daemon.wait_until(lambda: record().get("wrapup_notes") == "回访已安排",
                               what="the changed notes on the call's record")
        self.assertIsNone(record()["wrapup_code"])

    @staticmethod
    def pressed(audio, since):
        """The RFC 4733 events `audio` received after `since`, one per press (its end)."""
        keys, last = [], None
        for arrival, pt, payload in list(audio.received):
            if arrival < since or pt != 101 or len(payload) < 4:
                continue
            event, flags, _ = struct.unpack("!BBH", payload[:4])
            ended = bool(flags & 0x80)
            if ended and last != ("end", event):
                keys.append(event)
            last = ("end", event) if ended else ("on", event)
        return keys

    def test_blind_transfers_to_a_phone_and_to_a_queue(self):
        agent = self.login("1001")
        target = self.phone("1004")
        (caller, _, dialog, agent_phone, _, agent_dialog, call) = self.talking_call()

        self.assert_error(self.command(call, "transfer", agent, {"queue": "nowhere"}), 400,
                          "unknown_target")
        self.assert_error(self.command(call, "transfer", agent, {"extension": "1002"}), 409,
                          "target_offline")
        self.assert_error(self.command(call, "transfer", agent, {"to": "1004"}), 400)

        # To a phone: the agent is let go at once and wraps up; the target's answer is put
        # through to the caller by a re-INVITE.
        reinvited = threading.Thread(target=caller.answer_reinvite, args=(SDP,))
        reinvited.start()
        status, body = self.command(call, "transfer", agent, {"extension": "1004"})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["call"]["state"], "transferring")
        agent_phone.next_request("BYE")
        self.wait_for_event("agent.state", agent="1001", state="wrap_up")
        target_dialog = target.answer_call()
        reinvited.join()
        self.daemon.wait_until(
            lambda: self.get(f"/api/v1/calls/{call}", self.login("admin"))[1].get("state")
            == "talking", what="the caller talking to the target")

        # From the target's phone (an extension, not an agent's call) no agent command runs.
        self.assert_error(self.command(call, "hold", agent), 403)
        self.assertEqual(target.hang_up(target_dialog), 200)
        caller.next_request("BYE")
        self.wait_for_no_calls()
        segments = ("SELECT kind, party, result FROM call_segments "
                    f"WHERE call_id = '{call}' AND kind IN ('transfer', 'talk') "
                    "ORDER BY started_at, seq")
        self.daemon.wait_until(lambda: len(self.db.query(segments).splitlines()) == 3,
                               what="the transfer's segments")
        self.assertEqual(self.db.query(segments).splitlines(),
                         ["talk|1001|transferred", "transfer|1001|completed", "talk|1004|ended"])
        del dialog, agent_dialog

    def test_a_transfer_to_a_queue_puts_the_caller_back_in_line(self):
        agent = self.login("1001")
        (caller, caller_audio, dialog, agent_phone, _, agent_dialog,
         call) = self.talking_call()
        status, body = self.command(call, "transfer", agent, {"queue": "sales"})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["call"]["state"], body["call"]["queue"]), ("queued", "sales"))
        agent_phone.next_request("BYE")
        self.wait_for_event("agent.state", agent="1001", state="wrap_up")
        self.wait_for_event("queue.enqueued", queue="sales")
        # 1002 works sales: once ready, their phone rings for the caller and takes the call.
        sales_phone = self.phone("1002")
        sales = self.login("1002")
        status, body = self.set_state("1002", sales, "ready")
        self.assertEqual(status, 200, body)
        sales_dialog = sales_phone.answer_call()
        self.wait_for_event("queue.connected", agent="1002")
        status, body = self.command(call, "hangup", sales)
        self.assertEqual(status, 200, body)
        caller.next_request("BYE")
        sales_phone.next_request("BYE")
        self.wait_for_no_calls()
        select = f"SELECT queue, agent FROM call_records WHERE call_id = '{call}'"
        self.daemon.wait_until(lambda: self.db.query(select), what="the call's record")
        self.assertEqual(self.db.query(select), "sales|1002")
        del dialog, agent_dialog, sales_dialog, caller_audio


if __name__ == "__main__":
    unittest.main()
