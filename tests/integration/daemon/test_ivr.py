"""Callers walk the call flows through the real daemon: a scripted phone with an RTP peer
presses keys as RFC 4733 events, hears the prompts spoken (a balance read from PostgreSQL
among them), and is handed to a queue (the ACD offers it to an agent) or hung up on; every
step lands in the
event log. The demo flow (config/flows) runs
as shipped; test flows cover account entry, a closed calendar and a reload mid-call."""
import os
import signal
import time

from harness import SOURCE_DIR
from rtp_peer import RtpPeer
from sip_phone import UdpPhone
from test_sip_calls import CallTestCase

with open(os.path.join(SOURCE_DIR, "config", "flows", "main.yaml")) as _f:
    DEMO_FLOWS = _f.read()

TEST_FLOWS = """calendars:
  shut:
    time_zone: UTC
flows:
  balance:
    start: account
    nodes:
      account:
        collect: "Please enter your account number, then press hash."
        into: account
        min_digits: 4
        max_digits: 8
        timeout: 10s
        valid_if: "starts_with(account, '6')"
        invalid_prompt: "Sorry, that account number is not valid."
        invalid: goodbye
        no_input: goodbye
        next: read_back
      read_back:
        play:
          - "Account"
          - {digits: account}
          - "has a balance of"
          - {number: "int(substr(account, 4)) * 3"}
          - "yuan."
        next: agent_menu
      agent_menu:
        menu: "Press 1 to speak to an agent."
        options: {"1": agent}
        timeout: 20s
        retries: 1
        no_input: goodbye
      agent: {transfer: {extension: "1002"}, failed: goodbye}
      goodbye: {play: "Goodbye.", interruptible: false}
  after_hours:
    start: hours
    nodes:
      hours: {schedule: shut, open: opened, closed: closed}
      opened: {hangup: open}
      closed: {play: "We are closed.", interruptible: false, next: bye}
      bye: {hangup: closed}
"""

CONFIG = """agents:
  - {id: '1001', skills: {support: 5}, auto_login: true}
  - {id: '1002', skills: {sales: 5}, auto_login: true}
queues:
  - {name: support, skills: {support: 1}}
  - {name: sales, skills: {sales: 1}, max_wait: 3s, when_max_wait: {hang_up: ""}}
dids:
  - {number: '8000', flow: main}
  - {number: '8001', queue: support}
  - {number: '8006', flow: balance}
  - {number: '8007', flow: after_hours}
"""


def rms(samples):
    return (sum(s * s for s in samples) / max(len(samples), 1)) ** 0.5


class IvrTestCase(CallTestCase):
    extra_yaml = CONFIG
    flow_files = {"main.yaml": DEMO_FLOWS, "tests.yaml": TEST_FLOWS}

    def caller(self, extension="1003"):
        """A scripted phone and its RTP peer."""
        phone = UdpPhone(self.daemon.sip_port, extension, f"demo{extension}")
        self.addCleanup(phone.close)
        audio = RtpPeer()
        self.addCleanup(audio.close)
        return phone, audio

    def call_flow(self, number, extension="1003"):
        phone, audio = self.caller(extension)
        dialog = phone.call(number, sdp=audio.sdp(0))
        audio.send_to(dialog.answer)
        return phone, audio, dialog

    def steps(self):
        """Every ivr.step event so far, in log order: (flow, node, step, detail)."""
        rows = self.db.query(
            "SELECT payload->>'flow', payload->>'node', payload->>'step', payload->>'detail' "
            "FROM events WHERE kind = 'ivr.step' ORDER BY log_position")
        return [tuple(row.split("|")) for row in rows.splitlines() if row]

    def wait_for_step(self, node, step, detail=None, count=1, timeout=30):
        def reached():
            return sum(1 for s in self.steps() if s[1] == node and s[2] == step
                       and (detail is None or s[3] == detail)) >= count
        self.daemon.wait_until(reached, what=f"{node} {step} {detail or ''}", timeout=timeout)

    def press(self, audio, keys):
        for key in keys:
            audio.press(key)
        # Each press is eight packets of 20 ms; the last one's end packets must be out.
        time.sleep(0.2 * len(keys) + 0.3)


class DemoFlowTest(IvrTestCase):
    def test_key_2_of_the_demo_menu_reaches_the_sales_queue(self):
        agent = self.phone("1002")
        phone, audio, dialog = self.call_flow("8000")
        started = time.monotonic()
        self.wait_for_step("main_menu", "entered")
        # The welcome was spoken to the caller: audio, not silence.
        welcome = audio.received_samples(since=started)
        self.assertGreater(rms(welcome), 200, "the caller heard no welcome")
        self.press(audio, "2")
        agent_audio = RtpPeer()
        self.addCleanup(agent_audio.close)
        agent.answer_call(sdp=agent_audio.sdp(0))
        self.daemon.wait_until(lambda: self.calls("bridged") == 1, what="the call is bridged")
        self.assertEqual(phone.hang_up(dialog), 200)
        agent.next_request("BYE")
        self.wait_for_no_calls()
        self.wait_for_step("sales", "left", "queue sales")
        steps = [s[1:] for s in self.steps()]
        self.assertEqual(steps[:3], [("welcome", "entered", "play"), ("hours", "entered",
                                                                     "schedule"),
                                     ("hours", "branch", "open")], steps)
        self.assertIn(("main_menu", "key", "2"), steps)
        self.assertEqual(self.calls("flow_started"), 1)

    def test_key_3_reads_back_the_balance_of_an_account_after_an_unknown_one(self):
        phone, audio, dialog = self.call_flow("8000")
        self.wait_for_step("main_menu", "entered")
        self.press(audio, "3")
        self.wait_for_step("account", "entered")
        self.press(audio, "99999999#")  # no such account in demo_accounts
        self.wait_for_step("find_account", "branch", "not_found")
        self.wait_for_step("account", "entered", count=2)
        self.press(audio, "61234567#")
        self.wait_for_step("find_account", "branch", "found")
        self.wait_for_step("read_balance", "entered")
        since = time.monotonic()
        self.wait_for_step("main_menu", "entered", count=2)
        # "The balance of account six one two three four five six seven is 1250.75 yuan."
        heard = audio.received_samples(since=since)
        self.assertGreater(len(heard), 8000 * 4, "the balance took less than 4 s to say")
        self.assertGreater(rms(heard), 200, "the balance was not spoken")
        self.assertEqual(phone.hang_up(dialog), 200)
        self.wait_for_no_calls()

    def test_a_wrong_key_and_where_the_caller_hangs_up_are_recorded(self):
        phone, audio, dialog = self.call_flow("8000")
        self.wait_for_step("main_menu", "entered")
        self.press(audio, "7")
        self.wait_for_step("main_menu", "invalid", "7")
        self.assertEqual(phone.hang_up(dialog), 200)
        self.wait_for_step("main_menu", "caller_gone")
        self.wait_for_no_calls()

    def test_a_queue_did_offers_the_call_to_its_agent_while_the_caller_hears_music(self):
        agent = self.phone("1001")
        phone, audio, dialog = self.call_flow("8001")
        invite = agent.answer_call(ring_only=True)
        ringing_since = time.monotonic()
        time.sleep(1.5)
        music = audio.received_samples(since=ringing_since)
        self.assertGreater(rms(music), 200, "the caller heard silence while the agent rang")
        self.assertEqual(phone.hang_up(dialog), 200)
        agent.expect_cancel(invite)
        self.wait_for_no_calls()


class TestFlowsTest(IvrTestCase):
    def test_an_account_number_is_entered_wrong_then_right_and_read_back(self):
        agent = self.phone("1002")
        phone, audio, dialog = self.call_flow("8006")
        self.wait_for_step("account", "entered")
        self.press(audio, "5123#")  # does not start with 6
        self.wait_for_step("account", "invalid", "4 digits")
        self.press(audio, "61234567#")
        self.wait_for_step("read_back", "entered")
        read_back_at = time.monotonic()
        self.wait_for_step("agent_menu", "entered")
        read_back = audio.received_samples(since=read_back_at)
        # "Account six one two three four five six seven has a balance of 13701 yuan." is
        # several seconds of speech.
        self.assertGreater(len(read_back), 8000 * 3, "the read-back was shorter than 3 s")
        self.assertGreater(rms(read_back), 200, "the read-back was silent")
        self.press(audio, "1")
        agent.answer_call()
        self.daemon.wait_until(lambda: self.calls("bridged") == 1, what="the call is bridged")
        self.wait_for_step("agent", "left", "extension 1002")
        self.assertEqual(phone.hang_up(dialog), 200)
        agent.next_request("BYE")
        self.wait_for_no_calls()
        # The digits themselves never reach the event log.
        self.assertNotIn("61234567", str(self.steps()))

    def test_a_closed_calendar_takes_the_closed_branch_and_the_flow_hangs_up(self):
        phone, audio, dialog = self.call_flow("8007")
        bye = phone.next_request("BYE", timeout=20)
        self.assertEqual(bye.header("call-id"), dialog.call_id)
        self.wait_for_no_calls()
        self.wait_for_step("bye", "hung_up", "closed")
        steps = [s[1:] for s in self.steps()]
        self.assertIn(("hours", "branch", "closed"), steps)
        self.assertNotIn("opened", [s[0] for s in steps])


class ReloadDuringCallsTest(IvrTestCase):
    def test_a_call_in_progress_keeps_its_flows_while_new_calls_take_the_reload(self):
        first, first_audio, first_dialog = self.call_flow("8000", "1003")
        self.wait_for_step("main_menu", "entered")
        version = self.daemon.metric("callcenterd_flow_set_version")
        # The edit renames the node key 2 leads to.
        self.daemon.write_flow("main.yaml", DEMO_FLOWS.replace('"2": sales', '"2": sales_v2')
                               .replace("      sales:\n", "      sales_v2:\n"))
        self.daemon.signal(signal.SIGHUP)
        self.daemon.wait_until(
            lambda: self.daemon.metric("callcenterd_flow_set_version") == version + 1,
            what="the edited flows are in force")
        second, second_audio, second_dialog = self.call_flow("8000", "1004")
        self.wait_for_step("main_menu", "entered", count=2)
        # Nobody is registered for 1002: each caller waits out the sales queue's max wait and is
        # hung up on.
        self.press(first_audio, "2")
        self.press(second_audio, "2")
        self.wait_for_step("sales", "entered")
        self.wait_for_step("sales_v2", "entered")
        for phone, dialog in ((first, first_dialog), (second, second_dialog)):
            phone.next_request("BYE", timeout=20)
        self.wait_for_no_calls()
        # Each call entered its own version's node: the first call the old one.
        rows = self.db.query(
            "SELECT correlation_id, payload->>'node' FROM events WHERE kind = 'ivr.step' "
            "AND payload->>'step' = 'entered' ORDER BY log_position").splitlines()
        entered = [tuple(row.split("|")) for row in rows]
        first_call = entered[0][0]
        sales_calls = {node: call for call, node in entered if node.startswith("sales")}
        self.assertEqual(sales_calls.keys(), {"sales", "sales_v2"})
        self.assertEqual(sales_calls["sales"], first_call)
        self.assertNotEqual(sales_calls["sales_v2"], first_call)

if __name__ == "__main__":
    import unittest
    unittest.main()
