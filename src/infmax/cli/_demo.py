"""``infmax demo``: seeds on NetHEPT with two algorithms, their spreads, a JSON record.

The first run compiles the numba kernels (about half a minute; cached on disk afterwards): the
CLI says so on stderr, and the timings show compilation apart from selection.
"""

from __future__ import annotations

import sys
import time


def run_demo(args):
    import infmax as im

    from .._io import atomic_write_json
    from .._validation import Interval, check
    from ._compile import CompileWatch
    from ._record import base_record, config_from_args
    from ._shared import evaluation_rng, notice, progress_flag

    func = "infmax demo"
    check(func, "k", args.k, Interval(int, 1, None))
    check(func, "simulations", args.simulations, Interval(int, 1, None))
    watch = getattr(args, "_compile", None) or CompileWatch()
    say = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    progress = progress_flag(args)
    mem = {} if args.max_memory is None else {"max_memory": args.max_memory}
    t0 = time.perf_counter()
    G = im.datasets.load("nethept", weights="wc")
    t_load = time.perf_counter() - t0
    say(f"NetHEPT: {G.summary}")
    runs = {}
    for name, call in (
        ("imm", lambda: im.imm(G, args.k, model="ic", epsilon=0.1, rng=args.rng,
                               progress=progress, **mem)),
        ("degree-discount", lambda: im.degree_discount(G, args.k)),
    ):
        c0, t1 = watch.lap(), time.perf_counter()
        res = call()
        sel_compile = watch.lap() - c0
        sel = max(time.perf_counter() - t1 - sel_compile, 0.0)
        c0, t1 = watch.lap(), time.perf_counter()
        est = im.spread(G, res.seeds, model="ic", n_simulations=args.simulations,
                        rng=evaluation_rng(args.rng), progress=progress, **mem)
        ev_compile = watch.lap() - c0
        runs[name] = {"algorithm": res.algorithm, "seeds": list(res.seeds),
                      "estimates": {"monte_carlo": est.to_dict()},
                      "params": dict(res.params), "record": dict(res.record),
                      "timings": {"phases": dict(res.timings),
                                  "compile_seconds": sel_compile + ev_compile,
                                  "select_seconds": sel,
                                  "evaluate_seconds": max(time.perf_counter() - t1 - ev_compile,
                                                          0.0)}}
        compiled = (f" (+ {sel_compile:.1f}s compiling kernels, first run only)"
                    if sel_compile >= 0.05 else "")
        say(f"{name:>16}: k={args.k}  spread {est.mean:9.2f} +- {est.stderr:.2f} "
            f"(95% CI {est.ci95[0]:.1f}..{est.ci95[1]:.1f}, {est.n_simulations} sims)  "
            f"selection {sel:.3f}s{compiled}")
    cfg = config_from_args(args, dataset="nethept", weights="wc", model="ic")
    record = base_record("demo", cfg, {"dataset": "nethept", "n": G.n, "m": G.m,
                                       "summary": str(G.summary), "load_seconds": t_load})
    record.update({"results": runs,
                   "timings": {"compile_seconds": watch.lap(),
                               "total_seconds": time.perf_counter() - t0}})
    atomic_write_json(args.output, record)
    notice(args, f"wrote {args.output} in {time.perf_counter() - t0:.1f}s")
    return None
