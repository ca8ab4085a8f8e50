"""Shard-local kernels of the sharded greedy maximum coverage (``sampling._sharded``).

- :func:`newly_covered_decrements`: a chosen node marks the sets of one shard it newly
  covers, and the shard reports, sparsely, how much each member's coverage count drops (of
  every member, or of the members the driver asked about);
- the driver's side: :func:`add_sparse`, :func:`gather_leaders`; a shard's round 0 and exact
  counts: :func:`nonzero_counts`, :func:`uncovered_counts`.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def newly_covered_decrements(best, nodes, offsets, inv_ptr, inv_sets, covered, acc, mask,
                             masked):
    """Mark the sets holding ``best`` that were not yet covered; return the count drops.

    ``covered`` (uint8 per set) is updated in place; ``acc`` (int32 per node) is scratch, all
    zeros before and after the call. Returns ``(nodes int32, drops int32)``: node ``nodes[j]``
    lies in ``drops[j]`` of the newly covered sets (nodes in first-seen order, each once);
    with ``masked`` only the nodes with ``mask[v]`` true are counted and returned.
    """
    m = 0
    for t in range(inv_ptr[best], inv_ptr[best + 1]):
        s = inv_sets[t]
        if covered[s] == 0:
            m += offsets[s + 1] - offsets[s]
    touched = np.empty(m, dtype=np.int32)
    nt = 0
    for t in range(inv_ptr[best], inv_ptr[best + 1]):
        s = inv_sets[t]
        if covered[s] == 0:
            covered[s] = 1
            for q in range(offsets[s], offsets[s + 1]):
                v = nodes[q]
                if masked and not mask[v]:
                    continue
                if acc[v] == 0:
                    touched[nt] = v
                    nt += 1
                acc[v] += 1
    out = touched[:nt].copy()
    drops = np.empty(nt, dtype=np.int32)
    for j in range(nt):
        drops[j] = acc[out[j]]
        acc[out[j]] = 0
    return out, drops


@njit(cache=True, nogil=True)
def cover_sets(best, inv_ptr, inv_sets, covered):
    """Mark the sets holding ``best`` covered (a pick replayed: its drops are not needed)."""
    for t in range(inv_ptr[best], inv_ptr[best + 1]):
        covered[inv_sets[t]] = 1


@njit(cache=True, nogil=True)
def add_sparse(total, nodes, vals):
    """``total[nodes[j]] += vals[j]`` for every j (``nodes`` distinct; int64 ``vals``)."""
    for j in range(nodes.shape[0]):
        total[nodes[j]] += vals[j]


@njit(cache=True, nogil=True)
def nonzero_counts(ptr):
    """Nodes whose list in a CSR index ``ptr`` is not empty, and their list lengths.

    Returns ``(nodes int32, counts int64, n_nonzero)``; the counts of
    ``np.diff(ptr)[nodes]`` without an n-long temporary.
    """
    n = ptr.shape[0] - 1
    nz = 0
    for v in range(n):
        if ptr[v + 1] > ptr[v]:
            nz += 1
    nodes = np.empty(nz, dtype=np.int32)
    counts = np.empty(nz, dtype=np.int64)
    j = 0
    for v in range(n):
        c = ptr[v + 1] - ptr[v]
        if c > 0:
            nodes[j] = v
            counts[j] = c
            j += 1
    return nodes, counts, nz


#: the largest score :func:`gather_leaders` bins; above it the caller partitions instead
LEADER_BINS = 1 << 20


@njit(cache=True, nogil=True)
def gather_leaders(score, size):
    """Threshold ``t`` and the nodes (ascending) with ``score > t``: at most ``size`` of them.

    ``t`` is the smallest value >= 0 with at most ``size`` nodes above it (a histogram of the
    positive scores; two passes over ``score``). Returns ``(-1, empty)`` when the largest
    score exceeds :data:`LEADER_BINS` (the caller then partitions).
    """
    n = score.shape[0]
    top = 0
    pos = 0
    for v in range(n):
        x = score[v]
        if x > 0:
            pos += 1
            if x > top:
                top = x
    t = 0
    if pos > size:
        if top > LEADER_BINS:
            return -1, np.empty(0, dtype=np.int64)
        hist = np.zeros(top + 1, dtype=np.int64)
        for v in range(n):
            x = score[v]
            if x > 0:
                hist[x] += 1
        above = 0
        t = top
        while t > 0 and above + hist[t] <= size:
            above += hist[t]
            t -= 1
        pos = above
    out = np.empty(pos, dtype=np.int64)
    j = 0
    for v in range(n):
        if score[v] > t:
            out[j] = v
            j += 1
    return t, out


@njit(cache=True, nogil=True)
def uncovered_counts(nodes, inv_ptr, inv_sets, covered):
    """For each of ``nodes``: the number of its sets (inverted index) with ``covered == 0``."""
    out = np.zeros(nodes.shape[0], dtype=np.int64)
    for j in range(nodes.shape[0]):
        v = nodes[j]
        c = 0
        for t in range(inv_ptr[v], inv_ptr[v + 1]):
            if covered[inv_sets[t]] == 0:
                c += 1
        out[j] = c
    return out
