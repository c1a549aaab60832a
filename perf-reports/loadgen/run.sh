#!/usr/bin/env bash
# Runs one load-generator measurement against a freshly started server and records it here.
#
#   perf-reports/loadgen/run.sh switchboard|netty NAME [loadgen flags...]
#
# The server runs pinned to CPU 1 (taskset -c 1), the generator pinned to CPU 0, both on 127.0.0.1:18090. The
# server is started before and stopped after the run, by its process id. Results land in perf-reports/loadgen/NAME/:
# summary.json, the .hgrm files, the generator's console output (loadgen.log), the server's (server.log) and
# command.txt with the exact commands.
#
# SERVER_FLAGS overrides the Switchboard rate-limit flags (default: --game-event-rate 100 --game-event-burst 200,
# far above any publisher's rate, so the limiter never drops a measured message).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [ $# -lt 2 ]; then
  echo "usage: $0 switchboard|netty NAME [loadgen flags...]" >&2
  exit 2
fi
target="$1"
name="$2"
shift 2
port=18090
out="perf-reports/loadgen/$name"
server_flags="${SERVER_FLAGS:---game-event-rate 100 --game-event-burst 200}"
rm -rf "$out"
mkdir -p "$out"

case "$target" in
  switchboard)
    if [ ! -f net/target/switchboard.jar ]; then
      ./mvnw -B -q -DskipTests package -pl net -am
    fi
    server_cmd=(taskset -c 1 java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xms1g -Xmx1g
      -jar net/target/switchboard.jar --port "$port" --bind-address 127.0.0.1 --drain-seconds 1 $server_flags)
    ;;
  netty)
    # Same heap and collector (the JVM default, G1) as the Switchboard server above.
    server_cmd=(taskset -c 1 env LOADGEN_MAIN=dev.switchboard.bench.baseline.NettyRelay
      "LOADGEN_JAVA_OPTS=-Xms1g -Xmx1g" bench/loadgen --port "$port" --threads 1)
    ;;
  *)
    echo "unknown target $target" >&2
    exit 2
    ;;
esac

# The launcher builds the bench jar if it is missing; do it before the server starts so the build is not timed.
if ! ls bench/target/switchboard-bench-*.jar >/dev/null 2>&1; then
  ./mvnw -B -q -DskipTests package -pl bench -am
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# A server of an earlier run may still be closing: wait until nothing listens on the port, so that the readiness
# check below cannot be answered by it.
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  sleep 0.1
done
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is still in use by another process" >&2
  exit 1
fi
"${server_cmd[@]}" >"$out/server.log" 2>&1 &
server_pid=$!
stop_server() {
  if kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap stop_server EXIT

ready=0
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "server did not listen on $port within 10 s; see $out/server.log" >&2
  exit 1
fi

loadgen_cmd=(taskset -c 0 bench/loadgen --url "ws://127.0.0.1:$port/ws" --out "$out" "$@")
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs, $(git rev-parse --short HEAD)"
  echo "server:  ${server_cmd[*]}"
  echo "loadgen: ${loadgen_cmd[*]}"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/command.txt"
"${loadgen_cmd[@]}" 2>&1 | tee "$out/loadgen.log"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/command.txt"
