#!/usr/bin/env bash
# Runs the whole recorded matrix: each scenario against Switchboard and against the Netty relay, one after the
# other (never in parallel: the machine has 2 CPUs, one for the server, one for the generator), then prints the
# table for README.md. About 8 minutes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run() {
  local name="$1"
  shift
  for target in switchboard netty; do
    "$here/run.sh" "$target" "$target-$name" "$@" >/dev/null 2>&1 || echo "run $target-$name failed" >&2
  done
}
run small-rooms-200   --scenario small-rooms --rooms 200 --duration 20 --warmup 5
run small-rooms-2000  --scenario small-rooms --rooms 2000 --duration 20 --warmup 5
run huge-room-10000   --scenario huge-room --duration 20 --warmup 5
run mixed-200         --scenario mixed --rooms 200 --duration 20 --warmup 5
run churn-500         --scenario churn --duration 20 --warmup 5
run slow-consumers-1000 --scenario slow-consumers --duration 20 --warmup 5
python3 "$here/table.py"
