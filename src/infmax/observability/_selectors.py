"""Seed selectors that run on the current observable graph (pluggable registry).

A selector picks up to ``k`` seeds among the *alive* members of O (members not yet revealed
active) on the current observable graph: G' minus the revealed active nodes and their arcs.
It sees only what the organisation sees: the :class:`ObservableState`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol

import numpy as np

from .._kernels._threads import threads
from .._validation import check_choice
from ._kernels import out_scores
from ._observe import Observation

__all__ = ["ObservableState", "Selector", "RandomSelector", "DegreeSelector", "EngineSelector",
           "SELECTORS", "make_selector", "register_selector"]


class ObservableState:
    """The organisation's current view: an :class:`Observation` minus revealed activations.

    ``alive`` (bool over full-graph ids) is True on observable nodes that have not been revealed
    active. The current observable graph is G' restricted to alive nodes.
    """

    def __init__(self, observation: Observation):
        self.observation = observation
        self.alive = observation.observable_mask.copy()
        self._sub = None

    def reveal(self, ids) -> None:
        """Mark activated nodes; only observable ones change the view."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size:
            self.alive[ids] = False
            self._sub = None

    @property
    def candidates(self) -> np.ndarray:
        """Full-graph ids of the members that may still be seeds (ascending)."""
        return np.flatnonzero(self.alive & self.observation.member_mask)

    def weights(self, bias: float | None) -> np.ndarray:
        """Node weights over full-graph ids: ``bias`` on boundary nodes, 1 elsewhere."""
        obs = self.observation
        w = np.ones(obs.full_graph.n, dtype=np.float64)
        if bias is not None:
            w[obs.boundary_ids] = bias
        return w

    def subgraph(self):
        """``(G_cur, keep)``: the current observable graph and its G_cur id -> full id map."""
        if self._sub is None:
            obs = self.observation
            G = obs.full_graph
            arcs = obs.arc_mask & self.alive[G.sources] & self.alive[G.indices]
            keep = np.flatnonzero(self.alive)
            self._sub = (G.edge_subgraph(arcs, keep), keep)
        return self._sub


class Selector(Protocol):
    """``select(state, k, rng) -> full-graph ids`` (at most k, best first)."""

    name: str

    def select(self, state: ObservableState, k: int, rng: np.random.Generator) -> np.ndarray:
        ...


class RandomSelector:
    """Uniformly random alive members (the paper's *Random* baseline)."""

    name = "random"

    def __init__(self, bias: float | None = None):
        self.bias = bias  # no effect: random ignores the structure

    def select(self, state, k, rng):
        cands = state.candidates
        if cands.shape[0] == 0:
            return cands
        return rng.choice(cands, size=min(k, cands.shape[0]), replace=False)


class DegreeSelector:
    """Out-degree centrality on the current observable graph (the paper's *DC*).

    The score of a member u is the number of its alive out-neighbours; with ``bias = w`` a
    boundary neighbour counts ``w`` (boundary node bias, Sec. V-A). The top ``k`` alive members
    by score are returned, ties broken by the smaller full-graph id. This equals
    :func:`infmax.algorithms.heuristics.degree` run on the current G' with
    ``neighbor_weights`` and ``candidates`` (a test checks it), computed directly over the
    members' arcs in O(|arcs of O|) per call without rebuilding G'.
    """

    name = "degree"

    def __init__(self, bias: float | None = None):
        self.bias = bias
        self._cache = None

    def _arcs(self, obs: Observation):
        if self._cache is None or self._cache[0] is not obs:
            G = obs.full_graph
            sel = obs.member_mask[G.sources]
            src = G.sources[sel].astype(np.int64)
            dst = G.indices[sel].astype(np.int64)
            keep = src != dst
            self._cache = (obs, src[keep], dst[keep])
        return self._cache[1], self._cache[2]

    def scores(self, state: ObservableState) -> np.ndarray:
        obs = state.observation
        src, dst = self._arcs(obs)
        w = state.weights(self.bias)
        return out_scores(src, dst, w, state.alive, obs.full_graph.n)

    def select(self, state, k, rng):
        cands = state.candidates
        if cands.shape[0] == 0:
            return cands
        sc = self.scores(state)[cands]
        if k == 1:
            return cands[[int(np.argmax(sc))]]
        order = np.lexsort((cands, -sc))
        return cands[order[:k]]


class EngineSelector:
    """Any engine selector ``fn(G, k, *, candidates, rng, **options) -> SeedResult`` run on the
    current observable graph (rebuilt with :meth:`DiGraph.edge_subgraph`, O(m) per call).

    Parameters
    ----------
    fn : callable or str
        The selector, or ``"module:function"``.
    weight_keyword : str, optional
        Keyword that receives the boundary-bias weights over G_cur ids (``"node_weights"`` for
        RIS selectors: roots drawn with weight w on boundary nodes; ``"neighbor_weights"`` for
        degree). Only passed when ``bias`` is not None.
    bias : float, optional
        Boundary weight w (None: plain).
    name : str, optional
    **options
        Passed to ``fn`` (e.g. ``model="ic", epsilon=0.5, n_threads=1``).
    """

    def __init__(self, fn, *, weight_keyword: str | None = None, bias: float | None = None,
                 name: str | None = None, **options):
        if isinstance(fn, str):
            mod, _, attr = fn.partition(":")
            fn = getattr(importlib.import_module(mod), attr)
        self.fn = fn
        self.weight_keyword = weight_keyword
        self.bias = bias
        self.options = options
        self.name = name or getattr(fn, "__name__", "engine")

    def select(self, state, k, rng):
        cands = state.candidates
        if cands.shape[0] == 0:
            return cands
        Gc, keep = state.subgraph()
        mask = state.observation.member_mask[keep]
        kw = dict(self.options)
        if self.bias is not None and self.weight_keyword:
            kw[self.weight_keyword] = np.where(state.observation.boundary_mask[keep],
                                               float(self.bias), 1.0)
        with threads(kw.get("n_threads")):
            res = self.fn(Gc, min(k, cands.shape[0]), candidates=mask, rng=rng, **kw)
        return keep[np.asarray(res.seed_ids, dtype=np.int64)]


def _imm_factory(bias=None, *, epsilon=0.5, ell=1.0, n_threads=None, **_):
    return EngineSelector("infmax.algorithms.imm:imm", weight_keyword="node_weights", bias=bias,
                          name="imm", model="ic", epsilon=epsilon, ell=ell, n_threads=n_threads)


def _degree_factory(bias=None, **_):
    return DegreeSelector(bias)


def _random_factory(bias=None, **_):
    return RandomSelector(bias)


#: name -> factory(bias=None | w, **options) -> Selector
SELECTORS: dict[str, Callable] = {"random": _random_factory, "degree": _degree_factory,
                                  "imm": _imm_factory}


def register_selector(name: str, factory: Callable) -> None:
    """Add a selector: ``factory(bias=None | w, **options)`` returning a :class:`Selector`."""
    SELECTORS[name.lower()] = factory


def make_selector(selector, *, bias: float | None = None, func: str = "make_selector",
                  **options):
    """A selector from a registry name (``"random"``, ``"degree"``, ``"imm"``) or an object."""
    if hasattr(selector, "select"):
        return selector
    name = check_choice(func, "algorithm", selector, tuple(SELECTORS))
    return SELECTORS[name](bias=bias, **options)
