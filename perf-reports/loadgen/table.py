#!/usr/bin/env python3
"""Prints a Markdown table of every perf-reports/loadgen/*/summary.json (or of the directories named)."""
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
dirs = [pathlib.Path(d) for d in sys.argv[1:]] or sorted(p.parent for p in here.glob("*/summary.json"))

print("| run | server | scenario | sockets | target msg/s | achieved | valid | deliveries/s "
      "| first p50 / p99 / p99.9 / max (us) | last p50 / p99 / p99.9 / max (us) | ack p50 / p99 (us) "
      "| generator send lag p99 (us) | errors / rate-limited / disconnects / connect failures | missing deliveries "
      "| load avg before / after |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for d in dirs:
    s = json.loads((d / "summary.json").read_text())
    command = (d / "command.txt").read_text() if (d / "command.txt").exists() else ""
    server = ("netty relay" if "NettyRelay" in command else "raw writer" if "RawWriter" in command
              else "switchboard" if "switchboard.jar" in command else "?")
    lat = s["latencyMicros"]
    load = [line.split(":")[1].split()[0] for line in command.splitlines() if line.startswith("load average")]

    def q(name, keys):
        block = lat.get(name, {})
        return " / ".join(f"{block.get(k, 0):,.0f}" for k in keys)

    print(f"| {d.name} | {server} | {s['scenario']} | {s['sockets']['joinedAtStart']:,}/{s['sockets']['planned']:,} "
          f"| {s['targetRate']:,.0f} | {s['achievedRate']:,.0f} | {s['valid']} | {s['deliveriesPerSec']:,.0f} "
          f"| {q('firstRecipient', ['p50', 'p99', 'p999', 'max'])} | {q('lastRecipient', ['p50', 'p99', 'p999', 'max'])} "
          f"| {q('ack', ['p50', 'p99'])} | {q('sendLag', ['p99'])} "
          f"| {s['errors']} / {s['rateLimited']} / {s['disconnects']} / {s['connectFailures']} | {s['missingDeliveries']} | {' / '.join(load)} |")
