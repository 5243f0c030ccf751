"""Runs the real callcenterd binary against a real PostgreSQL for black-box tests.

Everything talks to 127.0.0.1 only. The admin connection comes from CALLCENTERD_TEST_PG, which
scripts/test sets; without it the tests fail (a missing database is never a skip).
"""
import json
import os
import shlex
import signal as signals
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

BINARY = os.environ.get("CALLCENTERD_BINARY", "")
SOURCE_DIR = os.environ.get("CALLCENTERD_SOURCE_DIR", "")
PG_CLUSTER = os.path.join(SOURCE_DIR, "scripts", "pg-cluster")


def admin_conninfo():
    value = os.environ.get("CALLCENTERD_TEST_PG")
    if not value:
        raise RuntimeError("CALLCENTERD_TEST_PG is not set: run the tests through scripts/test")
    return value


def parse_conninfo(conninfo):
    return dict(shlex.split(item)[0].split("=", 1) for item in conninfo.split())


def make_conninfo(params):
    return " ".join(f"{k}={v}" for k, v in params.items())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(conninfo, sql):
    """Runs SQL through psql and returns its unaligned, tuples-only output."""
    out = subprocess.run(["psql", conninfo, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                          "-c", sql], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def psql_file(conninfo, path):
    out = subprocess.run(["psql", conninfo, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", path],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"psql -f {path} failed: {out.stderr.strip()}")


class TestDatabase:
    """A database of its own for one test, dropped at close."""

    def __init__(self, admin=None):
        self.admin = admin or admin_conninfo()
        self.params = parse_conninfo(self.admin)
        self.name = "ccd_it_" + uuid.uuid4().hex[:12]
        psql(self.admin, f"CREATE DATABASE {self.name}")
        self.params["dbname"] = self.name
        self.conninfo = make_conninfo(self.params)

    def query(self, sql):
        return psql(self.conninfo, sql)

    def close(self):
        # FORCE ends the daemon's connections, but the test role may not end an autovacuum
        # worker that happens to be in the database (PostgreSQL refuses with "must be a member
        # of the role whose process is being terminated"): such a worker is done in moments.
        for attempt in range(50):
            try:
                psql(self.admin, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
                return
            except RuntimeError as e:
                if "must be a member of the role" not in str(e) or attempt == 49:
                    raise
                time.sleep(0.2)


class PrivateCluster:
    """A PostgreSQL cluster of the test's own, for tests that stop and start the server."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ccd-it-pg-")
        self.port = free_port()
        self.start()
        params = parse_conninfo(self._run("conninfo", "postgres").strip())
        self.admin = make_conninfo(params)

    def _run(self, *args):
        cmd = [PG_CLUSTER, args[0], self.dir, *args[1:]]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {out.stderr.strip()}")
        return out.stdout

    def start(self):
        self._run("start", str(self.port))

    def stop(self):
        self._run("stop")

    def remove(self):
        self._run("remove")


# Holds a caller until they hang up (ten tries of a minute each), as the call tests want of
# a DID answered here; `1` hears the greeting again.
MAIN_FLOW = """flows:
  main:
    start: greeting
    nodes:
      greeting: {play: "Hello.", next: hold}
      hold: {menu: "Press 1.", options: {"1": greeting}, timeout: 1m, retries: 10}
"""


class Daemon:
    """One callcenterd process with a generated configuration in a temporary directory."""

    def __init__(self, db_params, http_port=None, log_level="info", extra_yaml="", sip_yaml="",
                 extra_listeners=(), http_tls=None):
        self.workdir = tempfile.mkdtemp(prefix="ccd-it-")
        self.http_port = http_port or free_port()
        # (certificate_file, private_key_file): the API speaks HTTPS only, and get() trusts that certificate.
        self.http_tls = http_tls
        self._ssl_context = None
        # SIP listens on UDP and TCP of one port; a free TCP port is nearly always free for
        # UDP too, and a clash shows as a clear bind error in the log.
        self.sip_port = free_port()
        self.sip_extra = sip_yaml  # more keys of the sip: section, indented by two spaces
        # (transport, port) pairs listened on beside UDP and TCP, e.g. ("tls", free_port()).
        self.extra_listeners = list(extra_listeners)
        self.db_params = dict(db_params)
        self.config_path = os.path.join(self.workdir, "callcenterd.yaml")
        # A flow `main` for the DIDs that name it; tests of flows write their own files here.
        self.flows_dir = os.path.join(self.workdir, "flows")
        os.makedirs(self.flows_dir)
        self.write_flow("main.yaml", MAIN_FLOW)
        self.log_path = os.path.join(self.workdir, "daemon.log")
        self.write_config(self.config_text(log_level=log_level, extra_yaml=extra_yaml))
        self.proc = None
        self.env = dict(os.environ)
        self.env["CALLCENTERD_DB_PASSWORD"] = self.db_params.get("password", "")

    def config_text(self, log_level="info", http_port=None, extra_yaml=""):
        p = self.db_params
        return f"""# generated by tests/integration/daemon/harness.py
service:
  threads: 2
  node_name: it-node
http:
  address: 127.0.0.1
  port: {http_port or self.http_port}
  request_timeout: 5s
{self.http_tls_text()}database:
  host: {p.get('host', '127.0.0.1')}
  port: {p.get('port', '5432')}
  name: {p['dbname']}
  user: {p.get('user', 'callcenterd')}
  password_env: CALLCENTERD_DB_PASSWORD
  connect_timeout: 2s
  reconnect_max_backoff: 500ms
paths:
  var: {self.workdir}/var
  recordings: {self.workdir}/var/recordings
  migrations: {SOURCE_DIR}/sql
  flows: {self.flows_dir}
log:
  level: {log_level}
  format: text
shutdown:
  drain_timeout: 5s
sip:
  listen:
    - {{transport: udp, address: 127.0.0.1, port: {self.sip_port}}}
    - {{transport: tcp, address: 127.0.0.1, port: {self.sip_port}}}
{self.extra_listen_text()}{self.sip_extra}{extra_yaml}"""

    def write_flow(self, name, text):
        with open(os.path.join(self.flows_dir, name), "w") as f:
            f.write(text)

    def http_tls_text(self):
        if not self.http_tls:
            return ""
        return f"  tls: {{certificate_file: {self.http_tls[0]}, private_key_file: {self.http_tls[1]}}}\n"

    @property
    def ssl_context(self):
        """What get() verifies the daemon with under http_tls; None for plain HTTP. Made when
        first used, so a test may configure files that do not exist."""
        if self.http_tls and self._ssl_context is None:
            self._ssl_context = ssl.create_default_context(cafile=self.http_tls[0])
        return self._ssl_context

    @property
    def base_url(self):
        scheme = "https" if self.http_tls else "http"
        return f"{scheme}://127.0.0.1:{self.http_port}"

    def extra_listen_text(self):
        return "".join(f"    - {{transport: {transport}, address: 127.0.0.1, port: {port}}}\n"
                       for transport, port in self.extra_listeners)

    def write_config(self, text):
        with open(self.config_path, "w") as f:
            f.write(text)

    def start(self, wait_ready=True, extra_env=None, args=None):
        env = dict(self.env)
        env.update(extra_env or {})
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen([BINARY, "--config", self.config_path, *(args or [])],
                                     stdout=self.log_file, stderr=subprocess.STDOUT, env=env,
                                     cwd=self.workdir)
        self.wait_until(lambda: self.get("/healthz")[0] == 200, what="/healthz answers")
        if wait_ready:
            self.wait_until(lambda: self.get("/readyz")[0] == 200, what="/readyz is 200")
        return self

    def wait_until(self, condition, what, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"callcenterd exited ({self.proc.returncode}) while waiting "
                                     f"until {what}; log:\n{self.log()}")
            try:
                if condition():
                    return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting until {what}; log:\n{self.log()}")

    def get(self, path, headers=None):
        """Returns (status, headers, body text) of a GET to the daemon."""
        req = urllib.request.Request(f"{self.base_url}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=5, context=self.ssl_context) as resp:
                return resp.status, dict(resp.headers), resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode()

    def get_json(self, path):
        status, _, body = self.get(path)
        return status, json.loads(body)

    def metric(self, name_with_labels):
        """The value of one sample from /metrics, or None when absent."""
        _, _, body = self.get("/metrics")
        for line in body.splitlines():
            if line.startswith("#"):
                continue
            key, _, value = line.rpartition(" ")
            if key == name_with_labels:
                return float(value)
        return None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signals.SIGTERM, timeout=30):
        """Signals the daemon and returns its exit status once it has exited."""
        if self.proc is None:
            return None
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(sig)
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
                    raise AssertionError(
                        f"callcenterd did not stop within {timeout}s; log:\n{self.log()}")
            return self.proc.returncode
        finally:
            self.log_file.close()

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def wait_for_log(self, text, timeout=30.0):
        self.wait_until(lambda: text in self.log(), what=f"the log shows {text!r}", timeout=timeout)


def run_binary(*args, env=None, timeout=60, cwd=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=cwd)


class DaemonTestCase(unittest.TestCase):
    """A fresh database and an unstarted daemon for each test; both are cleaned up after it,
    the daemon first. Subclasses add their own cleanups with addCleanup()."""

    private_cluster = False  # True: a PostgreSQL of the test's own (self.cluster) to stop

    def setUp(self):
        if self.private_cluster:
            self.cluster = PrivateCluster()
            self.addCleanup(self.cluster.remove)
            self.db = TestDatabase(self.cluster.admin)
            self.addCleanup(self.db.close)
            self.addCleanup(self._cluster_up)  # runs first: the database closes on a live server
        else:
            self.db = TestDatabase()
            self.addCleanup(self.db.close)
        self.daemon = Daemon(self.db.params)
        self.addCleanup(self.daemon.stop)

    def _cluster_up(self):
        try:
            self.cluster.start()
        except RuntimeError:
            pass  # running already

    def migrate(self):
        """Applies the migrations with `callcenterd --migrate`, as scripts/run does."""
        out = run_binary("--config", self.daemon.config_path, "--migrate", env=self.daemon.env)
        self.assertEqual(out.returncode, 0, out.stderr + out.stdout)
