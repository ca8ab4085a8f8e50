"""Small helpers shared by the seed selectors (heuristics, greedy, RIS).

Two things every selector does at its public boundary:

- :func:`resolve_candidates` turns ``candidates`` (``None``, node labels, or a bool mask of
  length ``n``) into ``None`` (every node allowed) or a read-only bool mask over internal ids;
- :func:`check_budget` validates ``k`` against ``n`` and against the number of candidates.

The result itself is built by :func:`infmax.results.make_result` from a
:class:`~infmax.results.Stopwatch` (one home for results and their timings). Everything here
validates public input and raises :class:`~infmax.exceptions.InfmaxError` subclasses with the
parameter and value named.

Examples
--------
>>> import infmax as im
>>> from infmax.algorithms._common import resolve_candidates, check_budget
>>> G = im.graph.from_edges([1, 2, 3], [2, 3, 1])
>>> resolve_candidates(G, [3, 1], func="degree").tolist()
[True, False, True]
>>> check_budget("degree", 2, G, resolve_candidates(G, [3, 1], func="degree"))
2
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import check_k, fail

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..graph import DiGraph
    from ..graph.temporal import TemporalGraph

__all__ = ["resolve_candidates", "check_budget", "candidate_ids", "candidates_param"]


def resolve_candidates(G: DiGraph | TemporalGraph, candidates: Iterable[Any] | np.ndarray | None,
                       *, func: str, param: str = "candidates") -> np.ndarray | None:
    """Bool mask (length ``G.n``, read-only) of the nodes allowed as seeds, or ``None`` for all.

    ``candidates`` is ``None``, an iterable of node labels (unknown labels raise
    :class:`~infmax.exceptions.UnknownNodeError`), or a numpy bool array of length ``G.n``
    indexed by internal id. Duplicate labels are allowed (they name the same node).
    """
    if candidates is None:
        return None
    if isinstance(candidates, np.ndarray) and candidates.dtype == bool:
        if candidates.shape != (G.n,):
            fail(func, param, f"node labels or a bool mask of length n={G.n}",
                 f"bool array of shape {candidates.shape}")
        mask = candidates.copy()
    else:
        if isinstance(candidates, (str, bytes)) or not hasattr(candidates, "__iter__"):
            fail(func, param, "an iterable of node labels or a bool mask", candidates)
        ids = G.node_ids(candidates, param=param, func=func)
        mask = np.zeros(G.n, dtype=bool)
        mask[ids] = True
    mask.setflags(write=False)
    return mask


def check_budget(func: str, k: object, G: DiGraph | TemporalGraph, mask: np.ndarray | None = None,
                 *, param: str = "k") -> int:
    """Validate ``k``: an int in ``[1, n]`` and at most the number of candidates."""
    k = check_k(func, k, G.n, param=param)
    if mask is not None:
        c = int(mask.sum())
        if k > c:
            fail(func, param, f"an int <= the number of candidates ({c})", k)
    return k


def candidate_ids(G: DiGraph | TemporalGraph, mask: np.ndarray | None) -> np.ndarray:
    """Int32 ids of the candidates in ascending order (all nodes when ``mask`` is None)."""
    if mask is None:
        return np.arange(G.n, dtype=np.int32)
    return np.flatnonzero(mask).astype(np.int32)


def candidates_param(candidates: Iterable[Any] | np.ndarray | None) -> list[Any] | str | None:
    """Describe ``candidates`` for ``SeedResult.params`` in a JSON-friendly way.

    ``None`` stays ``None``; a bool mask becomes ``"mask(<count> of <n>)"``; up to 100 labels
    are listed as they are, more become ``"<count> labels"``.
    """
    if candidates is None:
        return None
    if isinstance(candidates, np.ndarray) and candidates.dtype == bool:
        return f"mask({int(candidates.sum())} of {candidates.shape[0]})"
    c = list(candidates)
    return c if len(c) <= 100 else f"{len(c)} labels"
