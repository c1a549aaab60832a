#!/usr/bin/env bash
# Runs one load-generator measurement against a freshly started server and records it here.
#
#   perf-reports/loadgen/run.sh switchboard|netty|raw NAME [loadgen flags...]
#
# The server runs pinned to CPU 1 (taskset -c 1), the generator pinned to CPU 0, both on 127.0.0.1:18090. The
# server is started before and stopped after the run, by its process id (see server.sh, shared with compare.sh).
# Results land in perf-reports/loadgen/NAME/: summary.json, the .hgrm files, the generator's console output
# (loadgen.log), the server's (server.log) and command.txt with the exact commands.
#
# SERVER_FLAGS overrides the Switchboard rate-limit flags (default: --game-event-rate 100 --game-event-burst 200,
# far above any publisher's rate, so the limiter never drops a measured message); SERVER_JAVA_OPTS the servers' JVM
# flags (default -Xms1g -Xmx1g). OUT_ROOT puts NAME under another folder (default perf-reports/loadgen).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=server.sh
source "$root/perf-reports/loadgen/server.sh"

if [ $# -lt 2 ]; then
  echo "usage: $0 switchboard|netty|raw NAME [loadgen flags...]" >&2
  exit 2
fi
target="$1"
name="$2"
shift 2
server_port=18090
out="${OUT_ROOT:-perf-reports/loadgen}/$name"
server_command "$target" "$server_port"
# Build before the server starts so that no build is timed.
ensure_jars
rm -rf "$out"
mkdir -p "$out"

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
trap stop_server EXIT
start_server "$out"

loadgen_cmd=(taskset -c 0 bench/loadgen --url "ws://127.0.0.1:$server_port/ws" --out "$out" "$@")
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs, $(git rev-parse --short HEAD)"
  echo "server:  ${server_cmd[*]}"
  echo "loadgen: ${loadgen_cmd[*]}"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/command.txt"
"${loadgen_cmd[@]}" 2>&1 | tee "$out/loadgen.log"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/command.txt"
