"""Shard-local kernels of the sharded greedy maximum coverage (``sampling._sharded``).

- :func:`newly_covered_decrements`: a chosen node marks the sets of one shard it newly
  covers, and the shard reports, sparsely, how much each member's coverage count drops.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def newly_covered_decrements(best, nodes, offsets, inv_ptr, inv_sets, covered, acc):
    """Mark the sets holding ``best`` that were not yet covered; return the count drops.

    ``covered`` (uint8 per set) is updated in place; ``acc`` (int32 per node) is scratch, all
    zeros before and after the call. Returns ``(nodes int32, drops int32)``: node ``nodes[j]``
    lies in ``drops[j]`` of the newly covered sets (nodes in first-seen order, each once).
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
