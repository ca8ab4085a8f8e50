"""IMM: influence maximisation via martingales (Tang, Shi, Xiao, SIGMOD 2015)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .._kernels._threads import holds_threads
from ._ris import martingale_factor, ris_setup, sets_needed

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import TriggeringModel
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["imm"]


@holds_threads
def imm(G: DiGraph, k: int, *, model: str | TriggeringModel = "ic", epsilon: float = 0.1,
        ell: float = 1.0, node_weights: ArrayLike | None = None,
        candidates: ArrayLike | None = None, reuse_rr_sets: bool = False, rng: RngLike = None,
        n_threads: int | None = None, max_memory: int | None = None,
        progress: bool | None = None) -> SeedResult:
    """Select ``k`` seeds with IMM; a ``(1 - 1/e - epsilon)`` approximation w.p. ``1 - n^-ell``.

    IMM (Tang, Shi, Xiao, SIGMOD 2015, Algorithms 1-3) first finds a lower bound ``LB`` of the
    optimum spread by a doubling search over ``x = n/2, n/4, ...`` (statistical test on the
    greedy coverage of ``lambda'/x`` RR sets), then samples ``theta = lambda*/LB`` RR sets and
    returns the greedy maximum coverage of them.

    Parameters
    ----------
    G : DiGraph
    k : int
        Number of seeds (at most the number of candidates).
    model : {"ic", "lt"} or TriggeringModel
        Diffusion model of the RR sets. A :class:`~infmax.diffusion.TriggeringModel` built for
        ``G`` (per-node IC, LT or custom trigger-set distributions) works too: RR sets are then
        sampled by drawing each visited node's trigger set (see
        :func:`~infmax.sampling.sample_rr_sets`); ``params["model"]`` records its ``name``.
    epsilon : float in (0, 1)
        Approximation slack.
    ell : float > 0
        Failure probability ``n^-ell``. As in the paper, the bounds use
        ``ell * (1 + ln 2 / ln n)`` so that both phases together fail w.p. at most ``n^-ell``.
    node_weights : array of float, optional
        Root weights ``l(v)``: maximises the weighted spread ``sum_v l(v) P[v active]``
        (targeted IM); ``L = sum(l)`` replaces ``n`` wherever the bounds scale the coverage.
    candidates : labels or bool mask, optional
        Nodes allowed as seeds.
    reuse_rr_sets : bool
        False (default): the final selection runs on ``theta`` freshly sampled sets (the
        correction of Chen, "An issue in the martingale analysis of IMM", 2018). True: the
        original paper and code, which keep the estimation-phase sets and top them up to
        ``theta`` (faster; the guarantee proof has the gap Chen points out).
    rng : None, int, SeedSequence or Generator
    n_threads : int, optional
        numba threads for sampling (results do not depend on it).
    max_memory : int, optional
        Bytes the RR stores may take (default: the memory available at the call minus a
        margin). The need of each batch is checked before it is allocated (again once a pilot
        block has measured the mean set size): :class:`~infmax.exceptions.MemoryLimitError`
        says how much was needed and what to change (a larger ``epsilon``, a smaller ``k``, or
        a larger ``max_memory`` / ``--max-memory``).
    progress : bool, optional
        Phase messages on stderr.

    Returns
    -------
    SeedResult
        ``spread`` is the coverage estimate ``L * F_R(S)`` on the final collection (optimistic:
        the same sets chose ``S``). ``record``: ``theta``, ``rr_sets`` per phase, ``lb``,
        ``lambda_prime``, ``lambda_star``, ``iterations``, ``coverage``, ``mean_rr_size``,
        ``peak_rr_bytes``.

    Notes
    -----
    Cost: ``O((k + ell) (n + m) log n / epsilon^2)`` expected time (Tang et al., Thm. 2).
    Deviations from the paper: ``ln C(n, k)`` counts candidate sets only, ``C(n_cand, k)`` (a
    smaller union bound, still valid); the doubling search starts from ``LB = sum of the k
    largest candidate root weights`` (``= k`` for uniform roots, also a valid lower bound;
    the paper uses 1) and runs ``i = 1 .. ceil(log2(L / LB)) - 1`` (``ln log2(L / LB)`` in
    ``lambda'``). When every candidate weighs 0 the start is the best single candidate's
    one-path bound ``max l(v) P[path u -> v live]`` (never above the optimum; see
    ``_ris.prior_lower_bound``). The estimation phase keeps one
    collection and only adds sets between its doubling steps (as the authors' code does).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1, 2], [1, 2, 3, 3], weights=0.5)
    >>> res = im.imm(G, 1, epsilon=0.5, rng=0)
    >>> res.seeds
    (0,)
    """
    st = ris_setup("imm", G, k, name="imm", model=model, epsilon=epsilon, ell=ell,
                   node_weights=node_weights, candidates=candidates, rng=rng,
                   n_threads=n_threads, max_memory=max_memory, progress=progress)
    sw, bar = st.stopwatch, st.progress
    k, L, eps, ln_n, lnc = st.k, st.L, st.epsilon, st.ln_n, st.lnc
    ell_ = st.ell_effective(2)
    eps_p = math.sqrt(2.0) * eps
    steps = st.log2_range   # x = L/2, L/4, ... down to the a-priori bound lb0
    lam_p = (2.0 + 2.0 / 3.0 * eps_p) * (lnc + ell_ * ln_n + math.log(steps)) * L \
        / eps_p ** 2
    lam_s = 2.0 * L * martingale_factor(lnc, ell_ * ln_n, math.log(2.0)) ** 2 / eps ** 2

    R = st.rr_sets()
    lb = st.lb0
    iters = 0
    peak = 0
    est_sets = 0
    sw.add("estimate_sample", 0.0)
    sw.add("estimate_select", 0.0)
    for i in range(1, max(int(math.ceil(steps)), 1)):
        x = L / 2.0 ** i
        theta_i = sets_needed(lam_p, x)
        iters = i
        with sw("estimate_sample"):
            bar.phase(f"imm: estimating OPT, round {i} (x = {x:,.0f})", theta_i - R.n_sets)
            R.add(theta_i - R.n_sets, progress=bar)
        with sw("estimate_select"):
            bar.phase(f"imm: estimating OPT, round {i}: greedy")
            cov = st.select(R)
        peak = max(peak, R.nbytes)
        est = L * cov.fraction
        if est >= (1.0 + eps_p) * x:
            lb = max(est / (1.0 + eps_p), lb)
            break
    est_sets = R.n_sets
    theta = sets_needed(lam_s, lb)

    with sw("final_sample"):
        if reuse_rr_sets:
            R.drop_inverted_index()
            bar.phase("imm: final sample", max(theta - R.n_sets, 0))
            R.add(max(theta - R.n_sets, 0), progress=bar)
            final = R
            fresh = max(theta - est_sets, 0)
        else:
            del R
            final = st.rr_sets()
            bar.phase("imm: final sample", theta)
            final.add(theta, progress=bar)
            fresh = theta
    with sw("final_select"):
        bar.phase("imm: final selection (greedy max coverage)")
        cov = st.select(final)
    peak = max(peak, final.nbytes)
    estimate = final.estimate_from_coverage(cov.covered)
    f, spread, se = cov.fraction, estimate.mean, estimate.stderr
    record = {
        "theta": int(final.n_sets), "theta_required": theta, "lb": lb,
        "lambda_prime": lam_p, "lambda_star": lam_s, "iterations": iters,
        "rr_sets": {"estimation": int(est_sets), "final": int(fresh)},
        "coverage": int(cov.covered), "coverage_fraction": f, "gains": cov.gains.tolist(),
        "spread_estimate": spread, "spread_stderr": se, "L": L,
        "mean_rr_size": final.mean_size(), "peak_rr_bytes": int(peak),
        "ell_effective": ell_, "reuse_rr_sets": bool(reuse_rr_sets),
    }
    return st.result(cov.seed_ids, record=record, estimate=estimate,
                     reuse_rr_sets=bool(reuse_rr_sets))
