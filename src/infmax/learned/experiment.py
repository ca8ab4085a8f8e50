"""The IMINFECTOR paper's experiment (Sec. 5, Figs. 6-7): every method on every cascade set.

:func:`run` is the whole harness (``infmax experiment iminfector`` parses its options and calls
it). Per (dataset, method) unit: split the cascade set (the shipped split of the Inf-VAE sets,
else :func:`~infmax.graph.cascades.split_by_time` at 80 %), run the method, a "cascades"
selector looked up in :mod:`the registry <infmax.algorithms.registry>` by name, **once** at the
largest ``k`` of the set's grid, and score every prefix of its selection order on the test
cascades with :func:`~infmax.evaluation.dni.dni_curve` (DNI with a bootstrap interval).

Files written into ``output``:

- ``config.json``: the settings (a folder holding other settings is refused on resume);
- ``iminfector_dni.csv``: the journal, one tidy row per (dataset, method, k), appended and
  synced as each unit finishes (so an interrupted run resumes where it stopped), rewritten
  sorted at the end; columns :data:`COLUMNS`;
- ``iminfector_summary.json``: settings, the per-dataset split, the DNI table at each set's
  largest ``k``, the units that did not scale, the files;
- ``fig7_dni_vs_k.png`` (DNI against seed-set size, one panel per dataset, 95 % bands) and
  ``fig6_time_per_phase.png`` (seconds per phase of each method, stacked bars, one panel per
  dataset), both from :mod:`infmax.learned.plots`.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._io import atomic_write_json, check_writable, remove_created
from .._validation import Interval, check, fail
from ..evaluation.journal import Journal, write_rows
from ..exceptions import InfmaxError
from ..random import root_entropy

if TYPE_CHECKING:
    from ..distributed import Executor
    from ..graph.cascades import Cascades
    from ..random import RngLike

__all__ = ["run", "ExperimentResult", "DEFAULT_DATASETS", "DEFAULT_METHODS", "K_GRIDS",
           "NEEDS_GRAPH", "COLUMNS", "PHASES", "parse_budget"]

_FUNC = "iminfector experiment"

#: the six cascade sets of the experiment (METHODS.md section 1)
DEFAULT_DATASETS = ("android", "christianity", "twitter-topolstm", "twitter-forest", "douban",
                    "memetracker-forest")
#: registry names of the methods, in table order (those not registered are skipped by default)
DEFAULT_METHODS = ("iminfector", "kcores", "avg-cascade-size", "most-cascades",
                   "random-initiators", "imm-wc", "imm-db", "imm-inf2vec", "simpath-db",
                   "simpath-inf2vec", "credit-distribution", "celfie")
#: methods that need the social graph: "no graph" on sets without one. A selector whose
#: ``graph`` parameter has no default needs it too (read from its signature).
NEEDS_GRAPH = ("imm-wc",)
#: default k grids (issue 10, deliverable 6)
K_GRIDS: Mapping[str, tuple[int, ...]] = {
    "android": tuple(range(5, 51, 5)), "christianity": tuple(range(5, 51, 5)),
    "twitter-topolstm": tuple(range(5, 31, 5)), "twitter-forest": tuple(range(10, 151, 10)),
    "douban": tuple(range(10, 151, 10)), "memetracker-forest": tuple(range(25, 501, 25))}
#: phases with a column of their own; ``other_seconds`` is the rest of the method's total
PHASES = ("context", "training", "D", "selection")
COLUMNS = ("dataset", "method", "k", "status", "dni", "dni_low", "dni_high", "test_cascades",
           *(f"{p}_seconds" for p in PHASES), "other_seconds", "total_seconds", "dni_seconds",
           "seeds", "note")
#: what a row's ``status`` says
STATUSES = ("ok", "did not scale", "no graph", "too few seeds", "error")
_KEY = ("dataset", "method", "k")
CSV_NAME = "iminfector_dni.csv"
SUMMARY_NAME = "iminfector_summary.json"


def parse_budget(text: str | float | None, *, func: str = _FUNC, param: str = "budget"
                 ) -> float | None:
    """Seconds from ``600``, ``600s``, ``10m`` or ``1.5h`` (``None`` or ``"none"``: no budget).

    Examples
    --------
    >>> parse_budget("10m"), parse_budget(30), parse_budget(None)
    (600.0, 30.0, None)
    """
    if text is None or (isinstance(text, str) and text.strip().lower() in ("", "none")):
        return None
    if isinstance(text, str):
        s = text.strip().lower()
        scale = {"s": 1.0, "m": 60.0, "h": 3600.0}.get(s[-1:], None)
        try:
            value = float(s[:-1] if scale else s) * (scale or 1.0)
        except ValueError:
            fail(func, param, "a positive number of seconds, e.g. 600, 600s, 10m or 1.5h", text)
    else:
        value = text
    return check(func, param, value, Interval(float, 0, None, closed="neither"))


# -- the unit of work ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Unit:
    """One (dataset, method): everything a worker needs (plain, picklable data)."""

    dataset: str
    method: str
    ks: tuple[int, ...]
    epochs: int | None
    entropy: int
    budget: float | None
    confidence: float
    n_bootstrap: int
    progress: bool | None


def _seed(entropy: int, *words: str) -> np.random.SeedSequence:
    """Return the stream of a (dataset[, method]) key: independent of order and executor."""
    return np.random.SeedSequence(entropy, spawn_key=tuple(zlib.crc32(w.encode()) for w in words))


@lru_cache(maxsize=2)
def _split(dataset: str) -> tuple[Cascades, Cascades, str]:
    """Return (train, test, how) of a registered cascade set.

    Cached per process: the units of one set run one after another.
    """
    from .. import datasets
    from ..graph.cascades import split_by_time

    C = datasets.load(dataset)
    train, test = split_by_time(C)
    return train, test, "shipped" if C.relative_times else "time"


def _needs_graph(info: Any) -> bool:  # noqa: ANN401 - a SelectorInfo
    if info.name in NEEDS_GRAPH:
        return True
    p = inspect.signature(info.func).parameters.get("graph")
    return p is not None and p.default is inspect.Parameter.empty


def _row(u: _Unit, k: int, status: str, **kw: Any) -> dict[str, Any]:  # noqa: ANN401
    row = {c: "" for c in COLUMNS}
    row.update(dataset=u.dataset, method=u.method, k=k, status=status)
    row.update(kw)
    return row


def _phase_columns(timings: Mapping[str, float]) -> dict[str, float]:
    """Return the phase columns of a selector's ``timings`` (the rest is ``other``)."""
    out = {f"{p}_seconds": float(timings.get(p, 0.0)) for p in PHASES}
    named = sum(out.values())
    total = float(timings.get("total", named + sum(
        v for p, v in timings.items() if p not in PHASES)))
    out["other_seconds"] = max(total - named, 0.0)
    out["total_seconds"] = total
    return out


def _select(func: Callable[..., Any], train: Cascades, k: int,
            kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Run a selector; its seeds (selection order) and timings as plain data."""
    res = func(train, k, **kwargs)
    out = {"seeds": list(res.seeds), "timings": {p: float(v) for p, v in res.timings.items()}}
    if res.record.get("saturated_at") is not None:   # CELFIE: coverage saturated
        out["saturated_at"] = int(res.record["saturated_at"])
    return out


def _run_unit(u: _Unit) -> list[dict[str, Any]]:
    """Select once at the largest k, score every k of the grid: the unit's rows."""
    from ..algorithms import registry
    from ..evaluation.dni import dni_curve

    info = registry.get(u.method, input="cascades", func=_FUNC, param="methods")
    train, test, _ = _split(u.dataset)
    if _needs_graph(info) and train.graph is None:
        return [_row(u, k, "no graph", note="the set has no social graph") for k in u.ks]
    kmax = max(u.ks)
    sel_seed, _ = _seed(u.entropy, u.dataset, u.method).spawn(2)
    kw: dict[str, Any] = {}
    if info.accepts("rng"):
        kw["rng"] = np.random.default_rng(sel_seed)
    if u.epochs is not None and info.accepts("epochs"):
        kw["epochs"] = u.epochs
    if info.accepts("progress"):
        kw["progress"] = u.progress
    if info.accepts("graph") and train.graph is not None:
        kw["graph"] = train.graph
    try:
        if u.budget is None:
            out = _select(info.func, train, kmax, kw)
        else:
            out = _run_budgeted(_select, (info.func, train, kmax, kw), u.budget)
    except InfmaxError as exc:  # the method refuses this set (e.g. k above its candidates)
        return [_row(u, k, "error", note=str(exc).replace("\n", " ")) for k in u.ks]
    if "elapsed" in out:
        return [_row(u, k, "did not scale", total_seconds=out["elapsed"],
                     note=f"stopped after the budget of {u.budget:g} s") for k in u.ks]
    seeds, phases = out["seeds"], _phase_columns(out["timings"])
    ok = [k for k in u.ks if k <= len(seeds)]
    if 0 < len(seeds) < kmax and len(seeds) not in ok:
        ok.append(len(seeds))   # a method that stops early is scored at what it returned
    t = time.perf_counter()
    # one bootstrap stream per dataset: every method is scored on the same resamples
    curve = dni_curve(seeds, test, ok, confidence=u.confidence, n_bootstrap=u.n_bootstrap,
                      rng=np.random.default_rng(_seed(u.entropy, u.dataset))) if ok else []
    t_dni = time.perf_counter() - t
    rows = [_row(u, e.k, "ok", dni=e.value, dni_low=e.low, dni_high=e.high,
                 test_cascades=e.cascades, dni_seconds=t_dni, **phases) for e in curve]
    why = (f"coverage saturated after {out['saturated_at']} seeds"
           if out.get("saturated_at") is not None else f"the method returned {len(seeds)} seeds")
    rows += [_row(u, k, "too few seeds", note=why, dni_seconds=t_dni, **phases)
             for k in u.ks if k > len(seeds)]
    last = max(range(len(rows)), key=lambda i: rows[i]["k"])
    rows[last]["seeds"] = " ".join(map(str, seeds))
    return rows


# -- a method under a time budget: a child process that can be stopped ----------------------
#: seconds between two looks at the child (and interrupt checkpoints)
_POLL_S = 0.1
#: seconds a child may take to start (interpreter, imports, reading its input) on top of the
#: budget before it is stopped anyway
_STARTUP_S = 120.0


def _run_budgeted(fn: Callable[..., dict[str, Any]], args: tuple, budget: float
                  ) -> dict[str, Any]:
    """``fn(*args)`` in a child Python process, stopped when it runs over ``budget`` seconds.

    Returns ``fn``'s result, or ``{"elapsed": seconds}`` when the child was stopped. The
    budget counts from the moment the child has read its input (imports done), so a slow
    interpreter start-up on a busy machine does not count against the method (start-up itself
    may take up to :data:`_STARTUP_S` more). The child
    gets this process's ``sys.path`` (so functions pickled by reference import there too),
    ignores SIGINT (the parent decides) and exits when its parent dies (a worker process
    terminated by its executor takes its child along). An error in the child is raised here.
    Ctrl-C or SIGTERM while waiting stops the child and raises.
    """
    with tempfile.TemporaryDirectory(prefix="infmax-budget-") as tmp:
        src, dst, started = Path(tmp) / "in.pkl", Path(tmp) / "out.pkl", Path(tmp) / "started"
        src.write_bytes(pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        code = f"from {__name__} import _child_main; _child_main()"
        launched = time.perf_counter()
        t0: float | None = None  # when the method started
        proc = subprocess.Popen([sys.executable, "-c", code, str(src), str(dst),
                                 str(os.getpid())], env=env, stdin=subprocess.DEVNULL)
        try:
            with interruptible():
                while proc.poll() is None:
                    now = time.perf_counter()
                    if t0 is None and started.exists():
                        t0 = now
                    if (now - t0 > budget) if t0 is not None else (
                            now - launched > budget + _STARTUP_S):
                        _stop(proc)
                        return {"elapsed": time.perf_counter() - (t0 or launched)}
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(_POLL_S)
                    checkpoint()
        except BaseException:
            _stop(proc)
            raise
        if not dst.exists():
            raise RuntimeError(f"the method's process exited with status {proc.returncode} "
                               "and no result")
        ok, value = pickle.loads(dst.read_bytes())
    if not ok:
        raise value
    return value


def _stop(proc: subprocess.Popen) -> None:
    """Terminate a child process and wait for it (kill it if it ignores SIGTERM)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGTERM ignored
            proc.kill()
            proc.wait()


def _child_main() -> None:
    """Entry point of the child of :func:`_run_budgeted`.

    ``argv``: input pickle, output pickle, the parent's pid (compared with ``getppid``: a
    parent that died while this process was still importing is noticed too).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["INFMAX_PROGRESS"] = "0"
    parent = int(sys.argv[3])

    def watch() -> None:  # end when the parent is gone (re-parented to init or a reaper)
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    fn, args = pickle.loads(src.read_bytes())
    (src.parent / "started").touch()
    try:
        result = (True, fn(*args))
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        result = (False, exc)
    tmp = dst.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, dst)


# -- the harness ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExperimentResult:
    """What :func:`run` returns (all of it also written to ``output``).

    Attributes
    ----------
    rows : list of dict
        The CSV rows (one per dataset, method and k), sorted; values as written.
    summary : dict
        The content of ``iminfector_summary.json``: ``config`` (the caller's header, else the
        settings), ``settings``, ``table`` (per dataset and method at the largest k:
        ``status, dni, low, high, seconds``), ``k_max``, ``splits``, ``did_not_scale``,
        ``not_registered``, ``run``, ``timings``, ``files``.
    files : dict
        Paths written: ``csv``, ``summary``, ``config`` and the figures.
    """

    rows: list[dict[str, Any]]
    summary: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)

    def table(self) -> str:
        """Format the DNI table at each set's largest k (methods as rows, sets as columns)."""
        tab = self.summary["table"]
        sets = list(tab)
        methods = list(dict.fromkeys(m for d in tab.values() for m in d))
        lines = ["method".ljust(20) + "".join(f"{s[:16]:>18}" for s in sets)]
        for m in methods:
            cells = []
            for s in sets:
                c = tab[s].get(m)
                if c is None:
                    cells.append("")
                elif c["status"] == "ok":
                    cells.append(f"{c['dni']} [{c['low']:.0f},{c['high']:.0f}]")
                else:
                    cells.append(c["status"])
            lines.append(m.ljust(20) + "".join(f"{x:>18}" for x in cells))
        ks = "  ".join(f"{s}: k={tab_k}" for s, tab_k in self.summary["k_max"].items())
        return "\n".join([*lines, ks])


@dataclass(frozen=True)
class _Plan:
    datasets: tuple[str, ...]
    methods: tuple[str, ...]
    grids: dict[str, tuple[int, ...]]
    epochs: int | None
    entropy: int
    budget: float | None
    confidence: float
    n_bootstrap: int
    skipped: tuple[str, ...]

    def config(self) -> dict[str, Any]:
        return {"experiment": "iminfector", "datasets": list(self.datasets),
                "methods": list(self.methods),
                "k": {d: list(g) for d, g in self.grids.items()}, "epochs": self.epochs,
                "rng": self.entropy, "budget_seconds": self.budget,
                "confidence": self.confidence, "n_bootstrap": self.n_bootstrap}


def run(datasets: Sequence[str] = DEFAULT_DATASETS, *, output: str | os.PathLike[str],
        methods: Sequence[str] | None = None, k: Sequence[int] | None = None,
        epochs: int | None = None, rng: RngLike = 0, budget: float | str | None = None,
        executor: Executor | str | None = None, n_workers: int | None = None,
        resume: bool = True, confidence: float = 0.95, n_bootstrap: int = 1000,
        plots: bool = True, progress: bool | None = None,
        header: Mapping[str, Any] | None = None) -> ExperimentResult:
    """Run the IMINFECTOR paper's experiment into ``output``: DNI vs k and time per phase.

    Every method runs on every dataset; a unit is one (dataset, method). The method selects
    once at the largest k of the set's grid and the DNI curve is computed on the prefixes of
    its selection order (so DNI grows with k as the seeds are added).

    Parameters
    ----------
    datasets : sequence of str
        Registered cascade sets (:func:`infmax.datasets.list` ``("cascades")``); default the six
        of :data:`DEFAULT_DATASETS`.
    output : str or os.PathLike
        Output folder (created when missing; checked before any work).
    methods : sequence of str, optional
        Registry names of "cascades" selectors. Default: those of :data:`DEFAULT_METHODS`
        that are registered (the others are listed in the summary as ``not_registered``).
    k : sequence of int, optional
        One k grid for every dataset (default: :data:`K_GRIDS` per set; a set without a
        default grid needs ``k``).
    epochs : int, optional
        Training epochs of the methods that train (default: each method's own, 5 for
        IMINFECTOR).
    rng : int, SeedSequence or Generator
        Root of every random choice. The selection of (dataset, method) draws from
        ``SeedSequence(rng, spawn_key=(crc32(dataset), crc32(method)))``, the DNI bootstrap of
        a dataset from ``(crc32(dataset),)`` (shared by its methods: paired intervals), so
        results do not depend on the executor, the order of units or interruptions.
    budget : float or str, optional
        Seconds (or ``"600s"``, ``"10m"``) a method may take on a dataset; a method over
        budget runs in a child process that is stopped, and its rows say "did not scale"
        with the elapsed seconds. ``None``: no limit (the method runs in the worker).
    executor : None, "local", "process", "dask" or an Executor
        Where units run (:func:`infmax.distributed.get_executor`).
    n_workers : int, optional
        Workers of a process or dask executor created here.
    resume : bool
        Continue a run found in ``output`` with the same settings (finished units are read
        from the journal); a folder with other settings is refused. ``False`` starts afresh.
    confidence, n_bootstrap
        The DNI interval (:func:`~infmax.evaluation.dni.dni_curve`).
    plots : bool
        Draw the two figures (needs matplotlib).
    progress : bool, optional
        Progress bars (of the methods that have them) and one line per unit on stderr; False
        is quiet.
    header : mapping, optional
        Fields the summary starts with (the CLI passes its record header).

    Returns
    -------
    ExperimentResult

    Raises
    ------
    InvalidParameterError
        An unknown or non-cascade dataset, an unregistered method, a bad k grid, epochs,
        budget or output folder (before any work); an output folder holding another run.
    DatasetNotFoundError
        A dataset name that is not registered.

    Notes
    -----
    Statuses of a row: ``ok``; ``did not scale`` (over ``budget``); ``no graph`` (the method
    needs a social graph: :data:`NEEDS_GRAPH`, or a selector whose ``graph`` parameter has no
    default; the set has none); ``too few seeds`` (the method returned fewer than k);
    ``error`` (the method refused the set with an infmax error, whose message is in
    ``note``). Phase columns hold the seconds of the unit's single selection (repeated on
    each of its rows); ``other_seconds`` is the rest of the method's total (phases without
    a column of their own, and untimed work such as validation). ``seeds`` (the whole
    selection order) is on the row of the largest k.

    Examples
    --------
    >>> from infmax.learned import experiment
    >>> res = experiment.run(["android"], methods=["iminfector"], k=[5, 10], epochs=1,
    ...                      output="out/iminfector-exp")  # doctest: +SKIP
    >>> print(res.table())  # doctest: +SKIP
    """
    plan = _plan(datasets, methods=methods, k=k, epochs=epochs, rng=rng, budget=budget,
                 confidence=confidence, n_bootstrap=n_bootstrap)
    out = Path(output)
    created = check_writable(out, "output", func=_FUNC, directory=True)
    try:
        return _run(plan, out, executor=executor, n_workers=n_workers, resume=resume,
                    plots=plots, progress=progress, header=header)
    except BaseException:
        _remove_unstarted(out, created)
        raise


def _remove_unstarted(out: Path, created: list[Path]) -> None:
    """Take back a folder this call created when no unit finished in it."""
    if not created:
        return
    journal = out / CSV_NAME
    if journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) > 1:
        return  # finished units: kept for resume
    for name in (CSV_NAME, "config.json"):
        with contextlib.suppress(FileNotFoundError):
            (out / name).unlink()
    remove_created(created)


def _plan(datasets: Sequence[str], *, methods: Sequence[str] | None, k: Sequence[int] | None,
          epochs: int | None, rng: RngLike, budget: float | str | None, confidence: float,
          n_bootstrap: int) -> _Plan:
    """Validate every setting before any work."""
    from .. import datasets as ds_registry
    from ..algorithms import registry

    if isinstance(datasets, (str, os.PathLike)) or not len(datasets):
        fail(_FUNC, "datasets", "a non-empty sequence of cascade set names", datasets)
    names = []
    for d in datasets:
        spec = ds_registry.get_spec(d, func=_FUNC) if isinstance(d, str) else None
        if spec is None or spec.kind != "cascades":
            fail(_FUNC, "datasets", "registered cascade sets (one of "
                 + ", ".join(ds_registry.list("cascades")) + ")", d)
        names.append(spec.name)
    names = list(dict.fromkeys(names))
    registered = registry.names("cascades")
    skipped: tuple[str, ...] = ()
    if methods is None:
        chosen = [m for m in DEFAULT_METHODS if m in registered]
        skipped = tuple(m for m in DEFAULT_METHODS if m not in registered)
    else:
        if isinstance(methods, str) or not len(methods):
            fail(_FUNC, "methods", "a non-empty sequence of cascades selector names", methods)
        chosen = [registry.get(m, input="cascades", func=_FUNC, param="methods").name
                  for m in methods]
    chosen = list(dict.fromkeys(chosen))
    grids: dict[str, tuple[int, ...]] = {}
    if k is not None:
        if isinstance(k, (str, int)) or not len(k):
            fail(_FUNC, "k", "a non-empty sequence of seed-set sizes", k)
        grid = tuple(sorted({check(_FUNC, "k", v, Interval(int, 1, None)) for v in k}))
    for d in names:
        if k is None and d not in K_GRIDS:
            fail(_FUNC, "k", f"a k grid for {d!r}, which has no default grid", k)
        grids[d] = grid if k is not None else K_GRIDS[d]
    return _Plan(
        datasets=tuple(names), methods=tuple(chosen), grids=grids,
        epochs=None if epochs is None else check(_FUNC, "epochs", epochs,
                                                 Interval(int, 1, None)),
        entropy=root_entropy(rng, func=_FUNC), budget=parse_budget(budget),
        confidence=check(_FUNC, "confidence", confidence,
                         Interval(float, 0, 1, closed="neither")),
        n_bootstrap=check(_FUNC, "n_bootstrap", n_bootstrap, Interval(int, 1, None)),
        skipped=skipped)


def _log(msg: str, progress: bool | None) -> None:
    if progress is not False:
        print(f"infmax: {msg}", file=sys.stderr, flush=True)


def _run(plan: _Plan, out: Path, *, executor: Executor | str | None, n_workers: int | None,
         resume: bool, plots: bool, progress: bool | None,
         header: Mapping[str, Any] | None) -> ExperimentResult:
    from ..distributed import LocalExecutor

    t0 = time.perf_counter()
    if plan.skipped:
        _log(f"iminfector experiment: methods not registered, skipped: "
             f"{', '.join(plan.skipped)}", progress)
    units = [(d, m) for d in plan.datasets for m in plan.methods]
    with Journal(out, plan.config(), columns=COLUMNS, key=_KEY, name=CSV_NAME, resume=resume,
                 func=_FUNC) as journal:
        todo = [(d, m) for d, m in units
                if not all(journal.done(d, m, k) for k in plan.grids[d])]
        if len(todo) < len(units):
            _log(f"resuming: {len(units) - len(todo)} of {len(units)} units done in {out}",
                 progress)
        # progress bars only where the units run in this process
        local = executor in (None, "local") or isinstance(executor, LocalExecutor)
        work = [_Unit(d, m, plan.grids[d], plan.epochs, plan.entropy, plan.budget,
                      plan.confidence, plan.n_bootstrap, progress if local else False)
                for d, m in todo]
        ran_on = journal.run(
            _run_unit, work, executor=executor, n_workers=n_workers, func=_FUNC,
            report=lambda i, u, rows: _log(f"{u.dataset} / {u.method}: {_brief(rows)}",
                                           progress)) if work else "nothing left to run"
        rows = _final_rows(journal.rows, plan)
    return _report(plan, rows, out, units_run=len(todo), wall=time.perf_counter() - t0,
                   executor=ran_on, plots=plots, header=header)


def _brief(rows: list[dict[str, Any]]) -> str:
    last = max(rows, key=lambda r: int(r["k"]))
    if last["status"] == "ok":
        return (f"DNI {last['dni']} at k={last['k']} [{float(last['dni_low']):.0f}, "
                f"{float(last['dni_high']):.0f}], {float(last['total_seconds']):.1f} s")
    return f"{last['status']} {last['note']}".strip()


def _final_rows(rows: list[dict[str, Any]], plan: _Plan) -> list[dict[str, Any]]:
    """Return the journal's rows of this plan, one per key (the last written wins), sorted."""
    by: dict[tuple[str, str, int], dict[str, Any]] = {}
    for r in rows:
        by[(str(r["dataset"]), str(r["method"]), int(r["k"]))] = r
    out = []
    for d in plan.datasets:
        for m in plan.methods:
            # the grid, plus the k at which a method that stopped early was scored
            ks = sorted({*plan.grids[d], *(k for (d2, m2, k) in by if (d2, m2) == (d, m))})
            out.extend(_typed(by[(d, m, k)]) for k in ks if (d, m, k) in by)
    return out


def _typed(r: Mapping[str, Any]) -> dict[str, Any]:
    """Return a row with numbers as numbers (the journal reads back strings)."""
    out: dict[str, Any] = {}
    for c in COLUMNS:
        v = r.get(c, "")
        if c in ("k", "dni", "test_cascades") and v != "":
            v = int(v)
        elif c.endswith("_seconds") or c in ("dni_low", "dni_high"):
            v = float(v) if v != "" else None
        elif v == "":
            v = None if c not in ("seeds", "note") else ""
        out[c] = v
    return out


def _report(plan: _Plan, rows: list[dict[str, Any]], out: Path, *, units_run: int,
            wall: float, executor: str, plots: bool,
            header: Mapping[str, Any] | None) -> ExperimentResult:
    """Rewrite the CSV sorted, write the summary and the figures."""
    from ..results import to_jsonable

    files = {"config": str(out / "config.json"), "csv": str(out / CSV_NAME)}
    write_rows(out / CSV_NAME, [{c: "" if v is None else v for c, v in r.items()}
                                for r in rows], COLUMNS)
    table: dict[str, dict[str, Any]] = {}
    for d in plan.datasets:
        kmax = max(plan.grids[d])
        table[d] = {}
        for r in rows:
            if r["dataset"] == d and r["k"] == kmax:
                table[d][r["method"]] = {
                    "status": r["status"], "dni": r["dni"], "low": r["dni_low"],
                    "high": r["dni_high"], "seconds": r["total_seconds"]}
        for m, cell in table[d].items():
            if cell["status"] == "too few seeds":   # where the method's selection ended
                last = max((r for r in rows if r["dataset"] == d and r["method"] == m
                            and r["status"] == "ok"), key=lambda r: r["k"], default=None)
                if last is not None:
                    cell["last_ok"] = {"k": last["k"], "dni": last["dni"],
                                       "low": last["dni_low"], "high": last["dni_high"]}
    if plots and rows:
        from .plots import plot_dni, plot_phases

        files["fig7"] = str(plot_dni(rows, out / "fig7_dni_vs_k.png",
                                     confidence=plan.confidence))
        files["fig6"] = str(plot_phases(rows, out / "fig6_time_per_phase.png"))
    files["summary"] = str(out / SUMMARY_NAME)
    splits = {}
    for d in plan.datasets:
        train, test, how = _split(d)
        splits[d] = {"split": how, "train": len(train), "test": len(test),
                     "graph": train.graph is not None}
    summary = dict(header) if header is not None else {"config": plan.config()}
    summary.update({
        "experiment": "iminfector", "settings": plan.config(),
        "not_registered": list(plan.skipped), "k_max": {d: max(g) for d, g in
                                                         plan.grids.items()},
        "splits": splits, "table": table,
        "did_not_scale": sorted({f"{r['dataset']}/{r['method']}" for r in rows
                                 if r["status"] == "did not scale"}),
        "run": {"wall_seconds": wall, "units_run": units_run,
                "units_resumed": len(plan.datasets) * len(plan.methods) - units_run,
                "executor": executor},
        "timings": {"total_seconds": wall}, "files": files})
    atomic_write_json(out / SUMMARY_NAME, summary)
    return ExperimentResult(rows, to_jsonable(summary), files)
