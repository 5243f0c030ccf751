"""What the bench step scripts read from /proc while a step runs: CPU seconds of the daemon,
its threads and the whole machine, memory, and UDP drops. Linux only; standard library."""
import os
import time

tick = os.sysconf("SC_CLK_TCK")


def cpu_seconds(p):
    """utime + stime of a process or thread (`pid` or `pid/task/tid`), in seconds."""
    with open(f"/proc/{p}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick


def sys_seconds(p):
    """stime alone: the kernel's share, mostly the loopback path of sendto and recvfrom."""
    with open(f"/proc/{p}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[12]) / tick


def thread_cpu(pid):
    """CPU seconds of each thread of `pid`, by thread id."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            out[tid] = cpu_seconds(f"{pid}/task/{tid}")
        except OSError:
            pass
    return out


def status(pid, field):
    """A numeric field of /proc/pid/status (VmRSS, VmHWM in kB; Threads)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def socket_drops(port):
    """Datagrams the kernel dropped for a full receive buffer on our socket at `port`."""
    suffix = f":{int(port):04X}"
    with open("/proc/net/udp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1].endswith(suffix):
                return int(fields[-1])
    return 0


def udp_drops():
    """Datagrams dropped for full receive buffers on the whole machine."""
    with open("/proc/net/snmp") as f:
        rows = [l.split() for l in f if l.startswith("Udp:")]
    return int(dict(zip(rows[0][1:], rows[1][1:]))["RcvbufErrors"])


def machine_busy():
    """CPU seconds of everything on the machine, other people's builds included. The cgroup
    counter is exact; /proc/stat samples at ticks and misses short bursts of a mostly idle
    CPU, which is what a UDP server under load looks like."""
    try:
        with open("/sys/fs/cgroup/cpuacct/cpuacct.usage") as f:
            return int(f.read()) / 1e9
    except OSError:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return (sum(values[:8]) - values[3] - values[4]) / tick


def wait_for_quiet(pid, limit):
    """Two cores shared with other people's builds: a step starts once the machine has been
    nearly idle (under 15% of a core besides the daemon `pid`) for 3 s, or after `limit` s."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        b0, d0 = machine_busy(), cpu_seconds(pid)
        time.sleep(3)
        if (machine_busy() - b0) - (cpu_seconds(pid) - d0) < 0.45:
            return
    print(f"   (the machine stayed busy for {limit} s; measuring anyway)")


def wait_until(condition, timeout):
    """Polls `condition` every 0.2 s; False when `timeout` s pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def live_transactions(metrics):
    """SIP transactions the daemon holds from a /metrics snapshot: those in progress and the
    answers kept for retransmissions (Timer J)."""
    return (metrics.get("callcenterd_sip_transactions", 0) +
            metrics.get("callcenterd_sip_answered_held", 0))
