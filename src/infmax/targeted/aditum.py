"""ADITUM: targeted, diversity-aware influence maximisation on reverse influence sampling."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _memory
from .._interrupt import checkpoint
from .._kernels._threads import holds_threads
from .._validation import Interval, check, check_choice, check_graph, fail
from ..algorithms._ris import RIS_MEMORY_HINT, imm_sample, ris_setup, tim_plus_sample
from .diversity import AttributeDiversity, ClassDiversity, EntropyDiversity, HammingDiversity
from .profiles import Profiles, synthetic_profiles
from .targets import Targets

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import TriggeringModel
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult
    from ..sampling import RRSets
    from .diversity import DiversityState

__all__ = ["aditum", "DIVERSITIES", "ESTIMATIONS"]

#: diversity names ``aditum`` accepts (or a diversity object with value/state/gain/add)
DIVERSITIES = ("attribute", "hamming", "entropy", "class")
#: parameter-estimation methods: TIM+'s KPT estimation, or IMM with a fresh final sample
ESTIMATIONS = ("tim+", "imm")

#: bytes per candidate of the lazy greedy's heap (a tuple of a float and two ints in a list)
HEAP_ENTRY_BYTES = 160

_SPEC_KEYS = {"m": int, "v": int, "dist": str, "rate": float, "seed": int}


def _profiles(func: str, profiles: object, n: int) -> Profiles:
    """Return the Profiles given, or drawn from a ``"synthetic:m=..,v=..,dist=..,seed=.."`` spec."""
    if isinstance(profiles, str):
        head, _, body = profiles.partition(":")
        kw: dict[str, Any] = {}
        ok = head.strip() == "synthetic"
        for item in filter(None, (s.strip() for s in body.split(","))):
            key, eq, val = item.partition("=")
            key = key.strip()
            if not eq or key not in _SPEC_KEYS:
                ok = False
                break
            try:
                kw[key] = _SPEC_KEYS[key](val.strip())
            except ValueError:
                ok = False
                break
        if not ok or "m" not in kw or "v" not in kw:
            fail(func, "profiles", 'a Profiles object or a spec such as '
                 '"synthetic:m=10,v=5,dist=exponential,seed=1"', profiles)
        dist = {"exp": "exponential", "uni": "uniform"}.get(kw.get("dist", "uniform"),
                                                            kw.get("dist", "uniform"))
        return synthetic_profiles(n, kw["m"], kw["v"], dist=dist, rate=kw.get("rate", 1.0),
                                  rng=kw.get("seed", 0))
    if not isinstance(profiles, Profiles):
        fail(func, "profiles", "a Profiles object or a synthetic:... spec",
             type(profiles).__name__)
    if profiles.n != n:
        fail(func, "profiles", f"profiles of the graph's {n} nodes", f"n = {profiles.n}")
    return profiles


def _diversity(func: str, diversity: object, profiles: object, n: int, radius: int,
               reach: str, G: DiGraph, R: RRSets) -> Any:  # noqa: ANN401
    """Return the diversity object given, or build it by name over the profiles."""
    if not isinstance(diversity, str):
        if not all(callable(getattr(diversity, a, None))
                   for a in ("value", "state", "gain", "add")):
            fail(func, "diversity", "one of " + ", ".join(map(repr, DIVERSITIES))
                 + " or an object with value/state/gain/add", diversity)
        return diversity
    name = check_choice(func, "diversity", diversity, DIVERSITIES)
    if profiles is None:
        fail(func, "profiles", f"categorical profiles (diversity {name!r} with alpha < 1)",
             None)
    P = _profiles(func, profiles, n)
    if name == "attribute":
        return AttributeDiversity(P)
    if name == "entropy":
        return EntropyDiversity(P)
    if name == "class":
        return ClassDiversity(P)
    return HammingDiversity(P, radius=radius, reach=G if reach == "graph" else R)


def _attribute_gains(D: AttributeDiversity) -> Callable[[DiversityState, np.ndarray], np.ndarray]:
    """Vectorised gains of an :class:`AttributeDiversity`, equal bit for bit to ``D.gain``.

    The gain of v is ``sum_i w_i (n_{i,t_v[i]}(S) + 1)^(-lambda)``; the same element-wise
    operations and the same row sum as ``D.gain`` (numpy's pairwise sum of a contiguous row)
    give the same floats, so the greedy's choices do not change.
    """
    pos = np.ascontiguousarray(D.profiles.positions)
    w, lam = D.weights, D.lam

    def gains(state: DiversityState, ids: np.ndarray) -> np.ndarray:
        c = np.ascontiguousarray(state.data["counts"][pos[ids]])
        return np.sum(w * (c + 1.0) ** -lam, axis=1)

    return gains


def _vector_gains(D: Any, alpha: float  # noqa: ANN401
                  ) -> Callable[[DiversityState | None, np.ndarray], np.ndarray] | None:
    """Return a function giving the diversity gains of many nodes at once, or None.

    ``alpha == 1`` needs no diversity (zeros); an :class:`AttributeDiversity` (exactly that
    class: a subclass may override ``gain``) has exact vectorised gains; any other diversity
    is evaluated one node at a time by the heap-based lazy greedy.
    """
    if D is None or alpha >= 1.0:
        return lambda state, ids: np.zeros(ids.shape[0])
    if type(D) is AttributeDiversity:
        return _attribute_gains(D)
    return None


def _cover(v: int, R: RRSets, inv_ptr: np.ndarray, inv_sets: np.ndarray, covered: np.ndarray,
           cnt: np.ndarray) -> int:
    """Mark the sets of ``v`` covered and drop them from every member's uncovered count.

    Returns the number of newly covered sets. ``cnt[u]`` stays the number of uncovered sets
    holding ``u`` (each set is dropped once, so the whole selection costs one pass over the
    covered sets' entries).
    """
    sets = inv_sets[inv_ptr[v]:inv_ptr[v + 1]]
    new = sets[~covered[sets]]
    if new.shape[0] == 0:
        return 0
    covered[new] = True
    offsets = R.offsets
    starts, ends = offsets[new], offsets[new + 1]
    lens = ends - starts
    idx = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    idx += np.arange(idx.shape[0], dtype=idx.dtype)
    cnt -= np.bincount(R.nodes[idx], minlength=cnt.shape[0])
    return int(new.shape[0])


def diverse_greedy(R: RRSets, k: int, cand: np.ndarray, D: Any, alpha: float  # noqa: ANN401
                   ) -> tuple[np.ndarray, np.ndarray, int, DiversityState | None, dict]:
    """Lazy greedy (CELF) on ``F(S) = alpha C(S)/C_max + (1 - alpha) div(S)/div_max``.

    ``C`` is the coverage of the RR sets ``R`` (proportional to the capital estimate),
    ``div`` the diversity ``D`` (ignored when ``alpha == 1``); ``C_max`` and ``div_max`` are the
    best singleton values over the candidates (``cand[v] != 0``; a zero normaliser drops its
    term). Every step takes the candidate of largest ``F`` gain, ties to the smallest id, and
    zero-gain steps still choose a seed, exactly as the engine's maximum coverage does, so
    ``alpha = 1`` selects its seeds.

    The coverage gains are kept up to date (each newly covered set lowers its members' counts
    once); the diversity gains are re-evaluated lazily: stale values are upper bounds
    (submodularity), and a step ends when the best bound belongs to a node evaluated in this
    step. With vectorised gains (no diversity, or :class:`AttributeDiversity`) the stale nodes
    of largest bound are re-evaluated in growing batches over arrays; otherwise one at a time
    from a heap. Both orders choose the same seeds. One
    :func:`~infmax._interrupt.checkpoint` per batch (or per evaluation).

    Returns ``(seed_ids int32[k], F gains, covered sets, diversity state or None, info)``.
    """
    inv_ptr, inv_sets = R.inverted_index()
    ids = np.flatnonzero(cand)
    cnt = np.diff(inv_ptr)
    c0 = cnt[ids]
    c_max = float(c0.max(initial=0))
    state = D.state() if D is not None and alpha < 1.0 else None
    vec = _vector_gains(D, alpha)
    if state is None:
        d0 = np.zeros(ids.shape[0])
    elif vec is not None:
        d0 = vec(state, ids)
    else:
        d0 = np.empty(ids.shape[0])
        for j, v in enumerate(ids.tolist()):
            d0[j] = D.gain(state, v)
            if j % 1024 == 0:
                checkpoint()
    d_max = float(d0.max(initial=0.0))
    inv_c = 1.0 / c_max if c_max > 0 else 0.0
    inv_d = 1.0 / d_max if d_max > 0 else 0.0
    covered = np.zeros(R.n_sets, dtype=bool)
    run = _lazy_arrays if vec is not None else _lazy_heap
    seeds, gains, n_cov, evals = run(R, k, ids, c0, d0, cnt, inv_ptr, inv_sets, covered,
                                     D, state, vec, alpha, inv_c, inv_d)
    info = {"c_max": c_max, "div_max": d_max, "evaluations": evals}
    return np.asarray(seeds, dtype=np.int32), np.asarray(gains), n_cov, state, info


def _lazy_heap(R: RRSets, k: int, ids: np.ndarray, c0: np.ndarray, d0: np.ndarray,
               cnt: np.ndarray, inv_ptr: np.ndarray, inv_sets: np.ndarray, covered: np.ndarray,
               D: Any, state: DiversityState | None, vec: None, alpha: float,  # noqa: ANN401
               inv_c: float, inv_d: float) -> tuple[list[int], list[float], int, int]:
    """CELF with a heap of ``(-bound, id, step evaluated)``: one diversity gain per pop."""
    beta = 1.0 - alpha
    heap = [(-(alpha * (c * inv_c) + beta * (d * inv_d)), v, 0)
            for v, c, d in zip(ids.tolist(), c0.tolist(), d0.tolist())]
    heapq.heapify(heap)
    seeds: list[int] = []
    gains: list[float] = []
    n_cov = evals = 0
    while len(seeds) < k:
        neg, v, rnd = heapq.heappop(heap)
        if rnd == len(seeds):
            seeds.append(v)
            gains.append(-neg)
            n_cov += _cover(v, R, inv_ptr, inv_sets, covered, cnt)
            if state is not None:
                D.add(state, v)
            continue
        d = D.gain(state, v) if state is not None else 0.0
        f = alpha * (float(cnt[v]) * inv_c) + beta * (d * inv_d)
        heapq.heappush(heap, (-f, v, len(seeds)))
        evals += 1
        checkpoint()
    return seeds, gains, n_cov, evals


def _lazy_arrays(R: RRSets, k: int, ids: np.ndarray, c0: np.ndarray, d0: np.ndarray,
                 cnt: np.ndarray, inv_ptr: np.ndarray, inv_sets: np.ndarray,
                 covered: np.ndarray, D: Any, state: DiversityState | None,  # noqa: ANN401
                 vec: Callable[[DiversityState | None, np.ndarray], np.ndarray], alpha: float,
                 inv_c: float, inv_d: float) -> tuple[list[int], list[float], int, int]:
    """Run the same lazy greedy over arrays: bounds ``ub``, step of evaluation ``fresh``.

    A step looks at the best bound (``argmax`` takes the first maximum: the smallest id among
    ties, as the heap does); a node evaluated in this step is chosen, else the stale nodes of
    largest bound are re-evaluated, in batches that double within a step.
    """
    beta = 1.0 - alpha
    ub = alpha * (c0.astype(np.float64) * inv_c) + beta * (d0 * inv_d)
    fresh = np.zeros(ids.shape[0], dtype=np.int64)
    seeds: list[int] = []
    gains: list[float] = []
    n_cov = evals = 0
    while len(seeds) < k:
        step = len(seeds)
        batch = 2048
        while True:
            j = int(np.argmax(ub))
            if fresh[j] == step:
                break
            stale = np.flatnonzero((fresh != step) & (ub > -np.inf))
            if stale.shape[0] > batch:
                top = np.argpartition(-ub[stale], batch - 1)[:batch]
                stale = stale[top]
            stale = np.union1d(stale, [j])
            v = ids[stale]
            c = cnt[v].astype(np.float64)
            ub[stale] = alpha * (c * inv_c) + beta * (vec(state, v) * inv_d)
            fresh[stale] = step
            evals += int(stale.shape[0])
            batch *= 2
            checkpoint()
        v = int(ids[j])
        seeds.append(v)
        gains.append(float(ub[j]))
        ub[j] = -np.inf
        n_cov += _cover(v, R, inv_ptr, inv_sets, covered, cnt)
        if state is not None:
            D.add(state, v)
        checkpoint()
    return seeds, gains, n_cov, evals


@holds_threads
def aditum(G: DiGraph, k: int, *, scores: ArrayLike | Mapping | Targets | None = None,
           tau: float | None = None, top: float | str | None = None,
           profiles: Profiles | str | None = None, diversity: object = "attribute",
           alpha: float = 0.5, radius: int = 1, reach: str = "rr",
           model: str | TriggeringModel = "ic", epsilon: float = 0.1, ell: float = 1.0,
           estimation: str = "tim+", candidates: ArrayLike | None = None, rng: RngLike = None,
           n_threads: int | None = None, max_memory: int | None = None,
           progress: bool | None = None) -> SeedResult:
    """Select ``k`` seeds trading the capital of a target set off against seed diversity.

    ADITUM (Caliò and Tagarelli) maximises
    ``F(S) = alpha C(S)/C_max + (1 - alpha) div(S)/div_max`` where
    ``C(S) = sum_{v in T} l(v) P[v activated by S]`` is the capital of the targets
    ``T = {v : l(v) >= tau}``, ``div`` a monotone submodular diversity of the seeds'
    categorical profiles, and the normalisers the best singleton values. Capital is
    estimated by RR sets with roots drawn in ``T`` with probability ``l(v)/L``; their number
    comes from TIM+'s KPT estimation and refinement with ``L = sum_T l`` in place of ``n``
    (or IMM's estimation with a fresh final sample), and the seeds from lazy greedy on
    ``F`` over the final sets. ``alpha = 1`` is plain targeted influence maximisation: the
    seeds of :func:`infmax.tim_plus` (or :func:`infmax.imm`) with ``node_weights`` = the
    target weights and the same ``rng``.

    Parameters
    ----------
    G : DiGraph
    k : int
        Number of seeds.
    scores : array of float (length n), mapping label -> score, or Targets, optional
        Target scores ``l(v) >= 0`` (e.g. :func:`infmax.lurkerrank`); default 1 on every node.
    tau, top : optional
        Target threshold, or its top share of the nodes (``0.25`` or ``"25%"``); see
        :meth:`~infmax.targeted.Targets.from_scores`. Neither: every scored node is a target.
    profiles : Profiles or str, optional
        Categorical profiles of the n nodes, or ``"synthetic:m=10,v=5,dist=exp,seed=1"``
        (drawn by :func:`~infmax.targeted.synthetic_profiles`). Needed when ``alpha < 1``
        and ``diversity`` is a name.
    diversity : {"attribute", "hamming", "entropy", "class"} or object
        A diversity function by name (default options), or a built one
        (:class:`~infmax.targeted.AttributeDiversity` etc.) for other options.
    alpha : float in [0, 1]
        Weight of the capital term (1: capital only, 0: diversity only).
    radius : int >= 0
        Hamming radius (``diversity="hamming"``).
    reach : {"rr", "graph"}
        Reachability of the Hamming balls: nodes sharing a final RR set, or graph search.
    model : {"ic", "lt"} or TriggeringModel
    epsilon, ell : float
        Approximation and failure parameters of the capital estimate (as in TIM+ / IMM).
    estimation : {"tim+", "imm"}
        Parameter estimation: TIM+'s KPT estimation and refinement, or IMM's with the final
        sets drawn afresh (W. Chen's 2018 fix).
    candidates : labels or bool mask, optional
        Nodes allowed as seeds.
    rng : None, int, SeedSequence or Generator
        One generator for every RR set; the same ``rng`` gives the same seeds for any
        ``n_threads``.
    n_threads, max_memory, progress : optional
        As in :func:`infmax.tim_plus`.

    Returns
    -------
    SeedResult
        ``spread`` is the capital estimate (``L`` times the covered fraction of the final
        sets) and ``spread_stderr`` its standard error. ``record``: ``capital``,
        ``capital_stderr``, ``diversity`` (``div(S)``, None without a diversity),
        ``objective``, ``gains`` (of F), ``c_max``, ``div_max``, ``coverage``, ``L``,
        ``n_targets``, ``tau``, the estimation figures (``theta``, ``rr_sets`` ...) and
        ``peak_rr_bytes``. ``timings`` has one entry per phase.

    Raises
    ------
    InvalidParameterError
        Bad graph, ``k``, scores, threshold, profiles, diversity, ``alpha`` or RIS parameter;
        targets of total score 0.

    Notes
    -----
    The paper's approximation guarantee concerns the capital term; the diversity term is
    exact. Deviations from the authors' code: RR sets of targets drawn by a Vose alias table
    from one seeded generator (their code seeds from the clock); a set covered by two seeds
    counts once; the Hamming function is implemented (theirs is not).

    References
    ----------
    A. Caliò, A. Tagarelli, "Monotone submodular diversity functions for categorical vectors
    with application to diversification of seeds for targeted influence maximization",
    Sect. 5 (ADITUM, Algorithm 1).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.from_edges([0, 0, 1, 2, 3], [1, 2, 3, 3, 4], weights=0.5)
    >>> res = im.aditum(G, 2, scores=[0, 1, 1, 2, 3], top="40%", alpha=1.0, epsilon=0.5,
    ...                 rng=0)
    >>> res.seeds == im.tim_plus(G, 2, node_weights=[0, 0, 0, 2, 3], epsilon=0.5, rng=0).seeds
    True
    """
    func = "aditum"
    check_graph(func, G)
    T = Targets.from_scores(np.ones(G.n) if scores is None else scores, tau=tau, top=top,
                            G=G, func=func)
    if T.scores.shape[0] != G.n:
        fail(func, "scores", f"{G.n} scores (one per node)", T.scores.shape[0])
    alpha = check(func, "alpha", alpha, Interval(float, 0.0, 1.0))
    reach = check_choice(func, "reach", reach, ("rr", "graph"))
    estimation = check_choice(func, "estimation", estimation, ESTIMATIONS)
    radius = check(func, "radius", radius, Interval(int, 0, None))
    if not T.L > 0:
        fail(func, "scores", "positive on at least one target (roots are drawn with "
             "probability l(v)/L)", f"L = {T.L:g}")
    st = ris_setup(func, G, k, name="aditum", model=model, epsilon=epsilon, ell=ell,
                   node_weights=T.weights, candidates=candidates, rng=rng,
                   n_threads=n_threads, max_memory=max_memory, progress=progress,
                   weights_param="scores")
    profiles_param = profiles if isinstance(profiles, str) or profiles is None else "Profiles"
    if alpha < 1.0 and isinstance(diversity, str):   # fail before sampling
        check_choice(func, "diversity", diversity, DIVERSITIES)
        if profiles is None:
            fail(func, "profiles", f"categorical profiles (diversity {diversity!r} with "
                 "alpha < 1)", None)
        profiles = _profiles(func, profiles, G.n)
    sample = (tim_plus_sample if estimation == "tim+" else imm_sample)(st)
    R, sw = sample.R, st.stopwatch
    with sw("diversity_setup"):
        D = None
        if alpha < 1.0 or profiles is not None or not isinstance(diversity, str):
            D = _diversity(func, diversity, profiles, G.n, radius, reach, G, R)
    with sw("final_select"):
        st.progress.phase("aditum: lazy greedy on capital and diversity")
        what = "the RR sets, their inverted index and the lazy greedy's state"
        need = (R.nbytes + R.nodes.nbytes + 8 * (R.n + 1)      # the final sets' index
                + R.n_sets + HEAP_ENTRY_BYTES * st.n_cand)      # covered flags, heap
        _memory.check(func, need, st.limit, what=what, hint=RIS_MEMORY_HINT)
        with _memory.guard(func, what=what, hint=RIS_MEMORY_HINT):
            seed_ids, gains, covered, state, info = diverse_greedy(R, st.k, st.cand_u8, D,
                                                                   alpha)
    with sw("diversity_value"):
        div = None if D is None else (state.value if state is not None
                                      else float(D.value(seed_ids)))
    estimate = R.estimate_from_coverage(covered)
    c_term = covered / info["c_max"] if info["c_max"] > 0 else 0.0
    d_term = div / info["div_max"] if div is not None and info["div_max"] > 0 else 0.0
    record = {**sample.record, "theta": int(R.n_sets), "coverage": int(covered),
              "capital": estimate.mean, "capital_stderr": estimate.stderr,
              "spread_estimate": estimate.mean, "spread_stderr": estimate.stderr,
              "diversity": div, "objective": alpha * c_term + (1.0 - alpha) * d_term,
              "gains": gains.tolist(), **info, "L": T.L, "n_targets": T.n_targets,
              "tau": T.tau, "mean_rr_size": R.mean_size(), "peak_rr_bytes": int(sample.peak)}
    dname = diversity if isinstance(diversity, str) else type(diversity).__name__
    return st.result(seed_ids, record=record, estimate=estimate, alpha=alpha,
                     diversity=dname, estimation=estimation, radius=radius, reach=reach,
                     scores=None if scores is None else "array", tau=tau,
                     top=top if top is None or isinstance(top, str) else float(top),
                     profiles=profiles_param)
