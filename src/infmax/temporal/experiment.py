"""The BOPIM paper's comparisons (Figures 1-6): rows of numbers, CSV/JSON files and figures.

:func:`run_paper` is the whole harness (``infmax experiment bopim`` parses its options and
calls it): per dataset it runs the comparisons against ``k``, ``T`` and ``beta``
(:func:`compare`), one BOPIM run for the progress curve and the uncertainty quantification,
then writes the CSV tables, the figures (:mod:`.plots`) and ``bopim_summary.json`` into the
output folder, each file atomically. Every seed set is re-evaluated with ``eval_simulations``
independent SI simulations (seeded from ``rng``), and the selection time of each method (its
``SeedResult.timings["total"]``) is recorded.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._io import atomic_write_json, atomic_write_text, check_writable, remove_created
from .._validation import Interval, check, fail
from ..random import as_generator, spawn
from ..results import Stopwatch
from .baselines import celf, dynamic_degree, random_degree, random_seeds
from .bopim import bopim
from .si import si_spread

if TYPE_CHECKING:
    from ..distributed import Executor
    from ..graph.temporal import TemporalGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["METHODS", "RANDOMISED", "FIGURES", "PaperResult", "run_paper", "run_method",
           "compare", "summarise", "default_k_values", "log"]

METHODS = ("bopim-hamming", "bopim-jaccard", "greedy", "dynamic-degree", "random",
           "random-degree")
#: methods repeated over independent runs (greedy and dynamic degree run once, as in the paper)
RANDOMISED = ("bopim-hamming", "bopim-jaccard", "random", "random-degree")


def log(msg: str, enabled: bool = True) -> None:
    """One progress line on stderr (nothing when ``enabled`` is false)."""
    if enabled:
        print(msg, file=sys.stderr, flush=True)


def default_k_values(n: int) -> list[int]:
    """About 1 %, 2 %, ..., 5 % of the nodes (at least 1), distinct."""
    return sorted({max(1, round(f * n)) for f in (0.01, 0.02, 0.03, 0.04, 0.05)})


def run_method(TG: TemporalGraph, k: int, method: str, *, beta: float, rng: RngLike,
               bopim_options: Mapping[str, Any] | None = None,
               greedy_simulations: int = 100) -> SeedResult:
    """Run one method of :data:`METHODS` on ``TG``; returns its SeedResult.

    Raises
    ------
    InvalidParameterError
        ``method`` is not one of :data:`METHODS`.
    """
    bo = dict(bopim_options or {})
    if method == "bopim-hamming":
        return bopim(TG, k, beta=beta, kernel="hamming", rng=rng, **bo)
    if method == "bopim-jaccard":
        return bopim(TG, k, beta=beta, kernel="jaccard", rng=rng, **bo)
    if method == "greedy":
        return celf(TG, k, beta=beta, n_simulations=greedy_simulations, rng=rng)
    if method == "dynamic-degree":
        return dynamic_degree(TG, k, beta=beta)
    if method == "random":
        return random_seeds(TG, k, rng=rng)
    if method == "random-degree":
        return random_degree(TG, k, rng=rng)
    fail("run_method", "method", f"one of {', '.join(METHODS)}", method)


def _trial(TG: TemporalGraph, k: int, beta: float, bopim_options: Mapping[str, Any] | None,
           greedy_simulations: int, eval_simulations: int,
           item: tuple[str, int, np.random.Generator]) -> tuple[SeedResult, Any]:
    """One run of :func:`compare` (module level: executors pickle it): select, re-evaluate."""
    method, _, g = item
    res = run_method(TG, k, method, beta=beta, rng=g, bopim_options=bopim_options,
                     greedy_simulations=greedy_simulations)
    est = si_spread(TG, res.seeds, beta=beta, n_simulations=eval_simulations, rng=g)
    return res, est


def compare(TG: TemporalGraph, *, dataset: str, figure: str, k: int, beta: float,
            methods: Sequence[str] = METHODS, repeats: int = 3, eval_simulations: int = 10_000,
            rng: RngLike = None, bopim_options: Mapping[str, Any] | None = None,
            greedy_simulations: int = 100, verbose: bool = True,
            keep_results: bool = False, executor: Executor | str | None = None
            ) -> list[dict[str, Any]]:
    """Run ``methods`` at one setting; one row per run.

    Rows ``{dataset, figure, n, k, T, beta, method, rep, spread, stderr, fraction, time,
    eval_simulations, seeds}``: ``spread``/``stderr`` re-estimated with ``eval_simulations``
    SI simulations, ``time`` the method's ``timings["total"]``. The methods of
    :data:`RANDOMISED` run ``repeats`` times, each run with its own child generator of ``rng``
    (also seeding its evaluation). ``keep_results`` adds the SeedResult as ``"_result"``.
    ``executor`` (``None``/``"local"``, ``"process"``, ``"dask"`` or an
    :class:`~infmax.distributed.Executor`) runs the runs; each carries its generator, so the
    rows (all but ``time``) do not depend on it.
    """
    from ..distributed import get_executor

    gen = as_generator(rng, func="compare")
    items = []
    for method in methods:
        reps = repeats if method in RANDOMISED else 1
        items += [(method, rep, g) for rep, g in enumerate(spawn(gen, reps))]
    fn = functools.partial(_trial, TG, k, beta, bopim_options, greedy_simulations,
                           eval_simulations)
    ex = get_executor(executor, func="compare")
    rows = []
    with ex if ex is not executor else contextlib.nullcontext():   # closes one made here
        for (method, rep, _), (res, est) in zip(items, ex.map(fn, items)):
            sel = res.timings["total"]
            row = {"dataset": dataset, "figure": figure, "n": TG.n, "k": k, "T": TG.T,
                   "beta": beta, "method": method, "rep": rep, "spread": est.mean,
                   "stderr": est.stderr, "fraction": est.mean / TG.n, "time": sel,
                   "eval_simulations": eval_simulations,
                   "seeds": " ".join(map(str, res.seeds))}
            if keep_results:
                row["_result"] = res
            rows.append(row)
            log(f"  {dataset} {figure} k={k} T={TG.T} beta={beta:g} {method} rep {rep}: "
                f"spread {est.mean:.2f} +- {est.stderr:.2f} in {sel:.2f}s", verbose)
    return rows


def summarise(rows: Sequence[Mapping[str, Any]],
              by: Sequence[str] = ("dataset", "figure", "k", "T", "beta", "method")
              ) -> list[dict[str, Any]]:
    """Average the rows of :func:`compare` over repeats: one row per group of ``by``.

    Each group gets its mean spread, a standard error (over repeats the standard error of the
    mean of the runs' spreads, which combines run-to-run spread and evaluation noise; for a
    single run that run's evaluation ``stderr``), the number of runs, the mean time and ``n``.
    """
    groups: dict = {}
    for r in rows:
        groups.setdefault(tuple(r[b] for b in by), []).append(r)
    out = []
    for key, rs in groups.items():
        sp = np.array([r["spread"] for r in rs])
        se = np.array([r["stderr"] for r in rs])
        if len(rs) > 1:
            stderr = float(np.sqrt(sp.var(ddof=1) / len(rs)))
        else:
            stderr = float(se[0])
        out.append({**dict(zip(by, key)), "runs": len(rs), "spread": float(sp.mean()),
                    "stderr": stderr, "time": float(np.mean([r["time"] for r in rs])),
                    "n": rs[0]["n"]})
    return out


# -- the paper harness ------------------------------------------------------------------------
#: the figure groups of :func:`run_paper`
FIGURES = ("k", "T", "beta", "progress", "uq")
#: per varied quantity: the figure file of spread against it
_SPREAD_FIGURE = {"k": "fig2_spread_vs_k", "T": "fig4_spread_vs_T", "beta": "fig5_spread_vs_beta"}
#: child generators drawn from ``rng``; each setting takes the next one, in a fixed order
_STREAMS = 10_000


@dataclass(frozen=True)
class _Plan:
    """Step 1: the validated settings of one :func:`run_paper` call."""

    datasets: tuple
    figures: tuple
    methods: tuple
    k: int | None
    k_values: tuple | None
    snapshots: int
    beta: float
    snapshot_values: tuple
    beta_values: tuple
    repeats: int
    eval_simulations: int
    greedy_simulations: int
    bopim_options: dict
    uq_runs: int
    quick: bool
    plots: bool


@dataclass
class PaperResult:
    """What :func:`run_paper` produced (all of it also written to ``output``).

    Attributes
    ----------
    rows : dict
        Per varied quantity (``"k"``, ``"T"``, ``"beta"``) the rows of :func:`compare`.
    summaries : dict
        The same, averaged over repeats (:func:`summarise`).
    progress, nodes, inclusion : list of dict
        Rows of ``bopim_progress.csv``, ``bopim_nodes.csv`` and ``bopim_inclusion.csv``.
    uq : dict
        Per dataset the top nodes by posterior contribution and by inclusion frequency.
    files : list of str
        Every file written, ``bopim_summary.json`` last.
    summary : dict
        The content of ``bopim_summary.json``.
    """

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    summaries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    progress: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    inclusion: list[dict[str, Any]] = field(default_factory=list)
    uq: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def run_paper(datasets: Sequence[str | os.PathLike[str]], *, output: str | os.PathLike[str],
              figures: Sequence[str] = FIGURES, methods: Sequence[str] = METHODS,
              k: int | None = None, k_values: Sequence[int] | None = None,
              snapshots: int = 10, beta: float = 0.01,
              snapshot_values: Sequence[int] = (5, 10, 20, 40),
              beta_values: Sequence[float] = (0.005, 0.01, 0.02, 0.05, 0.1), repeats: int = 3,
              eval_simulations: int = 10_000, greedy_simulations: int = 100,
              bopim_options: Mapping[str, Any] | None = None, uq_runs: int = 20,
              quick: bool = False, plots: bool = True, rng: RngLike = 0,
              progress: bool | None = None, header: Mapping[str, Any] | None = None,
              executor: Executor | str | None = None, n_workers: int | None = None
              ) -> PaperResult:
    """Run the BOPIM paper's comparisons (Yanchenko 2025, Figures 1-6) into ``output``.

    Steps: validate the settings; per dataset, load it (:func:`infmax.datasets.resolve`, kind
    ``"temporal"``, cut into ``snapshots`` snapshots), run :func:`compare` at every ``k`` of
    the grid (``T = snapshots``, ``beta``), every ``T`` of ``snapshot_values`` and every
    ``beta`` of ``beta_values`` (``k`` = the fixed ``k``), then one BOPIM run for the progress
    curve and the uncertainty quantification (horseshoe node contributions, inclusion over
    ``uq_runs`` runs); write the CSV tables and figures; write ``bopim_summary.json``.

    Files (each written atomically): ``bopim_{k,T,beta}.csv`` and ``*_summary.csv``,
    ``fig2_spread_vs_k.png``, ``fig3_time_vs_k.png``, ``fig4_spread_vs_T.png``,
    ``fig5_spread_vs_beta.png``, ``bopim_progress.csv`` and ``fig1_progress_<dataset>.png``,
    ``bopim_nodes.csv`` / ``fig6a_node_contributions_<dataset>.png``,
    ``bopim_inclusion.csv`` / ``fig6b_inclusion_<dataset>.png``, ``bopim_summary.json``. A
    call that fails or is interrupted before writing anything removes the folders it created.

    Parameters
    ----------
    datasets : sequence of str or os.PathLike
        Registered temporal dataset names or contact files.
    output : str or os.PathLike
        Output folder (created when missing).
    figures : sequence of str
        Subset of :data:`FIGURES`: ``"k"``, ``"T"``, ``"beta"`` (comparisons), ``"progress"``
        (Figure 1), ``"uq"`` (Figure 6).
    methods : sequence of str
        Subset of :data:`METHODS`.
    k : int, optional
        ``k`` when it is not varied (default about 5 % of ``n``; at most 4 with ``quick``).
    k_values : sequence of int, optional
        The ``k`` grid (default :func:`default_k_values`; with ``quick`` ``k/2`` and ``k``).
    snapshots, beta
        ``T`` and ``beta`` when they are not varied.
    snapshot_values, beta_values : sequence
        The ``T`` and ``beta`` grids.
    repeats : int
        Runs of each randomised method per setting (the paper: 25).
    eval_simulations : int
        SI simulations re-estimating each seed set.
    greedy_simulations : int
        Greedy (CELF): simulations per marginal-gain evaluation.
    bopim_options : mapping, optional
        Keywords of :func:`~infmax.temporal.bopim` (``n_iterations``, ``n_initial``,
        ``n_simulations``, ``mcmc_draws``, ``burn_in``); also used by the UQ runs.
    uq_runs : int
        BOPIM runs behind the inclusion proportions (the paper: 50).
    quick : bool
        Smaller default ``k`` grid (see ``k`` and ``k_values``).
    plots : bool
        Draw the figures (needs matplotlib).
    rng : None, int, SeedSequence or Generator
        Root of every random choice; each setting draws the next child generator in a fixed
        order, so a run is reproduced by the same ``rng``.
    progress : bool, optional
        Progress bars of the BOPIM runs on stderr.
    header : mapping, optional
        Fields ``bopim_summary.json`` starts with (the CLI passes its record header); by
        default ``{"config": <the settings used>}``.
    executor : None, "local", "process", "dask" or an Executor
        Runs the comparison runs (each carries its own generator: the rows do not depend on
        the executor, except the measured times). One created here from a name is closed at
        the end (terminated on Ctrl-C / SIGTERM: no worker process survives).
    n_workers : int, optional
        Workers of a process / dask executor created here.

    Returns
    -------
    PaperResult

    Raises
    ------
    InvalidParameterError
        A setting out of range (named, with its value), an unknown figure or method, ``k``
        above a dataset's node count; :class:`~infmax.exceptions.DatasetNotFoundError` for a
        name that is neither a file nor a registered temporal dataset.
    """
    plan = _plan(datasets, figures=figures, methods=methods, k=k, k_values=k_values,
                 snapshots=snapshots, beta=beta, snapshot_values=snapshot_values,
                 beta_values=beta_values, repeats=repeats, eval_simulations=eval_simulations,
                 greedy_simulations=greedy_simulations, bopim_options=bopim_options,
                 uq_runs=uq_runs, quick=quick, plots=plots)
    from ..distributed import get_executor

    out = Path(output)
    created = check_writable(out, "output", func=_FUNC, directory=True)
    ex = get_executor(executor, n_workers=n_workers, func=_FUNC)
    try:
        with ex if ex is not executor else contextlib.nullcontext():
            return _run(plan, out, as_generator(rng, func=_FUNC), progress, header, ex)
    except BaseException:
        remove_created(created)  # only if nothing was written into them
        raise


_FUNC = "run_paper"


def _names(param: str, values: Sequence[str], valid: Sequence[str]) -> tuple:
    values = tuple(values)
    for v in values:
        if v not in valid:
            fail(_FUNC, param, f"items of {', '.join(valid)}", v)
    return values


def _plan(datasets: Sequence[str | os.PathLike[str]], *, figures: Sequence[str],
          methods: Sequence[str], k: int | None, k_values: Sequence[int] | None, snapshots: int,
          beta: float, snapshot_values: Sequence[int], beta_values: Sequence[float],
          repeats: int, eval_simulations: int, greedy_simulations: int,
          bopim_options: Mapping[str, Any] | None, uq_runs: int, quick: bool,
          plots: bool) -> _Plan:
    """Step 1: validate every setting before any work."""
    pos = Interval(int, 1, None)
    unit = Interval(float, 0, 1, closed="right")
    if isinstance(datasets, (str, os.PathLike)) or not len(datasets):
        fail(_FUNC, "datasets", "a non-empty sequence of dataset names or contact files",
             datasets)
    bo = dict(bopim_options or {})
    for name in ("n_iterations", "n_initial", "n_simulations", "mcmc_draws"):
        if name in bo:
            bo[name] = check(_FUNC, f"bopim_options[{name!r}]", bo[name], pos)
    if "burn_in" in bo:
        bo["burn_in"] = check(_FUNC, "bopim_options['burn_in']", bo["burn_in"],
                              Interval(int, 0, None))
    return _Plan(
        datasets=tuple(datasets), figures=_names("figures", figures, FIGURES),
        methods=_names("methods", methods, METHODS),
        k=None if k is None else check(_FUNC, "k", k, pos),
        k_values=None if k_values is None else tuple(check(_FUNC, "k_values", v, pos)
                                                     for v in k_values),
        snapshots=check(_FUNC, "snapshots", snapshots, pos), beta=check(_FUNC, "beta", beta, unit),
        snapshot_values=tuple(check(_FUNC, "snapshot_values", v, pos) for v in snapshot_values),
        beta_values=tuple(check(_FUNC, "beta_values", v, unit) for v in beta_values),
        repeats=check(_FUNC, "repeats", repeats, pos),
        eval_simulations=check(_FUNC, "eval_simulations", eval_simulations, pos),
        greedy_simulations=check(_FUNC, "greedy_simulations", greedy_simulations, pos),
        bopim_options=bo, uq_runs=check(_FUNC, "uq_runs", uq_runs, pos), quick=bool(quick),
        plots=bool(plots))


def _run(plan: _Plan, out: Path, gen: np.random.Generator, progress: bool | None,
         header: Mapping[str, Any] | None, executor: Executor) -> PaperResult:
    sw = Stopwatch()
    seeds_for = iter(spawn(gen, _STREAMS))
    res = PaperResult(rows={f: [] for f in ("k", "T", "beta")})
    for ds in plan.datasets:
        TG, name = _load(ds, plan)
        k5, k_values = _k_grid(plan, TG)
        _run_comparisons(plan, TG, name, k5, k_values, seeds_for, res, executor)
        if "progress" in plan.figures or "uq" in plan.figures:
            _run_uncertainty(plan, TG, name, k5, seeds_for, progress, out, res)
    _write_tables(plan, out, res)
    _write_summary(plan, out, header, sw, res)
    return res


def _load(ds: str | os.PathLike[str], plan: _Plan) -> tuple[TemporalGraph, str]:
    """Step 2: load the temporal graph of a dataset name or contact file.

    Returns the graph and its name in the rows (the dataset's canonical name, or the file's
    source name).
    """
    from ..datasets import resolve

    log(f"[bopim] loading {ds}")
    TG, provenance = resolve(ds, kind="temporal", snapshots=plan.snapshots, func=_FUNC,
                             param="datasets")
    return TG, provenance.get("dataset") or TG.summary.source


def _k_grid(plan: _Plan, TG: TemporalGraph) -> tuple[int, list[int]]:
    """Return the fixed ``k`` (about 5 % of ``n``) and the ``k`` grid of one dataset."""
    k5 = plan.k or max(1, round(0.05 * TG.n))
    if plan.quick and plan.k is None:
        k5 = min(k5, 4)
    for kk in [k5, *(plan.k_values or [])]:
        check(_FUNC, "k", kk, Interval(int, 1, TG.n))
    if plan.k_values is not None:
        return k5, list(plan.k_values)
    if plan.quick:
        return k5, sorted({max(1, k5 // 2), k5})
    return k5, default_k_values(TG.n)


def _run_comparisons(plan: _Plan, TG: TemporalGraph, name: str, k5: int, k_values: list[int],
                     seeds_for: Iterator[np.random.Generator], res: PaperResult,
                     executor: Executor) -> None:
    """Step 3: :func:`compare` against ``k``, ``T`` and ``beta`` (Figures 2-5)."""
    common = dict(methods=plan.methods, repeats=plan.repeats,
                  eval_simulations=plan.eval_simulations, bopim_options=plan.bopim_options,
                  greedy_simulations=plan.greedy_simulations, executor=executor)
    T0, beta0 = plan.snapshots, plan.beta
    if "k" in plan.figures:
        log(f"[bopim] {name}: spread and time vs k {k_values} (T={T0}, beta={beta0})")
        for k in k_values:
            res.rows["k"] += compare(TG, dataset=name, figure="k", k=k, beta=beta0,
                                     rng=next(seeds_for), **common)
    if "T" in plan.figures:
        log(f"[bopim] {name}: spread vs T {list(plan.snapshot_values)} (k={k5}, beta={beta0})")
        for T in plan.snapshot_values:
            res.rows["T"] += compare(TG.with_snapshots(T), dataset=name, figure="T", k=k5,
                                     beta=beta0, rng=next(seeds_for), **common)
    if "beta" in plan.figures:
        log(f"[bopim] {name}: spread vs beta {list(plan.beta_values)} (k={k5}, T={T0})")
        for b in plan.beta_values:
            res.rows["beta"] += compare(TG, dataset=name, figure="beta", k=k5, beta=b,
                                        rng=next(seeds_for), **common)


def _run_uncertainty(plan: _Plan, TG: TemporalGraph, name: str, k5: int,
                     seeds_for: Iterator[np.random.Generator], progress: bool | None, out: Path,
                     res: PaperResult) -> None:
    """Step 4: run BOPIM once (progress curve, Figure 1) and quantify its uncertainty.

    The quantification is the horseshoe node contributions of that run and the inclusion
    proportions over repeated runs (Figure 6).
    """
    from .uq import inclusion_frequency, node_contributions

    bo = plan.bopim_options
    log(f"[bopim] {name}: one BOPIM run (k={k5}) for the progress curve and UQ")
    run = bopim(TG, k5, beta=plan.beta, rng=next(seeds_for), progress=progress, **bo)
    for i, t in enumerate(run.record["trace"]):
        res.progress.append({"dataset": name, "evaluation": i + 1, "phase": t["phase"],
                             "observed": t["observed"], "observed_stderr": t["observed_stderr"],
                             "best_so_far": run.record["progress"][i],
                             "predicted_mean": t["predicted_mean"],
                             "predicted_sd": t["predicted_sd"],
                             "posterior_mean": t["posterior_mean"],
                             "seeds": " ".join(map(str, t["seeds"]))})
    if plan.plots and "progress" in plan.figures:
        from .plots import plot_progress

        p = out / f"fig1_progress_{name}.png"
        plot_progress(run, p, n=TG.n, title=f"BOPIM progress ({name}, k={k5})")
        res.files.append(str(p))
    if "uq" not in plan.figures:
        return
    mcmc = {key: bo[key] for key in ("mcmc_draws", "burn_in") if key in bo}
    log(f"[bopim] {name}: horseshoe node contributions")
    nc = node_contributions(TG, run, rng=next(seeds_for), **mcmc)
    for s in nc.summary(TG.n):
        res.nodes.append({"dataset": name, **s})
    log(f"[bopim] {name}: {plan.uq_runs} BOPIM runs for inclusion proportions")
    inc = inclusion_frequency(TG, k5, beta=plan.beta, n_runs=plan.uq_runs, progress=progress,
                              rng=next(seeds_for), **bo)
    for lab in inc["top"]:
        res.inclusion.append({"dataset": name, "node": lab,
                              "proportion": float(inc["frequency"][inc["labels"].index(lab)]),
                              "runs": plan.uq_runs})
    res.uq[name] = {"top_nodes_posterior": nc.top(10), "top_nodes_inclusion": inc["top"][:10]}
    if plan.plots:
        from .plots import plot_inclusion, plot_node_contributions

        p = out / f"fig6a_node_contributions_{name}.png"
        plot_node_contributions(nc, p, title=f"Node contributions ({name})")
        res.files.append(str(p))
        p = out / f"fig6b_inclusion_{name}.png"
        plot_inclusion(inc["frequency"], inc["labels"], p,
                       title=f"Inclusion over {plan.uq_runs} runs ({name})")
        res.files.append(str(p))


def _write_csv(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows as CSV (columns of the first row; ``_``-prefixed keys left out), atomically."""
    rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    atomic_write_text(path, buf.getvalue())


def _write_tables(plan: _Plan, out: Path, res: PaperResult) -> None:
    """Step 5: write the tables and the comparison figures.

    Per varied quantity its rows, their summary and its figures; then the progress, node and
    inclusion tables.
    """
    for f, rows in res.rows.items():
        if not rows:
            continue
        _write_csv(out / f"bopim_{f}.csv", rows)
        res.files.append(str(out / f"bopim_{f}.csv"))
        res.summaries[f] = summarise(rows)
        _write_csv(out / f"bopim_{f}_summary.csv", res.summaries[f])
        res.files.append(str(out / f"bopim_{f}_summary.csv"))
        if plan.plots:
            _plot_comparison(out, f, res)
    for fname, rows in (("bopim_progress.csv", res.progress), ("bopim_nodes.csv", res.nodes),
                        ("bopim_inclusion.csv", res.inclusion)):
        if rows:
            _write_csv(out / fname, rows)
            res.files.append(str(out / fname))


def _plot_comparison(out: Path, f: str, res: PaperResult) -> None:
    """Spread against the varied quantity ``f`` (and, for ``k``, the selection time)."""
    from .plots import plot_vs

    path = out / f"{_SPREAD_FIGURE[f]}.png"
    plot_vs(res.summaries[f], f, "spread", path)
    res.files.append(str(path))
    if f == "k":
        plot_vs(res.summaries[f], "k", "time", out / "fig3_time_vs_k.png", logy=True)
        res.files.append(str(out / "fig3_time_vs_k.png"))


def _write_summary(plan: _Plan, out: Path, header: Mapping[str, Any] | None, sw: Stopwatch,
                   res: PaperResult) -> None:
    """Step 6: ``bopim_summary.json``: the header, the summaries, the UQ tops, the files."""
    path = out / "bopim_summary.json"
    res.files.append(str(path))
    summary = dict(header) if header is not None else {"config": asdict(plan)}
    summary.update({"experiment": "bopim", "summaries": res.summaries, "uq": res.uq,
                    "files": res.files, "timings": {"total_seconds": sw.elapsed()}})
    res.summary = summary
    atomic_write_json(path, summary)
    log(f"[bopim] done in {summary['timings']['total_seconds']:.1f}s; wrote {len(res.files)} "
        f"files to {out}")
