#!/usr/bin/env bash
# Sourced by run.sh, compare.sh and the scripts in perf-reports/scripts: how each contender is started on
# 127.0.0.1:$port pinned to CPU 1 and how it is stopped again, by its process id.
#
#   source perf-reports/loadgen/server.sh
#   server_command switchboard|netty|raw PORT   # fills the array server_cmd
#   start_server OUT_DIR                        # starts server_cmd, logs to OUT_DIR/server.log, waits for the port
#   stop_server                                 # stops it (TERM, then KILL after 5 s)
#
# Environment:
#   SERVER_FLAGS      extra Switchboard flags (default: --game-event-rate 100 --game-event-burst 200, far above any
#                     publisher's rate, so the limiter never drops a measured message)
#   SERVER_JAVA_OPTS  JVM flags of the server, every contender (default: -Xms1g -Xmx1g, the JVM's default G1)
#   SERVER_JAVA       the java binary of the Switchboard server (default: java on the PATH)
#   SERVER_CPU        the CPU list the server is pinned to (default: 1)
# The raw writer and the Netty relay run from the bench jar through bench/loadgen (LOADGEN_MAIN), which execs java,
# so $server_pid is the JVM's own process id for all three: /proc/$server_pid/stat is the server's CPU time.

server_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Builds the jars when missing, so that no build runs inside a measurement.
ensure_jars() {
  if [ ! -f "$server_root/net/target/switchboard.jar" ]; then
    (cd "$server_root" && nice -n 19 ./mvnw -B -q -o -DskipTests package -pl net -am)
  fi
  if ! ls "$server_root"/bench/target/switchboard-bench-*.jar >/dev/null 2>&1 || [ ! -d "$server_root/bench/target/lib" ]; then
    (cd "$server_root" && nice -n 19 ./mvnw -B -q -o -DskipTests package -pl bench -am)
  fi
}

# Every generator socket comes from 127.0.0.1: lift Switchboard's per-address limits, which are meant for the
# internet, not for a load generator on the same host.
LOCAL_GENERATOR_FLAGS="--max-connections-per-address 100000 --upgrades-per-address-per-second 1000000
  --joins-per-address-per-second 1000000"

# server_command TARGET PORT: fills server_cmd with the exact command of that contender.
server_command() {
  local target="$1" port="$2"
  local cpu="${SERVER_CPU:-1}"
  local java_opts="${SERVER_JAVA_OPTS:--Xms1g -Xmx1g -XX:AutoBoxCacheMax=65536}"
  local flags="${SERVER_FLAGS:---game-event-rate 100 --game-event-burst 200}"
  case "$target" in
    switchboard)
      # shellcheck disable=SC2206
      server_cmd=(taskset -c "$cpu" "${SERVER_JAVA:-java}" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
        $java_opts -jar net/target/switchboard.jar --port "$port" --bind-address 127.0.0.1 --drain-seconds 1
        $LOCAL_GENERATOR_FLAGS $flags)
      ;;
    netty)
      # Same heap and collector (Serial: the JVM sees one CPU) as the Switchboard server; one event loop thread.
      server_cmd=(taskset -c "$cpu" env LOADGEN_MAIN=dev.switchboard.bench.baseline.NettyRelay
        "LOADGEN_JAVA_OPTS=$java_opts" bench/loadgen --port "$port" --threads 1)
      ;;
    raw)
      # The kernel floor: one selector thread, pre-encoded frames, gathering writes.
      server_cmd=(taskset -c "$cpu" env LOADGEN_MAIN=dev.switchboard.bench.baseline.RawWriter
        "LOADGEN_JAVA_OPTS=$java_opts" bench/loadgen --port "$port")
      ;;
    *)
      echo "unknown server $target (switchboard, netty or raw)" >&2
      return 2
      ;;
  esac
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_server OUT_DIR: waits until nothing listens on $server_port, starts server_cmd in the background and waits
# up to 10 s for it to listen. Sets server_pid.
start_server() {
  local out="$1"
  local port="$server_port"
  for _ in $(seq 1 100); do
    port_open "$port" || break
    sleep 0.1
  done
  if port_open "$port"; then
    echo "port $port is still in use by another process" >&2
    return 1
  fi
  (cd "$server_root" && ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "${server_cmd[@]}") >"$out/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if port_open "$port"; then
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  echo "server did not listen on $port within 10 s; see $out/server.log" >&2
  return 1
}

# stop_server: TERM, wait up to 5 s, then KILL; only the process started by start_server.
stop_server() {
  if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

# cpu_ticks PID: utime + stime of the process in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() {
  # The command name (field 2) may hold spaces; cut after its closing parenthesis.
  local stat
  stat="$(cat "/proc/$1/stat")"
  stat="${stat##*) }"
  # shellcheck disable=SC2086
  set -- $stat
  echo $(( ${12} + ${13} ))
}
