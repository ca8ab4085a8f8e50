"""SIMPATH kernels: LT spread by simple-path enumeration with pruning (Goyal, Lu, Lakshmanan 2011).

- :func:`enumerate_paths`: the paper's ``Backtrack`` for a block of start nodes: depth-first
  enumeration of the simple paths that leave a start node ``u`` inside the allowed nodes ``W``
  (``blocked == 0``, ``u`` itself always allowed), a path being extended only while its
  probability (product of the LT weights along it) stays ``>= eta``. The spread of ``u`` is
  ``1 +`` the sum of the probabilities of the enumerated paths. Optionally, for marked nodes
  ``x``, the part of that sum carried by paths through ``x`` (``through[x]``), so that
  ``sigma^{W - x}(u) = spd - through[x]`` comes from the same enumeration (the paper's
  ``spd^{W - v}`` counters). In vertex-cover mode the marks are the start's in-neighbours of the
  independent set and the kernel folds ``b(v, u) * sigma^{V - v}(u)`` into ``sigma[v]``.
- :func:`independent_set`: a maximal independent set of the undirected view, greedy in a given
  order; its complement is the vertex cover of SIMPATH's first iteration.

The per-depth cursor into the CSR replaces the paper's sets ``D[x]`` of explored out-neighbours;
a stack of path probabilities replaces its division ``pp / b(v, u)`` on backtracking (no
round-off drift). Work is counted in examined arcs; a call stops after the start during which
the count passed ``budget`` (one start is never split).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def enumerate_paths(indptr, indices, w, rindptr, rindices, rw, starts, lo, budget, eta,
                    blocked, mark, eligible, through, vc_mode, on_path, path, cursor, pps,
                    mstack, spd_out, sigma):
    """Enumerate pruned simple paths from ``starts[lo:]``; return ``(next lo, arcs examined)``.

    ``blocked`` (uint8, n): 1 for nodes outside ``W`` (a start is unblocked during its own
    enumeration and restored after). ``mark`` (uint8, n): nodes whose path mass is accumulated
    into ``through`` (float64, n). ``vc_mode``: marks are set per start on its in-neighbours
    with ``eligible == 1`` and, after the start, ``sigma[v] += rw * (spd - through[v])`` and the
    marks and ``through[v]`` are cleared. ``on_path`` must be all zero on entry (it is on exit);
    ``path``, ``cursor``, ``pps``, ``mstack`` are scratch of length ``n + 1``. ``spd_out[i]``
    receives the spread of ``starts[i]``.
    """
    work = 0
    i = lo
    ns = starts.shape[0]
    while i < ns:
        u = starts[i]
        was_blocked = blocked[u]
        blocked[u] = 0
        if vc_mode:
            for e in range(rindptr[u], rindptr[u + 1]):
                v = rindices[e]
                if eligible[v] == 1:
                    mark[v] = 1
        spd = 1.0
        nmark = 0
        if mark[u] == 1:
            mstack[0] = u
            nmark = 1
        depth = 0
        path[0] = u
        cursor[0] = indptr[u]
        pps[0] = 1.0
        on_path[u] = 1
        while depth >= 0:
            x = path[depth]
            c = cursor[depth]
            end = indptr[x + 1]
            advanced = False
            while c < end:
                y = indices[c]
                b = w[c]
                c += 1
                work += 1
                if on_path[y] == 1 or blocked[y] == 1 or b <= 0.0:
                    continue
                p = pps[depth] * b
                if p < eta:
                    continue
                cursor[depth] = c
                depth += 1
                path[depth] = y
                cursor[depth] = indptr[y]
                pps[depth] = p
                on_path[y] = 1
                spd += p
                if mark[y] == 1:
                    mstack[nmark] = y
                    nmark += 1
                for j in range(nmark):
                    through[mstack[j]] += p
                advanced = True
                break
            if not advanced:
                on_path[x] = 0
                if nmark > 0 and mstack[nmark - 1] == x:
                    nmark -= 1
                depth -= 1
        spd_out[i] = spd
        blocked[u] = was_blocked
        if vc_mode:
            for e in range(rindptr[u], rindptr[u + 1]):
                v = rindices[e]
                if mark[v] == 1:
                    sigma[v] += rw[e] * (spd - through[v])
                    through[v] = 0.0
                    mark[v] = 0
        i += 1
        if work >= budget:
            break
    return i, work


@njit(cache=True, nogil=True)
def independent_set(order, indptr, indices, rindptr, rindices):
    """Maximal independent set of the undirected view, nodes taken greedily in ``order``.

    Returns a uint8 mask; a node joins when none of its in- or out-neighbours has joined.
    """
    n = order.shape[0]
    inset = np.zeros(n, dtype=np.uint8)
    blocked = np.zeros(n, dtype=np.uint8)
    for t in range(n):
        v = order[t]
        if blocked[v] == 1:
            continue
        inset[v] = 1
        for e in range(indptr[v], indptr[v + 1]):
            blocked[indices[e]] = 1
        for e in range(rindptr[v], rindptr[v + 1]):
            blocked[rindices[e]] = 1
    return inset
