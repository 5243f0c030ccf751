"""Queued calls through the real daemon and its ACD: scripted phones register as the agents'
devices, callers dial queue DIDs, and what the ACD decides (which agent rings, who gets the
call after a no-answer, abandons and max-wait exits) is checked at the phones and in the
queue and agent events the event log writes to PostgreSQL."""
import time

from rtp_peer import RtpPeer, goertzel_power, tone
from sip_phone import UdpPhone
from test_media import HOLD_CLASS_HZ, HOLD_CLASS_WAV
from test_sip_calls import CallTestCase

CONFIG = """media:
  address: 127.0.0.1
  hold_classes:
    - {name: bright, file: HOLD_CLASS_WAV}
agents:
  - {id: '1001', skills: {support: 5}, auto_login: true}
  - {id: '1002', skills: {support: 9}, auto_login: true}
queues:
  - {name: support, skills: {support: 1}, strategy: most_skilled, ring_timeout: 2s,
     wrap_up: 0s}
  - name: tax
    skills: {tax: 1}
    max_wait: 2s
    when_max_wait: {hang_up: ""}
    hold_class: bright
  - name: announced
    skills: {tax: 1}
    max_wait: 5s
    hold_class: bright
    announce: {every: 1s}
  - {name: private, skills: {support: 1}, record: false}
  - {name: everyone, skills: {support: 1}, strategy: ring_all, ring_timeout: 3s, wrap_up: 0s}
dids:
  - {number: '8001', queue: support}
  - {number: '8004', queue: private}
  - {number: '8002', queue: tax}
  - {number: '8003', queue: announced}
  - {number: '8006', queue: everyone}
""".replace("HOLD_CLASS_WAV", HOLD_CLASS_WAV)


class AcdTestCase(CallTestCase):
    extra_yaml = CONFIG

    def caller(self, number, extension="1003"):
        """A scripted phone calling `number`, with its RTP peer; the dialog once answered."""
        phone = UdpPhone(self.daemon.sip_port, extension, f"demo{extension}")
        self.addCleanup(phone.close)
        audio = RtpPeer()
        self.addCleanup(audio.close)
        dialog = phone.call(number, sdp=audio.sdp(0))
        audio.send_to(dialog.answer)
        return phone, audio, dialog

    def events(self, kind):
        """(correlation, payload fields) of every event of `kind`, in log order."""
        self.assertRegex(kind, r"^[a-z_.]+$")  # a constant of ours, safe to put in the SQL
        rows = self.db.query(
            "SELECT correlation_id, payload->>'agent', payload->>'state', payload->>'reason', "
            f"payload->>'outcome', payload->>'queue' FROM events WHERE kind = '{kind}' "
            "ORDER BY log_position")
        return [tuple(row.split("|")) for row in rows.splitlines() if row]

    def wait_for_event(self, kind, count=1, timeout=20, **fields):
        names = ("call", "agent", "state", "reason", "outcome", "queue")

        def matching():
            return [e for e in self.events(kind)
                    if all(e[names.index(k)] == v for k, v in fields.items())]
        self.daemon.wait_until(lambda: len(matching()) >= count,
                               what=f"{count} {kind} {fields}", timeout=timeout)
        return matching()


class RoutingTest(AcdTestCase):
    def test_the_most_skilled_agent_rings_first_and_the_next_caller_gets_the_other(self):
        novice, expert = self.phone("1001"), self.phone("1002")
        first, _, first_dialog = self.caller("8001", "1003")
        expert_dialog = expert.answer_call()
        self.wait_for_event("queue.connected", agent="1002", queue="support")
        second, _, second_dialog = self.caller("8001", "1004")
        novice_dialog = novice.answer_call()
        self.wait_for_event("queue.connected", agent="1001", queue="support")
        self.daemon.wait_until(lambda: self.calls("bridged") == 2, what="both calls bridged")
        # The callers hang up; each agent's part ends and, without wrap-up, they are ready.
        self.assertEqual(first.hang_up(first_dialog), 200)
        expert.next_request("BYE")
        self.assertEqual(novice.hang_up(novice_dialog), 200)
        second.next_request("BYE")
        self.wait_for_no_calls()
        completed = self.wait_for_event("queue.completed", count=2)
        self.assertEqual(sorted(e[1] for e in completed), ["1001", "1002"])
        self.wait_for_event("agent.state", agent="1001", state="ready", count=2)
        self.wait_for_event("agent.state", agent="1002", state="ready", count=2)
        del expert_dialog, second_dialog

    def test_an_agent_who_lets_it_ring_goes_not_ready_and_the_next_agent_answers(self):
        novice, expert = self.phone("1001"), self.phone("1002")
        caller, _, caller_dialog = self.caller("8001")
        ringing = expert.answer_call(ring_only=True)
        # The 2 s ring timeout: the expert's phone is cancelled, the novice's rings.
        expert.expect_cancel(ringing)
        novice_dialog = novice.answer_call()
        self.daemon.wait_until(lambda: self.calls("bridged") == 1, what="the call is bridged")
        self.wait_for_event("agent.state", agent="1002", state="not_ready", reason="no_answer")
        self.wait_for_event("queue.offer_failed", agent="1002")
        self.wait_for_event("queue.connected", agent="1001")
        self.assertEqual(novice.hang_up(novice_dialog), 200)
        caller.next_request("BYE")
        self.wait_for_no_calls()


class RingAllTest(AcdTestCase):
    def test_every_agent_rings_and_the_first_to_answer_takes_the_call(self):
        first, second = self.phone("1001"), self.phone("1002")
        caller, caller_audio, dialog = self.caller("8006")
        ringing = first.answer_call(ring_only=True)
        second_audio = RtpPeer()
        self.addCleanup(second_audio.close)
        second.answer_call(sdp=second_audio.sdp(0))
        second_audio.send_to(second.last_invite.body)
        # The other phone stops ringing.
        first.expect_cancel(ringing)
        self.wait_for_event("queue.connected", agent="1002", queue="everyone")
        withdrawn = self.wait_for_event("queue.offer_withdrawn", agent="1001", queue="everyone")
        self.assertEqual(len(withdrawn), 1)
        # The caller talks to the phone that answered.
        caller_audio.play(tone([1000], 2))
        self.daemon.wait_until(lambda: len(second_audio.received_samples()) > 4000,
                               what="the answering agent hearing the caller")
        self.assertEqual(caller.hang_up(dialog), 200)
        second.next_request("BYE")
        self.wait_for_no_calls()
        self.assertEqual(self.events("queue.offer_failed"), [])

    def test_a_ring_out_leaves_everyone_ready_and_rings_them_all_again(self):
        first, second = self.phone("1001"), self.phone("1002")
        caller, _, dialog = self.caller("8006")
        rings = [first.answer_call(ring_only=True), second.answer_call(ring_only=True)]
        # Nobody answers within the 3 s ring timeout: both are cancelled, neither goes not
        # ready, and the call rings both again.
        first.expect_cancel(rings[0])
        second.expect_cancel(rings[1])
        self.assertEqual(len(self.wait_for_event("queue.offer_failed", queue="everyone",
                                                 count=2)), 2)
        again = first.answer_call(ring_only=True)
        second.answer_call()
        first.expect_cancel(again)
        self.wait_for_event("queue.connected", agent="1002", queue="everyone")
        self.assertEqual([e for e in self.events("agent.state") if e[2] == "not_ready"], [])
        self.assertEqual(caller.hang_up(dialog), 200)
        second.next_request("BYE")
        self.wait_for_no_calls()


# A flow that hands its callers to the tax queue (nobody has the skill, so they wait) with an
# escalation: after 1 s of waiting they count priority 5.
ESCALATION_FLOW = """flows:
  vip:
    start: line
    nodes:
      line:
        queue: tax
        escalate: [{after: 1s, priority: 5}]
"""


class EscalationTest(AcdTestCase):
    extra_yaml = CONFIG.replace("dids:\n", "dids:\n  - {number: '8007', flow: vip}\n")
    flow_files = {"vip.yaml": ESCALATION_FLOW}

    def test_the_flows_escalation_moves_its_caller_ahead_of_earlier_ones(self):
        self.caller("8002", "1003")  # the tax queue straight, priority 0
        self.wait_for_event("queue.enqueued", queue="tax")
        time.sleep(0.3)
        self.caller("8007", "1004")
        self.wait_for_event("queue.enqueued", queue="tax", count=2)
        changed = self.wait_for_event("queue.priority_changed", queue="tax")
        escalated = self.db.query(
            "SELECT payload->>'priority', payload->>'position', payload->>'detail' FROM events "
            f"WHERE kind = 'queue.priority_changed' AND correlation_id = '{changed[0][0]}'")
        self.assertEqual(escalated.strip(), "5|1|escalation")
        enqueued = [e[0] for e in self.events("queue.enqueued")]
        self.assertEqual(changed[0][0], enqueued[1], "not the flow's caller that was raised")


class RecordingTest(AcdTestCase):
    def talk_through(self, phone, number, extension, count):
        """A call to `number` answered by agent 1001's `phone`, then hung up: its UUID."""
        caller, audio, dialog = self.caller(number, extension)
        phone.answer_call()
        connected = self.wait_for_event("queue.connected", agent="1001", count=count)
        time.sleep(0.5)
        self.assertEqual(caller.hang_up(dialog), 200)
        phone.next_request("BYE")
        self.wait_for_no_calls()
        return connected[-1][0]

    def test_a_queue_that_says_not_leaves_its_calls_unrecorded(self):
        phone = self.phone("1001")
        recorded = self.talk_through(phone, "8001", "1003", 1)
        self.daemon.wait_until(
            lambda: self.db.query(
                f"SELECT count(*) FROM recordings WHERE call_uuid = '{recorded}'") == "1",
            what="the support call's recording indexed")
        self.wait_for_event("agent.state", agent="1001", state="ready", count=2)
        unrecorded = self.talk_through(phone, "8004", "1004", 2)
        self.assertNotEqual(recorded, unrecorded)
        # Written behind like the first: give it the same time, then there must be none.
        time.sleep(1.5)
        self.assertEqual(self.db.query(
            f"SELECT count(*) FROM recordings WHERE call_uuid = '{unrecorded}'"), "0")
        self.assertEqual(self.db.query("SELECT count(*) FROM recordings"), "1")


class QueueExitTest(AcdTestCase):
    def test_a_caller_who_hangs_up_while_waiting_is_counted_as_an_abandon(self):
        # No agent's phone is registered: both offers fail and the caller waits with music.
        caller, audio, dialog = self.caller("8001")
        self.wait_for_event("agent.state", agent="1001", state="not_ready", reason="unreachable")
        self.wait_for_event("agent.state", agent="1002", state="not_ready", reason="unreachable")
        since = time.monotonic()
        time.sleep(1.0)
        music = audio.received_samples(since=since)
        self.assertGreater(len(music), 4000, "the waiting caller heard nothing")
        self.assertEqual(caller.hang_up(dialog), 200)
        left = self.wait_for_event("queue.left", outcome="abandoned", queue="support")
        self.assertEqual(left[0][0], self.events("queue.enqueued")[0][0])
        self.wait_for_no_calls()

    def test_an_agent_whose_phone_registers_again_is_ready_and_takes_the_waiting_call(self):
        caller, _, dialog = self.caller("8001")
        self.wait_for_event("agent.state", agent="1002", state="not_ready", reason="unreachable")
        self.wait_for_event("agent.state", agent="1001", state="not_ready", reason="unreachable")
        phone = self.phone("1001")
        phone.answer_call()
        self.wait_for_event("agent.state", agent="1001", state="ready", count=2)
        self.wait_for_event("queue.connected", agent="1001")
        self.assertEqual(caller.hang_up(dialog), 200)
        phone.next_request("BYE")
        self.wait_for_no_calls()

    def test_max_wait_hangs_the_caller_up_when_nobody_can_take_the_call(self):
        caller, audio, dialog = self.caller("8002")
        started = time.monotonic()
        # /metrics shows the waiting call within its one-second refresh.
        self.daemon.wait_until(
            lambda: self.daemon.metric('callcenterd_queue_waiting{queue="tax"}') == 1,
            what="the waiting call in /metrics", timeout=3)
        bye = caller.next_request("BYE", timeout=10)
        waited = time.monotonic() - started
        # While it waited, the caller heard the queue's hold class (a 1800 Hz tone), not the
        # default tune.
        heard = audio.received_samples(since=started)
        self.assertGreater(len(heard), 8000, "less than a second of hold music")
        self.assertGreater(goertzel_power(heard, HOLD_CLASS_HZ),
                           100 * max(goertzel_power(heard, f) for f in (261.63, 392.0, 1000)),
                           "not the queue's hold class")
        self.assertEqual(bye.header("call-id"), dialog.call_id)
        self.assertGreater(waited, 1.5)
        self.wait_for_event("queue.left", outcome="timed_out", queue="tax")
        self.wait_for_no_calls()
        self.daemon.wait_until(
            lambda: self.daemon.metric('callcenterd_queue_waiting{queue="tax"}') == 0,
            what="no waiting call in /metrics", timeout=3)
        self.assertEqual(self.daemon.metric('callcenterd_queue_offered_today{queue="tax"}'), 1)

    def test_a_waiting_caller_is_told_their_place_between_the_music(self):
        caller, audio, dialog = self.caller("8003")
        started = time.monotonic()
        caller.next_request("BYE", timeout=15)  # the 5 s max wait
        heard = audio.received_samples(since=started)
        # In 100 ms windows: the queue's music is its 1800 Hz tone; the announcement ("You are
        # next in line.") is speech, with its energy low in the spectrum and none at 1800 Hz.
        music = speech = 0
        for start in range(0, len(heard) - 800, 800):
            window = heard[start:start + 800]
            tone = goertzel_power(window, HOLD_CLASS_HZ)
            voice = max(goertzel_power(window, f) for f in (200, 300, 450, 600, 800))
            if tone > 100 * max(voice, 1.0):
                music += 1
            elif voice > 10 * max(tone, 1.0):
                speech += 1
        self.assertGreater(music, 5, "the caller heard no music")
        self.assertGreater(speech, 3, "the caller was never told their place")
        self.wait_for_no_calls()


GREETING_CONFIG = """media:
  address: 127.0.0.1
  hold_classes:
    - {name: bright, file: HOLD_CLASS_WAV}
agents:
  - {id: '1001', skills: {support: 5}, auto_login: true}
queues:
  - name: support
    skills: {support: 1}
    hold_class: bright
    whisper: "Support call from {caller}"
    agent_announcement: "Agent {agent} speaking"
dids:
  - {number: '8001', queue: support}
""".replace("HOLD_CLASS_WAV", HOLD_CLASS_WAV)

CALLER_HZ = 1000.0
VOICE_HZ = (200, 300, 450, 600, 800)


def windows(samples, kinds):
    """What each 100 ms window of `samples` is: the kind (a name for a frequency) whose tone
    stands out, "speech" when the voice band does, else None."""
    out = []
    for start in range(0, len(samples) - 800, 800):
        window = samples[start:start + 800]
        voice = max(goertzel_power(window, f) for f in VOICE_HZ)
        tones = {name: goertzel_power(window, hz) for name, hz in kinds.items()}
        loudest = max(tones, key=tones.get)
        if tones[loudest] > 100 * max(voice, 1.0):
            out.append(loudest)
        elif voice > 10 * max(max(tones.values()), 1.0):
            out.append("speech")
        else:
            out.append(None)
    return out


class GreetingTest(AcdTestCase):
    extra_yaml = GREETING_CONFIG

    def test_the_agent_hears_a_whisper_then_the_caller_hears_who_answered(self):
        agent = self.phone("1001")
        agent_audio = RtpPeer()
        self.addCleanup(agent_audio.close)
        caller, caller_audio, dialog = self.caller("8001")
        caller_audio.play(tone([CALLER_HZ], 10))
        agent_dialog = agent.answer_call(sdp=agent_audio.sdp(0))
        agent_audio.send_to(agent.last_invite.body)
        answered = time.monotonic()
        time.sleep(5)
        # The agent hears the whisper (speech) before the caller (a 1000 Hz tone) is put
        # through, and then the caller.
        heard = windows(agent_audio.received_samples(since=answered), {"caller": CALLER_HZ})
        self.assertIn("speech", heard, "the agent heard no whisper")
        self.assertIn("caller", heard, "the agent never heard the caller")
        self.assertLess(heard.index("speech"), heard.index("caller"))
        self.assertGreaterEqual(heard.count("speech"), 5)
        # The caller hears the queue's music during the whisper, then the agent's
        # announcement, before the agent (who sends silence).
        told = windows(caller_audio.received_samples(since=answered), {"music": HOLD_CLASS_HZ})
        self.assertIn("music", told, "the caller heard no music during the whisper")
        self.assertIn("speech", told, "the caller was not told who answered")
        self.assertLess(told.index("music"), told.index("speech"))
        self.assertGreaterEqual(told.count("speech"), 5)
        self.assertEqual(caller.hang_up(dialog), 200)
        agent.next_request("BYE")
        self.wait_for_no_calls()
        del agent_dialog

