"""Ground-truth benchmark of IMINFECTOR and its baselines (issue 10, deliverable 8).

Cascades are generated with :func:`infmax.learned.synthetic_cascades` from a known IC model on a
real graph (default NetHEPT with weighted-cascade probabilities): a pool of ``--pool``
initiators with skewed activity (``--activity``: ``degree``, activity proportional to
out-degree; ``zipf``, Zipf weights in random order, independent of the graph), start times
spread over a period, exponential delays along live arcs. Every method trains on the first 80 %
(by start time) and picks ``-k`` seeds; each seed set is scored by ``--simulations`` Monte
Carlo runs under the true model. Reference: IMM on the true model with the initiator pool as
candidates. Random initiators: the mean over ``--random-draws`` draws.

Columns: method, MC spread, its standard error, ratio to IMM on the true model, ratio to
random initiators, selection seconds (in process, after a warm-up of the kernels).

Run::

    export INFMAX_DATA_DIR=../shared/data
    python benchmarks/bench_learned.py                           # NetHEPT, both activities
    python benchmarks/bench_learned.py --dataset ca-grqc --activity degree -k 20

Prints a table and writes ``benchmarks/results/learned.json``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numba
import numpy as np

import infmax as im
from infmax.algorithms import registry
from infmax.learned import random_initiators, synthetic_cascades

BASELINES = ("most-cascades", "avg-cascade-size", "kcores", "imm-db", "imm-wc")


def run_one(G, activity: str, args) -> list[dict]:
    t0 = time.perf_counter()
    C = synthetic_cascades(G, args.cascades, initiators=args.pool, activity=activity,
                           skew=args.skew, rng=args.rng)
    t_gen = time.perf_counter() - t0
    train, _ = im.split_by_time(C)
    s = train.summary()
    print(f"# activity={activity}: {len(C)} cascades in {t_gen:.1f} s; train "
          f"{s['cascades']} ({s['trainable']} trainable, {s['initiators']} initiators), "
          f"size mean {s['size']['mean']:.1f} max {s['size']['max']}", flush=True)
    k = args.k
    pool = G.node_labels(np.unique(C.initiators))

    def score(seeds):
        return im.spread(G, list(seeds), n_simulations=args.simulations, rng=987654321)

    runs = []
    t0 = time.perf_counter()
    ref = im.imm(G, k, candidates=pool, epsilon=0.1, rng=args.rng)
    runs.append(("imm (true model)", ref, time.perf_counter() - t0))
    t0 = time.perf_counter()
    ours = im.iminfector(train, k, epochs=args.epochs, embedding_dim=args.embedding_dim,
                         percent=args.percent, rng=args.rng, progress=False)
    runs.append(("iminfector", ours, time.perf_counter() - t0))
    for name in BASELINES:
        fn = registry.get(name, input="cascades").func
        t0 = time.perf_counter()
        res = fn(train, k, rng=args.rng)
        runs.append((name, res, time.perf_counter() - t0))
    scores = {name: score(res.seeds) for name, res, _ in runs}
    rand = [score(random_initiators(train, k, rng=r).seeds).mean
            for r in range(args.random_draws)]
    rand_mean = float(np.mean(rand))
    rand_se = float(np.std(rand, ddof=1) / np.sqrt(len(rand))) if len(rand) > 1 else 0.0
    top = scores["imm (true model)"].mean
    rows = []
    for name, res, sec in runs + [("random-initiators", None, 0.0)]:
        mean, se = ((rand_mean, rand_se) if res is None
                    else (scores[name].mean, scores[name].stderr))
        row = {"activity": activity, "method": name, "k": k, "spread": mean, "stderr": se,
               "ratio_to_imm_true": mean / top, "ratio_to_random": mean / rand_mean,
               "seconds": sec, "seeds": None if res is None else list(res.seeds)}
        if res is not None and "graph" in res.record:
            row["graph"] = res.record["graph"]
        rows.append(row)
        print(f"{activity:7} {name:18} {mean:9.1f} {se:6.1f} {mean / top:8.3f} "
              f"{mean / rand_mean:8.2f} {sec:8.2f}", flush=True)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default="nethept")
    ap.add_argument("--activity", nargs="+", default=["degree", "zipf"])
    ap.add_argument("--cascades", type=int, default=5000)
    ap.add_argument("--pool", type=int, default=500)
    ap.add_argument("--skew", type=float, default=1.0)
    ap.add_argument("-k", type=int, default=50)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--embedding-dim", type=int, default=50)
    ap.add_argument("--percent", type=float, default=40.0,
                    help="IMINFECTOR's P (the paper: 40 for Digg, whose 537 initiators are "
                         "about the default pool)")
    ap.add_argument("--simulations", type=int, default=10_000)
    ap.add_argument("--random-draws", type=int, default=10)
    ap.add_argument("--rng", type=int, default=1)
    ap.add_argument("--output", default=str(Path(__file__).parent / "results" / "learned.json"))
    args = ap.parse_args(argv)
    if not os.environ.get("INFMAX_DATA_DIR"):
        sys.exit("set INFMAX_DATA_DIR to the shared data folder")
    G = im.datasets.load(args.dataset).reweight("wc")
    env = {"python": platform.python_version(), "numba": numba.__version__,
           "threads": numba.get_num_threads(), "cpu_count": os.cpu_count(),
           "infmax": im.__version__, "machine": platform.machine(),
           "load_avg": os.getloadavg(), "graph": {"name": args.dataset, "n": G.n, "m": G.m}}
    print(f"# {env}", flush=True)
    # warm-up: compile / load the kernels once
    im.imm(G, 2, epsilon=0.5, rng=0)
    im.spread(G, G.node_labels([0]), n_simulations=10, rng=0)
    print(f"{'activity':7} {'method':18} {'spread':>9} {'+-':>6} {'/imm':>8} {'/random':>8} "
          f"{'sec':>8}")
    rows = []
    for activity in args.activity:
        rows += run_one(G, activity, args)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    from infmax._io import atomic_write_json
    atomic_write_json(out, {"env": env, "args": vars(args), "rows": rows})
    print(f"# wrote {out}")


if __name__ == "__main__":
    main()
