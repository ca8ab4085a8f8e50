"""ADITUM's competitors: Deg-D (Tang et al. 2014) and its RIS-integrated forms RIS-U / RIS-W.

- :func:`degd`: Deg-D, greedy on ``F(S) = (1 - gamma) sum_{u in S} d(u)/D + gamma div(S)/G``
  with ``d`` the out-degree and ``div`` the category-coverage diversity
  (:class:`~.diversity.CoverageDiversity`), uniform (Deg-DU, ``f = 1``) or degree-weighted
  (Deg-DW, ``f = d``); ``D`` and ``G`` are the best singleton values. No diffusion model.
- :func:`ris_coverage`: RIS-U / RIS-W, ADITUM's lazy greedy on target-weighted RR sets with the
  same coverage diversity in place of a categorical one (``alpha`` weighs the capital, as in
  :func:`~.aditum.aditum`).

Registered as the static-graph selectors ``"degd-u"``, ``"degd-w"``, ``"ris-u"`` and
``"ris-w"``. DTIM (Caliò et al., TKDE 2018), whose global topology-driven diversity ADITUM's
paper also plugs into its RIS framework, is not implemented: its definition could not be
recovered from the material available here (the ADITUM paper only names it; see
``docs/targeted.md``).
"""

from __future__ import annotations

import heapq
import inspect
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .._interrupt import checkpoint
from .._validation import Interval, check, check_choice, check_graph, fail
from ..algorithms._common import candidate_ids, candidates_param, check_budget, resolve_candidates
from ..random import as_generator
from ..results import Stopwatch, make_result
from .aditum import _profiles, aditum
from .diversity import CoverageDiversity

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import TriggeringModel
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult
    from .profiles import Profiles
    from .targets import Targets

__all__ = ["degd", "ris_coverage", "coverage_diversity", "degd_u", "degd_w", "ris_u", "ris_w",
           "VARIANTS"]

#: ``"u"``: uniform node weights f(u) = 1 (Deg-DU, RIS-U); ``"w"``: f(u) = out-degree (DW)
VARIANTS = ("u", "w")


def coverage_diversity(G: DiGraph, *, profiles: Profiles | str | None = None,
                       preferences: ArrayLike | None = None, variant: str = "u",
                       g: Callable[[np.ndarray], np.ndarray] | None = None,
                       func: str = "coverage_diversity") -> CoverageDiversity:
    """Build the Deg-D diversity of ``G``'s nodes: uniform (``"u"``) or degree-weighted (``"w"``).

    Parameters
    ----------
    G : DiGraph
    profiles : Profiles or str, optional
        Categorical profiles (or a ``"synthetic:m=..,v=..,dist=..,seed=.."`` spec), turned
        into numerical preferences by their one-hot indicators divided by m.
    preferences : array of float, shape (n, J), optional
        Numerical preferences (rows normalised to sum 1), e.g. MovieLens genre counts;
        exclusive with ``profiles``.
    variant : {"u", "w"}
        ``f(u) = 1`` (DU) or ``f(u) = out-degree of u`` (DW).
    g : callable, optional
        Concave non-decreasing, ``g(0) = 0``, elementwise on arrays; default ``numpy.sqrt``.

    Returns
    -------
    CoverageDiversity
    """
    check_graph(func, G)
    variant = check_choice(func, "variant", variant, VARIANTS)
    if (profiles is None) == (preferences is None):
        fail(func, "profiles", "exactly one of profiles and preferences",
             "both" if profiles is not None else None)
    src = _profiles(func, profiles, G.n) if preferences is None else preferences
    if preferences is not None and np.shape(preferences)[:1] != (G.n,):
        fail(func, "preferences", f"an array with one row per node ({G.n})",
             f"shape {np.shape(preferences)}")
    w = None if variant == "u" else G.out_degree.astype(np.float64)
    return CoverageDiversity(src, node_weights=w, g=g)


def degd(G: DiGraph, k: int, *, profiles: Profiles | str | None = None,
         preferences: ArrayLike | None = None, variant: str = "u", gamma: float = 0.5,
         g: Callable[[np.ndarray], np.ndarray] | None = None,
         candidates: ArrayLike | None = None, rng: RngLike = None) -> SeedResult:
    """Deg-D: greedy on out-degree plus a concave category-coverage diversity.

    Maximises ``F(S) = (1 - gamma) sum_{u in S} d(u) / D + gamma div(S) / G`` with ``d`` the
    out-degree, ``div(S) = sum_j g(sum_{u in S} f(u) c_{u,j})`` (see
    :class:`~infmax.targeted.CoverageDiversity`), ``f = 1`` (Deg-DU) or ``f = d`` (Deg-DW),
    and ``D``, ``G`` the best singleton values over the candidates (a zero normaliser drops
    its term). Lazy greedy (CELF): the degree term is modular, the diversity submodular.

    Parameters
    ----------
    G : DiGraph
    k : int
        Number of seeds.
    profiles, preferences
        Node side information (exactly one), as in :func:`coverage_diversity`.
    variant : {"u", "w"}
        Deg-DU or Deg-DW.
    gamma : float in [0, 1]
        Weight of the diversity term (Tang et al.'s smoothing; 0.5 weighs both equally, as in
        ADITUM's comparison). ``gamma = 0`` is :func:`infmax.degree`.
    g : callable, optional
        The concave function (default ``numpy.sqrt``).
    candidates : labels or bool mask, optional
        Nodes allowed as seeds.
    rng : ignored
        Accepted (and validated) so that every selector has the same keywords; ties go to
        the smallest internal id.

    Returns
    -------
    SeedResult
        ``spread`` is None (Deg-D does not model diffusion). ``record``: ``diversity``
        (``div(S)``), ``degree_sum``, ``objective`` (``F(S)``), ``gains`` (of F), ``d_max``,
        ``div_max``, ``evaluations``.

    References
    ----------
    F. Tang, Q. Liu, H. Zhu, E. Chen, F. Zhu, "Diversified social influence maximization",
    ASONAM 2014 (Deg-D); A. Caliò, A. Tagarelli (ADITUM), Sect. 6 (the comparison setting).

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.targeted import degd
    >>> G = im.from_edges([0, 0, 1, 1, 2], [1, 2, 2, 3, 3])
    >>> prefs = [[1, 0], [1, 0], [0, 1], [0, 1]]
    >>> degd(G, 2, preferences=prefs, gamma=0.0).seeds     # out-degree only
    (0, 1)
    >>> degd(G, 2, preferences=prefs, gamma=0.9).seeds     # the second seed covers category 1
    (0, 2)
    """
    func = "degd"
    check_graph(func, G)
    sw = Stopwatch()
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    if rng is not None:
        as_generator(rng, func=func)
    gamma = check(func, "gamma", gamma, Interval(float, 0.0, 1.0))
    variant = check_choice(func, "variant", variant, VARIANTS)
    with sw("diversity_setup"):
        D = coverage_diversity(G, profiles=profiles, preferences=preferences, variant=variant,
                               g=g, func=func)
    with sw("select"):
        deg = G.out_degree.astype(np.float64)
        ids, gains, state, info = modular_diverse_greedy(deg, D, candidate_ids(G, mask), k,
                                                         gamma)
    div = state.value if state is not None else D.value(ids)
    d_term = float(deg[ids].sum()) / info["d_max"] if info["d_max"] > 0 else 0.0
    g_term = div / info["div_max"] if info["div_max"] > 0 else 0.0
    record = {"diversity": float(div), "degree_sum": float(deg[ids].sum()),
              "objective": (1.0 - gamma) * d_term + gamma * g_term, "gains": gains.tolist(),
              **info}
    return make_result(G, f"degd-{variant}", ids, stopwatch=sw,
                       params={"k": k, "variant": variant, "gamma": gamma,
                               "g": "sqrt" if g is None else getattr(g, "__name__", "callable"),
                               "profiles": profiles if isinstance(profiles, str) or
                               profiles is None else "Profiles",
                               "preferences": None if preferences is None else "array",
                               "candidates": candidates_param(candidates)},
                       record=record)


def modular_diverse_greedy(score: np.ndarray, D: Any, cand: np.ndarray, k: int,  # noqa: ANN401
                           gamma: float) -> tuple[np.ndarray, np.ndarray, Any, dict]:
    """Lazy greedy on ``(1 - gamma) sum_S score / s_max + gamma div(S) / div_max``.

    ``score`` is a modular term (one value per node), ``D`` a diversity object
    (value/state/gain/add), ``cand`` the candidate ids (ascending); the normalisers are the
    best singleton values over the candidates. Ties go to the smallest id; ``gamma = 0``
    never evaluates the diversity. One checkpoint per re-evaluation.

    Returns ``(seed_ids int32[k], F gains, diversity state or None, info)``.
    """
    ids = np.asarray(cand, dtype=np.int64)
    s = score[ids]
    s_max = float(s.max(initial=0.0))
    state = D.state() if gamma > 0.0 else None
    if state is not None:
        d0 = np.empty(ids.shape[0])
        for j, v in enumerate(ids.tolist()):
            d0[j] = D.gain(state, v)
            if j % 1024 == 0:
                checkpoint()
    else:
        d0 = np.zeros(ids.shape[0])
    d_max = float(d0.max(initial=0.0))
    inv_s = 1.0 / s_max if s_max > 0 else 0.0
    inv_d = 1.0 / d_max if d_max > 0 else 0.0

    def objective(a: float, d: float) -> float:
        return (1.0 - gamma) * a * inv_s + gamma * d * inv_d

    heap = [(-objective(a, d), v, 0) for v, a, d in zip(ids.tolist(), s.tolist(), d0.tolist())]
    heapq.heapify(heap)
    seeds: list[int] = []
    gains: list[float] = []
    evals = 0
    while len(seeds) < k:
        neg, v, rnd = heapq.heappop(heap)
        if rnd == len(seeds):
            seeds.append(v)
            gains.append(-neg)
            if state is not None:
                D.add(state, v)
            continue
        d = D.gain(state, v) if state is not None else 0.0
        heapq.heappush(heap, (-objective(float(score[v]), d), v, len(seeds)))
        evals += 1
        checkpoint()
    info = {"d_max": s_max, "div_max": d_max, "evaluations": evals}
    return np.asarray(seeds, dtype=np.int32), np.asarray(gains), state, info


def ris_coverage(G: DiGraph, k: int, *, profiles: Profiles | str | None = None,
                 preferences: ArrayLike | None = None, variant: str = "u",
                 g: Callable[[np.ndarray], np.ndarray] | None = None,
                 scores: ArrayLike | Mapping | Targets | None = None, tau: float | None = None,
                 top: float | str | None = None, alpha: float = 0.5,
                 model: str | TriggeringModel = "ic", epsilon: float = 0.1, ell: float = 1.0,
                 estimation: str = "tim+", candidates: ArrayLike | None = None,
                 rng: RngLike = None, n_threads: int | None = None,
                 max_memory: int | None = None, progress: bool | None = None) -> SeedResult:
    """RIS-U / RIS-W: ADITUM's RIS framework with Deg-D's category-coverage diversity.

    Runs :func:`~infmax.targeted.aditum` with ``diversity`` =
    :func:`coverage_diversity` (uniform for ``variant="u"``, degree-weighted for ``"w"``):
    lazy greedy on ``alpha C(S)/C_max + (1 - alpha) div(S)/div_max`` over target-weighted RR
    sets. Without ``scores`` every node is a target with ``l = 1`` (the non-targeted
    setting S1 where the paper compares with Deg-D).

    Parameters
    ----------
    G : DiGraph
    k : int
        Number of seeds.
    profiles, preferences, variant, g
        The diversity, as in :func:`coverage_diversity`.
    scores, tau, top, alpha, model, epsilon, ell, estimation, candidates, rng, n_threads, \
max_memory, progress
        As in :func:`~infmax.targeted.aditum` (``alpha = 0.5``: the paper's equal weighting).

    Returns
    -------
    SeedResult
        ADITUM's result (``spread`` = capital estimate, ``record["diversity"]`` =
        ``div(S)``), named ``"ris-u"`` / ``"ris-w"``, with ``variant`` and ``g`` in
        ``params``.

    References
    ----------
    A. Caliò, A. Tagarelli (ADITUM), Sects. 6 and 7.5 (RIS-U, RIS-W); F. Tang et al.,
    ASONAM 2014 (the diversity).

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.targeted import ris_coverage
    >>> G = im.from_edges([0, 0, 1, 1, 2], [1, 2, 2, 3, 3], weights=0.5)
    >>> res = ris_coverage(G, 2, preferences=[[1, 0], [1, 0], [0, 1], [0, 1]], epsilon=0.5,
    ...                    rng=1)
    >>> res.algorithm, len(res.seeds), res.record["diversity"] > 0
    ('ris-u', 2, True)
    """
    func = f"ris-{variant}" if variant in VARIANTS else "ris_coverage"
    check_graph(func, G)
    D = None
    if alpha != 1.0:   # alpha = 1 (or a bad alpha, rejected by aditum) needs no diversity
        D = coverage_diversity(G, profiles=profiles, preferences=preferences, variant=variant,
                               g=g, func=func)
    else:
        variant = check_choice(func, "variant", variant, VARIANTS)
    res = aditum(G, k, scores=scores, tau=tau, top=top, diversity=D if D is not None else
                 "attribute", alpha=alpha, model=model, epsilon=epsilon, ell=ell,
                 estimation=estimation, candidates=candidates, rng=rng, n_threads=n_threads,
                 max_memory=max_memory, progress=progress)
    params = {**res.params, "diversity": "coverage", "variant": variant,
              "g": "sqrt" if g is None else getattr(g, "__name__", "callable"),
              "profiles": profiles if isinstance(profiles, str) or profiles is None
              else "Profiles", "preferences": None if preferences is None else "array"}
    return replace(res, algorithm=f"ris-{variant}", params=params)


def _bind(func: Callable[..., SeedResult], variant: str, name: str,
          summary: str) -> Callable[..., SeedResult]:
    """``func`` with ``variant`` fixed, its signature without it (for the registry)."""

    def selector(G: DiGraph, k: int, **kwargs: Any) -> SeedResult:  # noqa: ANN401
        if "variant" in kwargs:
            fail(name, "variant", f"no 'variant' ({name} is the {variant!r} variant)",
                 kwargs["variant"])
        return func(G, k, variant=variant, **kwargs)

    sig = inspect.signature(func)
    selector.__signature__ = sig.replace(
        parameters=[p for p in sig.parameters.values() if p.name != "variant"])
    selector.__name__ = selector.__qualname__ = name.replace("-", "_")
    selector.__doc__ = (f"{summary}\n\n``{func.__name__}(G, k, variant={variant!r}, ...)``; "
                        f"see :func:`{func.__name__}` for the parameters.\n")
    selector.__module__ = __name__
    return selector


degd_u = _bind(degd, "u", "degd-u", "Deg-DU: greedy on out-degree plus uniform category "
               "coverage (Tang et al. 2014).")
degd_w = _bind(degd, "w", "degd-w", "Deg-DW: greedy on out-degree plus degree-weighted "
               "category coverage (Tang et al. 2014).")
ris_u = _bind(ris_coverage, "u", "ris-u", "RIS-U: ADITUM's RIS framework with Deg-D's uniform "
              "category-coverage diversity.")
ris_w = _bind(ris_coverage, "w", "ris-w", "RIS-W: ADITUM's RIS framework with Deg-D's "
              "degree-weighted category-coverage diversity.")
