"""The BOPIM paper's comparisons (Figures 1-6) as plain rows of numbers.

Each ``run_*`` function returns a list of dict rows (JSON/CSV ready); :mod:`.plots` draws them
and ``infmax experiment bopim`` (``infmax/cli/_exp_bopim.py``) writes both. Every seed set is
re-evaluated with ``eval_simulations`` independent SI simulations (seeded from ``rng``), and the
selection time of each method is recorded.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from ..random import as_generator, spawn
from .baselines import celf, dynamic_degree, random_degree, random_seeds
from .bopim import bopim
from .si import si_spread

__all__ = ["METHODS", "RANDOMISED", "run_method", "compare", "default_k_values", "log"]

METHODS = ("bopim-hamming", "bopim-jaccard", "greedy", "dynamic-degree", "random",
           "random-degree")
#: methods repeated over independent runs (greedy and dynamic degree run once, as in the paper)
RANDOMISED = ("bopim-hamming", "bopim-jaccard", "random", "random-degree")


def log(msg: str, enabled: bool = True) -> None:
    if enabled:
        print(msg, file=sys.stderr, flush=True)


def default_k_values(n: int) -> list[int]:
    """About 1 %, 2 %, ..., 5 % of the nodes (at least 1), distinct."""
    return sorted({max(1, round(f * n)) for f in (0.01, 0.02, 0.03, 0.04, 0.05)})


def run_method(TG, k, method, *, beta, rng, bopim_options=None, greedy_simulations=100):
    """Run one method; returns its SeedResult."""
    bo = dict(bopim_options or {})
    if method == "bopim-hamming":
        return bopim(TG, k, beta=beta, kernel="hamming", rng=rng, **bo)
    if method == "bopim-jaccard":
        return bopim(TG, k, beta=beta, kernel="jaccard", rng=rng, **bo)
    if method == "greedy":
        return celf(TG, k, beta=beta, n_simulations=greedy_simulations, rng=rng)
    if method == "dynamic-degree":
        return dynamic_degree(TG, k, beta=beta)
    if method == "random":
        return random_seeds(TG, k, rng=rng)
    if method == "random-degree":
        return random_degree(TG, k, rng=rng)
    raise ValueError(method)


def compare(TG, *, dataset, figure, k, beta, methods=METHODS, repeats=3,
            eval_simulations=10_000, rng=None, bopim_options=None, greedy_simulations=100,
            verbose=True, keep_results=False):
    """Rows ``{dataset, figure, k, T, beta, method, rep, spread, stderr, time, seeds}``."""
    gen = as_generator(rng, func="compare")
    rows = []
    for method in methods:
        reps = repeats if method in RANDOMISED else 1
        for rep, g in enumerate(spawn(gen, reps)):
            t0 = time.perf_counter()
            res = run_method(TG, k, method, beta=beta, rng=g, bopim_options=bopim_options,
                             greedy_simulations=greedy_simulations)
            sel = res.timings.get("total", time.perf_counter() - t0)
            est = si_spread(TG, res.seeds, beta=beta, n_simulations=eval_simulations, rng=g)
            row = {"dataset": dataset, "figure": figure, "n": TG.n, "k": k, "T": TG.T,
                   "beta": beta, "method": method, "rep": rep, "spread": est.mean,
                   "stderr": est.stderr, "fraction": est.mean / TG.n, "time": sel,
                   "eval_simulations": eval_simulations,
                   "seeds": " ".join(map(str, res.seeds))}
            if keep_results:
                row["_result"] = res
            rows.append(row)
            log(f"  {dataset} {figure} k={k} T={TG.T} beta={beta:g} {method} rep {rep}: "
                f"spread {est.mean:.2f} +- {est.stderr:.2f} in {sel:.2f}s", verbose)
    return rows


def summarise(rows, by=("dataset", "figure", "k", "T", "beta", "method")) -> list[dict]:
    """Mean spread over repeats with a standard error that combines run-to-run spread and
    evaluation noise; mean time."""
    groups: dict = {}
    for r in rows:
        groups.setdefault(tuple(r[b] for b in by), []).append(r)
    out = []
    for key, rs in groups.items():
        sp = np.array([r["spread"] for r in rs])
        se = np.array([r["stderr"] for r in rs])
        if len(rs) > 1:
            stderr = float(np.sqrt(sp.var(ddof=1) / len(rs)))
        else:
            stderr = float(se[0])
        out.append({**dict(zip(by, key)), "runs": len(rs), "spread": float(sp.mean()),
                    "stderr": stderr, "time": float(np.mean([r["time"] for r in rs])),
                    "n": rs[0]["n"]})
    return out
