#!/usr/bin/env python3
"""Prints the heap's used KiB from a `jcmd PID GC.heap_info` output file: the sum of the "used" of every heap space
(G1's "garbage-first heap", Serial's and Parallel's generations, ZGC's "ZHeap"), leaving out Metaspace."""
import re
import sys

UNITS = {"K": 1, "M": 1024, "G": 1024 * 1024}
total = 0
for line in open(sys.argv[1]):
    stripped = line.strip()
    if stripped.startswith(("Metaspace", "class space")) or line.startswith("   "):
        continue
    m = re.search(r"\bused (\d+)([KMG])", line)
    if m and ("total" in line or stripped.startswith("ZHeap")):
        total += int(m.group(1)) * UNITS[m.group(2)]
print(total)
