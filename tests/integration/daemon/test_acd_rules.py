"""Queue rules through the real daemon with two agents' scripted phones: each routing strategy
sends the next caller to the agent it should (after one agent took a call, the other comes
first for every strategy but most-skilled), overflow widens the candidates after its delay or
moves the caller to another queue, and a queue whose agents are all logged out refuses new
callers when it says so. Then sipp on both sides: sipp phones as the agents' devices taking
sipp callers in turn."""
import time

from harness import free_port
from test_acd import AcdTestCase

STRATEGIES = ("longest_idle", "round_robin", "fewest_calls", "least_talk_time")

CONFIG = """agents:
  - {id: '1001', skills: {support: 5}, auto_login: true}
  - {id: '1002', skills: {support: 5}, auto_login: true}
queues:
""" + "".join(f"  - {{name: {name}, skills: {{support: 1}}, strategy: {name}, wrap_up: 0s}}\n"
              for name in STRATEGIES) + """  - name: widening
    skills: {tax: 1}
    overflow: [{after: 2s, add_skills: {support: 1}}]
  - name: moving
    skills: {tax: 1}
    overflow: [{after: 2s, move_to: {queue: longest_idle}}]
  - {name: closed, skills: {night: 1}, no_agents: refuse, when_no_agents: {hang_up: ""}}
dids:
""" + "".join(f"  - {{number: '82{i}', queue: {name}}}\n"
              for i, name in enumerate(STRATEGIES + ("widening", "moving", "closed")))


def first_to_ring(phones, timeout=10.0):
    """The phone whose INVITE comes first, and that INVITE."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for phone in phones:
            try:
                return phone, phone.next_request("INVITE", timeout=0.05)
            except TimeoutError:
                continue
    raise AssertionError("no agent's phone rang")


class AcdRulesTestCase(AcdTestCase):
    extra_yaml = CONFIG

    def setUp(self):
        super().setUp()
        self.phones = {"1001": self.phone("1001"), "1002": self.phone("1002")}

    def talk(self, number, caller_extension, seconds=0.2):
        """A caller of `number` put through to whichever agent rings; that agent's id."""
        caller, _, dialog = self.caller(number, caller_extension)
        phone, invite = first_to_ring(self.phones.values())
        phone.answer_ringing(phone.ring(invite))
        time.sleep(seconds)
        self.assertEqual(caller.hang_up(dialog), 200)
        phone.next_request("BYE")
        self.wait_for_no_calls()
        return phone.extension


class StrategyTest(AcdRulesTestCase):
    def check(self, strategy):
        number = f"82{STRATEGIES.index(strategy)}"
        first = self.talk(number, "1003")
        self.wait_for_event("agent.state", agent=first, state="ready", count=2)
        second = self.talk(number, "1004")
        self.assertNotEqual(second, first,
                            f"{strategy}: the agent who just took a call came first again")
        connected = self.wait_for_event("queue.connected", queue=strategy, count=2)
        self.assertEqual([e[1] for e in connected], [first, second])

    def test_longest_idle(self):
        self.check("longest_idle")

    def test_round_robin(self):
        self.check("round_robin")

    def test_fewest_calls(self):
        self.check("fewest_calls")

    def test_least_talk_time(self):
        self.check("least_talk_time")


class OverflowTest(AcdRulesTestCase):
    def test_overflow_adds_the_secondary_skills_after_its_delay(self):
        caller, _, dialog = self.caller("824", "1003")
        called = time.monotonic()
        phone, invite = first_to_ring(self.phones.values(), timeout=10)
        self.assertGreater(time.monotonic() - called, 1.5, "rang before the overflow delay")
        self.wait_for_event("queue.widened", queue="widening")
        phone.answer_ringing(phone.ring(invite))
        self.wait_for_event("queue.connected", queue="widening", agent=phone.extension)
        self.assertEqual(caller.hang_up(dialog), 200)
        phone.next_request("BYE")
        self.wait_for_no_calls()

    def test_overflow_moves_the_caller_to_another_queue(self):
        caller, _, dialog = self.caller("825", "1003")
        called = time.monotonic()
        phone, invite = first_to_ring(self.phones.values(), timeout=10)
        self.assertGreater(time.monotonic() - called, 1.5, "rang before the overflow delay")
        phone.answer_ringing(phone.ring(invite))
        self.wait_for_event("queue.left", queue="moving", outcome="overflowed")
        self.wait_for_event("queue.connected", queue="longest_idle", agent=phone.extension)
        self.assertEqual(caller.hang_up(dialog), 200)
        phone.next_request("BYE")
        self.wait_for_no_calls()


class NoAgentsTest(AcdRulesTestCase):
    def test_a_queue_without_logged_in_agents_refuses_when_it_says_so(self):
        caller, _, dialog = self.caller("826", "1003")
        bye = caller.next_request("BYE", timeout=10)
        self.assertEqual(bye.header("call-id"), dialog.call_id)
        self.wait_for_event("queue.left", queue="closed", outcome="blocked")
        self.wait_for_no_calls()


class SippPhonesTest(AcdTestCase):
    """sipp on both sides: two sipp phones registered as the agents' devices, sipp callers."""
    extra_yaml = CONFIG

    def test_sipp_callers_reach_both_sipp_agent_phones_in_turn(self):
        phones = []
        for extension in ("1001", "1002"):
            port = free_port()
            self.register_phone(extension, port)
            phones.append(self.start_phone("uas_phone.xml", port))
        # Round robin (DID 821): the first caller gets one agent, the second the other; each
        # sipp phone answers one call and ends when the daemon's BYE comes.
        self.call("uac_call.xml", "821")
        self.wait_for_event("agent.state", state="ready", count=3)
        self.call("uac_call.xml", "821")
        for phone in phones:
            self.assert_phone_done(phone)
        connected = self.wait_for_event("queue.connected", queue="round_robin", count=2)
        self.assertEqual(sorted(e[1] for e in connected), ["1001", "1002"])
        self.wait_for_no_calls()


class ModelRowsTest(AcdTestCase):
    extra_yaml = CONFIG

    def test_the_model_in_force_is_written_for_reports(self):
        self.daemon.wait_until(
            lambda: self.db.query("SELECT count(*) FROM acd_queues").strip() == "7",
            what="the queues written")
        self.assertEqual(self.db.query(
            "SELECT id, skills->>'support', auto_login FROM acd_agents ORDER BY id").split(),
            ["1001|5|t", "1002|5|t"])
        self.assertEqual(self.db.query(
            "SELECT strategy, settings->>'wrap_up_ms', skills->>'support' FROM acd_queues "
            "WHERE name = 'round_robin'").strip(), "round_robin|0|1")
        # A queue no longer configured is gone after the next start.
        self.db.query("INSERT INTO acd_queues VALUES ('retired', '{}', 'random', '{}', 'x', now())")
        self.assertEqual(self.daemon.stop(), 0)
        self.daemon.start()
        self.daemon.wait_until(
            lambda: self.db.query(
                "SELECT count(*) FROM acd_queues WHERE name = 'retired'").strip() == "0",
            what="the retired queue removed")
