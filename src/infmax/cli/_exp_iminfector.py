"""``infmax experiment iminfector``: every method on every cascade set, DNI vs k (Figs. 6-7).

Argument parsing only: the harness is :func:`infmax.learned.experiment.run`, which writes into
``--output`` the journal ``iminfector_dni.csv`` (one row per dataset, method and k; an
interrupted run resumes where it stopped), ``config.json``, ``iminfector_summary.json`` (the
DNI table at each set's largest k) and the figures ``fig7_dni_vs_k.png`` and
``fig6_time_per_phase.png``. The record printed on stdout is the summary.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .._validation import Interval, check, fail
from ._shared import number_grid

__all__ = ["add_arguments", "run"]

FUNC = "infmax experiment iminfector"
DEFAULT_OUTPUT = "iminfector-results"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``infmax experiment iminfector``."""
    from ._shared import add_run_options

    a = parser.add_argument
    a("--dataset", action="extend", nargs="+", default=None, metavar="NAME",
      help="registered cascade sets (repeatable; default: android, christianity, "
           "twitter-topolstm, twitter-forest, douban, memetracker-forest)")
    a("--methods", default=None,
      help="comma-separated registry names of cascades selectors (default: iminfector, "
           "kcores, avg-cascade-size, most-cascades, random-initiators, imm-wc, imm-db, "
           "those that are installed)")
    a("--k", default=None,
      help="comma-separated seed-set sizes for every set (default per set: android and "
           "christianity 5..50 step 5, twitter-topolstm 5..30 step 5, twitter-forest and "
           "douban 10..150 step 10, memetracker 25..500 step 25)")
    a("--epochs", type=int, default=None,
      help="training epochs of the methods that train (default: their own; IMINFECTOR 5)")
    a("--budget", default=None,
      help="time a method may take on a set, e.g. 600s, 10m (default: none); a method over "
           "it is stopped and reported as 'did not scale'")
    a("--executor", default="local", help="local (default), process or dask")
    a("--workers", type=int, default=None,
      help="workers of the process/dask executor (default: CPU count)")
    a("--output", "-o", default=DEFAULT_OUTPUT, metavar="DIR",
      help=f"output folder (default {DEFAULT_OUTPUT})")
    a("--rng", type=int, default=0, help="root seed (default 0)")
    a("--no-resume", dest="resume", action="store_false",
      help="start afresh even if DIR holds a partial run")
    a("--no-plots", dest="plots", action="store_false", help="write CSV/JSON only")
    add_run_options(parser, memory=False)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the experiment into ``--output``; the record printed on stdout."""
    from ..learned.experiment import DEFAULT_DATASETS, parse_budget
    from ..learned.experiment import run as run_experiment
    from ._record import base_record, config_from_args
    from ._shared import progress_flag

    methods = None
    if args.methods is not None:
        methods = [m.strip() for m in str(args.methods).split(",") if m.strip()]
        if not methods:
            fail(FUNC, "methods", "comma-separated selector names", args.methods)
    ks = None if args.k is None else number_grid(FUNC, "k", args.k, int, Interval(int, 1, None))
    budget = parse_budget(args.budget, func=FUNC)
    if args.epochs is not None:
        check(FUNC, "epochs", args.epochs, Interval(int, 1, None))
    if args.workers is not None:
        check(FUNC, "workers", args.workers, Interval(int, 1, None))
    executor = (args.executor or "local").lower()
    if executor not in ("local", "process", "dask"):
        fail(FUNC, "executor", "one of 'local', 'process', 'dask'", args.executor)
    datasets = args.dataset or list(DEFAULT_DATASETS)
    cfg = config_from_args(args, dataset=datasets, methods=methods, k=ks,
                           budget_seconds=budget)
    res = run_experiment(datasets, output=Path(args.output), methods=methods, k=ks,
                         epochs=args.epochs, rng=args.rng, budget=budget, executor=executor,
                         n_workers=args.workers, resume=args.resume, plots=args.plots,
                         progress=progress_flag(args), header=base_record("experiment", cfg))
    return res.summary
