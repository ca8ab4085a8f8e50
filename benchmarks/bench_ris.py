"""RIS benchmark: infmax IMM and OPIM-C (and pynetim IMM as a peer) on four graphs.

Setup (issue 3, deliverable 5): weighted-cascade weights, IC and LT, k = 50, epsilon 0.1 and
0.5. Graphs: NetHEPT (undirected: 15,229 nodes, 62,752 arcs), Epinions (soc-Epinions1,
directed: 75,879 nodes, 508,837 arcs), Email-Enron (``Email.txt``, rows list both directions,
read directed) and NetPHY (undirected, header line).

Columns: in-process wall time of the selector after a JIT warm-up (median of ``--repeats``),
the whole ``infmax seeds`` process (JIT cache warm; includes reading the graph), peak memory
(bytes held by the RR stores, and the tracemalloc peak of the whole call in a separate run),
theta (RR sets of the final collection) and the spread of the seeds re-estimated by
``--simulations`` Monte Carlo runs with an independent rng. pynetim (PyPI, C++ core) IMM runs
in the same process when it is installed; its time excludes building its graph.

Run::

    export INFMAX_DATA_DIR=../shared/data
    python benchmarks/bench_ris.py                                  # everything
    python benchmarks/bench_ris.py --datasets nethept epinions --models ic --eps 0.1

Prints a table and writes ``benchmarks/results/ris.json``.
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata as md
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numba
import numpy as np

import infmax as im
from infmax.graph import from_edges

# name -> (relative path, rows to skip / comment char, directed)
FILES = {
    "nethept": ("nethept/NetHept.txt", 1, False),
    "epinions": ("epinions/soc-Epinions1.txt", 0, True),
    "email-enron": ("email-enron/Email.txt", 0, True),
    "netphy": ("netphy/NetPhy.txt", 1, False),
}


def load(data_dir: Path, name: str):
    rel, skip, directed = FILES[name]
    d = np.loadtxt(data_dir / rel, skiprows=skip, comments="#", dtype=np.int64)
    return from_edges(d[:, 0], d[:, 1], directed=directed, weights="wc"), data_dir / rel


def version(pkg):
    try:
        return md.version(pkg)
    except md.PackageNotFoundError:
        return None


def timed(fn, repeats):
    ts, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), min(ts), out


def traced_peak(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def cli_time(name, path, model, eps, k, directed, repeats):
    exe = Path(sys.executable).with_name("infmax")
    if not exe.exists():
        return None
    # the registered dataset name: the CLI reads the file with the dataset's own reader
    cmd = [str(exe), "seeds", name, "-k", str(k), "-a", "imm", "--epsilon", str(eps),
           "--model", model, "--rng", "1"]
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        ts.append(time.perf_counter() - t)
        if r.returncode != 0:
            return f"failed: {r.stderr.strip()[:200]}"
    return statistics.median(ts)


def pynetim_imm(G, k, eps, model):
    """pynetim's IMM (``IMMAlgorithm``, C++ core) on the same arcs and probabilities.

    Returns ``{"seconds", "build_seconds", "seed_ids"}`` or ``{"error"}``. Its time covers
    ``IMMAlgorithm(...).run(k)`` only (the algorithm), not building its graph.
    """
    try:
        from pynetim import IMGraph, IMMAlgorithm  # type: ignore
    except Exception as e:  # noqa: BLE001
        return {"error": f"pynetim unavailable ({type(e).__name__}: {e})"}
    try:
        t = time.perf_counter()
        edges = list(zip(G.sources.tolist(), G.indices.tolist()))
        g = IMGraph(edges, weights=G.probs.tolist(), directed=True, renumber=False)
        build = time.perf_counter() - t
        t = time.perf_counter()
        seeds = IMMAlgorithm(g, model=model.upper(), epsilon=eps, l=1, random_seed=1).run(k=k)
        dt = time.perf_counter() - t
    except Exception as e:  # noqa: BLE001
        return {"error": f"pynetim IMM failed ({type(e).__name__}: {e})"}
    return {"seconds": dt, "build_seconds": build, "seed_ids": [int(s) for s in seeds]}


def interleaved(G, name, k, eps, repeats):
    """infmax IMM (default and reuse_rr_sets=True) and pynetim IMM alternated in one process,
    IC, so that all three see the same machine load. Prints one line, returns a dict."""
    from pynetim import IMGraph, IMMAlgorithm  # type: ignore

    g = IMGraph(list(zip(G.sources.tolist(), G.indices.tolist())), weights=G.probs.tolist(),
                directed=True, renumber=False)
    im.imm(G, k, epsilon=0.5, rng=0)
    a, b, c = [], [], []
    for r in range(repeats):
        t = time.perf_counter()
        im.imm(G, k, epsilon=eps, rng=r)
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        im.imm(G, k, epsilon=eps, rng=r, reuse_rr_sets=True)
        c.append(time.perf_counter() - t)
        t = time.perf_counter()
        IMMAlgorithm(g, model="IC", epsilon=eps, l=1, random_seed=r).run(k=k)
        b.append(time.perf_counter() - t)
    out = {"dataset": name, "infmax_imm": a, "infmax_imm_reuse": c, "pynetim_imm": b,
           "ratio_median": statistics.median(a) / statistics.median(b),
           "load_avg": os.getloadavg()}
    print(f"{name:12} infmax {statistics.median(a):.3f}s  reuse {statistics.median(c):.3f}s  "
          f"pynetim {statistics.median(b):.3f}s  ratio {out['ratio_median']:.3f}", flush=True)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", nargs="+", default=list(FILES))
    ap.add_argument("--models", nargs="+", default=["ic", "lt"])
    ap.add_argument("--eps", nargs="+", type=float, default=[0.1, 0.5])
    ap.add_argument("--algorithms", nargs="+", default=["imm", "opim_c"])
    ap.add_argument("-k", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--simulations", type=int, default=10_000)
    ap.add_argument("--no-cli", action="store_true", help="skip the whole-process column")
    ap.add_argument("--no-pynetim", action="store_true")
    ap.add_argument("--interleaved", action="store_true",
                    help="only alternate infmax IMM and pynetim IMM (IC, --eps[0]) per dataset")
    ap.add_argument("--output", default=str(Path(__file__).parent / "results" / "ris.json"))
    args = ap.parse_args(argv)
    data_dir = Path(os.environ.get("INFMAX_DATA_DIR", "")).expanduser()
    if not (data_dir / "nethept").is_dir():
        sys.exit("set INFMAX_DATA_DIR to the shared data folder")
    rows = []
    env = {"python": platform.python_version(), "numba": numba.__version__,
           "threads": numba.get_num_threads(), "cpu_count": os.cpu_count(),
           "infmax": im.__version__, "pynetim": version("pynetim"),
           "machine": platform.machine(), "load_avg": os.getloadavg()}
    print(f"# {env}", flush=True)
    hdr = (f"{'dataset':12} {'model':5} {'eps':>4} {'algorithm':8} {'sec':>7} {'min':>7} "
           f"{'cli_s':>7} {'rr_MB':>7} {'peak_MB':>7} {'theta':>9} {'spread':>9} {'+-':>5}")
    print(hdr)
    if args.interleaved:
        rows = [interleaved(load(data_dir, name)[0], name, args.k, args.eps[0], args.repeats)
                for name in args.datasets]
        args.datasets = []
    for name in args.datasets:
        G, path = load(data_dir, name)
        directed = FILES[name][2]
        # warm-up: compile / load every kernel once
        for model in args.models if set(args.algorithms) - {"none"} else []:
            im.imm(G, args.k, model=model, epsilon=0.5, rng=0)
            im.opim_c(G, args.k, model=model, epsilon=0.5, rng=0)
            im.spread(G, [0], model=model, n_simulations=10, rng=0)
        for model in args.models:
            for eps in args.eps:
                for algo in args.algorithms:
                    if algo not in ("imm", "opim_c", "tim_plus"):
                        continue
                    call = functools.partial(getattr(im, algo), G, args.k, model=model,
                                             epsilon=eps, rng=1)
                    med, mn, res = timed(call, args.repeats)
                    peak = traced_peak(call)
                    mc = im.spread(G, list(res.seeds), model=model,
                                   n_simulations=args.simulations, rng=987654321)
                    cli = None
                    if algo == "imm" and not args.no_cli:
                        cli = cli_time(name, path, model, eps, args.k, directed, args.repeats)
                    row = {"dataset": name, "n": G.n, "m": G.m, "model": model, "epsilon": eps,
                           "algorithm": algo, "seconds_median": med, "seconds_min": mn,
                           "cli_seconds": cli, "rr_bytes_peak": res.record["peak_rr_bytes"],
                           "tracemalloc_peak": peak, "theta": res.record["theta"],
                           "spread_mc": mc.mean, "spread_mc_stderr": mc.stderr,
                           "spread_rr": res.spread, "timings": dict(res.timings),
                           "approximation": res.record.get("approximation")}
                    rows.append(row)
                    cli_s = f"{cli:7.3f}" if isinstance(cli, float) else f"{'-':>7}"
                    print(f"{name:12} {model:5} {eps:4.1f} {algo:8} {med:7.3f} {mn:7.3f} "
                          f"{cli_s} {row['rr_bytes_peak'] / 1e6:7.1f} {peak / 1e6:7.1f} "
                          f"{row['theta']:9d} {mc.mean:9.1f} {mc.stderr:5.1f}", flush=True)
                if not args.no_pynetim:
                    pr = pynetim_imm(G, args.k, eps, model)
                    if "error" in pr:
                        print(f"{name:12} {model:5} {eps:4.1f} pynetim  {pr['error']}")
                        rows.append({"dataset": name, "model": model, "epsilon": eps,
                                     "algorithm": "pynetim-imm", "error": pr["error"]})
                        args.no_pynetim = "unavailable" in pr["error"]
                    else:
                        mc = im.spread(G, list(G.labels[pr["seed_ids"]]), model=model,
                                       n_simulations=args.simulations, rng=987654321)
                        rows.append({"dataset": name, "model": model, "epsilon": eps,
                                     "algorithm": "pynetim-imm", "seconds_median": pr["seconds"],
                                     "spread_mc": mc.mean, "spread_mc_stderr": mc.stderr})
                        print(f"{name:12} {model:5} {eps:4.1f} {'pynetim':8} "
                              f"{pr['seconds']:7.3f} {'':7} {'':7} {'':7} {'':7} {'':9} "
                              f"{mc.mean:9.1f} {mc.stderr:5.1f}", flush=True)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    from infmax._io import atomic_write_json
    atomic_write_json(out, {"env": env, "args": vars(args), "rows": rows})
    print(f"# wrote {out}")


if __name__ == "__main__":
    main()
