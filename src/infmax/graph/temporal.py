"""Temporal contact networks cut into snapshots: :class:`TemporalGraph`.

A temporal network is a list of contact events ``(i, j, t)``: ``i`` and ``j`` met at time ``t``.
For the SI model of :mod:`infmax.temporal` the events are grouped into ``T`` snapshots (time
windows); inside a snapshot only *who met whom* matters, so each snapshot is stored as a simple
graph (distinct neighbour pairs). All snapshots live in one flat CSR so a single numba kernel walks
them: the neighbours of node ``u`` in snapshot ``t`` are
``indices[indptr[t * n + u]:indptr[t * n + u + 1]]``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _memory
from .._validation import plain
from ..exceptions import InvalidParameterError
from ._digraph import BuildSummary, DiGraph, _assemble, _unique_labels

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..random import RngLike

__all__ = ["TemporalGraph", "TemporalSummary"]

BINNINGS = ("duration", "events")


@dataclass(frozen=True)
class TemporalSummary:
    """What happened while a temporal graph was built (``TemporalGraph.summary``)."""

    n: int
    n_events: int
    n_snapshots: int
    t_min: float
    t_max: float
    directed: bool
    rows_read: int = 0
    self_loops_dropped: int = 0
    events_outside: int = 0
    binning: str = "duration"
    source: str = ""
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        kind = "directed" if self.directed else "undirected"
        s = (f"{self.n:,} nodes, {self.n_events:,} contact events, {self.n_snapshots} snapshots "
             f"({self.binning}) over t = {self.t_min:g} .. {self.t_max:g}, {kind}; "
             f"{self.rows_read:,} rows read, {self.self_loops_dropped:,} self-loops dropped")
        if self.events_outside:
            s += f", {self.events_outside:,} events outside the boundaries dropped"
        return (f"{self.source}: " + s) if self.source else s


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


class TemporalGraph:
    """Contact events cut into ``T`` snapshots; one flat CSR over all snapshots.

    Build it with :meth:`from_events` (arrays of labels and times) or a loader
    (``infmax.datasets.load("hospital", snapshots=10)``,
    :func:`infmax.datasets.temporal.read_contacts`).

    Attributes
    ----------
    n, T : int
        Number of nodes and of snapshots.
    labels : numpy.ndarray
        Original node labels; internal ids are ``0 .. n-1``.
    indptr : int64 array of length ``T * n + 1``; indices : int32 array
        Flat snapshot CSR: row ``t * n + u`` lists the distinct neighbours of ``u`` in snapshot
        ``t`` (both directions for undirected graphs).
    snapshot_offsets : int64 array of length ``T + 1``
        Arc range of each snapshot inside ``indices``.
    boundaries : float64 array of length ``T + 1``
        Snapshot ``t`` holds the events with ``boundaries[t] < time <= boundaries[t + 1]``
        (the first snapshot also holds ``time == boundaries[0]``), as ``pandas.cut`` does.
    events_src, events_dst, events_time, events_snapshot : arrays
        The kept events (ids, times, snapshot index), sorted by time.
    directed : bool
    summary : TemporalSummary

    Notes
    -----
    Snapshots of equal duration (``binning="duration"``) follow the paper and the authors' code
    (``pd.cut(t, bins=T)``); ``binning="events"`` cuts at time quantiles instead so every snapshot
    holds about the same number of events (useful for bursty data such as dnc-email, where 95 % of
    the events fall in the last month of three years). Repeated contacts of a pair inside one
    snapshot collapse into one neighbour pair: in the SI model an infected node gets one chance per
    snapshot per neighbour.

    Examples
    --------
    >>> from infmax.graph.temporal import TemporalGraph
    >>> TG = TemporalGraph.from_events([1, 2, 1], [2, 3, 3], [0, 5, 10], snapshots=2)
    >>> TG
    TemporalGraph(n=3, T=2, events=3, undirected)
    >>> TG.node_labels(TG.neighbors(TG.node_ids([2])[0], 0))  # t=5 closes snapshot 0
    [1, 3]
    """

    def __init__(self, *, n: int, labels: np.ndarray, indptr: np.ndarray, indices: np.ndarray,
                 boundaries: ArrayLike, events_src: np.ndarray, events_dst: np.ndarray,
                 events_time: np.ndarray, events_snapshot: np.ndarray, directed: bool,
                 summary: TemporalSummary) -> None:
        self.n = int(n)
        self.labels = _ro(labels)
        self.indptr = _ro(indptr)
        self.indices = _ro(indices)
        self.boundaries = _ro(np.asarray(boundaries, dtype=np.float64))
        self.T = int(self.boundaries.shape[0] - 1)
        self.events_src = _ro(events_src)
        self.events_dst = _ro(events_dst)
        self.events_time = _ro(events_time)
        self.events_snapshot = _ro(events_snapshot)
        self.directed = bool(directed)
        self.summary = summary

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_events(cls, src: ArrayLike, dst: ArrayLike, times: ArrayLike, *, snapshots: int = 10,
                    boundaries: ArrayLike | None = None, binning: str = "duration",
                    directed: bool = False, nodes: ArrayLike | None = None, source: str = "",
                    rows_read: int | None = None, max_memory: int | None = None) -> TemporalGraph:
        """Build from parallel arrays of contact events ``(src[e], dst[e], times[e])``.

        Parameters
        ----------
        src, dst : array-like
            Original labels of the two people in contact (ints or strings).
        times : array-like of float
            Contact times (any unit; only their order and spacing matter).
        snapshots : int
            Number ``T`` of snapshots (ignored when ``boundaries`` is given).
        boundaries : array-like of float, optional
            ``T + 1`` increasing snapshot boundaries; events outside ``[b_0, b_T]`` are dropped
            (and counted in ``summary.events_outside``).
        binning : {"duration", "events"}
            Equal-duration snapshots (default, the paper's) or equal-event-count snapshots.
        directed : bool
            ``False`` (default): a contact lets infection pass both ways.
        nodes : iterable, optional
            Extra labels to include even when they have no contact.
        max_memory : int, optional
            Bytes the snapshot index (16 bytes per node and snapshot, plus the boundaries) may
            take; default: the available memory minus a margin. Checked before allocating:
            too many snapshots raise MemoryLimitError at once.

        Self-loops are dropped (counted in ``summary``); a node seen only in self-loops stays as
        an isolated node (dnc-email: 1,891 nodes as published, 25 of them isolated).
        Complexity ``O(E log E)``.
        """
        func = "TemporalGraph.from_events"
        limit = _memory.resolve_limit(func, max_memory)
        src = np.asarray(src)
        dst = np.asarray(dst)
        try:
            t = np.asarray(times, dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"The 'times' parameter of {func} must be numbers. Got {times!r:.80}.",
                param="times", value=times) from None
        if src.ndim != 1 or src.shape != dst.shape or src.shape != t.shape:
            raise InvalidParameterError(
                f"The 'src', 'dst' and 'times' parameters of {func} must be 1-D and of equal "
                f"length. Got shapes {src.shape}, {dst.shape} and {t.shape}.", param="src",
                value=(src.shape, dst.shape, t.shape))
        if not np.all(np.isfinite(t)):
            raise InvalidParameterError(
                f"The 'times' parameter of {func} must hold finite numbers. Got "
                f"{plain(t[~np.isfinite(t)][0])!r}.", param="times",
                value=float(t[~np.isfinite(t)][0]))
        if binning not in BINNINGS:
            raise InvalidParameterError(
                f"The 'binning' parameter of {func} must be one of 'duration', 'events'. Got "
                f"{binning!r}.", param="binning", value=binning)
        rows = src.shape[0]
        loops = src == dst
        n_loops = int(loops.sum())
        if n_loops:
            # a node seen only in self-loops stays, isolated (it still counts as a person)
            extra = src[loops]
            nodes = extra if nodes is None else np.concatenate(
                [np.asarray(list(nodes), dtype=extra.dtype if extra.dtype != object else object),
                 extra])
            keep = ~loops
            src, dst, t = src[keep], dst[keep], t[keep]
        if boundaries is None:
            if (isinstance(snapshots, (bool, np.bool_))
                    or not isinstance(snapshots, (int, np.integer)) or snapshots < 1):
                raise InvalidParameterError(
                    f"The 'snapshots' parameter of {func} must be an int >= 1. Got "
                    f"{plain(snapshots)!r}.", param="snapshots", value=snapshots)
            T = int(snapshots)
            b = None  # cut below, once the memory check (which needs n) has passed
            outside = np.zeros(t.shape[0], dtype=bool)
        else:
            b = np.asarray(boundaries, dtype=np.float64)
            if b.ndim != 1 or b.shape[0] < 2 or not np.all(np.isfinite(b)) or \
                    np.any(np.diff(b) <= 0):
                raise InvalidParameterError(
                    f"The 'boundaries' parameter of {func} must be at least 2 increasing finite "
                    f"numbers. Got {boundaries!r:.80}.", param="boundaries", value=boundaries)
            T = b.shape[0] - 1
            outside = (t < b[0]) | (t > b[-1])
        n_out = int(outside.sum())
        if n_out:
            src, dst, t = src[~outside], dst[~outside], t[~outside]
        labels, s, d = _unique_labels(src, dst, nodes)
        n = int(labels.shape[0])
        _check_snapshot_memory(func, T, n, limit)
        if b is None:
            with _memory.guard(func, what=f"the boundaries of {T:,} snapshots",
                               hint=_SNAPSHOT_HINT):
                b = _cut(t, T, binning)
        s = s.astype(np.int64)
        d = d.astype(np.int64)
        snap = np.searchsorted(b[1:-1], t, side="left").astype(np.int64)
        order = np.argsort(t, kind="stable")
        s, d, t, snap = s[order], d[order], t[order], snap[order]
        with _memory.guard(func, what=f"the index of {T:,} snapshots x {n:,} nodes",
                           hint=_SNAPSHOT_HINT):
            indptr, indices = _snapshot_csr(n, T, s, d, snap, directed)
        summary = TemporalSummary(
            n=n, n_events=int(s.shape[0]), n_snapshots=T,
            t_min=float(t.min()) if t.shape[0] else 0.0,
            t_max=float(t.max()) if t.shape[0] else 0.0, directed=bool(directed),
            rows_read=int(rows if rows_read is None else rows_read),
            self_loops_dropped=n_loops, events_outside=n_out,
            binning="given" if boundaries is not None else binning, source=source)
        return cls(n=n, labels=labels, indptr=indptr, indices=indices, boundaries=b,
                   events_src=s.astype(np.int32), events_dst=d.astype(np.int32),
                   events_time=t, events_snapshot=snap.astype(np.int32), directed=directed,
                   summary=summary)

    def with_snapshots(self, snapshots: int = 10, *, boundaries: ArrayLike | None = None,
                       binning: str = "duration", max_memory: int | None = None
                       ) -> TemporalGraph:
        """Cut the same events into a different number of snapshots (or given boundaries)."""
        TG = TemporalGraph.from_events(
            self.labels[self.events_src], self.labels[self.events_dst], self.events_time,
            snapshots=snapshots, boundaries=boundaries, binning=binning,
            directed=self.directed, nodes=self.labels, source=self.summary.source,
            rows_read=self.summary.rows_read, max_memory=max_memory)
        return TG

    # -- structure ---------------------------------------------------------------------------
    @property
    def n_events(self) -> int:
        """Number of timed contacts (events)."""
        return int(self.events_src.shape[0])

    @property
    def snapshot_offsets(self) -> np.ndarray:
        """``(T + 1,)`` offsets into ``indices`` where each snapshot's CSR block starts."""
        return self.indptr[:: self.n][: self.T + 1] if self.n else np.zeros(self.T + 1, np.int64)

    def neighbors(self, u: int, t: int) -> np.ndarray:
        """Ids of the neighbours of id ``u`` in snapshot ``t``."""
        r = t * self.n + u
        return self.indices[self.indptr[r]:self.indptr[r + 1]]

    @cached_property
    def snapshot_degrees(self) -> np.ndarray:
        """``(T, n)`` int array: number of distinct neighbours of each node in each snapshot."""
        return _ro(np.diff(self.indptr).reshape(self.T, self.n)) if self.n else \
            np.zeros((self.T, 0), dtype=np.int64)

    @cached_property
    def degree(self) -> np.ndarray:
        """Degree in the aggregated static graph (distinct neighbours over all snapshots)."""
        return _ro(self.to_static().out_degree.astype(np.int64))

    @cached_property
    def _static(self) -> DiGraph:
        s, d = self.events_src.astype(np.int64), self.events_dst.astype(np.int64)
        if not self.directed:
            s, d = np.minimum(s, d), np.maximum(s, d)
        key = np.unique(s * max(self.n, 1) + d)
        s, d = key // max(self.n, 1), key % max(self.n, 1)
        if not self.directed:
            s, d = np.concatenate([s, d]), np.concatenate([d, s])
        summary = BuildSummary(n=self.n, m=int(s.shape[0]), directed=self.directed,
                               rows_read=self.n_events, merge="first",
                               source=self.summary.source)
        return _assemble(self.n, s.astype(np.int32), d.astype(np.int32),
                         np.ones(s.shape[0], dtype=np.float64), self.labels,
                         directed=self.directed, weighting="uniform:1", summary=summary)

    def to_static(self, weights: str | float | ArrayLike | None = None, *,
                  rng: RngLike = None) -> DiGraph:
        """Aggregate into a static graph (an arc wherever a contact ever happened).

        ``weights`` optionally reweights it (``"wc"``, ``"uniform:0.01"``, ...); by default
        every arc has probability 1. Node ids are the same as this graph's.
        """
        G = self._static
        return G if weights is None else G.reweight(weights, rng=rng)

    def node_ids(self, labels: Iterable[Any], *, param: str = "seeds",
                 func: str = "infmax") -> np.ndarray:
        """Map labels to internal int32 ids; unknown labels raise UnknownNodeError."""
        return self._static.node_ids(labels, param=param, func=func)

    def node_labels(self, ids: Iterable[int]) -> list:
        """Map internal ids back to the original labels."""
        return self.labels[np.asarray(ids, dtype=np.int64)].tolist()

    def snapshot_graph(self, t: int) -> DiGraph:
        """Snapshot ``t`` as a static :class:`DiGraph` (same node ids)."""
        lo, hi = t * self.n, (t + 1) * self.n
        ptr = self.indptr[lo:hi + 1]
        src = np.repeat(np.arange(self.n, dtype=np.int32), np.diff(ptr))
        dst = self.indices[ptr[0]:ptr[-1]]
        summary = BuildSummary(n=self.n, m=int(dst.shape[0]), directed=self.directed,
                               source=f"{self.summary.source} snapshot {t}")
        return _assemble(self.n, src, dst.astype(np.int32), np.ones(dst.shape[0]),
                         self.labels, directed=self.directed, weighting="uniform:1",
                         summary=summary)

    def info(self) -> dict:
        """JSON-ready statistics (nodes, events, distinct pairs, arcs per snapshot, times)."""
        arcs = np.diff(self.snapshot_offsets)
        per = np.bincount(self.events_snapshot, minlength=self.T)
        G = self._static
        return {"n": self.n, "events": self.n_events, "snapshots": self.T,
                "directed": self.directed,
                "distinct_pairs": int(G.m if self.directed else G.m // 2),
                "t_min": self.summary.t_min, "t_max": self.summary.t_max,
                "events_per_snapshot": per.tolist(),
                "pairs_per_snapshot": (arcs if self.directed else arcs // 2).tolist(),
                "boundaries": self.boundaries.tolist(), "summary": str(self.summary)}

    def __repr__(self) -> str:
        kind = "directed" if self.directed else "undirected"
        return f"TemporalGraph(n={self.n}, T={self.T}, events={self.n_events}, {kind})"

    def __reduce__(self):
        return (_rebuild, (self.n, self.labels, self.indptr, self.indices, self.boundaries,
                           self.events_src, self.events_dst, self.events_time,
                           self.events_snapshot, self.directed, self.summary))


def _rebuild(n, labels, indptr, indices, boundaries, es, ed, et, esn, directed, summary):
    return TemporalGraph(n=n, labels=labels, indptr=indptr, indices=indices,
                         boundaries=boundaries, events_src=es, events_dst=ed, events_time=et,
                         events_snapshot=esn, directed=directed, summary=summary)


def _cut(t: np.ndarray, T: int, binning: str) -> np.ndarray:
    """``T + 1`` boundaries: equal durations or (``"events"``) equal event counts."""
    if t.shape[0] == 0:
        return np.zeros(T + 1)
    if binning == "duration":
        return np.linspace(t.min(), t.max(), T + 1)
    b = np.quantile(t, np.linspace(0.0, 1.0, T + 1))
    b[0], b[-1] = t.min(), t.max()
    return b


_SNAPSHOT_HINT = "use fewer snapshots (snapshots; CLI: --snapshots) or raise max_memory"


def _check_snapshot_memory(func: str, T: int, n: int, limit: int) -> None:
    """MemoryLimitError when the snapshot index would not fit (before allocating it).

    The flat CSR has ``T n + 1`` int64 row pointers and its construction a ``T n`` int64 count
    array; the boundaries take ``T + 1`` floats (twice, while they are computed).
    """
    need = 16.0 * (float(T) * n + 1) + 16.0 * (T + 1)
    _memory.check(func, need, limit, what=f"the index of {T:,} snapshots x {n:,} nodes",
                  hint=_SNAPSHOT_HINT)


def _snapshot_csr(n: int, T: int, s: np.ndarray, d: np.ndarray, snap: np.ndarray,
                  directed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Flat CSR of distinct (snapshot, tail, head) arcs, rows ``t * n + u``, heads sorted."""
    if not directed:
        a, b = np.minimum(s, d), np.maximum(s, d)
        s, d = a, b
    nn = max(n, 1)
    key = np.unique((snap * nn + s) * nn + d)
    snap_u = key // (nn * nn)
    s_u = (key // nn) % nn
    d_u = key % nn
    if not directed:
        snap_u = np.concatenate([snap_u, snap_u])
        s_u, d_u = np.concatenate([s_u, d_u]), np.concatenate([d_u, s_u])
    row = snap_u * nn + s_u
    order = np.lexsort((d_u, row))
    row, d_u = row[order], d_u[order]
    indptr = np.zeros(T * n + 1, dtype=np.int64)
    if row.shape[0]:
        np.cumsum(np.bincount(row, minlength=T * n), out=indptr[1:])
    return indptr, d_u.astype(np.int32)
