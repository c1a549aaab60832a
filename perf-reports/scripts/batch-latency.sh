#!/usr/bin/env bash
# Watches the Switchboard engine's loop and batch latency over a long run with 1,000 sockets (REQUIREMENTS: "Under
# 1,000 concurrent sockets (fake), average loop latency stays stable").
#
#   perf-reports/scripts/batch-latency.sh [--out DIR] [--duration 300] [--rooms 200]
#
# Starts Switchboard pinned to CPU 1 (server.sh), runs the generator pinned to CPU 0 with the small-rooms scenario
# (200 rooms x 5 = 1,000 sockets, 10 game events per second per room, 10 s warmup, then --duration seconds), and
# scrapes http://127.0.0.1:18090/metrics every 5 s while the generator runs (batch_latency.py): the engine's
# engine_loop_latency_seconds (IoAgent publish to engine apply) and engine_batch_latency_seconds (one ring batch)
# quantiles, their one-second maxima, the mean loop latency over each 5 s (from _sum/_count) and the IoAgent's
# io_loop_work_max_seconds. DIR gets metrics.csv, loop-latency.svg, summary.md, the generator's results and
# command.txt with the exact commands.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=../loadgen/server.sh
source "$root/perf-reports/loadgen/server.sh"

out="perf-reports/batch-latency"
duration=300
rooms=200
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rooms) rooms="$2"; shift 2 ;;
    *) echo "usage: $0 [--out DIR] [--duration S] [--rooms N]" >&2; exit 2 ;;
  esac
done
warmup=10
server_port=18090
ensure_jars
rm -rf "$out"
mkdir -p "$out"
server_command switchboard "$server_port"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
generator_pid=""
cleanup() {
  if [ -n "$generator_pid" ] && kill -0 "$generator_pid" 2>/dev/null; then
    kill "$generator_pid" 2>/dev/null || true
  fi
  stop_server
}
trap cleanup EXIT
start_server "$out"

loadgen_cmd=(taskset -c 0 bench/loadgen --url "ws://127.0.0.1:$server_port/ws" --out "$out/loadgen"
  --scenario small-rooms --rooms "$rooms" --room-size 5 --duration "$duration" --warmup "$warmup")
scrape_cmd=(python3 perf-reports/scripts/batch_latency.py scrape --url "http://127.0.0.1:$server_port/metrics"
  --interval 5 --csv "$out/metrics.csv" --while-pid)
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs, $(git rev-parse --short HEAD)"
  echo "server:  ${server_cmd[*]}"
  echo "loadgen: ${loadgen_cmd[*]}"
  echo "scrape:  ${scrape_cmd[*]} GENERATOR_PID"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/command.txt"
"${loadgen_cmd[@]}" >"$out/loadgen.log" 2>&1 &
generator_pid=$!
"${scrape_cmd[@]}" "$generator_pid"
wait "$generator_pid" || echo "the generator exited with $?" >&2
generator_pid=""
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/command.txt"
python3 perf-reports/scripts/batch_latency.py report --csv "$out/metrics.csv" --out "$out" --warmup "$warmup"
