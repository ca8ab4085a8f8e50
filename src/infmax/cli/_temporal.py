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

import os
import time

from .._validation import Interval, check, check_choice
from ..exceptions import DatasetNotFoundError, InvalidParameterError

__all__ = ["run_seeds", "load_temporal"]


def load_temporal(graph: str, *, snapshots: int = 10, binning: str = "duration",
                  fmt: str | None = None, directed: bool = False, func: str = "infmax seeds"):
    """A TemporalGraph from a file path or a registered temporal dataset name.

    ``fmt`` (``--contact-format``) applies to files only: a registered dataset has a known
    format, so giving one with a dataset name is an error rather than silently ignored.
    """
    from .. import datasets
    from ..datasets.temporal import read_contacts

    if os.path.exists(str(graph)):
        return read_contacts(graph, format=fmt or "auto", snapshots=snapshots, binning=binning,
                             directed=directed), {"file": str(graph)}
    try:
        spec = datasets.get_spec(str(graph))
    except DatasetNotFoundError:
        raise DatasetNotFoundError(
            f"{func}: {graph!r} is neither a file nor a registered dataset (temporal datasets: "
            f"{', '.join(n for n in datasets.list('temporal') if not n.startswith('infectious-2'))}"
            ", infectious-YYYY-MM-DD).") from None
    if spec.kind != "temporal":
        raise InvalidParameterError(
            f"The 'graph' parameter of {func} must name a temporal dataset with --temporal. Got "
            f"{graph!r} (a {spec.kind} dataset).", param="graph", value=graph)
    if fmt is not None:
        raise InvalidParameterError(
            f"The '--contact-format' option of {func} applies to contact files only; the "
            f"registered dataset {spec.name!r} has a known format. Got {fmt!r}.",
            param="contact_format", value=fmt)
    TG = datasets.load(spec.name, snapshots=snapshots, binning=binning, directed=directed)
    return TG, {"dataset": spec.name}


def run_seeds(args) -> dict:
    """Select seeds on a temporal contact network; the record (schema of ``record.schema.json``)."""
    from ..temporal import select, si_spread
    from ._compile import CompileWatch
    from ._record import base_record, config_from_args
    from ._shared import check_selector_model, max_memory_kw, progress_flag, resolve_selector

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
                    rng=None if rng is None else rng + 1, **max_memory_kw(args, si_spread))
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
