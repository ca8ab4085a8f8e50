"""LurkerRank (in-flow form): lurking scores as target scores, and LT weights derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._validation import Interval, check, check_graph

if TYPE_CHECKING:
    from ..graph import DiGraph

__all__ = ["LurkerRank", "lurkerrank"]


@dataclass(frozen=True, eq=False)
class LurkerRank:
    """Result of :func:`lurkerrank`.

    Attributes
    ----------
    scores : ndarray of float64, length n
        Lurking scores ``r(v)``, summing to 1 (internal id order): the target scores ``l``.
    edge_weights : ndarray of float64, length m
        ``w'(u, v) = c(u) / sum_{u' -> v} c(u')`` with ``c(u) = (out(u)/in(u)) r(u)`` per arc
        in out-CSR order (``G.indices``): u's share of the contributions to v's score. The
        in-weights of every node with in-arcs sum to 1 (a valid LT weighting).
    graph : DiGraph
        ``G`` with ``edge_weights`` as arc probabilities (weighting ``"lurkerrank"``).
    iterations : int
        Power iterations run.
    converged : bool
        Whether ``max |r - r_prev| <= tol`` was reached within ``max_iter``.
    """

    scores: np.ndarray
    edge_weights: np.ndarray
    graph: DiGraph
    iterations: int
    converged: bool

    @property
    def scaled(self) -> np.ndarray:
        """Scores rescaled to ``[0, 1]`` by their maximum (the scale a threshold ``tau`` uses)."""
        top = float(self.scores.max(initial=0.0))
        return self.scores / top if top > 0 else self.scores.copy()


def lurkerrank(G: DiGraph, *, damping: float = 0.85, max_iter: int = 150, tol: float = 1e-8,
               weighted: bool = False) -> LurkerRank:
    """Lurking scores (LurkerRank, in-flow form LR_in) and the LT weights derived from them.

    An arc ``u -> v`` means that v receives from (follows, is influenced by) u. With
    ``in(v) = 1 + in-degree`` and ``out(v) = 1 + out-degree``, starting from ``r = 1/N``::

        r(v) = d / out(v) * sum_{u -> v} w(u, v) (out(u) / in(u)) r(u) + (1 - d) / N

    until ``max |r - r_prev| <= tol`` or ``max_iter`` iterations, then normalised to sum 1.
    One sparse matrix-vector product per iteration (scipy).

    Parameters
    ----------
    G : DiGraph
    damping : float in [0, 1]
        ``d``.
    max_iter : int >= 1
    tol : float > 0
    weighted : bool
        ``w(u, v)`` = the arc probabilities of ``G``; default 1 (the authors' unweighted
        graphs).

    Returns
    -------
    LurkerRank
        ``scores`` (target scores for setting S3) and ``edge_weights`` / ``graph`` (LT
        weights ``w'(u, v) = c(u) / sum_{u' -> v} c(u')``, ``c(u) = (out(u)/in(u)) r(u)``).

    References
    ----------
    A. Tagarelli, R. Interdonato, "Who's out there? Identifying and ranking lurkers in social
    networks", ASONAM 2013 (LurkerRank, in-flow form); A. Caliò, A. Tagarelli (ADITUM),
    Sect. 6.1 (setting S3: lurkers as targets, edge weights from LurkerRank contributions).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.from_edges([0, 0, 0, 1], [1, 2, 3, 3])   # 0 produces, 3 consumes most
    >>> lr = im.lurkerrank(G)
    >>> int(lr.scores.argmax()), round(float(lr.scores.sum()), 12)
    (3, 1.0)
    """
    import scipy.sparse as sp

    func = "lurkerrank"
    check_graph(func, G)
    d = check(func, "damping", damping, Interval(float, 0.0, 1.0))
    max_iter = check(func, "max_iter", max_iter, Interval(int, 1, None))
    tol = check(func, "tol", tol, Interval(float, 0.0, None, closed="neither"))
    n = G.n
    indptr = np.asarray(G.indptr, dtype=np.int64)
    heads = np.asarray(G.indices, dtype=np.int64)
    tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    w = np.asarray(G.probs, dtype=np.float64) if weighted else np.ones(tails.shape[0])
    out = 1.0 + np.bincount(tails, minlength=n)
    inn = 1.0 + np.bincount(heads, minlength=n)
    M = sp.csr_matrix((w, (heads, tails)), shape=(n, n))   # M[v, u] = w(u, v)
    ratio = out / inn
    r = np.full(n, 1.0 / n) if n else np.zeros(0)
    it = 0
    converged = n == 0
    while it < max_iter and not converged:
        prev = r
        r = d / out * (M @ (ratio * r)) + (1.0 - d) / n
        it += 1
        converged = bool(np.max(np.abs(r - prev)) <= tol)
    total = float(r.sum())
    scores = r / total if total > 0 else r
    c = ratio * scores
    denom = np.bincount(heads, weights=c[tails], minlength=n)
    ew = c[tails] / denom[heads] if heads.size else np.zeros(0)
    for a in (scores, ew):
        a.setflags(write=False)
    return LurkerRank(scores, ew, G.with_probs(ew.astype(G.probs.dtype), "lurkerrank"), it,
                      converged)
