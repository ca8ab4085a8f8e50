"""SIMPATH (Goyal, Lu, Lakshmanan, ICDM 2011): LT influence maximization by simple paths.

Under the linear threshold model the spread of one node is the total probability of the simple
paths that leave it, ``sigma(u) = sum_v sum_{P: u ~> v simple} prod_{e in P} b(e)`` (a node
reaches itself by the empty path), and the spread of a set decomposes as
``sigma(S) = sum_{u in S} sigma^{V - S + u}(u)``, where ``sigma^W`` is the spread in the
subgraph induced by ``W``. SIMPATH enumerates those paths depth first and prunes a path as soon
as its probability drops below ``eta``; it then runs CELF on the resulting marginal gains
``sigma(S + x) - sigma(S) = sigma^{V - S}(x) - (sigma(S) - sigma^{V - x}(S))``.

- :func:`simpath_spread`: the estimator ``sigma(S)`` alone.
- :func:`simpath`: the seed selector, with the vertex-cover optimisation for the first
  iteration and the look-ahead optimisation afterwards.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._kernels import simpath as _kern
from .._progress import Progress
from .._validation import Interval, check, check_graph, fail
from ..diffusion.models import resolve_model
from ..diffusion.montecarlo import _seed_ids
from ..results import Stopwatch, make_result
from ._common import candidate_ids, candidates_param, check_budget, resolve_candidates

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["simpath", "simpath_spread"]

#: arcs examined per kernel call (a few milliseconds; one start node is never split)
_WORK_PER_CALL = 2_000_000


class _Engine:
    """The graph's arrays plus reusable scratch buffers for :func:`enumerate_paths`."""

    def __init__(self, G: DiGraph, eta: float):
        n = G.n
        arrays = G._memo("algorithms.simpath_arrays", lambda: (
            np.asarray(G.indptr, dtype=np.int64), np.asarray(G.indices, dtype=np.int32),
            np.asarray(G.probs, dtype=np.float64), np.asarray(G.rindptr, dtype=np.int64),
            np.asarray(G.rindices, dtype=np.int32), np.asarray(G.rprobs, dtype=np.float64)))
        self.indptr, self.indices, self.w, self.rindptr, self.rindices, self.rw = arrays
        self.eta = float(eta)
        self.blocked = np.zeros(n, dtype=np.uint8)
        self.mark = np.zeros(n, dtype=np.uint8)
        self.eligible = np.zeros(n, dtype=np.uint8)
        self.through = np.zeros(n, dtype=np.float64)
        self.sigma = np.zeros(n, dtype=np.float64)
        self.on_path = np.zeros(n, dtype=np.uint8)
        self.path = np.empty(n + 1, dtype=np.int32)
        self.cursor = np.empty(n + 1, dtype=np.int64)
        self.pps = np.empty(n + 1, dtype=np.float64)
        self.mstack = np.empty(n + 1, dtype=np.int32)
        self.arcs = 0          # arcs examined, over all calls
        self.calls = 0         # kernel calls

    def run(self, starts: np.ndarray, *, vc_mode: bool = False,
            bar: Progress | None = None) -> np.ndarray:
        """Spread of each start in ``V - blocked`` (plus itself); bounded calls, checkpoints."""
        starts = np.ascontiguousarray(starts, dtype=np.int32)
        spd = np.zeros(starts.shape[0], dtype=np.float64)
        lo = 0
        while lo < starts.shape[0]:
            nxt, work = _kern.enumerate_paths(
                self.indptr, self.indices, self.w, self.rindptr, self.rindices, self.rw, starts,
                lo, _WORK_PER_CALL, self.eta, self.blocked, self.mark, self.eligible,
                self.through, vc_mode, self.on_path, self.path, self.cursor, self.pps,
                self.mstack, spd, self.sigma)
            self.arcs += int(work)
            self.calls += 1
            if bar is not None:
                bar.update(int(nxt - lo))
            lo = int(nxt)
            checkpoint()
        return spd


def _check_common(func: str, G: object, eta: object, model: object) -> float:
    check_graph(func, G)
    if not (isinstance(model, str) and model.lower() == "lt"):
        if isinstance(model, str) and model.lower() in ("ic", "triggering"):
            fail(func, "model", "'lt' (SIMPATH's path formula holds only under the linear "
                 "threshold model)", model)
        fail(func, "model", "'lt'", model)
    resolve_model("lt", G, func=func)  # in-weights of every node sum to <= 1
    return check(func, "eta", eta, Interval(float, 0, 1, closed="left"))


def simpath_spread(G: DiGraph, seeds: ArrayLike, *, eta: float = 1e-3,
                   model: str = "lt") -> float:
    """SIMPATH's estimate of the LT spread of ``seeds``: pruned simple-path enumeration.

    ``sigma(S) = sum_{u in S} sigma^{V - S + u}(u)``, each term the total probability of the
    simple paths from ``u`` that avoid the other seeds, a path being dropped (with its
    extensions) once its probability is below ``eta``. Deterministic.

    Parameters
    ----------
    G : DiGraph
        LT weights: the in-weights of every node sum to at most 1.
    seeds : array_like of node labels
        Duplicates count once.
    eta : float in [0, 1), default 1e-3
        Pruning threshold. ``eta = 0`` enumerates every simple path: the exact LT spread
        (exponential time; small graphs only). The estimate never exceeds the exact spread
        and grows as ``eta`` decreases.
    model : {"lt"}
        Only the linear threshold model.

    Returns
    -------
    float
        The estimated expected number of active nodes, seeds included.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 1, 0], [1, 2, 2], [0.5, 0.5, 0.25], weights="file")
    >>> im.simpath_spread(G, [0], eta=0.0)   # 1 + 0.5 + (0.25 + 0.5 * 0.5)
    2.0
    >>> im.exact_spread(G, [0], model="lt")
    2.0
    """
    func = "simpath_spread"
    eta = _check_common(func, G, eta, model)
    ids = _seed_ids(G, seeds, func).astype(np.int32)
    if ids.shape[0] == 0:
        return 0.0
    eng = _Engine(G, eta)
    eng.blocked[ids] = 1
    with interruptible():
        return float(eng.run(ids).sum())


def _first_iteration(eng: _Engine, G: DiGraph, cands: np.ndarray, vertex_cover: bool,
                     progress: bool | None) -> tuple[np.ndarray, int]:
    """``sigma(v)`` for every candidate; returns (values aligned with ``cands``, cover size)."""
    n = G.n
    if not vertex_cover:
        with Progress(cands.shape[0], "simpath first iteration", progress) as bar:
            return eng.run(cands, bar=bar), -1
    deg = G.out_degree + G.in_degree
    order = np.argsort(deg, kind="stable").astype(np.int32)
    inset = _kern.independent_set(order, eng.indptr, eng.indices, eng.rindptr, eng.rindices)
    cover = np.flatnonzero(inset == 0).astype(np.int32)
    eng.eligible[:] = inset
    eng.sigma[:] = 0.0
    with Progress(cover.shape[0], "simpath vertex cover", progress) as bar:
        spd_cover = eng.run(cover, vc_mode=True, bar=bar)
    eng.eligible[:] = 0
    sigma = eng.sigma + 1.0          # independent nodes: 1 + sum_u b(v,u) sigma^{V-v}(u)
    sigma[cover] = spd_cover
    return sigma[cands] if cands.shape[0] != n else sigma, int(cover.shape[0])


@interruptible()
def simpath(G: DiGraph, k: int, *, eta: float = 1e-3, lookahead: int = 4,
            vertex_cover: bool = True, model: str = "lt", candidates: ArrayLike | None = None,
            rng: RngLike = None, progress: bool | None = None) -> SeedResult:
    """Select ``k`` seeds under the LT model with SIMPATH (Goyal, Lu, Lakshmanan, ICDM 2011).

    CELF over SIMPATH's spread estimator (:func:`simpath_spread`): the first iteration computes
    ``sigma(v)`` of every candidate, the later ones recompute the gains of the ``lookahead``
    best stale candidates of the queue at once, from one enumeration of the current seeds'
    paths. Deterministic: ties go to the lowest internal id.

    Parameters
    ----------
    G : DiGraph
        LT weights (in-weights of every node sum to at most 1), e.g. ``weights="wc"``.
    k : int
        Number of seeds, at most the number of candidates.
    eta : float in [0, 1), default 1e-3
        Path pruning threshold (the paper's default; IMINFECTOR's experiments used 0.01).
    lookahead : int >= 1, default 4
        Candidates whose gains are recomputed per enumeration of the seeds' paths (the
        paper's ``l``; 1 is plain CELF over the estimator).
    vertex_cover : bool, default True
        First iteration through a vertex cover (ignored when ``candidates`` is given).
    model : {"lt"}
        Only the linear threshold model.
    candidates : labels or bool mask, optional
        Nodes allowed as seeds (every node by default).
    rng : ignored
        Accepted for the common selector signature; SIMPATH draws no random numbers.
    progress : bool, optional
        Progress bars on stderr.

    Returns
    -------
    SeedResult
        ``spread``: SIMPATH's estimate of the final seed set (recomputed by
        :func:`simpath_spread`). ``record``: ``marginal_gains``, ``spreads`` (sum of the gains
        after each pick), ``spread_evaluations`` (enumerations of ``sigma^{V-S}(x)``),
        ``seed_set_enumerations``, ``vertex_cover_size``, ``arcs_examined``,
        ``kernel_calls``. Timings: ``first_iteration``, ``selection``, ``final_spread``.

    Notes
    -----
    - Marginal gain (the paper's Theorem 2): ``sigma(S + x) = sigma^{V - x}(S) +
      sigma^{V - S}(x)``; ``sigma^{V - x}(S)`` is read off the enumeration from ``S`` by
      subtracting the mass of the paths through ``x`` (counters kept for every ``x`` of the
      look-ahead set ``U``), and ``sigma^{V - S}(x)`` is one enumeration from ``x`` avoiding
      ``S``.
    - Vertex cover (first iteration): ``C`` is the complement of a maximal independent set
      ``I`` of the undirected view, built greedily by ascending total degree (the paper leaves
      the cover heuristic open). Paths are enumerated only from ``C``; each ``v in I`` (whose
      neighbours all lie in ``C``) gets ``sigma(v) = 1 + sum_{u in N_out(v)} b(v, u)
      sigma^{V - v}(u)``, the ``sigma^{V - v}(u)`` coming from ``u``'s enumeration. Pruning is
      then relative to ``u``'s paths, so such a ``sigma(v)`` may keep slightly more mass than
      a direct enumeration from ``v`` would (as in the paper).
    - Look-ahead: the queue's top ``lookahead`` stale entries (stopping early at a fresh top)
      are recomputed together; a fresh top is selected at once. The first pick needs no
      enumeration.
    - Pruning: a path whose probability is below ``eta`` is neither counted nor extended;
      arcs of weight 0 are skipped. ``eta = 0`` enumerates every simple path (exact LT
      spread; exponential). Paths are enumerated in CSR order, with a stack of path
      probabilities instead of the paper's division on backtracking.
    - With ``candidates`` the first iteration enumerates from each candidate directly.
    """
    func = "simpath"
    sw = Stopwatch()
    eta = _check_common(func, G, eta, model)
    lookahead = check(func, "lookahead", lookahead, Interval(int, 1, None))
    if not isinstance(vertex_cover, (bool, np.bool_)):
        fail(func, "vertex_cover", "a bool", vertex_cover)
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    cands = candidate_ids(G, mask)
    eng = _Engine(G, eta)
    with sw("first_iteration"):
        sig, cover_size = _first_iteration(eng, G, cands, bool(vertex_cover) and mask is None,
                                           progress)
    S: list[int] = []
    gains: list[float] = []
    spreads: list[float] = []
    flag = np.zeros(G.n, dtype=np.int64)
    heap = [(-float(s), int(u)) for s, u in zip(sig, cands)]
    heapq.heapify(heap)
    cur = 0.0
    evaluations = 0
    set_enums = 0
    with sw("selection"), Progress(k, func, progress) as bar:
        while len(S) < k:
            neg, x = heap[0]
            if flag[x] == len(S):
                heapq.heappop(heap)
                S.append(x)
                eng.blocked[x] = 1
                cur += -neg
                gains.append(-neg)
                spreads.append(cur)
                bar.update(1)
                continue
            U = []
            while heap and len(U) < lookahead and flag[heap[0][1]] != len(S):
                U.append(heapq.heappop(heap)[1])
            u_arr = np.asarray(U, dtype=np.int32)
            eng.mark[u_arr] = 1
            eng.run(np.asarray(S, dtype=np.int32))        # Simpath-Spread(S, U)
            set_enums += 1
            lost = eng.through[u_arr].copy()               # sigma(S) - sigma^{V-x}(S)
            eng.through[u_arr] = 0.0
            eng.mark[u_arr] = 0
            alone = eng.run(u_arr)                         # sigma^{V-S}(x)
            evaluations += len(U)
            for x_, a, lo_ in zip(U, alone, lost):
                flag[x_] = len(S)
                heapq.heappush(heap, (-(float(a) - float(lo_)), x_))
    seed_ids = np.asarray(S, dtype=np.int32)
    with sw("final_spread"):
        eng.blocked[:] = 0
        eng.blocked[seed_ids] = 1
        final = float(eng.run(seed_ids).sum())
    params = {"k": k, "eta": eta, "lookahead": lookahead, "vertex_cover": bool(vertex_cover),
              "model": "lt", "candidates": candidates_param(candidates)}
    record = {"marginal_gains": gains, "spreads": spreads, "spread_evaluations": evaluations,
              "seed_set_enumerations": set_enums,
              "vertex_cover_size": cover_size if cover_size >= 0 else None,
              "arcs_examined": eng.arcs, "kernel_calls": eng.calls}
    del rng
    return make_result(G, func, seed_ids, params=params, stopwatch=sw, record=record,
                       spread=final)
