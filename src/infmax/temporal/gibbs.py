"""Gibbs samplers of the BOPIM surrogate models.

:func:`gibbs_intercept` samples ``(mu, sigma^2)`` of ``y ~ N(mu 1, sigma^2 V)``, ``V = K + I``
(paper [1]_, Sec. 2.3), with the priors ``mu | sigma^2 ~ N(0, c sigma^2)``,
``c = 100``, and ``p(sigma^2) ∝ 1 / sigma^2``. Writing ``a = 1'V^-1 1 + 1/c``,
``b = 1'V^-1 y`` and ``Q = (y - mu 1)' V^-1 (y - mu 1)``, the full conditionals are

- ``mu | sigma^2, y ~ N(b / a, sigma^2 / a)``;
- ``sigma^2 | mu, y ~ InvGamma((N + 1)/2, (Q + mu^2 / c) / 2)`` (``sampler="coherent"``, the
  default).

This pair targets the joint posterior, which is Normal-Inverse-Gamma in closed form:
``sigma^2 | y ~ InvGamma(N/2, (y'V^-1 y - b^2/a) / 2)`` and ``mu | sigma^2, y ~ N(b/a,
sigma^2/a)`` (so ``mu | y`` is Student t with ``N`` degrees of freedom). ``sampler="authors"``
keeps the paper's stated ``sigma^2 | mu, y ~ InvGamma(N/2, Q/2)``, which is the conditional of
no joint distribution together with the ``mu`` update above (it ignores the ``mu`` prior's
dependence on ``sigma^2``); it is there only to reproduce the paper's setting.

``V^-1`` enters only through three scalars (``1'V^-1 1``, ``1'V^-1 y``, ``y'V^-1 y``), computed
once; the chain is a loop over scalars run in numba chunks of :data:`CHUNK` iterations (a few
milliseconds each) with :func:`infmax._interrupt.checkpoint` between them, so a long chain stops
promptly on Ctrl-C inside an :func:`~infmax._interrupt.interruptible` section. The variates of
each chunk are drawn from ``rng`` before the chunk runs, so the draws depend only on ``rng``.

Deviations from the authors' code, which is not copied: their ``mu`` draw uses the precision-
weighted sum without dividing by the precision, and their ``sigma^2`` draw ignores ``mu``.

:func:`gibbs_horseshoe` samples the linear-mean model of Sec. 4.1 (see its docstring).

References
----------
.. [1] Eric Yanchenko, "BOPIM: Bayesian Optimization for influence maximization on
   temporal networks", arXiv:2308.04700.
.. [2] E. Makalic and D. F. Schmidt, "A simple sampler for the horseshoe estimator",
   *IEEE Signal Processing Letters* 23(1), 179-182, 2015.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from .._interrupt import checkpoint
from .._memory import check as check_memory
from .._memory import guard, resolve_limit
from .._validation import check_choice
from ..random import as_generator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..random import RngLike

__all__ = ["gibbs_intercept", "gibbs_horseshoe", "SAMPLERS", "CHUNK"]

#: names of the ``sigma^2`` update of :func:`gibbs_intercept`
SAMPLERS = ("coherent", "authors")
#: Gibbs iterations per numba call (about 1-3 ms each)
CHUNK = 1 << 16


def gibbs_intercept(y: ArrayLike, Vinv: np.ndarray, *, draws: int = 5000, burn_in: int = 1000,
                    rng: RngLike = None,
                    prior_scale: float = 100.0, sampler: str = "coherent",
                    func: str = "gibbs_intercept") -> tuple[np.ndarray, np.ndarray]:
    """Posterior draws of ``(mu, sigma^2)`` for ``y ~ N(mu 1, sigma^2 V)`` (see module notes).

    Parameters
    ----------
    y : array of float, length N
        Observations (BOPIM passes them centred).
    Vinv : array (N, N)
        Inverse of the correlation matrix ``V = K + I``.
    draws, burn_in : int
        Draws kept and discarded first.
    rng : None, int, SeedSequence or Generator
    prior_scale : float
        ``c`` in the prior ``mu | sigma^2 ~ N(0, c sigma^2)``.
    sampler : {"coherent", "authors"}
        The ``sigma^2`` update: ``InvGamma((N + 1)/2, (Q + mu^2/c)/2)``, which with the ``mu``
        update targets the Normal-Inverse-Gamma posterior (default), or the paper's
        ``InvGamma(N/2, Q/2)``, which targets no posterior (kept for comparison only).
    func : str
        Name of the public function, for error messages.

    Returns
    -------
    mu, sigma2 : arrays of float, length ``draws``
    """
    sampler = check_choice(func, "sampler", sampler, SAMPLERS)
    gen = as_generator(rng, func=func)
    y = np.asarray(y, dtype=np.float64)
    N = y.shape[0]
    draws, burn_in = int(draws), int(burn_in)
    one = np.ones(N)
    a0 = float(one @ Vinv @ one)
    a = a0 + 1.0 / prior_scale
    b = float(one @ Vinv @ y)
    c = float(y @ Vinv @ y)
    # Q + mu^2/c = c - 2 mu b + mu^2 a (coherent); the authors' form drops mu^2/c
    qa = a if sampler == "coherent" else a0
    shape = (N + 1) / 2.0 if sampler == "coherent" else N / 2.0
    s2 = max(c - b * b / a0 if a0 > 0 else c, 1e-12) / max(N, 1)
    check_memory(func, 16.0 * draws, resolve_limit(func, None), what="the Gibbs draws",
                 hint="lower mcmc_draws")
    with guard(func, what="the Gibbs draws", hint="lower mcmc_draws"):
        mu_out = np.empty(draws)
        s2_out = np.empty(draws)
    total = draws + burn_in
    for lo in range(0, total, CHUNK):
        m = min(CHUNK, total - lo)
        z = gen.standard_normal(m)
        g = gen.standard_gamma(shape, size=m)
        s2 = _chain(z, g, b / a, 1.0 / math.sqrt(a), b, qa, c, max(s2, 1e-12), lo - burn_in,
                    mu_out, s2_out)
        checkpoint()
    return mu_out, s2_out


@njit(cache=True, nogil=True)
def _chain(z, g, m, sd_unit, b, qa, c, s2, first, mu_out, s2_out):
    """Run ``z.shape[0]`` Gibbs iterations from ``sigma^2 = s2``; return the last ``sigma^2``.

    Iteration ``i`` is stored at ``first + i`` when that index is >= 0 (burn-in otherwise).
    """
    for i in range(z.shape[0]):
        mu = m + math.sqrt(s2) * sd_unit * z[i]
        q = c - 2.0 * mu * b + mu * mu * qa
        s2 = max(q, 1e-300) / 2.0 / g[i]
        j = first + i
        if j >= 0:
            mu_out[j] = mu
            s2_out[j] = s2
    return s2


def gibbs_horseshoe(y: ArrayLike, X: np.ndarray, W_chol: np.ndarray, *, draws: int = 5000,
                    burn_in: int = 1000, rng: RngLike = None) -> dict[str, np.ndarray]:
    """Horseshoe linear-mean GP model ``y = X alpha + e``, ``e ~ N(0, sigma^2 (K + I))``.

    Prior ``alpha_j ~ N(0, sigma^2 tau^2 lambda_j^2)``, half-Cauchy ``lambda_j`` and ``tau`` via
    the auxiliary variables of Makalic & Schmidt (2015; see the module's References):

    - ``lambda_j^2 ~ IG(1, 1/nu_j + alpha_j^2 / (2 tau^2 sigma^2))``
    - ``nu_j ~ IG(1, 1 + 1/lambda_j^2)``
    - ``tau^2 ~ IG((n+1)/2, 1/xi + sum_j alpha_j^2 / (2 sigma^2 lambda_j^2))``
    - ``xi ~ IG(1, 1 + 1/tau^2)``
    - ``sigma^2 ~ IG((N+n)/2, (y - X alpha)'(K+I)^-1 (y - X alpha)/2
      + sum_j alpha_j^2 / (2 tau^2 lambda_j^2))``
    - ``alpha`` from its Gaussian full conditional, drawn with the exact ``O(N^2 n)`` sampler of
      Bhattacharya, Chakraborty & Mallick (2016) after whitening by the Cholesky factor
      ``W_chol`` of ``K + I`` (so ``n`` in the thousands stays cheap when ``N`` is small).

    ``y`` should be centred (the paper standardises it to mean zero, no intercept).

    Returns
    -------
    dict with ``alpha`` (``draws x n``), ``sigma2``, ``tau2`` (length ``draws``).
    """
    from scipy.linalg import solve_triangular

    gen = as_generator(rng, func="gibbs_horseshoe")
    y = np.asarray(y, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    N, n = X.shape
    yt = solve_triangular(W_chol, y, lower=True)
    Xt = solve_triangular(W_chol, X, lower=True)
    alpha = np.zeros(n)
    lam2 = np.ones(n)
    nu = np.ones(n)
    tau2 = 1.0
    xi = 1.0
    sigma2 = max(float(yt @ yt) / max(N, 1), 1e-8)
    total = int(draws) + int(burn_in)
    out_a = np.empty((int(draws), n))
    out_s2 = np.empty(int(draws))
    out_t2 = np.empty(int(draws))
    IN = np.eye(N)

    def ig(shape, scale):
        return scale / gen.standard_gamma(shape, size=np.shape(scale) or None)

    for it in range(total):
        # alpha | rest (Bhattacharya et al. 2016): Phi = Xt / sigma, D = sigma^2 tau^2 lam2
        s = math.sqrt(sigma2)
        Phi = Xt / s
        D = sigma2 * tau2 * lam2
        u = gen.standard_normal(n) * np.sqrt(D)
        delta = gen.standard_normal(N)
        v = Phi @ u + delta
        PD = Phi * D
        w = np.linalg.solve(PD @ Phi.T + IN, yt / s - v)
        alpha = u + PD.T @ w
        # sigma^2 | rest
        r = yt - Xt @ alpha
        a2 = alpha * alpha
        sigma2 = float(ig((N + n) / 2.0, float(r @ r) / 2.0 + float(np.sum(a2 / lam2)) /
                          (2.0 * tau2)))
        # local and global shrinkage
        lam2 = ig(1.0, 1.0 / nu + a2 / (2.0 * tau2 * sigma2))
        nu = ig(1.0, 1.0 + 1.0 / lam2)
        tau2 = float(ig((n + 1) / 2.0, 1.0 / xi + float(np.sum(a2 / lam2)) / (2.0 * sigma2)))
        xi = float(ig(1.0, 1.0 + 1.0 / tau2))
        if it >= burn_in:
            j = it - burn_in
            out_a[j] = alpha
            out_s2[j] = sigma2
            out_t2[j] = tau2
        checkpoint()
    return {"alpha": out_a, "sigma2": out_s2, "tau2": out_t2}
