"""Max-coverage kernels over RR sets (CSR of sets + inverted index).

- :func:`build_inverted`: node -> set ids by a counting sort (two passes over the entries,
  threaded over fixed chunks of sets, set ids ascending inside every node's list; two small
  serial kernels, :func:`count_entries` and :func:`fill_entries`, do the work).
- :func:`greedy_cover`: greedy maximum coverage. Without the upper bound by lazy evaluation
  (:func:`lazy_steps`: a heap of gain bounds, a top's gain recounted over its inverted list;
  a chosen seed only marks its sets covered). With the OPIM-C upper bound ``min_i (cov(S_i) +
  sum of the k largest marginal counts w.r.t. S_i)``, which needs every node's exact count,
  by counts that change only for the sets a new seed newly covers (:func:`greedy_steps`: each
  set is "uncovered" once, one pass over the covered sets' entries plus ``k`` arg-max
  scans). Both give the same seeds and gains (ties to the smallest id).
- :func:`count_hits`: number of sets that contain at least one marked node.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._threads import run_tasks

_CHUNKS = 16  # chunks of the threaded inverted index (the output does not depend on it)


@njit(cache=True, nogil=True)
def count_entries(nodes, offsets, lo, hi, cnt):
    """``cnt[v] +=`` the number of entries of sets ``lo .. hi - 1`` equal to ``v``."""
    for t in range(offsets[lo], offsets[hi]):
        cnt[nodes[t]] += 1


@njit(cache=True, nogil=True)
def fill_entries(nodes, offsets, lo, hi, cur, inv_sets):
    """Write set ids ``lo .. hi - 1`` into ``inv_sets`` at the cursors ``cur`` (advanced)."""
    for s in range(lo, hi):
        for t in range(offsets[s], offsets[s + 1]):
            v = nodes[t]
            inv_sets[cur[v]] = s
            cur[v] += 1


def _inverted(n, nodes, offsets, s0, s1, n_chunks, n_workers):
    """Counting sort of sets ``s0 .. s1 - 1`` over ``n_chunks`` fixed chunks of sets (counts per
    chunk, one prefix sum, fill per chunk); the output does not depend on the chunking."""
    bounds = s0 + ((s1 - s0) * np.arange(n_chunks + 1, dtype=np.int64)) // n_chunks
    counts = np.zeros((n_chunks, n), dtype=np.int64)
    run_tasks(n_chunks, lambda w, c: count_entries(nodes, offsets, bounds[c], bounds[c + 1],
                                                   counts[c]), n_workers)
    inv_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts.sum(axis=0), out=inv_ptr[1:])
    cur = np.cumsum(counts, axis=0)
    cur -= counts                       # entries of the earlier chunks, per node
    cur += inv_ptr[:n]
    inv_sets = np.empty(int(offsets[s1] - offsets[s0]), dtype=np.int32)
    run_tasks(n_chunks, lambda w, c: fill_entries(nodes, offsets, bounds[c], bounds[c + 1],
                                                  cur[c], inv_sets), n_workers)
    return inv_ptr, inv_sets


def build_inverted(n: int, nodes: np.ndarray, offsets: np.ndarray, s0: int,
                   s1: int) -> tuple[np.ndarray, np.ndarray]:
    """Inverted index ``(inv_ptr int64[n+1], inv_sets int32[entries])`` of sets ``s0..s1-1``.

    Set ids ascend inside every node's list. :data:`_CHUNKS` fixed chunks of sets, counted and
    filled on numba's thread count of threads (:func:`~._threads.run_tasks`).
    """
    return _inverted(n, nodes, offsets, s0, s1, _CHUNKS, None)


@njit(cache=True, nogil=True)
def merge_inverted(n, old_ptr, old_sets, new_ptr, new_sets):
    """Concatenate two inverted indexes node by node (old sets first, so ids stay sorted).

    Serial: sequential copies, memory-bound."""
    ptr = np.empty(n + 1, dtype=np.int64)
    ptr[0] = 0
    for v in range(n):
        ptr[v + 1] = ptr[v] + (old_ptr[v + 1] - old_ptr[v]) + (new_ptr[v + 1] - new_ptr[v])
    out = np.empty(ptr[n], dtype=np.int32)
    for v in range(n):
        d = ptr[v]
        for t in range(old_ptr[v], old_ptr[v + 1]):
            out[d] = old_sets[t]
            d += 1
        for t in range(new_ptr[v], new_ptr[v + 1]):
            out[d] = new_sets[t]
            d += 1
    return ptr, out


@njit(cache=True, nogil=True)
def _topk_sum(cnt, cand, k):
    """Sum of the k largest cnt[v] over candidates (small min-heap)."""
    heap = np.zeros(k, dtype=np.int64)  # zeros are a valid floor (counts >= 0)
    for v in range(cnt.shape[0]):
        x = cnt[v]
        if x <= heap[0] or not cand[v]:
            continue
        # replace root, sift down
        heap[0] = x
        i = 0
        while True:
            left = 2 * i + 1
            if left >= k:
                break
            m = left
            if left + 1 < k and heap[left + 1] < heap[left]:
                m = left + 1
            if heap[m] < heap[i]:
                tmp = heap[m]
                heap[m] = heap[i]
                heap[i] = tmp
                i = m
            else:
                break
    s = 0
    for i in range(k):
        s += heap[i]
    return s


@njit(cache=True, nogil=True)
def greedy_start(n, k, n_sets, inv_ptr, cand, upper):
    """State of a greedy selection: ``(cnt, covered_set, chosen, seeds, gains, ub)``.

    ``cnt[v]`` starts as the number of sets holding ``v``; ``ub`` is the OPIM-C bound at
    ``i = 0`` (the sum of the ``k`` largest counts) when ``upper``, else -1.
    """
    cnt = np.empty(n, dtype=np.int64)
    for v in range(n):
        cnt[v] = inv_ptr[v + 1] - inv_ptr[v]
    covered_set = np.zeros(n_sets, dtype=np.uint8)
    chosen = np.zeros(n, dtype=np.uint8)
    seeds = np.empty(k, dtype=np.int32)
    gains = np.empty(k, dtype=np.int64)
    ub = np.int64(-1)
    if upper:
        ub = _topk_sum(cnt, cand, k)
    return cnt, covered_set, chosen, seeds, gains, ub


@njit(inline="always", cache=True, nogil=True)
def _greedy_step(i, nodes, offsets, inv_ptr, inv_sets, cand, cnt, covered_set, chosen, seeds,
                 gains, covered):
    """Greedy step ``i``: pick the best unused candidate, uncover its sets; new ``covered``."""
    n = cnt.shape[0]
    best = -1
    bv = np.int64(-1)
    for v in range(n):
        if cand[v] and chosen[v] == 0 and cnt[v] > bv:
            bv = cnt[v]
            best = v
    seeds[i] = best
    gains[i] = bv
    chosen[best] = 1
    covered += bv
    for t in range(inv_ptr[best], inv_ptr[best + 1]):
        s = inv_sets[t]
        if covered_set[s] == 0:
            covered_set[s] = 1
            for q in range(offsets[s], offsets[s + 1]):
                cnt[nodes[q]] -= 1
    return covered


@njit(cache=True, nogil=True)
def greedy_steps(i0, i1, k, nodes, offsets, inv_ptr, inv_sets, cand, upper,
                 cnt, covered_set, chosen, seeds, gains, covered, ub):
    """Greedy steps ``i0 .. i1 - 1`` on the state of :func:`greedy_start`; returns
    ``(covered, ub)``. After the last step (``i1 == k``) ``ub`` includes the bound at
    ``i = k``. Ties go to the smallest id; zero-gain steps still choose a seed (the smallest
    unused candidate), so exactly ``k`` seeds come back."""
    for i in range(i0, i1):
        covered = _greedy_step(i, nodes, offsets, inv_ptr, inv_sets, cand, cnt, covered_set,
                               chosen, seeds, gains, covered)
        if upper and i + 1 < k:
            b = covered + _topk_sum(cnt, cand, k)
            if b < ub:
                ub = b
    if upper and i1 == k and covered < ub:
        # bound at i = k uses the k best marginal gains after the full selection
        b = covered + _topk_sum(cnt, cand, k)
        if b < ub:
            ub = b
    return covered, ub


@njit(cache=True, nogil=True)
def _sift_down(hb, hv, size, i):
    """Restore the heap below position ``i``: larger bound ``hb`` first, then smaller id ``hv``
    (the entry at ``i`` moves down into the hole its larger child leaves)."""
    b = hb[i]
    v = hv[i]
    while True:
        m = 2 * i + 1
        if m >= size:
            break
        if m + 1 < size and (hb[m + 1] > hb[m] or (hb[m + 1] == hb[m] and hv[m + 1] < hv[m])):
            m += 1
        if hb[m] > b or (hb[m] == b and hv[m] < v):
            hb[i] = hb[m]
            hv[i] = hv[m]
            i = m
        else:
            break
    hb[i] = b
    hv[i] = v


def lazy_start(n, inv_ptr, cand):
    """State of a lazy greedy selection: ``(hb, hv, hsize, fresh)`` (numpy, nothing compiled).

    A max-heap of the candidates keyed by ``(bound, -id)``: ``hb`` their gain bounds (the
    set counts, exact before any seed), ``hv`` their ids, ``hsize[0]`` its size (the array
    sorted by that key is a heap); ``fresh[v]`` is the step whose coverage ``v``'s bound is
    exact for (0 for all at first).
    """
    ids = np.flatnonzero(np.asarray(cand)[:n]).astype(np.int32)
    counts = np.diff(np.asarray(inv_ptr[: n + 1], dtype=np.int64))[ids]
    order = np.lexsort((ids, -counts))
    hsize = np.array([ids.shape[0]], dtype=np.int64)
    return counts[order], ids[order], hsize, np.zeros(n, dtype=np.int64)


@njit(cache=True, nogil=True)
def lazy_steps(i0, i1, inv_ptr, inv_sets, hb, hv, hsize, fresh, covered_set, seeds, gains,
               covered):
    """Greedy steps ``i0 .. i1 - 1`` by lazy evaluation (Minoux; CELF); returns ``covered``.

    The same seeds and gains as :func:`greedy_steps`: the heap top is taken once its bound is
    exact for this step (``fresh[v] == i``, or a bound of 0, exact since gains are >= 0);
    otherwise its gain is recounted over its inverted list (the sets not yet covered) and it
    sinks back. A bound never falls below the gain, and equal keys order by id, so the first
    exact top has the largest gain and, among equal gains, the smallest id. Choosing a seed
    only marks its sets covered: no set's nodes are read (the plain greedy decrements every
    node of every newly covered set).
    """
    size = hsize[0]
    for i in range(i0, i1):
        if size == 0:   # no candidate left (callers validate k <= candidates)
            seeds[i] = -1
            gains[i] = 0
            continue
        while True:
            v = hv[0]
            if fresh[v] == i or hb[0] == 0:
                break
            g = 0
            for t in range(inv_ptr[v], inv_ptr[v + 1]):
                if covered_set[inv_sets[t]] == 0:
                    g += 1
            hb[0] = g
            fresh[v] = i
            _sift_down(hb, hv, size, 0)
        b = hb[0]
        seeds[i] = v
        gains[i] = b
        covered += b
        for t in range(inv_ptr[v], inv_ptr[v + 1]):
            covered_set[inv_sets[t]] = 1
        size -= 1
        hb[0] = hb[size]
        hv[0] = hv[size]
        _sift_down(hb, hv, size, 0)
    hsize[0] = size
    return covered


def greedy_cover(n, k, nodes, offsets, n_sets, inv_ptr, inv_sets, cand, upper, *,
                 steps_per_call=None, between=None):
    """Greedy max coverage of the first ``n_sets`` sets by ``k`` candidates.

    Returns ``(seeds int32[k], gains int64[k], covered, ub)``; ``ub`` is the OPIM-C upper bound
    on the best coverage by any k candidates when ``upper`` is true (else -1). The steps run
    in calls of ``steps_per_call`` (all at once by default) with ``between()`` after each call
    (a Ctrl-C checkpoint); the result does not depend on the grouping.
    """
    step = k if steps_per_call is None else max(1, int(steps_per_call))
    covered = 0
    if upper:
        cnt, covered_set, chosen, seeds, gains, ub = greedy_start(n, k, n_sets, inv_ptr, cand,
                                                                  upper)
    else:  # lazy greedy (greedy_start and _topk_sum need not compile)
        hb, hv, hsize, fresh = lazy_start(n, inv_ptr, cand)
        covered_set = np.zeros(n_sets, dtype=np.uint8)
        seeds = np.empty(k, dtype=np.int32)
        gains = np.empty(k, dtype=np.int64)
        ub = -1
    for i0 in range(0, k, step):
        if upper:
            covered, ub = greedy_steps(i0, min(i0 + step, k), k, nodes, offsets, inv_ptr,
                                       inv_sets, cand, upper, cnt, covered_set, chosen, seeds,
                                       gains, covered, ub)
        else:
            covered = lazy_steps(i0, min(i0 + step, k), inv_ptr, inv_sets, hb, hv, hsize,
                                 fresh, covered_set, seeds, gains, covered)
        if between is not None:
            between()
    return seeds, gains, covered, ub


@njit(cache=True, nogil=True)
def count_hits(nodes, offsets, n_sets, mark):
    """Number of the first ``n_sets`` sets containing a node with ``mark[v] != 0`` (serial,
    one sequential pass)."""
    hits = 0
    for s in range(n_sets):
        h = 0
        for t in range(offsets[s], offsets[s + 1]):
            if mark[nodes[t]]:
                h = 1
                break
        hits += h
    return hits


def build_inverted_serial(n: int, nodes: np.ndarray, offsets: np.ndarray, s0: int,
                          s1: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`build_inverted` on one thread, one chunk (the same output)."""
    return _inverted(n, nodes, offsets, s0, s1, 1, 1)


#: below this many entries the inverted index is built by one thread
PARALLEL_MIN_ENTRIES = 2_000_000


def inverted_chunks(n: int, entries: int) -> int:
    """Chunks of sets the inverted index of ``entries`` entries over ``n`` nodes is built in.

    1 (one thread) below :data:`PARALLEL_MIN_ENTRIES` entries. Otherwise at most
    :data:`_CHUNKS`, and at most ``entries // n``: each chunk holds an n-long count and cursor
    row (16 bytes per node), so the temporaries stay within 16 bytes per entry, below the
    index itself twice over (a fixed 16 chunks took 256 n bytes: 1 GB for the 4 M nodes of
    an R-MAT 2^22 graph whatever the number of sets, 10 GB for Twitter-2010's 41.7 M).
    """
    if entries < PARALLEL_MIN_ENTRIES:
        return 1
    return max(1, min(_CHUNKS, entries // max(n, 1)))


def inverted(n, nodes, offsets, s0, s1):
    """Dispatch :func:`build_inverted` serially or in parallel (:func:`inverted_chunks`)."""
    chunks = inverted_chunks(n, int(offsets[s1] - offsets[s0]))
    if chunks < 2:
        return build_inverted_serial(n, nodes, offsets, s0, s1)
    return _inverted(n, nodes, offsets, s0, s1, chunks, None)
