"""Call detail records through the real daemon: calls placed by scripted phones end, and the
record of each (disposition, who hung up, wait, talk and hold, and its segments: queue wait,
rings, talk, hold, after-call work) is checked where reports read it, in the call_records and
call_segments tables that PostgreSQL fills from the event log."""
import signal
import threading

from sip_phone import SDP
from test_acd import AcdTestCase

CONFIG = """agents:
  - {id: '1001', skills: {support: 5}, auto_login: true}
  - {id: '1002', skills: {support: 9}, auto_login: true}
queues:
  - {name: support, skills: {support: 1}, strategy: most_skilled, ring_timeout: 2s,
     wrap_up: 1s}
  - name: tax
    skills: {tax: 1}
    max_wait: 1s
    when_max_wait: {hang_up: ""}
dids:
  - {number: '8001', queue: support}
  - {number: '8002', queue: tax}
"""

HOLD_SDP = SDP + "a=sendonly\r\n"


class CallRecordTestCase(AcdTestCase):
    extra_yaml = CONFIG

    def record_of(self, call_uuid):
        """The call_records row of `call_uuid` as a dict, once it is there."""
        columns = ("disposition", "status", "ended_by", "caller", "dialed", "queue", "agent",
                   "wait_ms", "talk_ms", "hold_ms", "answered", "connected")
        select = ("SELECT disposition, status, ended_by, caller, dialed, coalesce(queue, ''), "
                  "coalesce(agent, ''), coalesce(wait_ms, -1), talk_ms, hold_ms, "
                  "answered_at IS NOT NULL, connected_at IS NOT NULL "
                  f"FROM call_records WHERE call_id = '{call_uuid}'")
        self.daemon.wait_until(lambda: self.db.query(select) != "", what="the call's record")
        return dict(zip(columns, self.db.query(select).split("|")))

    def segments_of(self, call_uuid, count):
        """(kind, party, queue, result, duration in ms) of the call's segments in time order,
        once there are `count` of them."""
        select = ("SELECT kind, party, queue, result, "
                  "(extract(epoch FROM ended_at - started_at) * 1000)::bigint "
                  f"FROM call_segments WHERE call_id = '{call_uuid}' "
                  "ORDER BY started_at, event_id, seq")
        self.daemon.wait_until(
            lambda: len(self.db.query(select).splitlines()) >= count,
            what=f"{count} segments of the call")
        rows = [row.split("|") for row in self.db.query(select).splitlines()]
        return [(kind, party, queue, result, int(ms)) for kind, party, queue, result, ms in rows]

    def only_record(self):
        """The UUID of the one call recorded, once its record is there."""
        self.daemon.wait_until(lambda: self.db.query("SELECT count(*) FROM call_records") == "1",
                               what="the call's record")
        return self.db.query("SELECT call_id FROM call_records")


class QueuedCallRecordTest(CallRecordTestCase):
    def test_a_queued_call_records_its_rings_talk_hold_and_after_call_work(self):
        novice, expert = self.phone("1001"), self.phone("1002")
        caller, _, caller_dialog = self.caller("8001")
        # The expert lets it ring out (2 s); the novice answers.
        ringing = expert.answer_call(ring_only=True)
        expert.expect_cancel(ringing)
        agent_dialog = novice.answer_call()
        self.wait_for_event("queue.connected", agent="1001")

        # The agent holds the caller, then resumes; the caller's phone answers what the daemon
        # relays to it, if it relays anything.
        def caller_answers_reinvites():
            for _ in range(2):
                try:
                    caller.answer_reinvite(SDP, timeout=3)
                except TimeoutError:
                    return
        helper = threading.Thread(target=caller_answers_reinvites)
        helper.start()
        self.assertEqual(novice.reinvite(agent_dialog, HOLD_SDP), 200)
        threading.Event().wait(0.6)
        self.assertEqual(novice.reinvite(agent_dialog, SDP), 200)
        helper.join()

        self.assertEqual(caller.hang_up(caller_dialog), 200)
        novice.next_request("BYE")
        self.wait_for_no_calls()
        call = self.only_record()

        record = self.record_of(call)
        self.assertEqual(record["disposition"], "connected")
        self.assertEqual(record["ended_by"], "caller")
        self.assertEqual(record["caller"], "1003")
        self.assertEqual(record["dialed"], "8001")
        self.assertEqual(record["queue"], "support")
        self.assertEqual(record["agent"], "1001")
        self.assertEqual((record["answered"], record["connected"]), ("t", "t"))
        # The caller waited through the expert's 2 s ring timeout before the novice answered.
        self.assertGreaterEqual(int(record["wait_ms"]), 1900)
        self.assertGreaterEqual(int(record["hold_ms"]), 500)
        self.assertGreater(int(record["talk_ms"]), int(record["hold_ms"]))

        # The agent's 1 s wrap-up ends after the call: its after-call work joins the segments.
        segments = self.segments_of(call, 6)
        self.assertEqual([s[0] for s in segments],
                         ["queue", "ring", "ring", "talk", "hold", "after_call_work"])
        queue, ring_out, ring_answered, talk, hold, after_call_work = segments
        self.assertEqual(queue[2:4], ("support", "answered"))
        self.assertEqual(ring_out[1:4], ("1002", "support", "no_answer"))
        self.assertGreaterEqual(ring_out[4], 1900)
        self.assertEqual(ring_answered[1:4], ("1001", "support", "answered"))
        self.assertEqual(talk[1:4], ("1001", "support", "ended"))
        self.assertEqual(talk[4], int(record["talk_ms"]))
        self.assertEqual((hold[1], hold[3]), ("1001", "resumed"))
        self.assertEqual(after_call_work[1:3], ("1001", "support"))
        self.assertGreaterEqual(after_call_work[4], 900)

    def test_a_blind_transfer_ends_the_agents_part_and_starts_their_wrap_up(self):
        agent, target = self.phone("1001"), self.phone("1004")
        caller, _, caller_dialog = self.caller("8001")
        agent_dialog = agent.answer_call()
        self.wait_for_event("queue.connected", agent="1001")
        refer_to = f"<sip:1004@127.0.0.1:{self.daemon.sip_port}>"
        # The caller is re-INVITEd with the target's session before the target's answer is
        # ACKed, so it answers on a thread of its own.
        reinvited = threading.Thread(target=caller.answer_reinvite, args=(SDP,))
        reinvited.start()
        self.assertEqual(agent.refer(agent_dialog, refer_to).status, 202)
        target_dialog = target.answer_call()
        reinvited.join()
        # The transfer completed: the agent is released and goes into wrap-up while the
        # caller talks on with the target.
        agent.next_request("BYE")
        self.wait_for_event("agent.state", agent="1001", state="wrap_up")
        self.assertEqual(self.daemon.metric("callcenterd_calls_active"), 1,
                         self.daemon.log()[-6000:])
        self.assertEqual(target.hang_up(target_dialog), 200)
        caller.next_request("BYE")
        self.wait_for_no_calls()
        call = self.only_record()
        record = self.record_of(call)
        self.assertEqual((record["disposition"], record["agent"]), ("connected", "1001"))
        self.assertEqual(record["ended_by"], "callee")
        segments = [s for s in self.segments_of(call, 6) if s[0] != "ring"]
        # The target's talk and the agent's after-call work both begin as the transfer completes.
        self.assertCountEqual([s[:4] for s in segments],
                              [("queue", "", "support", "answered"),
                               ("talk", "1001", "support", "transferred"),
                               ("transfer", "1001", "", "completed"),
                               ("after_call_work", "1001", "support", "ready"),
                               ("talk", "1004", "", "ended")])
        del caller_dialog

    def test_a_max_wait_exit_is_self_service_and_its_queue_wait_says_timed_out(self):
        caller, _, dialog = self.caller("8002")
        caller.next_request("BYE", timeout=10)
        self.wait_for_no_calls()
        call = self.only_record()
        record = self.record_of(call)
        self.assertEqual((record["disposition"], record["ended_by"]), ("self_service", "system"))
        self.assertEqual((record["queue"], record["agent"], record["wait_ms"]), ("tax", "", "-1"))
        self.assertEqual(self.segments_of(call, 1)[0][:4], ("queue", "", "tax", "timed_out"))
        del dialog


class DirectCallRecordTest(CallRecordTestCase):
    def test_an_extension_call_hung_up_by_the_callee(self):
        callee = self.phone("1004")
        caller = self.phone("1003")
        dialog = caller.invite("1004")
        callee_dialog = callee.answer_call()
        self.assertEqual(caller.answered(dialog), 200)
        self.assertEqual(callee.hang_up(callee_dialog), 200)
        caller.next_request("BYE")
        self.wait_for_no_calls()
        call = self.only_record()
        record = self.record_of(call)
        self.assertEqual((record["disposition"], record["ended_by"]), ("connected", "callee"))
        self.assertEqual((record["dialed"], record["queue"], record["agent"]), ("1004", "", ""))
        segments = self.segments_of(call, 2)
        self.assertEqual([s[:4] for s in segments],
                         [("ring", "1004", "", "answered"), ("talk", "1004", "", "ended")])

    def test_an_unknown_number_is_refused_with_its_status(self):
        caller = self.phone("1003")
        dialog = caller.invite("5555")
        self.assertEqual(caller.answered(dialog), 404)
        self.wait_for_no_calls()
        call = self.only_record()
        record = self.record_of(call)
        self.assertEqual((record["disposition"], record["status"], record["ended_by"]),
                         ("refused", "404", "system"))
        self.assertEqual(self.db.query(
            f"SELECT count(*) FROM call_segments WHERE call_id = '{call}'"), "0")


class FiguresTestCase(CallRecordTestCase):
    def queue_figures(self):
        return tuple(self.daemon.metric(f'callcenterd_queue_{name}_today{{queue="support"}}')
                     for name in ("offered", "answered", "abandoned"))


class OutageRestartTest(FiguresTestCase):
    private_cluster = True

    def test_figures_left_in_the_spool_by_a_crash_during_an_outage_come_back(self):
        agent = self.phone("1001")
        first, _, first_dialog = self.caller("8001", "1003")
        agent.answer_call()
        self.wait_for_event("queue.connected", agent="1001")
        # PostgreSQL goes away: a second caller waits (the agent is busy) and gives up, the
        # first hangs up; their events can only go to the spool.
        self.cluster.stop()
        second, _, second_dialog = self.caller("8001", "1004")
        self.assertEqual(second.hang_up(second_dialog), 200)
        self.assertEqual(first.hang_up(first_dialog), 200)
        agent.next_request("BYE")
        self.wait_for_no_calls()
        self.daemon.wait_until(lambda: self.queue_figures() == (2, 1, 1),
                               what="the figures in memory")
        # Every event is in the spool (fsync'd), none only in memory: then the daemon dies.
        self.daemon.wait_until(
            lambda: self.daemon.metric("callcenterd_event_log_backlog") == 0
            and self.daemon.metric("callcenterd_event_log_spool_bytes") > 0,
            what="the events spooled")
        self.daemon.stop(sig=signal.SIGKILL)
        # Back with PostgreSQL: the figures wait for the spool's replay, then include it.
        self.cluster.start()
        self.daemon.start()
        self.daemon.wait_until(lambda: self.queue_figures() == (2, 1, 1),
                               what="the day's figures back, the spooled ones included")
        self.daemon.wait_for_log("today's figures restored from")


class RestartTest(FiguresTestCase):

    def test_todays_queue_figures_survive_a_restart(self):
        agent = self.phone("1001")
        first, _, first_dialog = self.caller("8001", "1003")
        agent.answer_call()
        self.wait_for_event("queue.connected", agent="1001")
        # A second caller waits (the agent is busy, 1002 has no phone) and gives up.
        second, _, second_dialog = self.caller("8001", "1004")
        self.assertEqual(second.hang_up(second_dialog), 200)
        self.wait_for_event("queue.left", outcome="abandoned")
        self.assertEqual(first.hang_up(first_dialog), 200)
        agent.next_request("BYE")
        self.wait_for_no_calls()
        self.wait_for_event("agent.state", agent="1001", state="ready", count=2)  # wrap-up over
        self.daemon.wait_until(lambda: self.queue_figures() == (2, 1, 1),
                               what="the day's figures in /metrics")

        self.assertEqual(self.daemon.stop(), 0)
        self.daemon.start()
        self.daemon.wait_for_log("today's figures restored from")
        self.daemon.wait_until(lambda: self.queue_figures() == (2, 1, 1),
                               what="the day's figures back after the restart")
        # Nothing of this run is counted twice: a new call adds one. It rings the agent, whose
        # phone does not answer its CANCEL yet: the abandon counts at once all the same.
        third, _, third_dialog = self.caller("8001", "1003")
        ringing = agent.answer_call(ring_only=True)
        self.assertEqual(third.hang_up(third_dialog), 200)
        self.wait_for_event("queue.left", outcome="abandoned", count=2, timeout=5)
        agent.expect_cancel(ringing)
        self.daemon.wait_until(lambda: self.queue_figures() == (3, 1, 2),
                               what="the new call counted once")
