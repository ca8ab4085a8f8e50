"""Speed of the org-boundaries strategies on the fully visible NetHEPT (weighted cascade).

Per trial (M = 10 seeds, one hidden live-edge world per trial): adaptive IMM (epsilon 0.5),
adaptive degree, their one-shot versions and random. Targets (issue 4): adaptive IMM < 2 s per
trial (paper: about 1 minute), adaptive degree < 20 ms per trial (paper: 181 ms).

    INFMAX_DATA_DIR=../shared/data python benchmarks/bench_org.py [--trials-imm 5]

Prints a table of seconds per trial and ratios against adaptive degree (measured in the same
run); writes benchmarks/results/bench_org.json. numba threads are pinned to 1 per call (the
benchmark framework parallelises over trials).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

import infmax as im
from infmax.diffusion import sample_world
from infmax.observability import make_selector, observe, run_trial


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--visibility", type=float, default=1.0)
    ap.add_argument("--trials-degree", type=int, default=100)
    ap.add_argument("--trials-imm", type=int, default=5)
    ap.add_argument("--epsilon", type=float, default=0.5)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--report", metavar="DIR", default=None,
                    help="instead of timing: print markdown tables from DIR/trials.csv (a run of "
                         "`infmax experiment org-boundaries`, complete or partial)")
    args = ap.parse_args()
    if args.report:
        report(Path(args.report))
        return

    G = im.datasets.load("nethept")
    cases = [("degree", None, True), ("degree", 2.0, True), ("degree", None, False),
             ("random", None, True), ("imm", None, True), ("imm", 2.0, True),
             ("imm", None, False)]
    rows = []
    for algo, bias, adaptive in cases:
        n_trials = args.trials_imm if algo == "imm" else args.trials_degree
        sel = make_selector(algo, bias=bias, epsilon=args.epsilon, n_threads=1)
        obs = observe(G, args.visibility, rng=0)
        run_trial(obs, sample_world(G, rng=0), args.seeds, sel, adaptive=adaptive,
                  rng=np.random.default_rng(0))  # warm-up (numba compile / cache load)
        times, spreads = [], []
        for t in range(n_trials):
            obs = observe(G, args.visibility, rng=t)
            world = sample_world(G, rng=1000 + t)
            t0 = time.perf_counter()
            res = run_trial(obs, world, args.seeds, sel, adaptive=adaptive,
                            rng=np.random.default_rng(t))
            times.append(time.perf_counter() - t0)
            spreads.append(res.spread)
        name = f"{algo}{'+bias' if bias else ''}/{'adaptive' if adaptive else 'oneshot'}"
        rows.append({"cell": name, "trials": n_trials, "seconds_per_trial": float(np.mean(times)),
                     "min_seconds": float(np.min(times)),
                     "median_seconds": float(np.median(times)),
                     "mean_spread": float(np.mean(spreads))})
    base = next(r["seconds_per_trial"] for r in rows if r["cell"] == "degree/adaptive")
    print(f"NetHEPT (WC), visibility {args.visibility:.0%}, M = {args.seeds}, "
          f"IMM epsilon {args.epsilon}; ratios vs adaptive degree")
    print(f"{'cell':24}{'trials':>7}{'s/trial':>12}{'median s':>10}{'min s':>10}{'ratio':>10}"
          f"{'spread':>9}")
    for r in rows:
        r["ratio_vs_adaptive_degree"] = r["seconds_per_trial"] / base
        print(f"{r['cell']:24}{r['trials']:>7}{r['seconds_per_trial']:>12.4f}"
              f"{r['median_seconds']:>10.4f}{r['min_seconds']:>10.4f}"
              f"{r['ratio_vs_adaptive_degree']:>10.1f}"
              f"{r['mean_spread']:>9.1f}")
    out = Path(__file__).resolve().parent / "results" / "bench_org.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "cpu_count": os.cpu_count(),
                               "rows": rows}, indent=2) + "\n")
    print(f"wrote {out}")


def report(out_dir: Path) -> None:
    """Markdown tables (mean ± stderr per cell and visibility; paired gains) of a run."""
    import csv

    from infmax.observability._benchmark import _summarise, cell_names

    rows = list(csv.DictReader(open(out_dir / "trials.csv", newline="")))
    cfg = json.loads((out_dir / "config.json").read_text())
    vis = sorted({float(r["visibility"]) for r in rows})
    cells = [c for c in cell_names() if c in cfg["cells"]]
    s = _summarise(rows, cells, vis, 10**9, cfg)
    vk = [f"{v:.6g}" for v in vis]
    print("| cell | " + " | ".join(f"{float(v):.0%}" for v in vk) + " |")
    print("|---|" + "---:|" * len(vk))
    for c in cells:
        per = s["cells"][c]
        print(f"| {c} | " + " | ".join(
            f"{per[v]['mean']:.1f} ± {per[v]['stderr']:.1f}" if v in per else "" for v in vk)
            + " |")
    print("| trials (n) | " + " | ".join(
        str(s["cells"][cells[0]].get(v, {}).get("n", 0)) for v in vk) + " |")
    print()
    print("Paired gains, percent ± stderr (same organisation and world per trial):")
    print()
    print("| comparison | " + " | ".join(f"{float(v):.0%}" for v in vk) + " |")
    print("|---|" + "---:|" * len(vk))
    for name, per in s["comparisons"].items():
        print(f"| {name} | " + " | ".join(
            f"{per[v]['gain_percent']:+.1f} ± {per[v]['gain_percent_stderr']:.1f}"
            if v in per else "" for v in vk) + " |")
    print()
    print("Mean seconds per trial (selection + scoring, one cell):")
    print()
    print("| cell | " + " | ".join(f"{float(v):.0%}" for v in vk) + " |")
    print("|---|" + "---:|" * len(vk))
    for c in cells:
        per = s["cells"][c]
        print(f"| {c} | " + " | ".join(
            f"{per[v]['seconds_mean']:.3f}" if v in per else "" for v in vk) + " |")


if __name__ == "__main__":
    main()
