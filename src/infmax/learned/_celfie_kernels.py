"""CELFIE coverage kernels over sampled influenced sets (see :mod:`infmax.learned.celfie`).

``covered`` is ``(simulations, N)`` uint8, 1 where simulation ``s`` has node ``v`` influenced by
the seeds chosen so far; ``sets`` is one candidate's ``(simulations, m)`` int32 sampled
influenced sets (``-1`` pads a row when fewer than ``m`` targets have positive probability).
Each call handles one candidate (``simulations * m`` steps), far under a second.
"""

from __future__ import annotations

from numba import njit


@njit(cache=True, nogil=True)
def uncovered_count(covered, sets):
    """Count the (simulation, node) pairs of ``sets`` not yet covered (the gain times S)."""
    total = 0
    for s in range(sets.shape[0]):
        for j in range(sets.shape[1]):
            v = sets[s, j]
            if v >= 0 and covered[s, v] == 0:
                total += 1
    return total


@njit(cache=True, nogil=True)
def cover(covered, sets):
    """Mark every node of ``sets`` covered in its simulation; return how many were new."""
    total = 0
    for s in range(sets.shape[0]):
        for j in range(sets.shape[1]):
            v = sets[s, j]
            if v >= 0 and covered[s, v] == 0:
                covered[s, v] = 1
                total += 1
    return total
