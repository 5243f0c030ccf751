"""Real phones against the daemon: baresip (Debian package baresip-core) registers extensions
over UDP, TCP and TLS with digest, leaves no binding behind when it stops, and answers a call
bridged to it by itself, over UDP and TLS; OPTIONS over TLS is answered with the configured
certificate. sipp in Debian is built without TLS, so TLS is driven by baresip and Python."""
import os
import shutil
import tempfile

from harness import SOURCE_DIR, Daemon, DaemonTestCase, free_port, psql_file
from test_sip_registrar import sipp
from sip_peers import (BARESIP, BARESIP_SIP_YAML, Baresip, make_test_certificate,
                       options_request, tls_request, tls_sip_yaml)

SIPP = shutil.which("sipp")
DEMO_SQL = os.path.join(SOURCE_DIR, "config", "demo", "demo_data.sql")


class PeerTestCase(DaemonTestCase):
    """A migrated database with the demo accounts (1001..1005, password demo<ext>) and a
    started daemon that challenges MD5 only, which baresip 1.0 needs."""
    tls = False

    def setUp(self):
        super().setUp()
        if BARESIP is None:
            self.fail("baresip is not installed: scripts/bootstrap installs baresip-core")
        sip_yaml = BARESIP_SIP_YAML
        listeners = []
        if self.tls:
            certificate_dir = tempfile.mkdtemp(prefix="ccd-it-cert-")
            self.addCleanup(shutil.rmtree, certificate_dir, True)
            self.certificate, key = make_test_certificate(certificate_dir)
            self.tls_port = free_port()
            sip_yaml += tls_sip_yaml(self.certificate, key)
            listeners.append(("tls", self.tls_port))
        self.daemon = Daemon(self.db.params, sip_yaml=sip_yaml, extra_listeners=listeners)
        self.addCleanup(self.daemon.stop)
        self.migrate()
        psql_file(self.db.conninfo, DEMO_SQL)
        self.daemon.start()
        self.daemon.wait_until(lambda: (self.daemon.metric("callcenterd_sip_accounts") or 0) >= 5,
                               what="SIP accounts loaded")

    def phone(self, extension, transport, password=None):
        port = self.tls_port if transport == "tls" else self.daemon.sip_port
        phone = Baresip(extension, password or f"demo{extension}", port, transport=transport)
        self.addCleanup(phone.remove)
        self.addCleanup(phone.stop)
        return phone.start()

    def registrations(self):
        return self.daemon.metric("callcenterd_sip_registrations")

    def register_outcomes(self, outcome):
        return self.daemon.metric(f'callcenterd_sip_register_total{{outcome="{outcome}"}}')

    def assert_bridged_call_is_answered(self, agent, transport):
        """sipp calls the agent's extension through the daemon; baresip answers by itself,
        the call is bridged, sipp hangs up and the daemon's BYE reaches the agent."""
        if SIPP is None:
            self.fail("sipp is not installed: scripts/bootstrap installs sip-tester")
        agent.wait_registered(self.db)
        out = sipp("uac_call.xml", self.daemon.sip_port, "-s", agent.extension, "-au", "1001",
                   "-ap", "demo1001", "-key", "caller", "1001")
        self.assertEqual(out.returncode, 0,
                         f"{out.stdout[-2000:]}\n{out.stderr[-2000:]}\n{agent.log()}\n"
                         f"{self.daemon.log()[-3000:]}")
        closed = agent.wait_for_event("CALL_CLOSED")
        self.assertEqual(closed["direction"], "incoming")
        types = agent.event_types()
        self.assertLess(types.index("CALL_ESTABLISHED"), types.index("CALL_CLOSED"))
        self.assertEqual(self.daemon.metric('callcenterd_calls_total{outcome="bridged"}'), 1)
        self.assertEqual(agent.binding(self.db)[1], transport)

    def assert_unregisters_on_stop(self, phone):
        self.assertEqual(phone.stop(), 0, phone.log())
        self.assertIn("UNREGISTERING", phone.event_types())
        self.daemon.wait_until(lambda: phone.binding(self.db) is None,
                               what=f"the binding of {phone.extension} is removed")


class BaresipTest(PeerTestCase):

    def test_registers_over_udp_and_tcp_and_unregisters_on_stop(self):
        over_udp = self.phone("1001", "udp")
        over_tcp = self.phone("1002", "tcp")
        contact, transport = over_udp.wait_registered(self.db)
        self.assertEqual(transport, "udp")
        self.assertRegex(contact, rf"^sip:1001-\w+@127\.0\.0\.1:{over_udp.sip_port}$")
        contact, transport = over_tcp.wait_registered(self.db)
        self.assertEqual(transport, "tcp")
        self.assertRegex(contact, rf"^sip:1002-\w+@127\.0\.0\.1:{over_tcp.sip_port};transport=tcp$")
        self.assertEqual(self.registrations(), 2)
        self.assertEqual(self.db.query(
            "SELECT user_agent FROM sip_registrations WHERE extension = '1002'"),
            "baresip v1.0.0 (x86_64/linux)")

        # The daemon keeps TCP bindings when a connection closes: only the phone's REGISTER
        # with Expires: 0 removes them.
        self.assert_unregisters_on_stop(over_tcp)
        self.assertEqual(over_udp.binding(self.db)[1], "udp")
        self.assert_unregisters_on_stop(over_udp)
        self.daemon.wait_until(lambda: self.registrations() == 0, what="no registrations left")

    def test_answers_a_call_bridged_to_it(self):
        self.assert_bridged_call_is_answered(self.phone("1003", "udp"), "udp")

class TlsTest(PeerTestCase):
    tls = True

    def test_options_over_tls_is_answered_with_the_configured_certificate(self):
        status, headers = tls_request(self.tls_port, options_request(self.tls_port),
                                      cafile=self.certificate)
        self.assertEqual(status, 200)
        allow = dict(headers)["allow"]
        self.assertTrue(allow.startswith("INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER"), allow)
        self.assertRegex(dict(headers)["via"], r"^SIP/2\.0/TLS .*;received=127\.0\.0\.1")

    def test_baresip_registers_over_tls_with_digest_and_unregisters_on_stop(self):
        phone = self.phone("1004", "tls")
        contact, transport = phone.wait_registered(self.db)
        self.assertEqual(transport, "tls")
        self.assertRegex(contact, rf"@127\.0\.0\.1:{phone.listen_port};transport=tls$")
        self.assertGreaterEqual(self.register_outcomes("challenged"), 1)
        self.assertGreaterEqual(self.register_outcomes("ok"), 1)
        self.assertEqual(self.daemon.metric('callcenterd_sip_connections{transport="tls"}'), 1)
        self.assert_unregisters_on_stop(phone)

    def test_a_call_is_bridged_to_a_phone_registered_over_tls(self):
        self.assert_bridged_call_is_answered(self.phone("1004", "tls"), "tls")

    def test_baresip_with_a_wrong_password_gets_no_binding(self):
        phone = self.phone("1005", "tls", password="wrong")
        self.daemon.wait_until(
            lambda: (self.daemon.metric("callcenterd_sip_auth_failures_total") or 0) >= 1,
            what="the wrong password is rejected")
        phone.wait_for_log("403 Forbidden")
        self.assertEqual(phone.registration_states(), ["ERR"])
        self.assertIsNone(phone.binding(self.db))
        self.assertEqual(self.registrations(), 0)
