"""Uncertainty quantification for BOPIM (paper Sec. 4).

- :func:`posterior_predictive`: mean and interval of the spread of ANY seed set under the fitted
  GP, integrating over the Gibbs draws of ``(mu, sigma^2)``;
- :func:`node_contributions`: posterior draws of each node's coefficient ``alpha_j`` in the
  horseshoe linear-mean model ``y = X alpha + e``, ``e ~ N(0, sigma^2 (K + I))`` (Sec. 4.1,
  Makalic & Schmidt 2015 auxiliary Gibbs updates, see :func:`.gibbs.gibbs_horseshoe`);
- :func:`inclusion_frequency`: share of repeated BOPIM runs whose answer contains each node
  (Sec. 4.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import Interval, check
from ..random import as_generator, spawn
from .acquisition import GPSurrogate
from .kernels import make_kernel

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph.temporal import TemporalGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["surrogate_from_result", "posterior_predictive", "node_contributions",
           "NodeContributions", "inclusion_frequency"]


def _trace(result):
    rec = result.record
    if "trace" not in rec:
        from ..exceptions import InvalidParameterError

        raise InvalidParameterError(
            "The 'result' parameter must be a BOPIM SeedResult (with record['trace']). Got "
            f"a result of {result.algorithm!r}.", param="result", value=result.algorithm)
    return rec["trace"]


def surrogate_from_result(TG: TemporalGraph, result: SeedResult, *, mcmc_draws: int | None = None,
                          burn_in: int | None = None, rng: RngLike = None) -> GPSurrogate:
    """Refit BOPIM's final GP from the evaluated sets in ``result.record['trace']``."""
    tr = _trace(result)
    p = result.params
    sets = [np.asarray(t["ids"], dtype=np.int32) for t in tr]
    y = [t["observed"] for t in tr]
    kern = make_kernel(p.get("kernel", "hamming"), TG, len(sets[0]),
                       snapshot=p.get("jaccard_snapshot", 0))
    return GPSurrogate(kern, sets, y, mcmc_draws=mcmc_draws or p.get("mcmc_draws", 5000),
                       burn_in=p.get("burn_in", 1000) if burn_in is None else burn_in,
                       sampler=p.get("sampler", "coherent"),
                       rng=as_generator(rng, func="surrogate_from_result"))


def posterior_predictive(TG: TemporalGraph, model: GPSurrogate, seeds: ArrayLike, *,
                         level: float = 0.95, rng: RngLike = None) -> dict:
    """Posterior predictive of the spread of ``seeds`` (labels, size k).

    ``model`` is a :class:`GPSurrogate` or a BOPIM :class:`~infmax.results.SeedResult` (refitted
    with :func:`surrogate_from_result`). For each Gibbs draw ``(mu_d, sigma2_d)`` the GP gives a
    normal predictive ``N(m_d, sigma2_d (2 - k*'V^-1 k*))``; one value is drawn from each and
    the interval is the central ``level`` quantile range. Returns ``mean``, ``sd``, ``lower``,
    ``upper``, ``plugin_mean``/``plugin_sd`` (posterior-median plug-in, as BOPIM uses) and
    ``level``. The interval covers the Monte Carlo noise of a 1,000-run estimate too, since that
    noise is part of the model's ``sigma^2``.
    """
    level = check("posterior_predictive", "level", level, Interval(float, 0, 1, closed="neither"))
    gen = as_generator(rng, func="posterior_predictive")
    sur = model if isinstance(model, GPSurrogate) else surrogate_from_result(TG, model, rng=gen)
    ids = np.unique(TG.node_ids(seeds, param="seeds", func="posterior_predictive"))
    if ids.shape[0] != sur.k:
        from ..exceptions import InvalidParameterError

        raise InvalidParameterError(
            f"The 'seeds' parameter of posterior_predictive must name {sur.k} distinct nodes "
            f"(the model's k). Got {ids.shape[0]}.", param="seeds", value=list(seeds))
    ks = sur.kernel.cross(sur.R, ids)
    q = float(ks @ sur.Vinv @ ks)
    yc = sur.y - sur.ybar
    kv = ks @ sur.Vinv
    mu = sur.mu_draws
    means = sur.ybar + mu + kv @ yc - mu * kv.sum()
    sds = np.sqrt(sur.sigma2_draws * max(2.0 - q, 1e-12))
    draws = means + sds * gen.standard_normal(means.shape[0])
    a = (1.0 - level) / 2.0
    pm, psd = sur.predict(ids)
    return {"mean": float(draws.mean()), "sd": float(draws.std(ddof=1)) if draws.shape[0] > 1
            else float(sds[0]), "lower": float(np.quantile(draws, a)),
            "upper": float(np.quantile(draws, 1 - a)), "plugin_mean": pm, "plugin_sd": psd,
            "level": level}


@dataclass(frozen=True)
class NodeContributions:
    """Posterior draws of every node's coefficient in the horseshoe linear-mean model.

    ``draws`` is ``n_draws x n`` (column j = node ``labels[j]``); ``median``, ``lower`` and
    ``upper`` (2.5 / 97.5 % quantiles) are per node. ``top(m)`` lists the ``m`` nodes with the
    largest posterior medians. A large positive ``alpha_j`` means that swapping node ``j`` into
    a seed set raises the expected spread (paper Sec. 4.1.2).
    """

    labels: list
    draws: np.ndarray
    sigma2: np.ndarray
    tau2: np.ndarray

    @property
    def median(self) -> np.ndarray:
        """Posterior median of each node's coefficient."""
        return np.median(self.draws, axis=0)

    @property
    def lower(self) -> np.ndarray:
        """2.5 % posterior quantile of each node's coefficient."""
        return np.quantile(self.draws, 0.025, axis=0)

    @property
    def upper(self) -> np.ndarray:
        """97.5 % posterior quantile of each node's coefficient."""
        return np.quantile(self.draws, 0.975, axis=0)

    def top(self, m: int = 10) -> list:
        """List the labels of the ``m`` nodes with the largest posterior medians."""
        order = np.argsort(-self.median, kind="stable")[:m]
        return [self.labels[i] for i in order]

    def summary(self, m: int = 10) -> list[dict]:
        """Tabulate node, median, lower and upper of the ``m`` nodes of largest median."""
        med, lo, hi = self.median, self.lower, self.upper
        order = np.argsort(-med, kind="stable")[:m]
        return [{"node": self.labels[i], "median": float(med[i]), "lower": float(lo[i]),
                 "upper": float(hi[i])} for i in order]


def node_contributions(TG: TemporalGraph, result: SeedResult, *, mcmc_draws: int = 5000,
                       burn_in: int = 1000, rng: RngLike = None) -> NodeContributions:
    """Horseshoe node contributions from the sets BOPIM evaluated (paper Sec. 4.1, Fig. 6a).

    ``y`` (observed spreads) is centred; ``X`` is the ``N x n`` seed indicator matrix; the GP
    correlation ``K + I`` uses the run's kernel (``+0.01`` diagonal). Cost ``O(draws * N^2 n)``.
    """
    from .gibbs import gibbs_horseshoe

    gen = as_generator(rng, func="node_contributions")
    mcmc_draws = check("node_contributions", "mcmc_draws", mcmc_draws, Interval(int, 1, None))
    burn_in = check("node_contributions", "burn_in", burn_in, Interval(int, 0, None))
    tr = _trace(result)
    sets = [np.asarray(t["ids"], dtype=np.int32) for t in tr]
    y = np.array([t["observed"] for t in tr])
    kern = make_kernel(result.params.get("kernel", "hamming"), TG, len(sets[0]),
                       snapshot=result.params.get("jaccard_snapshot", 0))
    R = kern.represent(sets)
    N = len(sets)
    V = kern.gram(R) + 0.01 * np.eye(N) + np.eye(N)
    X = np.zeros((N, TG.n))
    for i, s in enumerate(sets):
        X[i, s] = 1.0
    out = gibbs_horseshoe(y - y.mean(), X, np.linalg.cholesky(V), draws=mcmc_draws,
                          burn_in=burn_in, rng=gen)
    return NodeContributions(labels=TG.node_labels(np.arange(TG.n)), draws=out["alpha"],
                             sigma2=out["sigma2"], tau2=out["tau2"])


def inclusion_frequency(TG: TemporalGraph, k: int, *, beta: float, n_runs: int = 50,
                        rng: RngLike = None, progress: bool | None = None,
                        **bopim_options: Any) -> dict:
    """Run BOPIM ``n_runs`` times with independent streams; share of runs choosing each node.

    Returns ``{"labels", "frequency" (array over all nodes), "results" (the SeedResults),
    "top" (labels sorted by frequency, nonzero only)}`` (paper Sec. 4.2, Fig. 6b).
    """
    from .._progress import Progress
    from .bopim import bopim

    n_runs = check("inclusion_frequency", "n_runs", n_runs, Interval(int, 1, None))
    counts = np.zeros(TG.n)
    results = []
    bar = Progress(n_runs, "inclusion runs", progress)
    for g in spawn(rng, n_runs, func="inclusion_frequency"):
        r = bopim(TG, k, beta=beta, rng=g, **bopim_options)
        counts[r.seed_ids] += 1
        results.append(r)
        bar.update(1)
    bar.close()
    freq = counts / n_runs
    order = [i for i in np.argsort(-freq, kind="stable") if freq[i] > 0]
    labels = TG.node_labels(np.arange(TG.n))
    return {"labels": labels, "frequency": freq, "results": results,
            "top": [labels[i] for i in order]}
