"""Steps of bench/run-media against a started daemon, one table row per step.

  media_steps.py WORK HTTP_PORT SIP_PORT DAEMON_PID RTP_LOAD SECONDS

Series (BENCH_MODES, default "prompt recorded"):
  prompt    sipp calls DID 8090 at each rate of BENCH_PROMPT_RATES for SECONDS s; the daemon
            answers, plays a one-second prompt and hangs up. One rtp_load stream takes the
            audio of every call and counts it.
  recorded  BENCH_RECORDED_CALLS calls at a time to DID 8091, bridged to extension 1002 (a
            sipp UAS) and recorded. sipp places them at BENCH_SETUP_RATE calls/s; rtp_load plays
            both legs of every call (a stream per leg, RTP both ways, 20 ms PCMU) and measures
            what each leg receives. Daemon CPU is measured over SECONDS s once every call is up.
  menu      BENCH_MENU_CALLS calls at a time to DID 8092, whose flow plays a menu (a recorded
            second and a spoken sentence), waits a second for a key and plays it again until the
            caller hangs up. rtp_load only receives: one stream per caller takes its prompts.
            Daemon CPU, RTP received and flow steps are measured over SECONDS s with all up.
Each step waits until the shared machine is nearly idle. WORK takes sipp's and rtp_load's
files.
"""
import os, re, subprocess, sys, threading, time

import sipp_tools
from proc_probe import (cpu_seconds, machine_busy, socket_drops, status, sys_seconds, thread_cpu,
                        udp_drops, wait_for_quiet, wait_until)
from sipp_tools import finish, first_errors, free_udp_port, reap, sipp_stats

work, http, sip, pid, rtp_load = sys.argv[1:6]
seconds = int(sys.argv[6])
modes = os.environ.get("BENCH_MODES", "prompt recorded menu").split()
prompt_rates = [int(r) for r in os.environ.get("BENCH_PROMPT_RATES",
                                               "250 500 1000 1200 1500").split()]
recorded_calls = [int(n) for n in os.environ.get("BENCH_RECORDED_CALLS",
                                                 "250 500 1000").split()]
menu_calls = [int(n) for n in os.environ.get("BENCH_MENU_CALLS", "250 500 1000").split()]
setup_rate = int(os.environ.get("BENCH_SETUP_RATE", "100"))
profile = os.environ.get("BENCH_PROFILE", "")
here = os.path.dirname(os.path.abspath(__file__))
phone = "1002"
# The phone keeps one port for the whole run, so each step's REGISTER refreshes one binding;
# it lies outside the daemon's RTP range (10000-39999) and rtp_load's (40000-59999), which
# could otherwise take it while the phone's sipp is not running.
phone_port = free_udp_port(60000, 60999)


def metrics():
    return sipp_tools.metrics(http)


def calls_active():
    return metrics().get("callcenterd_calls_active", 0)


def sipp(port, *args):
    return sipp_tools.sipp_command(sip, port, *args)


class RtpLoadRefused(Exception):
    pass


class RtpLoad:
    """rtp_load driven over its stdin, one reply line per command (bench/rtp_load/README.md)."""

    def __init__(self, label, *args):
        self.proc = subprocess.Popen(
            [rtp_load, "--ports", "40000-59999", "--report", f"{work}/rtp-{label}.json", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(f"{work}/rtp-{label}.log",
                                                                       "w"),
            text=True, bufsize=1)
        self.lock = threading.Lock()

    def command(self, line):
        return self.batch([line])[0]

    def batch(self, lines):
        """Many commands at once, their replies in order; RtpLoadRefused if one is refused."""
        with self.lock:
            self.proc.stdin.write("".join(line + "\n" for line in lines))
            replies = [self.proc.stdout.readline().split() for _ in lines]
        for line, reply in zip(lines, replies):
            if not reply or reply[0] == "error":
                raise RtpLoadRefused(f"rtp_load refused '{line}': {' '.join(reply)}")
        return replies

    def stats(self):
        return figures(self.command("stats"))

    def quit(self):
        """Stops sending, drains, and returns the final summary and rtp_load's CPU seconds."""
        with self.lock:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            lines = self.proc.stdout.read().splitlines()
        cpu = reap(self.proc, 30)
        summary = next((l for l in lines if l.startswith("summary")), "summary")
        return figures(summary.split()), cpu or 0.0


def figures(words):
    out = {}
    for word in words[1:]:
        key, _, value = word.partition("=")
        try:
            out[key] = float(value)
        except ValueError:
            pass
    return out


def prompt_step(rate):
    calls = rate * seconds
    label = f"prompt-{rate}"
    wait_for_quiet(pid, 90)
    sink = RtpLoad(label, "--no-verify")
    sink_port = sink.command("open sink auto")[2]
    m0, d0, k0, b0 = metrics(), cpu_seconds(pid), sys_seconds(pid), machine_busy()
    u0 = udp_drops()
    command = sipp(free_udp_port(), "-sf", f"{here}/prompt_caller.xml", "-s", "8090",
                   "-key", "sink_port", sink_port, "-r", str(rate), "-m", str(calls),
                   "-l", str(rate * 10), "-buff_size", "4194304",
                   "-timeout", f"{seconds + 60}s", "-timeout_error",
                   "-trace_stat", "-stf", f"{work}/{label}.csv", "-fd", "1",
                   "-trace_rtt", "-rtt_freq", "1", "-trace_err",
                   "-error_file", f"{work}/{label}-errors.log")
    start = time.monotonic()
    peak = {"active": 0, "rss": 0}
    with open(f"{work}/{label}.log", "w") as log:
        uac = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    next_sample = start
    while (sipp_cpu := reap(uac)) is None:
        if time.monotonic() >= next_sample:
            next_sample += 1
            peak["active"] = max(peak["active"], calls_active())
            peak["rss"] = max(peak["rss"], status(pid, "VmRSS"))
        time.sleep(0.02)
    wall = time.monotonic() - start
    d1, k1, b1 = cpu_seconds(pid), sys_seconds(pid), machine_busy()
    wait_until(lambda: calls_active() == 0, 60)
    sink_drops = socket_drops(sink_port)  # before quit() closes the socket
    heard, gen_cpu = sink.quit()
    m1 = metrics()
    s = sipp_stats(f"{work}/{label}.csv")
    ok, failed = int(s.get("SuccessfulCall(C)", 0)), int(s.get("FailedCall(C)", 0))
    retrans = int(s.get("Retransmissions(C)", 0))
    times = sipp_tools.response_times(work)
    answered = (sipp_tools.outcome(m1, "answered_locally")
                - sipp_tools.outcome(m0, "answered_locally"))
    # sipp exits when its last call ends, a prompt after the last INVITE: the rate at which
    # calls were placed and answered leaves that tail out.
    prompt = sorted(times.get("prompt", [0]))
    placing = wall - prompt[len(prompt) // 2] / 1000
    row = (f"{rate:,}", f"{ok / placing:,.0f}", failed, retrans,
           sipp_tools.percentiles(times.get("answer", [])),
           sipp_tools.percentiles(times.get("prompt", [])),
           f"{100 * (d1 - d0) / wall:.0f}% ({100 * (k1 - k0) / wall:.0f}%)",
           f"{1000 * (d1 - d0) / max(ok, 1):.3f}", f"{100 * sipp_cpu / wall:.0f}%",
           f"{100 * gen_cpu / wall:.0f}%",
           f"{100 * ((b1 - b0) - (d1 - d0) - sipp_cpu - gen_cpu) / wall:.0f}%",
           f"{heard.get('received', 0) / max(ok, 1):.1f}", f"{peak['active']:,.0f}",
           f"{peak['rss'] / 1024:.0f}", f"{answered:.0f}",
           f"{sink_drops}/{udp_drops() - u0}")
    print(" | ".join(str(x) for x in row), flush=True)
    for line in first_errors(f"{work}/{label}-errors.log"):
        print(f"   sipp: {line[:150]}")
    return rate, ok / placing, failed


class LegStarter(threading.Thread):
    """Follows a sipp log of "leg ID PORT" lines and starts each stream toward the daemon's
    port, as the answer to that leg arrives."""

    def __init__(self, path, rtp):
        super().__init__(daemon=True)
        self.path, self.rtp, self.started, self.running = path, rtp, 0, True
        self.error = None

    def run(self):
        while not os.path.exists(self.path) and self.running:
            time.sleep(0.05)
        with open(self.path) as f:
            pending = ""
            while self.running:
                chunk = f.read()
                if not chunk:
                    time.sleep(0.02)
                    continue
                pending += chunk
                *lines, pending = pending.split("\n")
                commands = []
                for line in lines:
                    found = re.search(r"leg (\S+) (\d+)", line)
                    if found:
                        commands.append(f"connect {found.group(1)} 127.0.0.1 {found.group(2)}")
                if commands:
                    try:
                        self.rtp.batch(commands)
                    except RtpLoadRefused as refused:
                        self.error, self.running = str(refused), False
                        return
                    self.started += len(commands)


def recordings():
    """(completed, failed, sum of completed durations in s) of the recordings' index."""
    out = subprocess.run(
        ["scripts/pg-cluster", "psql", f"{work}/pg", "-d", "callcenterd", "-At", "-c",
         "SELECT status, count(*), coalesce(sum(duration_ms), 0) FROM recordings GROUP BY status"],
        capture_output=True, text=True, cwd=sipp_tools.ROOT)
    rows = {r.split("|")[0]: r.split("|")[1:] for r in out.stdout.split()}
    done = rows.get("completed", ["0", "0"])
    return int(done[0]), int(rows.get("failed", ["0"])[0]), int(done[1]) / 1000


def disk_written(p):
    with open(f"/proc/{p}/io") as f:
        return int(next(l for l in f if l.startswith("write_bytes")).split()[1])


def recorded_step(calls, index):
    # Each step its own files: a repeated size must not read the legs of an earlier step.
    label = f"recorded-{index}-{calls}"
    wait_for_quiet(pid, 90)
    before = recordings()
    rtp = RtpLoad(label, "--drain-ms", "300")
    legs = [f"c{i}" for i in range(calls)] + [f"a{i}" for i in range(calls)]
    ports = {r[1]: r[2] for r in rtp.batch([f"open {leg} auto" for leg in legs])}
    for side, name in (("c", "caller"), ("a", "agent")):
        with open(f"{work}/{label}-{name}.csv", "w") as f:
            f.write("SEQUENTIAL\n")
            f.writelines(f"{side}{i};{ports[f'{side}{i}']}\n" for i in range(calls))
    setup = calls / setup_rate
    hold_ms = int(1000 * (setup + 20 + seconds))
    sipp_tools.register_phone(work, sip, phone_port, phone, "run-media")
    logs = []
    procs = []
    for name, scenario, args in (
            ("agent", "bridged_agent.xml", ["-m", str(calls)]),
            ("caller", "bridged_caller.xml",
             ["-s", "8091", "-r", str(setup_rate), "-m", str(calls), "-l", str(calls),
              "-d", str(hold_ms), "-trace_rtt", "-rtt_freq", "1"])):
        log = f"{work}/{label}-{name}-legs.log"
        logs.append(log)
        port = phone_port if name == "agent" else free_udp_port()
        with open(f"{work}/{label}-{name}.out", "w") as out:
            procs.append(subprocess.Popen(
                sipp(port, "-sf", f"{here}/{scenario}", "-inf", f"{work}/{label}-{name}.csv",
                     "-buff_size", "4194304", "-timeout", f"{hold_ms // 1000 + 120}s",
                     "-trace_logs", "-log_file", log, "-trace_stat",
                     "-stf", f"{work}/{label}-{name}.stat.csv", "-fd", "1", "-trace_err",
                     "-error_file", f"{work}/{label}-{name}-errors.log", *args),
                stdout=out, stderr=subprocess.STDOUT, cwd=work))
        if name == "agent":
            time.sleep(0.5)
    starters = [LegStarter(log, rtp) for log in logs]
    for s in starters:
        s.start()
    up = wait_until(lambda: sum(s.started for s in starters) >= 2 * calls, setup + 30)
    started = sum(s.started for s in starters)
    time.sleep(5)  # every leg latched and sending
    m0, d0, k0, b0, t0 = metrics(), cpu_seconds(pid), sys_seconds(pid), machine_busy(), \
        thread_cpu(pid)
    g0, w0, u0, r0 = cpu_seconds(rtp.proc.pid), disk_written(pid), udp_drops(), rtp.stats()
    began = time.monotonic()  # the window: perf's exit may stretch it past `seconds`
    recorder = None
    if profile == "perf":
        recorder = subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-F", "999", "-g", "-p",
                                     pid, "-o", f"{work}/perf-{label}.data", "--", "sleep",
                                     str(seconds)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    if recorder:
        recorder.wait()
    d1, k1, b1, t1 = cpu_seconds(pid), sys_seconds(pid), machine_busy(), thread_cpu(pid)
    window = time.monotonic() - began
    g1, w1, u1, r1, m1 = cpu_seconds(rtp.proc.pid), disk_written(pid), udp_drops(), rtp.stats(), \
        metrics()
    rss = status(pid, "VmRSS")
    for s in starters:
        s.running = False
    summary, _ = rtp.quit()
    sipp_cpu = sum(finish(p, hold_ms / 1000 + 60) for p in procs)
    wait_until(lambda: calls_active() == 0, 60)
    wait_until(lambda: sum(recordings()[:2]) - sum(before[:2]) >= calls, 30)
    completed, failed_recordings, recorded_s = (
        now - then for now, then in zip(recordings(), before))
    caller = sipp_stats(f"{work}/{label}-caller.stat.csv")
    ok, failed = int(caller.get("SuccessfulCall(C)", 0)), int(caller.get("FailedCall(C)", 0))
    window_sent = r1.get("sent", 0) - r0.get("sent", 0)
    window_received = r1.get("received", 0) - r0.get("received", 0)
    daemon = d1 - d0
    row = (f"{calls:,}", f"{started // 2:,}", f"{ok}/{failed}",
           f"{100 * daemon / window:.0f}% ({100 * (k1 - k0) / window:.0f}%)",
           f"{1000 * daemon / (calls * window):.3f}",
           f"{100 * (g1 - g0) / window:.0f}%",
           f"{100 * ((b1 - b0) - daemon - (g1 - g0)) / window:.0f}%",
           f"{window_received / window:,.0f}/{window_sent / window:,.0f}",
           f"{summary.get('loss_pct', 0):.4f}", f"{summary.get('jitter_p99_ms', 0):.2f}",
           f"{summary.get('max_gap_ms', 0):.0f}", f"{summary.get('latency_p99_ms', 0):.2f}",
           f"{(w1 - w0) / window / 1e6:.1f}", f"{completed}/{failed_recordings}",
           f"{recorded_s / max(completed, 1):.1f}", f"{rss / 1024:.0f}", u1 - u0)
    print(" | ".join(str(x) for x in row), flush=True)
    busy = sorted((t1[t] - t0.get(t, 0) for t in t1), reverse=True)
    print("   daemon threads, % of a core: "
          + " ".join(f"{100 * c / window:.0f}" for c in busy if c / window >= 0.005))
    frames = m1.get("callcenterd_media_frames_skipped_total", 0) - \
        m0.get("callcenterd_media_frames_skipped_total", 0)
    print(f"   whole run: {summary.get('lost', 0):.0f} lost of {summary.get('expected', 0):.0f}, "
          f"{summary.get('gaps', 0):.0f} gaps, {summary.get('corrupt', 0):.0f} corrupt, "
          f"generator {summary.get('ticks_skipped', 0):.0f} ticks skipped; "
          f"daemon frames skipped {frames:.0f}")
    if not up:
        print(f"   only {started} of {2 * calls} legs came up")
    for s in starters:
        if s.error:
            print(f"   {s.error}")
    if recorder:
        sipp_tools.print_perf_report(f"{work}/perf-{label}.data",
                                     f"{label} (daemon, all threads, time including callees)",
                                     "--children", "--sort", "symbol", "--percent-limit", "3")
    for name in ("caller", "agent"):
        for line in first_errors(f"{work}/{label}-{name}-errors.log"):
            print(f"   {name}: {line[:150]}")
    return calls, ok, failed


def flow_steps():
    """ivr.step events in the database so far (written behind, within a second)."""
    out = subprocess.run(
        ["scripts/pg-cluster", "psql", f"{work}/pg", "-d", "callcenterd", "-At", "-c",
         "SELECT count(*) FROM events WHERE kind = 'ivr.step'"],
        capture_output=True, text=True, cwd=sipp_tools.ROOT)
    return int(out.stdout.strip() or 0)


def menu_step(calls, index):
    label = f"menu-{index}-{calls}"
    wait_for_quiet(pid, 90)
    rtp = RtpLoad(label, "--no-verify", "--drain-ms", "300")
    ports = {r[1]: r[2] for r in rtp.batch([f"open c{i} auto" for i in range(calls)])}
    with open(f"{work}/{label}-caller.csv", "w") as f:
        f.write("SEQUENTIAL\n")
        f.writelines(f"c{i};{ports[f'c{i}']}\n" for i in range(calls))
    setup = calls / setup_rate
    hold_ms = int(1000 * (setup + 15 + seconds))
    with open(f"{work}/{label}-caller.out", "w") as out:
        proc = subprocess.Popen(
            sipp(free_udp_port(), "-sf", f"{here}/bridged_caller.xml", "-inf",
                 f"{work}/{label}-caller.csv", "-s", "8092", "-r", str(setup_rate),
                 "-m", str(calls), "-l", str(calls), "-d", str(hold_ms), "-buff_size", "4194304",
                 "-timeout", f"{hold_ms // 1000 + 120}s", "-trace_stat",
                 "-stf", f"{work}/{label}-caller.stat.csv", "-fd", "1", "-trace_err",
                 "-error_file", f"{work}/{label}-caller-errors.log"),
            stdout=out, stderr=subprocess.STDOUT, cwd=work)
    up = wait_until(lambda: calls_active() >= calls, setup + 30)
    time.sleep(5)  # every caller past its first prompt's speech
    d0, k0, b0, g0 = cpu_seconds(pid), sys_seconds(pid), machine_busy(), \
        cpu_seconds(rtp.proc.pid)
    r0, s0, u0, t0 = rtp.stats(), flow_steps(), udp_drops(), thread_cpu(pid)
    began = time.monotonic()
    time.sleep(seconds)
    d1, k1, b1, g1 = cpu_seconds(pid), sys_seconds(pid), machine_busy(), \
        cpu_seconds(rtp.proc.pid)
    window = time.monotonic() - began
    r1, u1, t1 = rtp.stats(), udp_drops(), thread_cpu(pid)
    active = calls_active()
    rss = status(pid, "VmRSS")
    time.sleep(1.5)  # the window's steps reach the database
    s1 = flow_steps()
    rtp.quit()
    sipp_cpu = finish(proc, hold_ms / 1000 + 60)
    wait_until(lambda: calls_active() == 0, 60)
    caller = sipp_stats(f"{work}/{label}-caller.stat.csv")
    ok, failed = int(caller.get("SuccessfulCall(C)", 0)), int(caller.get("FailedCall(C)", 0))
    daemon = d1 - d0
    received = (r1.get("received", 0) - r0.get("received", 0)) / window
    row = (f"{calls:,}", f"{active:.0f}", f"{ok}/{failed}",
           f"{100 * daemon / window:.0f}% ({100 * (k1 - k0) / window:.0f}%)",
           f"{1000 * daemon / (calls * window):.3f}",
           f"{100 * (g1 - g0) / window:.0f}%",
           f"{100 * ((b1 - b0) - daemon - (g1 - g0)) / window:.0f}%",
           f"{received:,.0f} ({received / (50 * calls):.1%})",
           f"{(s1 - s0) / window:,.0f}", f"{rss / 1024:.0f}", u1 - u0)
    print(" | ".join(str(x) for x in row), flush=True)
    busy = sorted((t1[t] - t0.get(t, 0) for t in t1), reverse=True)
    print("   daemon threads, % of a core: "
          + " ".join(f"{100 * c / window:.0f}" for c in busy if c / window >= 0.005)
          + f"; sipp CPU {sipp_cpu:.1f} s in all")
    if not up:
        print(f"   only {calls_active():.0f} of {calls} calls came up")
    for line in first_errors(f"{work}/{label}-caller-errors.log"):
        print(f"   caller: {line[:150]}")
    return calls, ok, failed


if not wait_until(lambda: metrics().get("callcenterd_sip_accounts", 0) >= 5, 30):
    sys.exit("run-media: the daemon did not load the demo accounts; see its log")
for mode in modes:
    if mode == "prompt":
        print("== prompt: sipp calls 8090 (answer, 1 s prompt, the daemon hangs up) over UDP; "
              f"{seconds} s per step")
        print(" | ".join(("target/s", "ok/s", "failed", "retrans", "INVITE→200 p50/p99 ms",
                          "200→BYE p50/p99 ms", "daemon CPU (sys)", "CPU ms/call", "sipp CPU",
                          "rtp_load CPU", "other CPU", "packets heard/call", "active calls",
                          "RSS MB", "answered", "UDP drops sink/all")))
        for rate in prompt_rates:
            rate, achieved, failed = prompt_step(rate)
            if failed or achieved < 0.95 * rate:
                break
    elif mode == "recorded":
        print(f"== recorded: N calls to 8091 bridged to {phone} and recorded, set up at "
              f"{setup_rate}/s; RTP both ways by rtp_load; measured over {seconds} s with all up")
        print(" | ".join(("calls", "up", "sipp ok/failed", "daemon CPU (sys)",
                          "CPU ms/call-s", "rtp_load CPU", "other CPU", "pkts/s rx/tx (rtp_load)",
                          "loss %", "jitter p99 ms", "max gap ms", "latency p99 ms",
                          "disk MB/s", "recordings ok/failed", "recorded s/call", "RSS MB",
                          "UDP drops")))
        for index, calls in enumerate(recorded_calls):
            recorded_step(calls, index)
    elif mode == "menu":
        print(f"== menu: N calls to 8092 (a looping menu flow), set up at {setup_rate}/s; the "
              f"callers only listen (rtp_load); measured over {seconds} s with all up")
        print(" | ".join(("calls", "active", "sipp ok/failed", "daemon CPU (sys)",
                          "CPU ms/call-s", "rtp_load CPU", "other CPU",
                          "RTP pkts/s heard (of 50/call)", "flow steps/s", "RSS MB",
                          "UDP drops")))
        for index, calls in enumerate(menu_calls):
            menu_step(calls, index)
    else:
        sys.exit(f"run-media: unknown mode {mode}")
print(f"== daemon memory: VmHWM {status(pid, 'VmHWM') / 1024:.0f} MB")
with open(f"{work}/daemon.log", errors="replace") as f:
    warnings = [l for l in f if re.search(r"warn|error|critical", l, re.IGNORECASE)]
print(f"== daemon log: {len(warnings)} warning/error line(s)"
      + "".join(f"\n   {l.rstrip()[:200]}" for l in warnings[:8]))
