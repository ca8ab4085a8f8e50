"""The BOPIM surrogate (GP with intercept mean) and its acquisition function.

:class:`GPSurrogate` fits ``y ~ N(mu 1, sigma^2 (K + I))`` (kernel weight fixed at 1, paper
Sec. 2.6) with the Gibbs sampler of :mod:`.gibbs` and plugs in the posterior medians. For a set
``S*`` with kernel values ``k*`` against the evaluated sets:

- mean ``m(S*) = mu + k*' V^-1 (y - mu 1)`` (plus the centring constant, see below),
- variance of the latent spread ``s^2(S*) = sigma^2 (1 - k*' V^-1 k*)`` and of a new noisy
  observation ``sigma^2 (2 - k*' V^-1 k*)`` (prior 1 plus noise 1; paper [1]_, Sec. 2).

The observed spreads are centred at their mean before fitting, as in the authors' code; ``mu`` is
the intercept of the centred data and predictions add the mean back.

:func:`augmented_ei` is the augmented expected improvement (paper eq. 6) with the textbook EI
``Delta Phi(Delta/s) + s phi(Delta/s)`` (the authors' code writes ``Phi(Delta/s)`` where the
identity needs ``Phi(-|Delta|/s)``; not copied), the plug-in incumbent (best posterior mean over
the evaluated sets) and the factor ``1 - sigma / sqrt(s^2 + sigma^2)``. As in Huang et al.
(2006) [2]_, ``s`` is the posterior standard deviation of the *latent* spread, without the noise
term, both inside EI and in the factor; ``sigma^2`` is the noise variance (the plug-in
``sigma^2``, since ``V = K + I`` gives the noise the same scale as the kernel). Using the
predictive sd ``sigma sqrt(2 - q)`` instead would count the noise twice.

:func:`maximise_acquisition` is the greedy swap optimiser (paper, Supplement 3): for each seed
position (random order per pass) try every non-seed in its place and keep the best swap when it
raises the acquisition; stop after a full pass without change. Trying candidates one at a time
and keeping each improvement, as the authors' loop does, ends at the same best candidate per
position, so the candidates of one position are scored in one vectorised step here. Sets that
were already evaluated are not proposed (as in the authors' code).

References
----------
.. [1] Eric Yanchenko, "BOPIM: Bayesian Optimization for influence maximization on
   temporal networks", arXiv:2308.04700.
.. [2] D. Huang, T. T. Allen, W. I. Notz and N. Zeng, "Global optimization of stochastic
   black-box systems via sequential kriging meta-models", *Journal of Global
   Optimization* 34, 441-466, 2006.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
from scipy.special import ndtr

from .._interrupt import checkpoint
from .gibbs import gibbs_intercept

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..random import RngLike

__all__ = ["GPSurrogate", "expected_improvement", "augmented_ei", "maximise_acquisition"]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def expected_improvement(delta, s):
    """Textbook EI ``delta Phi(delta/s) + s phi(delta/s)`` (vectorised; ``s > 0``)."""
    delta = np.asarray(delta, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    z = delta / s
    return delta * ndtr(z) + s * _INV_SQRT_2PI * np.exp(-0.5 * z * z)


def augmented_ei(mean, sd, incumbent, sigma_noise):
    """Augmented EI (Huang et al. 2006): ``EI * (1 - sigma_noise / sqrt(sd^2 + sigma_noise^2))``.

    Parameters
    ----------
    mean, sd : float or array
        Posterior mean and standard deviation of the latent (noise-free) spread.
    incumbent : float
        Plug-in incumbent (best posterior mean over the evaluated sets).
    sigma_noise : float
        Standard deviation of the observation noise.
    """
    sd = np.asarray(sd, dtype=np.float64)
    ei = expected_improvement(np.asarray(mean) - incumbent, sd)
    return ei * (1.0 - sigma_noise / np.sqrt(sd * sd + sigma_noise * sigma_noise))


class SetKernel(Protocol):
    """What :class:`GPSurrogate` uses of a set kernel (:mod:`.kernels`).

    A protocol, not an import: ``kernels`` imports this module (acyclic layers).
    """

    name: str
    n: int

    def represent(self, sets: Sequence[ArrayLike]) -> np.ndarray: ...

    def gram(self, R: np.ndarray) -> np.ndarray: ...

    def cross(self, R: np.ndarray, S: np.ndarray) -> np.ndarray: ...

    def swap_scores(self, sur: GPSurrogate, S: np.ndarray,
                    j: int) -> tuple[np.ndarray, np.ndarray]: ...


class GPSurrogate:
    """GP fit of observed spreads ``y`` of seed sets ``sets`` (int32 id arrays).

    Attributes
    ----------
    mu, sigma2 : float
        Posterior medians plugged in. ``mu_draws``, ``sigma2_draws``: the Gibbs draws.
    ybar : float
        Centring constant (mean of ``y``).
    sampler : str
        The Gibbs sampler's ``sigma^2`` update (:func:`.gibbs.gibbs_intercept`).
    """

    def __init__(self, kernel: SetKernel, sets: Sequence[ArrayLike],
                 y: ArrayLike, *, mcmc_draws: int = 5000, burn_in: int = 1000,
                 rng: RngLike = None, delta: float = 0.01, prior_scale: float = 100.0,
                 sampler: str = "coherent"):
        self.kernel = kernel
        self.sets = [np.asarray(s, dtype=np.int32) for s in sets]
        self.y = np.asarray(y, dtype=np.float64)
        self.k = len(self.sets[0])
        self.delta = float(delta)
        n = kernel.n
        N = len(self.sets)
        self.X = np.zeros((N, n), dtype=np.float64)
        for i, s in enumerate(self.sets):
            self.X[i, s] = 1.0
        self.R = self.X if kernel.name == "hamming" else kernel.represent(self.sets)
        self.K0 = kernel.gram(self.R)  # without the diagonal delta: k(S_i, S_j) as a kernel
        K = self.K0 + self.delta * np.eye(N)
        self.V = K + np.eye(N)
        self.chol = np.linalg.cholesky(self.V)
        self.Vinv = np.linalg.inv(self.V)
        self.Vinv = 0.5 * (self.Vinv + self.Vinv.T)
        self.ybar = float(self.y.mean())
        yc = self.y - self.ybar
        self.sampler = sampler
        self.mu_draws, self.sigma2_draws = gibbs_intercept(
            yc, self.Vinv, draws=mcmc_draws, burn_in=burn_in, rng=rng, prior_scale=prior_scale,
            sampler=sampler)
        self.mu = float(np.median(self.mu_draws))
        self.sigma2 = float(np.median(self.sigma2_draws))
        self.alpha = self.Vinv @ (yc - self.mu)
        #: scratch arrays of the set kernel's swap search, reset with each fit
        self.kernel_cache: dict = {}

    @property
    def sigma_noise(self) -> float:
        """Standard deviation of the observation noise (``V = K + I``: ``sigma``)."""
        return math.sqrt(self.sigma2)

    def sd_from_q(self, q: ArrayLike, *, latent: bool = False) -> np.ndarray:
        """Return the posterior sd from ``q = k*' V^-1 k*``.

        That is ``sigma sqrt(1 - q)`` for the latent spread, ``sigma sqrt(2 - q)`` for a new
        noisy observation (prior 1, noise 1).
        """
        prior = 1.0 if latent else 2.0
        return np.sqrt(self.sigma2 * np.maximum(prior - np.asarray(q, dtype=np.float64), 1e-12))

    def predict_cross(self, kstar: ArrayLike, *,
                      latent: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and sd for rows of kernel values ``kstar`` (``m x N``).

        The sd is that of a new noisy observation, or of the latent spread when ``latent``.
        """
        kstar = np.atleast_2d(kstar)
        mean = self.ybar + self.mu + kstar @ self.alpha
        q = np.einsum("ij,ij->i", kstar @ self.Vinv, kstar)
        return mean, self.sd_from_q(q, latent=latent)

    def predict(self, ids: ArrayLike, *, latent: bool = False) -> tuple[float, float]:
        """Posterior mean and sd of the spread of one seed set (int32 ids).

        The sd is that of a new noisy observation (what evaluating the set would return), or of
        the latent spread when ``latent``.
        """
        m, s = self.predict_cross(self.kernel.cross(self.R, np.asarray(ids))[None, :],
                                  latent=latent)
        return float(m[0]), float(s[0])

    def fitted_means(self) -> np.ndarray:
        """Posterior mean at every evaluated set."""
        return self.predict_cross(self.K0)[0]

    def incumbent(self) -> float:
        """Plug-in incumbent: the best posterior mean over the evaluated sets."""
        return float(self.fitted_means().max())

    def acquisition(self, ids: ArrayLike, incumbent: float) -> float:
        """Augmented EI of one seed set (latent sd, see the module docstring)."""
        m, s = self.predict(ids, latent=True)
        return float(augmented_ei(m, s, incumbent, self.sigma_noise))


def maximise_acquisition(sur: GPSurrogate, start: ArrayLike, incumbent: float,
                         rng: np.random.Generator, *, exclude_evaluated: bool = True,
                         max_passes: int = 100) -> tuple[np.ndarray, float, int, int]:
    """Greedy swaps from ``start``; returns ``(ids, acquisition, passes, candidates_scored)``.

    The result's acquisition is never below the start's (a swap is kept only when it raises the
    value strictly). Each position's candidates are scored at once with the kernel's
    ``swap_scores`` (``O(n N)`` for Hamming).
    """
    S = np.array(start, dtype=np.int32)
    k = S.shape[0]
    ei_cur = sur.acquisition(S, incumbent)
    scored = 1
    passes = 0
    in_set = np.zeros(sur.kernel.n, dtype=bool)
    in_set[S] = True
    for _ in range(max_passes):
        passes += 1
        changed = False
        for j in rng.permutation(k):
            blocked = in_set.copy()
            if exclude_evaluated:
                # an evaluated set equals S - {S[j]} + {v} iff it holds the k-1 kept seeds and v
                cnt = sur.X[:, S].sum(axis=1) - sur.X[:, S[j]]
                rows = np.flatnonzero(cnt >= k - 1.5)
                if rows.shape[0]:
                    blocked |= sur.X[rows].sum(axis=0) > 0
            if hasattr(sur.kernel, "best_swap"):
                b, val = sur.kernel.best_swap(sur, S, j, incumbent, blocked)
            else:
                mean, q = sur.kernel.swap_scores(sur, S, j)
                sd = sur.sd_from_q(q, latent=True)
                ei = augmented_ei(mean, sd, incumbent, sur.sigma_noise)
                ei[blocked] = -np.inf
                b = int(np.argmax(ei))
                val = float(ei[b])
            scored += sur.kernel.n - k
            if b >= 0 and val > ei_cur:
                in_set[S[j]] = False
                S[j] = b
                in_set[b] = True
                ei_cur = float(val)
                changed = True
            checkpoint()  # one bounded search per position
        if not changed:
            break
    return S, ei_cur, passes, scored
