#!/usr/bin/env python3
"""Sums `jfr print --events jdk.ObjectAllocationSample` output by thread, class and top stack frames, for the
engine and IoAgent threads only.  Usage: python3 alloc_samples.py PRINTED.txt [FRAMES=5] [ROWS=15]"""
import re,collections,sys
txt=open(sys.argv[1]).read()
events=txt.split('jdk.ObjectAllocationSample {')[1:]
agg=collections.Counter(); cnt=collections.Counter()
for e in events:
    th=re.search(r'eventThread = "([^"]+)"',e)
    if not th or not (th.group(1).startswith('switchboard-engine') or th.group(1).startswith('switchboard-io')): continue
    cls=re.search(r'objectClass = (\S+)',e).group(1)
    m=re.search(r'weight = ([\d.]+) (bytes|kB|MB)',e)
    w=float(m.group(1))*{'bytes':1,'kB':1024,'MB':1048576}[m.group(2)]
    frames=re.findall(r'^\s+([\w.$<>]+\(.*?\)) line: (\d+)',e,re.M)
    key=(th.group(1),cls,' <- '.join(f"{f[0].split('(')[0].split('.')[-2]}.{f[0].split('(')[0].split('.')[-1]}:{f[1]}" for f in frames[:int(sys.argv[2]) if len(sys.argv)>2 else 5]))
    agg[key]+=w; cnt[key]+=1
tot=sum(agg.values())
print(f"total sampled weight {tot:.0f} bytes in {sum(cnt.values())} samples")
for k,v in agg.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 15):
    print(f"{int(v):>9} {cnt[k]:>4} {k[0]} {k[1]} {k[2]}")
