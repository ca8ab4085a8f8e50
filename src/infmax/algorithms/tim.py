"""TIM+: two-phase influence maximisation (Tang, Xiao, Shi, SIGMOD 2014)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._kernels._threads import holds_threads
from ._ris import ris_setup, tim_plus_sample

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import TriggeringModel
    from ..distributed import Executor
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["tim_plus"]


@holds_threads
def tim_plus(G: DiGraph, k: int, *, model: str | TriggeringModel = "ic", epsilon: float = 0.1,
             ell: float = 1.0, node_weights: ArrayLike | None = None,
             candidates: ArrayLike | None = None, reuse_rr_sets: bool = False, rng: RngLike = None,
             n_threads: int | None = None, max_memory: int | None = None,
             progress: bool | None = None,
        executor: Executor | str | None = None, client: object = None) -> SeedResult:
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
        As in :func:`~infmax.algorithms.imm.imm`; so are ``executor`` and ``client`` (RR sets
        sharded over Dask workers, identical result). TIM+ has three failure events (KPT*
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
    with ris_setup("tim_plus", G, k, name="tim+", model=model, epsilon=epsilon, ell=ell,
                   node_weights=node_weights, candidates=candidates, rng=rng,
                   n_threads=n_threads, max_memory=max_memory, progress=progress,
                   executor=executor, client=client) as st:
        sample = tim_plus_sample(st)   # KPT estimation (Alg. 2), refinement (Alg. 3), final
        return st.select_final(sample)
