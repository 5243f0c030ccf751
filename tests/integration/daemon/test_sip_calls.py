"""Calls through the real daemon (the B2BUA) with sipp as caller and as registered phones:
a call answered locally, bridged calls hung up by either side, hold and resume, redirects,
early media, session timers, trunks in and out, CANCEL while ringing, lost packets, and the refusals a caller meets (unknown number, extension without a
device, call limit, too short a session interval)."""
import subprocess

from harness import free_port
from sip_client import UdpUac
from sip_phone import UdpPhone
from test_sip_registrar import SipTestCase, sipp_command

DIDS = """agents:
  - {id: '1001', skills: {support: 5}, auto_login: true}
queues:
  - {name: support, skills: {support: 1}}
dids:
  - {number: '8000', flow: main}
  - {number: '8001', queue: support}
"""


class CallTestCase(SipTestCase):
    # sipp 3.6 answers only the first challenge and only MD5.
    sip_yaml = "  auth: {algorithms: [md5, sha-256]}\n"
    extra_yaml = DIDS

    def calls(self, outcome):
        return self.daemon.metric(f'callcenterd_calls_total{{outcome="{outcome}"}}')

    def wait_for_no_calls(self):
        self.daemon.wait_until(lambda: self.daemon.metric("callcenterd_calls_active") == 0,
                               what="every call over")

    def register_phone(self, extension, port):
        """Registers a sipp phone for `extension` from 127.0.0.1:port."""
        self.run_sipp("register_digest.xml", "-s", extension, "-au", extension,
                      "-ap", f"demo{extension}", local_port=port)

    def start_sipp(self, scenario, *args, local_port=None):
        """One call of a sipp scenario running in the background; killed at cleanup."""
        proc = subprocess.Popen(
            sipp_command(scenario, self.daemon.sip_port, *args, local_port=local_port),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/tmp")
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc

    def start_phone(self, scenario, port, *args):
        """A sipp UAS on the port its registration came from, answering one call."""
        return self.start_sipp(scenario, *args, local_port=port)

    def caller_args(self, number):
        """sipp arguments of extension 1001 calling `number`."""
        return ("-s", number, "-au", "1001", "-ap", "demo1001", "-key", "caller", "1001")

    def call(self, scenario, number, *args, **kwargs):
        self.run_sipp(scenario, *self.caller_args(number), *args, **kwargs)

    def call_phone(self, phone_scenario, caller_scenario, phone_args=(), caller_args=()):
        """Extension 1001 calls 1002, registered by a sipp phone running `phone_scenario`:
        both scenarios must run to their end and no call may be left."""
        port = free_port()
        self.register_phone("1002", port)
        phone = self.start_phone(phone_scenario, port, *phone_args)
        self.call(caller_scenario, "1002", *caller_args)
        self.assert_phone_done(phone)
        self.wait_for_no_calls()

    def phone(self, extension):
        """A scripted phone (sip_phone.UdpPhone) registered for `extension`."""
        phone = UdpPhone(self.daemon.sip_port, extension, f"demo{extension}")
        self.addCleanup(phone.close)
        self.assertEqual(phone.register(), 200)
        return phone

    def assert_phone_done(self, proc):
        out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0,
                         f"phone failed:\n{out[-3000:]}\n{err[-3000:]}\n"
                         f"daemon log:\n{self.daemon.log()[-4000:]}")


class LocalAnswerTest(CallTestCase):
    def test_a_demo_did_is_answered_and_held_until_the_caller_hangs_up(self):
        self.call("uac_call.xml", "8000")
        self.assertEqual(self.calls("answered_locally"), 1)
        self.wait_for_no_calls()
        self.assertEqual(self.calls("ended"), 1)
        metric = self.daemon.metric
        # The INVITE twice (challenged, then with credentials), its ACK, the BYE.
        self.assertEqual(metric('callcenterd_sip_requests_received_total{method="INVITE"}'), 2)
        self.assertEqual(metric('callcenterd_sip_requests_received_total{method="BYE"}'), 1)
        self.assertGreaterEqual(
            metric('callcenterd_sip_requests_received_total{method="ACK"}'), 1)
        # 401 to the first INVITE; 200 to the second and to the BYE.
        self.assertEqual(metric('callcenterd_sip_responses_sent_total{class="4xx"}'), 1)
        self.assertEqual(metric('callcenterd_sip_responses_sent_total{class="2xx"}'), 2)
        self.assertEqual(metric('callcenterd_sip_send_failures_total{transport="udp"}'), 0)

    def test_hold_and_resume_by_re_invite_are_answered(self):
        self.call("uac_hold.xml", "8000")
        self.assertEqual(self.calls("answered_locally"), 1)
        self.wait_for_no_calls()

    def test_calls_complete_when_packets_are_lost(self):
        # sipp drops a tenth of what it sends and receives; retransmissions on both sides
        # must carry every call through.
        self.call("uac_call.xml", "8000", "-lost", "10", calls=10, timeout=120)
        self.assertEqual(self.calls("answered_locally"), 10)
        # sipp matches responses by code alone: when its ACK is lost, our retransmitted 200
        # can pass for the answer to its BYE, and that BYE is never sent again. The daemon
        # then ends the call itself when the ACK never comes (Timer L, 32 s).
        self.daemon.wait_until(lambda: self.daemon.metric("callcenterd_calls_active") == 0,
                               what="every call over", timeout=60)
        self.assertEqual(self.calls("ended"), 10)

    def test_a_session_timer_is_agreed_and_refreshed(self):
        self.call("uac_session_timer.xml", "8000")
        self.wait_for_no_calls()

    def test_a_call_whose_session_is_not_refreshed_is_ended(self):
        # 90 s agreed, refreshed by the caller, who never does: the daemon ends the call
        # 32 s before the interval is over (RFC 4028 §10), after 58 s.
        self.call("uac_session_timer.xml", "8000", "-set", "hangup", "never", timeout=120)
        self.wait_for_no_calls()
        self.assertIn("no session refresh", self.daemon.log())

    def test_a_flow_did_answers_over_tcp_too(self):
        self.call("uac_call.xml", "8000", transport="t1")
        self.assertEqual(self.calls("answered_locally"), 1)
        self.assertEqual(self.calls("flow_started"), 1)
        self.wait_for_no_calls()


class BridgedCallTest(CallTestCase):
    def test_caller_hangs_up_a_bridged_call(self):
        self.call_phone("uas_phone.xml", "uac_call.xml")
        self.assertEqual(self.calls("bridged"), 1)

    def test_callee_hangs_up_a_bridged_call(self):
        self.call_phone("uas_phone.xml", "uac_call.xml", phone_args=("-set", "hangup", "callee"),
                        caller_args=("-set", "hangup", "callee"))
        self.assertEqual(self.calls("bridged"), 1)

    def test_a_redirect_from_the_phone_is_followed(self):
        forwarded_port = free_port()
        forwarded = self.start_phone("uas_phone.xml", forwarded_port)
        self.call_phone("uas_redirect.xml", "uac_call.xml",
                        phone_args=("-key", "redirect_port", str(forwarded_port)))
        self.assert_phone_done(forwarded)
        self.assertEqual(self.calls("bridged"), 1)

    def test_early_media_reaches_the_caller_before_the_answer(self):
        self.call_phone("uas_early_media.xml", "uac_early_media.xml")
        self.assertEqual(self.calls("bridged"), 1)

    def test_hold_and_resume_keep_the_phone_in_a_two_way_session(self):
        # The held phone is offered sendrecv (it hears music from us), not the caller's hold.
        self.call_phone("uas_phone_hold.xml", "uac_hold.xml")

    def test_caller_cancels_while_the_phone_rings(self):
        self.call_phone("uas_ring.xml", "uac_cancel.xml")
        self.assertEqual(self.calls("bridged"), 0)
        self.assertEqual(self.calls("failed"), 1)


class TrunkTest(CallTestCase):
    carrier_port = free_port()
    sip_yaml = CallTestCase.sip_yaml + f"""  trunks:
    - name: carrier
      host: 127.0.0.1
      port: {carrier_port}
      outbound_prefixes: ["0"]
      registration: {{username: acct1, password_env: CALLCENTERD_TEST_TRUNK_PASSWORD}}
"""
    daemon_env = {"CALLCENTERD_TEST_TRUNK_PASSWORD": "carrier-secret"}

    def test_a_phone_calls_out_through_the_trunk_answering_its_challenge(self):
        carrier = self.start_phone("uas_carrier.xml", self.carrier_port)
        self.call("uac_call.xml", "0301234567")
        self.assert_phone_done(carrier)
        self.assertEqual(self.calls("bridged"), 1)
        self.wait_for_no_calls()
        self.assertIn("out through trunk carrier to 0301234567", self.daemon.log())


class TrunkInboundTest(CallTestCase):
    """The carrier sends from 127.0.0.1, which its trunk's allow list trusts."""
    sip_yaml = CallTestCase.sip_yaml + """  trunks:
    - {name: carrier, host: 127.0.0.1, port: 5999, allow: [127.0.0.1/32],
       outbound_prefixes: ["0"]}
"""

    def test_a_did_call_from_the_trunk_needs_no_credentials(self):
        # sipp's built-in UAC cannot answer a challenge: the call only works unchallenged.
        self.run_sipp(None, "-sn", "uac", "-s", "8000")
        self.assertEqual(self.calls("answered_locally"), 1)
        self.assertEqual(self.calls("refused_auth"), 0)
        self.wait_for_no_calls()

    def test_a_call_from_the_trunk_is_never_routed_back_out(self):
        uac = UdpUac(self.daemon.sip_port)
        self.addCleanup(uac.close)
        self.assertEqual(uac.invite_failure("0301234567", "carrier", "unused"), 404)


class TrunkRegistrationTest(CallTestCase):
    registrar_port = free_port()
    sip_yaml = CallTestCase.sip_yaml + f"""  trunks:
    - name: carrier
      host: 127.0.0.1
      port: {registrar_port}
      registration:
        enabled: true
        username: acct1
        password_env: CALLCENTERD_TEST_TRUNK_PASSWORD
"""
    daemon_env = {"CALLCENTERD_TEST_TRUNK_PASSWORD": "carrier-secret"}

    def test_the_trunk_registers_with_digest_and_unregisters_at_stop(self):
        # The daemon started first: its REGISTER is retransmitted until the carrier listens.
        carrier = self.start_phone("uas_trunk_registrar.xml", self.registrar_port)
        registered = 'callcenterd_sip_trunk_registered{trunk="carrier"}'
        self.daemon.wait_until(lambda: self.daemon.metric(registered) == 1,
                               what="the trunk registered")
        self.assertEqual(
            self.daemon.metric('callcenterd_sip_trunk_registration_failures_total'
                               '{trunk="carrier"}'), 0)
        self.daemon.stop()
        self.assert_phone_done(carrier)


class RefusedCallTest(CallTestCase):
    sip_yaml = CallTestCase.sip_yaml + "  limits: {max_calls: 1}\n"

    def invite(self, number, extra_headers=()):
        uac = UdpUac(self.daemon.sip_port)
        self.addCleanup(uac.close)
        return uac.invite_failure(number, "1001", "demo1001", extra_headers)

    def test_unknown_number_gets_404_and_unregistered_extension_480(self):
        self.assertEqual(self.invite("5555"), 404)
        self.assertEqual(self.invite("1003"), 480)
        self.assertEqual(self.calls("not_found"), 1)

    def test_a_session_interval_below_90_seconds_gets_422(self):
        self.assertEqual(self.invite("8000", ["Session-Expires: 30", "Supported: timer"]), 422)

    def test_a_call_beyond_max_calls_gets_503(self):
        port = free_port()
        self.register_phone("1002", port)
        phone = self.start_phone("uas_ring.xml", port)
        # The first call rings the phone and holds the only call slot.
        caller = self.start_sipp("uac_cancel.xml", *self.caller_args("1002"))
        self.daemon.wait_until(lambda: self.daemon.metric("callcenterd_calls_active") == 1,
                               what="the first call ringing")
        self.assertEqual(self.invite("8000"), 503)
        self.assertEqual(self.calls("refused_limit"), 1)
        self.assert_phone_done(caller)
        self.assert_phone_done(phone)
