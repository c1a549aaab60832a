#!/usr/bin/env bash
# Memory per idle joined connection: heap (after a full GC) and RSS of the server before and after N sockets have
# joined rooms of 5 (1 host + 4 viewers) and gone idle, for Switchboard and for the raw NIO writer (the kernel floor),
# each started fresh, pinned to CPU 1, with the same JVM flags.
#
#   perf-reports/scripts/idle-joined.sh [--sockets 10000] [--out DIR] [--targets "switchboard raw"]
#
# A measurement: `jcmd PID GC.run`, 2 s of quiet, then `jcmd PID GC.heap_info` (heap used, heap_used.py) and VmRSS from
# /proc/PID/status. The client is Node (`ws`), a separate process (idle-joined.mjs). DIR/report.md has the table.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=../loadgen/server.sh
source "$root/perf-reports/loadgen/server.sh"

sockets=10000
out="perf-reports/idle-joined"
targets="switchboard raw"
while [ $# -gt 0 ]; do
  case "$1" in
    --sockets) sockets="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    *) sed -n '2,10p' "$0" >&2; exit 2 ;;
  esac
done
[ -d harness/node_modules/ws ] || (cd harness && npm ci --no-audit --no-fund >/dev/null)
ensure_jars
mkdir -p "$out"
jcmd="$(dirname "$(readlink -f "$(command -v java)")")/jcmd"
export SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseSerialGC}"
export SERVER_FLAGS="${SERVER_FLAGS:---idle-timeout-seconds 3600 --ping-interval-seconds 1800}"
server_port=18097
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
trap stop_server EXIT

measure() { # measure LABEL FILE_PREFIX: prints "heap_kb rss_kb"
  "$jcmd" "$server_pid" GC.run >/dev/null
  sleep 2
  "$jcmd" "$server_pid" GC.heap_info >"$2.heap.txt"
  local heap rss
  heap=$(python3 perf-reports/scripts/heap_used.py "$2.heap.txt")
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status")
  echo "$heap $rss"
}

{
  echo "| server | sockets joined | heap before (KiB) | heap after (KiB) | heap per connection | RSS before (KiB) | RSS after (KiB) | RSS per connection |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$out/table.md"
for target in $targets; do
  dir="$out/$target"
  mkdir -p "$dir"
  server_command "$target" "$server_port"
  echo "$(date -u +%H:%M:%S) idle-joined $target: ${server_cmd[*]}"
  start_server "$dir"
  sleep 3
  read -r heap0 rss0 < <(measure "$target" "$dir/before")
  coproc CLIENT { taskset -c 0 node perf-reports/scripts/idle-joined.mjs "ws://127.0.0.1:$server_port/ws" "$sockets" 900 5; }
  ready=0
  while read -r line <&"${CLIENT[0]}"; do
    case "$line" in READY*) ready="${line#READY }"; break ;; *) echo "  client: $line" ;; esac
  done
  sleep 5
  read -r heap1 rss1 < <(measure "$target" "$dir/after")
  kill "$CLIENT_PID" 2>/dev/null || true
  wait "$CLIENT_PID" 2>/dev/null || true
  stop_server
  {
    echo "server: ${server_cmd[*]}"
    echo "client: taskset -c 0 node perf-reports/scripts/idle-joined.mjs ws://127.0.0.1:$server_port/ws $sockets 900 5"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  } >"$dir/command.txt"
  awk -v t="$target" -v n="$ready" -v h0="$heap0" -v h1="$heap1" -v r0="$rss0" -v r1="$rss1" 'BEGIN {
    printf "| %s | %d | %d | %d | %.0f bytes | %d | %d | %.0f bytes |\n", t, n, h0, h1, (h1 - h0) * 1024 / n, r0, r1, (r1 - r0) * 1024 / n
  }' | tee -a "$out/table.md"
done
cat "$out/table.md"
