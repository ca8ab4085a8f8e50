"""MovieLens 100K as a network: the co-rating graph of ADITUM's setting S1 and the genre counts.

The network has the 943 users as nodes and an arc ``u -> v`` when, among the movies both
rated, ``u`` rated at least ``min_common`` (10) strictly earlier than ``v``. This rule,
counted per ordered pair (each movie both rated counts for the pair whose member rated it
first), reproduces the 943 nodes and 229,677 arcs of Table 1 of Caliò and Tagarelli
(ADITUM) exactly (``METHODS.md`` section 2). Two ratings of one movie with equal timestamps
would count in neither direction; MovieLens 100K has none (no two users rated the same movie
in the same second), so the choice does not change the graph.

The node attributes of ADITUM's MovieLens runs are the 19 genres of ``u.genre`` (``unknown``
included), the value of genre g for user u being the number of movies u rated that carry g
(a movie with several genres counts for each). :func:`genre_counts` returns that raw count
matrix; :func:`infmax.targeted.genre_profiles` turns it into categorical profiles (optionally
binned by quantiles).

Examples
--------
>>> import infmax as im
>>> G = im.datasets.load("movielens")                               # doctest: +SKIP
>>> (G.n, G.m)                                                       # doctest: +SKIP
(943, 229677)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .. import _memory
from .._interrupt import checkpoint
from .._validation import Interval, check

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

    from ..graph import DiGraph
    from ..random import RngLike

__all__ = ["load_movielens", "corating_arcs", "genre_counts", "GenreCounts", "read_ratings"]

#: ordered pairs generated per vectorised block (bounds the memory of the pair arrays)
PAIR_BLOCK = 1 << 22


def read_ratings(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read a MovieLens ``u.data`` file (tab-separated ``user item rating timestamp``).

    Returns
    -------
    users, items, timestamps : ndarray of int64
        One entry per rating, in file order (ids as in the file, 1-based).
    """
    import pandas as pd

    d = pd.read_csv(path, sep="\t", header=None, names=["user", "item", "rating", "ts"],
                    dtype=np.int64, engine="c")
    return d["user"].to_numpy(), d["item"].to_numpy(), d["ts"].to_numpy()


def corating_arcs(users: ArrayLike, items: ArrayLike, timestamps: ArrayLike, *,
                  min_common: int = 10, max_memory: int | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arcs ``u -> v`` of the co-rating network: u rated >= ``min_common`` movies before v.

    For every ordered pair of users, count the movies both rated where u's timestamp is
    strictly smaller than v's; keep the pairs whose count reaches ``min_common``. Vectorised:
    the ratings are sorted by (movie, time), and every rating is paired with the ratings of
    the same movie that are strictly later (``searchsorted`` on the time), in blocks of at
    most :data:`PAIR_BLOCK` pairs accumulated into a dense user x user count matrix.

    Parameters
    ----------
    users, items, timestamps : array of int
        One entry per rating (any labels for users and items; a user rates a movie once).
    min_common : int >= 1
        Minimum number of movies rated strictly earlier.
    max_memory : int, optional
        Bytes the count matrix and the pair blocks may take (default: the available memory);
        MemoryLimitError before allocating when they would not fit.

    Returns
    -------
    src, dst : ndarray
        User labels of the arcs' tails and heads, sorted by (src, dst).
    counts : ndarray of int64
        The number of movies behind each arc.
    """
    func = "corating_arcs"
    min_common = check(func, "min_common", min_common, Interval(int, 1, None))
    u_lab, u = np.unique(np.asarray(users), return_inverse=True)
    _, it = np.unique(np.asarray(items), return_inverse=True)
    t = np.asarray(timestamps, dtype=np.int64).ravel()
    u, it = u.ravel(), it.ravel()
    n = u_lab.shape[0]
    need = 16 * n * n + 32 * PAIR_BLOCK       # counts + one bincount, one block's pair arrays
    _memory.check(func, need, _memory.resolve_limit(func, max_memory),
                  what=f"the {n:,} x {n:,} user-pair count matrix",
                  hint="raise max_memory or build the network from fewer users")
    order = np.lexsort((t, it))                       # by movie, then time
    u, it, t = u[order], it[order], t[order]
    seg_end = np.searchsorted(it, it, side="right")   # end of each rating's movie block
    # first strictly later rating of the same movie: search (movie, time) lexicographically
    key = it * (t.max(initial=0) + 1 - t.min(initial=0)) + (t - t.min(initial=0))
    later = np.searchsorted(key, key, side="right")
    n_pairs = seg_end - later
    cum = np.concatenate(([0], np.cumsum(n_pairs)))
    counts = np.zeros(n * n, dtype=np.int64)
    start = 0
    while start < u.shape[0]:
        stop = int(np.searchsorted(cum, cum[start] + PAIR_BLOCK, side="right")) - 1
        stop = max(stop, start + 1)
        rows = np.arange(start, stop)
        k = n_pairs[rows]
        tot = int(k.sum())
        if tot:
            first = np.repeat(later[rows] - (cum[rows] - cum[start]), k)
            partner = first + np.arange(tot)
            src = np.repeat(u[rows], k)
            counts += np.bincount(src * n + u[partner], minlength=n * n)
        start = stop
        checkpoint()
    keep = np.flatnonzero(counts >= min_common)
    return u_lab[keep // n], u_lab[keep % n], counts[keep]


def load_movielens(paths: Sequence[Path], *, min_common: int = 10,
                   weights: str | float | ArrayLike = "wc", rng: RngLike = None,
                   p: float | None = None, dtype: DTypeLike = np.float64) -> DiGraph:
    """Build the MovieLens co-rating network from ``u.data`` (the first of ``paths``).

    Parameters
    ----------
    paths : sequence of Path
        ``u.data`` first (the dataset's other files are not read here).
    min_common : int >= 1
        Minimum number of co-rated movies rated strictly earlier (the paper: 10).
    weights, rng, p, dtype
        Edge weights as in :func:`infmax.from_edges` (default weighted cascade, setting S1).

    Returns
    -------
    DiGraph
        Nodes labelled by MovieLens user id (1..943), every user kept even without arcs.
    """
    from ..graph import from_edges

    users, items, ts = read_ratings(paths[0])
    src, dst, _ = corating_arcs(users, items, ts, min_common=min_common)
    return from_edges(src, dst, directed=True, weights=weights, rng=rng, p=p, dtype=dtype,
                      nodes=np.unique(users), source=f"{paths[0]} (co-rating >= {min_common})")


class GenreCounts(NamedTuple):
    """Per-user genre counts of MovieLens: ``counts[i, g]`` movies of genre g rated by user i."""

    users: np.ndarray
    genres: tuple
    counts: np.ndarray


def genre_counts(path: str | os.PathLike[str] | None = None, *,
                 data_dir: str | os.PathLike[str] | None = None,
                 download: bool = True) -> GenreCounts:
    """Return the user x genre count matrix of MovieLens 100K (raw, unbinned).

    Parameters
    ----------
    path : folder, optional
        A folder holding ``u.data``, ``u.item`` and ``u.genre``; default: the registered
        dataset ``"movielens"`` (found through ``data_dir``, ``$INFMAX_DATA_DIR``, the cache
        or a download).
    data_dir, download
        As in :func:`infmax.datasets.path`.

    Returns
    -------
    GenreCounts
        ``users`` (sorted ids), ``genres`` (the 19 names in ``u.genre`` order, ``"unknown"``
        first) and ``counts`` (int64, users x genres).
    """
    import pandas as pd
    import scipy.sparse as sp

    if path is None:
        from ._registry import path as dataset_path

        data, item, genre = dataset_path("movielens", data_dir=data_dir, download=download)
    else:
        folder = Path(path)
        if not folder.is_dir():
            from .._validation import fail

            fail("genre_counts", "path", "a folder with u.data, u.item and u.genre",
                 str(path))
        data, item, genre = (folder / "u.data", folder / "u.item", folder / "u.genre")
    g = pd.read_csv(genre, sep="|", header=None, names=["name", "id"], encoding="latin-1")
    g = g.dropna()
    names = tuple(g.sort_values("id")["name"].astype(str))
    items = pd.read_csv(item, sep="|", header=None, encoding="latin-1")
    flags = items.iloc[:, -len(names):].to_numpy(dtype=np.int64)
    item_ids = items.iloc[:, 0].to_numpy(dtype=np.int64)
    users, its, _ = read_ratings(data)
    u_lab, ui = np.unique(users, return_inverse=True)
    pos = np.searchsorted(item_ids, its)
    R = sp.csr_array((np.ones(ui.shape[0], dtype=np.int64), (ui.ravel(), pos)),
                     shape=(u_lab.shape[0], item_ids.shape[0]))
    return GenreCounts(u_lab, names, np.asarray(R @ flags, dtype=np.int64))
