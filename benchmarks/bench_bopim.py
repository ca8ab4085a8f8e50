"""Benchmark BOPIM against greedy and the other baselines on temporal contact networks.

Run:  INFMAX_DATA_DIR=../shared/data python benchmarks/bench_bopim.py [--quick]

Part 1 - the authors' setting on hospital (T = 10, beta = 0.01, k = 4, 5 initial sets, 20 BO
iterations, 1,000 simulations per evaluation, 5,000 + 1,000 MCMC draws): seconds per BOPIM run
(Hamming and Jaccard) and per greedy run (CELF, 100 simulations per evaluation), against the
authors' published timings (their BOPIM 115 s, greedy 48 s, 2 processes).

Part 2 - quality and speed on hospital, ht09 and dnc-email with k about 5 % of n: every seed set
is re-estimated with 10,000 independent SI simulations; BOPIM and the random baselines are
repeated (mean over runs, with the standard error over runs), greedy and Dynamic Degree run once.
Prints spread +- stderr, seconds, spread relative to greedy and greedy's time / method's time.

Part 3 - selection time against k on dnc-email (greedy vs BOPIM-Hamming, one run each).
Results also go to benchmarks/results/bench_bopim.json.

``--sampler authors`` runs BOPIM with the paper's Gibbs update of sigma^2 instead of the
coherent default (see infmax.temporal.gibbs), for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import zlib
from pathlib import Path

import infmax as im
from infmax.random import spawn
from infmax.temporal import experiment as ex
from infmax.temporal import si_spread

AUTHORS = {"bopim": 115.0, "greedy": 48.0}


def timed(fn, reps):
    out, ts = None, []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return out, ts


def part1(reps):
    TG = im.datasets.load("hospital", snapshots=10)
    kw = dict(beta=0.01, n_initial=5, n_iterations=20, n_simulations=1000, mcmc_draws=5000,
              burn_in=1000)
    im.bopim(TG, 4, **{**kw, "n_iterations": 1}, rng=0)       # compile / warm caches
    im.temporal.celf(TG, 2, beta=0.01, rng=0)
    rows = []
    for kern in ("hamming", "jaccard"):
        gens = iter(spawn(1, reps))
        _, ts = timed(lambda kern=kern, gens=gens: im.bopim(TG, 4, kernel=kern, rng=next(gens),
                                                            **kw), reps)
        rows.append({"method": f"bopim-{kern}", "median_s": statistics.median(ts),
                     "runs_s": ts, "authors_s": AUTHORS["bopim"]})
    gens = iter(spawn(2, reps))
    _, ts = timed(lambda: im.temporal.celf(TG, 4, beta=0.01, n_simulations=100,
                                             rng=next(gens)), reps)
    rows.append({"method": "greedy", "median_s": statistics.median(ts), "runs_s": ts,
                 "authors_s": AUTHORS["greedy"]})
    print("\nPart 1: hospital, T=10, beta=0.01, k=4, authors' defaults "
          f"(median of {reps} runs)")
    print(f"{'method':<16}{'infmax s':>10}{'authors s':>11}{'speed-up':>10}{'target':>9}")
    for r in rows:
        target = 3.0 if r["method"].startswith("bopim") else 1.0
        r["speedup_vs_authors"] = r["authors_s"] / r["median_s"]
        r["target_s"] = target
        print(f"{r['method']:<16}{r['median_s']:>10.3f}{r['authors_s']:>11.0f}"
              f"{r['speedup_vs_authors']:>9.0f}x{f'<= {target:g}s':>9}")
    return rows


def part2(datasets, repeats, n_eval, beta, T, sampler="coherent"):
    rows = []
    for name in datasets:
        TG = im.datasets.load(name, snapshots=T)
        k = max(1, round(0.05 * TG.n))
        print(f"\n[{name}] n={TG.n} events={TG.n_events} T={T} beta={beta} k={k}",
              file=sys.stderr, flush=True)
        r = ex.compare(TG, dataset=name, figure="bench", k=k, beta=beta, repeats=repeats,
                       eval_simulations=n_eval, rng=zlib.crc32(name.encode()), verbose=True,
                       bopim_options={"sampler": sampler})
        rows += r
    summ = ex.summarise(rows)
    print(f"\nPart 2: spread re-estimated with {n_eval:,} independent simulations; "
          f"T={T}, beta={beta}, k = 5 % of n; randomised methods: mean of {repeats} runs; "
          f"BOPIM Gibbs sampler {sampler!r}")
    hdr = (f"{'dataset':<11}{'k':>4} {'method':<15}{'spread':>10}{'+-se':>7}{'% greedy':>9}"
           f"{'time s':>9}{'greedy/x':>9}")
    print(hdr)
    print("-" * len(hdr))
    for name in datasets:
        rs = [s for s in summ if s["dataset"] == name]
        g = next(s for s in rs if s["method"] == "greedy")
        for s in rs:
            s["rel_greedy"] = s["spread"] / g["spread"]
            s["speedup_vs_greedy"] = g["time"] / max(s["time"], 1e-9)
            print(f"{name:<11}{s['k']:>4} {s['method']:<15}{s['spread']:>10.2f}"
                  f"{s['stderr']:>7.2f}{100 * s['rel_greedy']:>8.1f}%{s['time']:>9.3f}"
                  f"{s['speedup_vs_greedy']:>8.1f}x")
    return rows, summ


def part3(k_values, beta, T):
    """Selection time against k on dnc-email: greedy (CELF) vs BOPIM-Hamming, one run each."""
    TG = im.datasets.load("dnc-email", snapshots=T)
    rows = []
    print(f"\nPart 3: dnc-email, T={T}, beta={beta}: selection seconds against k (one run each)")
    print(f"{'k':>5}{'greedy s':>10}{'bopim-h s':>11}{'greedy/bopim':>14}{'spread g':>10}"
          f"{'spread b':>10}")
    for k in k_values:
        g = im.temporal.celf(TG, k, beta=beta, rng=k)
        b = im.bopim(TG, k, beta=beta, rng=k)
        eg = si_spread(TG, g.seeds, beta=beta, n_simulations=10_000, rng=1)
        eb = si_spread(TG, b.seeds, beta=beta, n_simulations=10_000, rng=1)
        r = {"k": k, "greedy_s": g.timings["total"], "bopim_s": b.timings["total"],
             "ratio": g.timings["total"] / b.timings["total"], "spread_greedy": eg.mean,
             "spread_bopim": eb.mean, "bopim_phases": dict(b.timings),
             "greedy_lookups": sum(g.record["lookups"])}
        rows.append(r)
        print(f"{k:>5}{r['greedy_s']:>10.2f}{r['bopim_s']:>11.2f}{r['ratio']:>13.2f}x"
              f"{eg.mean:>10.1f}{eb.mean:>10.1f}")
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="hospital only, 1 repeat, 2,000 sims")
    ap.add_argument("--datasets", default="hospital,ht09,dnc-email")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--eval-simulations", type=int, default=10_000)
    ap.add_argument("--beta", type=float, default=0.01)
    ap.add_argument("--snapshots", type=int, default=10)
    ap.add_argument("--part", default="1,2,3")
    ap.add_argument("--k-sweep", default="24,48,95,190", help="part 3: k values on dnc-email")
    ap.add_argument("--sampler", default="coherent", choices=("coherent", "authors"),
                    help="part 2: BOPIM's Gibbs update of sigma^2")
    a = ap.parse_args(argv)
    if not os.environ.get("INFMAX_DATA_DIR"):
        sys.exit("set INFMAX_DATA_DIR to the shared data folder")
    datasets = ["hospital"] if a.quick else a.datasets.split(",")
    repeats = 1 if a.quick else a.repeats
    n_eval = 2000 if a.quick else a.eval_simulations
    import numba

    out = {"machine": {"cpus": os.cpu_count(), "numba_threads": numba.get_num_threads(),
                       "threading_layer": numba.config.THREADING_LAYER},
           "settings": vars(a)}
    t0 = time.perf_counter()
    if "1" in a.part:
        out["part1"] = part1(1 if a.quick else 3)
    if "2" in a.part:
        rows, summ = part2(datasets, repeats, n_eval, a.beta, a.snapshots, a.sampler)
        out["part2_rows"] = rows
        out["part2_summary"] = summ
    if "3" in a.part and not a.quick:
        out["part3"] = part3([int(x) for x in a.k_sweep.split(",")], a.beta, a.snapshots)
    out["seconds"] = time.perf_counter() - t0
    res = Path(__file__).parent / "results"
    res.mkdir(exist_ok=True)
    (res / "bench_bopim.json").write_text(json.dumps(im.results.to_jsonable(out), indent=1))
    print(f"\n(total {out['seconds']:.0f}s; numba threads {numba.get_num_threads()}; "
          f"results in {res / 'bench_bopim.json'})")


if __name__ == "__main__":
    main()
