#!/usr/bin/env bash
# Issue #13's attacks, one at a time, each against a fresh server process next to a victim room of normal
# traffic (a client pinging every 20 ms). For each attack: the victim's p50/p99 ping->pong time in a quiet window
# and during the attack, and the server's RSS before and after, then a table, written to perf-reports/abuse.md.
#
# Usage (from anywhere; the repository root is found from the script's place):
#   perf-reports/scripts/abuse.sh [JAR] [SECONDS] [ATTACKS]
#     JAR      the server jar to attack (default net/target/switchboard.jar, built if missing); any build works:
#              flags the jar does not know (it lists them in --help) are left out.
#     SECONDS  length of the quiet window and of each attack (default 15; row 5 needs more than the 10 s deadline).
#     ATTACKS  space-separated subset of: row1 row2 row3 row4 row5 row6 row7 row9 (default all of them).
# Traffic goes to 127.0.0.1 only; every loop is bounded; every process started here is killed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${1:-net/target/switchboard.jar}
SECONDS_PER_WINDOW=${2:-15}
ATTACKS=${3:-"row1 row2 row3 row4 row5 row6 row7 row9"}
PORT=${PORT:-18790}
OUT=${OUT:-perf-reports/abuse.md}
LOG_DIR=$(mktemp -d /tmp/abuse.XXXXXX)
DRIVER=perf-reports/scripts/AbuseDriver.java

if [ ! -f "$JAR" ]; then
  echo "building $JAR"
  ./mvnw -B -q -DskipTests package -pl net -am
fi
HELP=$(java -jar "$JAR" --help 2>&1 || true)

# Pass --flag value only when the jar knows the flag.
known() {
  local flag=$1 value=$2
  if grep -q -- "$flag" <<<"$HELP"; then printf '%s %s ' "$flag" "$value"; fi
}

SERVER=
cleanup() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi; }
trap cleanup EXIT

flags_for() {
  case "$1" in
    row4) known --max-connections-per-address 1000; known --upgrades-per-address-per-second 1000 ;;
    row6) known --max-connections-per-address 10000; known --upgrades-per-address-per-second 10000 ;;
    row7) printf -- '--high-watermark-bytes 65536 --low-watermark-bytes 16384 --slow-consumer-bytes 1048576 '
          printf -- '--game-event-rate 100000 --game-event-burst 100000 --message-rate 100000 --message-burst 100000 ' ;;
  esac
}

prefix_for() {
  case "$1" in
    row6) printf 'prlimit --nofile=512:512 ' ;;
  esac
}

RESULTS=()
COMMANDS=()
for ATTACK in $ATTACKS; do
  FLAGS=$(flags_for "$ATTACK")
  PREFIX=$(prefix_for "$ATTACK")
  CMD="${PREFIX}java -Xms256m -Xmx1g -jar $JAR --port $PORT --bind-address 127.0.0.1 ${FLAGS}"
  echo "=== $ATTACK: $CMD"
  # shellcheck disable=SC2086
  $CMD > "$LOG_DIR/$ATTACK-server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "server did not start"; cat "$LOG_DIR/$ATTACK-server.log"; exit 1; }
  # the JVM of the server: with prlimit the child keeps the same pid (prlimit execs)
  DRIVER_CMD="java $DRIVER --port $PORT --pid $SERVER --attack $ATTACK --seconds $SECONDS_PER_WINDOW"
  COMMANDS+=("$CMD" "$DRIVER_CMD")
  $DRIVER_CMD | tee "$LOG_DIR/$ATTACK-driver.log" || true
  LINE=$(grep '^RESULT' "$LOG_DIR/$ATTACK-driver.log" || true)
  METRICS=$(curl -s --max-time 5 "http://127.0.0.1:$PORT/metrics" | grep -E '^(ws_pongs_coalesced_total|ws_frame_rate_pauses_total|http_pipeline_pauses_total|ws_message_deadlines_total|ws_slow_consumers_total|io_accept_pauses_total|io_accept_errors_total|io_address_limit_refusals_total|ws_protocol_errors_total)' | sed 's/ /=/' | tr '\n' ' ' || true)
  RESULTS+=("$LINE counters: ${METRICS:-none}")
  cleanup
  SERVER=
  sleep 1
done

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

TABLE="| attack | victim p50 quiet (ms) | victim p99 quiet (ms) | victim p99 during (ms) | p99 ratio | RSS before -> after (MB) | outcome | server counters after |
| --- | --- | --- | --- | --- | --- | --- | --- |"
for R in "${RESULTS[@]}"; do
  TABLE+=$'\n'"| $(field attack "$R") | $(field quietP50Ms "$R") | $(field quietP99Ms "$R") | $(field attackP99Ms "$R") | $(field ratio "$R") | $(field rssBeforeMb "$R") -> $(field rssAfterMb "$R") | $(field outcome "$R") | ${R#*counters: } |"
done
echo
echo "$TABLE"

{
  echo "# Abuse attacks next to a victim room (issue #13)"
  echo
  echo "Produced by \`perf-reports/scripts/abuse.sh $JAR $SECONDS_PER_WINDOW\` on $(date -u +%Y-%m-%dT%H:%MZ)."
  echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r),"
  echo "$(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (the machine is shared)."
  echo
  echo "Each attack runs against a fresh server. The victim is one client in room \`victim\` sending a \`ping\`"
  echo "message every 20 ms (open loop) and timing the \`pong\`; p99 is over the quiet window, then over the attack"
  echo "window of the same length. RSS is the server's VmRSS just before and just after the attack (it includes"
  echo "heap the JVM grew into under allocation churn and kept, so it is an upper bound on retained memory)."
  echo
  echo "- row1: 4 \`game_state\` patches of 5,000 keys, then one overwriting 5,000 keys (bound by items 1 and 9 of the"
  echo "  issue, game state indexing, not by the network limits)."
  echo "- row2: WebSocket pings as fast as possible from a socket that never reads: one pong kept, reading paused."
  echo "- row3: 4,260 pipelined \`GET /healthz\` without reading, then reading: \`maxPipelinedRequests\` in flight."
  echo "- row4: 300 sockets each sending a 1-byte non-final fragment, then silence; one socket sending 3,000 empty"
  echo "  continuation frames: 128-byte buffers, closed \`1008\` at \`messageDeadlineSeconds\` / \`maxFragmentsPerMessage\`."
  echo "- row5: one byte of a frame every 2 s: closed \`1008 message_deadline\`."
  echo "- row6: connects until the server (started with \`prlimit --nofile=512:512\`) runs out of descriptors; /healthz"
  echo "  on a socket opened before: accepting pauses with a back-off, \`io_accept_errors_total\` stays small."
  echo "- row7: a reader with a 4 KiB receive buffer stops reading while its host floods \`game_event\`s, then resumes"
  echo "  as soon as /metrics shows the slow consumer: it must read \`4008\` (\`-1\` means an EOF without a close frame)."
  echo "- row9: an obs-fold header line: \`400\`."
  echo
  echo "$TABLE"
  echo
  echo "Commands (per attack: the server, then the driver):"
  echo
  echo '```sh'
  for C in "${COMMANDS[@]}"; do echo "$C"; done
  echo '```'
} > "$OUT"
echo "wrote $OUT (server logs in $LOG_DIR)"
