"""TIM+: two-phase influence maximisation (Tang, Xiao, Shi, SIGMOD 2014)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .._kernels._threads import holds_threads
from ..sampling import RRSets
from ._ris import ris_setup, sets_needed

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import TriggeringModel
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["tim_plus"]


def kpt_weights(G: DiGraph, mask: np.ndarray | None) -> np.ndarray:
    """Return the probabilities of the KPT seed draw.

    In-degree over the candidates (paper: over all nodes); uniform over the candidates when
    none of them has an in-arc.
    """
    pick = np.asarray(G.in_degree, dtype=np.float64)
    if mask is not None:
        pick = np.where(mask, pick, 0.0)
    if not pick.sum() > 0:
        pick = np.ones(G.n) if mask is None else mask.astype(np.float64)
    return pick / pick.sum()


def _kappa_mean(R: RRSets, pick: np.ndarray, k: int) -> float:
    """Average ``kappa(R) = 1 - (1 - pick(R))^k`` over the sets ``R``.

    ``kappa(R)`` is the probability that ``k`` independent draws from ``pick`` hit ``R``.
    ``L`` times the mean is the expected spread of such a draw, at most the optimum over the
    nodes ``pick`` can draw.
    """
    if R.n_sets == 0:
        return 0.0
    mass = np.add.reduceat(pick[R.nodes], R.offsets[:-1])
    return float(np.mean(1.0 - np.clip(1.0 - mass, 0.0, 1.0) ** k))


@holds_threads
def tim_plus(G: DiGraph, k: int, *, model: str | TriggeringModel = "ic", epsilon: float = 0.1,
             ell: float = 1.0, node_weights: ArrayLike | None = None,
             candidates: ArrayLike | None = None, reuse_rr_sets: bool = False, rng: RngLike = None,
             n_threads: int | None = None, max_memory: int | None = None,
             progress: bool | None = None) -> SeedResult:
    """Select ``k`` seeds with TIM+; a ``(1 - 1/e - epsilon)`` approximation w.p. ``1 - n^-ell``.

    Phase 1 estimates ``KPT`` (the expected spread of a node set drawn by picking ``k`` arcs'
    heads uniformly, a lower bound of OPT) from RR-set widths (Alg. 2), then refines it with
    the greedy seeds of the last batch evaluated on ``theta'`` fresh sets (Alg. 3,
    ``eps' = 5 (ell eps^2 / (k + ell))^(1/3)``). With ``candidates`` the ``k`` heads are drawn
    among the candidates only, so ``KPT`` stays below the best spread the candidates can reach.
    Phase 2 samples
    ``theta = (8 + eps) n (ell ln n + ln C(n, k) + ln 2) / (eps^2 KPT+)`` sets and returns their
    greedy maximum coverage.

    Parameters
    ----------
    G, k, model, epsilon, ell, node_weights, candidates, rng, n_threads, max_memory, progress
        As in :func:`~infmax.algorithms.imm.imm`. TIM+ has three failure events (KPT*
        estimation, refinement, node selection), so ``ell`` is raised to
        ``ell (1 + ln 3 / ln n)``: each fails w.p. ``n^-ell / 3``, all together w.p. at most
        ``n^-ell``.
    reuse_rr_sets : bool
        Accepted for a uniform signature; TIM+ always selects on fresh sets (as in the paper).

    Returns
    -------
    SeedResult
        ``record``: ``theta``, ``kpt_star``, ``kpt_prime``, ``kpt_plus``, ``eps_prime``,
        ``rr_sets`` per phase, ``peak_rr_bytes``.

    Notes
    -----
    Deviations: with weighted roots ``L`` replaces ``n`` in ``KPT`` and ``theta`` (KPT becomes
    the expected weighted spread); ``C(n_cand, k)`` with candidates, whose in-degrees alone
    weight the KPT draw. The KPT search runs ``i = 1 .. ceil(log2(L / LB0)) - 1`` and its
    default (no step passing) is ``KPT* = LB0``, an a-priori lower bound of the optimum
    (``k`` for uniform roots; see :func:`~infmax.algorithms.imm.imm`), where the paper has 1.
    The KPT batches are sampled afresh per iteration as in the paper.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1, 2], [1, 2, 3, 3], weights=0.5)
    >>> im.tim_plus(G, 1, epsilon=0.5, rng=0).seeds
    (0,)
    """
    st = ris_setup("tim_plus", G, k, name="tim+", model=model, epsilon=epsilon, ell=ell,
                   node_weights=node_weights, candidates=candidates, rng=rng,
                   n_threads=n_threads, max_memory=max_memory, progress=progress)
    sw, bar = st.stopwatch, st.progress
    k, L, eps, ln_n, lnc = st.k, st.L, st.epsilon, st.ln_n, st.lnc
    ell_ = st.ell_effective(3)
    pick = kpt_weights(G, st.mask)
    peak = 0
    # -- KPT estimation (Alg. 2)
    kpt_star = st.lb0
    steps = st.log2_range
    Rlast = None
    kpt_sets = 0
    iters = 0
    with sw("kpt_estimation"):
        for i in range(1, max(int(math.ceil(steps)), 2)):
            c_i = int(math.ceil((6 * ell_ * ln_n + 6 * math.log(steps)) * 2 ** i))
            bar.phase(f"tim+: estimating KPT, round {i}", c_i)
            Rlast = st.rr_sets().add(c_i, progress=bar)
            kpt_sets += c_i
            iters = i
            peak = max(peak, Rlast.nbytes)
            s = _kappa_mean(Rlast, pick, k)
            if s > 1.0 / 2 ** i:
                kpt_star = max(L * s / 2.0, st.lb0)
                break
    # -- refinement (Alg. 3)
    with sw("kpt_refinement"):
        eps_p = 5.0 * (ell_ * eps ** 2 / (k + ell_)) ** (1.0 / 3.0)
        lam_p = (2.0 + eps_p) * ell_ * L * ln_n / eps_p ** 2
        theta_p = sets_needed(lam_p, kpt_star)
        s_prime = st.select(Rlast).seed_ids
        del Rlast
        bar.phase("tim+: refining KPT", theta_p)
        R2 = st.rr_sets().add(theta_p, progress=bar)
        peak = max(peak, R2.nbytes)
        f = R2.coverage(s_prime) / R2.n_sets
        del R2
        kpt_prime = f * L / (1.0 + eps_p)
        kpt_plus = max(kpt_prime, kpt_star)
    # -- node selection
    lam = (8.0 + eps) * L * (ell_ * ln_n + lnc + math.log(2.0)) / eps ** 2
    theta = sets_needed(lam, kpt_plus)
    with sw("final_sample"):
        bar.phase("tim+: final sample", theta)
        R = st.rr_sets().add(theta, progress=bar)
    with sw("final_select"):
        bar.phase("tim+: final selection (greedy max coverage)")
        cov = st.select(R)
    peak = max(peak, R.nbytes)
    estimate = R.estimate_from_coverage(cov.covered)
    spread, se = estimate.mean, estimate.stderr
    record = {
        "theta": int(R.n_sets), "kpt_star": kpt_star, "kpt_prime": kpt_prime,
        "kpt_plus": kpt_plus, "eps_prime": eps_p, "lambda": lam, "iterations": iters,
        "rr_sets": {"kpt_estimation": int(kpt_sets), "refinement": int(theta_p),
                    "final": int(theta)},
        "coverage": int(cov.covered), "spread_estimate": spread, "spread_stderr": se, "L": L,
        "gains": cov.gains.tolist(), "mean_rr_size": R.mean_size(), "peak_rr_bytes": int(peak),
        "ell_effective": ell_,
    }
    return st.result(cov.seed_ids, record=record, estimate=estimate)
