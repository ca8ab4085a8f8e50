"""The immutable directed graph every algorithm runs on."""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import plain
from ..exceptions import GraphFormatError, InvalidParameterError, UnknownNodeError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

    from ..random import RngLike

__all__ = ["DiGraph", "BuildSummary", "from_edges", "load", "MERGE_RULES", "ARC_INT32_MAX",
           "arc_index_dtype", "MAX_NODES"]

MERGE_RULES = ("ic", "sum", "max", "first")

#: the largest arc count whose arc indices (``rev_perm``) are stored as int32; above it they
#: are int64. Row pointers (``indptr``, ``rindptr``) are int64 whatever ``m``. Tests lower it
#: to run the int64 branch on small graphs.
ARC_INT32_MAX = 2**31 - 1

#: node ids are int32
MAX_NODES = 2**31 - 1

#: arcs (or source rows) per bounded kernel call of the O(m) CSR builders
_CALL_ARCS = 1 << 24
#: edge lists from this many rows are ordered by a counting sort (:func:`_key_order`)
_COUNTING_SORT_MIN = 1 << 21


def arc_index_dtype(m: int) -> np.dtype:
    """Return the dtype of arrays of arc indices for a graph of ``m`` arcs.

    int32 up to :data:`ARC_INT32_MAX` arcs, int64 beyond.

    Parameters
    ----------
    m : int
        Number of arcs.

    Returns
    -------
    numpy.dtype
        ``int32`` or ``int64``.
    """
    return np.dtype(np.int32 if m <= ARC_INT32_MAX else np.int64)


def reverse_arrays(n: int, indptr: np.ndarray,
                   indices: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """In-CSR of an out-CSR: ``(rindptr int64, rindices int32, rev_perm)``.

    One O(n + m) counting pass in bounded kernel calls (a Ctrl-C checkpoint between them);
    identical to a stable argsort of ``indices`` (sources ascending within each in-row).
    ``rev_perm`` has dtype :func:`arc_index_dtype` of ``m``.

    Parameters
    ----------
    n : int
        Number of nodes.
    indptr, indices : numpy.ndarray
        The out-CSR (int64 row pointer, int32 targets).

    Returns
    -------
    tuple of numpy.ndarray
        The in-CSR row pointer, its sources and the in-to-out arc permutation.
    """
    from .._interrupt import checkpoint
    from .._kernels import generators as _gen

    m = int(indices.shape[0])
    rindptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(indices, minlength=n), out=rindptr[1:])
    rindices = np.empty(m, dtype=np.int32)
    perm = np.empty(m, dtype=arc_index_dtype(m))
    cursor = rindptr[:-1].copy()
    u0 = 0
    while u0 < n:
        # rows up to about _CALL_ARCS arcs per call
        u1 = int(np.searchsorted(indptr, indptr[u0] + _CALL_ARCS, side="right"))
        u1 = min(max(u1, u0 + 1), n)
        _gen.reverse_csr(indptr, indices, u0, u1, cursor, rindices, perm)
        checkpoint()
        u0 = u1
    return rindptr, rindices, perm


@dataclass(frozen=True)
class BuildSummary:
    """What happened while a graph was built (reported by ``DiGraph.summary``)."""

    n: int
    m: int
    directed: bool
    rows_read: int = 0
    self_loops_dropped: int = 0
    parallel_edges_merged: int = 0
    merge: str = "ic"
    source: str = ""
    header: tuple | None = None
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        kind = "directed" if self.directed else "undirected input (stored as both arcs)"
        s = (f"{self.n:,} nodes, {self.m:,} arcs, {kind}; {self.rows_read:,} rows read, "
             f"{self.self_loops_dropped:,} self-loops dropped, "
             f"{self.parallel_edges_merged:,} parallel edges merged ({self.merge})")
        if self.source:
            s = f"{self.source}: " + s
        return s


class _Structure:
    """Topology shared by graphs that differ only in edge probabilities."""

    __slots__ = ("n", "indptr", "indices", "_rev", "__weakref__")

    def __init__(self, n: int, indptr: np.ndarray, indices: np.ndarray):
        self.n = n
        self.indptr = indptr
        self.indices = indices
        self._rev = None

    def reverse(self):
        if self._rev is None:
            rev = reverse_arrays(self.n, self.indptr, self.indices)
            for a in rev:
                a.setflags(write=False)
            self._rev = rev
        return self._rev


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    if a.flags.writeable:
        a.setflags(write=False)
    return a


class DiGraph:
    """Immutable directed graph in CSR form, with edge probabilities and original labels.

    Nodes are int32 ids ``0 .. n-1`` inside; ``labels[i]`` is the original label of id ``i``
    and every public output maps ids back to labels. Out-arcs of node ``u`` are
    ``indices[indptr[u]:indptr[u+1]]`` (sorted by target) with probabilities in ``probs``; the
    reverse CSR (in-arcs, sorted by source) is built once on first use and cached.

    Build graphs with :func:`infmax.read_edgelist`, :func:`infmax.from_networkx`,
    :func:`infmax.graph.from_pandas`, :func:`infmax.graph.from_scipy` or :func:`from_edges`;
    change probabilities with :meth:`reweight` (returns a new graph sharing the topology).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([1, 2, 2], [2, 3, 1], directed=True, weights="wc")
    >>> G
    DiGraph(n=3, m=3, weights='wc', directed=True)
    >>> G.node_labels(G.out_neighbors(G.node_ids([2])[0]))
    [1, 3]
    """

    __slots__ = ("_s", "probs", "labels", "directed", "weighting", "summary", "_label_index",
                 "_identity", "file_probs", "__dict__")

    def __init__(self, structure: _Structure, probs: np.ndarray, labels: np.ndarray, *,
                 directed: bool, weighting: str, summary: BuildSummary,
                 file_probs: np.ndarray | None = None) -> None:
        object.__setattr__(self, "_s", structure)
        object.__setattr__(self, "probs", _readonly(probs))
        object.__setattr__(self, "labels", _readonly(labels))
        object.__setattr__(self, "directed", bool(directed))
        object.__setattr__(self, "weighting", weighting)
        object.__setattr__(self, "summary", summary)
        object.__setattr__(self, "file_probs",
                           None if file_probs is None else _readonly(file_probs))
        object.__setattr__(self, "_label_index", None)
        ident = labels.dtype.kind in "iu" and labels.shape[0] > 0 and labels[0] == 0 and \
            labels[-1] == labels.shape[0] - 1
        object.__setattr__(self, "_identity", bool(ident) or labels.shape[0] == 0)

    def __setattr__(self, name, value):
        raise AttributeError("DiGraph is immutable; use reweight() or the constructors")

    # Any: each key caches a value of its own type (arrays, tuples of arrays, tables).
    def _memo(self, key: str, factory: Callable[[], Any]) -> Any:  # noqa: ANN401
        """Return the value derived from this graph under ``key``, computed once by ``factory()``.

        The one way other modules cache arrays derived from a graph (kernel arguments,
        neighbour CSRs, RR-sampling tables) without patching it: the graph stays immutable
        from outside, and the values live and die with it (a reweighted graph starts empty;
        pickling drops them). ``key`` names the owner and the value, e.g.
        ``"diffusion.ic_thresholds"``. Two threads asking at once may both run ``factory``;
        it must therefore be deterministic (one of the equal results is kept).
        """
        memo = object.__getattribute__(self, "__dict__")
        try:
            return memo[key]
        except KeyError:
            return memo.setdefault(key, factory())

    # -- topology ---------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of nodes."""
        return self._s.n

    @property
    def m(self) -> int:
        """Number of arcs (an undirected edge counts as two arcs)."""
        return int(self._s.indices.shape[0])

    @property
    def indptr(self) -> np.ndarray:
        """Out-CSR row pointer (int64, length n + 1)."""
        return self._s.indptr

    @property
    def indices(self) -> np.ndarray:
        """Out-CSR targets (int32, length m)."""
        return self._s.indices

    @property
    def rindptr(self) -> np.ndarray:
        """In-CSR row pointer (int64, length n + 1)."""
        return self._s.reverse()[0]

    @property
    def rindices(self) -> np.ndarray:
        """In-CSR sources (int32, length m)."""
        return self._s.reverse()[1]

    @property
    def rev_perm(self) -> np.ndarray:
        """For each in-CSR position, the index of the same arc in the out-CSR."""
        return self._s.reverse()[2]

    @cached_property
    def rprobs(self) -> np.ndarray:
        """Probabilities aligned with :attr:`rindices`."""
        return _readonly(self.probs[self.rev_perm])

    @cached_property
    def out_degree(self) -> np.ndarray:
        """Out-degree of every node (int64)."""
        return _readonly(np.diff(self.indptr))

    @cached_property
    def in_degree(self) -> np.ndarray:
        """In-degree of every node (int64)."""
        return _readonly(np.bincount(self.indices, minlength=self.n).astype(np.int64))

    @cached_property
    def sources(self) -> np.ndarray:
        """Source id of every out-CSR arc (int32, length m)."""
        return _readonly(np.repeat(np.arange(self.n, dtype=np.int32), np.diff(self.indptr)))

    @cached_property
    def in_weight_sum(self) -> np.ndarray:
        """Sum of in-arc probabilities per node (the LT constraint is ``<= 1``)."""
        return _readonly(np.bincount(self.indices, weights=self.probs, minlength=self.n))

    def out_neighbors(self, u: int) -> np.ndarray:
        return self.indices[self.indptr[u]:self.indptr[u + 1]]

    def in_neighbors(self, v: int) -> np.ndarray:
        return self.rindices[self.rindptr[v]:self.rindptr[v + 1]]

    # -- labels -----------------------------------------------------------------------------
    def node_labels(self, ids: Iterable[int]) -> list:
        """Original labels of internal ids, as plain Python values."""
        ids = np.asarray(ids, dtype=np.int64)
        return self.labels[ids].tolist()

    def node_ids(self, labels: Iterable[Any], *, param: str = "seeds",
                 func: str = "infmax") -> np.ndarray:
        """Map original labels to internal int32 ids; unknown labels raise UnknownNodeError."""
        if isinstance(labels, (str, bytes)) or not hasattr(labels, "__iter__"):
            labels = [labels]
        labels = list(labels)
        out = np.empty(len(labels), dtype=np.int32)
        if self.labels.dtype.kind in "iu":
            for i, lab in enumerate(labels):
                out[i] = self._lookup_int(lab, param, func)
            return out
        index = self._index()
        for i, lab in enumerate(labels):
            try:
                out[i] = index[lab]
            except (KeyError, TypeError):
                try:
                    out[i] = index[str(lab)]
                except KeyError:
                    self._unknown(lab, param, func)
        return out

    def _lookup_int(self, lab: object, param: str, func: str) -> int:
        try:
            if isinstance(lab, (bool, np.bool_)):
                raise ValueError
            if isinstance(lab, str):
                v = int(lab.strip())
            else:
                v = int(lab)
                if v != lab:
                    raise ValueError
        except (ValueError, TypeError):
            self._unknown(lab, param, func)
        if self._identity:
            if 0 <= v < self.n:
                return v
            self._unknown(lab, param, func)
        keys, order = self._int_order()
        j = int(np.searchsorted(keys, v))
        if j < self.n and keys[j] == v:
            return j if order is None else int(order[j])
        self._unknown(lab, param, func)

    def _int_order(self) -> tuple[np.ndarray, np.ndarray | None]:
        """Integer labels sorted for lookup, and the ids in that order (None: already sorted).

        Readers give ascending labels; ``with_labels`` and the converters may not, and a plain
        ``searchsorted`` over unsorted labels finds wrong ids.
        """
        def build():
            lab = self.labels
            if lab.shape[0] < 2 or bool(np.all(lab[1:] > lab[:-1])):
                return lab, None
            order = np.argsort(lab, kind="stable")
            return lab[order], order

        return self._memo("graph.int_label_order", build)

    def _index(self) -> dict:
        if self._label_index is None:
            object.__setattr__(self, "_label_index",
                               {lab: i for i, lab in enumerate(self.labels.tolist())})
        return self._label_index

    def _unknown(self, lab, param, func):
        lab = plain(lab)
        raise UnknownNodeError(
            f"The '{param}' parameter of {func} names node {lab!r}, which is not in the graph "
            f"({self.n:,} nodes).", label=lab)

    def has_node(self, label: Hashable) -> bool:
        try:
            self.node_ids([label])
        except UnknownNodeError:
            return False
        return True

    # -- derived graphs ---------------------------------------------------------------------
    def reweight(self, weights: str | float | ArrayLike, *, rng: RngLike = None,
                 p: float | None = None) -> DiGraph:
        """Return a graph with the same topology and new edge probabilities.

        ``weights`` is a scheme name (``"wc"``, ``"uniform:0.1"``, ``"trivalency"``,
        ``"file"``), a float (uniform probability) or an array of length ``m`` in out-CSR order.
        See :func:`infmax.graph.weights.apply_weights`.
        """
        from .weights import apply_weights

        return apply_weights(self, weights, rng=rng, p=p, func="DiGraph.reweight")

    def with_probs(self, probs: np.ndarray, weighting: str) -> DiGraph:
        """Return the same topology with the given probabilities (out-CSR order).

        No validation: see reweight().
        """
        probs = np.asarray(probs)
        if probs.dtype not in (np.float32, np.float64):
            probs = probs.astype(np.float64)
        return DiGraph(self._s, probs, self.labels, directed=self.directed, weighting=weighting,
                       summary=self.summary, file_probs=self.file_probs)

    def with_labels(self, labels: np.ndarray) -> DiGraph:
        """Return the same topology and probabilities with new node labels (one per id).

        No validation beyond the length: the caller guarantees the labels are distinct.
        """
        labels = np.asarray(labels)
        if labels.shape != (self.n,):
            raise InvalidParameterError(
                f"The 'labels' parameter of DiGraph.with_labels must be an array of {self.n} "
                f"labels (one per node id). Got shape {labels.shape}.", param="labels",
                value=labels.shape)
        return DiGraph(self._s, self.probs, labels, directed=self.directed,
                       weighting=self.weighting, summary=self.summary, file_probs=self.file_probs)

    def edge_subgraph(self, arc_mask: np.ndarray, nodes: np.ndarray | None = None) -> DiGraph:
        """Graph on ``nodes`` (ids, default: all) with the arcs where ``arc_mask`` is True.

        Arcs whose endpoints are not both in ``nodes`` must be masked out by the caller.
        Labels and probabilities are kept; node order follows ascending id.
        """
        arc_mask = np.asarray(arc_mask, dtype=bool)
        src = self.sources[arc_mask]
        dst = self.indices[arc_mask]
        probs = self.probs[arc_mask]
        fprobs = None if self.file_probs is None else self.file_probs[arc_mask]
        if nodes is None:
            keep = np.arange(self.n, dtype=np.int64)
        else:
            keep = np.unique(np.asarray(nodes, dtype=np.int64))
        remap = np.full(self.n, -1, dtype=np.int64)
        remap[keep] = np.arange(keep.shape[0])
        s2, d2 = remap[src], remap[dst]
        if (s2 < 0).any() or (d2 < 0).any():
            raise InvalidParameterError(
                "The 'arc_mask' parameter of edge_subgraph keeps arcs whose endpoints are not in "
                "'nodes'.", param="arc_mask")
        return _assemble(keep.shape[0], s2, d2, probs, self.labels[keep], directed=self.directed,
                         weighting=self.weighting, file_probs=fprobs,
                         summary=replace(self.summary, n=int(keep.shape[0]), m=int(s2.shape[0]),
                                         source=(self.summary.source + " (subgraph)").strip()))

    def subgraph(self, nodes: Sequence[int]) -> DiGraph:
        """Induced subgraph on internal ids ``nodes``."""
        keep = np.zeros(self.n, dtype=bool)
        keep[np.asarray(nodes, dtype=np.int64)] = True
        return self.edge_subgraph(keep[self.sources] & keep[self.indices], np.flatnonzero(keep))

    def __repr__(self) -> str:
        return (f"DiGraph(n={self.n}, m={self.m}, weights={self.weighting!r}, "
                f"directed={self.directed})")

    def __reduce__(self):
        source = object.__getattribute__(self, "__dict__").get(_MAPPED_FROM)
        if source is not None:
            # memory-mapped from a binary graph file: pickle the file's path, not its arrays
            # (a Dask scatter then ships bytes, and every worker maps the same pages)
            return (_load_mapped, source)
        return (_rebuild, (self.n, self.indptr, self.indices, self.probs, self.labels,
                           self.directed, self.weighting, self.summary, self.file_probs))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the graph to ``path`` in the binary format (atomically).

        See :mod:`infmax.graph.binary`; :func:`infmax.graph.load` memory-maps it back (CSR,
        reverse CSR, probabilities and labels, no parsing). Labels must be ints or strings.

        Parameters
        ----------
        path : str or os.PathLike
            The output file.

        Examples
        --------
        >>> import infmax as im, os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "g.infmax")
        >>> im.graph.from_edges([1, 2], [2, 3]).save(path)
        >>> im.graph.load(path)
        DiGraph(n=3, m=2, weights='wc', directed=True)
        """
        from .binary import save

        save(self, path)

    def nbytes(self) -> int:
        """Memory held by the arrays (reverse CSR included once built)."""
        total = self.indptr.nbytes + self.indices.nbytes + self.probs.nbytes + self.labels.nbytes
        if self._s._rev is not None:
            total += sum(a.nbytes for a in self._s._rev)
        return int(total)


def load(path: str | os.PathLike[str], *, mmap: bool = True, verify: bool = True) -> DiGraph:
    """Load a graph written by :meth:`DiGraph.save` / ``infmax convert`` (the binary format).

    Parameters
    ----------
    path : str or os.PathLike
        The binary graph file (:mod:`infmax.graph.binary`).
    mmap : bool, default True
        Memory-map the arrays (read-only; the OS pages them in when used, and processes that
        load the same file share the pages). ``False`` reads them into memory.
    verify : bool, default True
        Check each array's sampled checksum (at most 64 KiB read per array); the row
        pointers' ends and the shapes are checked in any case.

    Returns
    -------
    DiGraph
        With its reverse CSR and reverse-order probabilities already in place.

    Raises
    ------
    GraphFormatError
        Naming the path: not a binary graph, another format version, truncated, or a checksum
        or structure mismatch.
    InvalidParameterError
        An unreadable path.

    Examples
    --------
    >>> import infmax as im, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "g.infmax")
    >>> im.graph.from_edges([1, 2], [2, 3], weights="wc").save(path)
    >>> im.graph.load(path, mmap=False).m
    2
    """
    from dataclasses import fields

    from .binary import read

    header, arrays = read(path, mmap=mmap, verify=verify)
    s = _Structure(int(header["n"]), arrays["indptr"], arrays["indices"])
    s._rev = (arrays["rindptr"], arrays["rindices"], arrays["rev_perm"])
    saved = header["summary"]
    kw = {f.name: saved[f.name] for f in fields(BuildSummary) if f.name in saved}
    if kw.get("header") is not None:
        kw["header"] = tuple(kw["header"])
    G = DiGraph(s, arrays["probs"], arrays["labels"], directed=bool(header["directed"]),
                weighting=str(header["weighting"]), summary=BuildSummary(**kw),
                file_probs=arrays.get("file_probs"))
    memo = object.__getattribute__(G, "__dict__")
    memo["rprobs"] = arrays["rprobs"]
    if mmap:
        st = os.stat(path)
        memo[_MAPPED_FROM] = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
    return G


#: memo key of a graph memory-mapped by :func:`load`: (absolute path, size, mtime) of its file
_MAPPED_FROM = "graph.mapped_from"


#: graphs unpickled in this process by :func:`_load_mapped`, newest last (at most two): a
#: worker that receives the same file's graph again gets the same object, with the tables
#: derived from it (``_memo``) already built
_MAPPED: dict[tuple[str, int, int], DiGraph] = {}


def _load_mapped(path: str, size: int, mtime_ns: int) -> DiGraph:
    """Unpickle a memory-mapped graph by mapping its file again (it must be unchanged)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise GraphFormatError(f"the graph file of a pickled memory-mapped graph is gone "
                               f"({exc.strerror})", path=path) from None
    if (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
        raise GraphFormatError("the graph file changed after the memory-mapped graph was "
                               "pickled (size or modification time differ)", path=path)
    G = _MAPPED.get((path, size, mtime_ns))
    if G is not None:
        return G
    G = load(path, mmap=True, verify=False)
    _MAPPED[(path, size, mtime_ns)] = G
    while len(_MAPPED) > 2:
        del _MAPPED[next(iter(_MAPPED))]
    return G


def _rebuild(n, indptr, indices, probs, labels, directed, weighting, summary, fprobs):
    return DiGraph(_Structure(n, _readonly(indptr), _readonly(indices)), probs, labels,
                   directed=directed, weighting=weighting, summary=summary, file_probs=fprobs)


def _assemble(n, src, dst, probs, labels, *, directed, weighting, summary, file_probs=None):
    """CSR from id arrays that are already deduplicated (any order)."""
    key = src.astype(np.int64) * max(n, 1) + dst
    if key.shape[0] > 1 and not bool(np.all(key[1:] >= key[:-1])):
        order = np.argsort(key, kind="stable")
        src, dst, probs = src[order], dst[order], probs[order]
        if file_probs is not None:
            file_probs = file_probs[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    s = _Structure(n, _readonly(indptr), _readonly(dst.astype(np.int32)))
    return DiGraph(s, probs, labels, directed=directed, weighting=weighting, summary=summary,
                   file_probs=file_probs)


def _unique_labels(src, dst, nodes):
    parts = [np.asarray(src), np.asarray(dst)]
    if nodes is not None:
        parts.append(np.asarray(list(nodes)))
    allv = np.concatenate([p for p in parts if p.shape[0] > 0]) if any(
        p.shape[0] for p in parts) else np.empty(0, dtype=np.int64)
    try:
        if allv.dtype == object:
            raise TypeError
        if allv.dtype.kind in "iu" and allv.shape[0] and allv.min() >= 0 and \
                allv.max() < 4 * allv.shape[0] + 1024:
            # dense non-negative int labels: a presence table beats sorting
            present = np.zeros(int(allv.max()) + 1, dtype=bool)
            present[allv] = True
            uniq = np.flatnonzero(present).astype(allv.dtype)
            inv = (np.cumsum(present) - 1)[allv]
        else:
            uniq, inv = np.unique(allv, return_inverse=True)
    except TypeError:
        # unsortable mixed labels: first-appearance order
        index: dict = {}
        inv = np.empty(allv.shape[0], dtype=np.int64)
        for i, lab in enumerate(allv.tolist()):
            inv[i] = index.setdefault(lab, len(index))
        uniq = np.empty(len(index), dtype=object)
        uniq[:] = list(index)
    ns, nd = len(parts[0]), len(parts[1])
    return uniq, inv[:ns], inv[ns:ns + nd]


def _key_order(s: np.ndarray, d: np.ndarray, n: int) -> np.ndarray:
    """``np.argsort(s * n + d, kind="stable")`` in O(n + m).

    Two stable counting passes (by ``d``, then by ``s``), in bounded kernel calls with a
    Ctrl-C checkpoint between them (3.5 -> 1.2 s on 10 M rows, load 6).
    """
    from .._interrupt import checkpoint
    from .._kernels import generators as _gen

    m = s.shape[0]
    order = np.arange(m, dtype=np.int64)
    tmp = np.empty(m, dtype=np.int64)
    for keys in (d, s):
        cursor = np.zeros(max(n, 1), dtype=np.int64)
        np.cumsum(np.bincount(keys, minlength=n)[:-1], out=cursor[1:])
        for lo in range(0, m, _CALL_ARCS):
            _gen.scatter_stable(keys, order, lo, min(lo + _CALL_ARCS, m), cursor, tmp)
            checkpoint()
        order, tmp = tmp, order
    return order


def from_edges(src: ArrayLike, dst: ArrayLike, probs: ArrayLike | None = None, *,
               directed: bool = True, weights: str | float | ArrayLike = "auto", merge: str = "ic",
               nodes: ArrayLike | None = None, dtype: DTypeLike = np.float64, rng: RngLike = None,
               p: float | None = None, source: str = "", rows_read: int | None = None,
               header: tuple | None = None) -> DiGraph:
    """Build a :class:`DiGraph` from parallel arrays of source and target labels.

    Parameters
    ----------
    src, dst : array-like
        Original labels (ints or strings) of arc tails and heads.
    probs : array-like of float, optional
        Per-row probability / weight (used by ``weights="file"``).
    directed : bool
        ``False`` stores every edge in both directions.
    weights : str, float or array
        Edge-weight scheme applied after cleaning: ``"wc"``, ``"uniform:P"`` or a float,
        ``"trivalency"``, ``"file"``; ``"auto"`` means ``"file"`` when ``probs`` is given and
        ``"wc"`` otherwise.
    merge : {"ic", "sum", "max", "first"}
        How the probabilities of parallel edges combine: ``1 - prod(1 - p)`` (IC), a sum (LT
        weights), the maximum or the first row.
    nodes : iterable, optional
        Extra node labels to include even when isolated.
    dtype : numpy float dtype
        ``float64`` (default) or ``float32`` probabilities.

    Self-loops are dropped and parallel edges merged; both are counted in ``G.summary``. A node
    that appears only in self-loops is dropped with them (unless listed in ``nodes``).
    """
    from .weights import apply_weights

    if merge not in MERGE_RULES:
        raise InvalidParameterError(
            "The 'merge' parameter of from_edges must be one of "
            f"{', '.join(map(repr, MERGE_RULES))}."
            f" Got {merge!r}.", param="merge", value=merge)
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise InvalidParameterError(
            f"The 'dtype' parameter of from_edges must be float32 or float64. Got {dtype!r}.",
            param="dtype", value=dtype)
    src = np.asarray(src)
    dst = np.asarray(dst)
    if src.shape != dst.shape or src.ndim != 1:
        raise InvalidParameterError(
            "The 'src' and 'dst' parameters of from_edges must be 1-D and of equal length. "
            f"Got shapes {src.shape} and {dst.shape}.", param="src", value=src.shape)
    rows = src.shape[0]
    w = None if probs is None else np.asarray(probs, dtype=np.float64)
    if w is not None:
        if w.shape != src.shape:
            raise InvalidParameterError(
                f"The 'probs' parameter of from_edges must have one value per edge ({rows}). "
                f"Got shape {w.shape}.", param="probs", value=w.shape)
        bad = ~((w >= 0) & (w <= 1)) if merge == "ic" else ~(w >= 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InvalidParameterError(
                f"The 'probs' parameter of from_edges must hold probabilities in [0, 1]. Got "
                f"{plain(w[i])!r} on edge {plain(src[i])!r} -> {plain(dst[i])!r}.", param="probs",
                value=float(w[i]))
    loops = src == dst
    n_loops = int(loops.sum())
    if n_loops:
        keep = ~loops
        src, dst = src[keep], dst[keep]
        w = None if w is None else w[keep]
    labels, s, d = _unique_labels(src, dst, nodes)
    n = labels.shape[0]
    if not directed:
        a, b = np.minimum(s, d), np.maximum(s, d)
        s, d = a, b
    key = s.astype(np.int64) * max(n, 1) + d
    # the same order either way; a counting sort beats argsort's O(m log m) on large lists,
    # and small graphs keep numpy's sort (no kernel to load or compile on their path)
    order = (_key_order(s, d, n) if s.shape[0] >= _COUNTING_SORT_MIN
             else np.argsort(key, kind="stable"))
    key_sorted = key[order]
    first = np.ones(key_sorted.shape[0], dtype=bool)
    first[1:] = key_sorted[1:] != key_sorted[:-1]
    starts = np.flatnonzero(first)
    n_merged = int(key_sorted.shape[0] - starts.shape[0])
    s, d = s[order][starts], d[order][starts]
    if w is not None:
        ws = w[order]
        if starts.shape[0] == 0:
            w = ws
        else:
            w = ws[starts].copy()  # singletons keep their exact value
            multi = np.flatnonzero(np.diff(np.append(starts, ws.shape[0])) > 1)
            if multi.shape[0] and merge != "first":
                if merge == "ic":
                    comb = 1.0 - np.multiply.reduceat(1.0 - ws, starts)
                elif merge == "sum":
                    comb = np.add.reduceat(ws, starts)
                else:
                    comb = np.maximum.reduceat(ws, starts)
                w[multi] = comb[multi]
    if not directed:
        s, d = np.concatenate([s, d]), np.concatenate([d, s])
        if w is not None:
            w = np.concatenate([w, w])
    summary = BuildSummary(n=int(n), m=int(s.shape[0]), directed=bool(directed),
                           rows_read=int(rows if rows_read is None else rows_read),
                           self_loops_dropped=n_loops, parallel_edges_merged=n_merged,
                           merge=merge, source=source, header=header)
    base = np.zeros(s.shape[0], dtype=dtype) if w is None else w.astype(dtype)
    G = _assemble(n, s.astype(np.int64), d.astype(np.int64), base, labels, directed=directed,
                  weighting="file" if w is not None else "none", summary=summary,
                  file_probs=None if w is None else w.astype(np.float64))
    if isinstance(weights, str) and weights == "auto":
        weights = "file" if w is not None else "wc"
    return apply_weights(G, weights, rng=rng, p=p, func="from_edges")
