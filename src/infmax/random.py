"""Randomness: one ``rng`` argument everywhere, per-block seeds for the kernels.

Every public function takes ``rng`` and normalises it with :func:`as_generator`, so ``rng`` has
one meaning everywhere:

- ``None``: fresh OS entropy (a different result each call);
- an int ``n`` >= 0, ``numpy.random.SeedSequence(n)`` and a fresh
  ``numpy.random.Generator(numpy.random.PCG64(n))`` are the same seed: all three give
  ``numpy.random.default_rng(n)``'s stream, hence identical results;
- a ``Generator`` is used as is and advanced (two calls with one Generator differ; the
  caller's stream decides what comes next).

Anything else (a negative int, a float, a string, a bool, a legacy ``RandomState``) is an
InvalidParameterError naming the function and ``rng``. A function never draws from ``rng``
before validating its other arguments' types, and derives all its randomness from the one
Generator (child streams with :func:`spawn`, kernel seeds with :func:`block_seeds`).

Kernels never share a random stream between threads: work is cut into fixed blocks and block
``b`` gets its own 64-bit seed from :func:`block_seeds`, so results are identical for any
number of threads.

Inside the numba kernels the stream of a block is SplitMix64 (Steele, Lea, Flood 2014), see
:mod:`infmax._kernels._rng`; :func:`uniforms` draws the same numbers in Python, which is what
the tests use to drive the slow pure-Python twins with identical coins.
"""

from __future__ import annotations

import numbers
from typing import TypeAlias

import numpy as np

from ._validation import fail

__all__ = ["RngLike", "as_generator", "block_seeds", "uniforms", "n_blocks_for", "spawn",
           "root_entropy"]

#: What an ``rng`` argument accepts (the meanings in the module docstring).
RngLike: TypeAlias = int | np.integer | np.random.SeedSequence | np.random.Generator | None


def as_generator(rng: RngLike = None, *, func: str = "infmax") -> np.random.Generator:
    r"""Return a ``numpy.random.Generator`` for ``rng`` (the meaning in the module docstring).

    Parameters
    ----------
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        ``None``: fresh entropy; an int ``n`` >= 0 or ``SeedSequence(n)``:
        ``default_rng(n)``; a Generator: returned as is.
    func : str
        The public function whose ``rng`` this is (named in the error).

    Raises
    ------
    InvalidParameterError
        Any other value.

    Examples
    --------
    >>> import numpy as np
    >>> a = as_generator(7).random()
    >>> a == as_generator(np.random.SeedSequence(7)).random() \
    ...   == as_generator(np.random.Generator(np.random.PCG64(7))).random()
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, (bool, np.bool_)) \
            and int(rng) >= 0:
        return np.random.default_rng(int(rng))
    fail(func, "rng", "a non-negative int, a Generator, a SeedSequence or None", rng)


def root_entropy(rng: RngLike, *, func: str = "infmax") -> int:
    """Return the one root seed (an int in [0, 2^63)) every stream of an experiment derives from.

    An int is its own root (so a unit's stream depends only on it and the unit, and a resumed
    or distributed run draws the same numbers); a Generator gives one draw; a SeedSequence
    built from a plain int means that int, any other is folded into one word; None draws
    fresh entropy.

    Examples
    --------
    >>> root_entropy(7), root_entropy(np.random.SeedSequence(7))
    (7, 7)
    """
    if rng is None:
        return int(np.random.SeedSequence().entropy) % (2**63)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**63))
    if isinstance(rng, np.random.SeedSequence):
        if not rng.spawn_key and isinstance(rng.entropy, int) and 0 <= rng.entropy < 2**63:
            return int(rng.entropy)
        return int(rng.generate_state(1, np.uint64)[0]) % (2**63)
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral) or not 0 <= rng < 2**63:
        fail(func, "rng", "an int in [0, 2^63), a numpy Generator or SeedSequence, or None", rng)
    return int(rng)


def spawn(rng: RngLike, n: int, *, func: str = "infmax") -> list[np.random.Generator]:
    """``n`` independent child generators of ``rng`` (for trials, repeated runs)."""
    gen = as_generator(rng, func=func)
    return [np.random.default_rng(s) for s in gen.integers(0, 2**63, size=n, dtype=np.int64)]


def block_seeds(rng: RngLike, n_blocks: int, *, func: str = "infmax") -> np.ndarray:
    """Draw ``n_blocks`` 64-bit kernel seeds (as uint64) from ``rng``.

    ``func`` names the public function in the error for a bad ``rng``.
    """
    gen = as_generator(rng, func=func)
    return gen.integers(0, 2**63, size=n_blocks, dtype=np.int64).view(np.uint64)


def n_blocks_for(n_items: int, block_size: int) -> int:
    """Count the fixed-size blocks covering ``n_items`` (independent of the thread count)."""
    return max(1, -(-int(n_items) // int(block_size)))


_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_MASK = (1 << 64) - 1


def uniforms(seed: int, count: int) -> np.ndarray:
    """Return the first ``count`` uniforms in [0, 1) of the kernel stream seeded with ``seed``.

    Pure Python; bit-for-bit the numbers :func:`infmax._kernels._rng.next_double` yields.
    """
    state = int(np.uint64(seed)) & _MASK
    state = _mix(state ^ _GOLDEN)  # same seeding step as seed_state()
    out = np.empty(count, dtype=np.float64)
    for i in range(count):
        state = (state + _GOLDEN) & _MASK
        out[i] = (_mix(state) >> 11) * (1.0 / 9007199254740992.0)
    return out


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)
