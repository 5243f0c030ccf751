"""What the bench step scripts share about sipp and the daemon: starting sipp against the
daemon, reading its statistics, response times and errors, reaping it with its CPU time, and
the daemon's /metrics, and perf reports of the daemon. Standard library only."""
import os, re, signal, socket, subprocess, sys, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_udp_port(low=0, high=0):
    """A UDP port free on 127.0.0.1 now: any the system picks, or the first of low..high."""
    for port in range(low, high + 1) if low else [0]:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return str(s.getsockname()[1])
    sys.exit(f"no free UDP port in {low}-{high}")


def metrics(http):
    """The daemon's /metrics as {series: value}."""
    body = urllib.request.urlopen(f"http://127.0.0.1:{http}/metrics", timeout=10).read().decode()
    out = {}
    for line in body.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            out[key] = float(value)
    return out


def outcome(m, name):
    """callcenterd_calls_total{outcome=name} from a metrics() snapshot."""
    return m.get(f'callcenterd_calls_total{{outcome="{name}"}}', 0.0)


def sipp_command(sip, port, *args):
    """sipp over UDP from 127.0.0.1:port to the daemon's SIP port."""
    return ["sipp", f"127.0.0.1:{sip}", "-i", "127.0.0.1", "-p", str(port), "-t", "u1",
            "-nostdin", *args]


def sipp_stats(path):
    """The last row of a -trace_stat file as {column: value}."""
    try:
        with open(path) as f:
            lines = [l.rstrip("\n").split(";") for l in f if l.strip()]
    except OSError:
        return {}
    return dict(zip(lines[0], lines[-1])) if len(lines) > 1 else {}


def response_times(work):
    """Every response time of the -trace_rtt files in `work` (renamed once read), by the
    name of its rtd (sipp's "1" for rtd="true")."""
    times = {}
    for name in os.listdir(work):
        if name.endswith("_rtt.csv"):
            with open(os.path.join(work, name)) as f:
                for line in f:
                    fields = line.strip().split(";")
                    try:
                        times.setdefault(fields[2], []).append(float(fields[1]))
                    except (IndexError, ValueError):
                        pass
            os.rename(os.path.join(work, name), os.path.join(work, name + ".read"))
    return times


def percentiles(times):
    """"p50/p99" of response times in ms (sipp measures in whole milliseconds)."""
    if not times:
        return "-"
    times = sorted(times)
    return "/".join(f"{t:.0f}" if t >= 1 else "<1"
                    for t in (times[len(times) // 2], times[int(len(times) * 0.99)]))


def first_errors(path, count=3):
    """The first lines of sipp's error file that say what went wrong."""
    try:
        with open(path, errors="replace") as f:
            lines = [l.strip() for l in f if re.search(r"Aborting|unexpected|expecting|failed",
                                                       l, re.IGNORECASE)]
    except OSError:
        return []
    return lines[:count]


def reap(proc, timeout=0.0):
    """CPU seconds of a child once it has exited (within `timeout`), else None."""
    deadline = time.monotonic() + timeout
    while True:
        done, code, usage = os.wait4(proc.pid, os.WNOHANG)
        if done:
            proc.returncode = os.waitstatus_to_exitcode(code)  # reaped here, not by Popen
            return usage.ru_utime + usage.ru_stime
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


def finish(proc, grace):
    """CPU seconds of a sipp that should be ending: waits `grace` s, then asks it to write its
    statistics and stop (SIGUSR1), then kills it."""
    cpu = reap(proc, grace)
    if cpu is None:
        proc.send_signal(signal.SIGUSR1)  # sipp writes its statistics and exits
        cpu = reap(proc, 10)
    if cpu is None:
        proc.kill()
        cpu = reap(proc, 10) or 0.0
    return cpu


def register_phone(work, sip, port, phone, script="run-sip-calls"):
    """Registers extension `phone` (password demo<phone>) from 127.0.0.1:port, where a sipp
    UAS will listen."""
    register_xml = os.path.join(ROOT, "tests", "sipp", "register_digest.xml")
    out = subprocess.run(sipp_command(sip, port, "-sf", register_xml, "-s", phone, "-au", phone,
                                      "-ap", f"demo{phone}", "-m", "1", "-timeout", "10s",
                                      "-timeout_error"),
                         capture_output=True, text=True, cwd=work, timeout=40)
    if out.returncode != 0:
        sys.exit(f"{script}: registering {phone} failed:\n{out.stdout[-2000:]}")


def shorten(line):
    """A perf or callgrind row on one line, without the template arguments that hide names."""
    line = " ".join(line.split())
    while re.search(r"<[^<>]*>", line):
        line = re.sub(r"<[^<>]*>", "", line)
    return line


def print_perf_report(data, title, *args, width=120):
    """`perf report` of the file `data` with `args` (sorting, limits), one row a line."""
    out = subprocess.run(["perf", "report", "-i", data, "--stdio", "-g", "none", *args],
                         capture_output=True, text=True).stdout
    print(f"== perf {title}; [k] = kernel:")
    for line in out.splitlines():
        if line.strip() and not line.startswith("#"):
            print("  " + shorten(line)[:width])
