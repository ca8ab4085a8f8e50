"""BOPIM's statistics (issue 8, items 6 and 7): the Gibbs sampler targets the Normal-Inverse-
Gamma posterior of its priors, augmented EI uses the latent posterior sd, and long runs stop
at checkpoints."""

from __future__ import annotations

import importlib
import os
import signal
import time

import numpy as np
import pytest
from scipy import stats

from infmax import _interrupt
from infmax.exceptions import InvalidParameterError
from infmax.graph.temporal import TemporalGraph
from infmax.temporal import bopim
from infmax.temporal import gibbs as gibbs_mod
from infmax.temporal.acquisition import GPSurrogate, maximise_acquisition
from infmax.temporal.gibbs import gibbs_intercept
from infmax.temporal.kernels import HammingKernel, JaccardKernel


# -- Gibbs sampler against the closed-form posterior ----------------------------------------
def _fixed_problem(N=16, n=12, k=3, seed=11):
    """A fixed V (Hamming Gram + 1.01 I, as in BOPIM) and y."""
    r = np.random.default_rng(seed)
    sets = [np.sort(r.choice(n, k, replace=False)) for _ in range(N)]
    H = HammingKernel(n, k)
    V = H.gram(H.represent(sets)) + 1.01 * np.eye(N)
    y = 0.8 + np.linalg.cholesky(0.5 * V) @ r.standard_normal(N)
    return V, y


def _nig_posterior(V, y, c=100.0):
    """Closed form: prior mu | s2 ~ N(0, c s2), p(s2) ∝ 1/s2, y ~ N(mu 1, s2 V).

    s2 | y ~ InvGamma(N/2, S/2), mu | y ~ t_N(b/a, sqrt(S/(N a))), with a = 1'V^-1 1 + 1/c,
    b = 1'V^-1 y, S = y'V^-1 y - b^2/a.
    """
    N = y.shape[0]
    Vi = np.linalg.inv(V)
    one = np.ones(N)
    a = one @ Vi @ one + 1.0 / c
    b = one @ Vi @ y
    S = y @ Vi @ y - b * b / a
    return stats.t(N, loc=b / a, scale=np.sqrt(S / (N * a))), stats.invgamma(N / 2, scale=S / 2)


def _batch_z(h, expected, n_batches=50):
    """(mean of h - expected) / MCSE, the MCSE from batch means (covers autocorrelation)."""
    bm = h.reshape(n_batches, -1).mean(axis=1)
    return (h.mean() - expected) / (bm.std(ddof=1) / np.sqrt(n_batches))


def _posterior_z_scores(draws, dist):
    m, v = dist.mean(), dist.var()
    z = {"mean": _batch_z(draws, m), "variance": _batch_z((draws - m) ** 2, v)}
    for p in (0.05, 0.5, 0.95):  # P(draw <= closed-form p-quantile) = p
        z[f"quantile {p}"] = _batch_z((draws <= dist.ppf(p)).astype(np.float64), p)
    return z


def test_coherent_gibbs_matches_normal_inverse_gamma_posterior():
    V, y = _fixed_problem()
    mu_dist, s2_dist = _nig_posterior(V, y)
    mu, s2 = gibbs_intercept(y, np.linalg.inv(V), draws=50000, burn_in=1000, rng=3)
    # 10 statistics; |z| <= 4 for each has a joint false-alarm rate below 1e-3
    for name, draws, dist in (("mu", mu, mu_dist), ("sigma2", s2, s2_dist)):
        for stat, z in _posterior_z_scores(draws, dist).items():
            assert abs(z) <= 4.0, (name, stat, z)


def test_authors_sampler_is_kept_and_misses_the_posterior():
    V, y = _fixed_problem()
    _, s2_dist = _nig_posterior(V, y)
    mu, s2 = gibbs_intercept(y, np.linalg.inv(V), draws=50000, burn_in=1000, rng=3,
                             sampler="authors")
    z = _posterior_z_scores(s2, s2_dist)
    assert z["mean"] > 10  # IG(N/2, Q/2) inflates sigma^2 (shape N/2 instead of (N + 1)/2)


def test_gibbs_chunks_and_burn_in_indexing(monkeypatch):
    V, y = _fixed_problem(N=6)
    Vi = np.linalg.inv(V)
    monkeypatch.setattr(gibbs_mod, "CHUNK", 5)  # burn-in and draws straddle chunk borders
    mu_all, s2_all = gibbs_intercept(y, Vi, draws=20, burn_in=0, rng=9)
    mu, s2 = gibbs_intercept(y, Vi, draws=12, burn_in=8, rng=9)
    assert np.array_equal(mu, mu_all[8:]) and np.array_equal(s2, s2_all[8:])
    calls = []
    real = gibbs_mod._chain
    monkeypatch.setattr(gibbs_mod, "_chain", lambda *a: calls.append(a[0].shape[0]) or real(*a))
    gibbs_intercept(y, Vi, draws=12, burn_in=1, rng=9)
    assert calls == [5, 5, 3]


def test_gibbs_stops_at_the_first_checkpoint(monkeypatch):
    V, y = _fixed_problem(N=6)
    calls = []
    real = gibbs_mod._chain
    monkeypatch.setattr(gibbs_mod, "_chain", lambda *a: calls.append(1) or real(*a))
    with _interrupt.interruptible():
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(100):
            if _interrupt.pending():
                break
            time.sleep(0.001)
        with pytest.raises(KeyboardInterrupt):  # raised inside the call, not at section end
            gibbs_intercept(y, np.linalg.inv(V), draws=10 * gibbs_mod.CHUNK, burn_in=0, rng=1)
    assert calls == [1]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_sampler_parameter_is_validated():
    V, y = _fixed_problem(N=6)
    with pytest.raises(InvalidParameterError, match="'sampler' parameter of gibbs_intercept"):
        gibbs_intercept(y, np.linalg.inv(V), sampler="paper")


# -- augmented EI by hand (Huang et al. 2006) ------------------------------------------------
def _tg(seed=0, n=20, events=300, T=5):
    rng = np.random.default_rng(seed)
    s = rng.integers(0, n, events)
    d = (s + 1 + rng.integers(0, 3, events)) % n
    return TemporalGraph.from_events(s, d, rng.uniform(0, 50, events), snapshots=T)


TG = _tg()
SETS = [np.array(s, dtype=np.int32) for s in
        ([0, 1, 2], [2, 3, 4], [1, 5, 9], [6, 7, 8], [10, 11, 12], [3, 9, 15])]
Y = [4.0, 6.5, 5.0, 3.2, 7.9, 6.1]


def _hand_aei(sur, S, incumbent, *, latent=True):
    """Augmented EI from its formula: Hamming k*, V = K + 0.01 I + I, latent s."""
    k = len(S)
    kstar = np.array([len(set(S.tolist()) & set(T.tolist())) / k for T in SETS])
    K = np.array([[len(set(A.tolist()) & set(B.tolist())) / k for B in SETS] for A in SETS])
    V = K + 1.01 * np.eye(len(SETS))
    yc = np.asarray(Y) - np.mean(Y)
    mean = np.mean(Y) + sur.mu + kstar @ np.linalg.solve(V, yc - sur.mu)
    q = kstar @ np.linalg.solve(V, kstar)
    s = np.sqrt(sur.sigma2 * ((1.0 if latent else 2.0) - q))
    noise = np.sqrt(sur.sigma2)
    d = mean - incumbent
    ei = d * stats.norm.cdf(d / s) + s * stats.norm.pdf(d / s)
    return ei * (1.0 - noise / np.sqrt(s * s + noise * noise))


def test_augmented_ei_uses_the_latent_sd():
    sur = GPSurrogate(HammingKernel(TG.n, 3), SETS, Y, mcmc_draws=2000, burn_in=200, rng=1)
    inc = sur.incumbent()
    points = [np.array(s, dtype=np.int32) for s in ([4, 10, 11], [13, 14, 16], [0, 1, 2])]
    for S in points:
        assert np.isclose(sur.acquisition(S, inc), _hand_aei(sur, S, inc), rtol=1e-9,
                          atol=1e-15)
    # at an evaluated set the latent sd is small: counting the noise twice (predictive sd in EI
    # and in the factor) gives a visibly larger value
    S = points[2]
    assert _hand_aei(sur, S, inc, latent=False) > 1.5 * _hand_aei(sur, S, inc)
    m, s_lat = sur.predict(S, latent=True)
    _, s_obs = sur.predict(S)
    assert np.isclose(s_obs ** 2 - s_lat ** 2, sur.sigma2)  # they differ by the noise only


@pytest.mark.parametrize("kernel", ["hamming", "jaccard"])
def test_swap_search_values_are_the_hand_formula(kernel):
    kern = HammingKernel(TG.n, 3) if kernel == "hamming" else JaccardKernel(TG, 0)
    sur = GPSurrogate(kern, SETS, Y, mcmc_draws=2000, burn_in=200, rng=2)
    inc = sur.incumbent()
    S, val, _, _ = maximise_acquisition(sur, np.array([13, 14, 16], dtype=np.int32), inc,
                                        np.random.default_rng(0))
    assert np.isclose(val, sur.acquisition(S, inc), rtol=1e-9, atol=1e-15)
    if kernel == "hamming":
        assert np.isclose(val, _hand_aei(sur, S, inc), rtol=1e-9, atol=1e-15)


# -- bopim: sampler option and interruption -------------------------------------------------
KW = dict(beta=0.2, n_initial=4, n_iterations=3, n_simulations=200, mcmc_draws=400,
          burn_in=100)


def test_bopim_sampler_option():
    a = bopim(TG, 3, rng=4, **KW)
    b = bopim(TG, 3, rng=4, sampler="authors", **KW)
    assert a.params["sampler"] == "coherent" and b.params["sampler"] == "authors"
    assert b.record["posterior"]["sampler"] == "authors"
    assert a.record["posterior"]["sigma2"] != b.record["posterior"]["sigma2"]
    # refitting a finished run keeps its sampler
    from infmax.temporal.uq import surrogate_from_result
    assert surrogate_from_result(TG, a, rng=0).sampler == "coherent"
    assert surrogate_from_result(TG, b, rng=0).sampler == "authors"
    with pytest.raises(InvalidParameterError, match="'sampler' parameter of bopim") as e:
        bopim(TG, 3, sampler="gibbs", **KW)
    assert e.value.param == "sampler"


def test_bopim_stops_between_iterations_on_sigint(monkeypatch):
    bopim_mod = importlib.import_module("infmax.temporal.bopim")  # the module, not the function
    fits = []

    class Interrupting(GPSurrogate):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            fits.append(signal.getsignal(signal.SIGINT) is _interrupt._handler)  # in a section
            if len(fits) == 1:
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C during the first BO iteration
                for _ in range(100):
                    if _interrupt.pending():
                        break
                    time.sleep(0.001)

    monkeypatch.setattr(bopim_mod, "GPSurrogate", Interrupting)
    with pytest.raises(KeyboardInterrupt):
        bopim(TG, 3, rng=1, **{**KW, "n_iterations": 5})
    assert fits == [True]  # stopped at the first checkpoint, not after five iterations
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert not _interrupt.pending()
