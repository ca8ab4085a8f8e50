"""ADITUM speed target: ADITUM vs the engine's plain weighted-root TIM+ / IMM on one input.

Issue 11 target: ADITUM at alpha = 0.5, k = 50, epsilon = 0.1 on the epinions stand-in takes
no more than 1.5x the time of the engine's weighted-root IMM/TIM+ on the same input.

Input (setting S3 of the paper): the epinions lurker stand-in, the registered dataset
``epinions-lurker`` when it exists, else built here from ``epinions`` (largest strongly
connected component, arcs reversed so that they run producer -> consumer); target scores and
LT weights from :func:`infmax.lurkerrank`; targets the top 25 % of the scores; synthetic
profiles (m = 10 attributes of v = 5 values, exponential); diversity attribute-wise.

The baseline is the selector ADITUM reduces to at alpha = 1: :func:`infmax.tim_plus`
(``--estimation tim+``, default) or :func:`infmax.imm` (``imm``) with ``node_weights`` = the
target weights and the same rng. Both run in the same process after a JIT warm-up,
interleaved (baseline, ADITUM, baseline, ...), ``--repeats`` times; the table gives medians,
the ratio of the medians, ADITUM's per-phase medians and the load average (``uptime``) before
and after.

Run::

    export INFMAX_DATA_DIR=../shared/data
    python benchmarks/bench_aditum.py                   # epinions stand-in, 3 repetitions
    python benchmarks/bench_aditum.py --repeats 5 --estimation imm

Prints a table and writes ``benchmarks/results/aditum.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

import infmax as im
from infmax.graph import from_edges
from infmax.targeted import Targets, synthetic_profiles


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def lurker_standin(name: str):
    """The registered stand-in, or ``name``'s largest SCC with arcs reversed."""
    if "epinions-lurker" in im.datasets.list() and name == "epinions":
        return im.datasets.load("epinions-lurker"), "epinions-lurker (registered)"
    G = im.datasets.load(name)
    A = csr_matrix((np.ones(G.m), G.indices, G.indptr), shape=(G.n, G.n))
    _, comp = connected_components(A, directed=True, connection="strong")
    big = np.flatnonzero(comp == np.bincount(comp).argmax())
    H = G.subgraph(big)
    src = np.repeat(np.arange(H.n), np.diff(H.indptr))
    labels = np.asarray(H.labels)
    R = from_edges(labels[H.indices], labels[src], directed=True, weights="wc")
    return R, f"{name}: largest SCC, reversed (built here)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default="epinions")
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--epsilon", type=float, default=0.1)
    ap.add_argument("--top", default="25%")
    ap.add_argument("--diversity", default="attribute")
    ap.add_argument("--estimation", default="tim+", choices=("tim+", "imm"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--rng", type=int, default=0)
    args = ap.parse_args(argv)

    load_before = uptime()
    G0, how = lurker_standin(args.dataset)
    lr = im.lurkerrank(G0)
    G = lr.graph
    T = Targets.from_scores(lr.scaled, top=args.top)
    P = synthetic_profiles(G.n, 10, 5, dist="exponential", rng=1)
    base = im.tim_plus if args.estimation == "tim+" else im.imm
    common = dict(model="lt", epsilon=args.epsilon, n_threads=args.threads)
    print(f"{how}: n={G.n:,} m={G.m:,}; targets {T.n_targets:,} (top {args.top}), "
          f"L={T.L:.2f}; {args.estimation}, k={args.k}, alpha={args.alpha}, "
          f"eps={args.epsilon}, diversity={args.diversity}", flush=True)

    def run_base():
        return base(G, args.k, node_weights=T.weights, rng=args.rng, **common)

    def run_aditum():
        return im.aditum(G, args.k, scores=T, profiles=P, diversity=args.diversity,
                         alpha=args.alpha, estimation=args.estimation, rng=args.rng, **common)

    # warm-up: every kernel compiled / loaded from the cache once
    im.aditum(G, 5, scores=T, profiles=P, alpha=args.alpha, model="lt", epsilon=0.5, rng=0)
    base(G, 5, node_weights=T.weights, model="lt", epsilon=0.5, rng=0)
    tb, ta, phases = [], [], {}
    for rep in range(args.repeats):
        t = time.perf_counter()
        rb = run_base()
        tb.append(time.perf_counter() - t)
        t = time.perf_counter()
        ra = run_aditum()
        ta.append(time.perf_counter() - t)
        for key, v in ra.timings.items():
            phases.setdefault(key, []).append(v)
        print(f"  rep {rep}: {args.estimation} {tb[-1]:.2f}s (theta {rb.record.get('theta')})"
              f"  aditum {ta[-1]:.2f}s (theta {ra.record['theta']}, "
              f"evaluations {ra.record['evaluations']})", flush=True)
    load_after = uptime()
    mb, ma = statistics.median(tb), statistics.median(ta)
    ratio = ma / mb
    print(f"\n{'':24}{'median s':>10}{'min s':>10}")
    print(f"{args.estimation + ' (weighted roots)':24}{mb:>10.2f}{min(tb):>10.2f}")
    print(f"{'aditum':24}{ma:>10.2f}{min(ta):>10.2f}")
    print(f"ratio aditum / {args.estimation}: {ratio:.2f}x (target <= 1.5x)")
    print("aditum phases (median s): " + ", ".join(
        f"{k} {statistics.median(v):.3f}" for k, v in phases.items()))
    print(f"load before: {load_before}\nload after:  {load_after}")
    out = {"input": how, "n": G.n, "m": G.m, "n_targets": T.n_targets, "args": vars(args),
           "baseline_seconds": tb, "aditum_seconds": ta, "ratio_of_medians": ratio,
           "phases": phases, "load_before": load_before, "load_after": load_after,
           "python": sys.version.split()[0], "machine": platform.machine()}
    res_dir = Path(__file__).resolve().parent / "results"
    res_dir.mkdir(exist_ok=True)
    (res_dir / "aditum.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
