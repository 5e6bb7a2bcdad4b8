#!/usr/bin/env python3
"""Paired difference of two variants of `ubm ablate` runs, per task, over their common probe seeds.

Usage: bench/ablation/paired.py SCORE_DIR/ablation.csv "VARIANT A" "VARIANT B"
       bench/ablation/paired.py A/ablation.csv "VARIANT A" B/ablation.csv "VARIANT B"
The second form pairs two runs: the probe gives the same AUROC for the same vector and probe seed, so rows pair by
probe seed (the run's --seed, from run.json beside the csv, plus the repeat index).
Prints mean AUROC of A and B, the mean paired difference A - B and its paired t (|t| under ~2 is noise)."""
import csv
import json
import math
import os
import statistics as st
import sys

if len(sys.argv) == 4:
    fa, a, b = sys.argv[1:4]; fb = fa
elif len(sys.argv) == 5:
    fa, a, fb, b = sys.argv[1:5]
else:
    sys.exit(__doc__)

def load(f):
    run = os.path.join(os.path.dirname(f), 'run.json')
    seed = json.load(open(run))['seed'] if os.path.exists(run) else 0
    return seed, list(csv.DictReader(open(f)))

(sa, ra), (sb, rb) = load(fa), load(fb)
tasks = []
for r in ra:
    if r['task'] not in tasks and any(x['task'] == r['task'] for x in rb): tasks.append(r['task'])
def get(rows, seed, v, t):
    return {seed + int(r['repeat']): float(r['auroc']) for r in rows if r['variant'] == v and r['task'] == t}
out = []
n = 0
for t in tasks:
    A, B = get(ra, sa, a, t), get(rb, sb, b, t)
    ks = sorted(set(A) & set(B))
    if not ks: continue
    n = len(ks)
    d = [A[k] - B[k] for k in ks]
    m = st.mean(d); sd = st.stdev(d) if len(d) > 1 else float('nan')
    tt = m / (sd / math.sqrt(len(d))) if sd and sd > 0 else float('nan')
    out.append(f"{t}: {st.mean(A[k] for k in ks):.4f} vs {st.mean(B[k] for k in ks):.4f} = {m:+.4f} (t {tt:+.1f})")
if not out: sys.exit(f"no task and probe seed in common between {a} and {b}")
print(f"{a} - {b} ({n} seeds): " + "; ".join(out))
