#!/usr/bin/env python3
"""Helper of compare.sh (python3 standard library only).

  compare.py watch --pid PID --cpu-out FILE      copies the generator's console from stdin to stdout and samples the
                                                 server's CPU time (utime + stime of /proc/PID/stat) when the
                                                 generator's measurement window starts and when its last send is due
  compare.py table DIR                           prints the Markdown comparison of the runs in DIR (r<round>-<label>/)
                                                 and writes DIR/compare.json

The window: the generator prints a progress line each second after traffic starts; the line of second W (the
warmup length, labelled "warmup") is printed when the measurement window starts, the line of second W + D (labelled
"measure") when the last scheduled send of the window is due. The CPU sample is taken as each line arrives, so the
window is the generator's D-second measurement window to within the line's delivery (milliseconds). Deliveries
are the generator's deliveriesPerSec x D: every delivery counted from the window's start until its drain ends.
"""
import json
import os
import pathlib
import re
import statistics
import sys

START = re.compile(r"warmup (\d+) s, measure (\d+) s")
PROGRESS = re.compile(r"^\[(warmup |measure) +(\d+)s\]")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def watch(argv):
    pid = int(argv[argv.index("--pid") + 1])
    out = pathlib.Path(argv[argv.index("--cpu-out") + 1])
    clk_tck = os.sysconf("SC_CLK_TCK")
    record = {"clkTck": clk_tck, "pid": pid}
    try:
        record["ticksAtGeneratorStart"] = cpu_ticks(pid)
    except OSError:
        pass
    warmup = duration = None
    for line in sys.stdin:
        sys.stdout.write(line)
        sys.stdout.flush()
        if warmup is None:
            m = START.search(line)
            if m:
                warmup, duration = int(m.group(1)), int(m.group(2))
                record["warmupSeconds"], record["durationSeconds"] = warmup, duration
            continue
        m = PROGRESS.match(line)
        if not m:
            continue
        second = int(m.group(2))
        try:
            if second == warmup and "windowStartTicks" not in record:
                record["windowStartTicks"] = cpu_ticks(pid)
            elif second == warmup + duration and "windowEndTicks" not in record:
                record["windowEndTicks"] = cpu_ticks(pid)
        except OSError as ex:
            record["error"] = f"server process gone: {ex}"
    try:
        record["ticksAtGeneratorEnd"] = cpu_ticks(pid)
    except OSError:
        pass
    if "windowStartTicks" in record and "windowEndTicks" in record:
        record["cpuSeconds"] = (record["windowEndTicks"] - record["windowStartTicks"]) / clk_tck
        record["cpuShareOfWindow"] = record["cpuSeconds"] / duration
    if "ticksAtGeneratorStart" in record and "ticksAtGeneratorEnd" in record:
        record["cpuSecondsWholeRun"] = (record["ticksAtGeneratorEnd"] - record["ticksAtGeneratorStart"]) / clk_tck
    record["window"] = ("server utime+stime from the generator's measurement-window start (progress line of second "
                        "warmup) to its last scheduled send (progress line of second warmup+duration); warmup, "
                        "connect, drain and shutdown excluded")
    out.write_text(json.dumps(record, indent=2) + "\n")


KEYS = ["p50", "p99", "p999", "max"]


def load_runs(root):
    runs = []
    for d in sorted(root.iterdir()):
        m = re.match(r"r(\d+)-(.+)$", d.name)
        if not m or not (d / "summary.json").exists():
            continue
        s = json.loads((d / "summary.json").read_text())
        cpu = json.loads((d / "cpu.json").read_text()) if (d / "cpu.json").exists() else {}
        dur = s["settings"]["durationSeconds"]
        deliveries = s["deliveriesPerSec"] * dur
        cpu_s = cpu.get("cpuSeconds")
        lat = s["latencyMicros"]
        runs.append({
            "dir": d.name, "round": int(m.group(1)), "label": m.group(2), "summary": s,
            "cpuSeconds": cpu_s,
            "deliveriesPerCpuSecond": deliveries / cpu_s if cpu_s else None,
            "first": {k: lat.get("firstRecipient", {}).get(k) for k in KEYS},
            "last": {k: lat.get("lastRecipient", {}).get(k) for k in KEYS},
            "load": load_averages(d),
        })
    return runs


def load_averages(d):
    command = (d / "command.txt").read_text() if (d / "command.txt").exists() else ""
    return [line.split(":")[1].split()[0] for line in command.splitlines() if line.startswith("load average")]


def median_spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f}"


def fmt_ms(stat, digits=0):
    if stat is None:
        return "n/a"
    if stat["n"] == 1:
        return fmt(stat["median"], digits)
    return f"{fmt(stat['median'], digits)} [{fmt(stat['min'], digits)}-{fmt(stat['max'], digits)}]"


def table(argv):
    root = pathlib.Path(argv[0])
    runs = load_runs(root)
    order = []
    contenders_file = root / "contenders.txt"
    if contenders_file.exists():
        order = contenders_file.read_text().split()
    for r in runs:
        if r["label"] not in order:
            order.append(r["label"])
    by_label = {label: [r for r in runs if r["label"] == label] for label in order}
    result = {"contenders": {}, "ratios": {}}
    out = []
    out.append("Per run (latencies in microseconds from the intended send time; server CPU in the measurement window):")
    out.append("")
    out.append("| run | valid | on schedule | achieved msg/s | deliveries/s | server CPU s | deliveries per server CPU-s "
               "| first p50 / p99 / p99.9 / max | last p50 / p99 / p99.9 / max | errors / missing / cross-room / "
               "disconnects | load avg before / after |")
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label in order:
        for r in by_label[label]:
            s = r["summary"]
            out.append(
                f"| {r['dir']} | {s['valid']} | {s['generatorOnSchedule']} | {fmt(s['achievedRate'])} "
                f"| {fmt(s['deliveriesPerSec'])} | {fmt(r['cpuSeconds'], 2)} | {fmt(r['deliveriesPerCpuSecond'])} "
                f"| {' / '.join(fmt(r['first'][k]) for k in KEYS)} | {' / '.join(fmt(r['last'][k]) for k in KEYS)} "
                f"| {s['errors']} / {s['missingDeliveries']} / {s['crossRoomDeliveries']} / {s['disconnects']} "
                f"| {' / '.join(r['load'])} |")
    out.append("")
    out.append("Median over rounds [min-max]:")
    out.append("")
    out.append("| contender | rounds | deliveries per server CPU-s | server CPU s | first p50 | first p99 | first p99.9 "
               "| first max | last p50 | last p99 | last p99.9 | last max |")
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label in order:
        rs = by_label[label]
        stats = {"deliveriesPerCpuSecond": median_spread([r["deliveriesPerCpuSecond"] for r in rs]),
                 "cpuSeconds": median_spread([r["cpuSeconds"] for r in rs])}
        for side in ("first", "last"):
            for k in KEYS:
                stats[f"{side}.{k}"] = median_spread([r[side][k] for r in rs])
        result["contenders"][label] = stats
        out.append(f"| {label} | {len(rs)} | {fmt_ms(stats['deliveriesPerCpuSecond'])} | {fmt_ms(stats['cpuSeconds'], 2)} | "
                   + " | ".join(fmt_ms(stats[f"{side}.{k}"]) for side in ("first", "last") for k in KEYS) + " |")
    if len(order) > 1:
        base = order[0]
        out.append("")
        out.append(f"Ratios {base}/other, per round, then median [min-max] over rounds (deliveries per CPU-second: "
                   f"above 1 means {base} does more work per CPU-second; latencies: below 1 means {base} is faster):")
        out.append("")
        out.append("| ratio | deliveries per CPU-s | first p50 | first p99 | first p99.9 | first max | last p50 | last p99 "
                   "| last p99.9 | last max |")
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for other in order[1:]:
            ratios = {}
            rounds = sorted({r["round"] for r in runs})
            for metric in ["deliveriesPerCpuSecond"] + [f"{side}.{k}" for side in ("first", "last") for k in KEYS]:
                values = []
                for rnd in rounds:
                    a = [r for r in by_label[base] if r["round"] == rnd]
                    b = [r for r in by_label[other] if r["round"] == rnd]
                    if not a or not b:
                        continue
                    va, vb = value(a[0], metric), value(b[0], metric)
                    if va is not None and vb:
                        values.append(va / vb)
                ratios[metric] = median_spread(values)
            result["ratios"][f"{base}/{other}"] = ratios
            out.append(f"| {base}/{other} | " + " | ".join(
                fmt_ms(ratios[m], 2) for m in ["deliveriesPerCpuSecond"] +
                [f"{side}.{k}" for side in ("first", "last") for k in KEYS]) + " |")
    (root / "compare.json").write_text(json.dumps(result, indent=2) + "\n")
    (root / "compare.md").write_text("\n".join(out) + "\n")
    print("\n".join(out))


def value(run, metric):
    if metric == "deliveriesPerCpuSecond":
        return run["deliveriesPerCpuSecond"]
    side, k = metric.split(".")
    return run[side][k]


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("watch", "table"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    (watch if sys.argv[1] == "watch" else table)(sys.argv[2:])
