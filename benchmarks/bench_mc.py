"""Monte Carlo IC spread throughput: infmax vs cynetdiff vs NDlib, in one run.

Setup (issue 2, deliverable 8): weighted cascade probabilities, the 50 nodes of highest
out-degree as seeds, 10,000 simulations. NetHEPT is read undirected (self-loops dropped,
parallel edges merged: 15,229 nodes, 62,752 arcs), Epinions (soc-Epinions1) directed.
NDlib is pure Python and runs far fewer simulations; its time is scaled to 10,000.

Run::

    export INFMAX_DATA_DIR=../shared/data
    python benchmarks/bench_mc.py                      # both datasets
    python benchmarks/bench_mc.py --datasets nethept --ndlib-simulations 10

Prints a table of seconds and ratios (baseline: cynetdiff, measured in the same run) and
writes ``benchmarks/results/mc.json``. Needs ``cynetdiff`` and ``ndlib`` (see
``benchmarks/requirements.txt``); a missing one is reported and skipped.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import math
import os
import platform
import sys
import time
from functools import partial
from pathlib import Path

import numba
import numpy as np

import infmax as im

Z95 = 1.959963984540054
FILES = {"nethept": ("nethept/NetHept.txt", False), "epinions": ("epinions/soc-Epinions1.txt",
                                                                 True)}


def version(pkg: str) -> str | None:
    try:
        return md.version(pkg)
    except md.PackageNotFoundError:
        return None


def load(name: str):
    """infmax.datasets.load when the catalog has it, else np.loadtxt + from_edges."""
    try:
        return im.datasets.load(name, weights="wc"), "infmax.datasets.load"
    except Exception as exc:  # noqa: BLE001 - fall back to a plain reader
        rel, directed = FILES[name]
        path = Path(os.environ.get("INFMAX_DATA_DIR", "../shared/data")) / rel
        print(f"[{name}] datasets.load failed ({exc.__class__.__name__}); reading {path}",
              file=sys.stderr)
        skip = 1 if name == "nethept" else 0
        a = np.loadtxt(path, dtype=np.int64, comments="#", skiprows=skip)
        return im.graph.from_edges(a[:, 0], a[:, 1], directed=directed, weights="wc"), "loadtxt"


def top_degree(G, k=50) -> np.ndarray:
    return np.argsort(-G.out_degree, kind="stable")[:k].astype(np.int32)


def bench_infmax(G, seeds, n_sims, threads, rng=0):
    labels = G.node_labels(seeds)
    im.spread(G, labels, n_simulations=64, rng=1, n_threads=threads)  # compile / warm up
    c0, t0 = time.process_time(), time.perf_counter()
    est = im.spread(G, labels, n_simulations=n_sims, rng=rng, n_threads=threads)
    return time.perf_counter() - t0, time.process_time() - c0, est.mean, est.stderr


def bench_cynetdiff(G, seeds, n_sims, rng=0):
    from cynetdiff.models import IndependentCascadeModel

    model = IndependentCascadeModel(G.indptr[:-1].astype(np.uint32), G.indices.astype(np.uint32),
                                    activation_probs=G.probs.astype(np.float32), rng=rng)
    model.set_seeds(seeds.tolist())
    vals = np.empty(n_sims)
    c0, t0 = time.process_time(), time.perf_counter()
    for i in range(n_sims):
        model.reset_model()
        model.advance_until_completion()
        vals[i] = model.get_num_activated_nodes()
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    return dt, cpu, float(vals.mean()), float(vals.std(ddof=1) / math.sqrt(n_sims))


def bench_ndlib(G, seeds, n_sims, rng=0):
    import ndlib.models.ModelConfig as mc
    import networkx as nx
    from ndlib.models.epidemics import IndependentCascadesModel

    g = nx.DiGraph()
    g.add_nodes_from(range(G.n))
    src, dst, p = G.sources.tolist(), G.indices.tolist(), G.probs.tolist()
    g.add_edges_from(zip(src, dst))
    cfg = mc.Configuration()
    cfg.add_model_initial_configuration("Infected", seeds.tolist())
    for u, v, q in zip(src, dst, p):
        cfg.add_edge_configuration("threshold", (u, v), q)
    model = IndependentCascadesModel(g, seed=rng)
    model.set_initial_status(cfg)
    vals = np.empty(n_sims)
    c0, t0 = time.process_time(), time.perf_counter()
    for i in range(n_sims):
        model.reset(infected_nodes=seeds.tolist())
        while True:
            it = model.iteration(node_status=False)
            if it["node_count"][1] == 0:
                break
        vals[i] = it["node_count"][2]
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    se = float(vals.std(ddof=1) / math.sqrt(n_sims)) if n_sims > 1 else float("nan")
    return dt, cpu, float(vals.mean()), se


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", default="nethept,epinions")
    ap.add_argument("--simulations", type=int, default=10_000)
    ap.add_argument("--ndlib-simulations", type=int, default=10,
                    help="NDlib simulations per dataset (time scaled to --simulations); 0 skips")
    ap.add_argument("--threads", type=int, default=numba.config.NUMBA_NUM_THREADS)
    ap.add_argument("--rng", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=1,
                    help="timed runs of infmax and cynetdiff (the fastest is reported)")
    ap.add_argument("--output", default=str(Path(__file__).parent / "results" / "mc.json"))
    args = ap.parse_args(argv)
    N = args.simulations
    rows, record = [], {
        "benchmark": "mc", "simulations": N, "seeds": "top-50 out-degree", "weights": "wc",
        "threads": args.threads, "repeats": args.repeats,
        "load_average_at_start": os.getloadavg(), "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "versions": {p: version(p) for p in ("infmax", "numpy", "numba", "cynetdiff", "ndlib",
                                              "networkx")},
        "datasets": {}}
    for name in [d.strip() for d in args.datasets.split(",") if d.strip()]:
        G, how = load(name)
        seeds = top_degree(G)
        res = {"n": G.n, "m": G.m, "loaded_with": how, "tools": {}}
        print(f"[{name}] {G.n:,} nodes, {G.m:,} arcs ({how})", file=sys.stderr)
        tools = res["tools"]
        # repeats are interleaved (infmax 1t, infmax Nt, cynetdiff, then again) so that a
        # change of machine load hits every tool alike; the fastest run of each is reported
        contenders = {f"infmax ({th} thread{'s' if th > 1 else ''})":
                      partial(bench_infmax, G, seeds, N, th, args.rng)
                      for th in sorted({1, args.threads})}
        if version("cynetdiff"):
            contenders["cynetdiff"] = partial(bench_cynetdiff, G, seeds, N, args.rng)
        else:
            print("cynetdiff not installed: skipped", file=sys.stderr)
        runs: dict[str, list] = {k: [] for k in contenders}
        for _ in range(args.repeats):
            for tool, fn in contenders.items():
                runs[tool].append(fn())
                print(f"[{name}] {tool}: {runs[tool][-1][0]:.2f}s mean {runs[tool][-1][2]:.2f}",
                      file=sys.stderr)
        for tool, rs in runs.items():
            dt, cpu, mean, se = min(rs)
            tools[tool] = {"sims": N, "seconds": dt, "cpu_seconds": cpu,
                           "seconds_10k": dt * 10_000 / N, "mean": mean, "stderr": se,
                           "all_seconds": [r[0] for r in rs]}
        if version("ndlib") and args.ndlib_simulations > 0:
            k = args.ndlib_simulations
            dt, cpu, mean, se = bench_ndlib(G, seeds, k, args.rng)
            tools["ndlib"] = {"sims": k, "seconds": dt, "cpu_seconds": cpu,
                              "seconds_10k": dt * 10_000 / k, "mean": mean, "stderr": se}
            print(f"[{name}] ndlib ({k} sims): {dt:.2f}s mean {mean:.2f}", file=sys.stderr)
        best = f"infmax ({args.threads} thread{'s' if args.threads > 1 else ''})"
        if "cynetdiff" in tools:
            a, b = tools[best], tools["cynetdiff"]
            res["speedup_vs_cynetdiff"] = b["seconds_10k"] / a["seconds_10k"]
            diff = abs(a["mean"] - b["mean"])
            res["agreement"] = {
                "abs_diff": diff, "infmax_ci95": [a["mean"] - Z95 * a["stderr"],
                                                  a["mean"] + Z95 * a["stderr"]],
                "cynetdiff_mean_in_infmax_ci95": diff <= Z95 * a["stderr"],
                "z_two_sample": diff / math.hypot(a["stderr"], b["stderr"])}
        base = tools.get("cynetdiff", tools[best])["seconds_10k"]
        for tool, r in tools.items():
            rows.append((name, tool, r["sims"], r["seconds"], r["seconds_10k"], r["cpu_seconds"],
                         r["mean"], r["stderr"], base / r["seconds_10k"]))
        record["datasets"][name] = res
    hdr = (f"{'dataset':9} {'tool':20} {'sims':>6} {'seconds':>9} {'s/10k':>9} {'cpu s':>8} "
           f"{'mean spread':>12} {'stderr':>7} {'speed vs cynetdiff':>19}")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        print(f"{r[0]:9} {r[1]:20} {r[2]:>6} {r[3]:>9.2f} {r[4]:>9.2f} {r[5]:>8.2f} "
              f"{r[6]:>12.2f} {r[7]:>7.2f} {r[8]:>18.3g}x")
    print(f"load average at start: {record['load_average_at_start']}; "
          f"'cpu s' is process CPU time (all threads)")
    for name, res in record["datasets"].items():
        if "agreement" in res:
            ag = res["agreement"]
            print(f"{name}: infmax/cynetdiff speed-up {res['speedup_vs_cynetdiff']:.2f}x; "
                  f"|infmax - cynetdiff| = {ag['abs_diff']:.2f}, cynetdiff mean inside infmax "
                  f"95% CI: {ag['cynetdiff_mean_in_infmax_ci95']} (two-sample z = "
                  f"{ag['z_two_sample']:.2f})")
    from infmax._io import atomic_write_json

    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_json(out, record)
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
