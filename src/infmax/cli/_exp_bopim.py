"""``infmax experiment bopim``: the BOPIM paper's comparisons as CSV + PNG.

Writes into ``--output`` (atomically):

- ``bopim_k.csv`` / ``fig2_spread_vs_k.png`` / ``fig3_time_vs_k.png`` (spread and selection time
  against k at fixed T and beta; paper Figures 2-3);
- ``bopim_T.csv`` / ``fig4_spread_vs_T.png`` (k about 5 % of n; Figure 4);
- ``bopim_beta.csv`` / ``fig5_spread_vs_beta.png`` (Figure 5);
- ``bopim_progress.csv`` / ``fig1_progress.png`` (one BOPIM run's evaluations; Figure 1);
- ``bopim_nodes.csv`` / ``fig6a_node_contributions.png`` (horseshoe posterior per node) and
  ``bopim_inclusion.csv`` / ``fig6b_inclusion.png`` (inclusion over repeated runs; Figure 6);
- ``bopim_summary.json`` (everything, plus the configuration).

Every row holds the re-estimated spread (``--eval-simulations`` independent SI runs) with its
standard error and the method's selection time. ``--quick`` shrinks everything for a smoke run.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

from .._io import atomic_write_json, atomic_write_text

__all__ = ["add_arguments", "run"]

FIGURES = ("k", "T", "beta", "progress", "uq")


#: defaults of the options --quick shrinks: (full run, --quick). An option the user gives
#: always wins over both.
DEFAULTS = {
    "repeats": (3, 1), "eval_simulations": (10_000, 1000), "bopim_iterations": (20, 5),
    "mcmc_draws": (5000, 1000), "burn_in": (1000, 200), "uq_runs": (20, 3),
    "snapshot_values": ("5,10,20,40", "5,10"), "beta_values": ("0.005,0.01,0.02,0.05,0.1",
                                                               "0.01,0.05"),
}


def _grid(func, param, text, kind, constraint):
    """A comma-separated grid of numbers, each checked against ``constraint``."""
    from .._validation import check, fail

    items = [x.strip() for x in str(text).split(",")]
    if not all(items):
        fail(func, param, "comma-separated numbers with no empty item", text)
    out = []
    for x in items:
        try:
            v = kind(x)
        except ValueError:
            fail(func, param, f"comma-separated {kind.__name__}s", text)
        out.append(check(func, param, v, constraint))
    return out


def add_arguments(parser) -> None:
    from ._shared import add_run_options

    a = parser.add_argument
    a("--dataset", action="append", default=None,
      help="temporal dataset name or contact file; repeatable (default: hospital, ht09, "
           "dnc-email; --quick: hospital)")
    a("--output", "-o", default="bopim-results", help="output folder (default bopim-results)")
    a("--figures", default=",".join(FIGURES),
      help="comma-separated subset of k,T,beta,progress,uq (default: all)")
    a("--methods", default=None,
      help="comma-separated subset of bopim-hamming,bopim-jaccard,greedy,dynamic-degree,"
           "random,random-degree (default: all)")
    a("--k-values", default=None,
      help="comma-separated k grid, each >= 1 (default: ~1..5 %% of n; --quick: two values)")
    a("--snapshot-values", default=None,
      help="T grid for Figure 4 (default 5,10,20,40; --quick: 5,10)")
    a("--beta-values", default=None,
      help="beta grid for Figure 5, each in (0, 1] (default 0.005,0.01,0.02,0.05,0.1; "
           "--quick: 0.01,0.05)")
    a("--snapshots", type=int, default=10, help="T when it is not varied (default 10)")
    a("--beta", type=float, default=0.01, help="beta when it is not varied (default 0.01)")
    a("--k", type=int, default=None, help="k when it is not varied (default ~5 %% of n)")
    a("--repeats", type=int, default=None,
      help="runs of the randomised methods per setting (paper: 25; default 3; --quick: 1)")
    a("--eval-simulations", type=int, default=None,
      help="independent SI simulations to re-estimate each seed set (default 10000; "
           "--quick: 1000)")
    a("--greedy-simulations", type=int, default=100,
      help="greedy: simulations per marginal-gain evaluation (default 100, authors' code)")
    a("--bopim-iterations", type=int, default=None,
      help="BOPIM BO iterations (default 20; --quick: 5)")
    a("--bopim-initial", type=int, default=5, help="BOPIM initial sets (default 5)")
    a("--bopim-simulations", type=int, default=1000,
      help="BOPIM simulations per evaluation (default 1000)")
    a("--mcmc-draws", type=int, default=None,
      help="Gibbs draws kept (default 5000; --quick: 1000)")
    a("--burn-in", type=int, default=None, help="Gibbs burn-in (default 1000; --quick: 200)")
    a("--uq-runs", type=int, default=None,
      help="BOPIM runs for the inclusion proportions (paper: 50; default 20; --quick: 3)")
    a("--quick", action="store_true",
      help="smaller defaults for a smoke run (hospital, 2 k values, T 5,10, beta 0.01,0.05, "
           "1 repeat, 1000 evaluation simulations, 5 BO iterations); options given explicitly "
           "keep their values")
    a("--no-plots", action="store_true", help="write CSV/JSON only")
    a("--rng", type=int, default=0, help="random seed (default 0)")
    add_run_options(parser, memory=False)


def _csv(path, rows):
    rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    atomic_write_text(path, buf.getvalue())


def run(args) -> dict:
    """Run the comparisons into ``--output``; the record printed on stdout."""
    from .._io import check_writable, remove_created

    out = Path(getattr(args, "output", None) or "bopim-results")
    created = check_writable(out, "--output", func="infmax experiment bopim", directory=True)
    try:
        return _run(args, out)
    except BaseException:
        remove_created(created)  # only if nothing was written into them
        raise


def _run(args, out: Path) -> dict:
    from .._validation import Interval, check
    from ..exceptions import InvalidParameterError
    from ..random import as_generator, spawn
    from ..temporal import experiment as ex
    from ..temporal.uq import inclusion_frequency, node_contributions
    from ._record import base_record, config_from_args
    from ._shared import progress_flag
    from ._temporal import load_temporal

    func = "infmax experiment bopim"
    t_start = time.perf_counter()
    g = lambda n, d=None: getattr(args, n, d) if getattr(args, n, None) is not None else d  # noqa
    quick = bool(g("quick", False))

    def opt(name):  # the user's value, else the (quick) default
        return g(name, DEFAULTS[name][1 if quick else 0])

    pos = Interval(int, 1, None)
    datasets = g("dataset") or (["hospital"] if quick else ["hospital", "ht09", "dnc-email"])
    figures = [f.strip() for f in str(g("figures", ",".join(FIGURES))).split(",") if f.strip()]
    for f in figures:
        if f not in FIGURES:
            raise InvalidParameterError(
                f"The 'figures' parameter of {func} must list items of {', '.join(FIGURES)}. "
                f"Got {f!r}.", param="figures", value=f)
    methods = (g("methods") or ",".join(ex.METHODS)).split(",")
    for m in methods:
        if m not in ex.METHODS:
            raise InvalidParameterError(
                f"The 'methods' parameter of {func} must list items of "
                f"{', '.join(ex.METHODS)}. Got {m!r}.", param="methods", value=m)
    repeats = check(func, "repeats", opt("repeats"), pos)
    n_eval = check(func, "eval_simulations", opt("eval_simulations"), pos)
    T0 = check(func, "snapshots", g("snapshots", 10), pos)
    beta0 = check(func, "beta", g("beta", 0.01), Interval(float, 0, 1, closed="right"))
    user_k = None if g("k") is None else check(func, "k", g("k"), pos)
    bo = {"n_iterations": check(func, "bopim_iterations", opt("bopim_iterations"), pos),
          "n_initial": check(func, "bopim_initial", g("bopim_initial", 5), pos),
          "n_simulations": check(func, "bopim_simulations", g("bopim_simulations", 1000), pos),
          "mcmc_draws": check(func, "mcmc_draws", opt("mcmc_draws"), pos),
          "burn_in": check(func, "burn_in", opt("burn_in"), Interval(int, 0, None))}
    T_values = _grid(func, "snapshot_values", opt("snapshot_values"), int, pos)
    beta_values = _grid(func, "beta_values", opt("beta_values"), float,
                        Interval(float, 0, 1, closed="right"))
    user_k_values = (None if g("k_values") is None
                     else _grid(func, "k_values", g("k_values"), int, pos))
    uq_runs = check(func, "uq_runs", opt("uq_runs"), pos)
    greedy_sims = check(func, "greedy_simulations", g("greedy_simulations", 100), pos)
    progress = progress_flag(args)
    plots = not g("no_plots", False)
    gen = as_generator(g("rng", 0), func=func)
    seeds_for = iter(spawn(gen, 10_000))
    rows = {f: [] for f in ("k", "T", "beta")}
    files: list[str] = []
    progress_rows, node_rows, incl_rows = [], [], []
    extra = {}
    for ds in datasets:
        ex.log(f"[bopim] loading {ds}")
        TG, _ = load_temporal(ds, snapshots=T0, func=func)
        name = TG.summary.source if Path(str(ds)).exists() else ds
        k5 = user_k or max(1, round(0.05 * TG.n))
        if quick and user_k is None:
            k5 = min(k5, 4)
        for kk in [k5, *(user_k_values or [])]:
            check(func, "k", kk, Interval(int, 1, TG.n))
        if user_k_values is not None:
            k_values = user_k_values
        elif quick:
            k_values = sorted({max(1, k5 // 2), k5})
        else:
            k_values = ex.default_k_values(TG.n)
        common = dict(methods=methods, repeats=repeats, eval_simulations=n_eval,
                      bopim_options=bo, greedy_simulations=greedy_sims)
        if "k" in figures:
            ex.log(f"[bopim] {name}: spread and time vs k {k_values} (T={T0}, beta={beta0})")
            for k in k_values:
                rows["k"] += ex.compare(TG, dataset=name, figure="k", k=k, beta=beta0,
                                        rng=next(seeds_for), **common)
        if "T" in figures:
            ex.log(f"[bopim] {name}: spread vs T {T_values} (k={k5}, beta={beta0})")
            for T in T_values:
                rows["T"] += ex.compare(TG.with_snapshots(T), dataset=name, figure="T", k=k5,
                                        beta=beta0, rng=next(seeds_for), **common)
        if "beta" in figures:
            ex.log(f"[bopim] {name}: spread vs beta {beta_values} (k={k5}, T={T0})")
            for b in beta_values:
                rows["beta"] += ex.compare(TG, dataset=name, figure="beta", k=k5, beta=b,
                                           rng=next(seeds_for), **common)
        if "progress" in figures or "uq" in figures:
            from ..temporal import bopim

            ex.log(f"[bopim] {name}: one BOPIM run (k={k5}) for the progress curve and UQ")
            res = bopim(TG, k5, beta=beta0, rng=next(seeds_for), progress=progress, **bo)
            for i, t in enumerate(res.record["trace"]):
                progress_rows.append({"dataset": name, "evaluation": i + 1,
                                      "phase": t["phase"], "observed": t["observed"],
                                      "observed_stderr": t["observed_stderr"],
                                      "best_so_far": res.record["progress"][i],
                                      "predicted_mean": t["predicted_mean"],
                                      "predicted_sd": t["predicted_sd"],
                                      "posterior_mean": t["posterior_mean"],
                                      "seeds": " ".join(map(str, t["seeds"]))})
            if plots and "progress" in figures:
                from ..temporal.plots import plot_progress

                p = out / f"fig1_progress_{name}.png"
                plot_progress(res, p, n=TG.n, title=f"BOPIM progress ({name}, k={k5})")
                files.append(str(p))
            if "uq" in figures:
                ex.log(f"[bopim] {name}: horseshoe node contributions")
                nc = node_contributions(TG, res, mcmc_draws=bo["mcmc_draws"],
                                        burn_in=bo["burn_in"], rng=next(seeds_for))
                for s in nc.summary(TG.n):
                    node_rows.append({"dataset": name, **s})
                ex.log(f"[bopim] {name}: {uq_runs} BOPIM runs for inclusion proportions")
                inc = inclusion_frequency(TG, k5, beta=beta0, n_runs=uq_runs, progress=progress,
                                          rng=next(seeds_for), **bo)
                for lab in inc["top"]:
                    incl_rows.append({"dataset": name, "node": lab,
                                      "proportion": float(inc["frequency"][
                                          inc["labels"].index(lab)]), "runs": uq_runs})
                extra[name] = {"top_nodes_posterior": nc.top(10), "top_nodes_inclusion":
                               inc["top"][:10]}
                if plots:
                    from ..temporal.plots import plot_inclusion, plot_node_contributions

                    p = out / f"fig6a_node_contributions_{name}.png"
                    plot_node_contributions(nc, p, title=f"Node contributions ({name})")
                    files.append(str(p))
                    p = out / f"fig6b_inclusion_{name}.png"
                    plot_inclusion(inc["frequency"], inc["labels"], p,
                                   title=f"Inclusion over {uq_runs} runs ({name})")
                    files.append(str(p))
    summaries = {}
    for f, rs in rows.items():
        if not rs:
            continue
        _csv(out / f"bopim_{f}.csv", rs)
        files.append(str(out / f"bopim_{f}.csv"))
        summaries[f] = ex.summarise(rs)
        _csv(out / f"bopim_{f}_summary.csv", summaries[f])
        files.append(str(out / f"bopim_{f}_summary.csv"))
        if plots:
            from ..temporal.plots import plot_vs

            x = {"k": "k", "T": "T", "beta": "beta"}[f]
            fig = {"k": "fig2_spread_vs_k", "T": "fig4_spread_vs_T",
                   "beta": "fig5_spread_vs_beta"}[f]
            plot_vs(summaries[f], x, "spread", out / f"{fig}.png")
            files.append(str(out / f"{fig}.png"))
            if f == "k":
                plot_vs(summaries[f], "k", "time", out / "fig3_time_vs_k.png", logy=True)
                files.append(str(out / "fig3_time_vs_k.png"))
    for fname, rs in (("bopim_progress.csv", progress_rows), ("bopim_nodes.csv", node_rows),
                      ("bopim_inclusion.csv", incl_rows)):
        if rs:
            _csv(out / fname, rs)
            files.append(str(out / fname))
    cfg = config_from_args(args, dataset=datasets, figures=figures, methods=methods,
                           repeats=repeats, eval_simulations=n_eval, snapshots=T0, beta=beta0,
                           snapshot_values=T_values, beta_values=beta_values,
                           uq_runs=uq_runs, greedy_simulations=greedy_sims, bopim=bo,
                           quick=quick)
    summary = base_record("experiment", cfg)
    files.append(str(out / "bopim_summary.json"))
    summary.update({"experiment": "bopim", "summaries": summaries, "uq": extra,
                    "files": files,
                    "timings": {"total_seconds": time.perf_counter() - t_start}})
    atomic_write_json(out / "bopim_summary.json", summary)
    ex.log(f"[bopim] done in {summary['timings']['total_seconds']:.1f}s; wrote {len(files)} "
           f"files to {out}")
    return summary
