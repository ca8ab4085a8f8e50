"""SplitMix64 streams for numba kernels (one stream per block of work).

Usage inside a kernel::

    state = seed_state(seed)
    state, u = next_double(state)     # u in [0, 1)
    state, j = next_below(state, n)   # j in [0, n)

The state is a plain uint64 carried by value, so LLVM keeps it in a register.
:func:`infmax.random.uniforms` reproduces :func:`next_double` in pure Python for the tests.
"""

from __future__ import annotations

import numpy as np
from numba import njit, uint64

_GOLDEN = uint64(0x9E3779B97F4A7C15)
_M1 = uint64(0xBF58476D1CE4E5B9)
_M2 = uint64(0x94D049BB133111EB)
_INV53 = 1.0 / 9007199254740992.0


@njit(inline="always", cache=True, nogil=True)
def _mix(z):
    z = (z ^ (z >> uint64(30))) * _M1
    z = (z ^ (z >> uint64(27))) * _M2
    return z ^ (z >> uint64(31))


@njit(inline="always", cache=True, nogil=True)
def seed_state(seed):
    """Initial state for a block seed (decorrelates consecutive seeds)."""
    return _mix(uint64(seed) ^ _GOLDEN)


@njit(inline="always", cache=True, nogil=True)
def next_u64(state):
    state = state + _GOLDEN
    return state, _mix(state)


@njit(inline="always", cache=True, nogil=True)
def next_double(state):
    """Advance the stream; return (state, u) with u uniform in [0, 1)."""
    state = state + _GOLDEN
    return state, np.float64(_mix(state) >> uint64(11)) * _INV53


@njit(inline="always", cache=True, nogil=True)
def next_below(state, n):
    """Advance the stream; return (state, j) with j uniform in [0, n) (n >= 1)."""
    state, u = next_double(state)
    j = np.int64(u * n)
    if j >= n:  # guard against rounding at the top end
        j = n - 1
    return state, j


@njit(cache=True, nogil=True)
def draw_uniforms(seed, count):
    """``count`` uniforms of the stream seeded with ``seed`` (for tests and twins)."""
    out = np.empty(count, dtype=np.float64)
    state = seed_state(seed)
    for i in range(count):
        state, out[i] = next_double(state)
    return out
