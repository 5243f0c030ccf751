"""Steps of bench/run-sip-register: runs sipp at each rate against a started daemon and prints
one table row per step from sipp's statistics, the daemon's /metrics and /proc.

  register_steps.py WORK HTTP_PORT SIP_PORT SIPP_PORT DAEMON_PID POSTMASTER_PID_FILE SECONDS
                    USERS RATE...

WORK holds register_bench.xml and users.csv and takes sipp's files; BENCH_PERF=1 or dwarf
profiles the daemon during the last step.
"""
import os, re, subprocess, sys, time

import sipp_tools
from proc_probe import (cpu_seconds, machine_busy, socket_drops, status, thread_cpu, tick,
                        udp_drops, wait_for_quiet, wait_until, live_transactions)

work, http, sip, sipp_port, pid, postmaster_pid_file = sys.argv[1:7]
seconds, users = int(sys.argv[7]), int(sys.argv[8])
rates = [int(r) for r in sys.argv[9:]]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
perf = os.environ.get("BENCH_PERF", "0")
perf = perf if perf in ("1", "dwarf") else ""


def metrics():
    return sipp_tools.metrics(http)


def reg(m, outcome):
    return m.get(f'callcenterd_sip_register_total{{outcome="{outcome}"}}', 0.0)


def pg_cpu():
    """CPU of the postmaster and its children (the daemon's pool connections among them)."""
    with open(postmaster_pid_file) as f:
        master = f.readline().strip()
    total = cpu_seconds(master)
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if fields[1] == master:
                total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def rtt_percentiles(pattern_dir):
    """p50 and p99 of response time 1 (first REGISTER to 200) from sipp's -trace_rtt file."""
    times = sorted(sipp_tools.response_times(pattern_dir).get("1", []))
    if not times:
        return "-"
    return f"{times[len(times) // 2]:.1f}/{times[int(len(times) * 0.99)]:.1f}"


def unexpected(path):
    """Status lines of the answers sipp did not expect, most frequent first."""
    counts, users = {}, set()
    try:
        with open(path, errors="replace") as f:
            for line in f:
                if found := re.search(r"while expecting .*received '(SIP/2.0 [^\r\n]*)", line):
                    counts[found.group(1)] = counts.get(found.group(1), 0) + 1
                elif found := re.match(r"To: <sip:([^@>]+)@", line):
                    users.add(found.group(1))
    except OSError:
        return "-"
    return (", ".join(f"{n} x {k}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1])[:4])
            + f"; {len(users)} extension(s): {' '.join(sorted(users)[:5])}")


def psql(sql):
    command = [os.path.join(root, "scripts", "pg-cluster"), "psql", f"{work}/pg",
               "-d", "callcenterd", "-Atc", sql]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def rows_written():
    psql("SELECT pg_stat_force_next_flush()")
    return int(psql("SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables "
                    "WHERE relname = 'sip_registrations'") or 0)


if not wait_until(lambda: metrics().get("callcenterd_sip_accounts", 0) >= users, 30):
    sys.exit("run-sip-register: the daemon did not load the accounts; see its log")
print(f"== daemon: {status(pid, 'Threads')} OS threads, {int(metrics()['callcenterd_sip_accounts'])} "
      f"SIP accounts")

header = ("target/s", "ok/s", "failed", "retrans", "p50/p99 ms", "daemon CPU", "CPU ms/REG",
          "sipp CPU", "PG CPU", "other CPU", "PG rows/s", "live txn", "RSS MB", "metrics",
          "UDP drops daemon/all")
print(" | ".join(header))
results = []
for i, rate in enumerate(rates):
    calls = rate * seconds
    wait_for_quiet(pid, 300)
    m0, d0, p0, w0, u0 = metrics(), cpu_seconds(pid), pg_cpu(), rows_written(), udp_drops()
    b0, s0, t0 = machine_busy(), socket_drops(sip), thread_cpu(pid)
    stat = f"{work}/stat-{rate}.csv"
    command = ["sipp", "-sf", f"{work}/register_bench.xml", f"127.0.0.1:{sip}",
               "-i", "127.0.0.1", "-p", sipp_port, "-t", "u1", "-inf", f"{work}/users.csv",
               "-r", str(rate), "-m", str(calls), "-buff_size", "4194304",
               "-timeout", f"{seconds + 60}s", "-timeout_error", "-nostdin",
               "-trace_stat", "-stf", stat, "-fd", "1", "-trace_rtt", "-rtt_freq", "1000",
               "-trace_err", "-error_file", f"{work}/errors-{rate}.log"]
    profile = None
    if perf and i == len(rates) - 1:
        graph = ["--call-graph", "dwarf,8192", "-F", "199"] if perf == "dwarf" else ["-F", "499"]
        profile = subprocess.Popen(["perf", "record", *graph, "-p", pid, "-o",
                                    f"{work}/perf.data"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    start = time.monotonic()
    with open(f"{work}/sipp-{rate}.log", "w") as log:
        sipp = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    peak_txn = peak_rss = 0
    next_sample = start
    while True:
        done, _, usage = os.wait4(sipp.pid, os.WNOHANG)
        if done:
            sipp_cpu = usage.ru_utime + usage.ru_stime
            break
        if time.monotonic() >= next_sample:
            next_sample += 1
            peak_txn = max(peak_txn, live_transactions(metrics()))
            peak_rss = max(peak_rss, status(pid, "VmRSS"))
        time.sleep(0.02)
    wall = time.monotonic() - start
    d1, p1, m1, b1, t1 = cpu_seconds(pid), pg_cpu(), metrics(), machine_busy(), thread_cpu(pid)
    if profile:
        profile.send_signal(2)
        profile.wait()
    # Timer J ends the step's transactions 32 s after their answers; their expiry is part of
    # what a registration costs, so CPU per REGISTER is counted until they are gone.
    wait_until(lambda: live_transactions(metrics()) == 0, 45)
    d2 = cpu_seconds(pid)
    time.sleep(1)  # the last write-behind batch
    w1 = rows_written()
    s = sipp_tools.sipp_stats(stat)
    elapsed = wall  # sipp's start to its exit, the answers to the last calls included
    ok, failed = int(s["SuccessfulCall(C)"]), int(s["FailedCall(C)"])
    retrans = int(s["Retransmissions(C)"])
    rtt = rtt_percentiles(work)
    ok_metric = reg(m1, "ok") - reg(m0, "ok")
    bad_metric = sum(reg(m1, o) - reg(m0, o) for o in ("auth_failed", "throttled", "rejected"))
    # Every call is challenged once (retransmissions are absorbed by the transaction layer).
    challenged = reg(m1, "challenged") - reg(m0, "challenged")
    agree = "agree" if ok_metric == ok and bad_metric == 0 and challenged == calls else (
        f"ok={ok_metric:.0f} challenged={challenged:.0f} "
        + " ".join(f"{o}={reg(m1, o) - reg(m0, o):.0f}" for o in
                   ("auth_failed", "throttled", "rejected")))
    row = (rate, f"{ok / elapsed:,.0f}", failed, retrans, rtt,
           f"{100 * (d1 - d0) / elapsed:.0f}%", f"{1000 * (d2 - d0) / max(ok, 1):.3f}",
           f"{100 * sipp_cpu / elapsed:.0f}%", f"{100 * (p1 - p0) / elapsed:.0f}%",
           f"{100 * ((b1 - b0) - (d1 - d0) - sipp_cpu - (p1 - p0)) / elapsed:.0f}%",
           f"{(w1 - w0) / elapsed:,.0f}", f"{peak_txn:,.0f}", f"{peak_rss / 1024:.0f}",
           agree, f"{socket_drops(sip) - s0}/{udp_drops() - u0}")
    print(" | ".join(str(x) for x in row), flush=True)
    results.append((rate, ok / elapsed, failed, retrans))
    busy_threads = sorted((t1[t] - t0.get(t, 0) for t in t1), reverse=True)
    print("   daemon threads, % of a core: "
          + " ".join(f"{100 * c / elapsed:.0f}" for c in busy_threads if c / elapsed >= 0.005))
    if failed:
        print(f"   unexpected answers: {unexpected(f'{work}/errors-{rate}.log')}")
    if failed or ok / elapsed < 0.95 * rate:
        break


def highest(rows):
    return f"{max(r[0] for r in rows)}/s" if rows else "none"


clean = [r for r in results if r[2] == 0 and r[1] >= 0.95 * r[0]]
print(f"== highest target rate kept (achieved within 5%) with 0 failed calls: {highest(clean)}; "
      f"also without a retransmission: {highest([r for r in clean if r[3] == 0])}")
print(f"== daemon memory: VmHWM {status(pid, 'VmHWM') / 1024:.0f} MB, "
      f"VmRSS {status(pid, 'VmRSS') / 1024:.0f} MB; "
      f"registrations in PostgreSQL: {psql('SELECT count(*) FROM sip_registrations')}")
with open(f"{work}/daemon.log") as f:
    warnings = [l for l in f if re.search(r"warn|error|critical", l, re.IGNORECASE)]
print(f"== daemon log: {len(warnings)} warning/error line(s)" +
      "".join(f"\n   {l.rstrip()}" for l in warnings[:5]))


def perf_report(title, *args):
    sipp_tools.print_perf_report(f"{work}/perf.data",
                                 f"(daemon, all threads, last step, {title})", *args, width=110)


if perf:
    perf_report("self time", "--no-children", "--percent-limit", "1", "--sort", "dso,symbol")
if perf == "dwarf":
    perf_report("time including callees", "--children", "--percent-limit", "4",
                "--sort", "symbol")
