"""IMM on a Dask cluster against IMM in one process: same seeds, time, bytes, memory.

Run:  python benchmarks/bench_dask.py [--rmat --scale 22] [--graph ba:N:M | er:N:M]
      [--workers 2] [--worker-threads 1] [--k 50] [--epsilon 0.5] [--binary FILE]
      [--repeats 3]

The graph: ``--rmat`` uses ``infmax.datasets.synthetic.rmat(scale, edge_factor, rng=...)``
(Graph500 parameters, weighted cascade) when that generator exists in this tree; otherwise
``--graph ba:N:M`` (Barabasi-Albert, N nodes, M edges per node, both directions) or
``er:N:M`` (Erdos-Renyi, N nodes, M arcs), weighted cascade.

Measured, after a warm-up run on a small graph (numba compilation, worker start-up):

- local: ``im.imm(G, k, epsilon, rng)`` in this process (numba threads: all cores);
- dask: the same call with ``executor=DaskExecutor(n_workers, processes=True)`` (a
  LocalCluster; ``--worker-threads`` numba threads per worker, default 1, 0 for all cores),
  RR sets sampled and kept on the workers; calls after the first reuse the graph scattered
  by the first (and the workers' sampling tables);
- the seeds of both runs (must be equal), their wall times and ratio, theta, the mean RR-set
  size, seconds per RR set of the final sample (local), the bytes brought to the driver per
  greedy round (sparse decrements) against a dense int64 n-vector per worker and round, and
  the peak resident memory per worker.

Results go to benchmarks/results/bench_dask.json. The machine's load (``os.getloadavg``) is
recorded: timings on a shared machine are indicative only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

import infmax as im
from infmax.datasets import synthetic
from infmax.distributed import DaskExecutor


def make_graph(args):
    if args.rmat:
        if not hasattr(synthetic, "rmat"):
            raise SystemExit("--rmat: infmax.datasets.synthetic.rmat is not in this tree; "
                             "use --graph ba:N:M")
        return synthetic.rmat(args.scale, args.edge_factor, rng=args.rng), \
            f"rmat(scale={args.scale}, edge_factor={args.edge_factor})"
    kind, n, m = args.graph.split(":")
    n, m = int(n), int(m)
    if kind == "ba":
        return synthetic.barabasi_albert(n, m, rng=args.rng), f"barabasi_albert({n}, {m})"
    if kind == "er":
        return synthetic.erdos_renyi(n, m=m, directed=True, rng=args.rng), \
            f"erdos_renyi({n}, m={m})"
    raise SystemExit(f"--graph: unknown kind {kind!r} (ba or er)")


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rmat", action="store_true")
    p.add_argument("--scale", type=int, default=22)
    p.add_argument("--edge-factor", type=int, default=16)
    p.add_argument("--graph", default="ba:1000000:8")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--worker-threads", type=int, default=1,
                   help="numba threads per worker (0: all cores)")
    p.add_argument("--k", type=int, default=50)
    p.add_argument("--epsilon", type=float, default=0.5)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--binary", default=None, metavar="FILE",
                   help="save the graph to this binary file (unless it exists) and run on it "
                        "memory-mapped")
    p.add_argument("--rng", type=int, default=0)
    p.add_argument("--out", default=str(Path(__file__).parent / "results" / "bench_dask.json"))
    args = p.parse_args()

    load0 = os.getloadavg()
    G, desc = make_graph(args)
    if args.binary:
        # the graph as a user of a large graph has it: a binary file, memory-mapped; pickling
        # it (Dask's scatter) then ships its path and each worker maps the same pages
        path = Path(args.binary)
        if not path.exists():
            G.save(path)
        G = im.graph.load(path)
        desc += f", memory-mapped from {path}"
    print(f"graph: {desc}: n = {G.n:,}, m = {G.m:,}", flush=True)
    small = synthetic.barabasi_albert(2000, 3, rng=1)
    im.imm(small, 5, epsilon=0.5, rng=0)                      # compile in the driver

    local_t, dask_t = [], []
    nt = args.worker_threads or None
    with DaskExecutor(n_workers=args.workers, processes=True) as ex:
        im.imm(small, 5, epsilon=0.5, rng=0, executor=ex, n_threads=nt)   # warm the workers
        for _ in range(args.repeats):
            loc, t = timed(lambda: im.imm(G, args.k, epsilon=args.epsilon, rng=args.rng))
            local_t.append(t)
            print(f"local: {t:.2f} s, theta {loc.record['theta']:,}", flush=True)
            dsk, t = timed(lambda: im.imm(G, args.k, epsilon=args.epsilon, rng=args.rng,
                                          executor=ex, n_threads=nt))
            dask_t.append(t)
            print(f"dask ({args.workers} workers): {t:.2f} s, ratio {t / local_t[-1]:.2f}, "
                  f"same seeds {dsk.seeds == loc.seeds}, load {os.getloadavg()[0]:.2f}",
                  flush=True)
    d = dsk.record["distributed"]
    rounds = d["round_bytes"]
    theta = loc.record["theta"]
    out = {
        "graph": desc, "n": int(G.n), "m": int(G.m), "k": args.k, "epsilon": args.epsilon,
        "workers": args.workers, "worker_threads": args.worker_threads, "rng": args.rng,
        "same_seeds": loc.seeds == dsk.seeds,
        "same_theta": loc.record["theta"] == dsk.record["theta"],
        "same_spread": loc.spread == dsk.spread,
        "theta": theta, "estimation_sets": loc.record["rr_sets"]["estimation"],
        "mean_rr_size": loc.record["mean_rr_size"],
        "local_s": statistics.median(local_t), "dask_s": statistics.median(dask_t),
        "ratio": statistics.median(dask_t) / statistics.median(local_t),
        "local_s_all": local_t, "dask_s_all": dask_t,
        "ratio_first": dask_t[0] / local_t[0],
        "local_timings": loc.timings, "dask_timings": dsk.timings,
        "seconds_per_final_set_local": loc.timings.get("final_sample", float("nan")) / theta,
        "graph_bytes": int(sum(a.nbytes for a in (G.indptr, G.indices, G.rindptr,
                                                      G.rindices, G.rprobs))),
        "final_store_bytes_local": int(loc.record["peak_rr_bytes"]),
        "store_bytes_per_worker": d["store_bytes_per_worker"],
        "round0_bytes": rounds[0], "round_bytes_sparse_mean": float(np.mean(rounds[1:])),
        "round_bytes_sparse_max": int(max(rounds[1:])),
        "round_bytes_dense": d["dense_round_bytes"],
        "traffic": d["traffic"], "peak_rss_per_worker": d["peak_rss_per_worker"],
        "loadavg_before": load0, "loadavg_after": os.getloadavg(),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2, default=str))
    for key in ("same_seeds", "theta", "mean_rr_size", "local_s_all", "dask_s_all",
                "ratio_first", "local_s", "dask_s", "ratio",
                "seconds_per_final_set_local", "round0_bytes", "round_bytes_sparse_mean",
                "round_bytes_sparse_max", "round_bytes_dense", "peak_rss_per_worker",
                "store_bytes_per_worker", "loadavg_before", "loadavg_after"):
        print(f"{key}: {out[key]}")


if __name__ == "__main__":
    main()
