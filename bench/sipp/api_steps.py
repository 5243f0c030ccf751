"""Steps of bench/run-api against a started daemon: the call load, then the API measured under it.

  api_steps.py WORK HTTP_PORT SIP_PORT DAEMON_PID RTP_LOAD SECONDS AGENTS

The load, started once and kept up through every measurement (docs/benchmarks.md, "API under
call load"):
  queued   sipp's built-in `uac` calls DID 8100 (queue `bench`) at BENCH_QUEUED_RATE (250/s, half
           the 500/s of the queued-calls target), each held 500 ms; AGENTS auto-login agents
           share extension 1002, which a sipp `uas` registers and answers;
  prompt   bench/sipp/prompt_caller.xml calls DID 8090 at BENCH_PROMPT_RATE (500/s, half the
           1,000/s of the media target): answered, a one-second prompt, the daemon hangs up;
           one rtp_load stream takes every call's audio.
Then, in this order: authenticated GET /api/v1/queues and /api/v1/agents at a constant
BENCH_READ_RATE (200/s) on one keep-alive connection, SECONDS s each; BENCH_SUBSCRIBERS (200)
WebSocket clients of topic `queues` while agent 4001, alone in queue `watch`, is moved between
ready and not_ready BENCH_CHANGES (300) times; last, each route's ceiling by wrk
(BENCH_WRK_CONNECTIONS, 50) for SECONDS s, which saturates the machine the load shares.
Environment also: BENCH_WS_PROCESSES (2), BENCH_CHANGE_GAP (0.25 s), BENCH_STEPS (which of
"reads ws ceiling" to run).
"""
import atexit
import os
import signal
import subprocess
import sys
import time

import sipp_tools
from proc_probe import cpu_seconds, machine_busy, status, wait_for_quiet, wait_until
from sipp_tools import finish, first_errors, free_udp_port, sipp_stats

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(here))
import api_load  # noqa: E402  (bench/api_load.py)

work, http, sip, pid, rtp_load = sys.argv[1:6]
seconds, agents = int(sys.argv[6]), int(sys.argv[7])
queued_rate = int(os.environ.get("BENCH_QUEUED_RATE", "250"))
prompt_rate = int(os.environ.get("BENCH_PROMPT_RATE", "500"))
read_rate = int(os.environ.get("BENCH_READ_RATE", "200"))
wrk_connections = int(os.environ.get("BENCH_WRK_CONNECTIONS", "50"))
subscribers = int(os.environ.get("BENCH_SUBSCRIBERS", "200"))
ws_processes = int(os.environ.get("BENCH_WS_PROCESSES", "2"))
changes = int(os.environ.get("BENCH_CHANGES", "300"))
change_gap = float(os.environ.get("BENCH_CHANGE_GAP", "0.25"))
steps = os.environ.get("BENCH_STEPS", "reads ws ceiling").split()
phone = "1002"
# Outside the daemon's RTP range (10000-39999) and rtp_load's (40000-59999), as in run-media.
phone_port = free_udp_port(60000, 60999)


def metrics():
    return sipp_tools.metrics(http)


class CallLoad:
    """The calls the daemon carries while the API is measured. Started once and kept up through
    every step, so each step sees the same load; stop() ends it and reads sipp's counts."""

    def __init__(self):
        self.procs = {}

    def start(self):
        sipp_tools.register_phone(work, sip, phone_port, phone, "run-api")
        self.sink = subprocess.Popen(
            [rtp_load, "--ports", "40000-59999", "--no-verify", "--report",
             f"{work}/rtp-sink.json"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=open(f"{work}/rtp-sink.log", "w"), text=True, bufsize=1)
        self.sink.stdin.write("open sink auto\n")
        sink_port = self.sink.stdout.readline().split()[2]
        self.spawn("uas", phone_port, "-sn", "uas", "-buff_size", "4194304")
        self.spawn("queued", free_udp_port(), "-sn", "uac", "-s", "8100", "-r", str(queued_rate),
                   "-d", "500", "-buff_size", "4194304")
        self.spawn("prompt", free_udp_port(), "-sf", f"{here}/prompt_caller.xml", "-s", "8090",
                   "-key", "sink_port", sink_port, "-r", str(prompt_rate),
                   "-l", str(prompt_rate * 10), "-buff_size", "4194304")

    def spawn(self, label, port, *args):
        """A sipp without a call limit or timeout: it runs until stop() asks it to end."""
        with open(f"{work}/{label}.log", "w") as log:
            self.procs[label] = subprocess.Popen(
                sipp_tools.sipp_command(sip, port, *args, "-trace_stat", "-stf",
                                        f"{work}/{label}.csv", "-fd", "1", "-trace_err",
                                        "-error_file", f"{work}/{label}-errors.log"),
                stdout=log, stderr=subprocess.STDOUT, cwd=work)
        time.sleep(0.5)
        if self.procs[label].poll() is not None:
            sys.exit(f"run-api: sipp {label} exited at once; see {work}/{label}.log")

    def kill(self):
        """At exit: whatever of the load still runs (a step failed) is killed, not left behind
        calling a daemon that is gone."""
        for proc in (*self.procs.values(), getattr(self, "sink", None)):
            if proc is not None and proc.returncode is None and proc.poll() is None:
                proc.kill()
                proc.wait()

    def processes(self):
        """The pids of the phone, both callers and the sink."""
        return [str(p.pid) for p in (*self.procs.values(), self.sink)]

    def stop(self):
        """Stops placing calls (SIGUSR1: sipp lets its calls end, writes its statistics and
        exits), waits for the daemon's calls to end, then stops the phone and the sink. Returns
        {label: (successful, failed)} of both callers and the RTP packets the sink heard."""
        for label in ("queued", "prompt"):
            self.procs[label].send_signal(signal.SIGUSR1)
        for label in ("queued", "prompt"):
            finish(self.procs[label], 60)
        wait_until(lambda: metrics().get("callcenterd_calls_active", 0) == 0, 60)
        self.procs["uas"].send_signal(signal.SIGUSR1)
        finish(self.procs["uas"], 10)
        self.sink.stdin.write("quit\n")
        self.sink.stdin.close()
        summary = next((line for line in self.sink.stdout.read().splitlines()
                        if line.startswith("summary")), "summary")
        self.sink.wait(30)
        heard = dict(w.split("=", 1) for w in summary.split()[1:] if "=" in w)
        return caller_counts(), float(heard.get("received", 0))


def caller_counts():
    """(successful, failed) calls so far of each caller sipp, from the statistics it writes
    every second: the callers' view, which the daemon's counters cannot give apart (it answers
    queued callers itself too, for music on hold)."""
    out = {}
    for label in ("queued", "prompt"):
        s = sipp_stats(f"{work}/{label}.csv")
        out[label] = (int(s.get("SuccessfulCall(C)", 0)), int(s.get("FailedCall(C)", 0)))
    return out


def pg_transactions():
    """Transactions the daemon's database has committed or rolled back so far. A read that went
    to PostgreSQL would add one per request; the call load's write-behind adds about a hundred
    a second here whatever the API does (the statistics lag by up to a second)."""
    out = subprocess.run(
        ["scripts/pg-cluster", "psql", f"{work}/pg", "-d", "callcenterd", "-At", "-c",
         "SELECT xact_commit + xact_rollback FROM pg_stat_database "
         "WHERE datname = current_database()"],
        capture_output=True, text=True, cwd=sipp_tools.ROOT)
    return int(out.stdout.strip() or 0)


def postgres_pids():
    """The private cluster's postmaster and its children (backends, writers). scripts/pg-cluster
    may keep the cluster elsewhere and say where in `location`."""
    home = f"{work}/pg"
    if os.path.exists(f"{home}/location"):
        with open(f"{home}/location") as f:
            home = f.read().strip()
    with open(f"{home}/data/postmaster.pid") as f:
        master = f.readline().strip()
    pids = [master]
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[1] == master:
                    pids.append(p)
        except OSError:
            pass
    return pids


def own_cpu():
    """CPU seconds so far of everything this benchmark runs: the daemon, its PostgreSQL, the
    sipps and the sink, this process and the children it has reaped (wrk, psql, the WebSocket
    client processes). The machine's CPU less this is someone else's: the cores are shared, and
    what others take shows in the figures."""
    total = 0.0
    for p in (pid, *postgres_pids(), *load.processes()):
        try:
            total += cpu_seconds(p)
        except OSError:
            pass
    t = os.times()
    return total + t.user + t.system + t.children_user + t.children_system


class Window:
    """The load over one measurement: queued calls the daemon bridged to an agent per second
    and callers who hung up still waiting in queue `bench` (each holds 500 ms), prompt calls
    sipp completed per second, calls sipp saw fail, calls up, PostgreSQL transactions, the
    daemon's CPU and what the rest of the machine used besides this benchmark (in % of one
    core)."""

    def __init__(self):
        self.m0, self.c0, self.cpu0 = metrics(), caller_counts(), cpu_seconds(pid)
        self.tx0 = pg_transactions()
        self.busy0, self.own0, self.t0 = machine_busy(), own_cpu(), time.monotonic()

    def close(self):
        m1, c1, tx1 = metrics(), caller_counts(), pg_transactions()
        wall = time.monotonic() - self.t0
        abandoned = 'callcenterd_queue_abandoned_today{queue="bench"}'
        return {"bridged": (sipp_tools.outcome(m1, "bridged")
                            - sipp_tools.outcome(self.m0, "bridged")) / wall,
                "abandoned": m1.get(abandoned, 0) - self.m0.get(abandoned, 0),
                "prompt": (c1["prompt"][0] - self.c0["prompt"][0]) / wall,
                "failed": sum(c1[k][1] - self.c0[k][1] for k in c1),
                "active": m1.get("callcenterd_calls_active", 0),
                "pg": (tx1 - self.tx0) / wall,
                "cpu": (cpu_seconds(pid) - self.cpu0) / wall,
                "other": ((machine_busy() - self.busy0) - (own_cpu() - self.own0)) / wall}


def load_columns(w):
    return (f"{w['bridged']:,.0f}", f"{w['abandoned']:,.0f}", f"{w['prompt']:,.0f}",
            f"{w['failed']:,.0f}", f"{w['active']:,.0f}", f"{w['pg']:,.0f}",
            f"{100 * w['cpu']:.0f}%", f"{100 * max(w['other'], 0):.0f}%")


LOAD_HEADER = ("queued bridged/s", "abandoned in queue", "prompt calls ok/s", "sipp failed",
               "calls up", "PostgreSQL tx/s", "daemon CPU", "other CPU")


def ms(figures, key):
    return f"{figures[key]:.2f}"


def paced_step(token, path):
    window = Window()
    r = api_load.paced_reads(http, token, path, read_rate, seconds)
    load = window.close()
    due, sent = r["from_due"], r["service"]
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
    row = (f"GET {path}", f"{r['requests']:,} ({statuses})", f"{r['rate']:.1f}",
           f"{r['bytes']:,}", f"{ms(due, 'p50')} / {ms(due, 'p99')} / {ms(due, 'max')}",
           f"{ms(sent, 'p50')} / {ms(sent, 'p99')} / {ms(sent, 'max')}", r["sent_late"],
           *load_columns(load))
    print(" | ".join(str(x) for x in row), flush=True)
    return r


def ceiling_step(token, path):
    window = Window()
    r = api_load.ceiling(http, token, path, seconds, wrk_connections)
    load = window.close()
    row = (f"GET {path}", f"{r['rate']:,.0f}",
           " / ".join(f"{r.get(k, float('nan')):.2f}" for k in ("p50", "p90", "p99", "max")),
           r["non_2xx"], r["socket_errors"] or "none", *load_columns(load))
    print(" | ".join(str(x) for x in row), flush=True)
    return r


def fan_out_step(admin, reader):
    window = Window()
    r = api_load.fan_out(http, admin, reader, subscribers, ws_processes, changes, "4001", "watch",
                         change_gap)
    load = window.close()
    none = {"p50": float("nan"), "p99": float("nan"), "max": float("nan"), "count": 0}
    d, first, last = (r[k] or none for k in ("delays", "first", "last"))
    row = (r["subscribers"], r["changes"], f"{d['count']:,}", r["missing"], r["closed"],
           f"{d['p50']:.2f} / {d['p99']:.2f} / {d['max']:.2f}",
           f"{first['p50']:.2f} / {first['p99']:.2f}", f"{last['p50']:.2f} / {last['p99']:.2f}",
           f"{r['messages_per_s']:,.0f} ({r['bytes_per_s'] / 1e6:.1f} MB/s)",
           f"{100 * r['client_cpu']:.0f}%", *load_columns(load))
    print(" | ".join(str(x) for x in row), flush=True)
    return r


def verdict(met):
    return "met" if met else "NOT met"


def accounts_loaded():
    """The daemon is up and has read the demo's SIP accounts (it may not listen yet)."""
    try:
        return metrics().get("callcenterd_sip_accounts", 0) >= 5
    except OSError:
        return False


if not wait_until(accounts_loaded, 30):
    sys.exit("run-api: the daemon did not load the demo accounts; see its log")
wait_for_quiet(pid, 90)
print(f"== load: {queued_rate}/s queued calls to DID 8100 (sipp -sn uac -d 500; {agents} agents "
      f"on one sipp -sn uas registered as {phone}) = half the queued-calls target of 500/s; "
      f"{prompt_rate}/s calls to DID 8090 (bench/sipp/prompt_caller.xml: answered, 1 s prompt, "
      "RTP to one rtp_load sink) = half the media target of 1,000/s", flush=True)
load = CallLoad()
atexit.register(load.kill)
load.start()
time.sleep(5)  # every kind of call past its first seconds: prompts ending as fast as they start
steady = Window()
time.sleep(3)
print("== load up: " + "; ".join(f"{k} {v}" for k, v in zip(LOAD_HEADER,
                                                          load_columns(steady.close()))))

def settle():
    """After a step that saturated the machine: waits until no caller waits in queue `bench`
    for 3 s running (or 60 s pass), so the next step starts on the load it is meant to see."""
    waiting = 'callcenterd_queue_waiting{queue="bench"}'
    deadline, calm = time.monotonic() + 60, 0
    while time.monotonic() < deadline and calm < 3:
        calm = calm + 1 if metrics().get(waiting, 0) < 10 else 0
        time.sleep(1)


admin = api_load.login(http, "admin", "demoadmin")
reader = api_load.login(http, "super", "demosuper")
paced, fanned, ceilings = {}, None, {}
if "reads" in steps:
    print(f"== paced reads ({time.strftime('%H:%M:%S')}): {read_rate} requests/s on one "
          f"keep-alive connection, admin's token, {seconds} s per route; latency = from when a "
          "request was due / from when it was sent, to its whole answer")
    print(" | ".join(("route", "requests (status: count)", "achieved/s", "body bytes",
                      "from due p50 / p99 / max ms", "from send p50 / p99 / max ms",
                      "sent >1 ms late", *LOAD_HEADER)))
    paced = {path: paced_step(admin, path) for path in ("/api/v1/queues", "/api/v1/agents")}

if "ws" in steps:
    print(f"== WebSocket ({time.strftime('%H:%M:%S')}): {subscribers} subscribers of topic "
          f"queues (supervisor's token, {ws_processes} client processes); {changes} changes of "
          f"agent 4001 (alone in queue watch) ready <-> not_ready by POST, {change_gap} s apart; "
          "delay = POST about to be sent -> the first queue message showing the new ready "
          "count, per subscriber")
    print(" | ".join(("subscribers", "changes", "deliveries", "missing", "closed",
                      "delay p50 / p99 / max ms", "first subscriber p50 / p99 ms",
                      "last subscriber p50 / p99 ms", "messages/s to all clients", "client CPU",
                      *LOAD_HEADER)))
    fanned = fan_out_step(admin, reader)

if "ceiling" in steps:
    # Last: wrk takes all it can of the two cores the load shares, and can upset the load.
    print(f"== ceiling ({time.strftime('%H:%M:%S')}): wrk -t1 -c{wrk_connections} "
          f"-d{seconds}s --latency -H 'Authorization: Bearer <admin token>'")
    print(" | ".join(("route", "requests/s", "p50 / p90 / p99 / max ms", "non-2xx",
                      "socket errors", *LOAD_HEADER)))
    for path in ("/api/v1/queues", "/api/v1/agents"):
        settle()
        ceilings[path] = ceiling_step(admin, path)

calls, heard = load.stop()
print("== call load over the whole run: "
      f"queued {calls['queued'][0]:,} ok / {calls['queued'][1]:,} failed; "
      f"prompt {calls['prompt'][0]:,} ok / {calls['prompt'][1]:,} failed, "
      f"{heard / max(calls['prompt'][0], 1):.1f} RTP packets heard per prompt call")
for label in ("queued", "prompt"):
    for line in first_errors(f"{work}/{label}-errors.log"):
        print(f"   {label}: {line[:150]}")
print(f"== daemon memory: VmHWM {status(pid, 'VmHWM') / 1024:.0f} MB")

for path, r in paced.items():
    p99 = r["from_due"]["p99"]
    ceiling_text = f"; ceiling {ceilings[path]['rate']:,.0f}/s" if path in ceilings else ""
    print(f"== target GET {path} p99 < 10 ms at {read_rate}/s: {verdict(p99 < 10)} (p99 "
          f"{p99:.2f} ms from due, {r['rate']:.0f}/s achieved){ceiling_text}")
if fanned is not None:
    delay_p99 = fanned["delays"]["p99"] if fanned["delays"] else float("inf")
    print(f"== target WebSocket p99 < 100 ms to {subscribers} subscribers: "
          f"{verdict(delay_p99 < 100 and fanned['missing'] == 0)} (p99 {delay_p99:.2f} ms, "
          f"{fanned['missing']} missing)")
