#!/usr/bin/env bash
# The latency a cross-node hop adds, against a single node, in the same run (issue #8).
#
#   perf-reports/scripts/cross-node.sh [--out DIR] [--rounds N] [-- loadgen flags...]
#
# Starts a real redis-server and two Switchboard nodes in multi-node mode (A and B, same Redis), all pinned to
# CPU 1, then runs the load generator (pinned to CPU 0) alternately, N rounds of:
#   local: every socket on node A; each room is owned by A and served by its shard, no hop;
#   cross: publishers (hosts) on node A, every other socket on node B (--viewer-url): every delivery crosses
#          from one node to the other through Redis pub/sub (a publish relayed to the owner, or the owner's
#          frames relayed back to the viewers' node, depending on which node claimed the room first).
# Room ids are fresh in every run, so no run inherits another's room owners. Writes DIR/round-R-{local,cross}/
# (summary.json, .hgrm, loadgen.log), the servers' logs and CPU time, command.txt, and DIR/report.md with the
# per-round table and the median ratios cross/local.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=../loadgen/server.sh
source perf-reports/loadgen/server.sh

out="perf-reports/cross-node"
rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--out DIR] [--rounds N] [-- loadgen flags...]" >&2; exit 2 ;;
  esac
done
loadgen_flags=("$@")
if [ ${#loadgen_flags[@]} -eq 0 ]; then
  loadgen_flags=(--scenario small-rooms --rooms 200 --room-size 5 --duration 30 --warmup 5)
fi

if [ ! -x /usr/bin/redis-server ]; then
  echo "cross-node: /usr/bin/redis-server is missing (Debian package redis-server)" >&2
  exit 1
fi
ensure_jars
redis_port=16390
port_a=18101
port_b=18102
rm -rf "$out"
mkdir -p "$out"

redis_pid=""
pid_a=""
pid_b=""
cleanup() {
  for pid in "$pid_a" "$pid_b"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      server_pid="$pid"
      stop_server
    fi
  done
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

echo "cross-node: starting redis-server on $redis_port (CPU ${SERVER_CPU:-1})"
taskset -c "${SERVER_CPU:-1}" /usr/bin/redis-server --port "$redis_port" --bind 127.0.0.1 --save "" \
  --appendonly no >"$out/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do
  port_open "$redis_port" && break
  sleep 0.1
done

base_flags="${SERVER_FLAGS:---game-event-rate 100 --game-event-burst 200}"
start_node() {
  local name="$1" port="$2"
  mkdir -p "$out/node-$name"
  SERVER_FLAGS="$base_flags --redis-url redis://127.0.0.1:$redis_port --node-id bench-$name" \
    server_command switchboard "$port"
  server_port="$port"
  start_server "$out/node-$name"
  echo "node $name: ${server_cmd[*]}" >>"$out/command.txt"
}
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs, $(git rev-parse --short HEAD)"
  echo "redis: taskset -c ${SERVER_CPU:-1} /usr/bin/redis-server --port $redis_port --bind 127.0.0.1 --save \"\" --appendonly no"
} >"$out/command.txt"
start_node a "$port_a"
pid_a="$server_pid"
start_node b "$port_b"
pid_b="$server_pid"
echo "cross-node: nodes up (A pid $pid_a on $port_a, B pid $pid_b on $port_b)"

for round in $(seq 1 "$rounds"); do
  for mode in local cross; do
    dir="$out/round-$round-$mode"
    mkdir -p "$dir"
    cmd=(taskset -c 0 bench/loadgen --url "ws://127.0.0.1:$port_a/ws" --out "$dir" "${loadgen_flags[@]}")
    if [ "$mode" = cross ]; then
      cmd+=(--viewer-url "ws://127.0.0.1:$port_b/ws")
    fi
    echo "loadgen ($mode, round $round): ${cmd[*]}" >>"$out/command.txt"
    echo "$(date -u +%H:%M:%S) round $round $mode: load average $(cut -d' ' -f1-3 /proc/loadavg)"
    ticks_a=$(cpu_ticks "$pid_a")
    ticks_b=$(cpu_ticks "$pid_b")
    ticks_r=$(cpu_ticks "$redis_pid")
    "${cmd[@]}" >"$dir/loadgen.log" 2>&1
    hz=$(getconf CLK_TCK)
    python3 - "$dir" "$hz" "$ticks_a" "$(cpu_ticks "$pid_a")" "$ticks_b" "$(cpu_ticks "$pid_b")" \
      "$ticks_r" "$(cpu_ticks "$redis_pid")" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import json, sys
d, hz = sys.argv[1], int(sys.argv[2])
a0, a1, b0, b1, r0, r1 = (int(x) for x in sys.argv[3:9])
json.dump({"nodeACpuSeconds": (a1 - a0) / hz, "nodeBCpuSeconds": (b1 - b0) / hz,
           "redisCpuSeconds": (r1 - r0) / hz, "loadAverageAfter": float(sys.argv[9]),
           "note": "CPU time over the whole generator run, warmup and drain included"},
          open(d + "/server-cpu.json", "w"), indent=2)
PY
    grep -E "^loadgen: (valid|results)|first recipient|errors" "$dir/loadgen.log" | tail -3 || true
  done
done

cleanup
trap - EXIT
gzip -f "$out"/node-*/server.log
python3 perf-reports/scripts/cross_node.py "$out" | tee "$out/report.md"
