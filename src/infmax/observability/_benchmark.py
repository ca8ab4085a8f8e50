"""The benchmarking framework of Stein et al. (Fig. 2): visibility sweep, all strategies."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import sys
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._io import atomic_open, atomic_write_json
from .._progress import Progress
from .._validation import Interval, check, check_choice, check_graph, fail
from ..exceptions import InvalidParameterError
from ..graph import DiGraph
from ..random import root_entropy
from ._adaptive import run_trial
from ._observe import observe
from ._selectors import SELECTORS, make_selector

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..distributed import Executor
    from ..random import RngLike

__all__ = ["benchmark", "BenchmarkResult", "cell_names", "CSV_COLUMNS"]

CSV_COLUMNS = ("visibility", "trial", "cell", "algorithm", "biased", "mode", "spread", "n_seeds",
               "per_round", "n_members", "n_boundary", "select_seconds", "seconds")
_MODES = ("oneshot", "adaptive")
_TIMING_COLUMNS = ("select_seconds", "seconds")
DEFAULT_VISIBILITY = (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)


def cell_names(algorithms: Sequence[str] = ("random", "degree", "imm"),
               modes: Sequence[str] = _MODES, *, biased: bool = True) -> list:
    """Cell names ``"<algorithm>[+bias]/<mode>"`` (random has no biased variant)."""
    out = []
    for a in algorithms:
        for b in ((False, True) if biased and a != "random" else (False,)):
            for m in modes:
                out.append(f"{a}{'+bias' if b else ''}/{m}")
    return out


def _parse_cell(cell: str):
    algo, _, mode = cell.partition("/")
    biased = algo.endswith("+bias")
    return algo.removesuffix("+bias"), biased, mode


@dataclass(frozen=True)
class _Context:
    """Everything a worker needs (pickled once per batch)."""

    G: DiGraph
    members: np.ndarray | None
    cells: tuple
    M: int
    bias: float
    initial: int
    entropy: int
    options: dict = field(default_factory=dict)


def _vkey(v: float) -> int:
    return int(round(float(v) * 1_000_000))


def _seed(entropy: int, *key: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(entropy, spawn_key=tuple(int(k) for k in key))


def _run_task(ctx: _Context, vis: float, trial: int) -> list[dict]:
    """All cells of one (visibility, trial): one organisation, one hidden world."""
    from ..diffusion import sample_world

    G = ctx.G
    vk = _vkey(vis)
    if ctx.members is None:
        obs = observe(G, vis, initial=ctx.initial, rng=np.random.default_rng(
            _seed(ctx.entropy, 0, trial, vk)))
    else:
        obs = observe(G, members=G.node_labels(ctx.members))
    # one world per trial, shared by every visibility level and cell (common random numbers)
    world = sample_world(G, model="ic", rng=np.random.default_rng(_seed(ctx.entropy, 1, trial)))
    rows = []
    for cell in ctx.cells:
        algo, biased, mode = _parse_cell(cell)
        sel = make_selector(algo, bias=ctx.bias if biased else None, **ctx.options)
        rng = np.random.default_rng(_seed(ctx.entropy, 2, trial, vk, zlib.crc32(cell.encode())))
        checkpoint()
        res = run_trial(obs, world, ctx.M, sel, adaptive=(mode == "adaptive"), rng=rng)
        rows.append({"visibility": _fmt_vis(vis), "trial": trial, "cell": cell,
                     "algorithm": algo, "biased": int(biased), "mode": mode,
                     "spread": res.spread, "n_seeds": len(res.seeds),
                     "per_round": ";".join(str(x) for x in res.per_round),
                     "n_members": obs.n_members, "n_boundary": obs.n_boundary,
                     "select_seconds": f"{res.timings['select']:.6f}",
                     "seconds": f"{res.timings['total']:.6f}"})
    return rows


def _run_batch(ctx: _Context, batch: Sequence[tuple[float, int]]) -> list[dict]:
    out = []
    for vis, trial in batch:
        out.extend(_run_task(ctx, vis, trial))
    return out


def _fmt_vis(v: float) -> str:
    return f"{float(v):.6g}"


@dataclass(frozen=True)
class BenchmarkResult:
    """What :func:`benchmark` returns: every row, the summary, and the files written."""

    rows: list
    summary: dict
    files: dict

    def table(self, metric: str = "mean") -> str:
        """Format a plain-text table (cells x visibility) of ``mean`` or ``mean ± stderr``."""
        cells = self.summary["cells"]
        vis = self.summary["config"]["visibility"]
        head = "cell".ljust(24) + "".join(f"{v:>16}" for v in vis)
        lines = [head]
        for c, per in cells.items():
            s = c.ljust(24)
            for v in vis:
                d = per.get(v)
                s += f"{d['mean']:>9.1f} ±{d['stderr']:>5.1f}" if d else " " * 16
            lines.append(s)
        return "\n".join(lines)


def _graph_fingerprint(G: DiGraph) -> str:
    h = hashlib.sha1()
    for a in (G.indptr, G.indices, G.probs):
        h.update(np.ascontiguousarray(a).tobytes())
    h.update(str(G.labels[:10].tolist()).encode())
    return h.hexdigest()


def _read_journal(path: Path) -> list[dict]:
    """Rows of a CSV journal; a torn last line (crash mid-write) is dropped."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    if not text:
        return []
    if not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
        raise InvalidParameterError(
            f"The 'output' parameter of benchmark points to {path}, which is not a trials CSV "
            f"of this version (columns {reader.fieldnames}); use resume=False or another "
            "directory.", param="output", value=str(path.parent))
    return [r for r in reader if r.get("seconds") not in (None, "")]


def _write_csv(path: Path, rows: Iterable[dict]) -> None:
    with atomic_open(path, "w") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def benchmark(G: DiGraph, *, visibility: Sequence[float] = DEFAULT_VISIBILITY,
              algorithms: Sequence[str] = ("random", "degree", "imm"),
              modes: Sequence[str] = _MODES, n_seeds: int = 10, trials: int = 200,
              bias: float = 2.0, weights: str | float | None = "wc", epsilon: float = 0.5,
              ell: float = 1.0, initial: int = 4, members: ArrayLike | None = None,
              executor: Executor | str | None = None, n_workers: int | None = None,
              n_threads: int | None = None, output: str | os.PathLike[str] | None = None,
              rng: RngLike = 0, progress: bool | None = None, resume: bool = True,
              batch_size: int | None = None, plots: bool = True) -> BenchmarkResult:
    """Run the partially-observable IM benchmark of Stein et al. (Sec. VI, Figs. 2-4).

    For each visibility level (fraction of fully observable nodes) and trial: grow an
    organisation O (:func:`observe`), fix one hidden live-edge world of the full graph, and run
    every cell ``{random, degree, imm} x {plain, boundary bias w} x {one-shot, adaptive}`` in
    that same world with its own random stream. The score is the number of nodes of the full
    graph the M seeds activate in the world; averaged over trials it estimates the expected
    spread.

    Parameters
    ----------
    G : DiGraph
        The full network.
    visibility : sequence of float in (0, 1]
        Fractions of fully observable nodes. Ignored when ``members`` is given.
    algorithms : sequence of str
        Registry names (``"random"``, ``"degree"``, ``"imm"``, or any name added with
        :func:`register_selector`). ``random`` has no biased variant.
    modes : sequence of {"oneshot", "adaptive"}
    n_seeds : int
        M, the number of seeds.
    trials : int
        Trials per (visibility, cell). The paper uses 1,000.
    bias : float
        Boundary weight w of the biased cells (paper: 2).
    weights : "wc", "graph" or float in (0, 1]
        Arc probabilities of the hidden IC worlds: ``"wc"`` weighted cascade (the graph is
        re-weighted ``1/indeg`` when it is not already), ``"graph"`` the graph's own
        probabilities, a float a uniform probability ``p``.
    epsilon, ell : float
        IMM accuracy parameters.
    members : iterable of labels, optional
        A fixed organisation instead of grown ones (one visibility level, |O|/n).
    executor : None, "local", "process", "dask" or an Executor
        Where trials run (:mod:`infmax.distributed`). Results do not depend on it.
    n_workers : int, optional
        Workers of a process/dask executor created here.
    n_threads : int, optional
        numba threads inside each selector call (default 1: trials are the unit of
        parallelism; results do not depend on it).
    output : path, optional
        Directory for ``trials.csv`` (journal, one row per trial x cell), ``summary.json``,
        ``config.json`` and the PNG figures.
    rng : int or None
        Root seed. Every random stream derives from it and the (trial, visibility, cell) key,
        so results do not depend on the executor, the batch size, the order of the cells or
        interruptions.
    progress : bool, optional
        Progress bar on stderr.
    resume : bool
        Continue a run found in ``output`` (same settings): completed (visibility, trial)
        tasks are read from the journal, the rest is run. ``False`` starts afresh.
    batch_size : int, optional
        Tasks per executor item (default 4); rows are journaled after each batch.
    plots : bool
        Write the PNG figures (needs matplotlib) when ``output`` is given.

    Returns
    -------
    BenchmarkResult
        ``rows`` (dicts as in the CSV), ``summary`` (per cell and visibility: mean, stderr, n,
        mean per-round spread, mean seconds; paired comparisons), ``files``.

    Notes
    -----
    The run has four named steps: :func:`_plan` (validate, weight the graph, fix the
    visibility levels, cells and root seed), :func:`_resume` (the output directory: config,
    journal, tasks left), :func:`_run_tasks` (batches through the executor, journaled as they
    finish) and :func:`_report` (sorted CSV, summary, figures).

    Ctrl-C (or the CLI's SIGTERM) raises ``KeyboardInterrupt`` (``Terminated``) between two
    kernel calls; the batches finished so far stay in the journal, so the run resumes where it
    stopped, and an executor created here is terminated (no worker process survives).

    Randomness: the organisation of (trial t, visibility v) comes from
    ``SeedSequence(rng, spawn_key=(0, t, v))``, the world of trial t from ``(1, t)`` (shared by
    every visibility level and cell: common random numbers make the comparisons paired), the
    selector of a cell from ``(2, t, v, crc32(cell))``.

    The biased random cell is omitted (random ignores the structure). The CSV is appended
    after each batch and rewritten, sorted, when the run completes, so an interrupted run that
    is resumed produces the same rows as an uninterrupted one (timing columns aside).

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.observability import benchmark
    >>> G = im.datasets.synthetic.erdos_renyi(200, 0.03, rng=1).reweight("wc")  # doctest: +SKIP
    >>> res = benchmark(G, visibility=[0.1, 0.5], algorithms=["random", "degree"],
    ...                 n_seeds=5, trials=20, rng=0)  # doctest: +SKIP
    """
    func = "benchmark"
    plan = _plan(func, G, visibility=visibility, algorithms=algorithms, modes=modes,
                 n_seeds=n_seeds, trials=trials, bias=bias, weights=weights, epsilon=epsilon,
                 ell=ell, initial=initial, members=members, n_threads=n_threads, rng=rng)
    batch_size = check(func, "batch_size", 4 if batch_size is None else batch_size,
                       Interval(int, 1, None))
    out_dir = None if output is None else Path(output)
    journal, kept = _resume(func, out_dir, plan, resume)
    done = {(_vkey(float(r["visibility"])), int(r["trial"])) for r in kept}
    todo = [(v, t) for v in plan.visibility for t in range(plan.trials)
            if (_vkey(v), t) not in done]
    total = len(plan.visibility) * plan.trials
    if done and progress is not False:  # silent only when the caller asked for quiet
        print(f"infmax: resuming: {total - len(todo)} of {total} trials done in {out_dir}",
              file=sys.stderr)
    new_rows, run = _run_tasks(func, plan.ctx, todo, batch_size=batch_size, executor=executor,
                               n_workers=n_workers, journal=journal, progress=progress)
    run["tasks_resumed"] = total - len(todo)
    return _report(plan, kept + new_rows, out_dir, run, plots=plots)


@dataclass(frozen=True)
class _Plan:
    """The validated settings of a run: worker context, visibility levels, config record."""

    ctx: _Context
    visibility: list
    trials: int
    config: dict


def _plan(func: str, G: DiGraph, *, visibility: Sequence[float], algorithms: Sequence[str],
          modes: Sequence[str], n_seeds: int, trials: int, bias: float,
          weights: str | float | None, epsilon: float, ell: float, initial: int,
          members: ArrayLike | None, n_threads: int | None, rng: RngLike) -> _Plan:
    """Validate everything, weight the graph, fix visibility levels, cells, root seed (step 1)."""
    check_graph(func, G)
    M = check(func, "n_seeds", n_seeds, Interval(int, 1, None))
    trials = check(func, "trials", trials, Interval(int, 1, None))
    bias = check(func, "bias", bias, Interval(float, 0, None, closed="neither"))
    G, weights = _weighted(func, G, weights)
    epsilon = check(func, "epsilon", epsilon, Interval(float, 0, 1, closed="neither"))
    ell = check(func, "ell", ell, Interval(float, 0, None, closed="neither"))
    initial = check(func, "initial", initial, Interval(int, 1, None))
    cells = tuple(cell_names(_names(func, "algorithms", algorithms, tuple(SELECTORS)),
                             _names(func, "modes", modes, _MODES)))
    member_ids, vis_list = _visibility_levels(func, G, visibility, members)
    entropy = root_entropy(rng, func=func)
    n_threads = check(func, "n_threads", 1 if n_threads is None else n_threads,
                      Interval(int, 1, None))
    options = {"epsilon": epsilon, "ell": ell, "n_threads": n_threads}
    config = {"graph": {"n": G.n, "m": G.m, "weights": G.weighting,
                        "fingerprint": _graph_fingerprint(G)},
              "weights": weights, "n_seeds": M, "bias": bias, "epsilon": epsilon, "ell": ell,
              "initial": initial, "cells": list(cells), "rng": entropy,
              "members": None if member_ids is None else hashlib.sha1(
                  member_ids.tobytes()).hexdigest()}
    ctx = _Context(G, member_ids, cells, M, bias, initial, entropy, options)
    return _Plan(ctx, vis_list, trials, config)


def _weighted(func, G, weights):
    """Return the graph with the hidden worlds' arc probabilities, and ``weights`` as recorded."""
    if isinstance(weights, str):
        weights = check_choice(func, "weights", weights, ("wc", "graph"))
        if weights == "wc" and G.weighting != "wc":
            G = G.reweight("wc")
        return G, weights
    p = check(func, "weights", weights, Interval(float, 0, 1, closed="right"))
    return G.reweight(p), p


def _names(func: str, param: str, values: str | Sequence[str], valid: Sequence[str]) -> list:
    """Return a non-empty list of valid names from a list or a comma-separated string."""
    if isinstance(values, str):
        values = [a.strip() for a in values.split(",") if a.strip()]
    values = [check_choice(func, param, a, valid) for a in values]
    if not values:
        fail(func, param, "a non-empty list", values)
    return values


def _visibility_levels(func, G, visibility, members):
    """``(sorted member ids or None, visibility levels)``; a fixed O gives one level."""
    if members is not None:
        obs0 = observe(G, members=members)
        return np.sort(obs0.member_ids), [obs0.fraction]
    if isinstance(visibility, (int, float)):
        visibility = [visibility]
    vis_list = [check(func, "visibility", v, Interval(float, 0, 1, closed="right"))
                for v in visibility]
    if not vis_list:
        fail(func, "visibility", "a non-empty list of fractions in (0, 1]", visibility)
    for v in vis_list:
        if math.floor(v * G.n + 0.5) < 1:
            fail(func, "visibility", f"fractions >= 1/(2n) (n = {G.n:,})", v)
    return None, list(dict.fromkeys(vis_list))


def _resume(func: str, out_dir: Path | None, plan: _Plan, resume: bool):
    """Prepare the output directory (step 2): ``(journal path or None, rows of complete tasks)``.

    A run found there with the same config is continued (``resume``): the rows of complete
    (visibility, trial) tasks are kept, torn or partial tasks are dropped from the journal.
    """
    if out_dir is None:
        return None, []
    out_dir.mkdir(parents=True, exist_ok=True)
    journal = out_dir / "trials.csv"
    cfg_path = out_dir / "config.json"
    done_rows: list[dict] = []
    if resume and cfg_path.exists() and journal.exists():
        old = json.loads(cfg_path.read_text())
        if old != json.loads(json.dumps(plan.config)):
            raise InvalidParameterError(
                f"The 'output' parameter of {func} points to {out_dir}, which holds a run "
                "with different settings; use resume=False (CLI: --no-resume) or another "
                "directory.", param="output", value=str(out_dir))
        done_rows = _read_journal(journal)
    atomic_write_json(cfg_path, plan.config)
    cells = plan.ctx.cells
    have: dict = {}
    for r in done_rows:
        have.setdefault((_vkey(float(r["visibility"])), int(r["trial"])), {})[r["cell"]] = r
    kept = [r for v in have.values() if all(c in v for c in cells) for r in v.values()]
    _write_csv(journal, _sorted(kept, cells))  # drops torn / partial tasks
    return journal, kept


def _run_tasks(func: str, ctx: _Context, todo: list[tuple[float, int]], *, batch_size: int,
               executor: Executor | str | None, n_workers: int | None,
               journal: Path | None, progress: bool | None):
    """Run the tasks in batches through the executor, journaling each batch (step 3).

    Returns ``(new rows, run record)``. Ctrl-C / SIGTERM: the finished batches are in the
    journal (resume) and an executor created here is terminated.
    """
    from ..distributed import owned_executor

    batches = [todo[i:i + batch_size] for i in range(0, len(todo), batch_size)]
    t0 = time.perf_counter()
    new_rows: list[dict] = []
    bar = Progress(len(todo), "org-boundaries trials", progress)
    fh = open(journal, "a", encoding="utf-8", newline="") if journal is not None else None
    try:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n") if fh else None
        with owned_executor(executor, n_workers=n_workers, func=func) as ex, interruptible():
            for batch, rows in zip(batches, ex.map(partial(_run_batch, ctx), batches)):
                new_rows.extend(rows)
                if writer is not None:
                    writer.writerows(rows)
                    fh.flush()
                    os.fsync(fh.fileno())
                bar.update(len(batch))
                checkpoint()
    finally:
        if fh is not None:
            fh.close()
        bar.close()
    return new_rows, {"wall_seconds": time.perf_counter() - t0, "tasks_run": len(todo),
                      "executor": repr(ex)}


def _report(plan: _Plan, rows: list[dict], out_dir: Path | None, run: dict, *,
            plots: bool) -> BenchmarkResult:
    """Write the sorted CSV, the summary (and summary.json), the figures (step 4)."""
    cells = plan.ctx.cells
    rows = _sorted(rows, cells)
    files = {}
    if out_dir is not None:
        _write_csv(out_dir / "trials.csv", rows)
        files["csv"] = str(out_dir / "trials.csv")
    summary = _summarise(rows, cells, plan.visibility, plan.trials, plan.config)
    summary["run"] = {"wall_seconds": run["wall_seconds"], "tasks_run": run["tasks_run"],
                      "tasks_resumed": run["tasks_resumed"], "executor": run["executor"]}
    if out_dir is not None:
        if plots:
            from .plots import plot_benchmark

            files.update(plot_benchmark(summary, out_dir))
        files["summary"] = str(out_dir / "summary.json")
        summary["files"] = dict(files)
        atomic_write_json(out_dir / "summary.json", summary)
    return BenchmarkResult(rows, summary, files)


def _sorted(rows, cells):
    order = {c: i for i, c in enumerate(cells)}
    return sorted(rows, key=lambda r: (_vkey(float(r["visibility"])), int(r["trial"]),
                                       order.get(r["cell"], len(order)), r["cell"]))


def _mean_se(x: np.ndarray):
    n = x.shape[0]
    if n == 0:
        return float("nan"), float("nan")
    se = float(x.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0
    return float(x.mean()), se


def _summarise(rows: list[dict], cells: Sequence[str], vis_list: Sequence[float], trials: int,
               config: dict) -> dict:
    """Compute the mean and standard error per (cell, visibility), and paired comparisons."""
    by: dict = {}
    for r in rows:
        t = int(r["trial"])
        if t >= trials:
            continue
        by.setdefault((r["cell"], _vkey(float(r["visibility"]))), []).append(r)
    out_cells: dict = {}
    spreads: dict = {}
    for c in cells:
        per = {}
        for v in vis_list:
            rs = sorted(by.get((c, _vkey(v)), []), key=lambda r: int(r["trial"]))
            if not rs:
                continue
            x = np.array([float(r["spread"]) for r in rs])
            spreads[(c, _vkey(v))] = (np.array([int(r["trial"]) for r in rs]), x)
            rounds = np.array([[float(y) for y in r["per_round"].split(";")] for r in rs])
            mean, se = _mean_se(x)
            per[_fmt_vis(v)] = {
                "mean": mean, "stderr": se, "n": int(x.shape[0]),
                "per_round_mean": rounds.mean(axis=0).tolist(),
                "select_seconds_mean": float(np.mean([float(r["select_seconds"]) for r in rs])),
                "seconds_mean": float(np.mean([float(r["seconds"]) for r in rs])),
                "n_members_mean": float(np.mean([float(r["n_members"]) for r in rs])),
                "n_boundary_mean": float(np.mean([float(r["n_boundary"]) for r in rs]))}
        out_cells[c] = per
    comparisons = {}
    pairs = [("degree/adaptive", "degree/oneshot"), ("imm/adaptive", "imm/oneshot"),
             ("degree/adaptive", "imm/oneshot"), ("degree+bias/oneshot", "degree/oneshot"),
             ("imm+bias/oneshot", "imm/oneshot"), ("degree+bias/adaptive", "degree/adaptive"),
             ("imm+bias/adaptive", "imm/adaptive"), ("degree/oneshot", "imm/oneshot")]
    for a, b in pairs:
        if a not in cells or b not in cells:
            continue
        per = {}
        for v in vis_list:
            ka, kb = (a, _vkey(v)), (b, _vkey(v))
            if ka not in spreads or kb not in spreads:
                continue
            ta, xa = spreads[ka]
            tb, xb = spreads[kb]
            common, ia, ib = np.intersect1d(ta, tb, return_indices=True)
            if common.shape[0] < 2:
                continue
            d = xa[ia] - xb[ib]
            md, sed = _mean_se(d)
            base = float(xb[ib].mean())
            per[_fmt_vis(v)] = {"diff": md, "diff_stderr": sed,
                                "gain_percent": 100 * md / base if base else float("nan"),
                                "gain_percent_stderr": 100 * sed / base if base else float("nan"),
                                "n": int(common.shape[0])}
        comparisons[f"{a} vs {b}"] = per
    cfg = dict(config)
    cfg["visibility"] = [_fmt_vis(v) for v in vis_list]
    cfg["trials"] = trials
    return {"config": cfg, "cells": out_cells, "comparisons": comparisons}
