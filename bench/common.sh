# What the bench/run-* scripts share, sourced by them: the release build, a work directory with
# its own PostgreSQL cluster and free ports, and the demo configuration rewritten to use them.
# Each function exits the script with a message when it fails. 127.0.0.1 only.

# bench_build NAME TARGET...: builds the targets in build/release (shared with scripts/run).
bench_build() {
  local name=$1
  shift
  build=build/release
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCALLCENTERD_BUILD_TESTS=OFF \
    -DCALLCENTERD_BUILD_BENCH=ON >/dev/null
  echo "$name: building $build (the first time after changes takes minutes)"
  ninja -C "$build" -j2 "$@" >"$build/build.log" 2>&1 || {
    grep -vE '^\[[0-9]+/[0-9]+\] ' "$build/build.log" | tail -n 60 >&2
    echo "$name: build failed" >&2; exit 1; }
  bin=$build/src/app/callcenterd
}

# free_port tcp|udp: a port nothing listens on now.
free_port() {
  python3 -c 'import socket, sys
kind = socket.SOCK_STREAM if sys.argv[1] == "tcp" else socket.SOCK_DGRAM
s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}

# bench_work PREFIX: a work directory ($work) with a PostgreSQL cluster of its own, ports for
# the database ($pgport), HTTP ($http) and SIP ($sip), and a trap that stops the daemon ($pid)
# and removes it all on exit (BENCH_KEEP=1 keeps the files).
bench_work() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  pid=
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  pgport=$(free_port tcp)
  http=$(free_port tcp)
  sip=$(free_port udp)
  scripts/pg-cluster start "$work/pg" "$pgport"
  export CALLCENTERD_DB_PASSWORD
  CALLCENTERD_DB_PASSWORD=$(cat "$work/pg/password")
}

bench_cleanup() {
  if [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; then wait "$pid" || true; fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    scripts/pg-cluster stop "$work/pg" >/dev/null 2>&1 || true
    echo "bench: logs and files kept in $work" >&2
  else
    scripts/pg-cluster remove "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
}

# bench_config THREADS [SED_ARGS...]: $work/callcenterd.yaml from the demo configuration with
# the work directory's ports and paths, UDP only, MD5 challenged first (sipp 3.6 answers only
# the first WWW-Authenticate and knows only MD5), THREADS I/O threads, logging at warn; then
# SED_ARGS (more -e expressions) for what the benchmark needs. Checked and migrated.
bench_config() {
  local threads=$1
  shift
  sed -E -e "s/^  port: 8080/  port: $http/" -e "s/^  port: 55432/  port: $pgport/" \
      -e "s|^  var: var|  var: $work/var|" -e "s|spool_file: var/|spool_file: $work/var/|" \
      -e "s|^  recordings: var/|  recordings: $work/var/|" \
      -e "s|^  level: info|  level: warn|" -e "s|^  threads: 0 |  threads: $threads |" \
      -e "s|(\{transport: udp, address: 127.0.0.1, port:) 5060\}|\1 $sip}|" \
      -e '/^    - \{transport: (tcp|ws),/d' \
      -e 's|^  auth:$|  auth:\n    algorithms: [md5, sha-256]|' \
      "$@" config/callcenterd.yaml > "$work/callcenterd.yaml"
  "$bin" --check-config "$work/callcenterd.yaml" >/dev/null
  "$bin" --config "$work/callcenterd.yaml" --migrate >/dev/null
}

# call_seds MAX_TRANSACTIONS: sets the array `call_seds` to the bench_config expressions that
# calls need: max_calls and max_call_rate_per_source raised to 1,000,000, max_transactions
# set, and 127.0.0.1 trusted as a trunk so the callers' INVITEs pass unchallenged.
call_seds() {
  call_seds=(
    -e "s|^    max_calls: [0-9]+|    max_calls: 1000000|"
    -e "s|^    max_call_rate_per_source: [0-9]+|    max_call_rate_per_source: 1000000|"
    -e "s|^  limits:$|  limits:\n    max_transactions: $1|"
    -e 's|^  trace_messages: false$|&\n  trunks:\n    - {name: bench, allow: [127.0.0.1]}|')
}

# bench_expect KEY...: fails when the configuration lacks a line the benchmark relies on (the
# demo configuration changed shape under the sed expressions).
bench_expect() {
  local key
  for key in "$@"; do
    grep -q -- "$key" "$work/callcenterd.yaml" || {
      echo "bench: config/callcenterd.yaml changed shape; no '$key' after sed" >&2; exit 1; }
  done
}

# bench_machine: one line on the machine and the tools.
bench_machine() {
  echo "$(nproc) cores, $(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n 1);" \
    "$(sipp -v 2>&1 | grep -oE 'SIPp v[^ ]+' | head -n 1); load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
}
