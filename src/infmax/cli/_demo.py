"""``infmax demo``: seeds on NetHEPT with two algorithms, their spreads, a JSON record."""

from __future__ import annotations

import sys
import time

from .. import __version__


def run_demo(args):
    import infmax as im

    from .._io import atomic_write_json

    t0 = time.perf_counter()
    out = sys.stderr
    G = im.datasets.load("nethept", weights="wc")
    print(f"NetHEPT: {G.summary}", file=out)
    runs = {}
    for name, call in (
        ("imm", lambda: im.imm(G, args.k, model="ic", epsilon=0.1, rng=args.rng)),
        ("degree-discount", lambda: im.degree_discount(G, args.k)),
    ):
        res = call()
        est = im.spread(G, res.seeds, model="ic", n_simulations=args.simulations,
                        rng=args.rng + 1)
        runs[name] = {"seeds": list(res.seeds), "algorithm_seconds": res.timings["total"],
                      "spread": est.to_dict(), "record": dict(res.record)}
        print(f"{name:>16}: k={args.k}  spread {est.mean:9.2f} +- {est.stderr:.2f} "
              f"(95% CI {est.ci95[0]:.1f}..{est.ci95[1]:.1f}, {est.n_simulations} sims)  "
              f"selection {res.timings['total']:.3f}s", file=out)
    record = {"command": "demo", "infmax_version": __version__,
              "config": {"dataset": "nethept", "weights": "wc", "model": "ic", "k": args.k,
                         "rng": args.rng, "simulations": args.simulations},
              "graph": {"n": G.n, "m": G.m, "summary": str(G.summary)},
              "results": runs, "timings": {"total": time.perf_counter() - t0}}
    atomic_write_json(args.output, record)
    print(f"wrote {args.output} in {time.perf_counter() - t0:.1f}s", file=out)
    return None
