"""SIMPATH vs CELF over Monte Carlo and IMM on NetHEPT-LT (weighted-cascade LT weights, k = 50).

Target (issue 12): SIMPATH at least 10x faster than CELF over Monte Carlo in the same run, with
a Monte Carlo spread within 2 % of IMM's (LT) at equal k.

    INFMAX_DATA_DIR=../shared/data python benchmarks/bench_simpath.py \
        [--k 50] [--celf-simulations 1000] [--celf-budget 900] [--eval-simulations 10000]

CELF runs with a time budget: its oracle stops it once the budget is spent, and the table then
says "did not finish in X s" with the number of seeds it had picked (no extrapolated figure).
Every seed set is scored by one Monte Carlo run (LT, common settings). Prints a table, the
machine load (``os.getloadavg``) and writes benchmarks/results/bench_simpath.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

import infmax as im
from infmax.diffusion import MonteCarloOracle


class _OutOfBudget(Exception):
    pass


class BudgetOracle:
    """Monte Carlo oracle that stops CELF when its time budget is spent.

    It also records, from the sets CELF asks for (seeds so far + one candidate), when each
    seed count was first reached.
    """

    def __init__(self, inner: MonteCarloOracle, budget: float):
        self.inner = inner
        self.n = inner.n
        self.budget = budget
        self.t0 = time.perf_counter()
        self.seed_times: dict[int, float] = {}

    def _tick(self, size: int) -> None:
        now = time.perf_counter() - self.t0
        self.seed_times.setdefault(size - 1, now)
        if now > self.budget:
            raise _OutOfBudget

    def __call__(self, ids: np.ndarray) -> float:
        self._tick(len(ids))
        return self.inner(ids)

    def batch(self, sets: list[np.ndarray]) -> list[float]:
        self._tick(max(len(s) for s in sets))
        return self.inner.batch(sets)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--etas", default="1e-3,1e-4")
    ap.add_argument("--celf-simulations", type=int, default=1000)
    ap.add_argument("--celf-budget", type=float, default=900.0)
    ap.add_argument("--eval-simulations", type=int, default=10_000)
    ap.add_argument("--imm-epsilon", type=float, default=0.1)
    args = ap.parse_args()
    load0 = os.getloadavg()
    G = im.datasets.load("nethept", weights="wc")
    im.simpath(im.graph.from_edges([0, 1], [1, 2], weights="wc"), 1)   # numba warm-up
    rows = {}
    for eta in (float(x) for x in args.etas.split(",")):
        t = time.perf_counter()
        res = im.simpath(G, args.k, eta=eta)
        rows[f"simpath eta={eta:g}"] = {"seconds": time.perf_counter() - t,
                                        "seeds": list(res.seeds), "estimate": res.spread,
                                        "timings": res.timings}
    im.imm(G, 2, model="lt", epsilon=0.5, rng=0)                        # warm-up
    t = time.perf_counter()
    res = im.imm(G, args.k, model="lt", epsilon=args.imm_epsilon, rng=1)
    rows[f"imm eps={args.imm_epsilon:g}"] = {"seconds": time.perf_counter() - t,
                                            "seeds": list(res.seeds)}
    oracle = BudgetOracle(MonteCarloOracle(G, model="lt", n_simulations=args.celf_simulations,
                                           rng=2), args.celf_budget)
    t = time.perf_counter()
    try:
        res = im.celf(G, args.k, oracle=oracle)
        celf = {"seconds": time.perf_counter() - t, "finished": True, "seeds": list(res.seeds)}
    except _OutOfBudget:
        picked = max(oracle.seed_times)
        celf = {"seconds": time.perf_counter() - t, "finished": False, "seeds_picked": picked,
                "seed_times": oracle.seed_times}
    rows[f"celf mc={args.celf_simulations}"] = celf
    for row in rows.values():
        if "seeds" in row:
            est = im.spread(G, row["seeds"], model="lt", n_simulations=args.eval_simulations,
                            rng=7)
            row["mc_spread"], row["mc_stderr"] = est.mean, est.stderr
    imm_row = rows[f"imm eps={args.imm_epsilon:g}"]
    print(f"NetHEPT-LT (weighted cascade), k = {args.k}; load before {load0}, "
          f"after {os.getloadavg()}")
    print(f"{'method':<22} {'seconds':>10} {'MC spread':>16} {'vs IMM':>8} {'CELF/this':>10}")
    for name, row in rows.items():
        sec = row["seconds"]
        if "mc_spread" in row:
            spread = f"{row['mc_spread']:.1f} ± {row['mc_stderr']:.1f}"
            rel = f"{100 * (row['mc_spread'] / imm_row['mc_spread'] - 1):+.2f}%"
        else:
            spread, rel = f"({row['seeds_picked']} seeds)", "-"
        ratio = celf["seconds"] / sec
        bound = "" if celf["finished"] else ">="
        row["celf_over_this"] = ratio
        print(f"{name:<22} {sec:>10.2f} {spread:>16} {rel:>8} {bound + f'{ratio:.0f}x':>10}")
    if not celf["finished"]:
        print(f"CELF over Monte Carlo ({args.celf_simulations} simulations per set) did not "
              f"finish in {args.celf_budget:g} s: {celf['seeds_picked']} of {args.k} seeds "
              f"picked (CELF/this ratios are lower bounds).")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "bench_simpath.json").write_text(json.dumps(
        {"k": args.k, "load_before": load0, "load_after": os.getloadavg(), "rows": rows},
        indent=1, default=str))


if __name__ == "__main__":
    main()
