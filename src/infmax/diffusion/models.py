"""Diffusion models: the names ``"ic"`` and ``"lt"`` and the general :class:`TriggeringModel`.

A *triggering model* (Kempe, Kleinberg, Tardos 2003, Sec. 4) gives every node ``v`` a random
*trigger set* ``T_v``, a subset of its in-neighbours drawn independently of every other node.
``v`` becomes active at step ``t + 1`` when some member of ``T_v`` is active at step ``t``.
Equivalently, an arc ``(u, v)`` is *live* when ``u`` is in ``T_v``, and the active set is what
the seeds reach through live arcs (the live-edge view used by :func:`sample_world` and
:func:`exact_spread`).

* independent cascade (IC): every in-arc ``(u, v)`` is in ``T_v`` independently with
  probability ``p(u, v)``;
* linear threshold (LT): ``T_v`` holds at most one in-arc, ``(u, v)`` with probability equal to
  its weight ``b(u, v)``, and is empty with probability ``1 - sum_u b(u, v)``;
* custom: an explicit table of ``(trigger set, probability)`` pairs for a node, the rest of the
  mass going to the empty set.

Representation (what the numba kernels read)
--------------------------------------------
``kind`` (int8, one per node): ``0`` IC, ``1`` LT, ``2`` custom. ``in_probs`` (float64, one per
arc, in-CSR order) holds the IC probability or LT weight of each in-arc. For custom nodes,
``opt_ptr[v]:opt_ptr[v + 1]`` index the node's options; option ``k`` has probability
``opt_prob[k]`` and members ``mem[mem_ptr[k]:mem_ptr[k + 1]]``, which are *in-CSR positions*
(global indices into ``G.rindices``), so a member names an arc, not just a node.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import fail, plain
from ..exceptions import InvalidParameterError
from ..graph.weights import lt_tolerance

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..graph import DiGraph

__all__ = ["TriggeringModel", "resolve_model", "MODELS", "KIND_IC", "KIND_LT", "KIND_CUSTOM"]

MODELS = ("ic", "lt")
KIND_IC, KIND_LT, KIND_CUSTOM = 0, 1, 2
#: slack above 1 for custom tables (Python floats): the float64 LT tolerance
_TOL = lt_tolerance(np.float64)


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


class TriggeringModel:
    """A triggering model on a fixed graph (see the module docstring for the representation).

    Build it with :meth:`ic`, :meth:`lt` or :meth:`custom`; pass it as ``model=`` to
    :func:`infmax.spread`, :func:`infmax.simulate`, :func:`infmax.exact_spread`,
    :func:`infmax.diffusion.sample_world` or :class:`infmax.MonteCarloOracle`.

    Parameters
    ----------
    G : DiGraph
        The graph the model lives on (the model is only valid for graphs with the same
        topology).
    kind : array of int8, length n
        Per-node distribution type: 0 IC, 1 LT, 2 custom.
    in_probs : array of float, length m, optional
        Per in-arc probability (IC) or weight (LT), in-CSR order; default ``G.rprobs``.
    opt_ptr, opt_prob, mem_ptr, mem : arrays, optional
        The custom-node table (see the module docstring).
    name : str
        Label reported in :class:`~infmax.SpreadEstimate.model`.

    Notes
    -----
    LT nodes may have in-weights summing to ``1 + lt_tolerance(dtype)``
    (:func:`infmax.graph.weights.lt_tolerance`), ``dtype`` being the coarser of ``G.probs``'s
    and ``in_probs``'s: float32 weights that sum to 1 in exact arithmetic often sum to slightly
    more once rounded. Such a sum counts as 1 (no empty trigger set).

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.diffusion import TriggeringModel
    >>> G = im.graph.from_edges([0, 1, 0], [2, 2, 1], directed=True, weights=0.5)
    >>> # node 2 is triggered by {0, 1} together with prob 0.3, by {1} alone with prob 0.2
    >>> M = TriggeringModel.custom(G, {2: [([0, 1], 0.3), ([1], 0.2)]})
    >>> round(im.exact_spread(G, [0], model=M), 6)   # 1 + 0.5 + (0.3 + 0.2 * 0.5)
    1.9
    """

    def __init__(self, G: DiGraph, kind: str, in_probs: np.ndarray | None = None,
                 opt_ptr: np.ndarray | None = None, opt_prob: np.ndarray | None = None,
                 mem_ptr: np.ndarray | None = None, mem: np.ndarray | None = None, *,
                 name: str = "triggering") -> None:
        n, m = G.n, G.m
        kind = np.asarray(kind, dtype=np.int8)
        if kind.shape != (n,) or ((kind < 0) | (kind > 2)).any():
            fail("TriggeringModel", "kind", f"an int8 array of length {n} with values 0, 1, 2",
                 kind.shape)
        in_probs = G.rprobs if in_probs is None else in_probs
        given = np.asarray(in_probs)
        self.lt_tol = max(lt_tolerance(G.probs.dtype),
                          lt_tolerance(given.dtype if given.dtype.kind == "f" else np.float64))
        in_probs = np.asarray(in_probs, dtype=np.float64)
        if in_probs.shape != (m,) or not ((in_probs >= 0) & (in_probs <= 1)).all():
            fail("TriggeringModel", "in_probs", f"a float array of length {m} in [0, 1]",
                 in_probs.shape)
        if opt_ptr is None:
            opt_ptr = np.zeros(n + 1, dtype=np.int64)
            opt_prob = np.zeros(0, dtype=np.float64)
            mem_ptr = np.zeros(1, dtype=np.int64)
            mem = np.zeros(0, dtype=np.int64)
        self.kind = _ro(kind)
        self.in_probs = _ro(in_probs)
        self.opt_ptr = _ro(np.asarray(opt_ptr, dtype=np.int64))
        self.opt_prob = _ro(np.asarray(opt_prob, dtype=np.float64))
        self.mem_ptr = _ro(np.asarray(mem_ptr, dtype=np.int64))
        self.mem = _ro(np.asarray(mem, dtype=np.int64))
        self.name = name
        self.n, self.m = n, m
        self._indptr = G.indptr  # identity of the topology, for compatibility checks
        lt_nodes = kind == KIND_LT
        if lt_nodes.any():
            heads = np.repeat(np.arange(n), np.diff(G.rindptr))
            sums = np.bincount(heads, weights=in_probs, minlength=n)
            bad = np.flatnonzero(lt_nodes & (sums > 1 + self.lt_tol))
            if bad.shape[0]:
                v = int(bad[0])
                raise InvalidParameterError(
                    f"The 'model' parameter of TriggeringModel makes node "
                    f"{G.labels[v].item()!r} an LT node, but its in-weights sum to "
                    f"{float(sums[v]):.10g} > 1 + {self.lt_tol:g}. Use "
                    f"infmax.graph.normalize_lt(G).", param="model",
                    value=name)

    # -- constructors ---------------------------------------------------------------------
    def _memo(self, key: str, factory: Callable[[], Any]):
        """Return the value derived from this model under ``key``, computed once by ``factory()``.

        The contract of :meth:`infmax.graph.DiGraph._memo`: kernel tables of other modules live
        with the model instead of being patched onto it.
        """
        memo = self.__dict__.setdefault("_memo_values", {})
        try:
            return memo[key]
        except KeyError:
            return memo.setdefault(key, factory())

    @classmethod
    def ic(cls, G: DiGraph) -> TriggeringModel:
        """Independent cascade as a triggering model (every node of kind IC)."""
        return cls(G, np.zeros(G.n, dtype=np.int8), name="triggering-ic")

    @classmethod
    def lt(cls, G: DiGraph) -> TriggeringModel:
        """Linear threshold as a triggering model (in-weights must sum to <= 1)."""
        return cls(G, np.ones(G.n, dtype=np.int8), name="triggering-lt")

    @classmethod
    def custom(cls, G: DiGraph, tables: Mapping[Any, Iterable], *, default: str = "ic",
               name: str = "triggering-custom") -> TriggeringModel:
        """Build a model with explicit trigger-set distributions for some nodes.

        Parameters
        ----------
        tables : mapping label -> list of (in-neighbour labels, probability)
            For each listed node, its possible trigger sets and their probabilities (summing to
            at most 1; the rest is the empty set). Members must be in-neighbours of the node.
        default : {"ic", "lt"}
            Distribution of every node not in ``tables`` (probabilities from ``G.rprobs``).
        """
        if default not in MODELS:
            fail("TriggeringModel.custom", "default", "one of 'ic', 'lt'", default)
        kind = np.full(G.n, KIND_IC if default == "ic" else KIND_LT, dtype=np.int8)
        per_node: dict[int, list] = {}
        for label, options in tables.items():
            v = int(G.node_ids([label], param="tables", func="TriggeringModel.custom")[0])
            lo, hi = int(G.rindptr[v]), int(G.rindptr[v + 1])
            pos_of = {int(u): lo + i for i, u in enumerate(G.rindices[lo:hi].tolist())}
            opts, total = [], 0.0
            for members, p in options:
                p = float(p)
                if not (0.0 <= p <= 1.0) or math.isnan(p):
                    fail("TriggeringModel.custom", "tables", "probabilities in [0, 1]", p)
                ids = G.node_ids(list(members), param="tables", func="TriggeringModel.custom")
                pos = []
                for u, lab in zip(ids.tolist(), members):
                    if u not in pos_of:
                        raise InvalidParameterError(
                            "The 'tables' parameter of TriggeringModel.custom puts "
                            f"{plain(lab)!r} in a trigger set of {plain(label)!r}, but it is "
                            "not an in-neighbour.",
                            param="tables", value=lab)
                    pos.append(pos_of[u])
                opts.append((p, sorted(set(pos))))
                total += p
            if total > 1 + _TOL:
                fail("TriggeringModel.custom", "tables",
                     f"probabilities summing to at most 1 for node {label!r}", total)
            per_node[v] = opts
            kind[v] = KIND_CUSTOM
        opt_ptr = np.zeros(G.n + 1, dtype=np.int64)
        opt_prob, mem_ptr, mem = [], [0], []
        for v in range(G.n):
            for p, pos in per_node.get(v, ()):
                opt_prob.append(p)
                mem.extend(pos)
                mem_ptr.append(len(mem))
            opt_ptr[v + 1] = len(opt_prob)
        return cls(G, kind, None, opt_ptr, np.array(opt_prob, dtype=np.float64),
                   np.array(mem_ptr, dtype=np.int64), np.array(mem, dtype=np.int64), name=name)

    # -- introspection --------------------------------------------------------------------
    def compatible(self, G: DiGraph) -> bool:
        """Tell whether ``G`` has the topology this model was built for."""
        return G.n == self.n and G.m == self.m and (
            G.indptr is self._indptr or np.array_equal(G.indptr, self._indptr))

    def options(self, G: DiGraph, v: int) -> list[tuple[float, list[int]]]:
        """List the trigger sets of node ``v`` with positive probability, empty set included.

        Returns ``(probability, in-CSR positions)`` pairs. IC nodes enumerate the subsets of
        their *uncertain* in-arcs (``0 < p < 1``; arcs with ``p = 1`` are always in), so the
        count is ``2 ** (uncertain in-arcs)``: meant for exact enumeration on tiny graphs.
        """
        lo, hi = int(G.rindptr[v]), int(G.rindptr[v + 1])
        k = int(self.kind[v])
        out: list[tuple[float, list[int]]] = []
        if k == KIND_IC:
            ps = self.in_probs[lo:hi]
            sure = [lo + i for i in np.flatnonzero(ps >= 1.0).tolist()]
            unc = [lo + i for i in np.flatnonzero((ps > 0.0) & (ps < 1.0)).tolist()]
            d = len(unc)
            for mask in range(1 << d):
                pr, mem = 1.0, list(sure)
                for i in range(d):
                    p = float(self.in_probs[unc[i]])
                    if mask >> i & 1:
                        pr *= p
                        mem.append(unc[i])
                    else:
                        pr *= 1.0 - p
                out.append((pr, sorted(mem)))
        elif k == KIND_LT:
            tot = 0.0
            for i in range(lo, hi):
                # a sum within the tolerance above 1 loses its excess on the last arcs, as in
                # the samplers' cumulative search (and the forward threshold test)
                p = min(float(self.in_probs[i]), 1.0 - tot)
                tot += p
                if p > 0.0:
                    out.append((p, [i]))
            if 1.0 - tot > self.lt_tol:
                out.append((1.0 - tot, []))
        else:
            tot = 0.0
            for j in range(int(self.opt_ptr[v]), int(self.opt_ptr[v + 1])):
                pr = float(self.opt_prob[j])
                tot += pr
                if pr > 0.0:
                    out.append((pr, self.mem[self.mem_ptr[j]:self.mem_ptr[j + 1]].tolist()))
            if 1.0 - tot > _TOL:
                out.append((1.0 - tot, []))
        if not out:
            out.append((1.0, []))
        return out

    def n_options(self, G: DiGraph) -> np.ndarray:
        """Count the trigger sets with positive probability per node (float64)."""
        n = G.n
        heads = np.repeat(np.arange(n), np.diff(G.rindptr))
        p = self.in_probs
        unc = np.bincount(heads, weights=((p > 0) & (p < 1)).astype(np.float64), minlength=n)
        pos = np.bincount(heads, weights=(p > 0).astype(np.float64), minlength=n)
        tot = np.bincount(heads, weights=p, minlength=n)
        out = np.where(self.kind == KIND_IC, np.exp2(unc),
                       np.maximum(pos + (1.0 - tot > self.lt_tol), 1.0))
        for v in np.flatnonzero(self.kind == KIND_CUSTOM).tolist():
            pr = self.opt_prob[self.opt_ptr[v]:self.opt_ptr[v + 1]]
            out[v] = max(float((pr > 0).sum()) + (1.0 - pr.sum() > _TOL), 1.0)
        return out

    def __repr__(self) -> str:
        counts = np.bincount(self.kind, minlength=3)
        return (f"TriggeringModel(name={self.name!r}, n={self.n}, ic={counts[0]}, "
                f"lt={counts[1]}, custom={counts[2]})")


def resolve_model(model: str | TriggeringModel, G: DiGraph, *,
                  func: str = "spread") -> str | TriggeringModel:
    """Validate a ``model`` argument against ``G``.

    Returns ``"ic"`` or ``"lt"`` (lower-cased; LT weights checked with
    :func:`infmax.graph.weights.check_lt_weights`) or the :class:`TriggeringModel` itself
    (checked to match ``G``'s topology). Anything else raises InvalidParameterError listing the
    choices.
    """
    if isinstance(model, TriggeringModel):
        if not model.compatible(G):
            raise InvalidParameterError(
                f"The 'model' parameter of {func} is a TriggeringModel built for another graph "
                f"(n={model.n}, m={model.m}); this graph has n={G.n}, m={G.m}.",
                param="model", value=repr(model))
        return model
    if isinstance(model, str) and model.lower() in MODELS:
        name = model.lower()
        if name == "lt":
            from ..graph.weights import check_lt_weights

            check_lt_weights(G, func=func)
        return name
    fail(func, "model", "one of 'ic', 'lt' or a TriggeringModel instance", model)


def as_triggering(model: str | TriggeringModel, G: DiGraph) -> TriggeringModel:
    """Return the TriggeringModel form of a resolved model (``"ic"`` / ``"lt"`` / instance)."""
    if isinstance(model, TriggeringModel):
        return model
    return TriggeringModel.ic(G) if model == "ic" else TriggeringModel.lt(G)


def model_name(model: str | TriggeringModel) -> str:
    """Return the display name of a resolved model (``"ic"``, ``"lt"`` or the model's name)."""
    return model.name if isinstance(model, TriggeringModel) else str(model)
