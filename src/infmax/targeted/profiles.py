"""Categorical node profiles: an n x m matrix of value codes, one row per node."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import Interval, check, check_choice, check_graph, fail
from ..exceptions import GraphFormatError
from ..random import as_generator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph
    from ..random import RngLike

__all__ = ["Profiles", "read_profiles", "synthetic_profiles", "genre_profiles", "quantile_codes",
           "genre_bins"]


@dataclass(frozen=True, eq=False)
class Profiles:
    """Categorical profiles ``t_v`` of the n nodes over m attributes.

    Attributes
    ----------
    codes : ndarray of int64, shape (n, m)
        ``codes[v, i]`` in ``[0, n_values[i])``: the code of node v's value of attribute i
        (rows in the graph's internal id order when built with a graph).
    values : tuple of m arrays
        ``values[i][c]`` is the original value behind code ``c`` of attribute i.
    attributes : tuple of str
        Attribute names.
    """

    codes: np.ndarray
    values: tuple
    attributes: tuple

    @property
    def n(self) -> int:
        """Number of nodes."""
        return int(self.codes.shape[0])

    @property
    def m(self) -> int:
        """Number of attributes."""
        return int(self.codes.shape[1])

    @property
    def n_values(self) -> np.ndarray:
        """Number of distinct values per attribute (length m)."""
        return np.array([len(v) for v in self.values], dtype=np.int64)

    @property
    def offsets(self) -> np.ndarray:
        """Start of each attribute's block in the flat (attribute, value) positions."""
        return np.concatenate(([0], np.cumsum(self.n_values))).astype(np.int64)

    @property
    def positions(self) -> np.ndarray:
        """``positions[v, i]``: the flat one-hot position of (attribute i, value of v)."""
        return self.codes + self.offsets[:-1][None, :]

    @classmethod
    def from_array(cls, table: ArrayLike, *, attributes: Any = None,  # noqa: ANN401
                   func: str = "Profiles.from_array") -> Profiles:
        """Profiles from an n x m table of values (any hashable values, coded per column).

        Parameters
        ----------
        table : array-like, shape (n, m)
            Row v is the profile of node v (internal id order).
        attributes : sequence of str, optional
            Names of the m columns; default ``a1 .. am``.
        """
        a = np.asarray(table)
        if a.ndim != 2 or a.shape[1] < 1:
            fail(func, "table", "a 2-d table with at least one attribute column",
                 f"shape {a.shape}")
        codes = np.empty(a.shape, dtype=np.int64)
        values = []
        for i in range(a.shape[1]):
            try:
                u, inv = np.unique(a[:, i], return_inverse=True)
            except TypeError:
                fail(func, "table", f"comparable values in column {i}", a[:2, i].tolist())
            codes[:, i] = inv.ravel()
            u.setflags(write=False)
            values.append(u)
        names = tuple(f"a{i + 1}" for i in range(a.shape[1])) if attributes is None else \
            tuple(str(x) for x in attributes)
        if len(names) != a.shape[1]:
            fail(func, "attributes", f"{a.shape[1]} names", list(names))
        codes.setflags(write=False)
        return cls(codes, tuple(values), names)

    @classmethod
    def from_dataframe(cls, df: Any, G: DiGraph | None = None, *,  # noqa: ANN401
                       node_column: str | None = None) -> Profiles:
        """Profiles from a pandas DataFrame: one row per node, one column per attribute.

        The node labels are ``df[node_column]`` or, without ``node_column``, the index. With
        ``G`` the rows are aligned to ``G``'s internal ids and every node needs one row;
        without ``G`` the rows are taken in order.
        """
        func = "Profiles.from_dataframe"
        if not hasattr(df, "columns"):
            fail(func, "df", "a pandas DataFrame", type(df).__name__)
        if node_column is not None:
            if node_column not in df.columns:
                fail(func, "node_column", f"a column of df ({list(df.columns)})", node_column)
            labels = df[node_column].to_numpy()
            df = df.drop(columns=[node_column])
        else:
            labels = df.index.to_numpy()
        prof = cls.from_array(df.to_numpy(), attributes=list(df.columns), func=func)
        return prof if G is None else prof._aligned(G, labels, func)

    def _aligned(self, G: DiGraph, labels: ArrayLike, func: str) -> Profiles:
        """Reorder the rows (given for ``labels``) to ``G``'s internal ids."""
        check_graph(func, G)
        ids = G.node_ids(list(labels), param="profiles", func=func)
        if np.unique(ids).shape[0] != ids.shape[0]:
            fail(func, "profiles", "one row per node", "a node with two rows")
        if ids.shape[0] != G.n:
            missing = np.setdiff1d(np.arange(G.n), ids)
            fail(func, "profiles", f"a row for each of the {G.n} nodes",
                 f"no row for node {G.node_labels(missing[:1])[0]!r} "
                 f"({missing.shape[0]} missing)")
        codes = np.empty_like(self.codes)
        codes[ids] = self.codes
        codes.setflags(write=False)
        return Profiles(codes, self.values, self.attributes)

    def __repr__(self) -> str:
        return f"Profiles(n={self.n}, m={self.m}, values={self.n_values.tolist()})"


def read_profiles(path: str | Path, G: DiGraph | None = None) -> Profiles:
    """Read profiles from a text file of lines ``node a1 a2 ... am`` (whitespace or commas).

    Blank lines and lines starting with ``#`` are skipped; values are kept as strings (their
    codes follow the sorted order). Node labels are ints when they all parse as ints. With
    ``G`` the rows are aligned to its internal ids (every node needs exactly one line).

    Raises
    ------
    GraphFormatError
        A line with a different number of fields than the first.
    """
    func = "read_profiles"
    p = Path(path)
    if not p.is_file():
        fail(func, "path", "an existing file", str(path))
    rows: list[list[str]] = []
    with p.open() as fh:
        for lineno, line in enumerate(fh, 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            parts = s.replace(",", " ").split()
            if rows and len(parts) != len(rows[0]):
                raise GraphFormatError(
                    f"{p}:{lineno}: expected {len(rows[0])} fields (node and "
                    f"{len(rows[0]) - 1} attributes), got {len(parts)}")
            if len(parts) < 2:
                raise GraphFormatError(f"{p}:{lineno}: expected a node and at least one "
                                       f"attribute, got {len(parts)} field(s)")
            rows.append(parts)
    if not rows:
        fail(func, "path", "a file with at least one profile line", str(path))
    labels: list[Any] = [r[0] for r in rows]
    try:
        labels = [int(x) for x in labels]
    except ValueError:
        pass
    prof = Profiles.from_array(np.array([r[1:] for r in rows], dtype=object), func=func)
    return prof if G is None else prof._aligned(G, labels, func)


def synthetic_profiles(n: int, m: int, v: int, *, dist: str = "uniform", rate: float = 1.0,
                       rng: RngLike = None) -> Profiles:
    """Random profiles: each node draws each of its m attributes from v values.

    Parameters
    ----------
    n, m, v : int
        Nodes (>= 0), attributes (>= 1), values per attribute (>= 1).
    dist : {"uniform", "exponential"}
        ``"uniform"``: every value equally likely. ``"exponential"``: value ``j`` with
        probability proportional to ``exp(-rate j)`` (a truncated discretised exponential).
    rate : float > 0
        Rate of the exponential law.
    rng : None, int, SeedSequence or Generator

    Returns
    -------
    Profiles
        Every attribute keeps all ``v`` values (``values[i] = arange(v)``), even those no
        node drew.

    References
    ----------
    A. Caliò, A. Tagarelli (ADITUM), Sect. 6.1: synthetic profiles for the lurker networks,
    values sampled from a uniform or an exponential distribution (the rate used there is not
    recoverable from the text; ``rate=1`` is this package's choice).
    """
    func = "synthetic_profiles"
    n = check(func, "n", n, Interval(int, 0, None))
    m = check(func, "m", m, Interval(int, 1, None))
    v = check(func, "v", v, Interval(int, 1, None))
    dist = check_choice(func, "dist", dist, ("uniform", "exponential"))
    rate = check(func, "rate", rate, Interval(float, 0.0, None, closed="neither"))
    gen = as_generator(rng, func=func)
    if dist == "uniform":
        codes = gen.integers(0, v, size=(n, m), dtype=np.int64)
    else:
        p = np.exp(-rate * np.arange(v))
        codes = gen.choice(v, size=(n, m), p=p / p.sum()).astype(np.int64)
    codes.setflags(write=False)
    vals = np.arange(v, dtype=np.int64)
    vals.setflags(write=False)
    return Profiles(codes, tuple(vals for _ in range(m)), tuple(f"a{i + 1}" for i in range(m)))


def quantile_codes(x: ArrayLike, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Bin non-negative counts into at most ``bins`` quantile bins.

    The cut points are the ``j / bins`` quantiles (``j = 1..bins-1``) of ``x``, duplicates
    removed (a count shared by many nodes, such as 0, would otherwise make empty bins); a
    value goes to the bin of the cut points it reaches (``x >= cut``).

    Returns
    -------
    codes : ndarray of int64
        Bin index of each value (0-based, consecutive).
    lower : ndarray of float
        The smallest value of each bin (its label).
    """
    a = np.asarray(x, dtype=np.float64).ravel()
    if a.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    cuts = np.unique(np.quantile(a, np.arange(1, bins) / bins))
    raw = np.searchsorted(cuts, a, side="right")
    used, codes = np.unique(raw, return_inverse=True)
    lower = np.array([a[raw == b].min() for b in used])
    return codes.ravel().astype(np.int64), lower


def genre_profiles(G: DiGraph | None = None, *, counts: Any = None,  # noqa: ANN401
                   bins: int | None = None, unknown: str = "keep",
                   data_dir: str | Path | None = None) -> Profiles:
    """MovieLens genre profiles: one attribute per genre, value = the user's movie count.

    As in ADITUM's MovieLens runs, each genre is an attribute and its values are the numbers
    of movies of that genre the user rated (the distinct counts are the attribute values),
    or, with ``bins``, their quantile bins.

    Parameters
    ----------
    G : DiGraph, optional
        The MovieLens network (``infmax.datasets.load("movielens")``); rows are aligned to
        its internal ids. Without it, rows follow the sorted user ids.
    counts : GenreCounts, optional
        :func:`infmax.datasets.movielens.genre_counts` output; default: read it from the
        registered dataset ``"movielens"``.
    bins : int >= 2, optional
        Quantile bins per genre (see :func:`quantile_codes`); default: the raw counts.
    unknown : {"keep", "drop"}
        The genre ``"unknown"`` (two movies of MovieLens 100K, rated by about 1 % of the
        users, so the attribute is 0 for 99 % of them): kept as the 19th attribute (the
        paper's 19 genres, default) or dropped (18 attributes).
    data_dir : folder, optional
        Where to look for the dataset's files first.

    Returns
    -------
    Profiles
        ``attributes`` are the genre names; ``values[i]`` the distinct counts (or the
        smallest count of each bin).

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.targeted import genre_profiles
    >>> P = genre_profiles(im.datasets.load("movielens"), bins=4)   # doctest: +SKIP
    >>> P.m                                                           # doctest: +SKIP
    19
    """
    func = "genre_profiles"
    unknown = check_choice(func, "unknown", unknown, ("keep", "drop"))
    if bins is not None:
        bins = check(func, "bins", bins, Interval(int, 2, None))
    if counts is None:
        from ..datasets.movielens import genre_counts

        counts = genre_counts(data_dir=data_dir)
    for attr in ("users", "genres", "counts"):
        if not hasattr(counts, attr):
            fail(func, "counts", "a GenreCounts (users, genres, counts)",
                 type(counts).__name__)
    C = np.asarray(counts.counts)
    names = list(counts.genres)
    if C.ndim != 2 or C.shape != (len(counts.users), len(names)):
        fail(func, "counts", "a users x genres matrix", f"shape {C.shape}")
    cols = [i for i, g in enumerate(names) if unknown == "keep" or g != "unknown"]
    codes = np.empty((C.shape[0], len(cols)), dtype=np.int64)
    values = []
    for j, i in enumerate(cols):
        if bins is None:
            vals, inv = np.unique(C[:, i], return_inverse=True)
            codes[:, j] = inv.ravel()
        else:
            codes[:, j], vals = quantile_codes(C[:, i], bins)
        vals.setflags(write=False)
        values.append(vals)
    codes.setflags(write=False)
    prof = Profiles(codes, tuple(values), tuple(names[i] for i in cols))
    return prof if G is None else prof._aligned(G, np.asarray(counts.users), func)


def genre_bins(spec: str, *, func: str = "genre_bins", param: str = "profiles") -> int | None:
    """Parse the profile spec ``"genres"`` (None: raw counts) or ``"genres:bins=Q"`` (Q).

    The spelling the CLI (``--profiles``) and the ADITUM experiment accept for MovieLens genre
    profiles (:func:`genre_profiles`).

    Examples
    --------
    >>> genre_bins("genres"), genre_bins("genres:bins=4")
    (None, 4)
    """
    head, _, body = str(spec).partition(":")
    key, eq, val = body.partition("=")
    if head != "genres" or (body and (key.strip() != "bins" or not eq)):
        fail(func, param, "'genres' or 'genres:bins=Q'", spec)
    if not body:
        return None
    try:
        q = int(val)
    except ValueError:
        q = 0
    if q < 2:
        fail(func, param, "'genres:bins=Q' with an int Q >= 2", spec)
    return q
