#!/usr/bin/env bash
# Interleaved JMH comparison of two builds of the bench jar: before, after, before, after, ... so that a change in
# machine load hits both builds alike. Each run writes JMH's JSON (with -prof gc) for jmh_ab.py to tabulate.
#
#   perf-reports/scripts/jmh-ab.sh BEFORE_DIR AFTER_DIR OUT_DIR [ROUNDS] [REGEX]
#
# BEFORE_DIR and AFTER_DIR each hold switchboard-bench-0.1.0-SNAPSHOT.jar and its lib/ (copied from
# bench/target after `./mvnw -B -o package -DskipTests -Djib.skip -DskipDist -pl bench -am` at each commit).
set -euo pipefail
before=$1 after=$2 out=$3 rounds=${4:-2}
regex=${5:-'EngineBenchmark\.(directedRelay|gameEventBroadcast|duplicateDropped)|GameStateBenchmark\.admitMergeAndCoalesce|EnvelopeDecodeBenchmark\.decoder|FrameCodecBenchmark\.(encodeTextFrame|decodeMaskedTextFrame)'}
mkdir -p "$out"
for round in $(seq 1 "$rounds"); do
    for side in before after; do
        dir=$before
        [[ $side == after ]] && dir=$after
        echo "$(date -u +%T) round $round/$rounds: $side ($dir), load $(cut -d' ' -f1-3 /proc/loadavg)"
        java -jar "$dir/switchboard-bench-0.1.0-SNAPSHOT.jar" "$regex" -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc \
            -jvmArgs '--add-exports java.base/jdk.internal.misc=ALL-UNNAMED' \
            -rf json -rff "$out/$side-round$round.json" > "$out/$side-round$round.log" 2>&1
        grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.[a-zA-Z]+) ' "$out/$side-round$round.log"  || true
    done
done
echo "$(date -u +%T) done, load $(cut -d' ' -f1-3 /proc/loadavg)"
