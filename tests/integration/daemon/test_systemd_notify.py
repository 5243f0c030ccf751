"""The sd_notify protocol over a real datagram socket, as systemd runs a Type=notify unit."""
import os
import socket
import tempfile
import time
import unittest

from harness import DaemonTestCase


class SystemdNotifyTest(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.sock_path = os.path.join(tempfile.mkdtemp(prefix="ccd-notify-"), "notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.sock_path)
        self.addCleanup(self.sock.close)
        self.sock.settimeout(0.2)
        self.messages = []

    def collect(self, until, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except socket.timeout:
                pass
            if until(self.messages):
                return
        self.fail(f"notify messages were {self.messages!r}; log:\n{self.daemon.log()}")

    def test_ready_watchdog_and_stopping(self):
        self.daemon.start(wait_ready=False, extra_env={
            "NOTIFY_SOCKET": self.sock_path, "WATCHDOG_USEC": "400000"})
        self.collect(lambda ms: any("READY=1" in m for m in ms))
        self.collect(lambda ms: sum("WATCHDOG=1" in m for m in ms) >= 3)
        self.assertEqual(self.daemon.get("/readyz")[0], 200)
        self.daemon.proc.terminate()
        self.collect(lambda ms: any("STOPPING=1" in m for m in ms))
        self.assertEqual(self.daemon.proc.wait(timeout=30), 0)


if __name__ == "__main__":
    unittest.main()
