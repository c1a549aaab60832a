#!/usr/bin/env python3
"""Tabulate the JSON runs of jmh-ab.sh: one row per benchmark and parameter, each build's score in every round,
the after/before ratio of the per-build medians and of the best runs (load only ever adds time, so on a shared
machine the best run is the steadier estimate), and the allocation per operation (the largest of the runs).

    python3 perf-reports/scripts/jmh_ab.py OUT_DIR [OUT_DIR...] > table.md

With several directories their rounds are pooled in the order given (round numbers run on), so runs of the same
two jars on different occasions can be read as one comparison.
"""
import glob, json, os, re, statistics, sys

runs = {}  # (side, round) -> {key: (score, error, unit, alloc)}
offset = 0
paths = []
for out in sys.argv[1:]:
    found = sorted(glob.glob(os.path.join(out, '*-round*.json')))
    last = 0
    for path in found:
        side, rnd = re.match(r'(before|after)-round(\d+)\.json', os.path.basename(path)).groups()
        paths.append((path, side, int(rnd) + offset))
        last = max(last, int(rnd))
    offset += last
for path, side, rnd in paths:
    rows = {}
    for r in json.load(open(path)):
        name = r['benchmark'].split('.')[-2] + '.' + r['benchmark'].split('.')[-1]
        params = ','.join('%s=%s' % kv for kv in sorted((r.get('params') or {}).items()))
        pm = r['primaryMetric']
        alloc = r.get('secondaryMetrics', {}).get('gc.alloc.rate.norm', {}).get('score')
        rows[(name, params)] = (pm['score'], pm['scoreError'], pm['scoreUnit'], alloc)
    runs[(side, int(rnd))] = rows
rounds = sorted({r for _, r in runs})
keys = []
for rows in runs.values():
    for k in rows:
        if k not in keys:
            keys.append(k)
keys.sort()

def fmt(x):
    return '%.1f' % x if x < 100 else '{:,.0f}'.format(x)

head = ['benchmark', 'param'] + ['before r%d' % r for r in rounds] + ['after r%d' % r for r in rounds] + \
       ['after/before (medians)', 'after/before (best runs)', 'B/op before', 'B/op after']
print('| ' + ' | '.join(head) + ' |')
print('| ' + ' | '.join(['---', '---'] + ['---:'] * (len(head) - 2)) + ' |')
for k in keys:
    cells = [k[0], k[1] or '-']
    med = {}
    best = {}
    alloc = {}
    unit = ''
    for side in ('before', 'after'):
        scores = []
        for r in rounds:
            v = runs.get((side, r), {}).get(k)
            if v is None:
                cells.append('-')
                continue
            cells.append('%s ± %s' % (fmt(v[0]), fmt(v[1]) if v[1] == v[1] else '?'))
            scores.append(v[0])
            unit = v[2]
            if v[3] is not None:
                alloc.setdefault(side, []).append(v[3])
        if scores:
            med[side] = statistics.median(scores)
            best[side] = min(scores)
    cells.append('%.2f' % (med['after'] / med['before']) if len(med) == 2 else '-')
    cells.append('%.2f' % (best['after'] / best['before']) if len(best) == 2 else '-')
    for side in ('before', 'after'):
        cells.append('%.3f' % max(alloc[side]) if side in alloc else '-')
    cells[1] = cells[1] + ' (' + unit + ')'
    print('| ' + ' | '.join(cells) + ' |')
