"""HTTPS and WSS on the API port of the real daemon (http.tls), with a throwaway self-signed
certificate made by the openssl command: a login and an authenticated GET over HTTPS checked
against that certificate, the live event stream over wss://, plain HTTP and a garbage TLS
ClientHello on the TLS port dropped without harm to the daemon; and the start refused without
TLS off loopback, or with certificate files that cannot be used."""
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import unittest
import warnings

import websocket

from harness import (BINARY, SOURCE_DIR, Daemon, DaemonTestCase, free_port, psql_file,
                     run_binary)

DEMO_SQL = os.path.join(SOURCE_DIR, "config", "demo", "demo_data.sql")


def make_identity(directory, name="server"):
    """(certificate_file, private_key_file): a self-signed P-256 certificate for 127.0.0.1, valid two days."""
    cert = os.path.join(directory, f"{name}-cert.pem")
    key = os.path.join(directory, f"{name}-key.pem")
    out = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"openssl req failed: {out.stderr.strip()}")
    return cert, key


class TlsDirectory:
    """A private directory for certificates, removed at cleanup."""

    def __init__(self, test):
        self.path = tempfile.mkdtemp(prefix="ccd-it-tls-")
        test.addCleanup(shutil.rmtree, self.path, True)


class ApiTlsTest(DaemonTestCase):
    """The daemon with http.tls and the demo users; every request verifies the certificate."""

    def setUp(self):
        super().setUp()
        self.cert, self.key = make_identity(TlsDirectory(self).path)
        self.daemon = Daemon(self.db.params, http_tls=(self.cert, self.key))
        self.addCleanup(self.daemon.stop)
        self.migrate()
        psql_file(self.db.conninfo, DEMO_SQL)
        self.daemon.start()
        self.context = ssl.create_default_context(cafile=self.cert)

    def https(self):
        # Argon2id password checks are slow under the sanitizers: a generous bound.
        return http.client.HTTPSConnection("127.0.0.1", self.daemon.http_port, timeout=30,
                                           context=self.context)

    def request(self, conn, method, path, body=None, token=None):
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        return response.status, json.loads(text) if text else None

    def login(self, conn, user="admin", password="demoadmin"):
        status, body = self.request(conn, "POST", "/api/v1/auth/login",
                                    {"username": user, "password": password})
        self.assertEqual(status, 200, body)
        return body["token"]

    def assert_healthy(self):
        status, _, body = self.daemon.get("/healthz")
        self.assertEqual(status, 200, body)

    def test_https_login_and_an_authenticated_get_on_one_connection(self):
        conn = self.https()
        self.addCleanup(conn.close)
        token = self.login(conn)
        status, body = self.request(conn, "GET", "/api/v1/agents", token=token)
        self.assertEqual(status, 200, body)
        self.assertIn("agents", body)
        status, body = self.request(conn, "GET", "/api/v1/agents")
        self.assertEqual(status, 401, body)
        # The configured certificate, over TLS 1.2 or newer.
        self.assertIn(conn.sock.version(), ("TLSv1.2", "TLSv1.3"))
        with open(self.cert) as f:
            configured = ssl.PEM_cert_to_DER_cert(f.read())
        self.assertEqual(conn.sock.getpeercert(binary_form=True), configured)

    def handshake_refusal(self, context):
        """The reason the daemon gives for refusing a handshake with `context`."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.daemon.http_port, timeout=10,
                                           context=context)
        self.addCleanup(conn.close)
        with self.assertRaises(ssl.SSLError) as refused:
            conn.request("GET", "/healthz")
        return refused.exception.reason

    def test_tls_below_1_2_and_tls_1_2_suites_without_aead_are_refused(self):
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.load_verify_locations(self.cert)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old.minimum_version = ssl.TLSVersion.TLSv1
            old.maximum_version = ssl.TLSVersion.TLSv1_1
        old.set_ciphers("DEFAULT:@SECLEVEL=0")  # so that this client offers TLS 1.1 at all
        self.assertEqual(self.handshake_refusal(old), "TLSV1_ALERT_PROTOCOL_VERSION")

        # Suites a stock OpenSSL server would take with this certificate, but CBC, not AEAD.
        cbc = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        cbc.load_verify_locations(self.cert)
        cbc.maximum_version = ssl.TLSVersion.TLSv1_2
        cbc.set_ciphers("ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384")
        self.assertEqual(self.handshake_refusal(cbc), "SSLV3_ALERT_HANDSHAKE_FAILURE")
        self.assert_healthy()

    def test_wss_events_sign_in_and_send_a_snapshot(self):
        conn = self.https()
        self.addCleanup(conn.close)
        token = self.login(conn)
        ws = websocket.create_connection(f"wss://127.0.0.1:{self.daemon.http_port}/api/v1/events",
                                         timeout=10, sslopt={"ca_certs": self.cert})
        self.addCleanup(ws.close)
        ws.send(json.dumps({"type": "auth", "token": token}))
        welcome = json.loads(ws.recv())
        self.assertEqual((welcome["type"], welcome["user"]["login"]), ("welcome", "admin"))
        ws.send(json.dumps({"type": "subscribe", "topics": ["queues", "agents"]}))
        snapshots = {}
        while len(snapshots) < 2:
            message = json.loads(ws.recv())
            if message.get("type") == "snapshot":
                snapshots[message["topic"]] = message
        self.assertIsInstance(snapshots["queues"]["queues"], list)
        self.assertIsInstance(snapshots["agents"]["agents"], list)

    def test_a_bad_token_over_wss_is_refused(self):
        ws = websocket.create_connection(f"wss://127.0.0.1:{self.daemon.http_port}/api/v1/events",
                                         timeout=10, sslopt={"ca_certs": self.cert})
        self.addCleanup(ws.close)
        ws.send(json.dumps({"type": "auth", "token": "not-a-session"}))
        message = json.loads(ws.recv())
        self.assertEqual((message["type"], message["code"]), ("error", "unauthorized"))

    def test_plain_http_on_the_tls_port_fails_and_the_daemon_serves_on(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.daemon.http_port, timeout=10)
        self.addCleanup(conn.close)
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            conn.request("GET", "/healthz")
            conn.getresponse()
        with self.assertRaises(Exception):
            websocket.create_connection(f"ws://127.0.0.1:{self.daemon.http_port}/api/v1/events",
                                        timeout=10)
        self.assert_healthy()
        self.assertGreaterEqual(
            self.daemon.metric("callcenterd_http_tls_handshake_failures_total") or 0, 2)

    def test_a_garbage_client_hello_is_dropped(self):
        with socket.create_connection(("127.0.0.1", self.daemon.http_port), timeout=10) as s:
            # A handshake record header claiming TLS 1.0, then 64 bytes that are no ClientHello.
            s.sendall(b"\x16\x03\x01\x00\x40" + b"\xa5" * 64)
            received = b""
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    received += chunk
            except ConnectionResetError:
                pass
            self.assertLess(len(received), 64, "at most a TLS alert before the close")
        self.assert_healthy()
        conn = self.https()
        self.addCleanup(conn.close)
        self.login(conn)


class TlsStartTest(DaemonTestCase):
    """Configurations the daemon refuses to start with."""

    def run_daemon(self, daemon):
        out = subprocess.run([BINARY, "--config", daemon.config_path], capture_output=True,
                             text=True, env=daemon.env, cwd=daemon.workdir, timeout=120)
        return out.returncode, out.stdout + out.stderr

    def test_plain_http_off_loopback_is_refused_naming_the_key(self):
        text = self.daemon.config_text()
        self.assertIn("http:\n  address: 127.0.0.1\n", text)
        self.daemon.write_config(text.replace("http:\n  address: 127.0.0.1\n",
                                              "http:\n  address: 0.0.0.0\n", 1))
        status, output = self.run_daemon(self.daemon)
        self.assertEqual(status, 1, output)
        self.assertIn(f"{self.daemon.config_path}:", output)
        self.assertIn("http.address: listening on '0.0.0.0' needs http.tls", output)
        # --check-config says the same.
        out = run_binary("--check-config", self.daemon.config_path)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("http.address", out.stderr)

    def test_unusable_certificate_files_stop_the_start_naming_the_file(self):
        tls = TlsDirectory(self).path
        cert, key = make_identity(tls)
        _, other_key = make_identity(tls, "other")
        missing = os.path.join(tls, "missing-cert.pem")
        cases = [((missing, key), f"cannot load the certificate {missing}"),
                 ((cert, other_key), f"the private key {other_key} does not match the "
                                     f"certificate {cert}")]
        for files, expected in cases:
            with self.subTest(files=files):
                daemon = Daemon(self.db.params, http_port=free_port(), http_tls=files)
                status, output = self.run_daemon(daemon)
                self.assertEqual(status, 1, output)
                self.assertIn(expected, output)
                self.assertIn("cannot listen on https://127.0.0.1", output)
                self.assertNotIn("AddressSanitizer", output)


if __name__ == "__main__":
    unittest.main()
