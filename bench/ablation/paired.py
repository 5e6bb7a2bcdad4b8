#!/usr/bin/env python3
"""Paired difference of two variants of one `ubm ablate` run, per task, over its probe seeds.

Usage: bench/ablation/paired.py SCORE_DIR/ablation.csv "VARIANT A" "VARIANT B"
Prints mean AUROC of A and B, the mean paired difference A - B and its paired t (|t| under ~2 is noise)."""
import csv
import math
import statistics as st
import sys

f, a, b = sys.argv[1:4]
rows = list(csv.DictReader(open(f)))
tasks = []
for r in rows:
    if r['task'] not in tasks: tasks.append(r['task'])
def get(v, t): return {r['repeat']: float(r['auroc']) for r in rows if r['variant'] == v and r['task'] == t}
out = []
for t in tasks:
    A, B = get(a, t), get(b, t)
    ks = sorted(set(A) & set(B))
    d = [A[k] - B[k] for k in ks]
    m = st.mean(d); sd = st.stdev(d) if len(d) > 1 else float('nan')
    tt = m / (sd / math.sqrt(len(d))) if sd and sd > 0 else float('nan')
    out.append(f"{t}: {st.mean(A[k] for k in ks):.4f} vs {st.mean(B[k] for k in ks):.4f} = {m:+.4f} (t {tt:+.1f})")
print(f"{a} - {b} ({len(ks)} seeds): " + "; ".join(out))
