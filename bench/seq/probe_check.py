#!/usr/bin/env python3
"""A quick probe for tuning the sequence encoder while the project's own probe is not at hand.

For each block dir (or 'baseline', a re-creation of the organisers' 320-dim aggregated-features baseline computed
with DuckDB), trains a small MLP per task on the train-target window and reports the best-epoch macro AUROC on the
validation window, the organisers' protocol (same clients, temporal shift). Columns are standardised. Labels
without a positive in the validation window are skipped (the organisers count them as 0: a constant offset).

usage: probe_check.py DATA_DIR BLOCK_OR_baseline... [--tasks propensity_sku,propensity_new_sku] [--seeds 2]
"""
import argparse
import os

import duckdb
import numpy as np
import torch
import torch.nn as nn
from sklearn.metrics import roc_auc_score


def baseline(con, d, rel):
    """The organisers' aggregated features: top-10 sku/category/price per product event type (url for visits)
    counted in 1/7/30-day windows before that type's last event, total counts, mean query codes."""
    con.register("rel", __import__("pandas").DataFrame({"client_id": rel}))
    props = f"read_parquet('{d}/product_properties.parquet')"
    blocks = []
    for t in ("product_buy", "search_query", "add_to_cart", "remove_from_cart", "page_visit"):
        src = f"read_parquet('{d}/input/{t}.parquet')"
        if t == "search_query":
            q = f"""select r.client_id, {', '.join(f'coalesce(avg(c[{j + 1}]), 0)' for j in range(16))}
                    from rel r left join (select client_id, list_transform(string_split(trim(regexp_replace(query,
                    '[\\[\\]]', '', 'g')), ' ') .list_filter(x -> x <> ''), x -> x::double) c from {src}) s
                    using (client_id) group by r.client_id order by r.client_id"""
            blocks.append(con.sql(q).fetchnumpy())
            continue
        cols = ["url"] if t == "page_visit" else ["sku", "category", "price"]
        ev = (f"(select e.client_id, e.timestamp::timestamp ts, e.url from {src} e)" if t == "page_visit" else
              f"(select e.client_id, e.timestamp::timestamp ts, e.sku, p.category, p.price from {src} e "
              f"join {props} p using (sku))")
        feats = []
        for col in cols:
            top = [r[0] for r in con.sql(f"select {col} from {ev} where client_id in (select client_id from rel) "
                                         f"group by 1 order by count(*) desc, 1 limit 10").fetchall()]
            for w in (1, 7, 30):
                for v in top:
                    feats.append(f"count(*) filter (where {col} = {v} and ts >= m - interval {w} day)")
        feats.append("count(*)")
        q = f"""with e as (select *, max(ts) over () m from {ev})
                select r.client_id, {', '.join(f'coalesce(x{i}, 0)' for i in range(len(feats)))} from rel r left join
                (select client_id, {', '.join(f'{f} x{i}' for i, f in enumerate(feats))} from e group by 1) s
                using (client_id) order by r.client_id"""
        blocks.append(con.sql(q).fetchnumpy())
    mats = []
    for b in blocks:
        keys = list(b.keys())[1:]
        mats.append(np.stack([np.asarray(b[k], dtype=np.float64) for k in keys], 1))
    return np.sort(rel), np.concatenate(mats, 1).astype(np.float32)


def targets(con, d, task, ids):
    col = {"propensity_sku": "sku", "propensity_new_sku": "sku", "propensity_category": "category",
           "propensity_price": "price"}
    out = []
    for window in ("train_target", "validation_target"):
        src = f"read_parquet('{d}/target/{window}.parquet')"
        if task == "churn":
            active = np.load(f"{d}/target/active_clients.npy")
            bought = set(r[0] for r in con.sql(f"select distinct client_id from {src}").fetchall())
            y = np.array([[0.0 if c in bought else 1.0] for c in ids], dtype=np.float32)
            mask = np.isin(ids, active)
            out.append((y, mask))
            continue
        lst = np.load(f"{d}/target/{task}.npy")
        pos = {v: i for i, v in enumerate(lst.tolist())}
        y = np.zeros((len(ids), len(lst)), dtype=np.float32)
        row = {c: i for i, c in enumerate(ids.tolist())}
        for c, v in con.sql(f"select distinct client_id, {col[task]} from {src}").fetchall():
            if c in row and v in pos:
                y[row[c], pos[v]] = 1
        out.append((y, np.ones(len(ids), dtype=bool)))
    return out


def auroc(y, p):
    s = [roc_auc_score(y[:, j], p[:, j]) for j in range(y.shape[1]) if 0 < y[:, j].sum() < len(y)]
    return float(np.mean(s)) if s else float("nan")


def probe(x, ytr, yva, mask, seed, epochs=3):
    torch.manual_seed(seed)
    x = torch.from_numpy(x[mask])
    ytr, yva = torch.from_numpy(ytr[mask]), yva[mask]
    net = nn.Sequential(nn.Linear(x.shape[1], 512), nn.LayerNorm(512), nn.GELU(), nn.Linear(512, ytr.shape[1]))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
    best = 0.0
    for _ in range(epochs):
        net.train()
        for i in range(0, len(x), 128):
            loss = nn.functional.binary_cross_entropy_with_logits(net(x[i:i + 128]), ytr[i:i + 128])
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            best = max(best, auroc(yva, net(x).numpy()))
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("blocks", nargs="+")
    ap.add_argument("--tasks", default="churn,propensity_category,propensity_sku,propensity_new_sku")
    ap.add_argument("--seeds", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(1)
    con = duckdb.connect()
    rel = np.sort(np.load(f"{a.data}/input/relevant_clients.npy"))
    mats = {}
    for b in a.blocks:
        if b == "baseline":
            ids, x = baseline(con, a.data, rel)
        elif "+" in b:
            parts = [mats[p] for p in b.split("+")]
            x = np.concatenate(parts, 1)
            mats[b] = x
            continue
        else:
            ids = np.load(os.path.join(b, "client_ids.npy"))
            x = np.load(os.path.join(b, "embeddings.npy")).astype(np.float32)
            order = np.argsort(ids)
            ids, x = ids[order], x[order]
        assert np.array_equal(ids, rel), b
        x = (x - x.mean(0)) / (x.std(0) + 1e-6)
        mats[b] = x
    tasks = a.tasks.split(",")
    print("%-40s" % "block" + "".join("%22s" % t for t in tasks))
    tg = {t: targets(con, a.data, t, rel) for t in tasks}
    for b, x in mats.items():
        row = []
        for t in tasks:
            (ytr, mask), (yva, _) = tg[t]
            row.append(np.mean([probe(x, ytr, yva, mask, s) for s in range(a.seeds)]))
        print("%-40s" % b[-40:] + "".join("%22.4f" % v for v in row), flush=True)


if __name__ == "__main__":
    main()
