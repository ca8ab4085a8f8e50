"""Target sets from node scores: ``T = {v : l(v) >= tau}``."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._validation import Interval, check, check_graph, check_node_values, fail

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph

__all__ = ["Targets"]


def _parse_top(func: str, top: object) -> float:
    """``top`` as a fraction in (0, 1]: a float, or a string such as ``"25%"``."""
    q = top
    if isinstance(top, str):
        s = top.strip()
        try:
            q = float(s[:-1]) / 100.0 if s.endswith("%") else float(s)
        except ValueError:
            fail(func, "top", 'a fraction in (0, 1] or a percentage such as "25%"', top)
    return check(func, "top", q, Interval(float, 0.0, 1.0, closed="right"))


@dataclass(frozen=True, eq=False)
class Targets:
    """The target set of a targeted influence-maximisation problem.

    Attributes
    ----------
    scores : ndarray of float64, length n
        The node scores ``l(v) >= 0`` (internal id order).
    tau : float
        The threshold: ``v`` is a target iff ``l(v) >= tau``.
    mask : ndarray of bool, length n
        ``True`` for the targets.
    weights : ndarray of float64, length n
        ``l(v)`` on targets and 0 elsewhere: the node weights of capital.
    L : float
        ``sum_{v in T} l(v)``.

    References
    ----------
    A. Caliò, A. Tagarelli, "Monotone submodular diversity functions for categorical vectors
    with application to diversification of seeds for targeted influence maximization",
    Sect. 5 (target selection by a threshold on the target score; ``top-q %`` of the scores).
    """

    scores: np.ndarray
    tau: float
    mask: np.ndarray
    weights: np.ndarray
    L: float

    @classmethod
    def from_scores(cls, scores: ArrayLike | Mapping, *, tau: float | None = None,
                    top: float | str | None = None, G: DiGraph | None = None,
                    func: str = "Targets.from_scores") -> Targets:
        """Build the targets from scores and a threshold.

        Parameters
        ----------
        scores : array of float (length n) or mapping label -> score
            ``l(v) >= 0``, finite. A mapping needs ``G`` (missing nodes score 0).
        tau : float, optional
            Threshold: the targets are ``{v : l(v) >= tau}``.
        top : float in (0, 1] or str such as ``"25%"``, optional
            Threshold as a share of the nodes: ``tau`` is the ``ceil(q n)``-th largest score
            (ties at ``tau`` are all targets, so ``|T|`` may exceed ``ceil(q n)``).
            At most one of ``tau`` and ``top``; neither makes every node a target.
        G : DiGraph, optional
            Gives ``n`` and, for a mapping, the labels.

        Raises
        ------
        InvalidParameterError
            Bad scores, both ``tau`` and ``top``, or a threshold out of range.
        """
        if isinstance(scores, Targets):
            return scores
        if isinstance(scores, Mapping):
            if G is None:
                fail(func, "scores", "an array of n scores (a mapping needs the graph G)",
                     "a mapping")
            check_graph(func, G)
            a = np.zeros(G.n)
            ids = G.node_ids(list(scores.keys()), param="scores", func=func)
            a[ids] = check_node_values(func, "scores", list(scores.values()), len(scores))
        else:
            try:
                a = np.asarray(scores, dtype=np.float64)
            except (TypeError, ValueError):
                fail(func, "scores", "an array of finite non-negative floats", scores)
            n = G.n if G is not None else (a.shape[0] if a.ndim == 1 else -1)
            if n < 0:
                fail(func, "scores", "a 1-d array of scores", f"shape {a.shape}")
            a = check_node_values(func, "scores", a, n)
        if tau is not None and top is not None:
            fail(func, "tau", "None when top is given (give one threshold)", tau)
        if top is not None:
            q = _parse_top(func, top)
            if a.shape[0] == 0:
                t = 0.0
            else:
                r = min(max(math.ceil(q * a.shape[0] - 1e-9), 1), a.shape[0])
                t = float(np.sort(a)[::-1][r - 1])
        elif tau is not None:
            t = check(func, "tau", tau, Interval(float, None, None))
            if not math.isfinite(t):
                fail(func, "tau", "a finite float", t)
        else:
            t = 0.0
        mask = a >= t
        w = np.where(mask, a, 0.0)
        for arr in (a, mask, w):
            arr.setflags(write=False)
        return cls(a, float(t), mask, w, float(w.sum()))

    @property
    def ids(self) -> np.ndarray:
        """Internal ids of the targets, ascending."""
        return np.flatnonzero(self.mask)

    @property
    def n_targets(self) -> int:
        """``|T|``."""
        return int(self.mask.sum())

    def __repr__(self) -> str:
        return f"Targets(n_targets={self.n_targets}, tau={self.tau:g}, L={self.L:g})"
