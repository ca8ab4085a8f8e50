"""Observed diffusion cascades as columnar data: :class:`Cascades`, :func:`split_by_time`.

A cascade is an ordered list of distinct users with adoption times; its first user is the
initiator. A collection stores all of them in flat arrays (CSR style): ``offsets`` (int64,
length ``C + 1``), ``users`` (int32 ids into ``labels``) and ``times`` (float64). Users keep
their original labels; given a social graph, cascade users share the graph's ids (users absent
from the graph get ids ``G.n, G.n + 1, ...``), so a seed id means the same node in both.

Examples
--------
>>> from infmax.graph.cascades import Cascades
>>> C = Cascades.from_lists([["a", "b", "b", "c"], ["b"]], [[0, 1, 2, 3], [5]])
>>> len(C), C.sizes.tolist(), C.labels[C.initiators].tolist()
(2, [3, 1], ['a', 'b'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .._validation import Interval, check, fail
from ..exceptions import InvalidParameterError, UnknownNodeError

if TYPE_CHECKING:
    from ._digraph import DiGraph

__all__ = ["Cascade", "Cascades", "split_by_time"]


class Cascade(NamedTuple):
    """One cascade: a read-only view into a :class:`Cascades` collection."""

    users: np.ndarray
    times: np.ndarray

    @property
    def initiator(self) -> int:
        """Id of the first user."""
        return int(self.users[0])

    @property
    def start_time(self) -> float:
        """Time of the first user."""
        return float(self.times[0])


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _dedupe(offsets: np.ndarray, users: np.ndarray,
            times: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Drop repeated participants of each cascade, keeping the first occurrence."""
    if users.size == 0:
        return offsets, users, times, 0
    sizes = np.diff(offsets)
    cid = np.repeat(np.arange(sizes.size, dtype=np.int64), sizes)
    key = cid * (int(users.max()) + 1) + users.astype(np.int64)
    _, first = np.unique(key, return_index=True)
    if first.size == users.size:
        return offsets, users, times, 0
    keep = np.zeros(users.size, dtype=bool)
    keep[first] = True
    new_sizes = np.bincount(cid[keep], minlength=sizes.size)
    new_off = np.zeros(sizes.size + 1, dtype=np.int64)
    np.cumsum(new_sizes, out=new_off[1:])
    return new_off, users[keep], times[keep], int(users.size - first.size)


def _encode(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (sorted distinct labels, ids) for an array of labels (ints or strings)."""
    if labels.dtype.kind in "iu":
        uniq, inv = np.unique(labels.astype(np.int64), return_inverse=True)
        return uniq, inv.astype(np.int32)
    as_str = np.asarray([str(x) for x in labels.tolist()], dtype=object)
    uniq, inv = np.unique(as_str, return_inverse=True)
    return uniq.astype(object), inv.astype(np.int32)


@dataclass(frozen=True, eq=False, repr=False)
class Cascades:
    """An immutable collection of cascades in columnar form.

    Attributes
    ----------
    offsets : ndarray of int64, shape (C + 1,)
        Cascade ``i`` is ``users[offsets[i]:offsets[i + 1]]``.
    users : ndarray of int32
        User ids (indices into ``labels``), in adoption order; no repeats within a cascade.
    times : ndarray of float64
        Adoption times, aligned with ``users``.
    labels : ndarray
        Original label of each user id (int64 or str objects).
    graph : DiGraph or None
        The social graph whose ids the users share (ids ``< graph.n``), when given.
    relative_times : bool
        True when times are relative to each cascade's initiator (Inf-VAE sets): start times
        then say nothing about chronology and :func:`split_by_time` uses ``part``.
    part : ndarray of int8 or None
        Shipped split, 0 = train, 1 = test (``None`` when the source has none).
    source : str
        Where the cascades came from (file or dataset name).
    duplicates_dropped : int
        Repeated participants dropped on construction (first occurrence kept).

    Notes
    -----
    Build with :meth:`from_lists` or :meth:`from_arrays` (or a reader of
    :mod:`infmax.datasets.cascades`). Cascades of one user are kept (they count in
    :meth:`summary` and in DNI) but :attr:`trainable` marks them as unusable for training.
    """

    offsets: np.ndarray
    users: np.ndarray
    times: np.ndarray
    labels: np.ndarray
    graph: DiGraph | None = None
    relative_times: bool = False
    part: np.ndarray | None = None
    source: str = ""
    duplicates_dropped: int = 0

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_arrays(cls, offsets: Sequence[int] | np.ndarray, user_labels: Sequence[Any],
                    times: Sequence[float] | np.ndarray, *, graph: DiGraph | None = None,
                    relative_times: bool = False, part: Sequence[int] | None = None,
                    source: str = "") -> Cascades:
        """Build from flat arrays: ``offsets`` (C + 1), per-item labels and times.

        Parameters
        ----------
        offsets : array of int
            Non-decreasing, starting at 0 and ending at ``len(user_labels)``; every cascade
            must hold at least one user.
        user_labels : array
            Original user labels (ints or strings), the initiator first in each cascade.
        times : array of float
            Finite adoption times, one per label.
        graph : DiGraph, optional
            Share the graph's ids (see :meth:`with_graph`).
        relative_times : bool, default False
            Times are relative to each initiator (no chronology between cascades).
        part : array of {0, 1}, optional
            Shipped train (0) / test (1) split, one entry per cascade.
        source : str
            Provenance, shown in :meth:`summary`.

        Raises
        ------
        InvalidParameterError
            Inconsistent lengths, an empty cascade, a non-finite time, a bad ``part``.
        """
        func = "Cascades.from_arrays"
        off = np.asarray(offsets, dtype=np.int64)
        lab = np.asarray(user_labels)
        if lab.dtype.kind not in "iuOU":
            if lab.dtype.kind == "f" and lab.size and np.all(lab == np.round(lab)):
                lab = lab.astype(np.int64)
            elif lab.size:
                fail(func, "user_labels", "integers or strings", f"dtype {lab.dtype}")
            else:
                lab = lab.astype(np.int64)
        t = np.asarray(times, dtype=np.float64)
        if off.ndim != 1 or off.size < 1 or off[0] != 0 or off[-1] != lab.size:
            fail(func, "offsets", f"a 1-d array from 0 to len(user_labels) = {lab.size}",
                 off.tolist()[:10])
        sizes = np.diff(off)
        if (sizes <= 0).any():
            i = int(np.flatnonzero(sizes <= 0)[0])
            fail(func, "offsets", f"strictly increasing (cascade {i} would be empty)",
                 off.tolist()[:10])
        if t.shape != lab.shape:
            fail(func, "times", f"an array of length {lab.size} (one per user)",
                 f"shape {t.shape}")
        if not np.isfinite(t).all():
            i = int(np.flatnonzero(~np.isfinite(t))[0])
            fail(func, "times", f"finite (item {i} is not)", float(t[i]))
        p = None
        if part is not None:
            p = np.asarray(part, dtype=np.int8)
            if p.shape != (sizes.size,) or not np.isin(p, (0, 1)).all():
                fail(func, "part", f"an array of {sizes.size} values 0 (train) or 1 (test)",
                     np.asarray(part).tolist()[:10])
        labels, ids = _encode(lab)
        off, ids, t, dropped = _dedupe(off, ids, t)
        out = cls(_readonly(off), _readonly(ids), _readonly(t), _readonly(labels), None,
                  bool(relative_times), None if p is None else _readonly(p), source, dropped)
        return out if graph is None else out.with_graph(graph)

    @classmethod
    def from_lists(cls, users: Iterable[Sequence[Any]], times: Iterable[Sequence[float]],
                   **kwargs: Any) -> Cascades:  # noqa: ANN401
        """Build from one list of user labels and one list of times per cascade.

        Keywords as in :meth:`from_arrays`.
        """
        users = [list(u) for u in users]
        times = [list(t) for t in times]
        if len(users) != len(times) or any(len(a) != len(b) for a, b in zip(users, times)):
            fail("Cascades.from_lists", "times", "one time per user, cascade by cascade",
                 [len(b) for b in times][:10])
        off = np.zeros(len(users) + 1, dtype=np.int64)
        np.cumsum([len(u) for u in users], out=off[1:])
        flat = [x for u in users for x in u]
        if flat and all(isinstance(x, (int, np.integer)) and not isinstance(x, bool)
                        for x in flat):
            lab = np.asarray(flat, dtype=np.int64)
        else:
            lab = np.asarray([str(x) for x in flat], dtype=object)
        return cls.from_arrays(off, lab, [x for t in times for x in t], **kwargs)

    def with_graph(self, G: DiGraph) -> Cascades:
        """Return the cascades with user ids shared with the social graph ``G``.

        A user whose label is a node of ``G`` gets the node's id; the others get ids from
        ``G.n`` on (in label order), so ``labels[:G.n]`` equals ``G.labels``. Labels match by
        value; string and integer spellings of the same number match.
        """
        from .._validation import check_graph

        check_graph("Cascades.with_graph", G)
        g_ids = np.full(self.labels.size, -1, dtype=np.int64)
        for i, lab in enumerate(self.labels.tolist()):
            try:
                g_ids[i] = int(G.node_ids([lab], param="user", func="with_graph")[0])
            except UnknownNodeError:
                pass
        missing = np.flatnonzero(g_ids < 0)
        g_ids[missing] = G.n + np.arange(missing.size)
        glab = np.asarray(G.labels)
        extra = self.labels[missing]
        if glab.dtype.kind in "iu" and extra.dtype.kind in "iu":
            labels = np.concatenate([glab.astype(np.int64), extra.astype(np.int64)])
        else:
            labels = np.asarray([str(x) for x in glab.tolist()] +
                                [str(x) for x in extra.tolist()], dtype=object)
        users = g_ids[self.users].astype(np.int32)
        return Cascades(self.offsets, _readonly(users), self.times, _readonly(labels), G,
                        self.relative_times, self.part, self.source, self.duplicates_dropped)

    # -- access ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.offsets.size - 1)

    def __getitem__(self, i: int) -> Cascade:
        n = len(self)
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)):
            raise TypeError(f"Cascades indices are ints (use subset() for many); got {i!r}")
        j = int(i) + n if i < 0 else int(i)
        if not 0 <= j < n:
            raise IndexError(f"cascade index {int(i)} out of range for {n} cascades")
        a, b = self.offsets[j], self.offsets[j + 1]
        return Cascade(self.users[a:b], self.times[a:b])

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        g = "" if self.graph is None else f", graph={self.graph!r}"
        return (f"Cascades(cascades={len(self)}, items={self.users.size}, "
                f"users={self.n_users}{g})")

    @property
    def sizes(self) -> np.ndarray:
        """Number of (distinct) users of each cascade."""
        return np.diff(self.offsets)

    @property
    def initiators(self) -> np.ndarray:
        """Id of each cascade's first user."""
        return self.users[self.offsets[:-1]]

    @property
    def start_times(self) -> np.ndarray:
        """Time of each cascade's first user."""
        return self.times[self.offsets[:-1]]

    @property
    def trainable(self) -> np.ndarray:
        """Mask of the cascades with at least 2 users (the others are skipped in training)."""
        return self.sizes >= 2

    @property
    def n_ids(self) -> int:
        """Size of the id space (``len(labels)``; graph nodes included when shared)."""
        return int(self.labels.size)

    @property
    def n_users(self) -> int:
        """Number of distinct users that appear in some cascade."""
        return int(np.unique(self.users).size)

    def node_ids(self, labels: Iterable[Any], *, param: str = "labels",
                 func: str = "Cascades.node_ids", missing: str = "raise") -> np.ndarray:
        """Map original labels to ids.

        ``missing="raise"`` raises UnknownNodeError for an unknown label; ``"drop"`` leaves it
        out (a seed that never appears in these cascades started none of them).
        """
        if isinstance(labels, (str, bytes)) or not hasattr(labels, "__iter__"):
            labels = [labels]
        index = self._index()
        out = []
        for lab in labels:
            key = _key(lab)
            if key in index:
                out.append(index[key])
            elif missing == "raise":
                raise UnknownNodeError(
                    f"The '{param}' parameter of {func} names user {_plain(lab)!r}, which is "
                    f"not in the cascades ({self.n_ids:,} users).", label=_plain(lab))
        return np.asarray(out, dtype=np.int32)

    def node_labels(self, ids: Iterable[int]) -> list:
        """Original labels of ids, as plain Python values."""
        return self.labels[np.asarray(ids, dtype=np.int64)].tolist()

    def _index(self) -> dict:
        d = self.__dict__.get("_label_index")
        if d is None:
            d = {_key(x): i for i, x in enumerate(self.labels.tolist())}
            object.__setattr__(self, "_label_index", d)
        return d

    # -- derived collections --------------------------------------------------------------
    def subset(self, indices: Sequence[int] | np.ndarray) -> Cascades:
        """Return the cascades ``indices`` (ints or a boolean mask), in that order.

        Labels, graph and id space are shared, so ids mean the same users in both.
        """
        idx = np.asarray(indices)
        if idx.dtype == bool:
            if idx.shape != (len(self),):
                fail("Cascades.subset", "indices", f"a mask of length {len(self)}",
                     f"shape {idx.shape}")
            idx = np.flatnonzero(idx)
        if idx.size and idx.dtype.kind not in "iu":
            fail("Cascades.subset", "indices", "integers or a boolean mask", f"dtype {idx.dtype}")
        idx = idx.astype(np.int64).ravel()
        if idx.size and (idx.min() < 0 or idx.max() >= len(self)):
            bad = int(idx[(idx < 0) | (idx >= len(self))][0])
            fail("Cascades.subset", "indices", f"in [0, {len(self) - 1}]", bad)
        sizes = self.sizes[idx]
        off = np.zeros(idx.size + 1, dtype=np.int64)
        np.cumsum(sizes, out=off[1:])
        take = (np.repeat(self.offsets[idx] - off[:-1], sizes) +
                np.arange(off[-1], dtype=np.int64)) if idx.size else np.zeros(0, np.int64)
        part = None if self.part is None else _readonly(self.part[idx])
        return Cascades(_readonly(off), _readonly(self.users[take]),
                        _readonly(self.times[take]), self.labels, self.graph,
                        self.relative_times, part, self.source, 0)

    def summary(self) -> dict:
        """Return counts, size distribution, users, initiators and graph coverage."""
        s = self.sizes
        users = np.unique(self.users)
        out: dict[str, Any] = {
            "source": self.source,
            "cascades": len(self),
            "items": int(self.users.size),
            "duplicates_dropped": self.duplicates_dropped,
            "trainable": int((s >= 2).sum()),
            "single_user": int((s < 2).sum()),
            "users": int(users.size),
            "initiators": int(np.unique(self.initiators).size),
            "size": ({"min": int(s.min()), "median": float(np.median(s)),
                      "mean": float(s.mean()), "p90": float(np.percentile(s, 90)),
                      "max": int(s.max())} if s.size else {}),
            "relative_times": self.relative_times,
        }
        if s.size and not self.relative_times:
            out["time_span"] = [float(self.times.min()), float(self.times.max())]
        if self.part is not None:
            out["parts"] = {"train": int((self.part == 0).sum()),
                            "test": int((self.part == 1).sum())}
        if self.graph is not None:
            inside = int((users < self.graph.n).sum())
            out["graph"] = {"nodes": self.graph.n, "arcs": self.graph.m,
                            "users_in_graph": inside, "users_not_in_graph": int(users.size) -
                            inside, "coverage": inside / users.size if users.size else 1.0}
        return out


def _key(x: object) -> object:
    x = _plain(x)
    if isinstance(x, str):
        try:
            return int(x.strip())
        except ValueError:
            return x
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _plain(x: object) -> object:
    return x.item() if isinstance(x, np.generic) else x


def split_by_time(cascades: Cascades, train: float = 0.8) -> tuple[Cascades, Cascades]:
    """Split into (train, test): the earliest ``round(train * C)`` cascades by start time.

    Ties keep file order (stable sort). When times are relative to the seed
    (``cascades.relative_times``, the Inf-VAE sets) start times carry no chronology: the
    shipped split ``cascades.part`` is used instead and ``train`` is ignored.

    Raises
    ------
    InvalidParameterError
        ``train`` outside (0, 1); relative times without a shipped split.
    """
    if not isinstance(cascades, Cascades):
        fail("split_by_time", "cascades", "a Cascades collection", type(cascades).__name__)
    train = check("split_by_time", "train", train, Interval(float, 0, 1, closed="neither"))
    if cascades.relative_times:
        if cascades.part is None:
            raise InvalidParameterError(
                "The 'cascades' parameter of split_by_time has times relative to each "
                "initiator and no shipped split: there is no chronology to split by.",
                param="cascades", value=cascades.source)
        return (cascades.subset(np.flatnonzero(cascades.part == 0)),
                cascades.subset(np.flatnonzero(cascades.part == 1)))
    order = np.argsort(cascades.start_times, kind="stable")
    k = int(round(train * len(cascades)))
    return cascades.subset(order[:k]), cascades.subset(order[k:])
