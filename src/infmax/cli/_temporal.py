"""``infmax seeds CONTACTS --temporal ...``: seed selection on a temporal contact network.

``run_seeds(args)`` reads ``args.graph`` (a contact file in any format of
:mod:`infmax.datasets.temporal`, or a registered temporal dataset name), cuts it into
``args.snapshots`` snapshots, runs the chosen algorithm under the SI model and re-estimates the
seeds' spread with independent simulations. Options read from ``args`` (missing ones take their
defaults): graph, k, algorithm, snapshots (10), beta (0.01), simulations (per evaluation: BOPIM
1,000, greedy 100), rng, progress, kernel (hamming), threads, evaluate (simulations for the final
estimate; 0 or missing = 10,000), and optionally binning (duration|events), contact_format
(auto|tij|konect|haggle|one), directed (False), n_initial (5), n_iterations (20), mcmc_draws
(5,000), burn_in (1,000).
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING, Any

from .._validation import Interval, check, check_choice
from ..exceptions import InvalidParameterError

if TYPE_CHECKING:
    from ..graph.temporal import TemporalGraph

__all__ = ["run_seeds", "load_temporal"]


def load_temporal(graph: str, *, snapshots: int = 10, binning: str = "duration",
                  fmt: str | None = None, directed: bool = False, func: str = "infmax seeds"
                  ) -> tuple[TemporalGraph, dict[str, str]]:
    """A TemporalGraph from a contact file or a registered temporal dataset name, and its
    provenance (``{"file": path}`` or ``{"dataset": name}``), through
    :func:`infmax.datasets.resolve`.

    ``fmt`` (``--contact-format``) is passed only when given: a file is read in that format, a
    registered dataset accepts only its own (a different one is an error naming the option).
    """
    from .. import datasets

    kw = {"snapshots": snapshots, "binning": binning, "directed": directed}
    if fmt is not None:
        kw["format"] = fmt
    try:
        return datasets.resolve(graph, kind="temporal", func=func, param="GRAPH", **kw)
    except InvalidParameterError as e:
        if fmt is None or e.param != "format":
            raise
        raise InvalidParameterError(
            f"The '--contact-format' option of {func} does not fit {graph!r}: {e} Got "
            f"{fmt!r}.", param="contact_format", value=fmt) from None


def run_seeds(args: argparse.Namespace) -> dict[str, Any]:
    """Select seeds on a temporal contact network; the record (schema of ``record.schema.json``)."""
    from ..temporal import select, si_spread
    from ._compile import CompileWatch
    from ._record import base_record, config_from_args
    from ._shared import (
        check_selector_model,
        evaluation_rng,
        max_memory_kw,
        progress_flag,
        resolve_selector,
    )

    func = "infmax seeds"
    t_start = time.perf_counter()
    watch = getattr(args, "_compile", None) or CompileWatch()
    g = lambda name, default=None: (getattr(args, name, None)  # noqa: E731
                                    if getattr(args, name, None) is not None else default)
    info = resolve_selector(g("algorithm", "bopim"), input="temporal", func=func)
    algorithm = info.name  # aliases resolved
    model = check_selector_model(info, g("model", "si"), func=f"{func} --temporal")
    snapshots = check(func, "snapshots", g("snapshots", 10), Interval(int, 1, None))
    beta = check(func, "beta", g("beta", 0.01), Interval(float, 0, 1))
    kernel = check_choice(func, "kernel", g("kernel", "hamming"), ("hamming", "jaccard"))
    sims = g("simulations")
    if sims is not None:
        sims = check(func, "simulations", sims, Interval(int, 1, None))
    n_eval = g("evaluate", 0) or 10_000
    n_eval = check(func, "evaluate", n_eval, Interval(int, 1, None))
    if g("threads") is not None:
        import numba

        numba.set_num_threads(check(func, "threads", g("threads"),
                                    Interval(int, 1, numba.config.NUMBA_NUM_THREADS)))
    t0 = time.perf_counter()
    TG, src = load_temporal(g("graph"), snapshots=snapshots, binning=g("binning", "duration"),
                            fmt=g("contact_format"), directed=bool(g("directed", False)))
    t_load = time.perf_counter() - t0
    opts = {}
    if algorithm == "bopim":
        for name in ("n_initial", "n_iterations", "mcmc_draws", "burn_in"):
            if g(name) is not None:
                opts[name] = g(name)
    rng = g("rng")
    progress = progress_flag(args)
    c0, t1 = watch.lap(), time.perf_counter()
    res = select(TG, g("k"), algorithm=algorithm, beta=beta, rng=rng, kernel=kernel,
                 n_simulations=sims, progress=progress, **opts)
    select_wall, select_compile = time.perf_counter() - t1, watch.lap() - c0
    c0, t1 = watch.lap(), time.perf_counter()
    est = si_spread(TG, res.seeds, beta=beta, n_simulations=n_eval,
                    rng=evaluation_rng(rng), **max_memory_kw(args, si_spread))
    eval_compile = watch.lap() - c0
    t_eval = time.perf_counter() - t1 - eval_compile
    used = {"algorithm": algorithm, "snapshots": snapshots, "beta": beta, "model": model,
            "evaluate": n_eval}
    if algorithm == "bopim":
        used["kernel"] = kernel
    cfg = config_from_args(args, temporal=True, **used)
    if algorithm != "bopim":
        cfg.pop("kernel", None)
    record = base_record("seeds", cfg, {**src, **TG.info(), "load_seconds": t_load})
    record.update({
        "algorithm": res.algorithm, "seeds": list(res.seeds),
        "estimates": {"algorithm": {"mean": res.spread, "stderr": res.spread_stderr},
                      "monte_carlo": est.to_dict()},
        "params": dict(res.params), "record": dict(res.record),
        "timings": {"phases": dict(res.timings), "graph_load_seconds": t_load,
                    "compile_seconds": select_compile + eval_compile,
                    "select_seconds": max(select_wall - select_compile, 0.0),
                    "evaluate_seconds": max(t_eval, 0.0),
                    "total_seconds": time.perf_counter() - t_start},
    })
    return record
