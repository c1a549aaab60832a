#!/usr/bin/env python3
"""Helper of batch-latency.sh (python3 standard library only).

  batch_latency.py scrape --url URL --interval S --csv FILE --while-pid PID
      scrapes the server's /metrics every S seconds while process PID (the generator) runs and appends one CSV row
      per scrape: the engine's loop and batch latency quantiles (engine_loop_latency_seconds and
      engine_batch_latency_seconds, p50/p99/p99.9 over the exporter's last one-second interval, shard 0), their
      one-second maxima (*_max_seconds), the mean loop latency over the scrape interval (from the cumulative
      _sum/_count), the IoAgent's longest loop iteration (io_loop_work_max_seconds), connected sockets and the
      messages in/out per second; latencies in microseconds.
  batch_latency.py report --csv FILE --out DIR --warmup S
      writes DIR/loop-latency.svg (latency over time, log scale) and DIR/summary.md (per-minute medians and maxima).
"""
import csv
import math
import os
import pathlib
import re
import statistics
import sys
import time
import urllib.request

COLUMNS = ["elapsed_s", "unix_s", "loop_p50_us", "loop_p99_us", "loop_p999_us", "loop_max_us", "loop_mean_us",
           "batch_p50_us", "batch_p99_us", "batch_p999_us", "batch_max_us", "io_loop_work_max_us",
           "connected_sockets", "msgs_in_per_sec", "msgs_out_per_sec"]
LINE = re.compile(r'^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)')


def parse(text):
    samples = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(3) or ""))
        try:
            value = float(m.group(4))
        except ValueError:
            continue
        samples.setdefault(m.group(1), []).append((labels, value))
    return samples


def pick(samples, name, **want):
    total = None
    for labels, value in samples.get(name, []):
        if all(labels.get(k) == v for k, v in want.items()):
            total = value if total is None else total + value
    return total


def us(seconds):
    if seconds is None or math.isnan(seconds):
        return ""
    return f"{seconds * 1e6:.1f}"


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def scrape(argv):
    url = argv[argv.index("--url") + 1]
    interval = float(argv[argv.index("--interval") + 1])
    path = pathlib.Path(argv[argv.index("--csv") + 1])
    pid = int(argv[argv.index("--while-pid") + 1])
    start = time.time()
    previous = None
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        next_at = start
        while pid_alive(pid):
            next_at += interval
            delay = next_at - time.time()
            if delay > 0:
                time.sleep(delay)
            try:
                text = urllib.request.urlopen(url, timeout=interval).read().decode()
            except OSError as ex:
                print(f"scrape failed: {ex}", file=sys.stderr)
                continue
            now = time.time()
            s = parse(text)
            count = pick(s, "engine_loop_latency_seconds_count", shard="0")
            total = pick(s, "engine_loop_latency_seconds_sum", shard="0")
            mean = None
            if previous and count is not None and count > previous[0]:
                mean = (total - previous[1]) / (count - previous[0])
            previous = (count, total)
            writer.writerow([f"{now - start:.1f}", f"{now:.1f}",
                             us(pick(s, "engine_loop_latency_seconds", shard="0", quantile="0.5")),
                             us(pick(s, "engine_loop_latency_seconds", shard="0", quantile="0.99")),
                             us(pick(s, "engine_loop_latency_seconds", shard="0", quantile="0.999")),
                             us(pick(s, "engine_loop_latency_max_seconds", shard="0")),
                             us(mean),
                             us(pick(s, "engine_batch_latency_seconds", shard="0", quantile="0.5")),
                             us(pick(s, "engine_batch_latency_seconds", shard="0", quantile="0.99")),
                             us(pick(s, "engine_batch_latency_seconds", shard="0", quantile="0.999")),
                             us(pick(s, "engine_batch_latency_max_seconds", shard="0")),
                             us(pick(s, "io_loop_work_max_seconds", agent="0")),
                             f"{pick(s, 'connected_sockets') or 0:.0f}",
                             f"{pick(s, 'msgs_in_per_sec') or 0:.0f}",
                             f"{pick(s, 'msgs_out_per_sec') or 0:.0f}"])
            f.flush()


def read_rows(path):
    with path.open() as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for k, v in row.items():
            row[k] = float(v) if v not in ("", None) else None
    return rows


SERIES = [("loop_p50_us", "loop p50", "#1f77b4"), ("loop_p99_us", "loop p99", "#d62728"),
          ("loop_p999_us", "loop p99.9", "#9467bd"), ("loop_max_us", "loop max (1 s)", "#7f7f7f"),
          ("loop_mean_us", "loop mean (5 s)", "#2ca02c"), ("batch_p99_us", "batch p99", "#ff7f0e")]


def svg(rows, title):
    width, height = 900, 440
    left, right, top, bottom = 80, 170, 40, 55
    pw, ph = width - left - right, height - top - bottom
    values = [r[k] for r in rows for k, _, _ in SERIES if r.get(k)]
    if not values:
        return None
    x_max = max(r["elapsed_s"] for r in rows) or 1
    y_min = 10 ** math.floor(math.log10(max(min(values), 0.1)))
    y_max = 10 ** math.ceil(math.log10(max(values)))
    if y_max <= y_min:
        y_max = y_min * 10

    def sx(x):
        return left + pw * x / x_max

    def sy(v):
        v = max(v, y_min)
        return top + ph * (1 - (math.log10(v) - math.log10(y_min)) / (math.log10(y_max) - math.log10(y_min)))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           f'font-size="12">', f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left + pw / 2}" y="22" text-anchor="middle" font-size="14">{title}</text>']
    step = 60 if x_max > 120 else 10
    t = 0
    while t <= x_max:
        out.append(f'<line x1="{sx(t):.1f}" y1="{top}" x2="{sx(t):.1f}" y2="{top + ph}" stroke="#ddd"/>')
        out.append(f'<text x="{sx(t):.1f}" y="{top + ph + 18}" text-anchor="middle">{t:.0f}</text>')
        t += step
    d = y_min
    while d <= y_max * 1.0001:
        label = f"{d / 1000:g} ms" if d >= 1000 else f"{d:g} us"
        out.append(f'<line x1="{left}" y1="{sy(d):.1f}" x2="{left + pw}" y2="{sy(d):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{sy(d) + 4:.1f}" text-anchor="end">{label}</text>')
        d *= 10
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 12}" text-anchor="middle">seconds since the generator '
               f'started</text>')
    ly = top + 10
    for key, label, color in SERIES:
        pts = " ".join(f"{sx(r['elapsed_s']):.1f},{sy(r[key]):.1f}" for r in rows if r.get(key))
        if pts:
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{pts}"/>')
        out.append(f'<line x1="{left + pw + 12}" y1="{ly}" x2="{left + pw + 32}" y2="{ly}" stroke="{color}" '
                   f'stroke-width="2"/><text x="{left + pw + 38}" y="{ly + 4}">{label}</text>')
        ly += 18
    out.append("</svg>")
    return "\n".join(out) + "\n"


def report(argv):
    path = pathlib.Path(argv[argv.index("--csv") + 1])
    out = pathlib.Path(argv[argv.index("--out") + 1])
    warmup = float(argv[argv.index("--warmup") + 1])
    rows = read_rows(path)
    loaded = [r for r in rows if r["connected_sockets"] and r["msgs_in_per_sec"]]
    plot = svg(rows, "Switchboard engine loop and batch latency over time (/metrics every 5 s)")
    if plot:
        (out / "loop-latency.svg").write_text(plot)
    lines = ["| minute of traffic | scrapes | sockets | msgs in/s | loop p50 (us) | loop p99 (us) | loop p99.9 (us) "
             "| loop mean (us) | loop max (us) | batch p99 (us) | batch max (us) | IoAgent loop max (us) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    if loaded:
        t0 = loaded[0]["elapsed_s"]
        minutes = {}
        for r in loaded:
            minutes.setdefault(int((r["elapsed_s"] - t0) // 60), []).append(r)

        def med(rs, k):
            v = [r[k] for r in rs if r.get(k) is not None]
            return f"{statistics.median(v):,.0f}" if v else "n/a"

        def mx(rs, k):
            v = [r[k] for r in rs if r.get(k) is not None]
            return f"{max(v):,.0f}" if v else "n/a"
        for minute in sorted(minutes):
            rs = minutes[minute]
            lines.append(f"| {minute + 1} | {len(rs)} | {med(rs, 'connected_sockets')} | {med(rs, 'msgs_in_per_sec')} "
                         f"| {med(rs, 'loop_p50_us')} | {med(rs, 'loop_p99_us')} | {med(rs, 'loop_p999_us')} "
                         f"| {med(rs, 'loop_mean_us')} | {mx(rs, 'loop_max_us')} | {med(rs, 'batch_p99_us')} "
                         f"| {mx(rs, 'batch_max_us')} | {mx(rs, 'io_loop_work_max_us')} |")
    text = ["Medians over the scrapes of each minute of traffic (warmup of the generator: "
            f"{warmup:.0f} s, included in minute 1); 'max' columns are the largest one-second maximum of the minute. "
            "Each scrape reads the exporter's quantiles of its last one-second interval, so the scrapes sample one "
            "second in five.", ""] + lines
    (out / "summary.md").write_text("\n".join(text) + "\n")
    print("\n".join(text))


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("scrape", "report"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    (scrape if sys.argv[1] == "scrape" else report)(sys.argv[2:])
