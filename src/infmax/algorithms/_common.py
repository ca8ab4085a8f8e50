"""Small helpers shared by the seed selectors (heuristics, greedy, RIS).

Three things every selector does at its public boundary:

- :func:`resolve_candidates` turns ``candidates`` (``None``, node labels, or a bool mask of
  length ``n``) into ``None`` (every node allowed) or a read-only bool mask over internal ids;
- :func:`check_budget` validates ``k`` against ``n`` and against the number of candidates;
- :func:`make_result` builds the frozen :class:`~infmax.results.SeedResult` (labels in selection
  order, int32 ids, params, timings with ``"total"``, record).

:class:`Stopwatch` times named phases. Everything here validates public input and raises
:class:`~infmax.exceptions.InfmaxError` subclasses with the parameter and value named.

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

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from .._validation import check_k, fail
from ..results import SeedResult

__all__ = ["resolve_candidates", "check_budget", "candidate_ids", "make_result", "Stopwatch"]


def resolve_candidates(G, candidates, *, func: str, param: str = "candidates"):
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


def check_budget(func: str, k: Any, G, mask=None, *, param: str = "k") -> int:
    """Validate ``k``: an int in ``[1, n]`` and at most the number of candidates."""
    k = check_k(func, k, G.n, param=param)
    if mask is not None:
        c = int(mask.sum())
        if k > c:
            fail(func, param, f"an int <= the number of candidates ({c})", k)
    return k


def candidate_ids(G, mask) -> np.ndarray:
    """Int32 ids of the candidates in ascending order (all nodes when ``mask`` is None)."""
    if mask is None:
        return np.arange(G.n, dtype=np.int32)
    return np.flatnonzero(mask).astype(np.int32)


class Stopwatch:
    """Accumulates seconds per named phase; ``total`` is measured from construction.

    >>> sw = Stopwatch()
    >>> with sw("scores"):
    ...     pass
    >>> sorted(sw.timings())
    ['scores', 'total']
    """

    def __init__(self):
        self._t0 = time.perf_counter()
        self._phases: dict[str, float] = {}

    def __call__(self, phase: str):
        return _Phase(self, phase)

    def add(self, phase: str, seconds: float) -> None:
        self._phases[phase] = self._phases.get(phase, 0.0) + seconds

    def timings(self) -> dict[str, float]:
        out = dict(self._phases)
        out["total"] = time.perf_counter() - self._t0
        return out


class _Phase:
    def __init__(self, sw: Stopwatch, phase: str):
        self.sw, self.phase = sw, phase

    def __enter__(self):
        self.t = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.sw.add(self.phase, time.perf_counter() - self.t)
        return False


def make_result(G, algorithm: str, seed_ids, *, params: Mapping[str, Any],
                stopwatch: Stopwatch, record: Mapping[str, Any] | None = None,
                spread: float | None = None, spread_stderr: float | None = None) -> SeedResult:
    """The frozen SeedResult of a selector: ids -> labels, timings closed now."""
    ids = np.asarray(seed_ids, dtype=np.int32)
    return SeedResult(seeds=tuple(G.node_labels(ids)), algorithm=algorithm, seed_ids=ids,
                      spread=None if spread is None else float(spread),
                      spread_stderr=None if spread_stderr is None else float(spread_stderr),
                      params=dict(params), timings=stopwatch.timings(), record=dict(record or {}))


def candidates_param(candidates) -> Any:
    """A JSON-friendly description of ``candidates`` for ``SeedResult.params``."""
    if candidates is None:
        return None
    if isinstance(candidates, np.ndarray) and candidates.dtype == bool:
        return f"mask({int(candidates.sum())} of {candidates.shape[0]})"
    c = list(candidates)
    return c if len(c) <= 100 else f"{len(c)} labels"
