#!/usr/bin/env bash
# Issue #14: per message, in each threading mode, at 4,000 msgs/s (2,000 rooms of 5 at 2 publishes/s/room):
# context switches of every server thread (/proc/PID/task/*/status, voluntary + nonvoluntary), the server's own
# wake-up count (wakeups_total in /metrics) over a WINDOW-second window, then the syscalls of all threads
# (strace -f -c -p PID) over the next WINDOW seconds. Messages are msgs_in_total{type="game_event"} over the
# same window. Server on CPU 1, generator on CPU 0 (perf-reports/loadgen/server.sh).
#
#   perf-reports/scripts/threading-syscalls.sh [OUT_DIR]     # MODES="shared dedicated" WINDOW=10
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=../loadgen/server.sh
source "$root/perf-reports/loadgen/server.sh"
out="${1:-perf-reports/threading/syscalls}"
window="${WINDOW:-10}"
port=18091
server_port=$port
ensure_jars
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
trap stop_server EXIT

ctxt() {
  local pid="$1" total=0 f
  for f in /proc/"$pid"/task/*/status; do
    total=$((total + $(awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {s += $2} END {print s + 0}' "$f" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
metric() {
  curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" 'index($0, name) == 1 {s += $NF} END {printf "%d\n", s}'
}

for mode in ${MODES:-shared dedicated}; do
  dir="$out/$mode"
  mkdir -p "$dir"
  export SERVER_FLAGS="--threading-mode $mode --game-event-rate 100 --game-event-burst 200"
  server_command switchboard "$port"
  start_server "$dir" || true
  for _ in $(seq 1 600); do
    port_open "$port" && break # a loaded machine can take longer than start_server's 10 s to load the classes
    sleep 0.1
  done
  loadgen_cmd=(taskset -c 0 bench/loadgen --url "ws://127.0.0.1:$port/ws" --out "$dir/loadgen"
    --scenario small-rooms --rooms 2000 --room-size 5 --rate 2 --duration $((window * 2 + 25)) --warmup 5)
  "${loadgen_cmd[@]}" >"$dir/loadgen.log" 2>&1 &
  loadgen_pid=$!
  # Wait for the generator's warm-up line, then let the schedule settle.
  for _ in $(seq 1 120); do
    grep -q '^\[measure' "$dir/loadgen.log" 2>/dev/null && break
    sleep 1
  done
  sleep 8
  {
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git rev-parse --short HEAD) mode $mode"
    echo "server:  ${server_cmd[*]}"
    echo "loadgen: ${loadgen_cmd[*]}"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  } >"$dir/command.txt"
  c0=$(ctxt "$server_pid"); m0=$(metric 'msgs_in_total{type="game_event"}'); w0=$(metric 'wakeups_total')
  sleep "$window"
  c1=$(ctxt "$server_pid"); m1=$(metric 'msgs_in_total{type="game_event"}'); w1=$(metric 'wakeups_total')
  grep -h '' /proc/"$server_pid"/task/*/comm | sort | uniq -c >"$dir/threads.txt"
  timeout -s INT "$window" strace -f -c -p "$server_pid" -o "$dir/strace.txt" || true
  m2=$(metric 'msgs_in_total{type="game_event"}')
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$dir/command.txt"
  python3 - "$dir" "$mode" "$c0" "$c1" "$m0" "$m1" "$w0" "$w1" "$m2" <<'PY'
import json, re, sys
d, mode, c0, c1, m0, m1, w0, w1, m2 = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
msgs = max(1, m1 - m0)
calls = {}
try:
    for line in open(d + "/strace.txt"):
        parts = line.split()
        if len(parts) >= 5 and re.match(r"^[0-9.]+$", parts[0]) and parts[-1] not in ("total",):
            calls[parts[-1]] = int(parts[3])
except FileNotFoundError:
    pass
smsgs = max(1, m2 - m1)
row = {"mode": mode, "messages": m1 - m0, "ctxtPerMsg": (c1 - c0) / msgs, "wakeupsPerMsg": (w1 - w0) / msgs,
       "straceMessages": m2 - m1, "syscallsPerMsg": sum(calls.values()) / smsgs,
       "perSyscallPerMsg": {k: v / smsgs for k, v in sorted(calls.items(), key=lambda kv: -kv[1])[:8]}}
json.dump(row, open(d + "/result.json", "w"), indent=1)
print(json.dumps(row))
PY
  wait "$loadgen_pid" || true
  stop_server
done
