"""Live-edge worlds: one random draw of every trigger set, and reachability inside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._kernels import forward as _fw
from .._validation import check_graph, fail
from ..random import as_generator
from .models import as_triggering, model_name, resolve_model

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph
    from ..random import RngLike
    from .models import TriggeringModel

__all__ = ["LiveEdgeWorld", "sample_world"]


@dataclass(frozen=True, eq=False)
class LiveEdgeWorld:
    """One live-edge world of a diffusion model on a graph.

    Attributes
    ----------
    live : numpy.ndarray of bool, length m
        ``live[e]`` tells whether out-CSR arc ``e`` (``G.sources[e] -> G.indices[e]``) is live.
    indptr, indices : numpy.ndarray
        The graph's out-CSR (shared, read-only).
    model : str
        Name of the model the world was drawn from.

    Under any triggering model (IC and LT included) the set of nodes a cascade activates from
    seeds ``S`` has the same distribution as :meth:`reach` ``(S)`` in a random world
    (Kempe et al. 2003, Thm 4.5-4.6).
    """

    live: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    model: str = "ic"

    @property
    def n(self) -> int:
        """Number of nodes."""
        return int(self.indptr.shape[0] - 1)

    @property
    def n_live(self) -> int:
        """Number of live arcs."""
        return int(np.count_nonzero(self.live))

    def reach(self, seed_ids: ArrayLike, removed: np.ndarray | None = None) -> np.ndarray:
        """Ids reachable from ``seed_ids`` through live arcs (int32, ascending).

        ``removed`` (bool mask of length n, optional) names nodes that are skipped entirely:
        they are neither entered nor traversed, and a removed seed is not counted. Seeds are
        internal int32 ids; O(n + live arcs) per call (numba BFS).
        """
        seeds = np.ascontiguousarray(np.asarray(seed_ids, dtype=np.int32).reshape(-1))
        if seeds.shape[0] and (seeds.min() < 0 or seeds.max() >= self.n):
            fail("LiveEdgeWorld.reach", "seed_ids", f"ids in [0, {self.n})", seeds.tolist())
        if removed is None:
            rm = np.zeros(0, dtype=np.bool_)
        else:
            rm = np.ascontiguousarray(np.asarray(removed, dtype=np.bool_))
            if rm.shape != (self.n,):
                fail("LiveEdgeWorld.reach", "removed", f"a bool mask of length {self.n}",
                     rm.shape)
        out = _fw.reach_live(self.indptr, self.indices, self.live, seeds, rm)
        out.sort()
        return out

    def reach_mask(self, seed_ids: ArrayLike, removed: np.ndarray | None = None) -> np.ndarray:
        """Bool mask of length n of :meth:`reach`."""
        mask = np.zeros(self.n, dtype=bool)
        mask[self.reach(seed_ids, removed)] = True
        return mask


def sample_world(G: DiGraph, *, model: str | TriggeringModel = "ic",
                 rng: RngLike = None) -> LiveEdgeWorld:
    """Draw one live-edge world of ``model`` on ``G``.

    IC: every arc is live independently with its probability. LT: every node keeps at most
    one in-arc, arc ``(u, v)`` with probability equal to its weight (none with ``1 - sum``).
    A :class:`~infmax.diffusion.TriggeringModel`: every node's trigger set is drawn from its
    distribution and its arcs are live. O(n + m).

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.diffusion import sample_world
    >>> G = im.graph.from_edges([0, 1], [1, 2], directed=True, weights=1.0)
    >>> sample_world(G, rng=1).reach([0]).tolist()
    [0, 1, 2]
    """
    check_graph("sample_world", G)
    m_res = resolve_model(model, G, func="sample_world")
    seed = int(as_generator(rng, func="sample_world").integers(0, 2**63, dtype=np.int64))
    if m_res == "ic":
        # IC: one uniform per arc in out-CSR order (the vectorised equivalent of the kernel)
        u = _draw_uniforms(seed, G.m)
        live = u < G.probs.astype(np.float64)
    else:
        tm = as_triggering(m_res, G)
        live = _fw.sample_live(tm.kind, G.rindptr, tm.in_probs, G.rev_perm.astype(np.int64),
                               tm.opt_ptr, tm.opt_prob, tm.mem_ptr, tm.mem, G.m,
                               np.uint64(seed))
    live.setflags(write=False)
    return LiveEdgeWorld(live, G.indptr, G.indices, model_name(m_res))


def _draw_uniforms(seed: int, count: int) -> np.ndarray:
    from .._kernels._rng import draw_uniforms

    return draw_uniforms(np.uint64(seed), count)
