"""Gibbs samplers of the BOPIM surrogate models.

:func:`gibbs_intercept` samples ``(mu, sigma^2)`` of ``y ~ N(mu 1, sigma^2 V)``, ``V = K + I``
(METHODS.md section 4; paper Sec. 2.3):

- ``mu | sigma^2, y ~ N(1'V^-1 y / (1'V^-1 1 + 1/c), sigma^2 / (1'V^-1 1 + 1/c))``, ``c = 100``
  (prior ``mu ~ N(0, c sigma^2)``);
- ``sigma^2 | mu, y ~ InvGamma(N/2, (y - mu 1)' V^-1 (y - mu 1) / 2)``.

Vectorised: ``V^-1`` enters only through three scalars (``1'V^-1 1``, ``1'V^-1 y``,
``y'V^-1 y``), computed once; every normal and gamma variate is drawn up front; the chain itself
is a loop over scalars (6,000 draws take a few milliseconds).

Deviations from the authors' code, which is not copied: their ``mu`` draw uses the precision-
weighted sum without dividing by the precision, and their ``sigma^2`` draw ignores ``mu``.

:func:`gibbs_horseshoe` samples the linear-mean model of Sec. 4.1 (see its docstring).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["gibbs_intercept", "gibbs_horseshoe"]


def gibbs_intercept(y, Vinv, *, draws: int = 5000, burn_in: int = 1000, rng=None,
                    prior_scale: float = 100.0) -> tuple[np.ndarray, np.ndarray]:
    """Posterior draws ``(mu, sigma2)`` (each of length ``draws``) after ``burn_in``."""
    gen = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
    y = np.asarray(y, dtype=np.float64)
    N = y.shape[0]
    one = np.ones(N)
    a = float(one @ Vinv @ one) + 1.0 / prior_scale
    b = float(one @ Vinv @ y)
    a0 = a - 1.0 / prior_scale
    c = float(y @ Vinv @ y)
    total = int(draws) + int(burn_in)
    z = gen.standard_normal(total)
    g = gen.standard_gamma(N / 2.0, size=total)
    s2 = max(c - b * b / a0 if a0 > 0 else c, 1e-12) / max(N, 1)
    return _chain(z, g, b / a, 1.0 / math.sqrt(a), b, a0, c, max(s2, 1e-12), int(burn_in))


@njit(cache=True, nogil=True)
def _chain(z, g, m, sd_unit, b, a0, c, s2, burn_in):
    total = z.shape[0]
    mu_out = np.empty(total - burn_in)
    s2_out = np.empty(total - burn_in)
    for i in range(total):
        mu = m + math.sqrt(s2) * sd_unit * z[i]
        q = c - 2.0 * mu * b + mu * mu * a0
        s2 = max(q, 1e-300) / 2.0 / g[i]
        if i >= burn_in:
            mu_out[i - burn_in] = mu
            s2_out[i - burn_in] = s2
    return mu_out, s2_out


def gibbs_horseshoe(y, X, W_chol, *, draws: int = 5000, burn_in: int = 1000, rng=None):
    """Horseshoe linear-mean GP model ``y = X alpha + e``, ``e ~ N(0, sigma^2 (K + I))``.

    Prior ``alpha_j ~ N(0, sigma^2 tau^2 lambda_j^2)``, half-Cauchy ``lambda_j`` and ``tau`` via
    the auxiliary variables of Makalic & Schmidt (2015):

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

    gen = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
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
    return {"alpha": out_a, "sigma2": out_s2, "tau2": out_t2}
