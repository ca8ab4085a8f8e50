"""IMM: influence maximisation via martingales (Tang, Shi, Xiao, SIGMOD 2015)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._kernels._threads import holds_threads
from ._ris import imm_final_mode, imm_sample, ris_setup

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import TriggeringModel
    from ..distributed import Executor
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["imm"]


@holds_threads
def imm(G: DiGraph, k: int, *, model: str | TriggeringModel = "ic", epsilon: float = 0.1,
        ell: float = 1.0, node_weights: ArrayLike | None = None,
        candidates: ArrayLike | None = None, final: str | None = None,
        reuse_rr_sets: bool | None = None, rng: RngLike = None,
        n_threads: int | None = None, max_memory: int | None = None,
        progress: bool | None = None,
        executor: Executor | str | None = None, client: object = None) -> SeedResult:
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
    final : {"reuse-corrected", "fresh", "reuse"}, optional
        How the final collection is formed (W. Chen, "An issue in the martingale analysis of
        the influence maximization algorithm IMM", arXiv 1808.09363, 2018; see Notes).
        ``"reuse-corrected"`` (default): the estimation-phase sets are topped up to ``theta``
        with ``lambda*`` enlarged by a union bound over every possible final size (Chen's
        second workaround; the guarantee holds). ``"fresh"``: ``theta`` sets sampled afresh,
        independent of the estimation phase (Chen's first workaround). ``"reuse"``: the
        original paper and code, which top the estimation sets up with the paper's
        ``lambda*`` (fewest sets; the proof has the gap Chen points out, so the guarantee is
        not proven).
    reuse_rr_sets : bool, optional
        Alias kept from earlier versions: True is ``final="reuse"``, False ``final="fresh"``.
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
    executor : DaskExecutor, "dask", LocalExecutor, "local" or ShardPool, optional
        Where the RR sets live. None / "local": in this process. A
        :class:`~infmax.distributed.DaskExecutor` (or ``"dask"``: a local cluster for this call)
        samples them on the workers, keeps them there as shards with their own inverted index
        and runs the greedy maximum coverage over the shards: the same sets, seeds, ``theta``
        and estimates as in this process, bit for bit. ``max_memory`` then limits each worker.
        ``record["distributed"]`` holds the bytes per worker, per greedy round (against a dense
        vector per round) and the peak memory per worker.
    client : dask.distributed.Client or str, optional
        Short for ``executor=DaskExecutor(client)`` (a client or a scheduler address).

    Returns
    -------
    SeedResult
        ``spread`` is the coverage estimate ``L * F_R(S)`` on the final collection (optimistic:
        the same sets chose ``S``). ``record``: ``theta``, ``rr_sets`` per phase, ``lb``,
        ``lambda_prime``, ``lambda_star``, ``iterations``, ``coverage``, ``mean_rr_size``,
        ``peak_rr_bytes``, ``final`` (the mode) and, for ``"reuse-corrected"``,
        ``union_events`` (the ``N`` of the union bound).

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

    **Chen's issue and the three final modes.** Tang et al.'s Theorem 1 bounds the failure
    of the greedy selection on ``theta`` i.i.d. RR sets for a *fixed* ``theta >=
    lambda*/OPT``. When the estimation sets are reused, ``theta = ceil(lambda*/LB)`` depends
    on those very sets (through ``LB``), so the theorem does not apply as stated: that is
    Chen's point. ``"fresh"`` removes the dependence (new sets, independent of ``LB``).
    ``"reuse-corrected"`` keeps the sets and proves the guarantee by a union bound, step by
    step (Chen's second workaround; his code raises ``ell`` by the ``gamma`` with
    ``lambda*(ell + gamma) <= n^gamma``, for both phases; only the final phase needs it, and
    ``lb0`` bounds ``LB`` from below, so here the enlargement is exactly the ``ln N`` below):

    1. All RR sets of a run, estimation and final, are the first sets of one i.i.d. sequence
       ``R_1, R_2, ...`` (each set is drawn with fresh randomness; how many are drawn may
       depend on earlier sets, which sets are drawn may not).
    2. Estimation phase, unchanged: round ``i`` looks at the first ``ceil(lambda'/x_i)``
       sets, a fixed number; with ``ell_ = ell (1 + ln 2 / ln n)`` and the ``ln log2(L/lb0)``
       term of ``lambda'`` (a union bound over the rounds), ``P[LB > OPT] <= n^-ell_``
       (Tang et al., Thm. 2), and ``n^-ell_ = 2^-ell n^-ell <= n^-ell / 2`` for ``ell >= 1``
       (the paper's split; for ``ell < 1`` the two phases together fail w.p. at most
       ``2^(1 - ell) n^-ell``, in every mode).
    3. The final collection is the first ``M = max(theta, est_sets)`` sets with ``theta =
       ceil(lambda*/LB)``, ``LB >= lb0`` and ``est_sets <= est_max = ceil(lambda'/x_last)``.
       So ``M`` lies in ``{1, ..., N}`` for every ``N >= max(ceil(lambda*/lb0), est_max)``,
       a set fixed before any sampling.
    4. For each fixed ``m`` in ``1 .. N`` with ``m >= lambda*/OPT``, let ``B_m`` be the event
       "greedy on ``R_1 .. R_m`` is not a ``(1 - 1/e - eps)`` approximation". Theorem 1 with
       failure terms ``ell_ ln n + ln 2 + ln N`` (in ``alpha`` and ``beta`` of ``lambda*``)
       gives ``P[B_m] <= n^-ell_ / N`` for a fixed ``m`` (the ``ln 2`` splits it between its
       two inner events, as in the paper).
    5. If ``LB <= OPT`` then ``M >= theta >= lambda*/LB >= lambda*/OPT``; so a bad output
       implies ``LB > OPT`` or ``B_m`` for some ``m <= N`` with ``m >= lambda*/OPT``. A union
       bound gives ``P[bad] <= n^-ell_ + N n^-ell_ / N = 2 n^-ell_``, at most ``n^-ell``
       (``ell >= 1``): the paper's bound for fresh sets, now with the sets reused.
    6. ``N`` appears in ``lambda*`` and ``lambda*`` in ``N``: ``N`` is the least integer with
       ``max(ceil(lambda*(ln N)/lb0), est_max) <= N``
       (:func:`~infmax.algorithms._ris.reuse_union_events`; ``record["union_events"]``).

    The price is the ``ln N`` term: on NetHEPT (``k = 50``, ``epsilon = 0.1``) ``lambda*``
    grows by about 20 %, while the whole estimation sample is reused instead of
    discarded. ``"reuse"`` uses the paper's ``lambda*`` on the reused sets; step 4 then has no
    union bound and the guarantee is not proven.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1, 2], [1, 2, 3, 3], weights=0.5)
    >>> res = im.imm(G, 1, epsilon=0.5, rng=0)
    >>> res.seeds
    (0,)
    """
    with ris_setup("imm", G, k, name="imm", model=model, epsilon=epsilon, ell=ell,
                   node_weights=node_weights, candidates=candidates, rng=rng,
                   n_threads=n_threads, max_memory=max_memory, progress=progress,
                   executor=executor, client=client) as st:
        mode = imm_final_mode("imm", final, reuse_rr_sets)
        sample = imm_sample(st, final=mode)   # x = L/2, L/4, ... to lb0; final sets
        return st.select_final(sample, final=mode)
