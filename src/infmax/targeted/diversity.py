"""The four monotone submodular diversity functions of ADITUM over categorical profiles.

Every function is an object with the same small protocol:

- ``value(ids)``: the set value ``div(S)`` computed from scratch;
- ``state()``: a fresh :class:`DiversityState` for ``S = {}``;
- ``gain(state, v)``: ``div(S + v) - div(S)`` for the set held by ``state``;
- ``add(state, v)``: add ``v`` to ``state`` (incremental update; ``state.value`` follows).

``ids`` and ``v`` are internal node ids (rows of the :class:`~.profiles.Profiles`).

References
----------
A. Caliò, A. Tagarelli, "Monotone submodular diversity functions for categorical vectors with
application to diversification of seeds for targeted influence maximization", Sect. 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import Interval, check, check_graph, check_node_values, fail
from .profiles import Profiles

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph
    from ..sampling import RRSets

__all__ = ["DiversityState", "AttributeDiversity", "HammingDiversity", "EntropyDiversity",
           "ClassDiversity", "CoverageDiversity"]


@dataclass
class DiversityState:
    """The incremental state of one seed set: its members, its value and per-function data."""

    members: list = field(default_factory=list)
    value: float = 0.0
    data: dict = field(default_factory=dict)


def _profiles(func: str, profiles: object) -> Profiles:
    if not isinstance(profiles, Profiles):
        fail(func, "profiles", "a Profiles object", type(profiles).__name__)
    return profiles


class _Base:
    profiles: Profiles
    _name = "diversity"

    @property
    def n(self) -> int:
        """Number of nodes the function is defined over."""
        return self.profiles.n

    def _ids(self, ids: ArrayLike) -> np.ndarray:
        a = np.unique(np.asarray(ids, dtype=np.int64).ravel())
        if a.size and (a[0] < 0 or a[-1] >= self.n):
            fail(f"{self._name}.value", "ids", f"internal ids in [0, {self.n})",
                 a.tolist()[:10])
        return a

    def _node(self, v: object) -> int:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or \
                not 0 <= int(v) < self.n:
            fail(f"{self._name}.gain", "v", f"an internal id in [0, {self.n})", v)
        return int(v)

    def state(self) -> DiversityState:
        """Return a fresh state for the empty set."""
        return DiversityState(data=self._empty())

    def add(self, state: DiversityState, v: int) -> float:
        """Add ``v`` to ``state``; returns the gain. Adding a member again changes nothing."""
        v = self._node(v)
        if v in state.members:
            return 0.0
        g = self._add(state, v)
        state.members.append(v)
        state.value += g
        return g

    def gain(self, state: DiversityState, v: int) -> float:
        """Marginal gain ``div(S + v) - div(S)`` of ``v`` for the set held by ``state``."""
        v = self._node(v)
        return 0.0 if v in state.members else self._gain(state, v)


class AttributeDiversity(_Base):
    r"""Attribute-wise diversity.

    ``div(S) = sum_i w_i sum_x sum_{j=1..n_{i,x}(S)} j^(-lambda)``, with ``n_{i,x}(S)`` the
    seeds whose attribute i has value x; gain of v: ``sum_i w_i (n_{i,t_v[i]}(S) + 1)^(-lambda)``
    (constant time per attribute).

    Parameters
    ----------
    profiles : Profiles
    weights : array of float, length m, optional
        ``w_i >= 0``; default ``1/m``.
    lam : float >= 0
        The exponent lambda (1: harmonic numbers).

    References
    ----------
    Caliò and Tagarelli (ADITUM), Sect. 4.2, Eqs. (3)-(4) and Fact 1.
    """

    _name = "AttributeDiversity"

    def __init__(self, profiles: Profiles, *, weights: ArrayLike | None = None,
                 lam: float = 1.0) -> None:
        func = self._name
        self.profiles = _profiles(func, profiles)
        m = profiles.m
        self.weights = np.full(m, 1.0 / m) if weights is None else \
            check_node_values(func, "weights", weights, m)
        self.lam = check(func, "lam", lam, Interval(float, 0.0, None))
        self._pos = profiles.positions
        self._n_pos = int(profiles.offsets[-1])
        self._attr_of_pos = np.repeat(np.arange(m), profiles.n_values)

    def value(self, ids: ArrayLike) -> float:
        """``div(S)`` from the value counts of ``ids``."""
        a = self._ids(ids)
        counts = np.bincount(self._pos[a].ravel(), minlength=self._n_pos)
        terms = np.arange(1, max(int(counts.max(initial=0)), 1) + 1, dtype=np.float64)
        cum = np.concatenate(([0.0], np.cumsum(terms ** -self.lam)))
        return float(np.sum(self.weights[self._attr_of_pos] * cum[counts]))

    def _empty(self) -> dict:
        return {"counts": np.zeros(self._n_pos, dtype=np.int64)}

    def _gain(self, state: DiversityState, v: int) -> float:
        c = state.data["counts"][self._pos[v]]
        return float(np.sum(self.weights * (c + 1.0) ** -self.lam))

    def _add(self, state: DiversityState, v: int) -> float:
        g = self._gain(state, v)
        state.data["counts"][self._pos[v]] += 1
        return g


class HammingDiversity(_Base):
    r"""Hamming-ball diversity.

    ``B(v) = {u reachable from v : d_H(t_u, t_v) <= radius}`` (v itself included) and
    ``div(S) = |union_{s in S} B(s)|``; the gain of v is the number of nodes of ``B(v)`` not yet
    covered.

    Parameters
    ----------
    profiles : Profiles
    radius : int >= 0
        Hamming radius.
    reach : DiGraph or RRSets
        Reachability. A ``DiGraph``: graph search along the arcs of positive probability
        (``u`` reachable from ``v`` if a path leads from v to u). An ``RRSets`` collection:
        the nodes that share an RR set with v (METHODS.md: the sampled influence range).

    References
    ----------
    Caliò and Tagarelli (ADITUM), Sect. 4.3, Eqs. (6)-(8) and Fact 2.
    """

    _name = "HammingDiversity"

    def __init__(self, profiles: Profiles, *, radius: int, reach: Any) -> None:  # noqa: ANN401
        func = self._name
        self.profiles = _profiles(func, profiles)
        self.radius = check(func, "radius", radius, Interval(int, 0, None))
        from ..graph import DiGraph
        from ..sampling import RRSets
        if isinstance(reach, DiGraph):
            check_graph(func, reach, param="reach")
            self.mode = "graph"
        elif isinstance(reach, RRSets):
            self.mode = "rr"
        else:
            fail(func, "reach", "a DiGraph (graph search) or an RRSets collection",
                 type(reach).__name__)
        if reach.n != profiles.n:
            fail(func, "reach", f"a graph or RR sets over the {profiles.n} profiled nodes",
                 f"n = {reach.n}")
        self._reach_src = reach
        self._balls: dict[int, np.ndarray] = {}

    def _reachable(self, v: int) -> np.ndarray:
        src = self._reach_src
        if self.mode == "graph":
            return _graph_reach(src, v)
        R: RRSets = src
        inv_ptr, inv_sets = R.inverted_index()
        sets = inv_sets[inv_ptr[v]:inv_ptr[v + 1]]
        off, nodes = R.offsets, R.nodes
        parts = [nodes[off[s]:off[s + 1]] for s in sets]
        return np.unique(np.concatenate([np.array([v], dtype=np.int64), *parts]))

    def ball(self, v: int) -> np.ndarray:
        """``B(v)`` as ascending internal ids (cached)."""
        v = self._node(v)
        b = self._balls.get(v)
        if b is None:
            r = self._reachable(v)
            d = np.count_nonzero(self.profiles.codes[r] != self.profiles.codes[v], axis=1)
            b = r[d <= self.radius]
            b.setflags(write=False)
            self._balls[v] = b
        return b

    def value(self, ids: ArrayLike) -> float:
        """``|union of the balls of ids|``."""
        a = self._ids(ids)
        if a.size == 0:
            return 0.0
        return float(np.unique(np.concatenate([self.ball(int(s)) for s in a])).shape[0])

    def _empty(self) -> dict:
        return {"covered": np.zeros(self.profiles.n, dtype=bool)}

    def _gain(self, state: DiversityState, v: int) -> float:
        return float(np.count_nonzero(~state.data["covered"][self.ball(v)]))

    def _add(self, state: DiversityState, v: int) -> float:
        g = self._gain(state, v)
        state.data["covered"][self.ball(v)] = True
        return g


def _graph_reach(G: DiGraph, v: int) -> np.ndarray:
    """Nodes reachable from ``v`` along arcs of positive probability (v included)."""
    seen = np.zeros(G.n, dtype=bool)
    seen[v] = True
    frontier = np.array([v], dtype=np.int64)
    indptr, indices, live = G.indptr, G.indices, G.probs > 0
    while frontier.size:
        nxt = [indices[indptr[u]:indptr[u + 1]][live[indptr[u]:indptr[u + 1]]]
               for u in frontier]
        cand = np.unique(np.concatenate(nxt)) if nxt else frontier[:0]
        frontier = cand[~seen[cand]]
        seen[frontier] = True
    return np.flatnonzero(seen)


def _h(p: np.ndarray) -> np.ndarray:
    """Elementwise ``-p ln p`` with ``0 ln 0 = 0``."""
    p = np.asarray(p, dtype=np.float64)
    out = np.zeros_like(p)
    pos = p > 0
    out[pos] = -p[pos] * np.log(p[pos])
    return out


class EntropyDiversity(_Base):
    r"""Entropy-based diversity (in nats).

    Each (attribute, value) position ``a`` is an outcome with probability ``p(a)``, its
    relative frequency among all nodes' profiles (``count(a) / (n m)``). Node v defines the
    indicator ``X_v(a) = 1`` iff ``a`` is one of v's m positions. ``div(S)`` is the joint
    Shannon entropy ``H(X_S)`` of the indicators of the seeds: positions with the same 0-1
    tuple over ``S`` are one outcome (all positions outside the seeds' profiles share the
    all-zero tuple). The gain of v is the conditional entropy ``H(X_v | X_S)``: each current
    outcome of probability ``P`` splits into the part inside v's profile (``P1``) and the rest
    (``P0``), and the gain is ``sum (h(P1) + h(P0) - h(P))``, ``h(x) = -x ln x``, over the at
    most m outcomes v touches.

    References
    ----------
    Caliò and Tagarelli (ADITUM), Sect. 4.4, Definitions 5-6, Eq. (9) and Fact 3; joint
    entropy is monotone submodular (Fujishige 1978).
    """

    _name = "EntropyDiversity"

    def __init__(self, profiles: Profiles) -> None:
        self.profiles = _profiles(self._name, profiles)
        self._pos = profiles.positions
        n_pos = int(profiles.offsets[-1])
        counts = np.bincount(self._pos.ravel(), minlength=n_pos).astype(np.float64)
        self.p = counts / counts.sum() if counts.sum() > 0 else counts

    def value(self, ids: ArrayLike) -> float:
        """``H(X_S)`` from the 0-1 tuples of all positions."""
        a = self._ids(ids)
        if a.size == 0:
            return 0.0
        member = np.zeros((self.p.shape[0], a.size), dtype=np.uint8)
        for j, s in enumerate(a):
            member[self._pos[s], j] = 1
        _, inv = np.unique(member, axis=0, return_inverse=True)
        probs = np.bincount(inv.ravel(), weights=self.p)
        return float(_h(probs).sum())

    def _empty(self) -> dict:
        return {"group": np.zeros(self.p.shape[0], dtype=np.int64),
                "prob": [float(self.p.sum())]}

    def _split(self, state: DiversityState, v: int) -> tuple[np.ndarray, np.ndarray]:
        g = state.data["group"][self._pos[v]]
        groups, inv = np.unique(g, return_inverse=True)
        p1 = np.bincount(inv.ravel(), weights=self.p[self._pos[v]])
        return groups, p1

    def _gain(self, state: DiversityState, v: int) -> float:
        groups, p1 = self._split(state, v)
        P = np.asarray(state.data["prob"])[groups]
        p0 = np.maximum(P - p1, 0.0)
        return float(max(np.sum(_h(p1) + _h(p0) - _h(P)), 0.0))

    def _add(self, state: DiversityState, v: int) -> float:
        g = self._gain(state, v)
        groups, p1 = self._split(state, v)
        grp, prob = state.data["group"], state.data["prob"]
        pos = self._pos[v]
        for gid, q in zip(groups.tolist(), p1.tolist()):
            new = len(prob)
            prob.append(q)
            prob[gid] = max(prob[gid] - q, 0.0)
            grp[pos[grp[pos] == gid]] = new
        return g


class ClassDiversity(_Base):
    r"""Class-based diversity.

    ``div(S) = sum_c f(sum_{s in S, class(s) = c} r_s)`` with f concave non-decreasing,
    ``f(0) = 0``; default ``f = ln(1 + x)``, whose gain is ``ln((1 + R_c + r_v) / (1 + R_c))``.

    Parameters
    ----------
    profiles : Profiles
    classes : array of int, length n, optional
        The class of each node; default: the code of the first attribute.
    rewards : array of float, length n, optional
        Selection rewards ``r_v >= 0``; default 1.
    f : callable, optional
        A concave non-decreasing function on ``[0, inf)`` with ``f(0) = 0``, applied to
        floats (the caller answers for concavity: it is what makes div submodular).

    References
    ----------
    Caliò and Tagarelli (ADITUM), Sect. 4.5, Eq. (10) and Proposition 5.
    """

    _name = "ClassDiversity"

    def __init__(self, profiles: Profiles, *, classes: ArrayLike | None = None,
                 rewards: ArrayLike | None = None,
                 f: Callable[[float], float] | None = None) -> None:
        func = self._name
        self.profiles = _profiles(func, profiles)
        n = profiles.n
        if classes is None:
            cls = profiles.codes[:, 0]
        else:
            c = np.asarray(classes)
            if c.shape != (n,) or c.dtype.kind not in "iub":
                fail(func, "classes", f"an int array of length {n}", f"{c.dtype} {c.shape}")
            cls = c.astype(np.int64)
        _, self.classes = np.unique(cls, return_inverse=True)
        self.classes = self.classes.ravel()
        self.n_classes = int(self.classes.max(initial=-1)) + 1
        self.rewards = np.ones(n) if rewards is None else \
            check_node_values(func, "rewards", rewards, n)
        if f is not None and not callable(f):
            fail(func, "f", "a callable (concave, non-decreasing)", f)
        self.f = f if f is not None else math.log1p

    def value(self, ids: ArrayLike) -> float:
        """``sum_c f(R_c(S))``."""
        a = self._ids(ids)
        R = np.bincount(self.classes[a], weights=self.rewards[a], minlength=self.n_classes)
        return float(sum(self.f(float(x)) for x in R[R > 0]))

    def _empty(self) -> dict:
        return {"R": np.zeros(self.n_classes)}

    def _gain(self, state: DiversityState, v: int) -> float:
        R = float(state.data["R"][self.classes[v]])
        r = float(self.rewards[v])
        if self.f is math.log1p:
            return math.log1p(r / (1.0 + R))
        return float(self.f(R + r) - self.f(R))

    def _add(self, state: DiversityState, v: int) -> float:
        g = self._gain(state, v)
        state.data["R"][self.classes[v]] += self.rewards[v]
        return g



class CoverageDiversity(_Base):
    r"""Category-coverage diversity of Deg-D (Tang et al. 2014), for RIS-U / RIS-W and Deg-D.

    ``div(S) = sum_j g(sum_{u in S} f(u) c_{u,j})`` over the J categories, with ``c_{u,j} >= 0``
    node u's (normalised) preference for category j, ``f(u)`` a node weight (1: the uniform
    variant DU; the out-degree: the degree-weighted variant DW) and g concave non-decreasing
    with ``g(0) = 0`` (default ``sqrt``). Monotone and submodular: a concave function of a
    non-negative modular function, summed. The gain of v touches only v's non-zero categories.

    Parameters
    ----------
    preferences : Profiles or array of float, shape (n, J)
        Numerical preferences. A :class:`~.profiles.Profiles` becomes its one-hot
        (attribute, value) indicator matrix divided by m (each row sums to 1). An array has
        its rows normalised to sum 1 (``normalize=True``; a zero row stays zero).
    node_weights : array of float, length n, optional
        ``f(u) >= 0``; default 1 (DU).
    g : callable, optional
        Concave non-decreasing on ``[0, inf)``, ``g(0) = 0``, applied elementwise to float
        arrays; default ``numpy.sqrt`` (Tang et al.'s default).
    normalize : bool
        Normalise the rows of an array of preferences.

    References
    ----------
    F. Tang, Q. Liu, H. Zhu, E. Chen, F. Zhu, "Diversified social influence maximization",
    ASONAM 2014 (the diversity term of Deg-D); Caliò and Tagarelli (ADITUM), Sect. 6, where
    its RIS-integrated forms are RIS-U and RIS-W.
    """

    _name = "CoverageDiversity"

    def __init__(self, preferences: Profiles | ArrayLike, *,
                 node_weights: ArrayLike | None = None,
                 g: Callable[[np.ndarray], np.ndarray] | None = None,
                 normalize: bool = True) -> None:
        import scipy.sparse as sp

        func = self._name
        if isinstance(preferences, Profiles):
            P = preferences
            n, m = P.n, P.m
            C = sp.csr_array((np.full(n * m, 1.0 / m), P.positions.ravel(),
                              np.arange(0, n * m + 1, m)), shape=(n, int(P.offsets[-1])))
        else:
            a = np.asarray(preferences, dtype=np.float64) if not sp.issparse(preferences) \
                else preferences
            if a.ndim != 2 or a.shape[1] < 1:
                fail(func, "preferences", "an n x J array (J >= 1) or a Profiles object",
                     f"shape {a.shape}")
            C = sp.csr_array(a)
            if C.data.size and not (np.all(np.isfinite(C.data)) and C.data.min() >= 0):
                bad = C.data[~(np.isfinite(C.data) & (C.data >= 0))][0]
                fail(func, "preferences", "finite values >= 0", float(bad))
            if normalize:
                rs = np.asarray(C.sum(axis=1)).ravel()
                C = sp.csr_array(sp.diags_array(np.divide(1.0, rs, out=np.zeros_like(rs),
                                                          where=rs > 0)) @ C)
            C.eliminate_zeros()
        C.sort_indices()
        self._n = int(C.shape[0])
        self.n_categories = int(C.shape[1])
        self.node_weights = np.ones(self._n) if node_weights is None else \
            check_node_values(func, "node_weights", node_weights, self._n)
        if g is not None and not callable(g):
            fail(func, "g", "a callable (concave, non-decreasing, g(0) = 0)", g)
        self.g = np.sqrt if g is None else g
        self._ptr, self._idx = C.indptr, C.indices
        self._w = C.data * np.repeat(self.node_weights, np.diff(C.indptr))   # f(u) c_{u,j}

    @property
    def n(self) -> int:
        """Number of nodes the function is defined over."""
        return self._n

    def _row(self, v: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = self._ptr[v], self._ptr[v + 1]
        return self._idx[a:b], self._w[a:b]

    def value(self, ids: ArrayLike) -> float:
        """``sum_j g(A_j(S))`` with ``A_j(S) = sum_{u in S} f(u) c_{u,j}``."""
        a = self._ids(ids)
        A = np.zeros(self.n_categories)
        for v in a.tolist():
            j, w = self._row(v)
            A[j] += w
        return float(np.sum(self.g(A)))

    def _empty(self) -> dict:
        return {"A": np.zeros(self.n_categories)}

    def _gain(self, state: DiversityState, v: int) -> float:
        j, w = self._row(v)
        A = state.data["A"][j]
        return float(max(np.sum(self.g(A + w) - self.g(A)), 0.0))

    def _add(self, state: DiversityState, v: int) -> float:
        g = self._gain(state, v)
        j, w = self._row(v)
        state.data["A"][j] += w
        return g
