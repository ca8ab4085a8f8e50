"""Kernels of the large-graph generators (R-MAT, Chung-Lu) and of the O(m) CSR builders.

Every generator kernel works on fixed blocks of work, each with its own 64-bit seed
(:func:`infmax.random.block_seeds`), so the output depends only on the seeds, never on the
thread count; the callers run them as bounded calls (a range of blocks each) with a Ctrl-C
checkpoint between calls.

- :func:`rmat_block_range`: ``BLOCK`` arcs per block, each arc ``scale`` quadrant draws
  (Chakrabarti, Zhan and Faloutsos 2004; Graph500 parameters a, b, c, d).
- :func:`chung_lu_count` / :func:`chung_lu_fill`: the Miller-Hagberg (2011) skip sampler of
  the Chung-Lu model over a block of sources, run twice with the same seeds (count, then fill
  at exact offsets), so no buffer is ever too small.
- :func:`count_rows`, :func:`scatter_rows`, :func:`sort_dedup_rows`, :func:`compact_rows`: CSR
  from id pairs by counting sort (self-loops dropped, duplicates merged), O(m + n).
- :func:`reverse_csr`: the in-CSR and the in-to-out arc permutation of an out-CSR by one
  counting pass; identical to a stable argsort of the targets.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._rng import next_double, seed_state

__all__ = ["BLOCK", "rmat_block_range", "chung_lu_count", "chung_lu_fill", "count_rows",
           "scatter_rows", "sort_dedup_rows", "compact_rows", "reverse_csr"]

#: arcs (R-MAT) or source nodes (Chung-Lu) per seeded block
BLOCK = 1 << 14


@njit(cache=True, nogil=True, parallel=True)
def rmat_block_range(scale, m, a, b, c, seeds, b0, b1, src, dst):
    """Fill arcs ``[b0 * BLOCK, min(b1 * BLOCK, m))`` of ``src``/``dst`` (int32) by R-MAT.

    Each level of the ``2^scale x 2^scale`` adjacency matrix picks a quadrant with
    probabilities ``a`` (top left), ``b`` (top right), ``c`` (bottom left), ``1 - a - b - c``:
    one uniform per level, bits from the most significant down.
    """
    ab = a + b
    abc = a + b + c
    for bi in prange(b0, b1):
        state = seed_state(seeds[bi])
        e0 = bi * BLOCK
        e1 = min(m, e0 + BLOCK)
        for e in range(e0, e1):
            u = 0
            v = 0
            for _ in range(scale):
                state, r = next_double(state)
                u <<= 1
                v <<= 1
                if r >= a:
                    if r < ab:
                        v |= 1
                    elif r < abc:
                        u |= 1
                    else:
                        u |= 1
                        v |= 1
            src[e] = u
            dst[e] = v


@njit(cache=True, nogil=True, inline="always")
def _skip(state, p, cap):
    """Geometric skip: failures before a success of probability ``p`` < 1 (at most ``cap``)."""
    state, r = next_double(state)
    f = np.floor(np.log1p(-r) / np.log1p(-p))
    return state, np.int64(f) if f < cap else np.int64(cap)


@njit(cache=True, nogil=True)
def _chung_lu_row(u, state, w_out, w_in, inv_s, undirected, out, pos, write):
    """Targets of source ``u``: each ``v`` with probability ``min(1, w_out[u] w_in[v] / S)``.

    ``w_in`` is in descending order, so the Miller-Hagberg skip sampler applies: geometric
    skips with the last probability ``p`` as an upper bound, then acceptance ``q / p``.
    Undirected: only targets ``v > u``; directed: every ``v``, the pair ``(u, u)`` drawn like
    the others and discarded. Returns (state, arcs of ``u``).
    """
    n = w_in.shape[0]
    wu = w_out[u] * inv_s
    v = u + 1 if undirected else 0
    count = 0
    if v >= n or wu <= 0.0:
        return state, count
    p = min(wu * w_in[v], 1.0)
    while v < n and p > 0.0:
        if p < 1.0:
            state, s = _skip(state, p, n)
            v += s
            if v >= n:
                break
        q = min(wu * w_in[v], 1.0)
        state, r = next_double(state)
        if r < q / p and v != u:
            if write:
                out[pos + count] = v
            count += 1
        p = q
        v += 1
    return state, count


@njit(cache=True, nogil=True, parallel=True)
def chung_lu_count(w_out, w_in, inv_s, undirected, seeds, b0, b1, counts):
    """Arcs per source for the source blocks ``b0 .. b1-1`` (into ``counts``)."""
    n = w_out.shape[0]
    dummy = np.empty(0, dtype=np.int32)
    for bi in prange(b0, b1):
        state = seed_state(seeds[bi])
        for u in range(bi * BLOCK, min(n, (bi + 1) * BLOCK)):
            state, c = _chung_lu_row(u, state, w_out, w_in, inv_s, undirected, dummy, 0, False)
            counts[u] = c


@njit(cache=True, nogil=True, parallel=True)
def chung_lu_fill(w_out, w_in, inv_s, undirected, seeds, b0, b1, indptr, out):
    """Write the targets of the source blocks ``b0 .. b1-1`` at ``out[indptr[u]:]``.

    Same seeds as :func:`chung_lu_count`, hence the same draws and the same counts.
    """
    n = w_out.shape[0]
    for bi in prange(b0, b1):
        state = seed_state(seeds[bi])
        for u in range(bi * BLOCK, min(n, (bi + 1) * BLOCK)):
            state, _ = _chung_lu_row(u, state, w_out, w_in, inv_s, undirected, out,
                                     indptr[u], True)


@njit(cache=True, nogil=True)
def count_rows(src, dst, e0, e1, counts):
    """Add the non-loop arcs ``e0 .. e1-1`` to the per-source ``counts``."""
    for e in range(e0, e1):
        if src[e] != dst[e]:
            counts[src[e]] += 1


@njit(cache=True, nogil=True)
def scatter_rows(src, dst, e0, e1, cursor, cols):
    """Place the non-loop arcs ``e0 .. e1-1`` in their rows (``cursor``: next free slot)."""
    for e in range(e0, e1):
        u = src[e]
        if u != dst[e]:
            cols[cursor[u]] = dst[e]
            cursor[u] += 1


@njit(cache=True, nogil=True, parallel=True)
def sort_dedup_rows(indptr, cols, r0, r1, kept):
    """Sort rows ``r0 .. r1-1`` in place, move their distinct targets to the front.

    ``kept[u]`` is the number of distinct targets of row ``u``.
    """
    for u in prange(r0, r1):
        a, b = indptr[u], indptr[u + 1]
        if b - a > 1:
            cols[a:b].sort()
        k = 0
        for i in range(a, b):
            if k == 0 or cols[i] != cols[a + k - 1]:
                cols[a + k] = cols[i]
                k += 1
        kept[u] = k


@njit(cache=True, nogil=True, parallel=True)
def compact_rows(indptr, cols, new_indptr, r0, r1, out):
    """Copy the first ``new_indptr[u+1] - new_indptr[u]`` entries of each row into ``out``."""
    for u in prange(r0, r1):
        a = indptr[u]
        d = new_indptr[u]
        for i in range(new_indptr[u + 1] - d):
            out[d + i] = cols[a + i]


@njit(cache=True, nogil=True)
def reverse_csr(indptr, indices, u0, u1, cursor, rindices, perm):
    """Place the arcs of sources ``u0 .. u1-1`` in the in-CSR (sources ascending per row).

    ``cursor[v]`` is the next free in-CSR slot of ``v`` (start: ``rindptr[:-1]``);
    ``perm[r]`` is the out-CSR index of in-CSR arc ``r``.
    """
    for u in range(u0, u1):
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            r = cursor[v]
            rindices[r] = u
            perm[r] = e
            cursor[v] = r + 1


@njit(cache=True, nogil=True)
def scatter_stable(keys, order_in, lo, hi, cursor, order_out):
    """One pass of a stable counting sort: rows ``order_in[lo:hi]`` to their slots by ``keys``.

    ``cursor[k]`` is the next free slot of key ``k`` (start: the exclusive prefix sum of the
    key counts); calls over consecutive ``lo .. hi`` ranges keep the input order per key.
    """
    for i in range(lo, hi):
        j = order_in[i]
        k = keys[j]
        order_out[cursor[k]] = j
        cursor[k] += 1
