"""Reverse-reachable (RR) set sampling kernels for IC, LT and general triggering models.

Layout: the caller cuts the requested sets into fixed blocks of ``block_size`` sets; block ``b``
draws from ``seed_state(seeds[b])`` and writes its nodes into its own slice of an output buffer
(``cap`` entries per block, no locks). A block that would overflow its slice stops and reports
``-1`` after clearing the visited stamps it left; the caller reruns it with a larger slice (same
seed, so the same sets). Scratch "visited" stamps are per thread (one row per worker) and
unique per set; they never influence the output, so results are identical for any thread count
and any buffer capacity.

The kernels (:func:`ic_blocks`, :func:`lt_blocks`, :func:`trig_blocks`, one per model, so a
call compiles only its model's) have no ``prange``; :func:`sample_blocks_serial` runs one on
the calling thread, :func:`sample_blocks` and :func:`sample_blocks_triggering` on several
Python threads over tasks of :data:`TASK_BLOCKS` blocks
(:func:`infmax._kernels._threads.run_tasks`). A ``prange`` kernel compiled its whole body a
second time (5 s of a 13 s cold start) and split the blocks statically between threads. They
are still compiled with ``parallel=True``, for speed only (see :func:`_call`).

Per node ``v`` the in-arcs are classified once (:func:`node_modes`):

- mode 0: unequal probabilities, one coin per in-arc (IC) / binary search of the cumulative
  weights (LT);
- mode 1: all in-arcs share one probability ``p`` in (0, 1): IC draws how many arcs fire,
  ``c = min{c : u < P[Binomial(d, p) <= c]}`` (one uniform, ``E[c] + 1`` comparisons against a
  precomputed table), then which ones, a uniform ``c``-subset of the ``d`` arcs by Floyd's
  algorithm (``c`` calls to ``next_below``) - subset sampling in the spirit of SUBSIM (Guo,
  Wang, Wei, Chen, SIGMOD 2020), exact, ``O(1 + c)`` instead of ``d`` coins. LT picks arc
  ``floor(u / p)`` (none when it is ``>= indeg``);
- mode 2: every in-arc has ``p >= 1`` (IC: all fire);
- mode 3: no in-arc can fire (in-degree 0 or all ``p <= 0``).

Roots: ``weighted == 0`` draws ``next_below(n)``; otherwise one uniform ``u`` picks Vose alias
slot ``j = floor(u * ns)`` with remainder ``f = u * ns - j``, and the root is
``support[j]`` when ``f < aprob[j]``, else ``support[alias[j]]``.

Arguments travel as NamedTuples of arrays (numba types each field; no per-call cost):
:class:`ICLTArrays` / :class:`TriggeringArrays` (per graph and model, built once by
:mod:`infmax.sampling`), :class:`RootTable` (per root weighting), :class:`BlockJob` (the blocks,
seeds and output buffers of one call) and :class:`Scratch` (per-thread work arrays). The
kernels unpack them one field per statement (were they ever made ``prange`` kernels again:
with ``parallel=True``, numba 0.68 silently drops writes to an array reached through a tuple
inside a prange loop, numba issues #5872, #7135, #10338). The tests check that every output
of the threaded kernels is written.
"""

from __future__ import annotations

import heapq
import math
import threading
import warnings
from typing import NamedTuple

import numpy as np
from numba import njit
from numba.core.errors import NumbaPerformanceWarning

from ._rng import next_below, next_double, seed_state
from ._threads import current_threads, run_tasks

MODE_COINS, MODE_EQUAL, MODE_ALL, MODE_NONE = 0, 1, 2, 3
#: ``ICLTArrays.q0`` of the nodes that are not IC mode 1: ``-1 - mode``
Q0_COINS, Q0_ALL, Q0_NONE = -1.0 - MODE_COINS, -1.0 - MODE_ALL, -1.0 - MODE_NONE


class ICLTArrays(NamedTuple):
    """Per-graph arrays of :func:`sample_blocks` under IC or LT.

    ``mode``, ``pcom`` and ``tab`` come from :func:`node_modes`; ``q0[v]`` is ``tab[rindptr[v]]``
    for IC mode-1 nodes (probability that no in-arc fires, >= 0) and ``-1 - mode[v]`` for the
    others (:data:`Q0_COINS`, :data:`Q0_ALL`, :data:`Q0_NONE`): the IC kernel reads one dense
    array per popped node instead of two.
    """

    lt: bool
    n: int
    rindptr: np.ndarray     # int64, n + 1
    rindices: np.ndarray    # int32, m (in-CSR sources)
    rprobs: np.ndarray      # float64, m
    mode: np.ndarray        # int8, n
    pcom: np.ndarray        # float64, n
    q0: np.ndarray          # float64, n
    tab: np.ndarray         # float64, m


class TriggeringArrays(NamedTuple):
    """Per-graph arrays of :func:`sample_blocks_triggering` (a ``TriggeringModel``'s tables).

    ``kind`` per node (0 IC, 1 LT, 2 custom); ``cum`` and ``opt_cum`` are running sums within
    each in-CSR row and each node's option list (:func:`cumulative_rows`); option ``o`` of a
    custom node holds the in-CSR positions ``mem[mem_ptr[o]:mem_ptr[o + 1]]``.
    """

    n: int
    rindptr: np.ndarray     # int64, n + 1
    rindices: np.ndarray    # int32, m
    kind: np.ndarray        # int8, n
    in_probs: np.ndarray    # float64, m
    cum: np.ndarray         # float64, m
    opt_ptr: np.ndarray     # int64, n + 1
    opt_cum: np.ndarray     # float64, options
    mem_ptr: np.ndarray     # int64, options + 1
    mem: np.ndarray         # int64, members


class RootTable(NamedTuple):
    """How roots are drawn: ``weighted == 0`` uniformly, else from the Vose alias table
    ``(support, aprob, alias)`` of :func:`build_alias`."""

    weighted: int
    support: np.ndarray     # int32
    aprob: np.ndarray       # float64
    alias: np.ndarray       # int32


class BlockJob(NamedTuple):
    """The blocks one kernel call samples, and where it writes.

    Block ``blocks[i]`` draws sets ``b * block_size .. min((b + 1) * block_size, n_sets) - 1``
    from ``seed_state(seeds[b])`` and writes their nodes at ``buf[i * cap:]``
    (``len(blocks) * cap`` entries); ``block_len[i]`` = entries written, or -1 on overflow.
    ``sizes`` / ``roots`` are indexed by set number (< n_sets).
    """

    seeds: np.ndarray       # uint64, one per block of the whole request
    blocks: np.ndarray      # int64
    block_size: int
    n_sets: int
    cap: int
    buf: np.ndarray         # int32
    block_len: np.ndarray   # int64
    sizes: np.ndarray       # int32
    roots: np.ndarray       # int32


class Scratch(NamedTuple):
    """Per-thread work arrays (row ``w`` for worker ``w``; the serial kernels use row 0), all
    zeros between calls: ``visited`` (n_threads, n) int32 stamps ``set number + 1``;
    ``arcmark`` (uint8) and ``sel`` (int64), both (n_threads, max in-degree), hold the arcs
    Floyd's algorithm picks (unused by the triggering kernel)."""

    visited: np.ndarray
    arcmark: np.ndarray
    sel: np.ndarray


@njit(cache=True, nogil=True)
def node_modes(n, rindptr, rprobs, lt):
    """Per-node mode (int8), common probability, and a per-arc float table ``tab``.

    LT: ``tab`` holds the cumulative in-weights of each node's row. IC, mode 1 (equal
    probability ``p`` in (0, 1)): ``tab[s + c] = P[Binomial(d, p) <= c]`` for ``c < d``
    (computed in log space, so ``(1-p)^d`` never underflows to a wrong table).
    """
    mode = np.empty(n, dtype=np.int8)
    pcom = np.zeros(n, dtype=np.float64)
    tab = np.empty(rprobs.shape[0], dtype=np.float64)
    for v in range(n):
        s = rindptr[v]
        e = rindptr[v + 1]
        acc = 0.0
        for j in range(s, e):
            acc += rprobs[j]
            tab[j] = acc
        if e == s:
            mode[v] = MODE_NONE
            continue
        p0 = rprobs[s]
        equal = True
        anypos = False
        allone = True
        for j in range(s, e):
            pj = rprobs[j]
            if pj != p0:
                equal = False
            if pj > 0.0:
                anypos = True
            if pj < 1.0:
                allone = False
        if not anypos:
            mode[v] = MODE_NONE
        elif lt:
            mode[v] = MODE_EQUAL if equal else MODE_COINS
            pcom[v] = p0
        elif allone:
            mode[v] = MODE_ALL
        elif equal:
            mode[v] = MODE_EQUAL
            pcom[v] = p0
            d = e - s
            lp = math.log(p0)
            lq = math.log1p(-p0)
            logpmf = d * lq
            cdf = 0.0
            for c in range(d):
                cdf += math.exp(logpmf)
                tab[s + c] = cdf
                logpmf += math.log((d - c) / (c + 1.0)) + lp - lq
        else:
            mode[v] = MODE_COINS
    return mode, pcom, tab


@njit(cache=True, nogil=True)
def build_alias(w):
    """Vose alias table over the positive entries of ``w``: (support, aprob, alias)."""
    ns = 0
    total = 0.0
    for i in range(w.shape[0]):
        if w[i] > 0.0:
            ns += 1
            total += w[i]
    support = np.empty(ns, dtype=np.int32)
    scaled = np.empty(ns, dtype=np.float64)
    t = 0
    for i in range(w.shape[0]):
        if w[i] > 0.0:
            support[t] = i
            scaled[t] = w[i] * ns / total
            t += 1
    aprob = np.ones(ns, dtype=np.float64)
    alias = np.arange(ns).astype(np.int32)
    small = np.empty(ns, dtype=np.int64)
    large = np.empty(ns, dtype=np.int64)
    nsm = 0
    nlg = 0
    for i in range(ns):
        if scaled[i] < 1.0:
            small[nsm] = i
            nsm += 1
        else:
            large[nlg] = i
            nlg += 1
    while nsm > 0 and nlg > 0:
        nsm -= 1
        s = small[nsm]
        g = large[nlg - 1]
        aprob[s] = scaled[s]
        alias[s] = g
        scaled[g] = (scaled[g] + scaled[s]) - 1.0
        if scaled[g] < 1.0:
            nlg -= 1
            small[nsm] = g
            nsm += 1
    # leftovers (rounding) keep probability 1 and alias to themselves
    return support, aprob, alias


@njit(inline="always", cache=True, nogil=True)
def _push(vis, stamp, buf, pos, end, w):
    """Append ``w`` to the current set unless it is in it already.

    Returns ``(pos, ok)``; ``ok`` is False when the block buffer is full (overflow).
    """
    if vis[w] == stamp:
        return pos, True
    if pos >= end:
        return pos, False
    vis[w] = stamp
    buf[pos] = w
    return pos + 1, True


@njit(inline="always", cache=True, nogil=True)
def _unmark(vis, buf, base, pos):
    """Clear the visited stamps of a failed (overflowing) block attempt.

    Every stamped node was also written to ``buf[base:pos]``. The rerun draws the same sets
    with the same stamps (``set number + 1``), so stale stamps would make their nodes look
    visited and drop them (the root, whole branches) from the redrawn sets.
    """
    for t in range(base, pos):
        vis[buf[t]] = 0


@njit(inline="always", cache=True, nogil=True)
def _first_above(cum, lo, hi, u):
    """First index j in [lo, hi] with ``cum[j] > u`` (the caller ensures ``cum[hi] > u``)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if cum[mid] > u:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(inline="always", cache=True, nogil=True)
def _draw_root(state, n, weighted, support, aprob, alias):
    if weighted == 0:
        state, r = next_below(state, n)
        return state, r
    ns = support.shape[0]
    state, u = next_double(state)
    x = u * ns
    j = np.int64(x)
    if j >= ns:
        j = ns - 1
    f = x - j
    if f >= aprob[j]:
        j = alias[j]
    return state, np.int64(support[j])


@njit(inline="always", cache=True, nogil=True)
def _lt_set(state, r, pos, end, stamp, rindptr, rindices, mode, pcom, tab, vis, buf):
    """Grow the LT set of root ``r`` by a reverse random walk; ``(state, pos, ok)``."""
    ok = True
    v = r
    while True:
        md = mode[v]
        if md == MODE_NONE:
            break
        s = rindptr[v]
        e = rindptr[v + 1]
        state, u = next_double(state)
        if md == MODE_EQUAL:
            q = u / pcom[v]
            if q >= e - s:
                break
            j = s + np.int64(q)
        else:
            if u >= tab[e - 1]:
                break
            j = _first_above(tab, s, e - 1, u)
        w = rindices[j]
        if vis[w] == stamp:
            break
        if pos >= end:
            ok = False
            break
        vis[w] = stamp
        buf[pos] = w
        pos += 1
        v = w
    return state, pos, ok


_compile_lock = threading.Lock()


def _call(checked, kernel, *args):
    """Call a block kernel, compiling it first (once per argument types) with numba's
    "parallel=True but no parallel transformation" warning silenced.

    The block kernels contain no ``prange`` (threads come from :func:`sample_blocks`), yet
    ``parallel=True`` makes their compiled loops ~20 % faster (numba's parallel pipeline
    passes; 500k NetHEPT sets: 0.060 s CPU, as the former prange kernel, against 0.070-0.086 s
    without it) at no extra compile time. numba then warns that nothing was parallelised;
    that warning is expected here, so the first compilation for each argument type runs under
    a lock with it ignored (another thread waits, then finds the compiled kernel).
    ``checked``: the caller did this already for arguments of the same types (typing 23
    arguments costs ~0.1 ms, too much for every task of :func:`sample_blocks`).
    """
    if not checked:
        _ensure_compiled(kernel, args)
    kernel(*args)


def _ensure_compiled(kernel, args):
    sig = tuple(kernel.typeof_pyval(a) for a in args)
    if sig not in kernel.overloads:
        with _compile_lock:
            if sig not in kernel.overloads:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", NumbaPerformanceWarning)
                    kernel.compile(sig)


@njit(cache=True, nogil=True, parallel=True)  # see _call
def ic_blocks(n, rindptr, rindices, rprobs, mode, q0, tab, weighted, support, aprob, alias,
              seeds, blocks, block_size, n_sets, cap, buf, block_len, sizes, roots, vis, amark,
              asel):
    """IC RR sets of ``blocks`` (the fields of :class:`BlockJob` etc. as arrays; ``vis``,
    ``amark``, ``asel``: one thread's scratch rows). See :func:`sample_blocks_serial`."""
    for i in range(blocks.shape[0]):
        b = blocks[i]
        state = seed_state(seeds[b])
        first = b * block_size
        last = min(first + block_size, n_sets)
        base = i * cap
        end = base + cap
        pos = base
        ok = True
        for sid in range(first, last):
            stamp = np.int32(sid + 1)
            state, r = _draw_root(state, n, weighted, support, aprob, alias)
            roots[sid] = r
            start = pos
            pos, ok = _push(vis, stamp, buf, pos, end, r)
            if not ok:
                break
            head = start
            while head < pos:
                v = buf[head]
                head += 1
                x = q0[v]       # the mode and P[no arc fires] in one load (see ICLTArrays)
                if x == Q0_NONE:
                    continue
                if x >= 0.0:    # MODE_EQUAL
                    # how many in-arcs fire: inverse binomial CDF; which: Floyd's sampling
                    state, u = next_double(state)
                    if u < x:   # = tab[s]: no arc fires
                        continue
                    s = rindptr[v]
                    e = rindptr[v + 1]
                    d = e - s
                    c = 1
                    while c < d and u >= tab[s + c]:
                        c += 1
                    if c <= 2:  # Floyd's algorithm unrolled (same draws, no scratch)
                        state, t = next_below(state, d - c + 1)
                        w = rindices[s + t]
                        pos, ok = _push(vis, stamp, buf, pos, end, w)
                        if not ok:
                            break
                        if c == 2:
                            state, t2 = next_below(state, d)
                            if t2 == t:
                                t2 = d - 1
                            w = rindices[s + t2]
                            pos, ok = _push(vis, stamp, buf, pos, end, w)
                            if not ok:
                                break
                        continue
                    for jj in range(d - c, d):
                        state, t = next_below(state, jj + 1)
                        if amark[t] != 0:
                            t = jj
                        amark[t] = 1
                        asel[jj - d + c] = t
                    for q in range(c):
                        t = asel[q]
                        amark[t] = 0
                        w = rindices[s + t]
                        pos, ok = _push(vis, stamp, buf, pos, end, w)
                        if not ok:
                            break
                    if not ok:
                        for q in range(c):
                            amark[asel[q]] = 0
                        break
                elif x == Q0_COINS:
                    s = rindptr[v]
                    e = rindptr[v + 1]
                    for j in range(s, e):
                        state, u = next_double(state)
                        if u < rprobs[j]:
                            w = rindices[j]
                            pos, ok = _push(vis, stamp, buf, pos, end, w)
                            if not ok:
                                break
                    if not ok:
                        break
                else:  # MODE_ALL
                    s = rindptr[v]
                    e = rindptr[v + 1]
                    for j in range(s, e):
                        w = rindices[j]
                        pos, ok = _push(vis, stamp, buf, pos, end, w)
                        if not ok:
                            break
                    if not ok:
                        break
            if not ok:
                break
            sizes[sid] = pos - start
        if ok:
            block_len[i] = pos - base
        else:
            _unmark(vis, buf, base, pos)
            block_len[i] = -1


@njit(cache=True, nogil=True, parallel=True)  # see _call
def lt_blocks(n, rindptr, rindices, mode, pcom, tab, weighted, support, aprob, alias, seeds,
              blocks, block_size, n_sets, cap, buf, block_len, sizes, roots, vis):
    """LT RR sets of ``blocks`` (as :func:`ic_blocks`)."""
    for i in range(blocks.shape[0]):
        b = blocks[i]
        state = seed_state(seeds[b])
        first = b * block_size
        last = min(first + block_size, n_sets)
        base = i * cap
        end = base + cap
        pos = base
        ok = True
        for sid in range(first, last):
            stamp = np.int32(sid + 1)
            state, r = _draw_root(state, n, weighted, support, aprob, alias)
            roots[sid] = r
            start = pos
            pos, ok = _push(vis, stamp, buf, pos, end, r)
            if not ok:
                break
            state, pos, ok = _lt_set(state, r, pos, end, stamp, rindptr, rindices, mode, pcom,
                                     tab, vis, buf)
            if not ok:
                break
            sizes[sid] = pos - start
        if ok:
            block_len[i] = pos - base
        else:
            _unmark(vis, buf, base, pos)
            block_len[i] = -1


def sample_blocks_serial(g: ICLTArrays, rt: RootTable, job: BlockJob, work: Scratch, *,
                         checked: bool = False) -> None:
    """Sample the RR sets of ``job.blocks`` under IC or LT (see module docstring), one thread.

    Output: ``job.buf``, ``job.block_len``, ``job.sizes``, ``job.roots``. Uses scratch row 0 of
    ``work``; :func:`sample_blocks` runs it on several threads. Only the model's kernel
    (:func:`ic_blocks` or :func:`lt_blocks`) is compiled.
    """
    if g.lt:
        _call(checked, lt_blocks, g.n, g.rindptr, g.rindices, g.mode, g.pcom, g.tab,
              rt.weighted, rt.support, rt.aprob, rt.alias, job.seeds, job.blocks,
              job.block_size, job.n_sets, job.cap, job.buf, job.block_len, job.sizes,
              job.roots, work.visited[0])
    else:
        _call(checked, ic_blocks, g.n, g.rindptr, g.rindices, g.rprobs, g.mode, g.q0, g.tab,
              rt.weighted, rt.support, rt.aprob, rt.alias, job.seeds, job.blocks,
              job.block_size, job.n_sets, job.cap, job.buf, job.block_len, job.sizes,
              job.roots, work.visited[0], work.arcmark[0], work.sel[0])


@njit(cache=True, nogil=True)
def best_path_value(n, rindptr, rindices, arc_prob, w):
    """``val[u] = max over paths u -> ... -> v of w[v] * (product of the arcs' probabilities)``.

    A max-product Dijkstra over the reverse arcs from every node with ``w[v] > 0`` (``val[v]``
    starts at ``w[v]``). ``arc_prob[j]`` is the probability that in-arc ``j`` is live (IC: its
    probability; LT: its weight; triggering: the probability that its tail is in the head's
    trigger set). Trigger sets are independent across nodes, so a simple path is live with the
    product of its arcs' probabilities and ``val[u]`` is a lower bound of the weighted spread of
    the seed set ``{u}``. Products never exceed their factors (probabilities are <= 1), so the
    first time a node is popped its value is final.
    """
    val = np.zeros(n, dtype=np.float64)
    done = np.zeros(n, dtype=np.uint8)
    heap = [(-1.0, np.int64(-1))]   # typed list for numba; the sentinel is skipped
    for v in range(n):
        if w[v] > 0.0:
            val[v] = w[v]
            heapq.heappush(heap, (-w[v], np.int64(v)))
    while len(heap) > 0:
        negx, v = heapq.heappop(heap)
        if v < 0 or done[v] or -negx < val[v]:
            continue
        done[v] = 1
        x = -negx
        for j in range(rindptr[v], rindptr[v + 1]):
            q = arc_prob[j]
            if q > 1.0:
                q = 1.0
            y = x * q
            u = rindices[j]
            if y > val[u] and not done[u]:
                val[u] = y
                heapq.heappush(heap, (-y, np.int64(u)))
    return val


@njit(cache=True, nogil=True)
def cumulative_rows(rindptr, vals):
    """Running sums of ``vals`` within each in-CSR row (same summation order as a linear scan)."""
    n = rindptr.shape[0] - 1
    out = np.empty(vals.shape[0], dtype=np.float64)
    for v in range(n):
        acc = 0.0
        for j in range(rindptr[v], rindptr[v + 1]):
            acc += vals[j]
            out[j] = acc
    return out


@njit(cache=True, nogil=True, parallel=True)  # see _call
def trig_blocks(n, rindptr, rindices, kind, in_probs, cum, opt_ptr, opt_cum, mem_ptr, mem,
                weighted, support, aprob, alias, seeds, blocks, block_size, n_sets, cap, buf,
                block_len, sizes, roots, vis):
    """Triggering-model RR sets of ``blocks`` (arrays; see
    :func:`sample_blocks_triggering_serial`)."""
    nb = blocks.shape[0]
    for i in range(nb):
        b = blocks[i]
        state = seed_state(seeds[b])
        first = b * block_size
        last = min(first + block_size, n_sets)
        base = i * cap
        end = base + cap
        pos = base
        ok = True
        for sid in range(first, last):
            stamp = np.int32(sid + 1)
            state, r = _draw_root(state, n, weighted, support, aprob, alias)
            roots[sid] = r
            start = pos
            pos, ok = _push(vis, stamp, buf, pos, end, r)
            if not ok:
                break
            head = start
            while head < pos:
                v = buf[head]
                head += 1
                k = kind[v]
                s = rindptr[v]
                e = rindptr[v + 1]
                if k == 0:
                    for j in range(s, e):
                        state, u = next_double(state)
                        if u < in_probs[j]:
                            w = rindices[j]
                            pos, ok = _push(vis, stamp, buf, pos, end, w)
                            if not ok:
                                break
                elif k == 1:
                    if e == s:
                        continue
                    state, u = next_double(state)
                    if u >= cum[e - 1]:
                        continue
                    w = rindices[_first_above(cum, s, e - 1, u)]
                    pos, ok = _push(vis, stamp, buf, pos, end, w)
                else:
                    olo = opt_ptr[v]
                    ohi = opt_ptr[v + 1]
                    if ohi == olo:
                        continue
                    state, u = next_double(state)
                    if u >= opt_cum[ohi - 1]:
                        continue
                    o = olo
                    while opt_cum[o] <= u:
                        o += 1
                    for q in range(mem_ptr[o], mem_ptr[o + 1]):
                        w = rindices[mem[q]]
                        pos, ok = _push(vis, stamp, buf, pos, end, w)
                        if not ok:
                            break
                if not ok:
                    break
            if not ok:
                break
            sizes[sid] = pos - start
        if ok:
            block_len[i] = pos - base
        else:
            _unmark(vis, buf, base, pos)
            block_len[i] = -1


def sample_blocks_triggering_serial(g: TriggeringArrays, rt: RootTable, job: BlockJob,
                                    work: Scratch, *, checked: bool = False) -> None:
    """RR sets under a general triggering model, ``g`` a :class:`TriggeringArrays` (same
    roots, block / buffer / overflow protocol and scratch as :func:`sample_blocks_serial`);
    one thread, scratch row 0. :func:`sample_blocks_triggering` runs it on several threads.

    Reverse BFS from the root; when ``v`` is popped its trigger set ``T_v`` is drawn once and
    every member not yet in the set is appended (in the order below). Coins, per popped node:

    - kind 0 (IC): one uniform per in-arc in in-CSR order, arc ``j`` live when ``u < in_probs[j]``;
    - kind 1 (LT): one uniform ``u`` (only when the in-degree is > 0); the live arc is the first
      ``j`` with ``cum[j] > u`` (``cum``: running in-weight sums of the row), none when
      ``u >= cum[last]``;
    - kind 2 (custom): one uniform ``u`` (only when the node has options); option ``k`` is the
      first with ``opt_cum[k] > u`` (running sums of the node's option probabilities), none
      when ``u >= opt_cum[last]``; its members ``mem[mem_ptr[k]:mem_ptr[k + 1]]`` are in-CSR
      positions, appended in that order.

    This is the distribution :func:`infmax._kernels.forward.sample_trigger` draws from.
    """
    _call(checked, trig_blocks, g.n, g.rindptr, g.rindices, g.kind, g.in_probs, g.cum,
          g.opt_ptr, g.opt_cum, g.mem_ptr, g.mem, rt.weighted, rt.support, rt.aprob, rt.alias,
          job.seeds, job.blocks, job.block_size, job.n_sets, job.cap, job.buf, job.block_len,
          job.sizes, job.roots, work.visited[0])


@njit(cache=True, nogil=True)
def gather_blocks(buf, cap, slots, block_len, dest, dest_start):
    """Copy ``block_len[i]`` entries at ``slots[i] * cap`` to ``dest[dest_start[i]:]``.

    Serial on purpose: a memory-bound copy gains little from threads, and every parallel
    region costs a thread wake-up (milliseconds on an oversubscribed machine).
    """
    for i in range(block_len.shape[0]):
        src = slots[i] * cap
        d = dest_start[i]
        for t in range(block_len[i]):
            dest[d + t] = buf[src + t]


#: blocks per task of :func:`sample_blocks` (workers pull tasks; each call is one task or more)
TASK_BLOCKS = 16


def _threaded(kernel, g, rt, job, work, n_workers):
    """Run ``kernel`` (a serial block kernel) over ``job.blocks`` in tasks of
    :data:`TASK_BLOCKS` blocks on :func:`~._threads.run_tasks` workers; worker ``w`` uses
    scratch row ``w``. Task ``t`` sees the blocks ``job.blocks[a:b]`` and the matching slices
    of ``buf`` and ``block_len``, so every block writes where it would in one serial call."""
    nb = job.blocks.shape[0]
    cap = job.cap
    n_tasks = -(-nb // TASK_BLOCKS)
    rows = [Scratch(*(x[w:w + 1] for x in work)) for w in range(work.visited.shape[0])]

    def sub(t):
        a = t * TASK_BLOCKS
        b = min(a + TASK_BLOCKS, nb)
        return BlockJob(job.seeds, job.blocks[a:b], job.block_size, job.n_sets, cap,
                        job.buf[a * cap:b * cap], job.block_len[a:b], job.sizes, job.roots)

    if n_tasks == 0:
        return
    kernel(g, rt, sub(0), rows[0])    # compiles if needed (every task has the same types)
    run_tasks(n_tasks - 1, lambda w, t: kernel(g, rt, sub(t + 1), rows[w], checked=True),
              min(n_workers or current_threads(), len(rows)))


def sample_blocks(g: ICLTArrays, rt: RootTable, job: BlockJob, work: Scratch,
                  n_workers: int | None = None) -> None:
    """:func:`sample_blocks_serial` on numba's thread count (or ``n_workers``) of threads.

    The same output as the serial kernel, for any number of threads (each block has its own
    seed and its own slice of ``job.buf``); ``work`` needs one row per thread.
    """
    _threaded(sample_blocks_serial, g, rt, job, work, n_workers)


def sample_blocks_triggering(g: TriggeringArrays, rt: RootTable, job: BlockJob, work: Scratch,
                             n_workers: int | None = None) -> None:
    """:func:`sample_blocks_triggering_serial` on several threads (see :func:`sample_blocks`)."""
    _threaded(sample_blocks_triggering_serial, g, rt, job, work, n_workers)
