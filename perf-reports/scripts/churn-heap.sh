#!/usr/bin/env bash
# Checks that 1,000 join/leave cycles leave no heap behind in the Switchboard server (REQUIREMENTS: "no memory
# growth after churn test (join/leave 1k times)").
#
#   perf-reports/scripts/churn-heap.sh [--out DIR] [--cycles 1000] [--warmup-cycles 200]
#
# Steps, one server process throughout (pinned to CPU 1, the generator to CPU 0, as in run.sh):
#   1. start Switchboard with short expiry (--resume-window-seconds 2 --hostless-room-seconds 2) so that closed
#      sockets' sessions and their rooms are gone within seconds instead of two minutes;
#   2. warm-up: a churn run of --warmup-cycles (200) cycles (JIT, pools, maps grow to their working size), then wait until /metrics
#      shows 0 sockets, 0 rooms and 0 engine sessions, and measure "before";
#   3. the measured run: the generator's churn scenario with --cycles 1000 (exactly 1,000 leave + rejoin cycles over
#      the fleet of 50 rooms x 5; summary.json churnCycles says how many completed), then wait for 0/0/0 again and
#      measure "after".
# A measurement is `jcmd PID GC.run` (a full collection) followed by `jcmd PID GC.heap_info`; the number is the
# heap's "used" after that collection, summed over the generations (heap_used.py; the server pinned to one CPU gets
# the JVM's Serial collector unless SERVER_JAVA_OPTS names another). `jcmd PID GC.class_histogram` (which runs its own full collection) is saved
# next to it, so a difference can be traced to classes. DIR/report.md holds the table and the exact commands.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=../loadgen/server.sh
source "$root/perf-reports/loadgen/server.sh"

out="perf-reports/churn-heap"
cycles=1000
warmup_cycles=200
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --cycles) cycles="$2"; shift 2 ;;
    --warmup-cycles) warmup_cycles="$2"; shift 2 ;;
    *) echo "usage: $0 [--out DIR] [--cycles N] [--warmup-cycles N]" >&2; exit 2 ;;
  esac
done

server_port=18090
export SERVER_FLAGS="${SERVER_FLAGS:---game-event-rate 100 --game-event-burst 200} --resume-window-seconds 2 --hostless-room-seconds 2"
ensure_jars
rm -rf "$out"
mkdir -p "$out"
jcmd="$(dirname "$(readlink -f "$(command -v java)")")/jcmd"
server_command switchboard "$server_port"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
trap stop_server EXIT
start_server "$out"

metric() {
  curl -s "http://127.0.0.1:$server_port/metrics" | awk -v name="$1" '$1 == name || index($1, name "{") == 1 { s += $2 } END { printf "%d\n", s }'
}

# Waits until the server holds no socket, room or session (up to 60 s); prints what it saw.
wait_empty() {
  local sockets rooms sessions
  for _ in $(seq 1 120); do
    sockets="$(metric connected_sockets)"
    rooms="$(metric rooms_total)"
    sessions="$(metric engine_sessions)"
    if [ "$sockets" = 0 ] && [ "$rooms" = 0 ] && [ "$sessions" = 0 ]; then
      echo "sockets 0, rooms 0, sessions 0"
      return 0
    fi
    sleep 0.5
  done
  echo "still sockets $sockets, rooms $rooms, sessions $sessions after 60 s"
}

# measure NAME: full GC, then the heap's used KiB; saves the heap info and the class histogram.
measure() {
  "$jcmd" "$server_pid" GC.run >/dev/null
  "$jcmd" "$server_pid" GC.heap_info >"$out/$1-heap-info.txt"
  "$jcmd" "$server_pid" GC.class_histogram >"$out/$1-class-histogram.txt"
  python3 "$root/perf-reports/scripts/heap_used.py" "$out/$1-heap-info.txt"
}

churn_flags=(--scenario churn --rooms 50 --room-size 5 --rate 2 --session-seconds 2 --warmup 1 --drain 2)
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs, $(git rev-parse --short HEAD)"
  echo "server:  ${server_cmd[*]}"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/command.txt"

idle_kib="$(measure idle)"
warm_cmd=(taskset -c 0 bench/loadgen --url "ws://127.0.0.1:$server_port/ws" --out "$out/warmup" "${churn_flags[@]}"
  --cycles "$warmup_cycles" --duration "$(( warmup_cycles / 50 + 6 ))")
echo "warmup:  ${warm_cmd[*]}" >>"$out/command.txt"
"${warm_cmd[@]}" >"$out/warmup.log" 2>&1
warm_state="$(wait_empty)"
before_kib="$(measure before)"

run_cmd=(taskset -c 0 bench/loadgen --url "ws://127.0.0.1:$server_port/ws" --out "$out/churn" "${churn_flags[@]}"
  --cycles "$cycles" --duration 20)
echo "loadgen: ${run_cmd[*]}" >>"$out/command.txt"
"${run_cmd[@]}" >"$out/churn.log" 2>&1
after_state="$(wait_empty)"
after_kib="$(measure after)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/command.txt"
echo "measure: jcmd PID GC.run; jcmd PID GC.heap_info (used after the full GC); jcmd PID GC.class_histogram" >>"$out/command.txt"

python3 - "$out" "$cycles" "$idle_kib" "$before_kib" "$after_kib" "$warm_state" "$after_state" "$warmup_cycles" <<'EOF'
import json, pathlib, sys
out, cycles, idle, before, after, warm_state, after_state, warmup_cycles = sys.argv[1:]
out = pathlib.Path(out)
idle, before, after, cycles = int(idle), int(before), int(after), int(cycles)
warmup_cycles = f"{int(warmup_cycles):,}"
summary = json.loads((out / "churn" / "summary.json").read_text())
done = summary["churnCycles"]


def top(name, n=12):
    rows = {}
    for line in (out / f"{name}-class-histogram.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0].endswith(":"):
            rows[parts[3]] = (int(parts[1]), int(parts[2]))
    return rows


def total(name):
    for line in (out / f"{name}-class-histogram.txt").read_text().splitlines():
        parts = line.split()
        if parts and parts[0] == "Total":
            return int(parts[2])
    return 0


b, a = top("before"), top("after")
hi, hb, ha = total("idle"), total("before"), total("after")
growth = sorted(((a.get(k, (0, 0))[1] - b.get(k, (0, 0))[1], a.get(k, (0, 0))[0] - b.get(k, (0, 0))[0], k)
                 for k in set(a) | set(b)), reverse=True)[:10]
lines = [
    f"Switchboard heap after a full GC (`jcmd PID GC.run`, then `GC.heap_info`: heap used), before and after "
    f"{cycles:,} join/leave cycles of the generator's churn scenario (50 rooms x 5, each viewer leaves after 2 s, "
    f"reconnects and joins again; summary.json: churnCycles = {done:,}, errors = {summary['errors']}, "
    f"connect failures = {summary['connectFailures']}, disconnects = {summary['disconnects']}).",
    "",
    "| state | heap used after full GC, GC.heap_info (KiB) | difference to before (KiB) "
    "| live objects, GC.class_histogram total (bytes) | difference to before (bytes) |",
    "| --- | --- | --- | --- | --- |",
    f"| idle, just started | {idle:,} | | {hi:,} | |",
    f"| before: after a {warmup_cycles}-cycle warm-up run, every socket closed ({warm_state}) | {before:,} | 0 | {hb:,} | 0 |",
    f"| after: after the {cycles:,}-cycle run, every socket closed ({after_state}) | {after:,} | {after - before:+,} "
    f"| {ha:,} | {ha - hb:+,} |",
    "",
    f"Difference per cycle: {(after - before) * 1024 / max(done, 1):+,.0f} bytes by GC.heap_info, "
    f"{(ha - hb) / max(done, 1):+,.0f} bytes by the class histogram's total of live objects. GC.heap_info's "
    f"'used' is the occupied space of the heap's spaces right after the collection (summed over generations), the "
    f"histogram's total is the bytes of reachable objects counted after its own full collection.",
    "",
    "Largest class-histogram growths, before to after (bytes, instances; each histogram taken after its own full GC):",
    "",
    "| class | bytes | instances |",
    "| --- | --- | --- |",
]
lines += [f"| `{k}` | {db:+,} | {dn:+,} |" for db, dn, k in growth]
lines += ["", "Commands:", "", "```text"] + (out / "command.txt").read_text().splitlines() + ["```"]
(out / "report.md").write_text("\n".join(lines) + "\n")
(out / "heap.json").write_text(json.dumps({"idleKiB": idle, "beforeKiB": before, "afterKiB": after,
                                           "differenceKiB": after - before, "histogramBeforeBytes": hb,
                                           "histogramAfterBytes": ha, "histogramDifferenceBytes": ha - hb,
                                           "cycles": done}, indent=2) + "\n")
print("\n".join(lines[:10]))
EOF
