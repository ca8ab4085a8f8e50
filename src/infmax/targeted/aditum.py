"""ADITUM: targeted, diversity-aware influence maximisation on reverse influence sampling."""

from __future__ import annotations

import heapq
from collections.abc import Mapping
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


def diverse_greedy(R: RRSets, k: int, cand: np.ndarray, D: Any, alpha: float  # noqa: ANN401
                   ) -> tuple[np.ndarray, np.ndarray, int, DiversityState | None, dict]:
    """Lazy greedy (CELF) on ``F(S) = alpha C(S)/C_max + (1 - alpha) div(S)/div_max``.

    ``C`` is the coverage of the RR sets ``R`` (proportional to the capital estimate),
    ``div`` the diversity ``D`` (ignored when ``alpha == 1``); ``C_max`` and ``div_max`` are the
    best singleton values over the candidates (``cand[v] != 0``; a zero normaliser drops its
    term). Ties go to the smallest id and zero-gain steps still choose a seed, exactly as the
    engine's maximum coverage does, so ``alpha = 1`` selects its seeds. One
    :func:`~infmax._interrupt.checkpoint` per gain evaluation.

    Returns ``(seed_ids int32[k], F gains, covered sets, diversity state or None, info)``.
    """
    inv_ptr, inv_sets = R.inverted_index()
    ids = np.flatnonzero(cand)
    cnt = np.diff(inv_ptr)[ids]
    c_max = float(cnt.max(initial=0))
    state = D.state() if D is not None and alpha < 1.0 else None
    if state is not None:
        d0 = np.empty(ids.shape[0])
        for j, v in enumerate(ids.tolist()):
            d0[j] = D.gain(state, v)
            if j % 1024 == 0:
                checkpoint()
    else:
        d0 = np.zeros(ids.shape[0])
    d_max = float(d0.max(initial=0.0))
    inv_c = 1.0 / c_max if c_max > 0 else 0.0
    inv_d = 1.0 / d_max if d_max > 0 else 0.0
    beta = 1.0 - alpha

    def objective(c: float, d: float) -> float:
        return alpha * (c * inv_c) + beta * (d * inv_d)

    covered = np.zeros(R.n_sets, dtype=bool)
    heap = [(-objective(float(c), float(d)), int(v), 0)
            for v, c, d in zip(ids.tolist(), cnt.tolist(), d0.tolist())]
    heapq.heapify(heap)
    seeds: list[int] = []
    gains: list[float] = []
    n_cov = 0
    evals = 0
    while len(seeds) < k:
        neg, v, rnd = heapq.heappop(heap)
        if rnd == len(seeds):
            seeds.append(v)
            gains.append(-neg)
            sets = inv_sets[inv_ptr[v]:inv_ptr[v + 1]]
            new = sets[~covered[sets]]
            covered[new] = True
            n_cov += int(new.shape[0])
            if state is not None:
                D.add(state, v)
            continue
        sets = inv_sets[inv_ptr[v]:inv_ptr[v + 1]]
        c = float(np.count_nonzero(~covered[sets]))
        d = D.gain(state, v) if state is not None else 0.0
        heapq.heappush(heap, (-objective(c, d), v, len(seeds)))
        evals += 1
        checkpoint()
    info = {"c_max": c_max, "div_max": d_max, "evaluations": evals}
    return np.asarray(seeds, dtype=np.int32), np.asarray(gains), n_cov, state, info


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
