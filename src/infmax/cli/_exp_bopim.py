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


def _floats(s):
    return [float(x) for x in str(s).split(",") if x.strip()]


def _ints(s):
    return [int(x) for x in str(s).split(",") if x.strip()]


def add_arguments(parser) -> None:
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
    a("--k-values", default=None, help="comma-separated k grid (default: ~1..5 %% of n)")
    a("--snapshot-values", default="5,10,20,40", help="T grid for Figure 4 (default 5,10,20,40)")
    a("--beta-values", default="0.005,0.01,0.02,0.05,0.1",
      help="beta grid for Figure 5 (default 0.005,0.01,0.02,0.05,0.1)")
    a("--snapshots", type=int, default=10, help="T when it is not varied (default 10)")
    a("--beta", type=float, default=0.01, help="beta when it is not varied (default 0.01)")
    a("--k", type=int, default=None, help="k when it is not varied (default ~5 %% of n)")
    a("--repeats", type=int, default=3,
      help="runs of the randomised methods per setting (paper: 25; default 3)")
    a("--eval-simulations", type=int, default=10_000,
      help="independent SI simulations to re-estimate each seed set (default 10000)")
    a("--greedy-simulations", type=int, default=100,
      help="greedy: simulations per marginal-gain evaluation (default 100, authors' code)")
    a("--bopim-iterations", type=int, default=20, help="BOPIM BO iterations (default 20)")
    a("--bopim-initial", type=int, default=5, help="BOPIM initial sets (default 5)")
    a("--bopim-simulations", type=int, default=1000,
      help="BOPIM simulations per evaluation (default 1000)")
    a("--mcmc-draws", type=int, default=5000, help="Gibbs draws kept (default 5000)")
    a("--burn-in", type=int, default=1000, help="Gibbs burn-in (default 1000)")
    a("--uq-runs", type=int, default=20,
      help="BOPIM runs for the inclusion proportions (paper: 50; default 20)")
    a("--quick", action="store_true",
      help="tiny grid for a smoke run (hospital, 2 k values, 2 T, 2 beta, 1 repeat, "
           "1000 evaluation simulations, 5 BO iterations)")
    a("--no-plots", action="store_true", help="write CSV/JSON only")
    a("--rng", type=int, default=0, help="random seed (default 0)")


def _csv(path, rows):
    rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    atomic_write_text(path, buf.getvalue())


def run(args) -> dict:
    from .._validation import Interval, check
    from ..exceptions import InvalidParameterError
    from ..random import as_generator, spawn
    from ..temporal import experiment as ex
    from ..temporal.uq import inclusion_frequency, node_contributions
    from ._temporal import load_temporal

    func = "infmax experiment bopim"
    t_start = time.perf_counter()
    g = lambda n, d=None: getattr(args, n, d) if getattr(args, n, None) is not None else d  # noqa
    quick = bool(g("quick", False))
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
    repeats = 1 if quick else check(func, "repeats", g("repeats", 3), Interval(int, 1, None))
    n_eval = 1000 if quick else check(func, "eval_simulations", g("eval_simulations", 10_000),
                                      Interval(int, 1, None))
    T0 = check(func, "snapshots", g("snapshots", 10), Interval(int, 1, None))
    beta0 = check(func, "beta", g("beta", 0.01), Interval(float, 0, 1))
    bo = {"n_iterations": 5 if quick else g("bopim_iterations", 20),
          "n_initial": g("bopim_initial", 5), "n_simulations": g("bopim_simulations", 1000),
          "mcmc_draws": 1000 if quick else g("mcmc_draws", 5000),
          "burn_in": 200 if quick else g("burn_in", 1000)}
    T_values = [5, 10] if quick else _ints(g("snapshot_values", "5,10,20,40"))
    beta_values = [0.01, 0.05] if quick else _floats(g("beta_values", "0.005,0.01,0.02,0.05,0.1"))
    uq_runs = 3 if quick else check(func, "uq_runs", g("uq_runs", 20), Interval(int, 1, None))
    out = Path(g("output", "bopim-results"))
    out.mkdir(parents=True, exist_ok=True)
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
        k5 = g("k") or max(1, round(0.05 * TG.n))
        if quick:
            k5 = min(k5, 4)
        k_values = _ints(g("k_values")) if g("k_values") else ex.default_k_values(TG.n)
        if quick:
            k_values = sorted({max(1, k5 // 2), k5})
        common = dict(methods=methods, repeats=repeats, eval_simulations=n_eval,
                      bopim_options=bo, greedy_simulations=g("greedy_simulations", 100))
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
            res = bopim(TG, k5, beta=beta0, rng=next(seeds_for), **bo)
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
                inc = inclusion_frequency(TG, k5, beta=beta0, n_runs=uq_runs,
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
    summary = {"experiment": "bopim", "datasets": datasets, "figures": figures,
               "methods": methods, "repeats": repeats, "eval_simulations": n_eval,
               "snapshots": T0, "beta": beta0, "bopim": bo, "quick": quick,
               "summaries": summaries, "uq": extra, "files": files,
               "seconds": time.perf_counter() - t_start}
    atomic_write_json(out / "bopim_summary.json", summary)
    summary["files"].append(str(out / "bopim_summary.json"))
    ex.log(f"[bopim] done in {summary['seconds']:.1f}s; wrote {len(files)} files to {out}")
    return summary
