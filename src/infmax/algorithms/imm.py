"""IMM: influence maximisation via martingales (Tang, Shi, Xiao, SIGMOD 2015)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._kernels._threads import holds_threads
from ._ris import imm_sample, ris_setup

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
        candidates: ArrayLike | None = None, reuse_rr_sets: bool = False, rng: RngLike = None,
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
    with ris_setup("imm", G, k, name="imm", model=model, epsilon=epsilon, ell=ell,
                   node_weights=node_weights, candidates=candidates, rng=rng,
                   n_threads=n_threads, max_memory=max_memory, progress=progress,
                   executor=executor, client=client) as st:
        sample = imm_sample(st, reuse=reuse_rr_sets)   # x = L/2, L/4, ... to lb0; final sets
        return st.select_final(sample, reuse_rr_sets=bool(reuse_rr_sets))
