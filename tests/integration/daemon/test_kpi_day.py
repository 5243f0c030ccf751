"""A scripted stretch of a day through the real daemon, with figures worked out by hand: one
agent, a queue with a 2 s service-level threshold and a 1 s short-abandon threshold, and four
callers: answered at once, answered after 3 s of ringing, abandoned after 1.5 s and abandoned
after 0.3 s. The queue's live figures (the API) must match the definitions of KPIS.md applied to
that script, the same figures must come out of the events PostgreSQL holds, and a restarted
daemon must show them again."""
import time

from rtp_peer import RtpPeer
from test_api_agents import ApiTestCase

CONFIG = """media: {address: 127.0.0.1}
agents: [{id: '1001', teams: [support], skills: {kpi: 5}, auto_login: true}]
queues:
  - {name: kpi, skills: {kpi: 1}, wrap_up: 0s, ring_timeout: 20s, short_abandon: 1s,
     service_level: {threshold: 2s, target: 0.8}}
dids:
  - {number: '8010', queue: kpi}
"""


class KpiDayTest(ApiTestCase):
    extra_yaml = CONFIG

    def figures(self):
        token = self.login("admin")
        return self.queue("kpi", token)

    def from_events(self):
        """The same figures from the stored events alone, by the definitions of KPIS.md."""
        row = self.db.query(
            "SELECT"
            " count(*) FILTER (WHERE kind = 'queue.enqueued'),"
            " count(*) FILTER (WHERE kind = 'queue.connected'),"
            " count(*) FILTER (WHERE kind = 'queue.connected'"
            "                    AND (payload->>'wait_ms')::bigint <= 2000),"
            " count(*) FILTER (WHERE kind = 'queue.left' AND payload->>'outcome' = 'abandoned'),"
            " count(*) FILTER (WHERE kind = 'queue.left' AND payload->>'outcome' = 'abandoned'"
            "                    AND (payload->>'wait_ms')::bigint <= 1000),"
            " coalesce(sum((payload->>'wait_ms')::bigint)"
            "          FILTER (WHERE kind = 'queue.connected'), 0)"
            " FROM events WHERE payload->>'queue' = 'kpi'").strip()
        offered, answered, within, abandoned, short, wait_ms = (int(v) for v in row.split("|"))
        counted = offered - short
        return {"offered": offered, "answered": answered, "abandoned": abandoned,
                "short_abandoned": short, "service_level": within / counted,
                "abandon_rate": (abandoned - short) / counted,
                "asa_s": wait_ms / answered / 1000.0}

    def test_the_figures_of_a_scripted_day_match_the_hand_computed_ones(self):
        agent = self.phone("1001")
        agent_audio = RtpPeer()
        self.addCleanup(agent_audio.close)
        # 1. Answered at once (well within 2 s), one second of talk.
        caller, _, dialog = self.caller("8010", "1003")
        agent_dialog = agent.answer_call(sdp=agent_audio.sdp(0))
        self.wait_for_event("queue.connected", agent="1001")
        time.sleep(1)
        self.assertEqual(caller.hang_up(dialog), 200)
        agent.next_request("BYE")
        self.wait_for_event("agent.state", agent="1001", state="ready", count=2)
        # 2. The agent lets it ring 3 s before answering: past the threshold.
        late, _, late_dialog = self.caller("8010", "1004")
        ringing = agent.answer_call(ring_only=True)
        time.sleep(3)
        agent.answer_ringing(ringing, sdp=agent_audio.sdp(0))
        self.wait_for_event("queue.connected", agent="1001", count=2)
        # 3. and 4. While the agent talks: one caller gives up after 1.5 s, one after 0.3 s.
        gave_up, _, gave_up_dialog = self.caller("8010", "1002")
        time.sleep(1.5)
        self.assertEqual(gave_up.hang_up(gave_up_dialog), 200)
        quick, _, quick_dialog = self.caller("8010", "1005")
        time.sleep(0.3)
        self.assertEqual(quick.hang_up(quick_dialog), 200)
        self.wait_for_event("queue.left", outcome="abandoned", count=2)
        self.assertEqual(late.hang_up(late_dialog), 200)
        agent.next_request("BYE")
        self.wait_for_no_calls()
        del agent_dialog

        # By hand: 4 offered, 2 answered (1 within 2 s), 2 abandoned of which 1 short
        # (0.3 s <= 1 s). Service level 1 / (4 - 1); abandon rate (2 - 1) / (4 - 1); the ASA is
        # the mean of the two answered waits: under 1 s and about 3 s.
        live = self.figures()
        self.assertEqual((live["offered"], live["answered"], live["abandoned"],
                          live["short_abandoned"]), (4, 2, 2, 1), live)
        self.assertAlmostEqual(live["service_level"], 1 / 3, places=6)
        self.assertAlmostEqual(live["abandon_rate"], 1 / 3, places=6)
        self.assertGreater(live["asa_s"], (0 + 3.0) / 2)
        self.assertLess(live["asa_s"], (1.0 + 4.5) / 2)

        # The events in PostgreSQL give the same figures.
        self.daemon.wait_until(lambda: self.from_events()["abandoned"] == 2,
                               what="every event stored")
        stored = self.from_events()
        for key in ("offered", "answered", "abandoned", "short_abandoned"):
            self.assertEqual(stored[key], live[key], key)
        for key in ("service_level", "abandon_rate"):
            self.assertAlmostEqual(stored[key], live[key], places=9, msg=key)
        # The live ASA is a whole number of milliseconds (the mean rounded down).
        self.assertAlmostEqual(stored["asa_s"], live["asa_s"], delta=0.001)

        # A restarted daemon shows the day's figures again.
        self.assertEqual(self.daemon.stop(), 0)
        self.daemon.start()
        self.daemon.wait_for_log("today's figures restored from")
        again = self.figures()
        for key in ("offered", "answered", "abandoned", "short_abandoned", "service_level",
                    "abandon_rate", "asa_s"):
            self.assertEqual(again[key], live[key], key)
