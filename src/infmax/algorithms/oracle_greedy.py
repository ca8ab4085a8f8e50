"""Greedy seed selection over a spread oracle: plain greedy, CELF and CELF++.

The oracle is any :class:`infmax.diffusion.SpreadOracle`: ``oracle(seed_ids) -> float`` for
int32 internal ids, with ``n`` (its number of nodes, checked against the graph) and optionally
``batch(list_of_sets)`` (used for the rounds that evaluate many sets at once: every round of
plain greedy, CELF's first pass). Monte Carlo (:class:`~infmax.diffusion.MonteCarloOracle`,
the default), SI on snapshot graphs (:class:`infmax.temporal.SIOracle`; the graph is then a
``TemporalGraph``), RR-set and learned oracles all fit; a plain callable without ``n`` is
accepted too. The default oracle uses common random numbers, which makes it deterministic:
the same set always gets the same value, so CELF and CELF++ pick the same seeds as plain greedy
whenever the oracle is submodular on the sets they compare.

All three pick, in each round, the candidate of largest marginal gain
``oracle(S + [u]) - oracle(S)``, ties broken by the lower internal id, and they call the oracle
with ``S`` in selection order followed by the new node(s), so a deterministic oracle is asked
the very same arrays by all three. The spread of the empty set is taken as 0 (never asked).

===========  =============================================  ========================================
selector     oracle calls                                   reference
===========  =============================================  ========================================
greedy       ``k c - k (k - 1) / 2`` (c candidates)         Kempe, Kleinberg, Tardos (KDD 2003)
celf         ``c`` + lazy re-evaluations                    Leskovec et al. (KDD 2007)
celfpp       ``2 c`` + lazy re-evaluations (2 each), minus  Goyal, Lu, Lakshmanan (WWW 2011)
             the ones saved by ``mg2``
===========  =============================================  ========================================
"""

from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._progress import Progress
from .._validation import Interval, check, check_graph, fail
from ..diffusion.oracle import evaluate_many, oracle_size
from ..results import Stopwatch, make_result
from ._common import candidate_ids, candidates_param, check_budget, resolve_candidates

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import SpreadOracle, TriggeringModel
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["greedy", "celf", "celfpp"]

#: singletons per oracle batch in CELF's first pass (bounds the memory of one batch)
_FIRST_PASS_BATCH = 4096


class _CountingOracle:
    """Wrap a user oracle: count calls, time them, check the values are finite floats.

    The time goes to phase ``"oracle"`` of the run's stopwatch.
    """

    def __init__(self, oracle: SpreadOracle, func: str, stopwatch: Stopwatch):
        self.oracle = oracle
        self.func = func
        self.calls = 0
        self.stopwatch = stopwatch
        stopwatch.add("oracle", 0.0)  # present even when no set is evaluated

    def __call__(self, ids: list[int]) -> float:
        arr = np.array(ids, dtype=np.int32)
        with self.stopwatch("oracle"):
            value = self.oracle(arr)
        self.calls += 1
        checkpoint()
        return self._finite(value)

    def batch(self, sets: list[list[int]]) -> list[float]:
        """Values of several sets, through the oracle's ``batch`` when it has one."""
        if getattr(self.oracle, "batch", None) is None:
            return [self(s) for s in sets]
        arrs = [np.array(s, dtype=np.int32) for s in sets]
        with self.stopwatch("oracle"):
            values = evaluate_many(self.oracle, arrs, func=self.func)
        self.calls += len(sets)
        checkpoint()
        return [self._finite(v) for v in values]

    def _finite(self, value: object) -> float:
        try:
            v = float(value)
        except (TypeError, ValueError):
            v = math.nan
        if not math.isfinite(v):
            fail(self.func, "oracle", "a spread oracle returning finite floats", value)
        return v


def _setup(func, G, k, oracle, model, n_simulations, rng, candidates, sw):
    # a given oracle may read a TemporalGraph (SI oracle); the default Monte Carlo one a DiGraph
    check_graph(func, G, temporal=oracle is not None and type(G).__name__ == "TemporalGraph")
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    params = {"k": k, "candidates": candidates_param(candidates)}
    if oracle is None:
        n_simulations = check(func, "n_simulations", n_simulations, Interval(int, 1, None))
        from ..diffusion import MonteCarloOracle  # lazy: diffusion is a lower layer, but heavy
        from ..random import as_generator

        oracle = MonteCarloOracle(G, model=model, n_simulations=n_simulations,
                                  rng=as_generator(rng, func=func))
        params.update(oracle="MonteCarloOracle",
                      model=model if isinstance(model, str) else type(model).__name__,
                      n_simulations=n_simulations)
    elif not callable(oracle):
        fail(func, "oracle", "a SpreadOracle (a callable oracle(seed_ids) -> float)", oracle)
    else:
        size = oracle_size(oracle)
        if size is not None and size != G.n:
            fail(func, "oracle", f"an oracle over the graph's n={G.n} nodes",
                 f"{type(oracle).__name__} with n={size}")
        params["oracle"] = getattr(oracle, "__name__", type(oracle).__name__)
    return k, candidate_ids(G, mask).tolist(), _CountingOracle(oracle, func, sw), params


def _plain_calls(k: int, c: int) -> int:
    return k * c - k * (k - 1) // 2


def _finish(G, func, S, gains, spreads, f, sw, params, k, c, extra=None):
    record = {"oracle_calls": f.calls, "plain_greedy_calls": _plain_calls(k, c),
              "lookups_saved": _plain_calls(k, c) - f.calls, "marginal_gains": gains,
              "spreads": spreads, **(extra or {})}
    return make_result(G, func, S, params=params, stopwatch=sw, record=record,
                       spread=spreads[-1] if spreads else 0.0)


@interruptible()
def greedy(G: DiGraph, k: int, *, oracle: SpreadOracle | None = None,
           model: str | TriggeringModel = "ic", n_simulations: int = 1000, rng: RngLike = None,
           candidates: ArrayLike | None = None, progress: bool | None = None) -> SeedResult:
    """Plain greedy: every round re-evaluates every remaining candidate.

    The reference CELF and CELF++ are tested against; use them instead on anything but small
    graphs. ``k c - k (k - 1) / 2`` oracle calls for ``c`` candidates.

    Parameters
    ----------
    G : DiGraph or TemporalGraph
        A TemporalGraph only with an oracle over it (:class:`infmax.temporal.SIOracle`).
    k : int
        Number of seeds, at most the number of candidates.
    oracle : SpreadOracle, optional
        ``oracle(seed_ids: np.ndarray[int32]) -> float`` with ``n == G.n`` (a plain callable
        without ``n`` is accepted); its ``batch`` is used when present. Default:
        ``MonteCarloOracle(G, model=model, n_simulations=n_simulations, rng=rng)``.
    model, n_simulations, rng
        Used only to build the default oracle.
    candidates : labels or bool mask, optional
        Nodes allowed as seeds.
    progress : bool, optional
        Progress bar on stderr (one tick per seed).

    Returns
    -------
    SeedResult
        ``spread``: the oracle's value of the final set. ``record``: ``oracle_calls``,
        ``marginal_gains`` and ``spreads`` per pick, ``lookups_saved`` (0 here).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1, 3], [1, 2, 2, 4], weights=1.0)
    >>> cover = {0: {0, 1, 2}, 1: {1, 2}, 2: {2}, 3: {3, 4}, 4: {4}}  # reach with p = 1
    >>> reach = lambda ids: float(len(set().union(*(cover[int(u)] for u in ids))))
    >>> res = im.greedy(G, 2, oracle=reach)
    >>> res.seeds, res.spread, res.record["oracle_calls"]
    ((0, 3), 5.0, 9)
    """
    func = "greedy"
    sw = Stopwatch()
    k, cands, f, params = _setup(func, G, k, oracle, model, n_simulations, rng, candidates,
                                  sw)
    S: list[int] = []
    in_s = set()
    cur = 0.0
    gains, spreads = [], []
    with Progress(k, func, progress) as bar:
        for _ in range(k):
            best, best_gain, best_val = -1, -math.inf, 0.0
            rest = [u for u in cands if u not in in_s]
            for u, val in zip(rest, f.batch([S + [u] for u in rest])):
                g = val - cur
                if g > best_gain:  # candidates ascend: ties keep the lower id
                    best, best_gain, best_val = u, g, val
            S.append(best)
            in_s.add(best)
            cur = best_val
            gains.append(best_gain)
            spreads.append(cur)
            bar.update(1)
    return _finish(G, func, S, gains, spreads, f, sw, params, k, len(cands))


@interruptible()
def celf(G: DiGraph, k: int, *, oracle: SpreadOracle | None = None,
         model: str | TriggeringModel = "ic", n_simulations: int = 1000, rng: RngLike = None,
         candidates: ArrayLike | None = None, progress: bool | None = None) -> SeedResult:
    """Select ``k`` seeds with CELF, the lazy-forward greedy.

    Leskovec, Krause, Guestrin, Faloutsos, VanBriesen, Glance, KDD 2007.

    Marginal gains only shrink as the seed set grows (submodularity), so a gain computed in an
    earlier round is an upper bound. Keep every candidate in a max-heap keyed by its last gain;
    pop the top; if its gain was computed in this round it is the best and becomes a seed,
    otherwise recompute it and push it back. Same seeds as :func:`greedy` for a deterministic
    submodular oracle (same tie rule: lower id), usually with far fewer oracle calls.

    Parameters and returns as :func:`greedy`; ``record["lookups_saved"]`` is the number of
    oracle calls plain greedy would have made minus the ones made.

    Notes
    -----
    With a noisy oracle (Monte Carlo without common random numbers) the lazy bound can be
    violated by noise; the result is then a valid but not necessarily greedy seed set. The
    default oracle uses common random numbers, which makes it deterministic.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1, 3], [1, 2, 2, 4], weights=1.0)
    >>> cover = {0: {0, 1, 2}, 1: {1, 2}, 2: {2}, 3: {3, 4}, 4: {4}}
    >>> reach = lambda ids: float(len(set().union(*(cover[int(u)] for u in ids))))
    >>> res = im.celf(G, 2, oracle=reach)
    >>> res.seeds, res.record["marginal_gains"], res.record["oracle_calls"]
    ((0, 3), [3.0, 2.0], 7)
    """
    func = "celf"
    sw = Stopwatch()
    k, cands, f, params = _setup(func, G, k, oracle, model, n_simulations, rng, candidates,
                                  sw)
    S: list[int] = []
    cur = 0.0
    gains, spreads = [], []
    flag, val = {}, {}
    heap = []
    with Progress(len(cands), f"{func} first pass", progress) as bar:
        for lo in range(0, len(cands), _FIRST_PASS_BATCH):
            part = cands[lo:lo + _FIRST_PASS_BATCH]
            for u, v in zip(part, f.batch([[u] for u in part])):
                val[u], flag[u] = v, 0
                heap.append((-v, u))
            bar.update(len(part))
    heapq.heapify(heap)
    with Progress(k, func, progress) as bar:
        while len(S) < k:
            neg, u = heapq.heappop(heap)
            if flag[u] == len(S):
                S.append(u)
                cur = val[u]
                gains.append(-neg)
                spreads.append(cur)
                bar.update(1)
                continue
            v = f(S + [u])
            val[u], flag[u] = v, len(S)
            heapq.heappush(heap, (-(v - cur), u))
    return _finish(G, func, S, gains, spreads, f, sw, params, k, len(cands))


@interruptible()
def celfpp(G: DiGraph, k: int, *, oracle: SpreadOracle | None = None,
           model: str | TriggeringModel = "ic", n_simulations: int = 1000, rng: RngLike = None,
           candidates: ArrayLike | None = None, progress: bool | None = None) -> SeedResult:
    """CELF++ (Goyal, Lu, Lakshmanan, WWW 2011), Algorithm 1 of the paper.

    Each node ``u`` keeps ``mg1`` (its gain w.r.t. the current seeds ``S``), ``prev_best`` (the
    best node seen in the round when ``mg1`` was computed), ``mg2`` (its gain w.r.t.
    ``S + {prev_best}``) and ``flag`` (the size of ``S`` then). Popping ``u``:

    - ``flag == |S|``: ``u`` is the next seed;
    - ``prev_best`` is the seed just added and ``flag == |S| - 1``: ``mg1 = mg2``, no oracle call;
    - otherwise recompute ``mg1``, and ``mg2`` w.r.t. ``S + {cur_best}``.

    ``cur_best`` is the node of largest ``mg1`` examined since the last seed was added. Same
    seeds as :func:`greedy` for a deterministic submodular oracle.

    Notes
    -----
    Deviation from the paper's cost model: the paper computes ``mg1`` and ``mg2`` in the same
    Monte Carlo simulations, so an evaluation costs about one. Through a generic oracle they are
    two calls, ``oracle(S + [u])`` and ``oracle(S + [cur_best, u])`` (the value of ``S +
    [cur_best]`` is already known); CELF++ therefore makes *more* oracle calls than CELF on
    many inputs, but saves the re-evaluations counted in ``record["mg2_reuses"]``.
    ``record["oracle_calls"]`` is the honest count.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1, 3], [1, 2, 2, 4], weights=1.0)
    >>> cover = {0: {0, 1, 2}, 1: {1, 2}, 2: {2}, 3: {3, 4}, 4: {4}}
    >>> reach = lambda ids: float(len(set().union(*(cover[int(u)] for u in ids))))
    >>> im.celfpp(G, 2, oracle=reach).seeds
    (0, 3)
    """
    func = "celfpp"
    sw = Stopwatch()
    k, cands, f, params = _setup(func, G, k, oracle, model, n_simulations, rng, candidates,
                                  sw)
    S: list[int] = []
    cur = 0.0
    gains, spreads = [], []
    mg1, mg2, val, val2, prev_best, flag = {}, {}, {}, {}, {}, {}
    reuses = 0
    last_seed = -1
    cur_best, cur_best_mg1, cur_best_val = -1, -math.inf, 0.0
    heap = []
    with Progress(len(cands), f"{func} first pass", progress) as bar:
        for u in cands:
            bar.update(1)
            v1 = f([u])
            mg1[u], val[u], flag[u], prev_best[u] = v1, v1, 0, cur_best
            if cur_best >= 0:
                v2 = f([cur_best, u])
                mg2[u], val2[u] = v2 - cur_best_val, v2
            else:
                mg2[u], val2[u] = mg1[u], v1
            heap.append((-mg1[u], u))
            if mg1[u] > cur_best_mg1:
                cur_best, cur_best_mg1, cur_best_val = u, mg1[u], v1
    heapq.heapify(heap)
    with Progress(k, func, progress) as bar:
        while len(S) < k:
            _, u = heapq.heappop(heap)
            if flag[u] == len(S):
                S.append(u)
                cur = val[u]
                gains.append(mg1[u])
                spreads.append(cur)
                last_seed = u
                cur_best, cur_best_mg1, cur_best_val = -1, -math.inf, 0.0
                bar.update(1)
                continue
            if prev_best[u] == last_seed and flag[u] == len(S) - 1:
                mg1[u], val[u] = mg2[u], val2[u]
                reuses += 1
            else:
                v1 = f(S + [u])
                mg1[u], val[u], prev_best[u] = v1 - cur, v1, cur_best
                if cur_best >= 0:
                    v2 = f(S + [cur_best, u])
                    mg2[u], val2[u] = v2 - cur_best_val, v2
                else:
                    mg2[u], val2[u] = mg1[u], v1
            flag[u] = len(S)
            if mg1[u] > cur_best_mg1:
                cur_best, cur_best_mg1, cur_best_val = u, mg1[u], val[u]
            heapq.heappush(heap, (-mg1[u], u))
    return _finish(G, func, S, gains, spreads, f, sw, params, k, len(cands),
                   {"mg2_reuses": reuses})
