#!/usr/bin/env bash
# Issue #14: Switchboard in each threading mode against the raw NIO writer and the Netty relay, interleaved in one
# run (compare.sh: every server pinned to CPU 1 with taskset, the generator to CPU 0), in the issue's two scenarios:
#   small rooms: 10,000 sockets in 2,000 rooms of 5, 2 publishes/s/room (4,000 msgs/s in, 16,000 deliveries/s)
#   huge room:   one room of 5,000, 10 publishes/s (10 msgs/s in, 49,990 deliveries/s)
# then threading-syscalls.sh for context switches, wake-ups and syscalls per message.
#
#   perf-reports/scripts/threading.sh            # ROUNDS=2 DURATION=20 SCENARIOS="small huge" by default
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rounds="${ROUNDS:-2}"
duration="${DURATION:-20}"
limits="--game-event-rate 100 --game-event-burst 200"
contenders="shared=switchboard dedicated=switchboard netty raw"
run() {
  local out="$1"
  shift
  perf-reports/loadgen/compare.sh --out "$out" --rounds "$rounds" --contenders "$contenders" \
    --set "shared.server-flags=--threading-mode shared $limits" \
    --set "dedicated.server-flags=--threading-mode dedicated $limits" -- "$@"
}
scenarios="${SCENARIOS:-small huge}"
case " $scenarios " in *" small "*)
run perf-reports/threading/small-rooms-10000 --scenario small-rooms --rooms 2000 --room-size 5 --rate 2 \
  --duration "$duration" --warmup 5 ;;
esac
case " $scenarios " in *" huge "*)
run perf-reports/threading/huge-room-5000 --scenario huge-room --rooms 1 --room-size 5000 --rate 10 \
  --duration "$duration" --warmup 5 ;;
esac
