"""Real SIP peers for the daemon tests: baresip (Debian package baresip-core) as a headless
softphone that registers one extension and answers calls by itself, a self-signed certificate
for TLS listeners, and a one-shot request over TLS. Everything talks to 127.0.0.1 only.

baresip runs with a private configuration directory, no sound card (a sine tone as microphone,
a software bridge as speaker), stdin from /dev/null, and its ctrl_tcp module on a loopback
port: the helper reads the JSON events from there (CALL_REMOTE_SDP, CALL_ESTABLISHED,
CALL_CLOSED, UNREGISTERING, ...) so tests can wait for what the phone saw, not only for what the
daemon saw, and sends commands (reginfo, hangup, dial ...). Its own output, with lines such as
"Call established: <peer>" and "Call with <peer> terminated", is in `log()`.
"""
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import uuid

from harness import free_port
from sip_client import parse_response

BARESIP = shutil.which("baresip")
OPENSSL = shutil.which("openssl")
MODULE_DIR = "/usr/lib/baresip/modules"
TRANSPORTS = ("udp", "tcp", "tls")

# baresip 1.0 (libre 1.0) fails a REGISTER outright when any WWW-Authenticate line names an
# algorithm other than MD5, so the daemon it registers with must challenge MD5 alone.
BARESIP_SIP_YAML = "  auth: {algorithms: [md5]}\n"


def tls_sip_yaml(certificate, key):
    """The daemon's sip.tls keys (indented for Daemon's sip_yaml) for a certificate and key."""
    return f"  tls: {{certificate_file: {certificate}, private_key_file: {key}}}\n"


def make_test_certificate(directory, host="127.0.0.1", days=2):
    """Writes a self-signed certificate and its unencrypted key for `host` (an IP address)
    into `directory` as cert.pem and key.pem and returns (certificate path, key path)."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    out = subprocess.run(
        [OPENSSL or "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
         "-days", str(days), "-subj", f"/CN={host}", "-addext", f"subjectAltName=IP:{host}",
         "-keyout", key, "-out", cert],
        capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"openssl req failed: {out.stderr.strip()}")
    return cert, key


def port_is_free(port, kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_sip_port():
    """A port P where TCP and UDP P and TCP P+1 are free: baresip listens on UDP and TCP at its
    sip_listen port and on TLS at the next one."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 65535 and port_is_free(port, socket.SOCK_DGRAM) and port_is_free(port + 1):
            return port
    raise RuntimeError("no free pair of ports for baresip")


def tls_request(port, request, cafile=None, timeout=10.0):
    """Sends one SIP request text over a fresh TLS connection to 127.0.0.1:port and returns
    (status, headers) of the first final response. With `cafile` the server's certificate must
    chain to it and name 127.0.0.1; without, it is not checked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cafile:
        context.load_verify_locations(cafile)
    else:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(request.encode())
            data = b""
            while True:
                chunk = tls.recv(65536)
                if not chunk:
                    raise AssertionError(f"connection closed after {data!r}")
                data += chunk
                while b"\r\n\r\n" in data:
                    head, _, rest = data.partition(b"\r\n\r\n")
                    status, headers = parse_response(head + b"\r\n\r\n")
                    length = int(next((v for n, v in headers if n in ("content-length", "l")),
                                      "0"))
                    if len(rest) < length:
                        break
                    if status >= 200:
                        return status, headers
                    data = rest[length:]


def options_request(port, transport="TLS", local_port=5999):
    """An out-of-dialog OPTIONS to 127.0.0.1:port as text."""
    return "\r\n".join([
        f"OPTIONS sip:127.0.0.1:{port};transport={transport.lower()} SIP/2.0",
        f"Via: SIP/2.0/{transport} 127.0.0.1:{local_port};branch=z9hG4bK{uuid.uuid4().hex};rport",
        f"From: <sip:probe@127.0.0.1>;tag={uuid.uuid4().hex[:8]}",
        f"To: <sip:127.0.0.1:{port}>",
        f"Call-ID: {uuid.uuid4().hex}",
        "CSeq: 1 OPTIONS",
        "Max-Forwards: 70",
        "Content-Length: 0", "", ""])


class Baresip:
    """One baresip process registered as `extension` to the daemon at 127.0.0.1:registrar_port
    over `transport` (udp, tcp or tls). Calls to it are answered at once (answermode=auto)."""

    def __init__(self, extension, password, registrar_port, transport="udp", regint=600,
                 answermode="auto"):
        if BARESIP is None:
            raise AssertionError("baresip is not installed: scripts/bootstrap installs "
                                 "baresip-core")
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {TRANSPORTS}")
        self.extension = extension
        self.transport = transport
        self.dir = tempfile.mkdtemp(prefix="ccd-it-baresip-")
        self.sip_port = free_sip_port()
        self.ctrl_port = free_port()
        self.log_path = os.path.join(self.dir, "baresip.log")
        self.proc = None
        self.events = []
        self._events_changed = threading.Condition()
        self._ctrl = None
        self._reader = None
        self._write_config()
        uri = f"sip:{extension}@127.0.0.1:{registrar_port};transport={transport}"
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            f.write(f"<{uri}>;auth_pass={password};answermode={answermode};regint={regint}"
                    f";audio_codecs=pcmu,pcma\n")

    @property
    def listen_port(self):
        """Where baresip takes SIP over this helper's transport (TLS listens one port up)."""
        return self.sip_port + 1 if self.transport == "tls" else self.sip_port

    def _write_config(self):
        # Only what a headless phone needs: no ALSA, no stdio console, no video, no NAT helpers.
        lines = {
            "poll_method": "epoll",
            "sip_listen": f"127.0.0.1:{self.sip_port}",
            "call_local_timeout": "120",
            "call_max_calls": "4",
            "audio_player": "aubridge,ccd-speaker",
            "audio_source": "ausine,440",
            # ausine makes 48 kHz stereo only; baresip resamples for the codec. Should the
            # source fail to start, baresip never sends its 200 to an INVITE.
            "ausrc_srate": "48000",
            "ausrc_channels": "2",
            "audio_alert": "aubridge,ccd-alert",
            "audio_level": "no",
            # Away from the usual 10000-20000 a media server on the same host takes.
            "rtp_ports": "30000-39999",
            "rtcp_mux": "no",
            "module_path": MODULE_DIR,
            "ctrl_tcp_listen": f"127.0.0.1:{self.ctrl_port}",
            # menu.so brings the commands; without these it prints a call status line many
            # times a second and rings a bell.
            "statmode_default": "off",
            "menu_bell": "no",
            "redial_attempts": "0",
        }
        modules = [("module", "g711.so"), ("module", "aubridge.so"), ("module", "ausine.so"),
                   ("module_tmp", "account.so"), ("module_app", "menu.so"),
                   ("module_app", "ctrl_tcp.so")]
        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write("# generated by tests/integration/daemon/sip_peers.py\n")
            for key, value in lines.items():
                f.write(f"{key}\t{value}\n")
            for key, value in modules:
                f.write(f"{key}\t{value}\n")
        # An empty contacts file keeps baresip from writing its template with example peers.
        open(os.path.join(self.dir, "contacts"), "w").close()

    def start(self):
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen([BARESIP, "-f", self.dir], stdin=subprocess.DEVNULL,
                                     stdout=self.log_file, stderr=subprocess.STDOUT,
                                     cwd=self.dir)
        deadline = time.monotonic() + 15
        while True:
            self._check_alive("its control port opens")
            try:
                self._ctrl = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"baresip control port did not open; log:\n"
                                         f"{self.log()}")
                time.sleep(0.05)
        self._ctrl.settimeout(None)
        self._reader = threading.Thread(target=self._read_control, daemon=True)
        self._reader.start()
        return self

    def _check_alive(self, what):
        if self.proc is not None and self.proc.poll() is not None:
            raise AssertionError(f"baresip exited ({self.proc.returncode}) while waiting until "
                                 f"{what}; log:\n{self.log()}")

    def _read_control(self):
        # ctrl_tcp frames every JSON message as a netstring: "<length>:<json>,".
        buffer = b""
        sock = self._ctrl
        while True:
            try:
                chunk = sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b":" in buffer:
                length_text, _, rest = buffer.partition(b":")
                length = int(length_text)
                if len(rest) < length + 1:
                    break
                message = json.loads(rest[:length])
                buffer = rest[length + 1:]
                with self._events_changed:
                    self.events.append(message)
                    self._events_changed.notify_all()

    def wait_for(self, predicate, what, timeout=20.0):
        """Waits until one control message (an event or a command response, as a dict)
        satisfies `predicate` and returns it."""
        deadline = time.monotonic() + timeout
        with self._events_changed:
            while True:
                for message in self.events:
                    if predicate(message):
                        return message
                self._check_alive(what)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting until {what}; events: "
                                         f"{self.events}\nlog:\n{self.log()}")
                self._events_changed.wait(min(left, 0.2))

    def wait_for_event(self, event_type, timeout=20.0):
        """Waits for an event such as CALL_ESTABLISHED or CALL_CLOSED (or the REGISTER_OK of a
        re-registration) and returns it as a dict."""
        return self.wait_for(lambda m: m.get("event") and m.get("type") == event_type,
                             what=f"baresip reports {event_type}", timeout=timeout)

    def event_types(self):
        with self._events_changed:
            return [m.get("type") for m in self.events if m.get("event")]

    def command(self, name, params="", timeout=10.0):
        """Runs one baresip command (e.g. `reginfo`, `hangup`, `dial`) and returns its text."""
        token = uuid.uuid4().hex[:12]
        body = json.dumps({"command": name, "params": params, "token": token}).encode()
        self._ctrl.sendall(str(len(body)).encode() + b":" + body + b",")
        reply = self.wait_for(lambda m: m.get("response") and m.get("token") == token,
                              what=f"baresip answers {name}", timeout=timeout)
        if not reply.get("ok"):
            raise AssertionError(f"baresip command {name} failed: {reply}")
        return reply.get("data", "")

    def binding(self, db):
        """This phone's row in the daemon's sip_registrations as (contact, transport), or
        None."""
        row = db.query(
            "SELECT contact || '|' || transport FROM sip_registrations "
            f"WHERE extension = '{self.extension}' "
            f"AND contact LIKE '%@127.0.0.1:{self.listen_port}%'")
        return tuple(row.split("|")) if row else None

    def registration_states(self):
        """The state words baresip shows for its account (OK, ERR, ...), from `reginfo`."""
        text = re.sub(r"\x1b\[[0-9;]*m", "", self.command("reginfo"))
        return re.findall(r"^[> ]\s*sip:\S+\s+(\w+)", text, re.MULTILINE)

    def wait_registered(self, db, timeout=20.0):
        """Waits until the daemon wrote this phone's binding to PostgreSQL and the phone itself
        reports its registration as OK; returns (contact, transport). The first REGISTER goes
        out before the control connection is up, so its REGISTER_OK event is not seen here."""
        deadline = time.monotonic() + timeout
        while (found := self.binding(db)) is None or "OK" not in self.registration_states():
            self._check_alive("the binding is in PostgreSQL")
            if time.monotonic() > deadline:
                raise AssertionError(f"no binding of {self.extension} in sip_registrations; "
                                     f"log:\n{self.log()}")
            time.sleep(0.1)
        return found

    def stop(self, timeout=10.0):
        """Stops baresip the way an operator would (SIGTERM), which unregisters its account
        first, and returns the exit status. baresip waits for that REGISTER to complete; when
        the registrar does not answer, a second SIGTERM makes it exit at once. Safe to call
        twice."""
        if self.proc is None:
            return None
        try:
            for stopping in (self.proc.terminate, self.proc.terminate, self.proc.kill):
                if self.proc.poll() is not None:
                    break
                stopping()
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    pass
            return self.proc.wait()
        finally:
            # The reader ends at end of stream, which baresip's exit brings.
            if self._ctrl is not None:
                try:
                    self._ctrl.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed by baresip
            if self._reader is not None:
                self._reader.join(timeout=5)
                self._reader = None
            if self._ctrl is not None:
                self._ctrl.close()
                self._ctrl = None
            self.log_file.close()

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self):
        """baresip's own output (stdout and stderr)."""
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, text, timeout=20.0):
        deadline = time.monotonic() + timeout
        while text not in self.log():
            self._check_alive(f"its log shows {text!r}")
            if time.monotonic() > deadline:
                raise AssertionError(f"baresip log never showed {text!r}:\n{self.log()}")
            time.sleep(0.05)
