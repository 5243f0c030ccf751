"""Steps of bench/run-queued-calls against a started daemon.

  queued_steps.py WORK HTTP_PORT SIP_PORT DAEMON_PID SECONDS AGENTS

1. Throughput: sipp's built-in `uac` calls DID 8100 (queue `bench`, AGENTS agents sharing
   extension 1002, which a sipp `uas` registers and answers) at rising rates (BENCH_RATES),
   holding each call 500 ms (-d 500) so that every caller is put through to an agent before it
   hangs up. A step is clean when no call failed, the daemon bridged every call (its
   callcenterd_calls_total{outcome="bridged"} grew by the calls placed) and the rate achieved is
   within 5% of the target.
2. Ready to INVITE: calls wait in queue `probe`, whose one agent (4001, extension 1003, a
   scripted phone) is logged out; BENCH_PROBES times the agent is set ready through the API
   and the time until the INVITE reaches the phone is taken (the HTTP request included); the
   phone declines (486), so the agent goes not ready and the call waits on for the next round.
"""
import json, os, statistics, subprocess, sys, time, urllib.request

import sipp_tools
from proc_probe import cpu_seconds, status, wait_for_quiet, wait_until
from sipp_tools import finish, first_errors, free_udp_port, reap, sipp_stats

sys.path.insert(0, os.path.join(sipp_tools.ROOT, "tests", "integration", "daemon"))
from sip_phone import UdpPhone  # noqa: E402  (the integration tests' scripted phone)

work, http, sip, pid = sys.argv[1:5]
seconds, agents = int(sys.argv[5]), int(sys.argv[6])
rates = [int(r) for r in os.environ.get("BENCH_RATES", "200 400 500 600 800").split()]
probes = int(os.environ.get("BENCH_PROBES", "200"))
phone = "1002"


def metrics():
    return sipp_tools.metrics(http)


def api(method, path, body=None, token=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{http}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def throughput_step(rate, phone_port):
    calls = rate * seconds
    label = f"queued-{rate}"
    wait_for_quiet(pid, 90)
    sipp_tools.register_phone(work, sip, phone_port, phone, "run-queued-calls")
    with open(f"{work}/uas-{label}.log", "w") as log:
        uas = subprocess.Popen(
            sipp_tools.sipp_command(sip, phone_port, "-sn", "uas", "-m", str(calls),
                                    "-buff_size", "4194304", "-timeout", f"{seconds + 90}s",
                                    "-trace_stat", "-stf", f"{work}/uas-{label}.csv", "-fd", "1"),
            stdout=log, stderr=subprocess.STDOUT, cwd=work)
    time.sleep(0.5)
    m0, d0 = metrics(), cpu_seconds(pid)
    start = time.monotonic()
    with open(f"{work}/uac-{label}.log", "w") as log:
        uac = subprocess.Popen(
            sipp_tools.sipp_command(sip, free_udp_port(), "-sn", "uac", "-s", "8100", "-r",
                                    str(rate), "-d", "500", "-m", str(calls), "-buff_size",
                                    "4194304", "-timeout", f"{seconds + 60}s", "-timeout_error",
                                    "-trace_stat", "-stf", f"{work}/uac-{label}.csv", "-fd", "1",
                                    "-trace_err", "-error_file", f"{work}/uac-errors-{label}.log"),
            stdout=log, stderr=subprocess.STDOUT, cwd=work)
    peak = {"active": 0.0, "waiting": 0.0, "rss": 0}
    # (time, bridged so far) samples: the rate is taken from the first bridged call to the
    # last, so neither sipp's start nor the last calls' hold time dilutes it.
    samples = []
    while reap(uac) is None:
        m = metrics()
        samples.append((time.monotonic(), sipp_tools.outcome(m, "bridged")))
        peak["active"] = max(peak["active"], m.get("callcenterd_calls_active", 0))
        peak["waiting"] = max(peak["waiting"],
                              m.get('callcenterd_queue_waiting{queue="bench"}', 0))
        peak["rss"] = max(peak["rss"], status(pid, "VmRSS"))
        time.sleep(0.25)
    wall = time.monotonic() - start
    d1 = cpu_seconds(pid)
    finish(uas, 15)
    wait_until(lambda: metrics().get("callcenterd_calls_active", 0) == 0, 75)
    m1 = metrics()
    s = sipp_stats(f"{work}/uac-{label}.csv")
    ok, failed = int(s.get("SuccessfulCall(C)", 0)), int(s.get("FailedCall(C)", 0))
    bridged = sipp_tools.outcome(m1, "bridged") - sipp_tools.outcome(m0, "bridged")
    base = sipp_tools.outcome(m0, "bridged")
    moving = [(t, b) for t, b in samples if base < b < base + bridged]
    span = moving[-1][0] - moving[0][0] if len(moving) > 1 else wall
    achieved = (moving[-1][1] - moving[0][1]) / span if len(moving) > 1 else bridged / wall
    row = (f"{rate:,}", f"{achieved:,.0f}", f"{bridged:,.0f}/{calls:,}", failed,
           f"{100 * (d1 - d0) / wall:.0f}%", f"{1000 * (d1 - d0) / max(bridged, 1):.3f}",
           f"{peak['active']:,.0f}", f"{peak['waiting']:,.0f}", f"{peak['rss'] / 1024:.0f}")
    print(" | ".join(str(x) for x in row), flush=True)
    for line in first_errors(f"{work}/uac-errors-{label}.log"):
        print(f"   uac: {line[:150]}")
    clean = failed == 0 and bridged == calls and ok == calls and achieved >= 0.95 * rate
    return clean


def ready_to_invite():
    """Latencies (ms) from the API request that makes agent 4001 ready to the INVITE at its
    phone, while calls wait in queue `probe`."""
    prober = UdpPhone(int(sip), "1003", "demo1003")
    if prober.register() != 200:
        sys.exit("run-queued-calls: the probe phone could not register")
    waiting = subprocess.Popen(
        sipp_tools.sipp_command(sip, free_udp_port(), "-sn", "uac", "-s", "8101", "-r", "10",
                                "-d", "600000", "-m", "3", "-timeout", "700s"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
    try:
        if not wait_until(lambda: metrics().get('callcenterd_queue_waiting{queue="probe"}', 0)
                          == 3, 30):
            sys.exit("run-queued-calls: the probe calls did not queue")
        token = api("POST", "/api/v1/auth/login",
                    {"username": "admin", "password": "demoadmin"})["token"]
        times = []
        for _ in range(probes):
            started = time.monotonic()
            api("POST", "/api/v1/agents/4001/state", {"state": "ready"}, token)
            invite = prober.next_request("INVITE", timeout=10)
            times.append(1000 * (time.monotonic() - started))
            prober._reply(invite, 486, "Busy Here", to_tag="probe")
            prober.next_request("ACK")
            # Declined: the agent is not ready (declined) until the next round.
            wait_until(lambda: api("GET", "/api/v1/agents/4001", token=token)["state"]
                       == "not_ready", 5)
        return times
    finally:
        waiting.kill()
        waiting.wait()
        prober.close()


def accounts_loaded():
    try:
        return metrics().get("callcenterd_sip_accounts", 0) >= 5
    except OSError:
        return False


if not wait_until(accounts_loaded, 30):
    sys.exit("run-queued-calls: the daemon did not load the demo accounts; see its log")
phone_port = free_udp_port()
print(f"== queued: sipp -sn uac -s 8100 -d 500 over UDP; {agents} agents, one sipp -sn uas "
      f"registered as {phone} answering every offer")
print(" | ".join(("target/s", "bridged/s", "bridged/placed", "failed", "daemon CPU",
                  "CPU ms/call", "active calls", "waiting (peak)", "RSS MB")))
best = None
for rate in rates:
    if not throughput_step(rate, phone_port):
        break
    best = rate
print(f"== queued: highest target kept (every call bridged, within 5%): "
      f"{'none' if best is None else f'{best:,}/s'}")
times = sorted(ready_to_invite())
p = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
print(f"== ready to INVITE over {len(times)} rounds (HTTP request included): "
      f"p50 {p(0.50):.2f} ms, p99 {p(0.99):.2f} ms, max {times[-1]:.2f} ms, "
      f"mean {statistics.fmean(times):.2f} ms")
print(f"== daemon memory: VmHWM {status(pid, 'VmHWM') / 1024:.0f} MB")
