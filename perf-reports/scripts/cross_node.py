#!/usr/bin/env python3
"""Tabulates a cross-node.sh run: one row per generator run, then the median ratios cross / local."""
import json
import os
import statistics
import sys


def percentiles(summary, channel):
    lat = summary["latencyMicros"][channel]
    return [lat["p50"], lat["p99"], lat["p999"], lat["max"]]


def main(out):
    rows = []
    for name in sorted(os.listdir(out)):
        path = os.path.join(out, name, "summary.json")
        if not name.startswith("round-") or not os.path.exists(path):
            continue
        summary = json.load(open(path))
        cpu = json.load(open(os.path.join(out, name, "server-cpu.json")))
        mode = name.rsplit("-", 1)[1]
        rows.append((name, mode, summary, cpu))
    print("# Cross-node hop against a single node, same run\n")
    print("Latencies in microseconds, from the generator's HdrHistograms (`receive - intended send`).\n")
    print("| run | valid | achieved / target msg/s | deliveries/s | errors / missing / cross-room | "
          "first p50 / p99 / p99.9 / max | last p50 / p99 / p99.9 / max | ack p50 / p99 | "
          "CPU s node A / node B / redis | load avg after |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, mode, s, cpu in rows:
        first = " / ".join(f"{v:,.0f}" for v in percentiles(s, "firstRecipient"))
        last = " / ".join(f"{v:,.0f}" for v in percentiles(s, "lastRecipient"))
        ack = s["latencyMicros"]["ack"]
        print(f"| {name} | {s['valid']} | {s['achievedRate']:,.0f} / {s['targetRate']:,.0f} | "
              f"{s['deliveriesPerSec']:,.0f} | {s['errors']} / {s['missingDeliveries']} / "
              f"{s['crossRoomDeliveries']} | {first} | {last} | {ack['p50']:,.0f} / {ack['p99']:,.0f} | "
              f"{cpu['nodeACpuSeconds']:.1f} / {cpu['nodeBCpuSeconds']:.1f} / {cpu['redisCpuSeconds']:.1f} | "
              f"{cpu['loadAverageAfter']:.2f} |")
    print()
    print("| percentile | local (median over rounds) | cross (median over rounds) | added by the hop | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for channel in ("firstRecipient", "lastRecipient"):
        for i, label in enumerate(("p50", "p99", "p99.9", "max")):
            local = statistics.median(percentiles(s, channel)[i] for _, m, s, _ in rows if m == "local")
            cross = statistics.median(percentiles(s, channel)[i] for _, m, s, _ in rows if m == "cross")
            print(f"| {channel} {label} | {local:,.0f} us | {cross:,.0f} us | {cross - local:,.0f} us | "
                  f"{cross / local:.2f}x |")


if __name__ == "__main__":
    main(sys.argv[1])
