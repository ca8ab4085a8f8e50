"""Numba kernels of BOPIM itself (not engine kernels: only :mod:`infmax.temporal` uses them).

The engine's SI Monte Carlo, shared by every temporal selector, stays in
:mod:`infmax._kernels.temporal`; see "Kernels" in ``docs/architecture.md``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["best_hamming_swap"]


@njit(cache=True, nogil=True)
def best_hamming_swap(P, xa, d, b, c0, bvb, k, sigma2, incumbent, blocked):
    """BOPIM acquisition search for one seed position with the Hamming kernel.

    For every node ``v`` (not ``blocked``): ``mean = c0 + xa[v] / k``,
    ``q = (bvb + 2 P[v] . b + d[v]) / k^2``, the latent posterior sd ``s = sqrt(sigma2 (1 - q))``
    (no noise term; Huang et al. 2006) and the augmented EI
    ``(D Phi(D/s) + s phi(D/s)) (1 - sigma / sqrt(s^2 + sigma2))``, ``D = mean - incumbent``.
    Returns ``(best v, its value)`` (``-1, -inf`` when every node is blocked).
    """
    n, N = P.shape
    best = -1
    best_val = -np.inf
    sig = math.sqrt(sigma2)
    inv_sqrt2 = 1.0 / math.sqrt(2.0)
    inv_sqrt2pi = 1.0 / math.sqrt(2.0 * math.pi)
    for v in range(n):
        if blocked[v]:
            continue
        pb = 0.0
        for i in range(N):
            pb += P[v, i] * b[i]
        q = (bvb + 2.0 * pb + d[v]) / (k * k)
        var = sigma2 * max(1.0 - q, 1e-12)
        s = math.sqrt(var)
        delta = c0 + xa[v] / k - incumbent
        z = delta / s
        ei = delta * 0.5 * math.erfc(-z * inv_sqrt2) + s * inv_sqrt2pi * math.exp(-0.5 * z * z)
        val = ei * (1.0 - sig / math.sqrt(var + sigma2))
        if val > best_val:
            best_val = val
            best = v
    return best, best_val
