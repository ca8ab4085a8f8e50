"""``infmax experiment bopim``: the BOPIM paper's comparisons as CSV + PNG.

Argument parsing only: the harness is :func:`infmax.temporal.experiment.run_paper`, which
writes into ``--output`` (atomically):

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

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._validation import Interval, check, check_choice, fail
from ._shared import number_grid

__all__ = ["add_arguments", "run"]

FUNC = "infmax experiment bopim"
#: --figures by default (``temporal.experiment.FIGURES``, not imported here: building the
#: parser must not load numba)
_ALL_FIGURES = "k,T,beta,progress,uq"

#: defaults of the options --quick shrinks: (full run, --quick). An option the user gives
#: always wins over both.
DEFAULTS = {
    "repeats": (3, 1), "eval_simulations": (10_000, 1000), "bopim_iterations": (20, 5),
    "mcmc_draws": (5000, 1000), "burn_in": (1000, 200), "uq_runs": (20, 3),
    "snapshot_values": ("5,10,20,40", "5,10"), "beta_values": ("0.005,0.01,0.02,0.05,0.1",
                                                               "0.01,0.05"),
}


def _items(param: str, text: str, valid: tuple[str, ...]) -> list[str]:
    """A comma-separated subset of ``valid`` (empty items ignored)."""
    out = [x.strip() for x in str(text).split(",") if x.strip()]
    for x in out:
        if x not in valid:
            fail(FUNC, param, f"a comma-separated list of items of {', '.join(valid)}", x)
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``infmax experiment bopim``."""
    from ._shared import add_run_options

    a = parser.add_argument
    a("--dataset", action="append", default=None,
      help="temporal dataset name or contact file; repeatable (default: hospital, ht09, "
           "dnc-email; --quick: hospital)")
    a("--output", "-o", default="bopim-results", help="output folder (default bopim-results)")
    a("--figures", default=_ALL_FIGURES,
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
    a("--executor", default="local",
      help="where the comparison runs execute: local (default), process or dask (a local "
           "cluster); rows do not depend on it")
    a("--workers", type=int, default=None,
      help="workers of the process/dask executor (default: CPU count)")
    add_run_options(parser, memory=False)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the comparisons into ``--output``; the record printed on stdout."""
    from .._io import check_writable, remove_created

    out = Path(getattr(args, "output", None) or "bopim-results")
    created = check_writable(out, "--output", func=FUNC, directory=True)
    try:
        return _run(args, out)
    except BaseException:
        remove_created(created)  # only if nothing was written into them
        raise


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """The keywords of :func:`~infmax.temporal.experiment.run_paper` from the options: the
    user's value, else the (--quick) default, each validated."""
    from ..temporal.experiment import FIGURES, METHODS

    g: Callable[..., Any] = lambda n, d=None: (  # noqa: E731
        getattr(args, n) if getattr(args, n, None) is not None else d)
    quick = bool(g("quick", False))

    def opt(name: str) -> Any:
        return g(name, DEFAULTS[name][1 if quick else 0])

    pos = Interval(int, 1, None)
    unit = Interval(float, 0, 1, closed="right")
    return {
        "datasets": g("dataset") or (["hospital"] if quick else ["hospital", "ht09", "dnc-email"]),
        "figures": _items("figures", g("figures", ",".join(FIGURES)), FIGURES),
        "methods": _items("methods", g("methods", ",".join(METHODS)), METHODS),
        "repeats": check(FUNC, "repeats", opt("repeats"), pos),
        "eval_simulations": check(FUNC, "eval_simulations", opt("eval_simulations"), pos),
        "snapshots": check(FUNC, "snapshots", g("snapshots", 10), pos),
        "beta": check(FUNC, "beta", g("beta", 0.01), unit),
        "k": None if g("k") is None else check(FUNC, "k", g("k"), pos),
        "bopim_options": {
            "n_iterations": check(FUNC, "bopim_iterations", opt("bopim_iterations"), pos),
            "n_initial": check(FUNC, "bopim_initial", g("bopim_initial", 5), pos),
            "n_simulations": check(FUNC, "bopim_simulations", g("bopim_simulations", 1000), pos),
            "mcmc_draws": check(FUNC, "mcmc_draws", opt("mcmc_draws"), pos),
            "burn_in": check(FUNC, "burn_in", opt("burn_in"), Interval(int, 0, None))},
        "snapshot_values": number_grid(FUNC, "snapshot_values", opt("snapshot_values"), int, pos),
        "beta_values": number_grid(FUNC, "beta_values", opt("beta_values"), float, unit),
        "k_values": (None if g("k_values") is None
                     else number_grid(FUNC, "k_values", g("k_values"), int, pos)),
        "uq_runs": check(FUNC, "uq_runs", opt("uq_runs"), pos),
        "greedy_simulations": check(FUNC, "greedy_simulations", g("greedy_simulations", 100),
                                    pos),
        "quick": quick, "plots": not g("no_plots", False), "rng": g("rng", 0),
    }


def _run(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    from ..temporal.experiment import run_paper
    from ._record import base_record, config_from_args
    from ._shared import progress_flag

    kw = _options(args)
    cfg = config_from_args(args, dataset=kw["datasets"], figures=kw["figures"],
                           methods=kw["methods"], repeats=kw["repeats"],
                           eval_simulations=kw["eval_simulations"], snapshots=kw["snapshots"],
                           beta=kw["beta"], snapshot_values=kw["snapshot_values"],
                           beta_values=kw["beta_values"], uq_runs=kw["uq_runs"],
                           greedy_simulations=kw["greedy_simulations"],
                           bopim=kw["bopim_options"], quick=kw["quick"])
    executor = check_choice(FUNC, "executor", getattr(args, "executor", None) or "local",
                            ("local", "process", "dask"))
    workers = getattr(args, "workers", None)
    if workers is not None:
        workers = check(FUNC, "workers", workers, Interval(int, 1, None))
    res = run_paper(output=out, progress=progress_flag(args),
                    header=base_record("experiment", cfg), executor=executor,
                    n_workers=workers, **kw)
    return res.summary
