"""A small RTP endpoint for integration tests: sends G.711 audio (a tone, a WAV's samples or
DTMF as RFC 4733 events) every 20 ms from its own UDP port on 127.0.0.1 and keeps what it
receives, so a test can tell whether audio went through the daemon and which way."""
import math
import re
import socket
import struct
import threading
import time


def _ulaw(sample):
    """One 16-bit sample as G.711 µ-law."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    magnitude = min(-sample if sample < 0 else sample, clip) + bias
    exponent = 7
    for exp in range(7, -1, -1):
        if magnitude & (0x4000 >> (7 - exp)):
            exponent = exp
            break
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def _ulaw_decode(code):
    code = ~code & 0xFF
    sign, exponent, mantissa = code & 0x80, (code >> 4) & 0x07, code & 0x0F
    magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return -magnitude if sign else magnitude


ULAW_DECODE = [_ulaw_decode(c) for c in range(256)]


def tone(frequencies, seconds, level=0.3):
    """16-bit samples of the sum of `frequencies` at 8 kHz."""
    n = int(seconds * 8000)
    amplitude = level * 32767 / len(frequencies)
    return [int(sum(amplitude * math.sin(2 * math.pi * f * i / 8000) for f in frequencies))
            for i in range(n)]


DTMF_FREQUENCIES = {"1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "4": (770, 1209),
                    "5": (770, 1336), "6": (770, 1477), "7": (852, 1209), "8": (852, 1336),
                    "9": (852, 1477), "0": (941, 1336), "*": (941, 1209), "#": (941, 1477)}
DTMF_EVENTS = {**{str(d): d for d in range(10)}, "*": 10, "#": 11}


def goertzel_power(samples, frequency):
    """Relative power of `frequency` in `samples` (8 kHz)."""
    coefficient = 2 * math.cos(2 * math.pi * frequency / 8000)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coefficient * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / max(len(samples), 1) ** 2


def parse_sdp_address(sdp):
    """(address, port, first payload type) of the audio stream in an SDP body."""
    address = re.search(r"c=IN IP4 (\S+)", sdp).group(1)
    m = re.search(r"m=audio (\d+) RTP/AVP (\d+)", sdp)
    return address, int(m.group(1)), int(m.group(2))


class RtpPeer:
    """Binds a port pair's RTP side; send() queues samples, events or silence; a thread paces
    one packet every 20 ms (silence when the queue is empty) and another keeps what comes."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.remote = None
        self.sent = 0  # packets handed to the socket
        self.ssrc = 0x1234ABCD
        self.sequence = 1000
        self.timestamp = 160000
        self.queue = []  # (kind, payload bytes, marker, timestamp override)
        self.received = []  # (arrival time, payload type, payload)
        self.lock = threading.Lock()
        self.running = True
        self.threads = [threading.Thread(target=self._send_loop, daemon=True),
                        threading.Thread(target=self._receive_loop, daemon=True)]
        for t in self.threads:
            t.start()

    def sdp(self, payload_type=0):
        name = "PCMU" if payload_type == 0 else "PCMA"
        return ("v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                f"m=audio {self.port} RTP/AVP {payload_type} 101\r\n"
                f"a=rtpmap:{payload_type} {name}/8000\r\n"
                "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n")

    def send_to(self, sdp):
        address, port, _ = parse_sdp_address(sdp)
        self.remote = (address, port)

    def play(self, samples):
        """Queues `samples` (16-bit, 8 kHz) as µ-law, 160 to a packet."""
        payload = bytes(_ulaw(s) for s in samples)
        with self.lock:
            for i in range(0, len(payload) - 159, 160):
                self.queue.append((0, payload[i:i + 160], False, None))

    def press(self, key, packets=5):
        """Queues one RFC 4733 press of `key`: `packets` updates, then three end packets, all
        with the timestamp of the press."""
        event = DTMF_EVENTS[key]
        with self.lock:
            start = None
            for i in range(packets + 3):
                end = i >= packets
                duration = min(i + 1, packets) * 160
                payload = struct.pack("!BBH", event, (0x80 if end else 0) | 10, duration)
                self.queue.append((101, payload, i == 0, "press" if i == 0 else start))
                start = "same"

    def _send_loop(self):
        next_at = time.monotonic()
        press_timestamp = None
        while self.running:
            next_at += 0.02
            with self.lock:
                item = self.queue.pop(0) if self.queue else None
            pt, payload, marker, ts = item if item else (0, bytes([0xFF]) * 160, False, None)
            self.timestamp = (self.timestamp + 160) & 0xFFFFFFFF
            if ts == "press":
                press_timestamp = self.timestamp
            timestamp = press_timestamp if ts in ("press", "same") else self.timestamp
            header = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, self.sequence,
                                 timestamp, self.ssrc)
            self.sequence = (self.sequence + 1) & 0xFFFF
            if self.remote:
                try:
                    self.sock.sendto(header + payload, self.remote)
                    self.sent += 1
                except OSError:
                    pass
            time.sleep(max(0.0, next_at - time.monotonic()))

    def _receive_loop(self):
        while self.running:
            try:
                data, _ = self.sock.recvfrom(2048)
            except (socket.timeout, OSError):
                continue
            if len(data) >= 12:
                self.received.append((time.monotonic(), data[1] & 0x7F, data[12:]))

    def received_samples(self, since=0.0):
        """The µ-law audio received after `since` (time.monotonic()), decoded."""
        return [ULAW_DECODE[b] for t, pt, p in self.received if t >= since and pt == 0 for b in p]

    def close(self):
        self.running = False
        for t in self.threads:
            t.join(timeout=2)
        self.sock.close()
