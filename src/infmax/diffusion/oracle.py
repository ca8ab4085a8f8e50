"""The one spread-oracle protocol: :class:`SpreadOracle`.

A spread oracle answers "what is the (estimated) expected spread of this seed set?" for seed
sets given as int32 internal ids. The greedy selectors of :mod:`infmax.algorithms`
(``greedy``, ``celf``, ``celfpp``) consume any object that satisfies it, whatever estimates the
spread behind it:

==============================================  ==============================================
oracle                                          spread of
==============================================  ==============================================
:class:`infmax.diffusion.MonteCarloOracle`      IC / LT / triggering, Monte Carlo on a DiGraph
:class:`infmax.temporal.SIOracle`               SI on snapshot graphs, Monte Carlo
:class:`infmax.sampling.RRSetOracle`            ``L * covered fraction`` of a fixed RR collection
a learned model                                 whatever it was trained to predict
==============================================  ==============================================

The protocol has two required members and one optional one:

- ``n`` (int): the number of nodes; ids passed in are in ``0 .. n - 1``. The selectors check it
  against the graph they are given.
- ``__call__(ids) -> float``: the spread of one set.
- ``batch(sets) -> array of float`` (optional): the spreads of several sets in one go, equal
  to ``[oracle(s) for s in sets]`` but free to evaluate them together (one parallel kernel
  call). :func:`evaluate_many` uses it when it is there and falls back to one call per set.

An oracle may be noisy (fresh random numbers per call) or deterministic (common random numbers,
exact computation); CELF's laziness is exact only for a deterministic submodular oracle.

Examples
--------
>>> import numpy as np
>>> class Reach:  # the exact spread of a graph whose arcs all have p = 1
...     n = 3
...     def __call__(self, ids):
...         return float(len({0: {0, 1}, 1: {1}, 2: {2}}[int(ids[0])] if len(ids) else ()))
>>> isinstance(Reach(), SpreadOracle)
True
>>> evaluate_many(Reach(), [np.array([0], np.int32), np.array([2], np.int32)]).tolist()
[2.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from .._validation import fail

__all__ = ["SpreadOracle", "BatchSpreadOracle", "evaluate_many", "oracle_size"]


@runtime_checkable
class SpreadOracle(Protocol):
    """``oracle(ids) -> float``: the expected spread of the seed set ``ids`` (int32 ids).

    Attributes
    ----------
    n : int
        Number of nodes; valid ids are ``0 .. n - 1``.
    """

    n: int

    def __call__(self, ids: np.ndarray) -> float:
        """Spread of one seed set (int32 internal ids, selection order)."""


@runtime_checkable
class BatchSpreadOracle(SpreadOracle, Protocol):
    """A :class:`SpreadOracle` that also evaluates several sets in one call."""

    def batch(self, sets: Sequence[np.ndarray]) -> np.ndarray:
        """Spreads of ``sets`` (float64 array, one entry per set, in order)."""


def evaluate_many(oracle: SpreadOracle, sets: Sequence[np.ndarray], *, func: str = "evaluate_many",
                  param: str = "oracle") -> np.ndarray:
    """``[oracle(s) for s in sets]`` as an array, through ``oracle.batch`` when it has one.

    Values are returned as given (the caller checks that they are finite floats); a batch that
    does not return one value per set raises InvalidParameterError naming ``param``.
    """
    sets = list(sets)
    batch = getattr(oracle, "batch", None)
    if batch is None:
        return np.array([oracle(s) for s in sets], dtype=object)
    out = np.asarray(batch(sets), dtype=object).reshape(-1)
    if out.shape[0] != len(sets):
        fail(func, param, "an oracle whose batch(sets) returns one value per set",
             f"{type(oracle).__name__}.batch giving {out.shape[0]} values for {len(sets)} sets")
    return out


def oracle_size(oracle: SpreadOracle) -> int | None:
    """Return the oracle's declared number of nodes ``n`` (None when it declares none)."""
    n = getattr(oracle, "n", None)
    if isinstance(n, (int, np.integer)) and not isinstance(n, bool):
        return int(n)
    return None
