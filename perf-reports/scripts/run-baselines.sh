#!/usr/bin/env bash
# Records the measurements of perf-reports/baselines.md, one at a time, into perf-reports/baselines/STEP/.
#
#   perf-reports/scripts/run-baselines.sh STEP...      STEP: small-1000 small-10000 huge slow churn batch pinned
#
# small-1000   compare.sh small-rooms, 200 rooms x 5 = 1,000 sockets, switchboard netty raw, 3 rounds x 30 s
# small-10000  compare.sh small-rooms, 2,000 rooms x 5 = 10,000 sockets, switchboard netty raw, 3 rounds x 30 s
# huge         compare.sh huge-room, 1 room x 10,000 sockets, switchboard netty raw, 3 rounds x 30 s
# slow         compare.sh small-rooms 1,000 sockets against Switchboard, 0% and 1% of the sockets (10 viewers,
#              --slow-share 0.0125 of the 800 viewers) stalled, interleaved, 3 rounds x 30 s
# churn        churn-heap.sh, 1,000 cycles
# batch        batch-latency.sh, 1,000 sockets for 300 s
# pinned       compare.sh small-rooms 1,000 sockets, Switchboard: default (blocking, no pinning; the JVM picks the
#              Serial collector on one CPU), yielding wait strategy with engine and IoAgent pinned to CPU 1, G1, and
#              generational ZGC on Temurin 25; 2 rounds x 20 s
# report       perf-reports/baselines.md from whatever of the above exists (report.py), with baselines/intro.md first
#              baselines/goals.md (written by hand from the numbers) after the machine, baselines/jvm.md last; a
#              churn-heap.sh --out perf-reports/baselines/churn-heap-1500 --cycles 1500 run is included when present
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
base="perf-reports/baselines"
compare=perf-reports/loadgen/compare.sh
rates="--game-event-rate 100 --game-event-burst 200"
temurin25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java

for step in "$@"; do
  echo "$(date -u +%H:%M:%S) $step: start, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  case "$step" in
    small-1000)
      "$compare" --out "$base/small-rooms-1000" --rounds 3 -- --scenario small-rooms --rooms 200 --room-size 5 \
        --duration 30 --warmup 5
      ;;
    small-10000)
      "$compare" --out "$base/small-rooms-10000" --rounds 3 -- --scenario small-rooms --rooms 2000 --room-size 5 \
        --duration 30 --warmup 5
      ;;
    huge)
      "$compare" --out "$base/huge-room-10000" --rounds 3 -- --scenario huge-room --rooms 1 --room-size 10000 \
        --duration 30 --warmup 5
      ;;
    slow)
      "$compare" --out "$base/slow-consumers-1000" --rounds 3 \
        --contenders "stalled-0=switchboard stalled-1pct=switchboard" \
        --set "stalled-1pct.loadgen=--slow-share 0.0125" -- \
        --scenario small-rooms --rooms 200 --room-size 5 --duration 30 --warmup 5
      ;;
    churn)
      perf-reports/scripts/churn-heap.sh --out "$base/churn-heap" --cycles 1000
      ;;
    churn-warm)
      perf-reports/scripts/churn-heap.sh --out "$base/churn-heap-warm" --cycles 1000 --warmup-cycles 1000
      ;;
    batch)
      perf-reports/scripts/batch-latency.sh --out "$base/batch-latency" --duration 300
      ;;
    pinned)
      "$compare" --out "$base/pinned-1000" --rounds 2 \
        --contenders "default=switchboard yielding-pinned=switchboard g1=switchboard zgc-25=switchboard" \
        --set "yielding-pinned.server-flags=$rates --wait-strategy yielding --engine-cpus 1 --io-cpus 1" \
        --set "g1.java-opts=-Xms1g -Xmx1g -XX:+UseG1GC" \
        --set "zgc-25.java-opts=-Xms1g -Xmx1g -XX:+UseZGC" --set "zgc-25.java=$temurin25" -- \
        --scenario small-rooms --rooms 200 --room-size 5 --duration 20 --warmup 5
      ;;
    report)
      args=(--out perf-reports/baselines.md --title "Baselines: Switchboard, the Netty relay and the raw NIO writer"
        --intro "$base/intro.md")
      add_group() {
        if [ -d "$2" ]; then args+=(--group "$1" "$2"); fi
      }
      if [ -f "$base/goals.md" ]; then
        args+=(--include "Where the goals of issue #7 stand" "$base/goals.md")
      fi
      add_group "Small rooms, 1,000 sockets (200 rooms x 5, 2,000 game events/s in, 8,000 deliveries/s out)" \
        "$base/small-rooms-1000"
      add_group "Small rooms, 10,000 sockets (2,000 rooms x 5, 20,000 game events/s in, 80,000 deliveries/s out)" \
        "$base/small-rooms-10000"
      add_group "Huge room, 10,000 sockets (1 room, 5 game events/s, 50,000 deliveries/s)" "$base/huge-room-10000"
      add_group "Slow-consumer isolation: Switchboard with 0% and 1% of the sockets stalled (1,000 sockets)" \
        "$base/slow-consumers-1000"
      add_group "Wait strategy, pinning and collectors: Switchboard at 1,000 sockets" "$base/pinned-1000"
      if [ -f "$base/churn-heap/report.md" ]; then
        args+=(--include "Heap after 1,000 churn cycles" "$base/churn-heap/report.md")
      fi
      if [ -f "$base/churn-heap-1500/report.md" ]; then
        args+=(--include "Heap after 1,500 churn cycles (check of the 1,000-cycle difference)" \
          "$base/churn-heap-1500/report.md")
      fi
      if [ -f "$base/churn-heap-warm/report.md" ]; then
        args+=(--include "Heap after 1,000 churn cycles, measured after a 1,000-cycle warm-up" \
          "$base/churn-heap-warm/report.md")
      fi
      if [ -f "$base/batch-latency/summary.md" ]; then
        {
          echo "![engine loop latency over time](baselines/batch-latency/loop-latency.svg)"
          echo
          cat "$base/batch-latency/summary.md"
          echo
          echo "Data: \`baselines/batch-latency/metrics.csv\`; generator results in \`baselines/batch-latency/loadgen/\`."
          echo
          echo '```text'
          cat "$base/batch-latency/command.txt"
          echo '```'
        } >"$base/batch-latency/section.md"
        args+=(--include "Engine loop and batch latency over 5 minutes at 1,000 sockets" "$base/batch-latency/section.md")
      fi
      if [ -f "$base/jvm.md" ]; then
        args+=(--include "JVM flags and wait strategy: recommendation" "$base/jvm.md")
      fi
      python3 perf-reports/scripts/report.py "${args[@]}"
      ;;
    *)
      echo "unknown step $step" >&2
      exit 2
      ;;
  esac
  echo "$(date -u +%H:%M:%S) $step: done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
