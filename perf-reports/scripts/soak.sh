#!/usr/bin/env bash
# Soak benchmark of issue 12: 10,000 sockets in 2,000 rooms of 5, 2 game_events per second per room (4,000 in,
# 16,000 deliveries out per second), the server pinned to CPU 1 with a fixed 512 MiB heap, the load generator (a
# separate process) pinned to CPU 0, for --minutes (default 10) of traffic.
#
#   perf-reports/scripts/soak.sh [--gc serial|g1|zgc] [--minutes 10] [--out DIR] [--rooms 2000] [--room-size 5]
#                                [--rate 2] [--java PATH] [--java-opts "..."]
#
#   --gc serial  java 17, -XX:+UseSerialGC (what the JVM picks by itself on one CPU)
#   --gc g1      java 17, -XX:+UseG1GC -XX:MaxGCPauseMillis=5
#   --gc zgc     Temurin 25 (/usr/lib/jvm/temurin-25-jdk-amd64), -XX:+UseZGC (generational, the only ZGC mode there)
#   --java-opts  replaces the collector flags (the heap flags -Xms512m -Xmx512m and -XX:AutoBoxCacheMax=65536 stay)
#
# Collected in DIR (default perf-reports/soak/<gc>):
#   gc.log        every collection and pause (-Xlog:gc, plus gc+phases for ZGC, whose pauses are phases)
#   rss.csv       the server's VmRSS every 5 s
#   metrics.log   frame_pool_bytes, replay_bytes, engine_sessions and connected_sockets every 30 s
#   loadgen/      the generator's summary.json, .hgrm files and firstRecipient-by-minute.csv (p50/p99/p99.9/max per
#                 minute of traffic, warmup included)
#   report.md     tables (per minute: collections, pauses, heap after GC, RSS, first-recipient p99 and p99.9; the
#                 pause distribution; the issue's goals), heap.svg (heap after each GC over time), summary.json
#   command.txt   the exact commands and the load average before and after
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=../loadgen/server.sh
source "$root/perf-reports/loadgen/server.sh"

gc="serial"
minutes=10
out=""
rooms=2000
room_size=5
rate=2
java_bin=""
java_opts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --gc) gc="$2"; shift 2 ;;
    --minutes) minutes="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --rooms) rooms="$2"; shift 2 ;;
    --room-size) room_size="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --java) java_bin="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    *) sed -n '2,25p' "$0" >&2; exit 2 ;;
  esac
done
temurin25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
log_opts="-Xlog:gc:file=@OUT@/gc.log:uptime,level,tags"
case "$gc" in
  serial) default_java=java; default_opts="-XX:+UseSerialGC" ;;
  g1) default_java=java; default_opts="-XX:+UseG1GC -XX:MaxGCPauseMillis=5" ;;
  zgc)
    default_java="$temurin25"; default_opts="-XX:+UseZGC"
    log_opts="-Xlog:gc,gc+phases:file=@OUT@/gc.log:uptime,level,tags"
    ;;
  *) echo "--gc must be serial, g1 or zgc" >&2; exit 2 ;;
esac
java_bin="${java_bin:-$default_java}"
java_opts="${java_opts:-$default_opts}"
out="${out:-perf-reports/soak/$gc}"
seconds=$((minutes * 60))
warmup=5

ensure_jars
rm -rf "$out"
mkdir -p "$out"
abs_out="$(cd "$out" && pwd)"
server_port=18095
export SERVER_CPU=1
export SERVER_JAVA="$java_bin"
export SERVER_JAVA_OPTS="-Xms512m -Xmx512m -XX:AutoBoxCacheMax=65536 $java_opts ${log_opts//@OUT@/$abs_out}"
server_command switchboard "$server_port"
loadgen_cmd=(taskset -c 0 bench/loadgen --url "ws://127.0.0.1:$server_port/ws" --scenario small-rooms
  --rooms "$rooms" --room-size "$room_size" --rate "$rate" --warmup "$warmup" --duration $((seconds - warmup))
  --join-timeout 120 --drain 5 --out "$out/loadgen")
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

samplers=()
cleanup() {
  for p in "${samplers[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_server
}
trap cleanup EXIT

{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs, $(git rev-parse --short HEAD), soak --gc $gc --minutes $minutes"
  echo "server:  ${server_cmd[*]}"
  echo "loadgen: ${loadgen_cmd[*]}"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/command.txt"
echo "$(date -u +%H:%M:%S) soak $gc: starting the server ($java_bin $java_opts), load average $(cut -d' ' -f1-3 /proc/loadavg)"
start_server "$out"
start_s=$(date +%s)

(
  echo "seconds,rss_kb"
  while kill -0 "$server_pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || true)
    [ -n "$rss" ] && echo "$(( $(date +%s) - start_s )),$rss"
    sleep 5
  done
) >"$out/rss.csv" &
samplers+=($!)
(
  while kill -0 "$server_pid" 2>/dev/null; do
    echo "# t=$(( $(date +%s) - start_s ))s"
    curl -s --max-time 5 "http://127.0.0.1:$server_port/metrics" |
      grep -E '^(frame_pool_bytes|replay_bytes|engine_sessions|connected_sockets) ?|^(frame_pool_bytes|replay_bytes)\{' || true
    sleep 30
  done
) >"$out/metrics.log" 2>/dev/null &
samplers+=($!)

echo "$(date -u +%H:%M:%S) soak $gc: generator: $rooms rooms x $room_size, $rate events/s per room, $seconds s of traffic (progress every 30 s)"
"${loadgen_cmd[@]}" >"$out/loadgen.log" 2>&1 &
loadgen_pid=$!
samplers+=($loadgen_pid)
while kill -0 "$loadgen_pid" 2>/dev/null; do
  sleep 30
  line=$(grep -E '^\[(measure|warmup|connect)' "$out/loadgen.log" | tail -1 || true)
  rss=$(tail -1 "$out/rss.csv" | cut -d, -f2)
  gcs=$(grep -c 'Pause' "$out/gc.log" 2>/dev/null || true)
  echo "$(date -u +%H:%M:%S) soak $gc: rss ${rss:-?} KB, $gcs pauses so far | ${line:0:160}"
done
wait "$loadgen_pid" || echo "generator exited with $?" >&2
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/command.txt"
stop_server
python3 perf-reports/scripts/soak.py "$out" --label "$gc ($java_bin $java_opts)"
echo "$(date -u +%H:%M:%S) soak $gc: report in $out/report.md"
