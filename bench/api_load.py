"""The API side of bench/run-api: authenticated reads at a constant rate, the throughput ceiling
by wrk, and WebSocket subscribers timed against the changes that move their queue figures.

Standard library plus websocket-client (Debian python3-websocket), so run by /usr/bin/python3.
Every time is time.monotonic() (CLOCK_MONOTONIC), one clock for every process on the machine:
a change stamped here and its delivery stamped in a subscriber process can be subtracted.
127.0.0.1 only."""
import json
import multiprocessing
import os
import random
import re
import resource
import selectors
import socket
import subprocess
import time

import websocket


def percentile(sorted_values, q):
    """The value below which a share `q` of `sorted_values` lies (nearest rank, as the other
    bench scripts take it)."""
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def summary_ms(seconds):
    """p50, p99 and max of durations in seconds, in ms; None for no samples."""
    if not seconds:
        return None
    values = sorted(seconds)
    return {"p50": 1000 * percentile(values, 0.50), "p99": 1000 * percentile(values, 0.99),
            "max": 1000 * values[-1], "count": len(values)}


# --- HTTP over one keep-alive connection -------------------------------------------------------

class KeepAlive:
    """One keep-alive HTTP/1.1 connection on a plain socket. A request is bytes built once and
    a response is read by its Content-Length: http.client parses every header through the email
    package, which would add a tenth of a millisecond of Python to each timed request."""

    def __init__(self, port):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        # Small requests must leave at once, not wait for Nagle's algorithm.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = bytearray()

    def request(self, method, path, token=None, body=None):
        """The bytes of a request on this connection."""
        data = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + data

    def exchange(self, raw):
        """Sends a request made by request() and returns (status, body bytes)."""
        self.sock.sendall(raw)
        while (end := self.pending.find(b"\r\n\r\n")) < 0:
            self._read()
        head = bytes(self.pending[:end]).split(b"\r\n")
        del self.pending[:end + 4]
        status = int(head[0].split()[1])
        length = 0
        for line in head[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise RuntimeError("api_load: a chunked response; this client reads lengths only")
        while len(self.pending) < length:
            self._read()
        body = bytes(self.pending[:length])
        del self.pending[:length]
        return status, body

    def _read(self):
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionError("api_load: the daemon closed the connection")
        self.pending += chunk

    def close(self):
        self.sock.close()


def login(port, username, password):
    """A session token from POST /api/v1/auth/login."""
    conn = KeepAlive(port)
    try:
        status, body = conn.exchange(conn.request(
            "POST", "/api/v1/auth/login", body={"username": username, "password": password}))
    finally:
        conn.close()
    if status != 200:
        raise RuntimeError(f"api_load: login of {username} answered {status}: {body[:200]!r}")
    return json.loads(body)["token"]


def paced_reads(port, token, path, rate, seconds):
    """GET `path` at a constant `rate` for `seconds` on one keep-alive connection.

    Request k is due at start + k/rate. wrk sends the next request as soon as the last answer
    is in, so its latencies say nothing about a fixed rate; here a slow answer delays the ones
    due behind it, and that wait is counted: `from_due` runs from the moment a request was due
    to its full answer (what a dashboard polling at that rate sees), `service` from the moment
    it was actually sent. Both are reported; the target is judged on `from_due`."""
    conn = KeepAlive(port)
    raw = conn.request("GET", path, token)
    for _ in range(20):  # the connection's first requests warm caches; not measured
        conn.exchange(raw)
    count = int(rate * seconds)
    interval = 1.0 / rate
    from_due, service, statuses, size = [], [], {}, 0
    start = time.monotonic() + 0.05
    for k in range(count):
        due = start + k * interval
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        sent = time.monotonic()
        status, body = conn.exchange(raw)
        done = time.monotonic()
        from_due.append(done - due)
        service.append(done - sent)
        statuses[status] = statuses.get(status, 0) + 1
        size = len(body)
    wall = time.monotonic() - start
    conn.close()
    late = sum(1 for d, s in zip(from_due, service) if d - s > 0.001)
    return {"requests": count, "rate": count / wall, "statuses": statuses, "bytes": size,
            "from_due": summary_ms(from_due), "service": summary_ms(service),
            "sent_late": late}


# --- the ceiling, by wrk --------------------------------------------------------------------

def wrk_ms(text):
    """A wrk duration ("812.00us", "1.23ms", "2.01s") in ms."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not found:
        return float("nan")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[found.group(2)]
    return float(found.group(1)) * scale


def ceiling(port, token, path, seconds, connections, threads=1):
    """wrk's closed loop on `path` with the session's token: as many requests as `connections`
    keep-alive connections get answered. Returns requests/s, latency percentiles (ms), the
    count of non-2xx answers and socket errors, and wrk's own lines for the log."""
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", f"Authorization: Bearer {token}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True).stdout
    figures = {"rate": 0.0, "non_2xx": 0, "socket_errors": "", "text": out}
    for line in out.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            figures["rate"] = float(words[1])
        elif words[:1] == ["Latency"] and len(words) >= 4:
            figures["max"] = wrk_ms(words[3])
        elif len(words) == 2 and words[0] in ("50%", "75%", "90%", "99%"):
            figures[f"p{words[0][:-1]}"] = wrk_ms(words[1])
        elif line.strip().startswith("Non-2xx"):
            figures["non_2xx"] = int(words[-1])
        elif line.strip().startswith("Socket errors"):
            figures["socket_errors"] = line.strip()
    return figures


# --- WebSocket subscribers ------------------------------------------------------------------

EVENTS = "/api/v1/events"


def open_subscriber(port, token):
    """A client of the event stream, signed in by its upgrade header and subscribed to topic
    `queues`, its welcome and snapshot read through websocket-client. That library reads exact
    frame lengths, so nothing it buffered is lost when the caller reads the socket itself."""
    ws = websocket.create_connection(f"ws://127.0.0.1:{port}{EVENTS}", timeout=30,
                                     header=[f"Authorization: Bearer {token}"])
    welcome = json.loads(ws.recv())
    if welcome.get("type") != "welcome":
        raise RuntimeError(f"api_load: the event stream refused the session: {welcome}")
    ws.send(json.dumps({"type": "subscribe", "topics": ["queues"]}))
    while json.loads(ws.recv()).get("type") != "snapshot":
        pass
    ws.sock.setblocking(False)
    return ws


def split_frames(buffer):
    """The complete frames at the front of `buffer` (a bytearray, consumed) as (opcode, fin,
    payload). A server's frames are never masked (RFC 6455 5.1); websocket-client decodes each
    frame in several Python calls, too slow for 200 clients taking tens of thousands of frames
    a second between them on the machine that runs the daemon."""
    frames, pos, size = [], 0, len(buffer)
    while size - pos >= 2:
        first, second = buffer[pos], buffer[pos + 1]
        length, head = second & 0x7F, 2
        if length == 126:
            if size - pos < 4:
                break
            length, head = int.from_bytes(buffer[pos + 2:pos + 4], "big"), 4
        elif length == 127:
            if size - pos < 10:
                break
            length, head = int.from_bytes(buffer[pos + 2:pos + 10], "big"), 10
        if size - pos < head + length:
            break
        frames.append((first & 0x0F, first >> 7, bytes(buffer[pos + head:pos + head + length])))
        pos += head + length
    del buffer[:pos]
    return frames


def pong_frame(payload):
    """A client's pong (masked, as RFC 6455 asks of every client frame) for a ping's payload."""
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x8A, 0x80 | len(payload)]) + mask + masked


class Subscriber:
    """What one client has read: its unparsed bytes, a message in fragments, and for the
    watched queue each (arrival time, ready agents) in order."""

    def __init__(self, ws):
        self.ws, self.buffer, self.fragments, self.log, self.open = ws, bytearray(), [], [], True

    def take(self, chunk, now, marker, counts):
        """Handles the bytes of one read, all stamped `now` (the moment the read returned)."""
        self.buffer += chunk
        for opcode, fin, payload in split_frames(self.buffer):
            if opcode == 0x9:
                self.ws.sock.send(pong_frame(payload))
            elif opcode == 0x8:
                self.open = False
            elif opcode in (0x0, 0x1):
                self.fragments.append(payload)
                if fin:
                    self.message(b"".join(self.fragments), now, marker, counts)
                    self.fragments = []

    def message(self, text, now, marker, counts):
        counts["messages"] += 1
        counts["bytes"] += len(text)
        # Only the watched queue's messages are parsed; the loaded queue's go by unread.
        if marker in text:
            body = json.loads(text)
            if body.get("type") == "queue":
                self.log.append((now, body["queue"]["agents"]["ready"]))


def subscriber_worker(port, token, count, marker, control):
    """A process with `count` subscribers on one selector. Says ("ready", count) once all have
    their snapshot, reads until it receives "stop", then sends back every subscriber's log, the
    messages and bytes read while the changes ran, and the process's own CPU time, so the
    report can show the clients were not what held the deliveries up."""
    subscribers = [Subscriber(open_subscriber(port, token)) for _ in range(count)]
    selector = selectors.DefaultSelector()
    for index, s in enumerate(subscribers):
        selector.register(s.ws.sock, selectors.EVENT_READ, index)
    selector.register(control, selectors.EVENT_READ, None)
    control.send(("ready", count))
    counts = {"messages": 0, "bytes": 0}
    cpu0, began = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    running = True
    while running:
        for key, _ in selector.select(1.0):
            now = time.monotonic()
            if key.data is None:
                control.recv()
                running = False
                break
            s = subscribers[key.data]
            try:
                chunk = key.fileobj.recv(262144)
            except BlockingIOError:
                continue
            if not chunk:
                s.open = False
            else:
                s.take(chunk, now, marker, counts)
            if not s.open:
                selector.unregister(key.fileobj)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    control.send({"logs": [s.log for s in subscribers], "closed": sum(not s.open for s in
                                                                      subscribers),
                  "window": time.monotonic() - began,
                  "cpu": (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime),
                  **counts})
    for s in subscribers:
        s.ws.sock.close()


def delivery_delays(changes, log):
    """For each change (time it was made, ready agents it leads to), the delay to the first
    message of the watched queue in `log` at or after that time that shows the new figure.
    Changes alternate, so a message showing the previous figure is not taken for this one.
    None when nothing came before the change after next, which sets the same figure again
    (the delivery was lost, or overtaken and coalesced away)."""
    delays, j = [], 0
    for i, (made, want) in enumerate(changes):
        limit = changes[i + 2][0] if i + 2 < len(changes) else float("inf")
        while j < len(log) and log[j][0] < made:
            j += 1
        k = j
        while k < len(log) and log[k][0] < limit and log[k][1] != want:
            k += 1
        delays.append(log[k][0] - made if k < len(log) and log[k][0] < limit else None)
    return delays


def set_agent(conn, token, agent, state):
    """POST /api/v1/agents/{agent}/state; fails the run unless the agent is in `state` after."""
    body = {"state": state, **({"reason": "break"} if state == "not_ready" else {})}
    status, answer = conn.exchange(conn.request("POST", f"/api/v1/agents/{agent}/state", token,
                                                body))
    if status != 200 or json.loads(answer).get("state") != state:
        raise RuntimeError(f"api_load: agent {agent} to {state}: {status} {answer[:200]!r}")


def fan_out(port, admin_token, reader_token, subscribers, processes, changes, agent, queue,
            gap):
    """`subscribers` clients of topic `queues` (spread over `processes` processes, so their
    reading is not one Python thread's) while the admin moves `agent`, the one agent of `queue`,
    between ready and not_ready `changes` times, `gap` s apart plus up to a fifth more at random
    (changes must not fall into the event stream's cycle at a fixed phase). Each change is
    stamped just before its POST is sent. Returns the delays of every subscriber's delivery
    (s), the deliveries missing, and what the subscriber processes read and spent."""
    context = multiprocessing.get_context("fork")
    marker = f'"name":"{queue}"'.encode()
    workers = []
    for n in range(processes):
        share = subscribers // processes + (1 if n < subscribers % processes else 0)
        parent, child = context.Pipe()
        process = context.Process(target=subscriber_worker,
                                  args=(port, reader_token, share, marker, child), daemon=True)
        process.start()
        workers.append((process, parent))
    for process, parent in workers:
        if not parent.poll(300):
            raise RuntimeError("api_load: the subscribers did not connect within 300 s")
        parent.recv()
    conn = KeepAlive(port)
    set_agent(conn, admin_token, agent, "not_ready")  # a known first state, not measured
    time.sleep(gap)
    made = []
    for i in range(changes):
        state = "ready" if i % 2 == 0 else "not_ready"
        raw = conn.request("POST", f"/api/v1/agents/{agent}/state", admin_token,
                           {"state": state, **({"reason": "break"} if i % 2 else {})})
        stamp = time.monotonic()
        status, answer = conn.exchange(raw)
        if status != 200:
            raise RuntimeError(f"api_load: agent {agent} to {state}: {status} {answer[:200]!r}")
        made.append((stamp, 1 if state == "ready" else 0))
        time.sleep(gap * (1 + random.random() / 5))
    time.sleep(1.0)  # the last change's deliveries
    conn.close()
    results = []
    for process, parent in workers:
        parent.send("stop")
        results.append(parent.recv())
        process.join(30)
    per_subscriber = [delivery_delays(made, log) for r in results for log in r["logs"]]
    delays = [d for each in per_subscriber for d in each]
    # The first and the last subscriber to have each change: the first is what the event stream
    # takes to notice and read a change, the spread to the last what sending it to all costs.
    reached = [[each[i] for each in per_subscriber if each[i] is not None]
               for i in range(len(made))]
    return {"changes": len(made),
            "subscribers": len(per_subscriber),
            "delays": summary_ms([d for d in delays if d is not None]),
            "first": summary_ms([min(r) for r in reached if r]),
            "last": summary_ms([max(r) for r in reached if r]),
            "missing": sum(d is None for d in delays),
            "closed": sum(r["closed"] for r in results),
            "messages_per_s": sum(r["messages"] / r["window"] for r in results),
            "bytes_per_s": sum(r["bytes"] / r["window"] for r in results),
            "client_cpu": sum(r["cpu"] / r["window"] for r in results)}
