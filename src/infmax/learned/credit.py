"""Credit Distribution (Goyal, Bonchi, Lakshmanan, VLDB 2011): seeds from an action log.

Influence maximization without a diffusion model.

Each action (a cascade) gives its participants credit for each other's adoption: a user ``u``
who performs action ``a`` at ``t(u)`` after some of its social in-neighbours did divides a
*direct credit* among them,

    gamma_{v,u}(a) = infl(u) / N_in(u, a) * exp(-(t(u) - t(v)) / tau_{v,u}),

and credit flows back along the chains of the action, ``Gamma_{v,u}(a) = sum_{w in N_in(u,a)}
Gamma_{v,w}(a) gamma_{w,u}(a)`` (``Gamma_{v,v} = 1``). A set ``S`` earns ``Gamma_{S,u}(a) = 1``
for ``u in S``, else ``sum_w Gamma_{S,w}(a) gamma_{w,u}(a)``; the influence spread is
``sigma_cd(S) = sum_u (1 / A_u) sum_a Gamma_{S,u}(a)``, monotone and submodular, maximised by
greedy with CELF and the paper's incremental marginal-gain update.

- :func:`credit_table`: the learned quantities (tau, influenceability, direct and total
  credits) as a :class:`CreditTable`.
- :func:`credit_distribution`: ``k`` seeds, a :class:`~infmax.results.SeedResult`.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._memory import check as check_memory
from .._memory import guard, resolve_limit
from .._progress import Progress
from .._validation import Interval, check, check_choice, check_graph, check_k, fail
from ..graph.cascades import Cascades
from ..results import Stopwatch, make_result
from . import _kernels as _kern

if TYPE_CHECKING:
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["CreditTable", "credit_table", "credit_distribution"]

#: cascades per parent-finding kernel call, and parent entries read per credit-scan call
_CASCADES_PER_CALL = 256
_WORK_PER_CALL = 4_000_000
#: first size of the total-credit buffer, in entries per log item (grown by doubling)
_ENTRIES_PER_ITEM = 4


@dataclass(frozen=True, eq=False, repr=False)
class CreditTable:
    """What Credit Distribution learns from an action log (arrays over log items).

    Items are the (user, action) pairs of ``cascades`` in its column order: item ``j`` is user
    ``cascades.users[j]`` performing action (cascade) ``action[j]`` at ``cascades.times[j]``.

    Attributes
    ----------
    cascades : Cascades
        The action log (ids shared with the social graph when there is one).
    truncation : float
        lambda: credit contributions below it were dropped.
    parents : str
        ``"graph"`` (social in-neighbours that acted earlier) or ``"earlier participants"``
        (no social graph: everyone who performed the action earlier).
    actions_per_user : ndarray of int64
        ``A_u`` per user id.
    influenceability : ndarray of float64
        ``infl(u)`` per user id (0 for users who never act after a potential influencer).
    action : ndarray of int64
        The action of each item.
    par_ptr, par_item : ndarray of int64
        Potential influencers ``N_in`` of item ``j``: items ``par_item[par_ptr[j]:par_ptr[j+1]]``.
    delay, tau, gamma : ndarray of float64
        Per influencer entry: ``t(u) - t(v)``, ``tau_{v,u}`` and the direct credit.
    ent_ptr, ent_anc, ent_credit : ndarray
        Total credits ``Gamma_{v,u}(a) >= truncation`` to item ``j`` from items
        ``ent_anc[ent_ptr[j]:ent_ptr[j+1]]`` (ascending).
    """

    cascades: Cascades
    truncation: float
    parents: str
    actions_per_user: np.ndarray
    influenceability: np.ndarray
    action: np.ndarray
    par_ptr: np.ndarray
    par_item: np.ndarray
    delay: np.ndarray
    tau: np.ndarray
    gamma: np.ndarray
    ent_ptr: np.ndarray
    ent_anc: np.ndarray
    ent_credit: np.ndarray

    def __repr__(self) -> str:
        return (f"CreditTable(actions={len(self.cascades)}, items={self.action.size}, "
                f"influencer_entries={self.par_item.size}, credits={self.ent_anc.size}, "
                f"truncation={self.truncation:g}, parents={self.parents!r})")

    def _labels(self, item_ids: np.ndarray) -> list:
        return self.cascades.node_labels(np.asarray(self.cascades.users)[item_ids])

    def _child_items(self) -> np.ndarray:
        return np.repeat(np.arange(self.action.size), np.diff(self.par_ptr))

    def direct_credits(self) -> dict[tuple[int, object, object], float]:
        """Return ``{(action, v, u): gamma_{v,u}(action)}`` in original labels (all influencers)."""
        child = self._child_items()
        return dict(zip(zip(self.action[child].tolist(), self._labels(self.par_item),
                            self._labels(child)), self.gamma.tolist()))

    def total_credits(self) -> dict[tuple[int, object, object], float]:
        """Return ``{(action, v, u): Gamma_{v,u}(action)}`` in original labels (kept entries)."""
        tgt = np.repeat(np.arange(self.action.size), np.diff(self.ent_ptr))
        return dict(zip(zip(self.action[tgt].tolist(), self._labels(self.ent_anc),
                            self._labels(tgt)), self.ent_credit.tolist()))

    def time_constants(self) -> dict[tuple[object, object], float]:
        """Return ``{(v, u): tau_{v,u}}``, the mean delay of ``u`` after its influencer ``v``."""
        child = self._child_items()
        return dict(zip(zip(self._labels(self.par_item), self._labels(child)),
                        self.tau.tolist()))


def _resolve(func: str, cascades: object, graph: object) -> Cascades:
    if not isinstance(cascades, Cascades):
        fail(func, "cascades", "a Cascades collection", type(cascades).__name__)
    if graph is not None:
        check_graph(func, graph, param="graph")
        if cascades.graph is not graph:
            cascades = cascades.with_graph(graph)
    return cascades


def _blocks(total: int, step: int):
    for lo in range(0, total, step):
        yield lo, min(lo + step, total)


def _build(func: str, C: Cascades, truncation: float, limit: int) -> CreditTable:
    """Influencers, tau, influenceability, direct credits, then the total-credit scan."""
    G = C.graph
    off = np.asarray(C.offsets, dtype=np.int64)
    users = np.asarray(C.users, dtype=np.int64)
    times = np.asarray(C.times, dtype=np.float64)
    n_ids, items, n_casc = C.n_ids, int(users.size), len(C)
    use_graph = G is not None
    if use_graph:
        rindptr = np.asarray(G.rindptr, dtype=np.int64)
        rindices = np.asarray(G.rindices, dtype=np.int64)
        n_graph = G.n
    else:
        rindptr, rindices, n_graph = np.zeros(1, np.int64), np.zeros(0, np.int64), 0
    A = np.bincount(users, minlength=n_ids).astype(np.int64)
    pos = np.full(n_ids, -1, dtype=np.int64)
    counts = np.zeros(items, dtype=np.int64)
    for lo, hi in _blocks(n_casc, _CASCADES_PER_CALL):
        _kern.count_parents(off, users, times, rindptr, rindices, n_graph, use_graph, pos, lo,
                            hi, counts)
        checkpoint()
    par_ptr = np.zeros(items + 1, dtype=np.int64)
    np.cumsum(counts, out=par_ptr[1:])
    n_par = int(par_ptr[-1])
    what = "the potential influencers of every (user, action) pair"
    hint = "pass a social graph (graph=...) or split the log"
    check_memory(func, 6 * 8.0 * n_par, limit, what=what, hint=hint)
    with guard(func, what=what, hint=hint):
        par_item = np.empty(n_par, dtype=np.int64)
        for lo, hi in _blocks(n_casc, _CASCADES_PER_CALL):
            _kern.fill_parents(off, users, times, rindptr, rindices, n_graph, use_graph, pos, lo,
                               hi, par_ptr, par_item)
            checkpoint()
        child = np.repeat(np.arange(items, dtype=np.int64), counts)
        delay = times[child] - times[par_item]
        key = users[par_item] * n_ids + users[child]
        _, inv = np.unique(key, return_inverse=True)
        tau_pair = np.bincount(inv, weights=delay) / np.bincount(inv)
        tau = tau_pair[inv]
        del key, inv, tau_pair
    influenced = np.zeros(items, dtype=bool)
    influenced[child[delay <= tau]] = True
    infl = np.bincount(users[influenced], minlength=n_ids) / np.maximum(A, 1)
    gamma = infl[users[child]] / counts[child] * np.exp(-delay / tau)
    del child
    # total credits: grow the buffer by doubling when a cascade does not fit
    cap = max(_ENTRIES_PER_ITEM * items, 16)
    ent_ptr = np.zeros(items + 1, dtype=np.int64)
    acc = np.zeros(items, dtype=np.float64)
    flag = np.zeros(items, dtype=np.uint8)
    touched = np.zeros(int(np.diff(off).max()) if n_casc else 1, dtype=np.int64)
    what, hint = "the total credits", "raise truncation (lambda) or split the log"
    check_memory(func, 16.0 * cap, limit, what=what, hint=hint)
    ent_anc = np.empty(cap, dtype=np.int64)
    ent_credit = np.empty(cap, dtype=np.float64)
    c, n_ent = 0, 0
    while c < n_casc:
        c, n_ent, overflow = _kern.credit_scan(off, par_ptr, par_item, gamma, truncation, c,
                                               n_casc, _WORK_PER_CALL, ent_ptr, ent_anc,
                                               ent_credit, n_ent, acc, flag, touched)
        c, n_ent = int(c), int(n_ent)
        if overflow:
            cap *= 2
            check_memory(func, 16.0 * cap, limit, what=what, hint=hint)
            with guard(func, what=what, hint=hint):
                ent_anc = np.concatenate([ent_anc[:n_ent], np.empty(cap - n_ent, np.int64)])
                ent_credit = np.concatenate([ent_credit[:n_ent],
                                             np.empty(cap - n_ent, np.float64)])
        checkpoint()
    ent_ptr[items] = n_ent
    action = np.repeat(np.arange(n_casc, dtype=np.int64), np.diff(off))
    return CreditTable(C, float(truncation), "graph" if use_graph else "earlier participants",
                       A, infl, action, par_ptr, par_item, delay, tau, gamma, ent_ptr,
                       ent_anc[:n_ent].copy(), ent_credit[:n_ent].copy())


def credit_table(cascades: Cascades, *, graph: DiGraph | None = None,
                 truncation: float = 0.001, max_memory: int | None = None) -> CreditTable:
    """Learn Credit Distribution's time constants, influenceability and credits from a log.

    Parameters
    ----------
    cascades : Cascades
        The action log: one cascade per action, users in adoption order with times.
    graph : DiGraph, optional
        Social graph (an arc ``v -> u``: ``u`` may be influenced by ``v``); default
        ``cascades.graph``. Without one, every earlier participant of an action is a potential
        influencer (labelled ``parents="earlier participants"``).
    truncation : float in [0, 1), default 0.001
        lambda: a credit contribution below it is dropped (0 keeps every credit).
    max_memory : int, optional
        Bytes allowed for the tables (default: available memory minus a margin).

    Returns
    -------
    CreditTable

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.learned.credit import credit_table
    >>> G = im.graph.from_edges(["a", "b"], ["b", "c"])
    >>> log = im.Cascades.from_lists([["a", "b", "c"], ["a", "b"]], [[0, 1, 3], [0, 1]])
    >>> table = credit_table(log, graph=G)
    >>> table.time_constants()[("a", "b")], table.influenceability.tolist()
    (1.0, [0.0, 1.0, 1.0])
    >>> round(table.total_credits()[(0, "a", "c")], 4)   # a -> b -> c: e^-1 * e^-1
    0.1353
    """
    func = "credit_table"
    C = _resolve(func, cascades, graph)
    truncation = check(func, "truncation", truncation, Interval(float, 0, 1, closed="left"))
    limit = resolve_limit(func, max_memory)
    with interruptible():
        return _build(func, C, truncation, limit)


def credit_distribution(cascades: Cascades, k: int, *, graph: DiGraph | None = None,
                        truncation: float = 0.001, seeds_from: str = "initiators",
                        max_memory: int | None = None, progress: bool | None = None,
                        rng: RngLike = None) -> SeedResult:
    """Select ``k`` seeds from an action log with Credit Distribution (Goyal et al., VLDB 2011).

    Learns the credits (:func:`credit_table`), then greedy with CELF on ``sigma_cd``: the
    marginal gain of ``x`` given ``S`` is ``sum_a (1 - Gamma_{S,x}(a)) sum_u
    Gamma^{V-S}_{x,u}(a) / A_u`` (``u = x`` included, ``Gamma_{x,x} = 1``), and after each pick the
    credits are updated incrementally (credits to the seed set grow, paths through the seed
    leave the graph). Deterministic; ties go to the lowest user id.

    Parameters
    ----------
    cascades : Cascades
        The action log (training cascades).
    k : int
        Number of seeds, at most the number of candidates.
    graph : DiGraph, optional
        Social graph; default ``cascades.graph``; without one, every earlier participant of
        an action is a potential influencer.
    truncation : float in [0, 1), default 0.001
        lambda, the paper's setting.
    seeds_from : {"initiators", "users"}, default "initiators"
        Candidates: the initiators of trainable cascades (as every cascade selector of infmax,
        so that DNI can score them), or every user of the log (the paper).
    max_memory : int, optional
        Bytes allowed for the tables.
    progress : bool, optional
        Progress bar on stderr.
    rng : ignored
        Accepted for the common selector signature; nothing is random.

    Returns
    -------
    SeedResult
        Seeds as original labels in selection order; ``spread``: ``sigma_cd`` of the seeds
        (sum of the gains). Timings ``credits`` (learning and scan) and ``selection``.

    Notes
    -----
    - Action log: one cascade = one action; ``A_u`` counts every cascade ``u`` appears in,
      single-user cascades included. Potential influencers of ``u`` in ``a``: social
      in-neighbours (arc ``v -> u``) who performed ``a`` strictly earlier. Without a social
      graph (twitter-forest, memetracker, douban), every earlier participant is one (the
      cascade is taken as a complete time-ordered graph; ``record["parents"]`` says which).
      With a graph, users absent from it (half of twitter-topolstm's) neither give nor get
      credit, but their actions still count in their own ``A_u``.
    - ``tau_{v,u}``: the mean delay ``t(u) - t(v)`` over the actions where ``v`` is a potential
      influencer of ``u`` (always > 0: influencers act strictly earlier).
    - ``infl(u)``: the fraction of ``u``'s actions performed within ``tau_{v,u}`` of some
      potential influencer ``v`` (the authors' definition of acting "under influence").
    - Truncation: every contribution to a total credit, direct (``gamma``) or propagated
      (``Gamma_{w,v} gamma_{v,u}``), below lambda is dropped, so the stored total credits are
      at least lambda. In the update, a credit dropped this way is not recreated and a
      difference below 0 is clamped to 0.
    - Candidates default to initiators (``seeds_from``): a deviation from the paper, which
      ranks every user, made so that the seeds can start held-out cascades (DNI).
    - Vectorised: finding influencers, the scan and the gain/update steps are numba kernels over
      flat arrays (CSR of credits by target item, with an index by source item), in bounded
      calls with interrupt checkpoints.
    """
    func = "credit_distribution"
    sw = Stopwatch()
    C = _resolve(func, cascades, graph)
    truncation = check(func, "truncation", truncation, Interval(float, 0, 1, closed="left"))
    seeds_from = check_choice(func, "seeds_from", seeds_from, ("initiators", "users"))
    limit = resolve_limit(func, max_memory)
    users = np.asarray(C.users, dtype=np.int64)
    if seeds_from == "initiators":
        cands = np.unique(np.asarray(C.initiators, dtype=np.int64)[C.trainable])
    else:
        cands = np.unique(users)
    k = check_k(func, k, int(cands.size))
    with interruptible():
        with sw("credits"):
            T = _build(func, C, truncation, limit)
        with sw("selection"):
            seeds, gains, evals = _select(T, cands, k, progress)
    del rng
    return make_result(C, "credit-distribution", seeds, stopwatch=sw,
                       params={"k": k, "truncation": truncation, "seeds_from": seeds_from},
                       record={"parents": T.parents, "marginal_gains": gains,
                               "gain_evaluations": evals, "candidates": int(cands.size),
                               "credit_entries": int(T.ent_anc.size),
                               "influencer_entries": int(T.par_item.size)},
                       spread=float(np.sum(gains)))


def _select(T: CreditTable, cands: np.ndarray, k: int,
            progress: bool | None) -> tuple[np.ndarray, list[float], int]:
    """CELF over the credit gains with the incremental update."""
    users = np.asarray(T.cascades.users, dtype=np.int64)
    items = users.size
    n_ids = T.actions_per_user.size
    inv_a = 1.0 / np.maximum(T.actions_per_user, 1)
    item_inv = inv_a[users]
    credit = T.ent_credit.copy()                 # updated in place as seeds are chosen
    ent_tgt = np.repeat(np.arange(items, dtype=np.int64), np.diff(T.ent_ptr))
    out_ent = np.argsort(T.ent_anc, kind="stable").astype(np.int64)
    out_ptr = np.zeros(items + 1, dtype=np.int64)
    np.cumsum(np.bincount(T.ent_anc, minlength=items), out=out_ptr[1:])
    u_order = np.argsort(users, kind="stable").astype(np.int64)
    u_ptr = np.zeros(n_ids + 1, dtype=np.int64)
    np.cumsum(np.bincount(users, minlength=n_ids), out=u_ptr[1:])
    sc = np.zeros(items, dtype=np.float64)
    # first pass, vectorised: every credit counts in full (S is empty)
    per_item = item_inv + np.bincount(T.ent_anc, weights=credit * item_inv[ent_tgt],
                                      minlength=items)
    first = np.bincount(users, weights=per_item, minlength=n_ids)
    heap = [(-float(first[u]), int(u)) for u in cands.tolist()]
    heapq.heapify(heap)
    flag = np.zeros(n_ids, dtype=np.int64)
    seeds: list[int] = []
    gains: list[float] = []
    evals = int(cands.size)
    with Progress(k, "credit_distribution", progress) as bar:
        while len(seeds) < k:
            neg, x = heapq.heappop(heap)
            its = u_order[u_ptr[x]:u_ptr[x + 1]]
            if flag[x] == len(seeds):
                seeds.append(x)
                gains.append(-neg)
                _kern.absorb_seed(its, sc, T.ent_ptr, T.ent_anc, credit, out_ptr, out_ent,
                                  ent_tgt)
                bar.update(1)
                checkpoint()
                continue
            g = _kern.user_gain(its, inv_a[x], sc, out_ptr, out_ent, credit, ent_tgt, item_inv)
            evals += 1
            flag[x] = len(seeds)
            heapq.heappush(heap, (-float(g), x))
            checkpoint()
    return np.asarray(seeds, dtype=np.int32), gains, evals
