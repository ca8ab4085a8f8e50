"""OPIM-C: online processing for influence maximisation (Tang, Tang, Xiao, Yuan, SIGMOD 2018)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .._kernels._threads import holds_threads
from ._ris import E1, RISSetup, martingale_factor, ris_setup

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import TriggeringModel
    from ..distributed import Executor
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["opim_c"]


@holds_threads
def opim_c(G: DiGraph, k: int, *, model: str | TriggeringModel = "ic", epsilon: float = 0.1,
           ell: float = 1.0, node_weights: ArrayLike | None = None,
           candidates: ArrayLike | None = None, reuse_rr_sets: bool = False, rng: RngLike = None,
           n_threads: int | None = None, max_memory: int | None = None,
           progress: bool | None = None,
        executor: Executor | str | None = None, client: object = None) -> SeedResult:
    """Select ``k`` seeds with OPIM-C and certify an instance-specific approximation ratio.

    OPIM-C keeps two independent RR collections: ``R1`` selects the seeds greedily and bounds
    the optimum from above, ``R2`` (never used for selection) bounds the spread of the chosen
    seeds from below. Both double until the ratio ``alpha = lower(S) / upper(OPT)`` reaches
    ``1 - 1/e - epsilon`` or ``theta_max`` sets are reached.

    Parameters
    ----------
    G, k, model, epsilon, ell, node_weights, candidates, rng, n_threads, max_memory, progress
        As in :func:`~infmax.algorithms.imm.imm`; the failure probability is
        ``delta = n^-ell``.
    executor, client : optional
        As in :func:`~infmax.algorithms.imm.imm`: both collections sharded over Dask workers,
        the same result as in this process.
    reuse_rr_sets : bool
        Accepted for a uniform signature; OPIM-C never reuses its selection sets to estimate
        (that is what ``R2`` is for), so it has no effect.

    Returns
    -------
    SeedResult
        ``spread`` is the unbiased estimate of the seeds' spread from ``R2``.
        ``record["approximation"]`` is the certified ratio ``alpha`` (holds w.p. ``1 - delta``);
        also ``theta`` (size of each collection), ``rr_sets``, ``lower``, ``upper``,
        ``iterations``, ``peak_rr_bytes``.

    Notes
    -----
    Algorithm (paper, Alg. 2 "OPIM-C" with the improved upper bound of Sec. 4.2)::

        theta_max = 2 L ((1-1/e) sqrt(ln 6/delta) + sqrt((1-1/e)(ln C(n,k) + ln 6/delta)))^2
                    / (eps^2 LB0)
        theta_0 = theta_max eps^2 LB0 / L;  i_max = ceil(log2(theta_max / theta_0))
        a1 = ln(3 i_max / delta);  a2 = ln(3 i_max / delta)
        lower = ((sqrt(Cov2(S) + 2 a2 / 9) - sqrt(a2 / 2))^2 - a2 / 18) L / theta
        upper = (sqrt(Cov1u + a1 / 2) + sqrt(a1 / 2))^2 L / theta

    where ``Cov1u = min_i (Cov1(S_i) + sum of the k largest marginal coverages)`` over the
    greedy prefixes. ``LB0`` is an a-priori lower bound of the optimum over the candidates:
    ``k`` for uniform roots (the paper's ``OPT >= k``), the sum of the ``k`` largest candidate
    weights for weighted roots, or when those are all 0 the best single candidate's one-path
    bound (see :func:`~infmax.algorithms.imm.imm`). Deviations: ``L`` (total root weight)
    replaces ``n`` for weighted roots,
    ``C(n_cand, k)`` replaces ``C(n, k)`` with candidates, and ``delta = n^-ell``.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1, 2], [1, 2, 3, 3], weights=0.5)
    >>> res = im.opim_c(G, 1, epsilon=0.5, rng=0)
    >>> res.seeds, res.record["approximation"] > 0
    ((0,), True)
    """
    with ris_setup("opim_c", G, k, name="opim-c", model=model, epsilon=epsilon, ell=ell,
                   node_weights=node_weights, candidates=candidates, rng=rng,
                   n_threads=n_threads, max_memory=max_memory, progress=progress,
                   executor=executor, client=client) as st:
        return _opim_c(G, st)


def _opim_c(G: DiGraph, st: RISSetup) -> SeedResult:
    """OPIM-C's rounds on a validated setup (see :func:`opim_c`)."""
    sw, bar = st.stopwatch, st.progress
    n, L, eps = G.n, st.L, st.epsilon
    delta = float(n) ** (-st.ell) if n > 1 else 0.5
    l6 = math.log(6.0 / delta)
    # the paper divides by OPT >= k (uniform roots); lb0 is the general a-priori lower bound
    theta_max = 2.0 * L * martingale_factor(st.lnc, l6) ** 2 / (eps ** 2 * st.lb0)
    theta0 = theta_max * eps ** 2 * st.lb0 / L
    i_max = max(int(math.ceil(math.log2(max(theta_max / theta0, 1.0)))), 1)
    a1 = math.log(3.0 * i_max / delta)
    a2 = a1
    R1 = st.rr_sets()
    R2 = st.rr_sets()
    theta = int(math.ceil(theta0))
    peak = 0
    history = []
    for i in range(1, i_max + 1):
        with sw("sample"):
            bar.phase(f"opim-c: round {i}, sampling", 2 * theta - R1.n_sets - R2.n_sets)
            R1.add(theta - R1.n_sets, extra_bytes=R2.nbytes, progress=bar)
            R2.add(theta - R2.n_sets, extra_bytes=R1.nbytes, progress=bar)
        with sw("select"):
            bar.phase(f"opim-c: round {i}, greedy and bounds")
            cov = st.select(R1, upper=True)
            R2.drop_inverted_index()
            cov2 = R2.coverage(cov.seed_ids)
        peak = max(peak, R1.nbytes + R2.nbytes)
        lower = ((math.sqrt(cov2 + 2.0 * a2 / 9.0) - math.sqrt(a2 / 2.0)) ** 2 - a2 / 18.0) \
            * L / R2.n_sets
        upper = (math.sqrt(cov.upper + a1 / 2.0) + math.sqrt(a1 / 2.0)) ** 2 * L / R1.n_sets
        alpha = lower / upper if upper > 0 else 0.0
        history.append({"theta": int(R1.n_sets), "lower": lower, "upper": upper,
                        "alpha": alpha})
        if alpha >= E1 - eps or i == i_max:
            break
        theta *= 2
    estimate = R2.estimate_from_coverage(cov2)
    spread, se = estimate.mean, estimate.stderr
    record = {
        "theta": int(R1.n_sets), "theta_max": theta_max, "theta0": theta0, "i_max": i_max,
        "iterations": len(history), "approximation": alpha, "lower": lower, "upper": upper,
        "rr_sets": {"R1": int(R1.n_sets), "R2": int(R2.n_sets)},
        "coverage_R1": int(cov.covered), "coverage_R2": int(cov2), "upper_coverage": cov.upper,
        "spread_estimate": spread, "spread_stderr": se, "L": L, "delta": delta,
        "gains": cov.gains.tolist(), "history": history,
        "mean_rr_size": R1.mean_size(), "peak_rr_bytes": int(peak),
        **st.distributed_record(R1),
    }
    return st.result(cov.seed_ids, record=record, estimate=estimate)
