#!/usr/bin/env python3
"""Turns load-generator result folders into one Markdown report with hand-written SVG percentile plots.

  report.py --out REPORT.md [--title TITLE] [--intro FILE.md]
            [--group TITLE PATH [PATH...]]... [--include TITLE FILE.md]...

Sections appear in the order given. A --group's PATHs are either run folders (summary.json, .hgrm files,
command.txt, as written by run.sh) or compare folders (r<round>-<label>/ run folders and compare.md, as written by
compare.sh). A group gets a table, one percentile plot per latency channel (first and last recipient) with one line
per contender (for a compare folder: the round with the median p99 drawn solid, the other rounds faint) and the
exact commands. --include copies a Markdown file (a report of churn-heap.sh or batch-latency.sh) under a heading.
The report starts with the machine: CPUs, CPU model, memory, kernel, java -version and load average.
SVG files are written next to the report, in a folder named after it. Standard library only.
"""
import html
import json
import math
import os
import pathlib
import platform
import re
import subprocess
import sys
import importlib.util

HERE = pathlib.Path(__file__).resolve().parent
COMPARE_PY = HERE.parent / "loadgen" / "compare.py"
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
PERCENTILE_TICKS = [(0.0, "0%"), (0.9, "90%"), (0.99, "99%"), (0.999, "99.9%"), (0.9999, "99.99%"),
                    (0.99999, "99.999%")]


def load_compare_module():
    spec = importlib.util.spec_from_file_location("compare", COMPARE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def machine():
    lines = []
    model = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30).stderr.strip()
    except (OSError, subprocess.SubprocessError) as ex:
        java = f"java -version failed: {ex}"
    load = pathlib.Path("/proc/loadavg").read_text().split()[:3]
    lines.append(f"- CPUs (nproc): {os.cpu_count()}")
    lines.append(f"- CPU model: {model}")
    lines.append(f"- memory: {mem}")
    lines.append(f"- kernel: {platform.release()}")
    lines.append(f"- load average when this report was generated: {' '.join(load)}")
    lines.append("- java -version:")
    lines.append("")
    lines.append("  ```text")
    lines.extend("  " + line for line in java.splitlines())
    lines.append("  ```")
    return lines


def read_hgrm(path):
    """(percentile, value) points of an HdrHistogram percentile distribution file, values as written."""
    points = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) < 3 or line.startswith("#"):
            continue
        try:
            value, percentile = float(parts[0]), float(parts[1])
        except ValueError:
            continue
        points.append((percentile, value))
    return points


def x_of(percentile, x_max):
    if percentile >= 1.0:
        return x_max
    return min(x_max, math.log10(1.0 / (1.0 - percentile)))


def svg_plot(title, series, y_label="latency (ms)"):
    """series: list of (label, color, points [(percentile, micros)], solid). Returns SVG text."""
    width, height = 760, 420
    left, right, top, bottom = 80, 170, 40, 60
    pw, ph = width - left - right, height - top - bottom
    all_values = [v for _, _, pts, _ in series for _, v in pts if v > 0]
    if not all_values:
        return None
    max_p = max(p for _, _, pts, _ in series for p, _ in pts)
    x_max = 5.0 if max_p > 0.9999 else 4.0
    y_min = 10 ** math.floor(math.log10(max(min(all_values), 1.0)))
    y_max = 10 ** math.ceil(math.log10(max(all_values)))
    if y_max <= y_min:
        y_max = y_min * 10

    def sx(percentile):
        return left + pw * x_of(percentile, x_max) / x_max

    def sy(value):
        v = max(value, y_min)
        return top + ph * (1 - (math.log10(v) - math.log10(y_min)) / (math.log10(y_max) - math.log10(y_min)))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left + pw / 2}" y="22" text-anchor="middle" font-size="14">{html.escape(title)}</text>']
    for percentile, label in PERCENTILE_TICKS:
        if x_of(percentile, x_max) > x_max:
            continue
        x = sx(percentile)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{top + ph + 18}" text-anchor="middle">{label}</text>')
    decade = y_min
    while decade <= y_max * 1.0001:
        y = sy(decade)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{fmt_ms(decade)}</text>')
        decade *= 10
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 15}" text-anchor="middle">percentile</text>')
    out.append(f'<text transform="translate(18,{top + ph / 2}) rotate(-90)" text-anchor="middle">'
               f'{html.escape(y_label)}</text>')
    legend_y = top + 10
    seen = set()
    for label, color, points, solid in series:
        pts = " ".join(f"{sx(p):.1f},{sy(v):.1f}" for p, v in points if v > 0)
        style = 'stroke-width="2"' if solid else 'stroke-width="1" stroke-opacity="0.35"'
        out.append(f'<polyline fill="none" stroke="{color}" {style} points="{pts}"/>')
        if label not in seen:
            seen.add(label)
            out.append(f'<line x1="{left + pw + 12}" y1="{legend_y}" x2="{left + pw + 32}" y2="{legend_y}" '
                       f'stroke="{color}" stroke-width="2"/>')
            out.append(f'<text x="{left + pw + 38}" y="{legend_y + 4}">{html.escape(label)}</text>')
            legend_y += 18
    out.append("</svg>")
    return "\n".join(out) + "\n"


def fmt_ms(micros):
    ms = micros / 1000.0
    if ms >= 1:
        return f"{ms:,.0f} ms"
    return f"{ms:g} ms"


def run_dirs(path):
    """[(label, [run folders])] of one PATH: a run folder or a compare folder."""
    if (path / "summary.json").exists():
        return [(path.name, [path])]
    order = []
    if (path / "contenders.txt").exists():
        order = (path / "contenders.txt").read_text().split()
    runs = {}
    for d in sorted(path.iterdir()):
        m = re.match(r"r(\d+)-(.+)$", d.name)
        if m and (d / "summary.json").exists():
            runs.setdefault(m.group(2), []).append(d)
            if m.group(2) not in order:
                order.append(m.group(2))
    return [(label, runs[label]) for label in order if label in runs]


def median_round(dirs, channel):
    def p99(d):
        s = json.loads((d / "summary.json").read_text())
        return s["latencyMicros"].get(channel, {}).get("p99", 0)
    ranked = sorted(dirs, key=p99)
    return ranked[(len(ranked) - 1) // 2]


def group_section(title, paths, report_path, compare):
    lines = [f"## {title}", ""]
    contenders = []
    for path in paths:
        contenders.extend(run_dirs(path))
    compare_dirs = [p for p in paths if not (p / "summary.json").exists()]
    single_dirs = [p for p in paths if (p / "summary.json").exists()]
    for path in compare_dirs:
        lines.append(f"Folder `{rel(path)}`.")
        lines.append("")
        with open(os.devnull, "w") as devnull:
            stdout = sys.stdout
            sys.stdout = devnull
            try:
                compare.table([str(path)])
            finally:
                sys.stdout = stdout
        lines.extend((path / "compare.md").read_text().splitlines())
        lines.append("")
    if single_dirs:
        lines.append("| run | scenario | sockets | target msg/s | achieved | valid | on schedule | deliveries/s "
                     "| first p50 / p99 / p99.9 / max (us) | last p50 / p99 / p99.9 / max (us) "
                     "| errors / missing / cross-room / disconnects | load avg before / after |")
        lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for d in single_dirs:
            s = json.loads((d / "summary.json").read_text())
            lat = s["latencyMicros"]
            load = load_averages(d)

            def q(name):
                block = lat.get(name, {})
                return " / ".join(f"{block.get(k, 0):,.0f}" for k in ("p50", "p99", "p999", "max"))
            lines.append(f"| {d.name} | {s['scenario']} | {s['sockets']['joinedAtStart']:,}/{s['sockets']['planned']:,} "
                         f"| {s['targetRate']:,.0f} | {s['achievedRate']:,.0f} | {s['valid']} "
                         f"| {s['generatorOnSchedule']} | {s['deliveriesPerSec']:,.0f} | {q('firstRecipient')} "
                         f"| {q('lastRecipient')} | {s['errors']} / {s['missingDeliveries']} / "
                         f"{s['crossRoomDeliveries']} / {s['disconnects']} | {' / '.join(load)} |")
        lines.append("")
    svg_dir = report_path.parent / report_path.stem
    slug = re.sub(r"[^a-z0-9]+", "-", paths[0].name.lower()).strip("-")
    for channel, channel_title in (("firstRecipient", "first recipient"), ("lastRecipient", "last recipient")):
        series = []
        for index, (label, dirs) in enumerate(contenders):
            color = COLORS[index % len(COLORS)]
            solid = median_round(dirs, channel)
            for d in dirs:
                hgrm = d / f"{channel}.hgrm"
                if hgrm.exists():
                    series.append((label, color, read_hgrm(hgrm), d == solid))
        svg = svg_plot(f"{paths[0].name}: {channel_title} latency by percentile", series)
        if svg:
            svg_dir.mkdir(parents=True, exist_ok=True)
            name = f"{slug}-{channel}.svg"
            (svg_dir / name).write_text(svg)
            lines.append(f"![{title}: {channel_title}]({svg_dir.name}/{name})")
            lines.append("")
    if any(len(dirs) > 1 for _, dirs in contenders):
        lines.append("Plots: the round with the median p99 of each contender drawn solid, the other rounds faint; "
                     "x axis 1/(1-percentile) on a log scale, y axis log scale.")
        lines.append("")
    lines.append("<details><summary>Exact commands and load average</summary>")
    lines.append("")
    lines.append("```text")
    printed_compare = set()
    for label, dirs in contenders:
        for d in dirs:
            command = (d / "command.txt").read_text() if (d / "command.txt").exists() else ""
            for line in command.splitlines():
                if line.startswith("compare:"):
                    if line in printed_compare:
                        continue
                    printed_compare.add(line)
                lines.append(f"[{d.parent.name}/{d.name}] {line}" if compare_dirs else f"[{d.name}] {line}")
    lines.append("```")
    lines.append("")
    lines.append("</details>")
    lines.append("")
    return lines


def load_averages(d):
    command = (d / "command.txt").read_text() if (d / "command.txt").exists() else ""
    return [line.split(":")[1].split()[0] for line in command.splitlines() if line.startswith("load average")]


def rel(path):
    try:
        return str(path.resolve().relative_to(pathlib.Path.cwd()))
    except ValueError:
        return str(path)


def main(argv):
    if "--out" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    report = pathlib.Path(argv[argv.index("--out") + 1])
    title = argv[argv.index("--title") + 1] if "--title" in argv else "Performance report"
    compare = load_compare_module()
    lines = [f"# {title}", ""]
    if "--intro" in argv:
        lines.extend(pathlib.Path(argv[argv.index("--intro") + 1]).read_text().splitlines())
        lines.append("")
    lines.append("## The machine")
    lines.append("")
    lines.extend(machine())
    lines.append("")
    i = 0
    while i < len(argv):
        if argv[i] == "--group":
            group_title = argv[i + 1]
            paths = []
            i += 2
            while i < len(argv) and not argv[i].startswith("--"):
                paths.append(pathlib.Path(argv[i]))
                i += 1
            lines.extend(group_section(group_title, paths, report, compare))
        elif argv[i] == "--include":
            lines.append(f"## {argv[i + 1]}")
            lines.append("")
            lines.extend(pathlib.Path(argv[i + 2]).read_text().splitlines())
            lines.append("")
            i += 3
        elif argv[i] in ("--out", "--title", "--intro"):
            i += 2
        else:
            print(f"unknown argument {argv[i]}", file=sys.stderr)
            return 2
    lines.append("---")
    lines.append("")
    lines.append("Generated by `python3 perf-reports/scripts/report.py " +
                 " ".join(a if re.match(r"^[\w./:=-]+$", a) else f"'{a}'" for a in argv) + "`.")
    report.write_text("\n".join(lines) + "\n")
    print(f"report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
