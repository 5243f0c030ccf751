"""Steps of bench/run-sip-calls: sipp's built-in `uac` at rising rates against a started daemon,
one table row per step from sipp's statistics, the daemon's /metrics and /proc.

  calls_steps.py WORK HTTP_PORT SIP_PORT DAEMON_PID SECONDS

Series and rates come from the environment (BENCH_MODES, BENCH_RATES, BENCH_BRIDGED_RATES);
BENCH_PROFILE=perf or callgrind profiles every step and reports the last one of each series.
WORK takes sipp's files.
"""
import os, re, shutil, signal, subprocess, sys, time

import sipp_tools
from proc_probe import (cpu_seconds, machine_busy, socket_drops, status, sys_seconds, thread_cpu,
                        udp_drops, wait_for_quiet, wait_until, live_transactions)
from sipp_tools import finish, first_errors, free_udp_port, reap, shorten, sipp_stats

work, http, sip, pid = sys.argv[1:5]
seconds = int(sys.argv[5])
modes = os.environ.get("BENCH_MODES", "local bridged").split()
rates = {"local": os.environ.get("BENCH_RATES", "1000 2000 4000 6000 7000 8000 9000 10000"),
         "bridged": os.environ.get("BENCH_BRIDGED_RATES", "1000 2000 3000 3500 4000 5000")}
profile = os.environ.get("BENCH_PROFILE", "")
phone = "1002"
# What a clean step leaves in callcenterd_calls_total, beside "started" and "ended" (= calls).
answered = {"local": "answered_locally", "bridged": "bridged"}
other_outcomes = ("answered_locally", "bridged", "transferred", "failed", "refused_limit",
                  "refused_auth", "not_found")


def metrics():
    return sipp_tools.metrics(http)


def sipp_command(port, *args):
    return sipp_tools.sipp_command(sip, port, *args)


def start_profile(label):
    if profile == "perf":
        return subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-F", "499", "-g", "-p",
                                 pid, "-o", f"{work}/perf-{label}.data"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if profile == "callgrind":
        subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=True)
    return None


def stop_profile(label, recorder):
    if recorder:
        recorder.send_signal(signal.SIGINT)
        recorder.wait()
    if profile == "callgrind":
        before = set(os.listdir(work))
        subprocess.run(["callgrind_control", "-d", label, pid], capture_output=True)
        subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True)
        dumps = [n for n in set(os.listdir(work)) - before if n.startswith("callgrind.out")]
        if dumps:
            os.replace(os.path.join(work, dumps[0]), f"{work}/callgrind-{label}.out")


phone_port = free_udp_port()
calls_of = {}  # successful calls by step label


def step(mode, rate):
    calls = rate * seconds
    label = f"{mode}-{rate}"
    uac_port = free_udp_port()
    uas = None
    wait_for_quiet(pid, 90)
    if mode == "bridged":
        # Refreshed before every step (register_digest.xml asks for 600 s), always from the
        # same port: a second contact would make the 200 list two bindings, and a stale one
        # could be chosen for the calls.
        sipp_tools.register_phone(work, sip, phone_port, phone)
        with open(f"{work}/uas-{label}.log", "w") as log:
            uas = subprocess.Popen(
                sipp_command(phone_port, "-sn", "uas", "-m", str(calls), "-buff_size", "4194304",
                             "-timeout", f"{seconds + 90}s", "-trace_stat",
                             "-stf", f"{work}/uas-{label}.csv", "-fd", "1", "-trace_err",
                             "-error_file", f"{work}/uas-errors-{label}.log"),
                stdout=log, stderr=subprocess.STDOUT, cwd=work)
        time.sleep(0.5)
    service = "8000" if mode == "local" else phone
    m0, d0, k0, b0, t0 = metrics(), cpu_seconds(pid), sys_seconds(pid), machine_busy(), thread_cpu(pid)
    s0, u0 = socket_drops(sip), udp_drops()
    recorder = start_profile(label) if profile else None
    command = sipp_command(uac_port, "-sn", "uac", "-s", service, "-r", str(rate), "-d", "0",
                           "-m", str(calls), "-buff_size", "4194304",
                           "-timeout", f"{seconds + 60}s", "-timeout_error",
                           "-trace_stat", "-stf", f"{work}/uac-{label}.csv", "-fd", "1",
                           "-trace_rtt", "-rtt_freq", "1000", "-trace_err",
                           "-error_file", f"{work}/uac-errors-{label}.log")
    start = time.monotonic()
    with open(f"{work}/uac-{label}.log", "w") as log:
        uac = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    peak = {"txn": 0, "active": 0, "rss": 0}
    next_sample = start
    while (sipp_cpu := reap(uac)) is None:
        if time.monotonic() >= next_sample:
            next_sample += 1
            m = metrics()
            peak["txn"] = max(peak["txn"], live_transactions(m))
            peak["active"] = max(peak["active"], m.get("callcenterd_calls_active", 0))
            peak["rss"] = max(peak["rss"], status(pid, "VmRSS"))
        time.sleep(0.02)
    wall = time.monotonic() - start
    d1, k1, b1, t1 = cpu_seconds(pid), sys_seconds(pid), machine_busy(), thread_cpu(pid)
    stop_profile(label, recorder)
    if uas:
        sipp_cpu += finish(uas, 15)  # counted from its start, half a second before the caller's
    # A call whose ACK was lost ends when its 200 is given up (Timer H, 64*T1 = 32 s), and
    # completed transactions stay as long over UDP: their expiry is part of a call's cost.
    wait_until(lambda: metrics().get("callcenterd_calls_active", 0) == 0, 75)
    wait_until(lambda: live_transactions(metrics()) == 0, 45)
    d2, m1 = cpu_seconds(pid), metrics()
    left = m1.get("callcenterd_calls_active", 0)

    s = sipp_stats(f"{work}/uac-{label}.csv")
    ok, failed = int(s.get("SuccessfulCall(C)", 0)), int(s.get("FailedCall(C)", 0))
    calls_of[label] = ok
    retrans = int(s.get("Retransmissions(C)", 0))
    uas_s = sipp_stats(f"{work}/uas-{label}.csv") if uas else {}
    uas_cell = (f"{int(uas_s.get('SuccessfulCall(C)', 0))}/{int(uas_s.get('FailedCall(C)', 0))}"
                f"/{int(uas_s.get('Retransmissions(C)', 0))}" if uas else "-")
    delta = {o: sipp_tools.outcome(m1, o) - sipp_tools.outcome(m0, o)
             for o in ("started", "ended") + other_outcomes}
    expected = {o: 0 for o in other_outcomes}
    expected.update(started=calls, ended=calls)
    expected[answered[mode]] = ok
    wrong = {o: v for o, v in delta.items() if v != expected[o]}
    agree = "agree" if not wrong and ok + failed == calls else " ".join(
        f"{o}={v:.0f}" for o, v in delta.items() if v)
    elapsed = wall  # sipp's start to its exit, the answers to the last calls included
    row = (f"{rate:,}", f"{ok / elapsed:,.0f}", failed, retrans, uas_cell,
           sipp_tools.percentiles(sipp_tools.response_times(work).get("1", [])),
           f"{100 * (d1 - d0) / elapsed:.0f}% ({100 * (k1 - k0) / elapsed:.0f}%)",
           f"{1000 * (d1 - d0) / max(ok, 1):.3f}",
           f"{1000 * (d2 - d0) / max(ok, 1):.3f}", f"{100 * sipp_cpu / elapsed:.0f}%",
           f"{100 * ((b1 - b0) - (d1 - d0) - sipp_cpu) / elapsed:.0f}%",
           f"{peak['active']:,.0f}", f"{peak['txn']:,.0f}", f"{peak['rss'] / 1024:.0f}", agree,
           f"{socket_drops(sip) - s0}/{udp_drops() - u0}")
    print(" | ".join(str(x) for x in row), flush=True)
    busy = sorted((t1[t] - t0.get(t, 0) for t in t1), reverse=True)
    print("   daemon threads, % of a core: "
          + " ".join(f"{100 * c / elapsed:.0f}" for c in busy if c / elapsed >= 0.005))
    if left:
        print(f"   {left:.0f} call(s) still active {time.monotonic() - start - wall:.0f} s after "
              f"sipp's exit")
    for line in first_errors(f"{work}/uac-errors-{label}.log"):
        print(f"   uac: {line[:150]}")
    if uas:
        for line in first_errors(f"{work}/uas-errors-{label}.log"):
            print(f"   uas: {line[:150]}")
    return rate, ok / elapsed, failed, retrans


def report_profile(label):
    if profile == "perf":
        data = f"{work}/perf-{label}.data"
        for title, args in (("by object", ["--no-children", "--percent-limit", "1",
                                           "--sort", "dso"]),
                            ("self time", ["--no-children", "--percent-limit", "1.5",
                                           "--sort", "dso,symbol"]),
                            ("time including callees", ["--children", "--percent-limit", "4",
                                                        "--sort", "symbol"])):
            sipp_tools.print_perf_report(data, f"{label} (daemon, all threads, {title})", *args)
    elif profile == "callgrind":
        path = f"{work}/callgrind-{label}.out"
        if not os.path.exists(path):
            print(f"== callgrind {label}: no dump")
            return
        with open(path, errors="replace") as f:
            totals = next(int(l.split()[1]) for l in f if l.startswith("totals:"))
        print(f"== callgrind {label}: {totals / max(calls_of[label], 1):,.0f} instructions "
              f"per call")
        for title, inclusive in (("self", "no"), ("inclusive", "yes")):
            out = subprocess.run(["callgrind_annotate", f"--inclusive={inclusive}",
                                  "--threshold=100", path], capture_output=True, text=True).stdout
            print(f"== callgrind {label} (instructions, {title}, % of the step's total; top 25):")
            # A dump after the first splits functions that were running across it (the event
            # loop, the pool threads): their inclusive counts wrap, and the summary that
            # callgrind_annotate divides by counts one part only. Percent of `totals` instead.
            rows = []
            for line in out.splitlines():
                found = re.match(r"\s*([0-9,]+) \([^)]*\)\s+(.*)", line)
                if found and "PROGRAM TOTALS" not in line:
                    cost = int(found.group(1).replace(",", ""))
                    if cost <= totals:
                        rows.append(f"{cost:>13,} {100 * cost / totals:5.1f}%  "
                                    + shorten(found.group(2)))
            for row in rows[:25]:
                print("  " + row[:150])
        shutil.copy(path, f"/tmp/callcenterd-bench-calls-{label}.callgrind")
        print(f"   (kept as /tmp/callcenterd-bench-calls-{label}.callgrind)")


def best(rows):
    if not rows:
        return "none"
    rate, achieved, _, retrans = max(rows)
    return f"{rate:,}/s ({achieved:,.0f}/s achieved, {retrans} retransmissions)"


def accounts_loaded():
    try:
        return metrics().get("callcenterd_sip_accounts", 0) >= 5
    except OSError:  # not listening yet
        return False


if not wait_until(accounts_loaded, 120 if profile == "callgrind" else 30):
    sys.exit("run-sip-calls: the daemon did not load the demo accounts; see its log")
header = ("target/s", "ok/s", "failed", "retrans", "uas ok/failed/retrans", "p50/p99 ms",
          "daemon CPU (sys)", "CPU ms/call", "incl. expiry", "sipp CPU", "other CPU",
          "active calls", "live txn", "RSS MB", "metrics", "UDP drops daemon/all")
for mode in modes:
    series = [int(r) for r in rates[mode].split()]
    print(f"== {mode}: sipp -sn uac -s {'8000' if mode == 'local' else phone} -d 0 over UDP"
          + (f"; sipp -sn uas registered as {phone}" if mode == "bridged" else ""))
    print(" | ".join(header))
    results = []
    for rate in series:
        results.append(step(mode, rate))
        if results[-1][2] or results[-1][1] < 0.95 * rate:
            break
    if profile:
        report_profile(f"{mode}-{results[-1][0]}")
    clean = [r for r in results if r[2] == 0 and r[1] >= 0.95 * r[0]]
    print(f"== {mode}: highest target kept (within 5%) with 0 failed calls: {best(clean)}; "
          f"also without a retransmission: {best([r for r in clean if r[3] == 0])}")
print(f"== daemon memory: VmHWM {status(pid, 'VmHWM') / 1024:.0f} MB, "
      f"VmRSS {status(pid, 'VmRSS') / 1024:.0f} MB")
with open(f"{work}/daemon.log", errors="replace") as f:
    warnings = [l for l in f if re.search(r"warn|error|critical", l, re.IGNORECASE)]
print(f"== daemon log: {len(warnings)} warning/error line(s)"
      + "".join(f"\n   {l.rstrip()[:200]}" for l in warnings[:8]))
