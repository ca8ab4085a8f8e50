"""The ADITUM paper's evaluation (Caliò and Tagarelli, Sect. 7): tables, CSV/JSON files, figures.

:func:`run` is the whole harness (``infmax experiment aditum`` parses its options and calls
it). One *unit* of work is one selector run at one setting ``(method, diversity, dist, alpha,
k)`` plus its evaluation (RIS capital of the selector, Monte Carlo capital of the seeds when a
figure needs it, attribute-value entropy and coverage of the seeds' profiles, diversity value);
the figures are views of the units:

- ``1``: ADITUM's RIS capital against the Monte Carlo capital (``simulations`` runs) across
  ``k``, with the relative error (paper Fig. 1);
- ``2``: entropy and coverage of the seeds' attribute values per diversity function across
  ``k`` (Fig. 2);
- ``4``: seed-set overlap ``|S1 ∩ S2| / k`` between every pair of ``alpha`` of the grid at the
  largest ``k`` (Fig. 4);
- ``5``: attribute-wise diversity of the seeds against ``k``, and its maximum (Eq. 12), under
  uniform and exponential profiles (Fig. 5);
- ``competitors``: Monte Carlo capital and time of the competitor selectors (registered names,
  default Deg-DU, Deg-DW, RIS-U, RIS-W, DTIM) against ADITUM at ``alpha = 1`` and at ``alpha``.

Units are journaled as they finish (:class:`~infmax.evaluation.journal.Journal`): an
interrupted run continues where it stopped; a run with other settings in the same folder is
refused. Every random stream derives from ``rng`` and the unit's setting (not from the order,
the executor or interruptions): the RR sets of every ADITUM run at one ``k`` come from the same
stream (common random numbers, so two settings differ by their objective only), and so do the
Monte Carlo runs that evaluate them.
"""

from __future__ import annotations

import math
import os
import sys
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._interrupt import checkpoint
from .._io import atomic_write_json, check_writable, remove_created
from .._validation import Interval, check, check_choice, check_graph, fail
from ..evaluation.diversity_metrics import (
    max_attribute_diversity,
    overlap_matrix,
    value_coverage,
    value_entropy,
)
from ..evaluation.journal import Journal, write_rows
from ..random import root_entropy
from .aditum import DIVERSITIES, _profiles, aditum
from .capital import capital
from .diversity import AttributeDiversity
from .profiles import Profiles, genre_bins, genre_profiles, read_profiles
from .targets import Targets

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..distributed import Executor
    from ..graph import DiGraph
    from ..random import RngLike

__all__ = ["run", "ExperimentResult", "FIGURES", "COMPETITORS", "SCORES", "COLUMNS"]

_FUNC = "aditum experiment"
#: the figure groups of :func:`run`
FIGURES = ("1", "2", "4", "5", "competitors")
#: competitors by default: registered graph selector names (missing ones are reported)
COMPETITORS = ("degd-u", "degd-w", "ris-u", "ris-w", "dtim")
#: target scores by name
SCORES = ("lurkerrank", "indegree", "uniform")
#: the journal's columns; a unit is named by the first five
COLUMNS = ("method", "diversity", "dist", "alpha", "k", "seeds", "capital_ris",
           "capital_ris_stderr", "capital_fresh", "capital_fresh_stderr", "capital_mc",
           "capital_mc_stderr", "entropy", "coverage", "div_value", "theta", "time")
_KEY = COLUMNS[:5]
#: default alpha grid of Fig. 4
ALPHA_GRID = tuple(round(0.1 * i, 1) for i in range(11))
_DEFAULT_PROFILES = "synthetic:m=10,v=5,dist=exponential"
#: RR sets of the independent RIS capital of a selector that reports no theta
_FRESH_SETS = 100_000


def log(msg: str, enabled: bool = True) -> None:
    """One progress line on stderr (nothing when ``enabled`` is false)."""
    if enabled:
        print(msg, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class _Unit:
    """One selector run: its key and whether its seeds get a Monte Carlo capital."""

    method: str
    diversity: str
    dist: str
    alpha: float
    k: int
    mc: bool

    @property
    def key(self) -> tuple:
        return (self.method, self.diversity, self.dist, self.alpha, self.k)


@dataclass(frozen=True)
class _Context:
    """What a worker needs (pickled once per batch): graph, targets, profiles, settings."""

    G: Any
    targets: Targets
    profiles: dict
    model: str
    epsilon: float
    simulations: int
    entropy: int
    available: tuple
    options: dict = field(default_factory=dict)


@dataclass
class ExperimentResult:
    """What :func:`run` produced (all of it also written to ``output``).

    Attributes
    ----------
    rows : list of dict
        One row per unit (the journal's columns, typed).
    tables : dict
        Per figure the rows behind it: ``"1"`` (k, RIS and MC capital, relative error,
        whether RIS lies inside the MC 95 % interval), ``"2"`` (diversity, k, entropy,
        coverage, their product), ``"4"`` (per profile law the alpha grid and the overlap
        matrix), ``"5"`` (law, alpha, k, diversity value, maximum), ``"competitors"``
        (method, k, MC capital, time).
    claims : dict
        The paper's qualitative claims, each with the numbers behind it and whether it holds.
    unavailable : list of str
        Competitors not registered in this installation (left out).
    files : list of str
        Every file written, ``summary.json`` last.
    summary : dict
        The content of ``summary.json``.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)
    unavailable: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def run(dataset: str | os.PathLike[str] | DiGraph, *, output: str | os.PathLike[str],
        figures: Sequence[str] = FIGURES, k: Sequence[int] = (5, 10, 20, 30, 40, 50),
        alpha: float = 0.5, alpha_grid: Sequence[float] = ALPHA_GRID,
        diversity: Sequence[str] = DIVERSITIES, scores: str | ArrayLike = "lurkerrank",
        top: float | str = "25%", profiles: Profiles | str | None = None,
        model: str | None = None, simulations: int = 10_000, epsilon: float = 0.1,
        competitors: Sequence[str] = COMPETITORS, rng: RngLike = 0,
        executor: Executor | str | None = None, n_workers: int | None = None,
        resume: bool = True, plots: bool = True, verbose: bool = True) -> ExperimentResult:
    """Run the ADITUM paper's evaluation (Figs. 1, 2, 4, 5 and the competitors) into ``output``.

    Steps: validate every setting and the output folder; load the graph and build the targets
    and profiles; list the units the figures need; run the units not yet journaled (through
    the executor, each journaled as it finishes); build the tables, write the CSV files, the
    figures and ``summary.json``.

    Files (each written atomically; ``config.json`` and ``units.csv`` are the journal):
    ``fig1_capital.csv`` / ``fig1_capital.png``, ``fig2_diversity.csv`` /
    ``fig2_diversity.png``, ``fig4_overlap_<law>.csv`` / ``fig4_overlap.png``,
    ``fig5_diversity_vs_k.csv`` / ``fig5_diversity_vs_k.png``, ``competitors.csv`` /
    ``competitors.png``, ``summary.json``.

    Parameters
    ----------
    dataset : str, os.PathLike or DiGraph
        A registered graph dataset (:func:`infmax.datasets.resolve`), an edge-list file, or a
        graph.
    output : str or os.PathLike
        Output folder (created when missing; checked before any work).
    figures : sequence of str
        Subset of :data:`FIGURES`.
    k : sequence of int
        Seed-set sizes (the paper: 5..50); Fig. 4 uses the largest.
    alpha : float in [0, 1]
        ADITUM's trade-off in Figs. 1, 2 and 5 and the competitor comparison.
    alpha_grid : sequence of float in [0, 1]
        The alphas of Fig. 4 (default 0, 0.1, ..., 1); Fig. 5 uses 0, ``alpha`` and 1.
    diversity : sequence of str
        Diversity functions of Fig. 2 (:data:`~infmax.targeted.aditum.DIVERSITIES`); the
        other figures use the attribute-wise one, as the paper does.
    scores : {"lurkerrank", "indegree", "uniform"} or array of float
        Target scores. ``"lurkerrank"`` (setting S3) also replaces the arc probabilities by
        the LurkerRank LT weights; the others keep the graph's.
    top : float or str
        Targets: the top share of the scores (``"25%"``, as Fig. 1).
    profiles : Profiles, str or os.PathLike, optional
        The nodes' categorical profiles, a file of lines ``node a1 ... am``
        (:func:`~infmax.targeted.read_profiles`), or a
        ``"synthetic:m=..,v=..,dist=..,seed=.."`` spec (default m = 10, v = 5, exponential,
        seed from ``rng``). Fig. 5 draws a spec under
        both laws; given Profiles appear as law ``"given"``.
    model : {"ic", "lt"}, optional
        Diffusion model (default ``"lt"`` with LurkerRank scores, else ``"ic"``).
    simulations : int
        Monte Carlo runs per capital evaluation (the paper: 10,000).
    epsilon : float
        ADITUM's epsilon (the paper: 0.1).
    competitors : sequence of str
        Registered graph selector names run in the competitor comparison; a name that is
        not registered is reported in ``unavailable``.
    rng : None, int, SeedSequence or Generator
        Root of every random stream.
    executor : None, "local", "process", "dask" or an Executor
        Where units run (:func:`infmax.distributed.get_executor`); results do not depend on it.
    n_workers : int, optional
        Workers of a process/dask executor created here.
    resume : bool
        Continue a run with the same settings found in ``output`` (default); ``False`` starts
        afresh.
    plots : bool
        Draw the figures (needs matplotlib).
    verbose : bool
        Progress lines on stderr.

    Returns
    -------
    ExperimentResult

    Raises
    ------
    InvalidParameterError
        A setting out of range (named, with its value), an unknown figure, diversity or score
        name, ``k`` above the number of nodes, an output folder that is not writable or holds
        a run with other settings (when resuming).
    DatasetNotFoundError
        ``dataset`` is neither a file nor a registered graph dataset.

    Examples
    --------
    >>> import tempfile, infmax as im
    >>> from infmax.targeted import experiment
    >>> G = im.datasets.synthetic.erdos_renyi(60, 0.08, rng=1).reweight("wc")  # doctest: +SKIP
    >>> res = experiment.run(G, output=tempfile.mkdtemp(), figures=["1", "4"], k=[2, 4],
    ...                      alpha_grid=[0, 0.5, 1], scores="indegree", simulations=500,
    ...                      epsilon=0.5, plots=False, verbose=False)  # doctest: +SKIP
    """
    out = Path(output)
    created = check_writable(out, "output", func=_FUNC, directory=True)
    plan = _plan(figures=figures, k=k, alpha=alpha, alpha_grid=alpha_grid,
                 diversity=diversity, scores=scores, top=top, model=model,
                 simulations=simulations, epsilon=epsilon, competitors=competitors,
                 n_workers=n_workers)
    journal = None
    try:
        ctx, config = _load(dataset, plan, profiles, rng)
        units = _units(plan, ctx)
        journal = Journal(out, config, columns=COLUMNS, key=_KEY, name="units.csv",
                          resume=resume, func=_FUNC, param="output")
        _run_units(ctx, units, journal, executor, n_workers, verbose)
        journal.close()
        return _report(plan, ctx, units, journal.rows, out, config, plots, verbose)
    except BaseException:
        if journal is not None:
            journal.close()
            if not journal.rows:                 # nothing finished: leave no trace
                for name in ("units.csv", "config.json"):
                    (out / name).unlink(missing_ok=True)
        remove_created(created)
        raise


@dataclass(frozen=True)
class _Plan:
    """The validated settings of one :func:`run` call."""

    figures: tuple
    k: tuple
    alpha: float
    alpha_grid: tuple
    diversity: tuple
    scores: Any
    top: Any
    model: str | None
    simulations: int
    epsilon: float
    competitors: tuple


def _names(param: str, values: Sequence[str] | str, valid: Sequence[str]) -> tuple:
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",") if v.strip()]
    out = tuple(dict.fromkeys(check_choice(_FUNC, param, str(v) if isinstance(v, int) else v,
                                           valid) for v in values))
    if not out:
        fail(_FUNC, param, f"a non-empty list of items of {', '.join(valid)}", list(values))
    return out


def _plan(*, figures: Sequence[str], k: Sequence[int], alpha: float,
          alpha_grid: Sequence[float], diversity: Sequence[str], scores: Any,  # noqa: ANN401
          top: Any, model: str | None, simulations: int, epsilon: float,  # noqa: ANN401
          competitors: Sequence[str], n_workers: int | None) -> _Plan:
    """Step 1: validate every setting before any work."""
    unit = Interval(float, 0.0, 1.0)
    if isinstance(k, (int, np.integer)):
        k = [int(k)]
    ks = tuple(sorted({check(_FUNC, "k", v, Interval(int, 1, None)) for v in k}))
    if not ks:
        fail(_FUNC, "k", "a non-empty list of seed-set sizes", list(k))
    grid = tuple(sorted({check(_FUNC, "alpha_grid", float(a), unit) for a in alpha_grid}))
    if len(grid) < 2 and "4" in figures:
        fail(_FUNC, "alpha_grid", "at least two alphas (Fig. 4 compares their seed sets)",
             list(alpha_grid))
    if isinstance(scores, str):
        scores = check_choice(_FUNC, "scores", scores, SCORES)
    if model is not None:
        model = check_choice(_FUNC, "model", model, ("ic", "lt"))
    if n_workers is not None:
        check(_FUNC, "n_workers", n_workers, Interval(int, 1, None))
    comps = tuple(dict.fromkeys(str(c).strip().lower() for c in competitors if str(c).strip()))
    return _Plan(
        figures=_names("figures", figures, FIGURES), k=ks,
        alpha=check(_FUNC, "alpha", alpha, unit), alpha_grid=grid,
        diversity=_names("diversity", diversity, DIVERSITIES), scores=scores, top=top,
        model=model,
        simulations=check(_FUNC, "simulations", simulations, Interval(int, 1, None)),
        epsilon=check(_FUNC, "epsilon", epsilon, Interval(float, 0.0, 1.0, closed="neither")),
        competitors=comps)


def _spec_items(spec: str) -> dict[str, str]:
    return dict(item.strip().partition("=")[::2]
                for item in spec.partition(":")[2].split(",") if item.strip())


def _spec(items: Mapping[str, str]) -> str:
    return "synthetic:" + ",".join(f"{k}={v}" for k, v in items.items())


def _load(dataset: str | os.PathLike[str] | DiGraph, plan: _Plan, profiles: Any,  # noqa: ANN401
          rng: RngLike) -> tuple[_Context, dict]:
    """Step 2: the graph (with LurkerRank weights for S3), targets, profiles, the config."""
    from ..algorithms import registry
    from ..datasets import resolve
    from ..graph import DiGraph
    from .lurkerrank import lurkerrank

    if isinstance(dataset, DiGraph):
        G, name = dataset, "graph"
        check_graph(_FUNC, G)
    else:
        G, prov = resolve(dataset, kind="graph", func=_FUNC, param="dataset")
        name = prov.get("dataset") or str(prov.get("file"))
    if plan.k[-1] > G.n:
        fail(_FUNC, "k", f"sizes <= the graph's {G.n} nodes", plan.k[-1])
    model = plan.model
    if isinstance(plan.scores, str):
        if plan.scores == "lurkerrank":
            lr = lurkerrank(G)
            G, sc = lr.graph, lr.scaled
            model = model or "lt"
        elif plan.scores == "indegree":
            sc = np.bincount(G.indices, minlength=G.n).astype(np.float64)
        else:
            sc = np.ones(G.n)
        scores_cfg: Any = plan.scores
    else:
        sc = plan.scores
        scores_cfg = {"sha1": _sha1(np.asarray(sc, dtype=np.float64))}
    T = Targets.from_scores(sc, top=plan.top, G=G, func=_FUNC)
    if not T.L > 0:
        fail(_FUNC, "scores", "positive on at least one target", f"L = {T.L:g}")
    entropy = root_entropy(rng, func=_FUNC)
    if isinstance(profiles, (str, os.PathLike)) and not str(profiles).startswith(
            "synthetic:") and Path(profiles).is_file():
        profiles = read_profiles(profiles, G)   # a file of lines "node a1 ... am"
    elif isinstance(profiles, str) and profiles.split(":")[0] == "genres":
        # MovieLens: the users' genre counts (optionally in Q quantile bins)
        profiles = genre_profiles(G, bins=genre_bins(profiles, func=_FUNC))
    profs, prof_cfg = _profile_laws(plan, profiles, G.n, entropy)
    available = tuple(c for c in plan.competitors if c in registry.names("graph"))
    ctx = _Context(G, T, profs, model or "ic", plan.epsilon, plan.simulations, entropy,
                   available)
    config = {"dataset": name, "graph": {"n": G.n, "m": G.m, "sha1": _graph_sha1(G)},
              "figures": list(plan.figures), "k": list(plan.k), "alpha": plan.alpha,
              "alpha_grid": list(plan.alpha_grid), "diversity": list(plan.diversity),
              "scores": scores_cfg, "top": plan.top if isinstance(plan.top, str)
              else float(plan.top), "profiles": prof_cfg, "model": ctx.model,
              "simulations": plan.simulations, "epsilon": plan.epsilon,
              "competitors": list(plan.competitors), "rng": entropy}
    return ctx, config


def _sha1(a: np.ndarray) -> str:
    import hashlib

    return hashlib.sha1(np.ascontiguousarray(a).tobytes()).hexdigest()


def _graph_sha1(G: DiGraph) -> str:
    import hashlib

    h = hashlib.sha1()
    for a in (G.indptr, G.indices, G.probs):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _profile_laws(plan: _Plan, profiles: Any, n: int,  # noqa: ANN401
                  entropy: int) -> tuple[dict, Any]:
    """Return the profiles per law and their config entry.

    ``{"exponential": P, "uniform": P}`` from a synthetic spec (the other law only for Fig. 5),
    ``{"given": P}`` for given profiles.
    """
    if isinstance(profiles, Profiles):
        return {"given": _profiles(_FUNC, profiles, n)}, {"sha1": _sha1(profiles.codes)}
    spec = _DEFAULT_PROFILES if profiles is None else profiles
    if not isinstance(spec, str):
        fail(_FUNC, "profiles", "a Profiles object, a profile file or a synthetic:... spec",
             type(spec).__name__)
    _profiles(_FUNC, spec, n)                   # validates the spec
    items = _spec_items(spec)
    items.setdefault("seed", str(entropy % 2**32))
    law = {"exp": "exponential", "uni": "uniform"}.get(items.get("dist", "uniform"),
                                                       items.get("dist", "uniform"))
    items["dist"] = law
    out = {law: _profiles(_FUNC, _spec(items), n)}
    if "5" in plan.figures:
        other = "uniform" if law == "exponential" else "exponential"
        out[other] = _profiles(_FUNC, _spec({**items, "dist": other}), n)
    return out, _spec(items)


def _units(plan: _Plan, ctx: _Context) -> list[_Unit]:
    """Step 3: the units the figures need, each once (a unit may serve several figures)."""
    law = next(iter(ctx.profiles))
    a, kmax = plan.alpha, plan.k[-1]
    want: dict[tuple, bool] = {}

    def add(method: str, div: str, dist: str, alpha: float, k: int, mc: bool) -> None:
        key = (method, div, dist, float(alpha), int(k))
        want[key] = want.get(key, False) or mc

    for k in plan.k:
        if "1" in plan.figures:
            add("aditum", "attribute", law, a, k, True)
        if "2" in plan.figures:
            for d in plan.diversity:
                add("aditum", d, law, a, k, False)
            add("aditum", "attribute", law, 1.0, k, False)
        if "5" in plan.figures:
            for dist in ctx.profiles:
                for al in sorted({0.0, a, 1.0}):
                    add("aditum", "attribute", dist, al, k, False)
        if "competitors" in plan.figures:
            add("aditum", "attribute", law, 1.0, k, True)
            add("aditum", "attribute", law, a, k, True)
            for c in ctx.available:
                add(c, "-", law, a, k, True)
    if "4" in plan.figures:
        for al in plan.alpha_grid:
            add("aditum", "attribute", law, al, kmax, False)
    return [_Unit(*key, mc) for key, mc in want.items()]


def _seed(entropy: int, *key: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(entropy, spawn_key=tuple(int(x) for x in key))


def _run_unit(ctx: _Context, u: _Unit) -> dict[str, Any]:
    """One selector run and its evaluation: one journal row."""
    from ..algorithms import registry

    G, T, P = ctx.G, ctx.targets, ctx.profiles[u.dist]
    # common random numbers: every run at one k samples the same RR sets and is evaluated
    # on the same cascades
    sel_rng = np.random.default_rng(_seed(ctx.entropy, 0, u.k))
    if u.method == "aditum":
        res = aditum(G, u.k, scores=T, profiles=P, diversity=u.diversity, alpha=u.alpha,
                     model=ctx.model, epsilon=ctx.epsilon, rng=sel_rng, n_threads=1)
    else:
        info = registry.get(u.method, func=_FUNC, param="competitors")
        kw: dict[str, Any] = {"rng": np.random.default_rng(
            _seed(ctx.entropy, 2, u.k, zlib.crc32(u.method.encode())))}
        offer = {"scores": T, "profiles": P, "model": ctx.model, "epsilon": ctx.epsilon,
                 "alpha": u.alpha, "n_threads": 1}
        for name, value in offer.items():
            if info.accepts(name):
                kw[name] = value
        if info.node_weights and "scores" not in kw:
            kw["node_weights"] = T.weights
        res = info.func(G, u.k, **kw)
    ids = G.node_ids(res.seeds, param="seeds", func=_FUNC)
    row: dict[str, Any] = dict(zip(_KEY, u.key))
    row.update(seeds=" ".join(map(str, res.seeds)), time=float(res.timings.get("total", 0.0)),
               theta=res.record.get("theta", ""),
               capital_ris=res.record.get("capital", ""),
               capital_ris_stderr=res.record.get("capital_stderr", ""),
               entropy=value_entropy(P, ids), coverage=value_coverage(P, ids),
               div_value=AttributeDiversity(P).value(ids)
               if u.diversity in ("attribute", "-") else res.record.get("diversity", ""),
               capital_mc="", capital_mc_stderr="", capital_fresh="", capital_fresh_stderr="")
    if u.mc:
        checkpoint()
        est = capital(G, res.seeds, T, model=ctx.model, method="mc",
                      n_simulations=ctx.simulations,
                      rng=np.random.default_rng(_seed(ctx.entropy, 1, u.k)), n_threads=1)
        row.update(capital_mc=est.mean, capital_mc_stderr=est.stderr)
        checkpoint()
        fresh = capital(G, res.seeds, T, model=ctx.model, method="ris",
                        n_sets=int(res.record.get("theta") or _FRESH_SETS),
                        rng=np.random.default_rng(_seed(ctx.entropy, 3, u.k)), n_threads=1)
        row.update(capital_fresh=fresh.mean, capital_fresh_stderr=fresh.stderr)
    return row


def _run_batch(ctx: _Context, batch: Sequence[_Unit]) -> list[dict[str, Any]]:
    return [_run_unit(ctx, u) for u in batch]


def _run_units(ctx: _Context, units: list[_Unit], journal: Journal,
               executor: Executor | str | None, n_workers: int | None, verbose: bool) -> None:
    """Step 4: run the units not journaled yet, journaling each as it finishes."""
    todo = [u for u in units if not journal.done(*u.key)]
    if len(todo) < len(units):
        log(f"[aditum] resuming: {len(units) - len(todo)} of {len(units)} units done in "
            f"{journal.folder}", verbose)
    if not todo:
        return
    t0 = time.perf_counter()

    def report(i: int, u: _Unit, rows: list) -> None:
        r = rows[0]
        log(f"[aditum] {i + 1}/{len(todo)} {u.method} {u.diversity} {u.dist} "
            f"alpha={u.alpha:g} k={u.k}: capital {_fmt(r['capital_ris'])} (RIS) "
            f"{_fmt(r['capital_mc'])} (MC), entropy {r['entropy']:.3f}, "
            f"{r['time']:.2f}s", verbose)

    journal.run(partial(_run_batch, ctx), [[u] for u in todo], executor=executor,
                n_workers=n_workers, func=_FUNC,
                report=lambda i, batch, rows: report(i, batch[0], rows))
    log(f"[aditum] {len(todo)} units in {time.perf_counter() - t0:.1f}s", verbose)


def _fmt(x: Any) -> str:  # noqa: ANN401
    return "-" if x in ("", None) else f"{float(x):.2f}"


def _num(x: Any) -> float | None:  # noqa: ANN401
    return None if x in ("", None) else float(x)


def _typed(r: Mapping[str, Any]) -> dict[str, Any]:
    """Return a journal row with numbers as numbers (rows read back from the file are strings)."""
    out = dict(r)
    out["alpha"], out["k"] = float(r["alpha"]), int(r["k"])
    for c in ("capital_ris", "capital_ris_stderr", "capital_fresh", "capital_fresh_stderr",
              "capital_mc", "capital_mc_stderr",
              "entropy", "coverage", "div_value", "time"):
        out[c] = _num(r[c])
    out["theta"] = None if r["theta"] in ("", None) else int(r["theta"])
    return out


def _report(plan: _Plan, ctx: _Context, units: list[_Unit], rows: list[dict[str, Any]],
            out: Path, config: dict, plots: bool, verbose: bool) -> ExperimentResult:
    """Step 5: the tables behind each figure, the claims, the files."""
    by = {}
    for r in map(_typed, rows):
        by[(r["method"], r["diversity"], r["dist"], r["alpha"], r["k"])] = r
    res = ExperimentResult(rows=[by[u.key] for u in units],
                           unavailable=[c for c in plan.competitors if c not in ctx.available])
    law = next(iter(ctx.profiles))
    a = plan.alpha
    t = res.tables
    if "1" in plan.figures:
        t["1"] = [_fig1_row(by[("aditum", "attribute", law, a, k)]) for k in plan.k]
    if "2" in plan.figures:
        t["2"] = [{"diversity": d if al < 1 else "none (alpha=1)", "k": k,
                   "entropy": r["entropy"], "coverage": r["coverage"],
                   "penalised_entropy": r["entropy"] * r["coverage"]}
                  for d, al in [*((d, a) for d in plan.diversity), ("attribute", 1.0)]
                  for k in plan.k for r in [by[("aditum", d, law, al, k)]]]
    if "4" in plan.figures:
        kmax = plan.k[-1]
        sets = [by[("aditum", "attribute", law, al, kmax)]["seeds"].split()
                for al in plan.alpha_grid]
        t["4"] = {law: {"k": kmax, "alpha": list(plan.alpha_grid),
                        "overlap": overlap_matrix(sets, k=kmax).tolist()}}
    if "5" in plan.figures:
        t["5"] = [{"dist": dist, "alpha": al, "k": k,
                   "diversity": by[("aditum", "attribute", dist, al, k)]["div_value"],
                   "max": max_attribute_diversity(P.n_values, k)}
                  for dist, P in ctx.profiles.items() for al in sorted({0.0, a, 1.0})
                  for k in plan.k]
    if "competitors" in plan.figures:
        methods = [("aditum", 1.0, "aditum (alpha=1)"), ("aditum", a, f"aditum (alpha={a:g})"),
                   *((c, a, c) for c in ctx.available)]
        t["competitors"] = [
            {"method": label, "k": k, "capital_mc": r["capital_mc"],
             "capital_mc_stderr": r["capital_mc_stderr"], "time": r["time"],
             "entropy": r["entropy"], "coverage": r["coverage"]}
            for m, al, label in methods for k in plan.k
            for r in [by[(m, "attribute" if m == "aditum" else "-", law, al, k)]]]
    res.claims = _claims(plan, res.tables)
    _write(plan, res, out, config, plots)
    log(f"[aditum] wrote {len(res.files)} files to {out}", verbose)
    return res


def _fig1_row(r: Mapping[str, Any]) -> dict[str, Any]:
    """Return one row of Fig. 1 from a unit's row.

    ADITUM's own RIS capital (on the sets it selected from, so optimistic by the selection),
    an independent RIS capital (fresh sets) and the Monte Carlo capital of the same seeds.
    """
    ris, mc, se = r["capital_ris"], r["capital_mc"], r["capital_mc_stderr"]
    fresh = r["capital_fresh"]
    return {"k": r["k"], "capital_ris": ris, "capital_ris_stderr": r["capital_ris_stderr"],
            "capital_fresh": fresh, "capital_fresh_stderr": r["capital_fresh_stderr"],
            "capital_mc": mc, "capital_mc_stderr": se,
            "relative_error": abs(ris - mc) / mc if mc else float("nan"),
            "relative_error_fresh": abs(fresh - mc) / mc if mc else float("nan"),
            "inside_mc_ci95": bool(abs(ris - mc) <= 1.96 * se),
            "fresh_inside_mc_ci95": bool(abs(fresh - mc) <= 1.96 * se)}


def _claims(plan: _Plan, t: Mapping[str, Any]) -> dict[str, Any]:
    """State the paper's qualitative claims with the numbers of this run."""
    claims: dict[str, Any] = {}
    if "1" in t:
        claims["ris_capital_inside_mc_ci95_for_every_k"] = {
            "holds": all(r["inside_mc_ci95"] for r in t["1"]),
            "max_relative_error": max(r["relative_error"] for r in t["1"]),
            "fresh_holds": all(r["fresh_inside_mc_ci95"] for r in t["1"]),
            "max_relative_error_fresh": max(r["relative_error_fresh"] for r in t["1"])}
    if "2" in t and len(plan.diversity) > 1:
        mean = {d: float(np.mean([r["penalised_entropy"] for r in t["2"]
                                  if r["diversity"] == d])) for d in plan.diversity}
        order = sorted(mean, key=mean.get, reverse=True)
        best = {"attribute", "entropy"} & set(order)
        claims["attribute_and_entropy_most_diverse"] = {
            "holds": set(order[:len(best)]) == best, "mean_penalised_entropy": mean,
            "order": order}
        if "class" in mean:
            claims["class_least_diverse"] = {"holds": order[-1] == "class", "order": order}
    if "4" in t:
        law, d = next(iter(t["4"].items()))
        grid, ov = d["alpha"], np.asarray(d["overlap"])
        row = ov[-1].tolist() if grid[-1] == 1.0 else ov[grid.index(max(grid))].tolist()
        claims["overlap_with_alpha_1_falls_as_alpha_decreases"] = {
            "holds": all(row[i] <= row[i + 1] + 1e-12 for i in range(len(row) - 1)),
            "alpha": grid, "overlap_with_top_alpha": row}
    if "competitors" in t:
        by = {}
        for r in t["competitors"]:
            by.setdefault(r["method"], {})[r["k"]] = r
        a1 = by.get("aditum (alpha=1)", {})
        for m, rows in by.items():
            if m.startswith("aditum"):
                continue
            claims[f"aditum_alpha1_capital_at_least_{m}"] = {
                "holds": all(a1[k]["capital_mc"] + 1.96 * math.hypot(
                    a1[k]["capital_mc_stderr"], rows[k]["capital_mc_stderr"])
                    >= rows[k]["capital_mc"] for k in rows),
                "capital": {k: [a1[k]["capital_mc"], rows[k]["capital_mc"]] for k in rows},
                "time": {k: [a1[k]["time"], rows[k]["time"]] for k in rows}}
    return claims


def _write(plan: _Plan, res: ExperimentResult, out: Path, config: dict, plots: bool) -> None:
    """Step 6: CSV tables, figures, ``summary.json`` (each atomically)."""
    t = res.tables

    def csv(name: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            write_rows(out / name, rows, list(rows[0]))
            res.files.append(str(out / name))

    csv("fig1_capital.csv", t.get("1", []))
    csv("fig2_diversity.csv", t.get("2", []))
    for law, d in t.get("4", {}).items():
        csv(f"fig4_overlap_{law}.csv",
            [{"alpha": a, **{f"{b:g}": v for b, v in zip(d["alpha"], row)}}
             for a, row in zip(d["alpha"], d["overlap"])])
    csv("fig5_diversity_vs_k.csv", t.get("5", []))
    csv("competitors.csv", t.get("competitors", []))
    if plots:
        from . import plots as P

        for fig, fn in (("1", P.plot_capital), ("2", P.plot_diversity),
                        ("4", P.plot_overlap), ("5", P.plot_diversity_vs_k),
                        ("competitors", P.plot_competitors)):
            if fig in t:
                res.files.append(str(fn(t[fig], out)))
    path = out / "summary.json"
    res.files.append(str(path))
    res.summary = {"experiment": "aditum", "config": config, "tables": t,
                   "claims": res.claims, "unavailable": res.unavailable,
                   "units": len(res.rows), "files": res.files}
    atomic_write_json(path, res.summary)
