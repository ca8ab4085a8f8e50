"""Exact expected spread by enumerating live-edge worlds: :func:`exact_spread`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._kernels import forward as _fw
from .._validation import check_graph
from ..exceptions import InvalidParameterError
from .models import as_triggering, resolve_model
from .montecarlo import WORK_PER_CALL, _node_weights, _seed_ids

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph
    from .models import TriggeringModel

__all__ = ["exact_spread", "MAX_WORLDS", "n_worlds"]

MAX_WORLDS = 1 << 22


def n_worlds(G: DiGraph, model: str | TriggeringModel = "ic") -> float:
    """Count the live-edge worlds with positive probability (what exact_spread enumerates).

    IC: ``2 ** (arcs with 0 < p < 1)``; LT: ``prod_v (positive in-weights + [sum < 1])``;
    triggering: the product of the per-node option counts.
    """
    check_graph("n_worlds", G)
    tm = as_triggering(resolve_model(model, G, func="n_worlds"), G)
    return float(np.prod(tm.n_options(G)))


def exact_spread(G: DiGraph, seeds: ArrayLike, *, model: str | TriggeringModel = "ic",
                 node_weights: ArrayLike | None = None) -> float:
    """Exact expected (weighted) spread of ``seeds`` by enumerating every live-edge world.

    Each node's trigger set is drawn independently (IC: each in-arc live with probability p;
    LT: at most one in-arc, chosen with probability equal to its weight; custom: its table),
    so the expected spread is ``sum_worlds P(world) * |reach(seeds)|``. Cost
    O(worlds * (n + m)) in a numba kernel; graphs with more than ``MAX_WORLDS`` (2**22) worlds
    are refused with InvalidParameterError. For tests and small examples. The worlds are
    enumerated in kernel calls of bounded work with interrupt checkpoints between them (Ctrl-C
    gives KeyboardInterrupt); the split never changes the result.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 1], [1, 2], directed=True, weights=0.5)
    >>> im.exact_spread(G, [0])   # 1 + 0.5 + 0.25
    1.75
    """
    func = "exact_spread"
    check_graph(func, G)
    m = resolve_model(model, G, func=func)
    ids = _seed_ids(G, seeds, func)
    nw = _node_weights(node_weights, G.n, func)
    tm = as_triggering(m, G)
    worlds = float(np.prod(tm.n_options(G)))
    if worlds > MAX_WORLDS:
        raise InvalidParameterError(
            f"The 'G' parameter of exact_spread has {worlds:.3g} live-edge worlds under this "
            f"model, more than the {MAX_WORLDS:,} exact enumeration allows; use "
            "infmax.spread (Monte Carlo).", param="G", value=repr(G))
    if ids.shape[0] == 0:
        return 0.0
    rev = np.asarray(G.rev_perm, dtype=np.int64)
    node_ptr, probs, mem_ptr, mem = [0], [], [0], []
    for v in range(G.n):
        for p, members in tm.options(G, v):
            probs.append(p)
            mem.extend(rev[members].tolist() if members else [])
            mem_ptr.append(len(mem))
        node_ptr.append(len(probs))
    args = (G.n, np.asarray(G.indptr, dtype=np.int64), np.asarray(G.indices, dtype=np.int32),
            ids.astype(np.int32), np.array(node_ptr, dtype=np.int64),
            np.array(probs, dtype=np.float64), np.array(mem_ptr, dtype=np.int64),
            np.array(mem, dtype=np.int64), np.asarray(nw, dtype=np.float64))
    total_worlds = math.prod(np.diff(node_ptr).tolist())   # the kernel's odometer range
    per_call = max(1, WORK_PER_CALL // (2 * G.n + G.m + len(mem) + 1))
    total = 0.0
    with interruptible():
        for start in range(0, total_worlds, per_call):
            total = _fw.enumerate_worlds(*args, start, min(per_call, total_worlds - start),
                                         total)
            checkpoint()
    return float(total)
