#!/usr/bin/env python3
"""Probe-free yardsticks for the sku propensity task of a split data dir: how well plain per-client scores rank the
validation window's buyers of each listed sku, with no probe in between.

Usage: python bench/ablation/direct_scores.py DATA_DIR
  (a Python with duckdb, numpy and scipy: python3 -m venv work/bench/venv-direct &&
   work/bench/venv-direct/bin/pip install -q duckdb numpy scipy)

Scores, each one column per listed sku of target/propensity_sku.npy, over the relevant clients:
  activity   the client's recency-decayed event weight (all five event types; the same for every sku)
  sku walk   sum_s a(c,s) P(t|s): through the skus the client bought or carted (s != t), as `ubm gnn --target-walks`
  url walk   sum_u a(c,u) P(t|u): through the urls the client visited, as `ubm gnn --target-walks`
with a(c,x) = log1p of the decayed weight (half life 60 days before the last input buy; buy and cart summed inside the
log here), P(t|x) = sum_c' a(c',x) a(c',t) / sum_c' a(c',x) over every client. AUROC is the organisers' multilabel
macro AUROC over the list (a label without a positive among the relevant clients scores 0), on the validation window.
Prints one line per score.
"""
import sys

import duckdb
import numpy as np
import scipy.sparse as sp

HALF_LIFE_DAYS = 60.0


def auroc(y, s):
    """Binary AUROC with ties at their mid rank (Mann-Whitney)."""
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    pos = y.sum()
    neg = len(y) - pos
    return (ranks[y].sum() - pos * (pos + 1) / 2.0) / (pos * neg)


def macro(scores, labels):
    per = [auroc(labels[:, j], scores[:, j]) if 0 < labels[:, j].sum() < len(labels) else 0.0
           for j in range(labels.shape[1])]
    return float(np.mean(per)), int(sum(1 for j in range(labels.shape[1]) if labels[:, j].sum() > 0))


def main(d):
    rel = np.load(f"{d}/input/relevant_clients.npy")
    skus = np.load(f"{d}/target/propensity_sku.npy")
    cut = duckdb.sql(f"SELECT max(CAST(timestamp AS TIMESTAMP)) FROM '{d}/input/product_buy.parquet'").fetchone()[0]
    decay = (f"pow(2, -date_diff('second', CAST(timestamp AS TIMESTAMP), TIMESTAMP '{cut}') / 86400.0 / "
             f"{HALF_LIFE_DAYS})")

    def edges(sql):
        return duckdb.sql(f"SELECT client_id, item, ln(1 + sum({decay})) AS a FROM ({sql}) GROUP BY 1, 2").fetchnumpy()

    hold = edges(f"SELECT client_id, sku AS item, timestamp FROM '{d}/input/product_buy.parquet' UNION ALL "
                 f"SELECT client_id, sku, timestamp FROM '{d}/input/add_to_cart.parquet'")
    visit = edges(f"SELECT client_id, url AS item, timestamp FROM '{d}/input/page_visit.parquet'")
    clients = np.unique(np.concatenate([hold["client_id"], visit["client_id"], rel]))

    def matrix(e):
        items, col = np.unique(e["item"], return_inverse=True)
        row = np.searchsorted(clients, e["client_id"])
        return sp.csr_matrix((e["a"], (row, col)), shape=(len(clients), len(items))), items

    a_sku, sku_ids = matrix(hold)
    a_url, _ = matrix(visit)
    sku_col = {s: k for k, s in enumerate(sku_ids.tolist())}
    target_col = np.array([sku_col.get(s, -1) for s in skus.tolist()])
    held = np.zeros((len(clients), len(skus)), np.float32)
    for j, k in enumerate(target_col):
        if k >= 0:
            held[:, j] = a_sku[:, k].toarray().ravel()
    rows = np.searchsorted(clients, rel)

    def walk(a, exclude_self):
        p = np.asarray(a.T @ held) / (np.asarray(a.sum(0)).ravel()[:, None] + 1e-12)
        if exclude_self:
            for j, k in enumerate(target_col):
                if k >= 0:
                    p[k, j] = 0.0
        return np.asarray(a[rows] @ p)

    index = {c: i for i, c in enumerate(rel.tolist())}
    activity = np.zeros(len(rel))
    for t in ["product_buy", "add_to_cart", "remove_from_cart", "page_visit", "search_query"]:
        w = duckdb.sql(f"SELECT client_id, sum({decay}) AS w FROM '{d}/input/{t}.parquet' GROUP BY 1").fetchnumpy()
        for c, v in zip(w["client_id"].tolist(), w["w"].tolist()):
            if c in index:
                activity[index[c]] += v

    labels = np.zeros((len(rel), len(skus)), bool)
    val = duckdb.sql(f"SELECT client_id, sku FROM '{d}/target/validation_target.parquet'").fetchnumpy()
    sku_pos = {s: j for j, s in enumerate(skus.tolist())}
    for c, s in zip(val["client_id"].tolist(), val["sku"].tolist()):
        if c in index and s in sku_pos:
            labels[index[c], sku_pos[s]] = True

    for name, s in [("activity", np.repeat(activity[:, None], len(skus), 1)),
                    ("sku walk", walk(a_sku, True)), ("url walk", walk(a_url, False))]:
        m, with_pos = macro(s, labels)
        print(f"propensity_sku direct AUROC, {name:9s}: {m:.4f} ({with_pos} of {len(skus)} labels have a buyer)")


if __name__ == "__main__":
    main(sys.argv[1])
