"""What the reverse-influence-sampling selectors share: setup, bounds, formulas, the result.

IMM (:mod:`.imm`), TIM+ (:mod:`.tim`) and OPIM-C (:mod:`.opim`) differ only in how they decide
how many RR sets to draw. Everything around that decision lives here, once:

- :func:`ris_setup` starts the run's stopwatch, validates the common parameters at the public
  boundary (graph first, then ``model``, ``epsilon``, ``ell``, ``node_weights``,
  ``candidates``, ``k``, ``n_threads``, ``max_memory``, ``rng``) and returns a
  :class:`RISSetup`: the candidates as a mask and as the uint8 array the greedy kernel reads,
  the total root weight ``L``, ``ln n``, ``ln C(n_cand, k)``, the a-priori lower bound
  ``lb0``, the resolved memory limit, the run's one generator and its progress messages;
- :func:`prior_lower_bound` is that ``lb0``: a positive lower bound of the best spread of ``k``
  candidates known before sampling (every starting bound must stay below the optimum, or too
  few sets are drawn);
- the formulas the algorithms repeat: :func:`log_comb`, :meth:`RISSetup.ell_effective` (``ell``
  raised so that several failure events together fail w.p. ``n^-ell``),
  :func:`martingale_factor` (the ``(1 - 1/e) alpha + beta`` of IMM's ``lambda*`` and OPIM-C's
  ``theta_max``), :func:`sets_needed` (``ceil(lambda / bound)``) and
  :attr:`RISSetup.log2_range` (the doubling steps from ``L`` down to ``lb0``);
- :meth:`RISSetup.rr_sets` (an empty store whose memory errors name the selector and advise),
  :meth:`RISSetup.select` (greedy maximum coverage over the candidates) and
  :meth:`RISSetup.result` (the ``SeedResult`` with the common ``params`` and the coverage
  estimate).

A fourth user, ADITUM (targeted, diversity-aware influence maximisation; ``targeted`` package),
reuses all of it except :meth:`RISSetup.select`: its weighted roots are ``node_weights`` (the
Vose alias table of :class:`~infmax.sampling.RRSets`, ``L = sum of the weights``, ``lb0`` from
:func:`prior_lower_bound`, which handles targets no candidate reaches), its sample sizes come
from :func:`log_comb`, :meth:`RISSetup.ell_effective`, :func:`martingale_factor` and
:func:`sets_needed` over :meth:`RISSetup.rr_sets` stores, and its result from
:meth:`RISSetup.result` with the spread from
:meth:`~infmax.sampling.RRSets.estimate_from_coverage`; only the node selection differs (a
diversity-aware greedy over the same RR sets in place of plain maximum coverage).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _memory
from .._kernels import reverse as _rev
from .._progress import Progress
from .._validation import Interval, check, check_graph, fail
from ..diffusion.models import KIND_CUSTOM, TriggeringModel, model_name
from ..random import as_generator
from ..results import SeedResult, SpreadEstimate, Stopwatch, make_result
from ..sampling import (
    RRSets,
    SamplingSpec,
    ShardedRRSets,
    check_node_weights,
    check_rr_model,
)
from ._common import candidates_param, check_budget, resolve_candidates
from .coverage import Coverage, greedy_coverage

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph
    from ..random import RngLike

__all__ = ["RISSetup", "ris_setup", "resolve_pool", "prior_lower_bound", "arc_live_prob",
           "log_comb", "martingale_factor", "sets_needed", "E1", "RIS_MEMORY_HINT", "kpt_weights",
           "kappa_mean", "SampleSize", "tim_plus_sample", "imm_sample", "IMM_FINAL_MODES",
           "imm_final_mode", "imm_lambda_prime", "imm_lambda_star", "reuse_union_events"]

#: ``1 - 1/e``: the greedy approximation ratio of maximum coverage
E1 = 1.0 - 1.0 / math.e

#: advice of the MemoryLimitError the RIS selectors raise
RIS_MEMORY_HINT = ("use a larger epsilon (fewer sets: theta grows as 1/epsilon^2) or a smaller k, "
                   "or raise max_memory (CLI: --max-memory)")


def log_comb(n: int, k: int) -> float:
    """``ln C(n, k)`` via lgamma."""
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def martingale_factor(lnc: float, *log_fail: float) -> float:
    """``(1 - 1/e) sqrt(a) + sqrt((1 - 1/e) (lnc + a))`` with ``a = sum(log_fail)``.

    Squared, times ``2 L / epsilon^2``, it is IMM's ``lambda*`` (Tang, Shi, Xiao 2015, Eq. 6:
    ``a = ell ln n + ln 2``); divided further by ``LB0``, OPIM-C's ``theta_max`` (Tang, Tang,
    Xiao, Yuan 2018: ``a = ln(6 / delta)``). The terms of ``a`` are added one by one after
    ``lnc``, left to right, as the papers write them (and as the selectors always did, so the
    rounding is the same).
    """
    a = 0.0
    s = lnc
    for t in log_fail:
        a += t
        s += t
    return E1 * math.sqrt(a) + math.sqrt(E1 * s)


def sets_needed(lam: float, bound: float) -> int:
    """``ceil(lam / bound)``: the RR sets a ``lambda``-type constant asks for at a lower bound."""
    return int(math.ceil(lam / bound))


@dataclass
class RISSetup:
    """Validated parameters of a RIS selector, and the pieces of a run that depend on them.

    ``lb0`` is an a-priori lower bound of the optimum over the candidates (``k`` for uniform
    roots; see :func:`prior_lower_bound`); ``limit`` the resolved memory limit in bytes
    (``max_memory`` keeps the caller's value for the result's params); ``gen`` the run's one
    generator (every RR store of the run draws from it, in order); ``candidates`` the
    JSON-friendly description of the ``candidates`` argument; ``name`` the algorithm's name
    in results and progress messages; ``stopwatch`` times the run from before validation.
    """

    name: str
    G: object
    k: int
    model: str | TriggeringModel
    epsilon: float
    ell: float
    weights: np.ndarray | None
    mask: np.ndarray | None
    cand_u8: np.ndarray
    n_cand: int
    L: float
    lb0: float
    ln_n: float
    lnc: float
    n_threads: int | None
    max_memory: int | None
    limit: int
    func: str
    gen: np.random.Generator
    candidates: object
    stopwatch: Stopwatch
    progress: Progress
    #: where the RR sets live: None (this process, :class:`RRSets`) or a
    #: :class:`~infmax.distributed.ShardPool` (:class:`ShardedRRSets` on its workers)
    pool: Any = None
    #: an executor this run created from a name (closed at the end of the run)
    owned: Any = None
    _spec: Any = None

    def __enter__(self) -> RISSetup:
        return self

    def __exit__(self, *exc: object) -> bool:
        self.close()
        return False

    def close(self) -> None:
        """Release the shard pool and close the executor the run created, if any."""
        if self.pool is not None:
            self.pool.close()
        if self.owned is not None:
            self.owned.close()
            self.owned = None

    @property
    def model_name(self) -> str:
        """``"ic"``, ``"lt"`` or the TriggeringModel's name (what results record)."""
        return model_name(self.model)

    @property
    def log2_range(self) -> float:
        """``log2(L / lb0)``: doubling steps from ``L`` down to the a-priori bound (>= 1)."""
        return max(math.log2(self.L / self.lb0), 1.0)

    def ell_effective(self, events: int) -> float:
        """Return ``ell (1 + ln(events) / ln n)``, the ``ell`` that covers ``events`` events.

        Each of ``events`` failure events then fails w.p. ``n^-ell / events``, all together
        w.p. at most ``n^-ell`` (IMM: 2, TIM+: 3).
        """
        return self.ell * (1.0 + math.log(float(events)) / self.ln_n)

    def rr_sets(self) -> RRSets | ShardedRRSets:
        """Return an empty RR store of this run (its memory errors name the selector, advise).

        With a shard pool the store is a :class:`~infmax.sampling.ShardedRRSets` on its workers
        (the graph scattered once per run); ``max_memory`` then limits each worker.
        """
        if self.pool is None:
            return RRSets(self.G, self.model, self.weights, self.gen, n_threads=self.n_threads,
                          max_memory=self.limit, func=self.func, hint=RIS_MEMORY_HINT)
        if self._spec is None:
            self._spec = self.pool.scatter(SamplingSpec(self.G, self.model, self.weights))
        return ShardedRRSets(self._spec, self.pool, self.gen, n=self.G.n, L=self.L,
                             model_name=self.model_name, n_threads=self.n_threads,
                             max_memory=self.max_memory, func=self.func, hint=RIS_MEMORY_HINT)

    def select(self, R: RRSets | ShardedRRSets, *, upper: bool = False) -> Coverage:
        """Cover ``R`` greedily by ``k`` candidates (with the OPIM-C upper bound when ``upper``)."""
        if isinstance(R, ShardedRRSets):
            seeds, gains, covered, ub = R.greedy_cover(self.k, self.cand_u8, upper)
            return Coverage(seeds, gains, covered, R.n_sets, ub if upper else None)
        return greedy_coverage(R, self.k, self.cand_u8, upper)

    def distributed_record(self, R: RRSets | ShardedRRSets) -> dict[str, Any]:
        """Return what a sharded run moved and held (empty for a local run).

        Workers, shards, bytes per worker of the final store, bytes brought home per greedy
        round (sparse) against a dense n-vector per shard and round, total traffic, peak
        resident bytes per worker.
        """
        if not isinstance(R, ShardedRRSets):
            return {}
        pool = self.pool
        return {"distributed": {
            "n_workers": int(pool.n_workers), "n_shards": int(R.n_shards),
            "store_bytes_per_worker": R.worker_bytes(),
            "round_bytes": list(R.round_bytes),
            "dense_round_bytes": int(8 * R.n * R.n_shards),
            "traffic": dict(pool.traffic),
            "peak_rss_per_worker": pool.peak_memory()}}

    def select_final(self, sample: SampleSize, **extra: Any) -> SeedResult:
        """Run the final greedy maximum coverage on ``sample.R`` and return the SeedResult.

        The record is the estimation phase's (``sample.record``) plus the coverage figures
        and ``extra`` (also passed on as params); IMM and TIM+ end this way.
        """
        R = sample.R
        with self.stopwatch("final_select"):
            self.progress.phase(f"{self.name}: final selection (greedy max coverage)")
            cov = self.select(R)
        estimate = R.estimate_from_coverage(cov.covered)
        record = {**sample.record, "coverage": int(cov.covered),
                  "coverage_fraction": cov.fraction, "gains": cov.gains.tolist(),
                  "spread_estimate": estimate.mean, "spread_stderr": estimate.stderr,
                  "L": self.L, "mean_rr_size": R.mean_size(),
                  "peak_rr_bytes": int(max(sample.peak, R.nbytes)), **extra,
                  **self.distributed_record(R)}
        return self.result(cov.seed_ids, record=record, estimate=estimate, **extra)

    def result(self, seed_ids: np.ndarray, *, record: dict, estimate: SpreadEstimate,
               **params: Any) -> SeedResult:
        """Return the run's SeedResult and close the progress messages.

        The params are the common ones (``params`` added after ``candidates``); the spread and
        its standard error come from ``estimate``.
        """
        self.progress.close()
        p = {"k": self.k, "model": self.model_name, "epsilon": self.epsilon, "ell": self.ell,
             "node_weights": None if self.weights is None else "array",
             "candidates": self.candidates, **params,
             "n_threads": self.n_threads, "max_memory": self.max_memory}
        return make_result(self.G, self.name, seed_ids, params=p, stopwatch=self.stopwatch,
                           record=record, spread=estimate.mean, spread_stderr=estimate.stderr)


def arc_live_prob(G: DiGraph, model: str | TriggeringModel) -> np.ndarray:
    """Return, per in-CSR arc ``(u, v)``, the probability that ``u`` is in ``v``'s trigger set.

    IC: the arc's probability; LT: its weight; a :class:`TriggeringModel`: ``in_probs`` for IC-
    and LT-kind nodes, and for custom nodes the total probability of the options holding the arc.
    """
    if not isinstance(model, TriggeringModel):
        return np.clip(np.asarray(G.rprobs, dtype=np.float64), 0.0, 1.0)
    prob = np.array(model.in_probs, dtype=np.float64)
    custom = np.flatnonzero(model.kind == KIND_CUSTOM)
    if custom.size:
        rptr = np.asarray(G.rindptr, dtype=np.int64)
        heads = np.repeat(np.arange(G.n), np.diff(rptr))
        prob[np.isin(heads, custom)] = 0.0
        opt_of_member = np.repeat(np.arange(model.opt_prob.shape[0]), np.diff(model.mem_ptr))
        np.add.at(prob, model.mem, model.opt_prob[opt_of_member])
    return np.clip(prob, 0.0, 1.0)


def prior_lower_bound(func: str, G: DiGraph, model: str | TriggeringModel, k: int,
                      weights: np.ndarray | None, mask: np.ndarray | None, *,
                      weights_param: str = "node_weights") -> float:
    """Return a positive a-priori lower bound of the best weighted spread of ``k`` candidates.

    Uniform roots: ``k`` (every seed activates itself). Weighted roots: the sum of the ``k``
    largest candidate weights; when that is 0 (no candidate is weighted), the best single
    candidate's one-path bound ``max_u max_v l(v) * P[a given u -> v path is live]``
    (:func:`~infmax._kernels.reverse.best_path_value`). Every bound the selectors start from
    (IMM's ``LB``, TIM+'s default ``KPT*``, OPIM-C's ``theta_max``) must not exceed the optimum,
    or too few sets are drawn. When no candidate reaches a weighted node, every seed set has
    weighted spread 0: :class:`~infmax.exceptions.InvalidParameterError` naming
    ``weights_param`` (the caller's name of the weights: ``node_weights``; ADITUM's ``scores``).
    """
    if weights is None:
        return float(k)
    cw = weights if mask is None else weights[mask]
    top = float(np.sort(cw)[::-1][:k].sum())
    if top > 0:
        return top
    val = _rev.best_path_value(G.n, np.asarray(G.rindptr, dtype=np.int64),
                               np.asarray(G.rindices, dtype=np.int32), arc_live_prob(G, model),
                               weights)
    best = float(val.max() if mask is None else val[mask].max())
    if not best > 0:
        fail(func, weights_param,
             "positive on some node a candidate can reach (every seed set has weighted spread "
             "0 otherwise)", "weights that no candidate reaches")
    return best


def ris_setup(func: str, G: DiGraph, k: object, *, name: str, model: str | TriggeringModel,
              epsilon: float, ell: float, node_weights: ArrayLike | None,
              candidates: ArrayLike | None, rng: RngLike, n_threads: int | None,
              max_memory: int | None, progress: bool | None,
              weights_param: str = "node_weights", executor: object = None,
              client: object = None) -> RISSetup:
    """Validate the common RIS parameters once (public boundary): the graph first.

    ``func`` names the selector in error messages, ``name`` in results and progress messages;
    ``progress`` is the selector's argument (phase messages on stderr); ``weights_param`` is
    the caller's name of the root weights in error messages (ADITUM derives ``node_weights``
    from its ``scores``). ``executor`` / ``client``: see :func:`resolve_pool`.
    """
    import numba

    sw = Stopwatch()
    check_graph(func, G)
    model = check_rr_model(func, model, G)
    epsilon = check(func, "epsilon", epsilon, Interval(float, 0, 1, closed="neither"))
    ell = check(func, "ell", ell, Interval(float, 0, None, closed="neither"))
    w = check_node_weights(func, node_weights, G.n)
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    if n_threads is not None:
        n_threads = check(func, "n_threads", n_threads,
                          Interval(int, 1, numba.config.NUMBA_NUM_THREADS))
    limit = _memory.resolve_limit(func, max_memory)
    if max_memory is not None:
        max_memory = limit
    cand_u8 = np.ones(G.n, dtype=np.uint8) if mask is None else mask.astype(np.uint8)
    n_cand = G.n if mask is None else int(mask.sum())
    L = float(G.n) if w is None else float(w.sum())
    lb0 = prior_lower_bound(func, G, model, k, w, mask, weights_param=weights_param)
    ln_n = math.log(G.n) if G.n > 1 else 1.0
    gen = as_generator(rng, func=func)
    pool, owned = resolve_pool(func, executor, client)
    return RISSetup(name, G, k, model, epsilon, ell, w, mask, cand_u8, n_cand, L, lb0, ln_n,
                    log_comb(n_cand, k), n_threads, max_memory, limit, func, gen,
                    candidates_param(candidates), sw, Progress(None, name, enabled=progress),
                    pool, owned)


def resolve_pool(func: str, executor: object, client: object) -> tuple[Any, Any]:
    """Return ``(shard pool or None, executor to close or None)`` of a RIS selector's run.

    ``executor``: None, ``"local"`` or a :class:`~infmax.distributed.LocalExecutor` keep the
    RR sets in this process (the default path); a
    :class:`~infmax.distributed.DaskExecutor`, ``"dask"`` (a local cluster, closed at the end
    of the run) or a :class:`~infmax.distributed.ShardPool` shard them over the workers.
    ``client`` (a ``dask.distributed.Client`` or a scheduler address) is short for
    ``executor=DaskExecutor(client)``; giving both is an error.
    """
    from ..distributed import DaskExecutor, LocalExecutor, ShardPool, get_executor, shard_pool
    if client is not None:
        if executor is not None:
            fail(func, "client", "None when executor is given", "a client")
        ex = DaskExecutor(client)
        return shard_pool(ex, func=func), (ex if isinstance(client, str) else None)
    if executor is None or isinstance(executor, LocalExecutor):
        return None, None
    if isinstance(executor, ShardPool):
        return executor, None
    owned = None
    if isinstance(executor, str):
        ex = get_executor(executor, func=func)
        if isinstance(ex, LocalExecutor):
            return None, None
        owned = ex
        executor = ex
    try:
        return shard_pool(executor, func=func), owned
    except BaseException:
        if owned is not None:
            owned.close()
        raise


def kpt_weights(G: DiGraph, mask: np.ndarray | None) -> np.ndarray:
    """Return the probabilities of TIM+'s KPT seed draw.

    In-degree over the candidates (paper: over all nodes); uniform over the candidates when
    none of them has an in-arc.
    """
    pick = np.asarray(G.in_degree, dtype=np.float64)
    if mask is not None:
        pick = np.where(mask, pick, 0.0)
    if not pick.sum() > 0:
        pick = np.ones(G.n) if mask is None else mask.astype(np.float64)
    return pick / pick.sum()


def kappa_mean(R: RRSets | ShardedRRSets, pick: np.ndarray, k: int) -> float:
    """Average ``kappa(R) = 1 - (1 - pick(R))^k`` over the sets ``R`` (TIM+'s KPT statistic).

    ``kappa(R)`` is the probability that ``k`` independent draws from ``pick`` hit ``R``;
    ``L`` times the mean is the expected spread of such a draw, at most the optimum over the
    nodes ``pick`` can draw.
    """
    if R.n_sets == 0:
        return 0.0
    if isinstance(R, ShardedRRSets):
        mass = R.set_sums(pick)   # the same per-set sums, in the same (global) order
    else:
        mass = np.add.reduceat(pick[R.nodes], R.offsets[:-1])
    return float(np.mean(1.0 - np.clip(1.0 - mass, 0.0, 1.0) ** k))


@dataclass
class SampleSize:
    """The final RR collection of a parameter-estimation phase and what the phase found.

    ``R`` is the collection the node selection runs on (fresh sets, independent of the
    estimation phase); ``record`` the phase's figures for the result; ``peak`` the largest
    RR store (bytes) the phase held.
    """

    R: RRSets | ShardedRRSets
    record: dict
    peak: int


def tim_plus_sample(st: RISSetup) -> SampleSize:
    """TIM+'s parameter estimation and final sample (KPT estimation, refinement, ``theta``).

    The same steps, random draws and timings (``kpt_estimation``, ``kpt_refinement``,
    ``final_sample``) as :func:`~infmax.algorithms.tim.tim_plus` with ``L`` in place of
    ``n``, so a selector built on it draws the very RR sets TIM+ draws from the same ``rng``
    (ADITUM at ``alpha = 1`` then picks TIM+'s seeds). The refinement evaluates the greedy
    maximum-coverage seeds of the last KPT batch (a bound on the coverage term).
    """
    sw, bar = st.stopwatch, st.progress
    k, L, eps, ln_n, lnc = st.k, st.L, st.epsilon, st.ln_n, st.lnc
    ell_ = st.ell_effective(3)
    pick = kpt_weights(st.G, st.mask)
    peak = 0
    kpt_star = st.lb0
    steps = st.log2_range
    Rlast = None
    kpt_sets = 0
    iters = 0
    with sw("kpt_estimation"):
        for i in range(1, max(int(math.ceil(steps)), 2)):
            c_i = int(math.ceil((6 * ell_ * ln_n + 6 * math.log(steps)) * 2 ** i))
            bar.phase(f"{st.name}: estimating KPT, round {i}", c_i)
            Rlast = st.rr_sets().add(c_i, progress=bar)
            kpt_sets += c_i
            iters = i
            peak = max(peak, Rlast.nbytes)
            s = kappa_mean(Rlast, pick, k)
            if s > 1.0 / 2 ** i:
                kpt_star = max(L * s / 2.0, st.lb0)
                break
    with sw("kpt_refinement"):
        eps_p = 5.0 * (ell_ * eps ** 2 / (k + ell_)) ** (1.0 / 3.0)
        lam_p = (2.0 + eps_p) * ell_ * L * ln_n / eps_p ** 2
        theta_p = sets_needed(lam_p, kpt_star)
        s_prime = st.select(Rlast).seed_ids
        del Rlast
        bar.phase(f"{st.name}: refining KPT", theta_p)
        R2 = st.rr_sets().add(theta_p, progress=bar)
        peak = max(peak, R2.nbytes)
        f = R2.coverage(s_prime) / R2.n_sets
        del R2
        kpt_prime = f * L / (1.0 + eps_p)
        kpt_plus = max(kpt_prime, kpt_star)
    lam = (8.0 + eps) * L * (ell_ * ln_n + lnc + math.log(2.0)) / eps ** 2
    theta = sets_needed(lam, kpt_plus)
    with sw("final_sample"):
        bar.phase(f"{st.name}: final sample", theta)
        R = st.rr_sets().add(theta, progress=bar)
    peak = max(peak, R.nbytes)
    record = {"theta": int(theta), "kpt_star": kpt_star, "kpt_prime": kpt_prime,
              "kpt_plus": kpt_plus, "eps_prime": eps_p, "lambda": lam, "iterations": iters,
              "rr_sets": {"kpt_estimation": int(kpt_sets), "refinement": int(theta_p),
                          "final": int(theta)},
              "ell_effective": ell_}
    return SampleSize(R, record, peak)


#: IMM's final-sample modes: fresh sets (Chen's workaround 1), the estimation sets reused with
#: the union bound over every possible final size (Chen's workaround 2), the published reuse
IMM_FINAL_MODES = ("fresh", "reuse-corrected", "reuse")


def imm_final_mode(func: str, final: str | None, reuse_rr_sets: bool | None) -> str:
    """Validate IMM's ``final`` (and its boolean alias ``reuse_rr_sets``); return the mode.

    ``reuse_rr_sets=True`` is ``final="reuse"`` (the published algorithm), ``False`` is
    ``"fresh"``; given together they must name the same mode. Neither:
    ``"reuse-corrected"`` (the default).
    """
    if reuse_rr_sets is not None and not isinstance(reuse_rr_sets, (bool, np.bool_)):
        fail(func, "reuse_rr_sets", "True, False or None", reuse_rr_sets)
    if final is None:
        if reuse_rr_sets is None:
            return "reuse-corrected"
        return "reuse" if reuse_rr_sets else "fresh"
    if not isinstance(final, str) or final.strip().lower() not in IMM_FINAL_MODES:
        fail(func, "final", "one of " + ", ".join(repr(m) for m in IMM_FINAL_MODES), final)
    final = final.strip().lower()
    if reuse_rr_sets is not None and ("reuse" if reuse_rr_sets else "fresh") != final:
        agree = {"reuse": "None or True", "fresh": "None or False"}.get(final, "None")
        fail(func, "reuse_rr_sets", f"{agree} with final={final!r}", reuse_rr_sets)
    return final


def imm_lambda_prime(st: RISSetup, ell_: float) -> float:
    """IMM's ``lambda'`` (Tang, Shi, Xiao 2015, Eq. 9) with ``L`` for ``n``, ``eps' = sqrt 2 eps``.

    ``(2 + 2/3 eps') (ln C(n_cand, k) + ell_ ln n + ln log2(L / lb0)) L / eps'^2``.
    """
    eps_p = math.sqrt(2.0) * st.epsilon
    return (2.0 + 2.0 / 3.0 * eps_p) * (st.lnc + ell_ * st.ln_n + math.log(st.log2_range)) \
        * st.L / eps_p ** 2


def imm_lambda_star(st: RISSetup, ell_: float, union_log: float = 0.0) -> float:
    """IMM's ``lambda*`` (Eq. 6) with ``L`` for ``n``; ``union_log`` joins its failure terms.

    ``2 L ((1 - 1/e) alpha + beta)^2 / eps^2`` with ``alpha = sqrt(a)``,
    ``beta = sqrt((1 - 1/e) (ln C(n_cand, k) + a))`` and ``a = ell_ ln n + ln 2 + union_log``:
    each of ``exp(union_log)`` final sizes then fails w.p. ``n^-ell_ / exp(union_log)``.
    """
    terms = (ell_ * st.ln_n, math.log(2.0)) + ((union_log,) if union_log else ())
    return 2.0 * st.L * martingale_factor(st.lnc, *terms) ** 2 / st.epsilon ** 2


def reuse_union_events(st: RISSetup, ell_: float, est_max: int) -> int:
    """Return the least ``N`` with ``max(ceil(lambda*(ln N) / lb0), est_max) <= N``.

    Every final collection of ``final="reuse-corrected"`` is the first ``max(theta,
    est_sets)`` sets of one i.i.d. sequence, with ``theta = ceil(lambda* / LB)``, ``LB >= lb0``
    and ``est_sets <= est_max``: its size is one of ``1 .. N``. ``lambda*`` built with
    ``ln N`` among its failure terms (:func:`imm_lambda_star`) bounds the failure of all ``N``
    sizes together by ``n^-ell_`` (a union bound), and ``N`` must hold the sizes that
    ``lambda*`` itself asks for: the least fixed point, reached by iterating from ``N = 1``
    (the map is non-decreasing, so the iteration stops at the least ``N`` that works).
    """
    count = 1
    while True:
        need = max(sets_needed(imm_lambda_star(st, ell_, math.log(count)), st.lb0), est_max)
        if need <= count:
            return count
        count = need


def imm_sample(st: RISSetup, *, final: str = "fresh") -> SampleSize:
    """Run IMM's parameter estimation and draw its final sample.

    The one implementation, used by :func:`~infmax.algorithms.imm.imm` and ADITUM.

    ``final`` (see :data:`IMM_FINAL_MODES` and :func:`~infmax.algorithms.imm.imm`, Notes):
    ``"fresh"`` draws the final collection afresh, independent of the estimation phase
    (W. Chen's first workaround, "An issue in the martingale analysis of the influence
    maximization algorithm IMM", 2018); ``"reuse-corrected"`` tops up the estimation sets
    with ``lambda*`` enlarged by the union bound over every possible final size (Chen's
    second workaround, :func:`reuse_union_events`); ``"reuse"`` tops them up with the
    paper's ``lambda*`` (the published algorithm; the proof has the gap Chen points out).
    Timings: ``estimate_sample``, ``estimate_select``, ``final_sample``.
    """
    sw, bar = st.stopwatch, st.progress
    L, eps = st.L, st.epsilon
    ell_ = st.ell_effective(2)
    eps_p = math.sqrt(2.0) * eps
    steps = st.log2_range
    lam_p = imm_lambda_prime(st, ell_)
    rounds = max(int(math.ceil(steps)), 1)
    union = None
    if final == "reuse-corrected":
        est_max = sets_needed(lam_p, L / 2.0 ** (rounds - 1)) if rounds > 1 else 0
        union = reuse_union_events(st, ell_, est_max)
        lam_s = imm_lambda_star(st, ell_, math.log(union))
    else:
        lam_s = imm_lambda_star(st, ell_)
    R = st.rr_sets()
    lb = st.lb0
    iters = 0
    peak = 0
    sw.add("estimate_sample", 0.0)
    sw.add("estimate_select", 0.0)
    for i in range(1, rounds):
        x = L / 2.0 ** i
        theta_i = sets_needed(lam_p, x)
        iters = i
        with sw("estimate_sample"):
            bar.phase(f"{st.name}: estimating OPT, round {i} (x = {x:,.0f})",
                      theta_i - R.n_sets)
            R.add(theta_i - R.n_sets, progress=bar)
        with sw("estimate_select"):
            bar.phase(f"{st.name}: estimating OPT, round {i}: greedy")
            cov = st.select(R)
        peak = max(peak, R.nbytes)
        est = L * cov.fraction
        if est >= (1.0 + eps_p) * x:
            lb = max(est / (1.0 + eps_p), lb)
            break
    est_sets = R.n_sets
    theta = sets_needed(lam_s, lb)
    with sw("final_sample"):
        if final != "fresh":
            # the store keeps its index (each shard its own): the final selection merges only
            # the top-up sets into it instead of rebuilding it (the same index; its bytes count
            # in max_memory)
            bar.phase(f"{st.name}: final sample", max(theta - R.n_sets, 0))
            R.add(max(theta - R.n_sets, 0), progress=bar)
            final_R, fresh = R, max(theta - est_sets, 0)
        else:
            del R
            final_R = st.rr_sets()
            bar.phase(f"{st.name}: final sample", theta)
            final_R.add(theta, progress=bar)
            fresh = theta
    peak = max(peak, final_R.nbytes)
    record = {"final": final, "theta": int(final_R.n_sets), "theta_required": theta, "lb": lb,
              "lambda_prime": lam_p, "lambda_star": lam_s, "iterations": iters,
              "rr_sets": {"estimation": int(est_sets), "final": int(fresh)},
              "ell_effective": ell_}
    if union is not None:
        record["union_events"] = int(union)
    return SampleSize(final_R, record, peak)
