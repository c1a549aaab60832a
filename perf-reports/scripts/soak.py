#!/usr/bin/env python3
"""Tables, a plot and the issue-12 goals from one soak run directory (perf-reports/scripts/soak.sh).

    python3 perf-reports/scripts/soak.py DIR [--label TEXT]

Reads DIR/gc.log (unified logging with uptime decorations), DIR/rss.csv, DIR/loadgen/firstRecipient-by-minute.csv
and DIR/loadgen/summary.json; writes DIR/report.md, DIR/heap.svg and DIR/summary.json and prints the report.
Times in gc.log are JVM uptime; the generator's minutes count from the start of its traffic, which begins after
the server started and the 10,000 sockets joined (the offset is estimated from the generator's connect phase).
"""
import csv
import json
import math
import os
import re
import sys

LINE = re.compile(r"^\[(?P<up>[\d.]+)s\]\[(?P<level>\w+)\s*\]\[(?P<tags>[\w,+ ]+?)\s*\]\s*(?P<msg>.*)$")
PAUSE_MS = re.compile(r"Pause.*?(?P<ms>[\d.]+)ms$")
HEAP = re.compile(r"(?P<before>\d+)M(?:\(\d+%\))?->(?P<after>\d+)M")


def parse_gc(path):
    pauses, heaps, full = [], [], 0
    if not os.path.exists(path):
        return pauses, heaps, full
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.strip())
            if not m:
                continue
            up, tags, msg = float(m.group("up")), m.group("tags").strip(), m.group("msg")
            if tags not in ("gc", "gc,phases"):
                continue
            p = PAUSE_MS.search(msg)
            if p and "Pause" in msg:
                pauses.append((up, float(p.group("ms")), msg))
                if "Pause Full" in msg:
                    full += 1
            h = HEAP.search(msg)
            if h and tags == "gc":
                heaps.append((up, int(h.group("after"))))
    return pauses, heaps, full


def percentile(values, pct):
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(math.ceil(pct / 100.0 * len(s))) - 1))
    return s[k]


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def traffic_start_uptime(loadgen_log):
    """Seconds from server start to the generator's first traffic second, from the connect lines."""
    connect = 0.0
    if os.path.exists(loadgen_log):
        with open(loadgen_log, errors="replace") as f:
            for line in f:
                m = re.match(r"^\[connect\s+([\d.]+)s\]", line)
                if m:
                    connect = float(m.group(1))
    return connect + 1.0


def svg(heaps, pauses, minutes_offset, width=760, height=260):
    if not heaps:
        return "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
    x_max = max(max(t for t, _ in heaps), max((t for t, _, _ in pauses), default=0)) or 1
    y_max = max(512, max(v for _, v in heaps))
    left, bottom, top, right = 50, 30, 20, 20

    def sx(t):
        return left + (width - left - right) * t / x_max

    def sy(v):
        return height - bottom - (height - bottom - top) * v / y_max

    pts = " ".join(f"{sx(t):.1f},{sy(v):.1f}" for t, v in heaps)
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' font-family='sans-serif' "
           f"font-size='11'>", "<rect width='100%' height='100%' fill='white'/>",
           f"<text x='{left}' y='14'>heap after each GC (MB) over server uptime (s); traffic from "
           f"{minutes_offset:.0f} s</text>",
           f"<line x1='{left}' y1='{height - bottom}' x2='{width - right}' y2='{height - bottom}' stroke='black'/>",
           f"<line x1='{left}' y1='{top}' x2='{left}' y2='{height - bottom}' stroke='black'/>"]
    for v in range(0, int(y_max) + 1, 128):
        out.append(f"<text x='4' y='{sy(v) + 4:.1f}'>{v}</text>")
        out.append(f"<line x1='{left}' y1='{sy(v):.1f}' x2='{width - right}' y2='{sy(v):.1f}' stroke='#eee'/>")
    step = 60 if x_max > 300 else 30
    for t in range(0, int(x_max) + 1, step):
        out.append(f"<text x='{sx(t) - 8:.1f}' y='{height - 12}'>{t}</text>")
    out.append(f"<polyline fill='none' stroke='#1f77b4' stroke-width='1.5' points='{pts}'/>")
    out.append("</svg>")
    return "\n".join(out)


def fmt(v, digits=1):
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:,.{digits}f}"


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    d = argv[0]
    label = argv[argv.index("--label") + 1] if "--label" in argv else os.path.basename(d.rstrip("/"))
    pauses, heaps, full = parse_gc(os.path.join(d, "gc.log"))
    rss = [(int(r["seconds"]), int(r["rss_kb"])) for r in read_csv(os.path.join(d, "rss.csv"))]
    minutes = read_csv(os.path.join(d, "loadgen", "firstRecipient-by-minute.csv"))
    summary_path = os.path.join(d, "loadgen", "summary.json")
    summary = json.load(open(summary_path)) if os.path.exists(summary_path) else {}
    t0 = traffic_start_uptime(os.path.join(d, "loadgen.log"))

    rows = []
    for m in minutes:
        i = int(m["minute"])
        lo, hi = t0 + 60 * (i - 1), t0 + 60 * i
        p = [ms for t, ms, _ in pauses if lo <= t < hi]
        h = [v for t, v in heaps if lo <= t < hi]
        r = [kb for t, kb in rss if lo <= t < hi]
        rows.append({
            "minute": i, "deliveries": int(m["count"]), "p50_ms": float(m["p50_us"]) / 1000,
            "p99_ms": float(m["p99_us"]) / 1000, "p999_ms": float(m["p999_us"]) / 1000,
            "max_ms": float(m["max_us"]) / 1000, "pauses": len(p), "pause_max_ms": max(p) if p else 0.0,
            "pause_sum_ms": sum(p), "heap_after_min_mb": min(h) if h else None,
            "heap_after_max_mb": max(h) if h else None, "rss_mb": (max(r) / 1024) if r else None})

    steady = [r for r in rows if r["minute"] >= 2 and r["deliveries"] > 0]
    steady_lo = t0 + 60
    steady_pauses = [ms for t, ms, _ in pauses if t >= steady_lo]
    steady_heaps = [v for t, v in heaps if t >= steady_lo]
    steady_full = sum(1 for t, _, msg in pauses if t >= steady_lo and "Pause Full" in msg)
    all_ms = [ms for _, ms, _ in pauses]
    heap_flat = None
    if len(steady_heaps) >= 4:
        q = max(1, len(steady_heaps) // 4)
        first, last = sorted(steady_heaps[:q])[q // 2], sorted(steady_heaps[-q:])[q // 2]
        heap_flat = (last - first) / max(1, first) * 100
    worst_p99 = max((r["p99_ms"] for r in steady), default=float("nan"))

    result = {
        "label": label, "trafficStartUptimeS": t0, "gcPauses": len(pauses), "fullGcs": full,
        "pauseMs": {"p50": percentile(all_ms, 50), "p90": percentile(all_ms, 90), "p99": percentile(all_ms, 99),
                    "max": max(all_ms) if all_ms else 0.0, "total": sum(all_ms)},
        "steady": {"pauses": len(steady_pauses), "pausesOver10ms": sum(1 for x in steady_pauses if x > 10),
                   "pauseMaxMs": max(steady_pauses) if steady_pauses else 0.0, "fullGcs": steady_full,
                   "heapAfterGcChangePct": heap_flat, "worstMinuteP99Ms": worst_p99},
        "minutes": rows,
        "generator": {k: summary.get(k) for k in ("valid", "errors", "missingDeliveries", "sockets")}}
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump(result, f, indent=2)
    with open(os.path.join(d, "heap.svg"), "w") as f:
        f.write(svg(heaps, pauses, t0))

    lines = [f"### {label}", ""]
    cmd = os.path.join(d, "command.txt")
    if os.path.exists(cmd):
        lines += ["```text", open(cmd).read().rstrip(), "```", ""]
    lines += ["| minute | deliveries | first p50 / p99 / p99.9 / max (ms) | GC pauses | longest pause (ms) | "
              "pause total (ms) | heap after GC min-max (MB) | RSS max (MB) |",
              "| ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |"]
    for r in rows:
        heap = "-" if r["heap_after_min_mb"] is None else f"{r['heap_after_min_mb']}-{r['heap_after_max_mb']}"
        lines.append(f"| {r['minute']} | {r['deliveries']:,} | {fmt(r['p50_ms'], 2)} / {fmt(r['p99_ms'], 2)} / "
                     f"{fmt(r['p999_ms'], 2)} / {fmt(r['max_ms'], 2)} | {r['pauses']} | {fmt(r['pause_max_ms'], 2)} | "
                     f"{fmt(r['pause_sum_ms'], 1)} | {heap} | {fmt(r['rss_mb'], 0)} |")
    pm = result["pauseMs"]
    st = result["steady"]
    lines += ["",
              f"Pause distribution over the whole run ({len(pauses)} pauses, {full} full): p50 {fmt(pm['p50'], 3)} ms, "
              f"p90 {fmt(pm['p90'], 3)} ms, p99 {fmt(pm['p99'], 3)} ms, max {fmt(pm['max'], 3)} ms, "
              f"total {fmt(pm['total'], 1)} ms.", "",
              "Goals of issue 12, minute 2 to the end:", "",
              "| goal | measured |", "| --- | --- |",
              f"| heap after GC flat (within 5%) | {fmt(st['heapAfterGcChangePct'], 1)}% "
              f"(median of the last quarter of collections against the first quarter) |",
              f"| no full GC | {st['fullGcs']} |",
              f"| no GC pause over 10 ms | {st['pausesOver10ms']} of {st['pauses']} over 10 ms, "
              f"longest {fmt(st['pauseMaxMs'], 2)} ms |",
              f"| first-recipient p99 under 2 ms | worst minute {fmt(st['worstMinuteP99Ms'], 2)} ms |", "",
              f"Generator: {json.dumps(result['generator'])}", ""]
    report = "\n".join(lines)
    with open(os.path.join(d, "report.md"), "w") as f:
        f.write(report + "\n")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
