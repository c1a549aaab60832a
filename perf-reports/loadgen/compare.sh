#!/usr/bin/env bash
# Runs several contenders interleaved (A B C A B C ...) with the same generator flags and compares them.
#
#   perf-reports/loadgen/compare.sh --out DIR [--rounds 3] [--contenders "switchboard netty raw"]
#       [--set LABEL.server-flags="..."] [--set LABEL.java-opts="..."] [--set LABEL.java=PATH]
#       [--set LABEL.loadgen="..."] -- LOADGEN_FLAGS...
#
# A contender is TARGET (switchboard, netty or raw) or LABEL=TARGET, e.g. "sb-stall1=switchboard" for a second
# Switchboard configuration; --set gives one contender extra Switchboard flags (replacing SERVER_FLAGS), JVM flags
# (replacing SERVER_JAVA_OPTS), another java binary, or extra generator flags appended to the common ones.
# The first contender is the one the ratios are computed for (first/other).
#
# Each run: the server is started fresh pinned to CPU 1 and stopped afterwards (server.sh, shared with run.sh); the
# generator runs pinned to CPU 0; compare.py samples the server's utime+stime (/proc/PID/stat, in clock ticks /
# getconf CLK_TCK) when the generator's measurement window starts and when its last send is due (warmup, connect,
# drain and shutdown excluded; --warmup must be at least 1). DIR/r<round>-<label>/ holds summary.json, the .hgrm
# files, loadgen.log, server.log, cpu.json (cpuSeconds) and command.txt with the exact commands and the load average
# before and after; DIR/compare.md and DIR/compare.json hold the table and the ratios.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=server.sh
source "$root/perf-reports/loadgen/server.sh"

out=""
rounds=3
contenders="switchboard netty raw"
declare -A settings=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --contenders) contenders="$2"; shift 2 ;;
    --set)
      key="${2%%=*}"
      settings["$key"]="${2#*=}"
      shift 2
      ;;
    --) shift; break ;;
    *) echo "unknown option $1 (generator flags go after --)" >&2; exit 2 ;;
  esac
done
if [ -z "$out" ]; then
  echo "usage: $0 --out DIR [--rounds N] [--contenders \"switchboard netty raw\"] [--set LABEL.KEY=VALUE] -- LOADGEN_FLAGS" >&2
  exit 2
fi
loadgen_flags=("$@")
warmup=5
for ((i = 0; i < ${#loadgen_flags[@]}; i++)); do
  if [ "${loadgen_flags[$i]}" = "--warmup" ]; then
    warmup="${loadgen_flags[$((i + 1))]}"
  fi
done
if [ "$warmup" -lt 1 ]; then
  echo "--warmup must be at least 1: the CPU window starts at the generator's warmup line" >&2
  exit 2
fi

server_port=18090
ensure_jars
rm -rf "$out"
mkdir -p "$out"
labels=()
for spec in $contenders; do
  labels+=("${spec%%=*}")
done
echo "${labels[*]}" >"$out/contenders.txt"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
trap stop_server EXIT

for ((round = 1; round <= rounds; round++)); do
  for spec in $contenders; do
    label="${spec%%=*}"
    target="${spec#*=}"
    dir="$out/r$round-$label"
    mkdir -p "$dir"
    (
      if [ -n "${settings[$label.server-flags]+x}" ]; then export SERVER_FLAGS="${settings[$label.server-flags]}"; fi
      if [ -n "${settings[$label.java-opts]+x}" ]; then export SERVER_JAVA_OPTS="${settings[$label.java-opts]}"; fi
      if [ -n "${settings[$label.java]+x}" ]; then export SERVER_JAVA="${settings[$label.java]}"; fi
      server_command "$target" "$server_port"
      # shellcheck disable=SC2206
      extra=(${settings[$label.loadgen]:-})
      loadgen_cmd=(taskset -c 0 bench/loadgen --url "ws://127.0.0.1:$server_port/ws" --out "$dir"
        "${loadgen_flags[@]}" "${extra[@]}")
      trap stop_server EXIT
      start_server "$dir"
      {
        echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs, $(git rev-parse --short HEAD), round $round, $label"
        echo "server:  ${server_cmd[*]}"
        echo "loadgen: ${loadgen_cmd[*]}"
        echo "compare: perf-reports/loadgen/compare.sh --out $out --rounds $rounds --contenders \"$contenders\"$(
          for k in "${!settings[@]}"; do printf ' --set %q' "$k=${settings[$k]}"; done) -- ${loadgen_flags[*]}"
        echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
      } >"$dir/command.txt"
      "${loadgen_cmd[@]}" 2>&1 | python3 perf-reports/loadgen/compare.py watch --pid "$server_pid" \
        --cpu-out "$dir/cpu.json" >"$dir/loadgen.log"
      echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$dir/command.txt"
      stop_server
    ) || echo "run $dir failed" >&2
    printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$dir" \
      "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); c=json.load(open(sys.argv[2])); print("valid", s["valid"], "errors", s["errors"], "missing", s["missingDeliveries"], "cpu s", c.get("cpuSeconds"))' \
        "$dir/summary.json" "$dir/cpu.json" 2>/dev/null || echo "no summary")"
  done
done
python3 perf-reports/loadgen/compare.py table "$out"
