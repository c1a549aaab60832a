#!/usr/bin/env bash
# Heap per idle WebSocket connection: start the server, force a GC and read the heap in use, open N idle
# sockets from a separate Node process, force a GC again, and divide the difference by N.
# Usage: perf-reports/scripts/idle-memory.sh [N]   (from the repository root; builds the server if needed)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-5000}
PORT=${PORT:-18700}
[ -f net/target/switchboard.jar ] || ./mvnw -B -q -DskipTests package -pl net -am
java -Xms1g -Xmx1g -jar net/target/switchboard.jar --port "$PORT" --bind-address 127.0.0.1 \
  --idle-timeout-seconds 3600 --ping-interval-seconds 1800 \
  $(java -jar net/target/switchboard.jar --help 2>&1 | grep -q -- --max-connections-per-address && \
    echo --max-connections-per-address 100000 --upgrades-per-address-per-second 100000) \
  > /tmp/idle-memory-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

heap_used() {
  jcmd "$SERVER" GC.run >/dev/null
  sleep 1
  jcmd "$SERVER" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub("K", "", v); print v; exit } }'
}

BEFORE_KB=$(heap_used)
coproc CLIENT { node perf-reports/scripts/idle-sockets.mjs "ws://127.0.0.1:$PORT/ws" "$N" 600; }
while read -r line <&"${CLIENT[0]}"; do
  echo "client: $line"
  case "$line" in READY*) break;; esac
done
sleep 2
AFTER_KB=$(heap_used)
SOCKETS=$(curl -s "http://127.0.0.1:$PORT/healthz" | sed 's/.*"connectedSockets":\([0-9]*\).*/\1/')
echo "sockets=$SOCKETS heap_before_kb=$BEFORE_KB heap_after_kb=$AFTER_KB"
awk -v b="$BEFORE_KB" -v a="$AFTER_KB" -v n="$N" 'BEGIN { printf "heap per idle connection: %.0f bytes\n", (a - b) * 1024 / n }'
kill "$CLIENT_PID" 2>/dev/null || true
