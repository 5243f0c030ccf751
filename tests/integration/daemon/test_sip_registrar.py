"""SIP OPTIONS and REGISTER against the real daemon: sipp (Debian package sip-tester) and a
small standard-library UAC. Digest challenges in order of preference, MD5 and SHA-256
answers, wrong passwords, bindings kept in PostgreSQL and restored after a restart."""
import os
import shutil
import subprocess

from harness import SOURCE_DIR, Daemon, DaemonTestCase, free_port, psql_file
from sip_client import UdpUac, challenge_params

SIPP = shutil.which("sipp")
SCENARIOS = os.path.join(SOURCE_DIR, "tests", "sipp")
DEMO_SQL = os.path.join(SOURCE_DIR, "config", "demo", "demo_data.sql")


def sipp_command(scenario, port, *args, transport="u1", timeout=30, local_port=None, calls=1):
    """The command line of `calls` calls (one at a time) of a sipp scenario against
    127.0.0.1:port."""
    # A scenario of None: the built-in one named by "-sn" in args.
    scenario_args = [] if scenario is None else ["-sf", os.path.join(SCENARIOS, scenario)]
    return [SIPP, *scenario_args, f"127.0.0.1:{port}",
            "-i", "127.0.0.1", "-p", str(local_port or free_port()), "-t", transport,
            "-m", str(calls), "-l", "1",
            "-timeout", f"{timeout}s", "-timeout_error", "-nostdin", *args]


def sipp(scenario, port, *args, timeout=30, **kwargs):
    """Runs one call of a sipp scenario against 127.0.0.1:port."""
    return subprocess.run(sipp_command(scenario, port, *args, timeout=timeout, **kwargs),
                          capture_output=True, text=True, timeout=timeout + 30,
                          cwd=os.environ.get("TMPDIR", "/tmp"))


class SipTestCase(DaemonTestCase):
    """A migrated database with the demo accounts and a started daemon; `sip_yaml` adds keys
    to the daemon's sip: section, `extra_yaml` top-level sections."""
    sip_yaml = ""
    extra_yaml = ""
    daemon_env = {}
    flow_files = {}  # name -> text, written to the daemon's flow directory before it starts

    def setUp(self):
        super().setUp()
        if SIPP is None:
            self.fail("sipp is not installed: scripts/bootstrap installs sip-tester")
        self.daemon = Daemon(self.db.params, sip_yaml=self.sip_yaml, extra_yaml=self.extra_yaml)
        self.addCleanup(self.daemon.stop)
        self.migrate()
        psql_file(self.db.conninfo, DEMO_SQL)
        for name, text in self.flow_files.items():
            self.daemon.write_flow(name, text)
        self.daemon.start(extra_env=self.daemon_env)
        self.daemon.wait_until(lambda: (self.daemon.metric("callcenterd_sip_accounts") or 0) >= 5,
                               what="SIP accounts loaded")

    def run_sipp(self, scenario, *args, **kwargs):
        out = sipp(scenario, self.daemon.sip_port, *args, **kwargs)
        self.assertEqual(out.returncode, 0,
                         f"sipp {scenario} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}\n"
                         f"daemon log:\n{self.daemon.log()[-4000:]}")

    def registrations(self):
        return self.daemon.metric("callcenterd_sip_registrations")


class DefaultChallengesTest(SipTestCase):
    """The default: SHA-256 challenged first, MD5 second (RFC 8760)."""

    def test_options_is_answered_over_udp_and_tcp(self):
        self.run_sipp("options.xml")
        self.run_sipp("options.xml", transport="t1")

    def test_challenges_in_order_and_both_algorithms_register(self):
        uri = f"sip:127.0.0.1:{self.daemon.sip_port}"
        for extension, algorithm in (("1001", "SHA-256"), ("1002", "MD5")):
            uac = UdpUac(self.daemon.sip_port)
            self.addCleanup(uac.close)
            status, headers = uac.register(extension)
            self.assertEqual(status, 401)
            challenges = [challenge_params(v) for n, v in headers if n == "www-authenticate"]
            self.assertEqual([c["algorithm"] for c in challenges], ["SHA-256", "MD5"])
            # An MD5-only client takes the second challenge, as RFC 8760 has it.
            chosen = next(c for c in challenges if c["algorithm"] == algorithm)
            status, headers = uac.register(
                extension, UdpUac.authorization(chosen, extension, f"demo{extension}", uri))
            self.assertEqual(status, 200, self.daemon.log()[-3000:])
            contacts = [v for n, v in headers if n == "contact"]
            self.assertEqual(contacts, [f"<sip:{extension}@127.0.0.1:{uac.local_port}>;expires=600"])
        self.assertEqual(self.registrations(), 2)

    def test_a_retransmitted_register_gets_the_same_answer_and_registers_once(self):
        uri = f"sip:127.0.0.1:{self.daemon.sip_port}"
        uac = UdpUac(self.daemon.sip_port)
        self.addCleanup(uac.close)
        _, headers = uac.register("1001")
        challenge = challenge_params(next(v for n, v in headers if n == "www-authenticate"))
        uac.cseq += 1
        lines = [f"Contact: <sip:1001@127.0.0.1:{uac.local_port}>", "Expires: 600",
                 "Authorization: " + UdpUac.authorization(challenge, "1001", "demo1001", uri)]
        branch = "z9hG4bK-resent-1"
        answers = []
        for _ in range(3):  # the first answer "lost": the phone sends the same request again
            uac._send("REGISTER", uri, "1001", "<sip:1001@127.0.0.1>", branch, lines)
            answers.append(uac.sock.recvfrom(65536)[0])
        self.assertTrue(answers[0].startswith(b"SIP/2.0 200 "), answers[0][:80])
        self.assertEqual(answers[1], answers[0])
        self.assertEqual(answers[2], answers[0])
        metric = self.daemon.metric
        self.assertEqual(metric('callcenterd_sip_register_total{outcome="ok"}'), 1)
        # The two answered transactions are over; only their answers wait out Timer J.
        self.assertEqual(metric("callcenterd_sip_transactions"), 0)
        self.assertEqual(metric("callcenterd_sip_answered_held"), 2)
        self.assertEqual(metric("callcenterd_sip_answered_evicted_total"), 0)

    def test_wrong_password_and_unknown_user_get_the_same_403(self):
        uri = f"sip:127.0.0.1:{self.daemon.sip_port}"
        answers = []
        for extension in ("1001", "7777"):
            uac = UdpUac(self.daemon.sip_port)
            self.addCleanup(uac.close)
            _, headers = uac.register(extension)
            challenge = challenge_params(next(v for n, v in headers if n == "www-authenticate"))
            status, headers = uac.register(
                extension, UdpUac.authorization(challenge, extension, "wrong", uri))
            answers.append((status, sorted(n for n, _ in headers)))
        self.assertEqual(answers[0][0], 403)
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(self.registrations(), 0)
        self.assertEqual(self.daemon.metric("callcenterd_sip_auth_failures_total"), 2)


class Md5FirstTest(SipTestCase):
    """sipp 3.6 answers only the first challenge and knows only MD5: the site lists md5 first."""
    sip_yaml = "  auth: {algorithms: [md5, sha-256]}\n"

    def test_sipp_registers_over_udp_and_tcp_and_bindings_survive_a_restart(self):
        self.run_sipp("register_digest.xml", "-s", "1001", "-au", "1001", "-ap", "demo1001")
        self.run_sipp("register_digest.xml", "-s", "1002", "-au", "1002", "-ap", "demo1002",
                      transport="t1")
        self.assertEqual(self.registrations(), 2)
        self.daemon.wait_until(
            lambda: self.db.query("SELECT count(*) FROM sip_registrations") == "2",
            what="registrations written to PostgreSQL")
        self.assertEqual(self.db.query(
            "SELECT transport FROM sip_registrations WHERE extension = '1002'"), "tcp")
        self.daemon.stop()
        self.daemon.start()
        self.daemon.wait_until(lambda: self.registrations() == 2,
                               what="registrations restored after a restart")

    def test_sipp_with_a_wrong_password_gets_403(self):
        self.run_sipp("register_wrong_password.xml", "-s", "1001", "-au", "1001", "-ap", "nope")
        self.assertEqual(self.registrations(), 0)
