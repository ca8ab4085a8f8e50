"""``infmax experiment aditum``: the ADITUM paper's evaluation as CSV + JSON + PNG.

Argument parsing only: the harness is :func:`infmax.targeted.experiment.run`, which writes
into ``--output`` (atomically): ``config.json`` and ``units.csv`` (the journal: one row per
selector run, appended as runs finish, so an interrupted run resumes where it stopped),
``fig1_capital.csv`` / ``.png`` (RIS vs Monte Carlo capital across k), ``fig2_diversity.csv``
/ ``.png`` (attribute-value entropy and coverage per diversity function),
``fig4_overlap_<law>.csv`` / ``fig4_overlap.png`` (seed-set overlap across alpha),
``fig5_diversity_vs_k.csv`` / ``.png`` (diversity vs k and its maximum, uniform and
exponential profiles), ``competitors.csv`` / ``.png`` (capital and time against the competitor
selectors) and ``summary.json`` (the tables, the paper's claims checked, the files). The
record printed on stdout is the summary.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from .._validation import Interval
from ._shared import number_grid

__all__ = ["add_arguments", "run"]

FUNC = "infmax experiment aditum"
#: --figures by default (``targeted.experiment.FIGURES``, not imported here: building the
#: parser must not load numba)
_ALL_FIGURES = "1,2,4,5,competitors"
_COMPETITORS = "degd-u,degd-w,ris-u,ris-w,dtim"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``infmax experiment aditum``."""
    from ._shared import add_run_options

    a = parser.add_argument
    a("--dataset", default="epinions-lurker",
      help="registered graph dataset or edge-list file (default: epinions-lurker, the "
           "stand-in for the paper's lurker networks: epinions' largest SCC, arcs reversed; "
           "movielens with --profiles genres for setting S1)")
    a("--output", "-o", default="aditum-results", help="output folder (default aditum-results)")
    a("--figures", default=_ALL_FIGURES,
      help=f"comma-separated subset of {_ALL_FIGURES} (default: all)")
    a("--k", default="5,10,20,30,40,50",
      help="comma-separated seed-set sizes (default 5,10,20,30,40,50); Fig. 4 uses the largest")
    a("--alpha", type=float, default=0.5,
      help="ADITUM's trade-off for Figs. 1, 2, 5 and the competitors (default 0.5)")
    a("--alpha-grid", default="0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1",
      help="comma-separated alphas of Fig. 4 (default 0 to 1 step 0.1)")
    a("--diversity", default="attribute,hamming,entropy,class",
      help="comma-separated diversity functions of Fig. 2 (default: all four)")
    a("--scores", default="lurkerrank",
      help="target scores: lurkerrank (setting S3: also LurkerRank LT weights), indegree or "
           "uniform (default lurkerrank)")
    a("--top", default="25%", help="targets: top share of the scores (default 25%%)")
    a("--profiles", default=None,
      help="FILE (lines 'node a1 ... am'), synthetic:m=10,v=5,dist=exp,seed=1 (default "
           "m=10, v=5, exponential, seed from --rng), or genres[:bins=Q] (MovieLens genre "
           "counts)")
    a("--model", default=None, help="ic or lt (default lt with lurkerrank, else ic)")
    a("--simulations", type=int, default=10_000,
      help="Monte Carlo runs per capital evaluation (default 10000, as the paper)")
    a("--epsilon", type=float, default=0.1, help="ADITUM's epsilon (default 0.1)")
    a("--competitors", default=_COMPETITORS,
      help=f"comma-separated registered selectors (default {_COMPETITORS}); names not "
           "registered are reported as not available")
    a("--executor", default="local", help="local (default), process or dask")
    a("--workers", type=int, default=None,
      help="workers of the process/dask executor (default: CPU count)")
    a("--rng", type=int, default=0, help="root seed (default 0)")
    a("--no-resume", dest="resume", action="store_false",
      help="start afresh even if the folder holds a partial run")
    a("--no-plots", action="store_true", help="write CSV/JSON only")
    add_run_options(parser, memory=False)


def _items(text: str) -> list[str]:
    return [x.strip() for x in str(text).split(",") if x.strip()]


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the evaluation into ``--output``; the record printed on stdout."""
    from ..targeted.experiment import run as run_experiment
    from ._record import base_record, config_from_args

    t0 = time.perf_counter()
    ks = number_grid(FUNC, "k", args.k, int, Interval(int, 1, None))
    grid = number_grid(FUNC, "alpha_grid", args.alpha_grid, float, Interval(float, 0.0, 1.0))
    executor = (args.executor or "local").lower()
    quiet = bool(getattr(args, "quiet", False))
    res = run_experiment(
        args.dataset, output=Path(args.output), figures=_items(args.figures), k=ks,
        alpha=args.alpha, alpha_grid=grid, diversity=_items(args.diversity),
        scores=args.scores, top=args.top, profiles=args.profiles, model=args.model,
        simulations=args.simulations, epsilon=args.epsilon,
        competitors=_items(args.competitors), rng=args.rng, executor=executor,
        n_workers=args.workers, resume=args.resume, plots=not args.no_plots,
        verbose=not quiet)
    record = base_record("experiment", config_from_args(args, k=ks, alpha_grid=grid))
    record["experiment"] = "aditum"
    summary = dict(res.summary)
    record["settings"] = summary.pop("config")
    record.update(summary)
    record["timings"] = {"total_seconds": time.perf_counter() - t0}
    return record
