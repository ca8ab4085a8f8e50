"""SI (susceptible-infected) Monte Carlo on snapshot graphs (numba).

The graph is the flat snapshot CSR of :class:`infmax.graph.temporal.TemporalGraph`: neighbours
of ``u`` in snapshot ``t`` are ``indices[indptr[t * n + u]:indptr[t * n + u + 1]]``.

One simulation: the seeds are infected at t = 0. For t = 0 .. T-1, every node infected at the
start of snapshot t (in infection order) looks at its neighbours of that snapshot in CSR order;
for each neighbour that is neither infected nor already newly infected in this snapshot it draws
one uniform ``u`` and infects it when ``u < beta``. Newly infected nodes start infecting in
snapshot t + 1 (synchronous update). The count at the end is the simulation's spread.

Work is cut into fixed blocks of ``block_size`` simulations per seed set; block ``b`` of set
``s`` uses the stream ``seed_state(block_seeds[s * n_blocks + b])``, so the result does not
depend on the thread count. The tests replay the same coins in a pure-Python twin.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._rng import next_double, seed_state
from ._twin import serial_twin

__all__ = ["si_counts", "si_counts_serial", "si_jobs", "si_jobs_serial"]


@njit(cache=True, nogil=True)
def _si_block(indptr, indices, n, T, seeds, beta, n_sims, seed, out):
    """Run ``n_sims`` simulations from one stream; write the final counts into ``out``."""
    mark = np.zeros(n, dtype=np.int32)
    inf = np.empty(n, dtype=np.int32)
    state = seed_state(seed)
    for sim in range(n_sims):
        stamp = sim + 1
        count = 0
        for i in range(seeds.shape[0]):
            v = seeds[i]
            if mark[v] != stamp:
                mark[v] = stamp
                inf[count] = v
                count += 1
        for t in range(T):
            base = t * n
            n_cur = count
            for idx in range(n_cur):
                u = inf[idx]
                r = base + u
                for e in range(indptr[r], indptr[r + 1]):
                    v = indices[e]
                    if mark[v] != stamp:
                        state, x = next_double(state)
                        if x < beta:
                            mark[v] = stamp
                            inf[count] = v
                            count += 1
            if count == n:
                break
        out[sim] = count


def _si_jobs(indptr, indices, n, T, set_ptr, set_nodes, beta, n_sims, block_size,
             block_seeds, job_lo, job_hi, out):
    """Jobs ``job_lo .. job_hi - 1`` (job = set ``s``, block ``b``: ``s * n_blocks + b``).

    Writes the final counts of those blocks into ``out`` (shape ``(n_sets, n_sims)``); each
    job uses ``block_seeds[job]``, so any split of the job range gives the same ``out``.
    """
    n_blocks = (n_sims + block_size - 1) // block_size
    for j in prange(job_hi - job_lo):
        job = job_lo + j
        s = job // n_blocks
        b = job % n_blocks
        lo = b * block_size
        hi = min(lo + block_size, n_sims)
        seeds = set_nodes[set_ptr[s]:set_ptr[s + 1]]
        _si_block(indptr, indices, n, T, seeds, beta, hi - lo, block_seeds[job],
                  out[s, lo:hi])


si_jobs = njit(cache=True, nogil=True, parallel=True)(_si_jobs)
#: :func:`si_jobs` on one thread (same blocks, same seeds, same result); small jobs.
si_jobs_serial = serial_twin(si_jobs, "si_jobs_serial")


@njit(cache=True, nogil=True)
def si_counts(indptr, indices, n, T, set_ptr, set_nodes, beta, n_sims, block_size,
              block_seeds):
    """Final infected counts, shape ``(n_sets, n_sims)`` (int32), in one parallel call.

    Seed set ``s`` is ``set_nodes[set_ptr[s]:set_ptr[s + 1]]``; ``block_seeds`` has
    ``n_sets * ceil(n_sims / block_size)`` entries. Long runs call :func:`si_jobs` on chunks
    of jobs instead (interruptible between calls).
    """
    n_sets = set_ptr.shape[0] - 1
    n_blocks = (n_sims + block_size - 1) // block_size
    out = np.zeros((n_sets, n_sims), dtype=np.int32)
    si_jobs(indptr, indices, n, T, set_ptr, set_nodes, beta, n_sims, block_size, block_seeds,
            0, n_sets * n_blocks, out)
    return out


@njit(cache=True, nogil=True)
def si_counts_serial(indptr, indices, n, T, set_ptr, set_nodes, beta, n_sims, block_size,
                     block_seeds):
    """:func:`si_counts` on one thread (same blocks, same seeds, same result); small jobs."""
    n_sets = set_ptr.shape[0] - 1
    n_blocks = (n_sims + block_size - 1) // block_size
    out = np.zeros((n_sets, n_sims), dtype=np.int32)
    si_jobs_serial(indptr, indices, n, T, set_ptr, set_nodes, beta, n_sims, block_size,
                   block_seeds, 0, n_sets * n_blocks, out)
    return out
