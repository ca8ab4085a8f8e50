"""Numba kernels of the observation model (grow the organisation O)."""

from __future__ import annotations

import numpy as np
from numba import njit

from .._kernels._rng import next_below, seed_state


@njit(cache=True, nogil=True)
def grow_members(nptr, nbr, target, initial, seed):
    """Growth order of the fully observable set O (ids, length ``target``).

    ``nptr``/``nbr``: symmetric, deduplicated neighbour CSR (no self-loops). Steps:

    1. ``min(initial, target)`` distinct nodes uniformly at random (partial Fisher-Yates).
    2. While ``|O| < target``: if some member has a neighbour outside O, pick such a member
       uniformly among those *frontier* members, then one of its outside neighbours uniformly,
       and add it; otherwise add a uniformly random node outside O.

    Picking a random member and retrying when it has no outside neighbour is the same
    distribution as picking uniformly among frontier members, which is what this does (in
    O(degree) per step, with a swap-remove list of frontier members).
    """
    n = nptr.shape[0] - 1
    state = seed_state(seed)
    in_o = np.zeros(n, dtype=np.bool_)
    outside = np.zeros(n, dtype=np.int64)  # outside-neighbour count of members
    fpos = np.full(n, -1, dtype=np.int64)  # position in the frontier list, -1 = absent
    front = np.empty(n, dtype=np.int64)
    nfront = 0
    order = np.empty(target, dtype=np.int64)
    # pool of non-members for uniform random picks (swap-remove)
    pool = np.arange(n)
    ppos = np.arange(n)
    npool = n
    count = 0
    while count < target:
        if count < initial or nfront == 0:
            state, j = next_below(state, npool)
            x = pool[j]
        else:
            state, j = next_below(state, nfront)
            u = front[j]
            state, r = next_below(state, outside[u])
            x = -1
            for t in range(nptr[u], nptr[u + 1]):
                v = nbr[t]
                if not in_o[v]:
                    if r == 0:
                        x = v
                        break
                    r -= 1
        # add x
        in_o[x] = True
        order[count] = x
        count += 1
        # remove x from pool
        p = ppos[x]
        last = pool[npool - 1]
        pool[p] = last
        ppos[last] = p
        npool -= 1
        c = 0
        for t in range(nptr[x], nptr[x + 1]):
            v = nbr[t]
            if in_o[v]:
                outside[v] -= 1
                if outside[v] == 0 and fpos[v] >= 0:
                    q = fpos[v]
                    lastf = front[nfront - 1]
                    front[q] = lastf
                    fpos[lastf] = q
                    fpos[v] = -1
                    nfront -= 1
            else:
                c += 1
        outside[x] = c
        if c > 0:
            front[nfront] = x
            fpos[x] = nfront
            nfront += 1
    return order
