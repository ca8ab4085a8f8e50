"""INF2VEC influence contexts (Feng et al., ICDE 2018) for a block of cascades, in numba.

For every item (user ``u`` at position ``i`` of a cascade of ``s`` users) the context is
``n_walk`` slots of a random walk with restart from ``u`` on the cascade's propagation network,
then ``n_global`` users drawn uniformly from the cascade's other users. The random numbers
come from the caller (``unif``: ``2 * n_walk + n_global`` uniforms per item, in item order),
so a pure-Python twin given the same uniforms gives the same contexts.

Propagation network of a cascade (arcs from an earlier to a later adopter, adoption order):

- ``use_graph``: the arcs ``w -> v`` of the social graph (in-CSR ``rindptr`` / ``rindices``,
  users ``< n_graph`` are graph nodes) between two users of the cascade, ``w`` earlier;
- otherwise every earlier -> later pair of the cascade (out-neighbours of position ``i``: the
  positions ``i + 1 .. s - 1``), never materialised.

Walk step ``t`` (uniforms ``r1, r2``): with probability ``restart`` (``r1 < restart``) the walk
jumps back to ``u``; a node without out-arcs also sends it back to ``u``; then it moves to the
out-neighbour ``floor(r2 * d)`` of the current node (``d`` out-arcs, in the order the arcs are
built: by target position, then in-CSR order) and that node fills the slot. When ``u`` itself
has no out-arc the slot stays empty (-1). A global draw ``r`` picks position
``floor(r * (s - 1))`` among the other users (skipping ``i``).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def cascade_contexts(offsets, users, rindptr, rindices, n_graph, use_graph, c_lo, c_hi,
                     n_walk, n_global, restart, unif, local, src, ctx):
    """Fill the contexts of the items of cascades ``c_lo .. c_hi - 1``.

    ``unif`` holds the uniforms of those items (from item ``offsets[c_lo]``); ``src`` gets the
    item's user and ``ctx`` its ``n_walk + n_global`` context users (-1: an empty walk slot),
    row ``j - offsets[c_lo]`` for item ``j``. ``local`` (int64, one per user id) must be all
    -1 on entry (it is on exit).
    """
    per = 2 * n_walk + n_global
    base = offsets[c_lo]
    for c in range(c_lo, c_hi):
        a, b = offsets[c], offsets[c + 1]
        s = b - a
        # out-CSR of the propagation network in local positions (social graph only)
        optr = np.zeros(s + 1, dtype=np.int64)
        oidx = np.empty(0, dtype=np.int64)
        if use_graph:
            for j in range(a, b):
                if local[users[j]] < 0:
                    local[users[j]] = j - a
            for j in range(a, b):
                v = users[j]
                if v < n_graph:
                    for e in range(rindptr[v], rindptr[v + 1]):
                        p = local[rindices[e]]
                        if p >= 0 and p < j - a:
                            optr[p + 1] += 1
            for p in range(s):
                optr[p + 1] += optr[p]
            oidx = np.empty(optr[s], dtype=np.int64)
            fill = optr[:s].copy()
            for j in range(a, b):
                v = users[j]
                if v < n_graph:
                    for e in range(rindptr[v], rindptr[v + 1]):
                        p = local[rindices[e]]
                        if p >= 0 and p < j - a:
                            oidx[fill[p]] = j - a
                            fill[p] += 1
            for j in range(a, b):
                local[users[j]] = -1
        for i in range(s):
            row = a + i - base
            r = unif[row * per:(row + 1) * per]
            src[row] = users[a + i]
            cur = i
            for t in range(n_walk):
                if r[2 * t] < restart:
                    cur = i
                if use_graph:
                    d = optr[cur + 1] - optr[cur]
                    if d == 0 and cur != i:
                        cur = i
                        d = optr[i + 1] - optr[i]
                else:
                    d = s - 1 - cur
                    if d == 0 and cur != i:
                        cur = i
                        d = s - 1 - i
                if d == 0:
                    ctx[row, t] = -1
                    continue
                pick = min(int(r[2 * t + 1] * d), d - 1)
                if use_graph:
                    cur = oidx[optr[cur] + pick]
                else:
                    cur = cur + 1 + pick
                ctx[row, t] = users[a + cur]
            for g in range(n_global):
                q = min(int(r[2 * n_walk + g] * (s - 1)), s - 2)
                if q >= i:
                    q += 1
                ctx[row, n_walk + g] = users[a + q]
