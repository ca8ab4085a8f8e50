"""Seed selectors that run on the current observable graph.

A selector picks up to ``k`` seeds among the *alive* members of O (members not yet revealed
active) on the current observable graph: G' minus the revealed active nodes and their arcs.
It sees only what the organisation sees: the :class:`ObservableState`.

Names resolve through the one selector registry (:mod:`infmax.algorithms.registry`): every
static-graph selector that takes ``candidates`` runs here, wrapped in an
:class:`EngineSelector`; ``"random"`` and ``"degree"`` have specialised versions that work on
the members' arcs without rebuilding G'. A selector registered there is available here.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .._kernels._threads import threads
from .._validation import fail
from ..algorithms import registry
from ..algorithms.heuristics import degree_scores, top_k
from ._observe import Observation

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph
    from ..results import SeedResult

__all__ = ["ObservableState", "Selector", "RandomSelector", "DegreeSelector", "EngineSelector",
           "SELECTORS", "make_selector"]


class ObservableState:
    """The organisation's current view: an :class:`Observation` minus revealed activations.

    ``alive`` (bool over full-graph ids) is True on observable nodes that have not been revealed
    active. The current observable graph is G' restricted to alive nodes.
    """

    def __init__(self, observation: Observation) -> None:
        self.observation = observation
        self.alive = observation.observable_mask.copy()
        self._sub = None

    def reveal(self, ids: ArrayLike) -> None:
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

    def subgraph(self) -> tuple[DiGraph, np.ndarray]:
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

    def __init__(self, bias: float | None = None) -> None:
        self.bias = bias  # no effect: random ignores the structure

    def select(self, state: ObservableState, k: int, rng: np.random.Generator) -> np.ndarray:
        cands = state.candidates
        if cands.shape[0] == 0:
            return cands
        return rng.choice(cands, size=min(k, cands.shape[0]), replace=False)


class DegreeSelector:
    """Out-degree centrality on the current observable graph (the paper's *DC*).

    The score of a member u is the number of its alive out-neighbours; with ``bias = w`` a
    boundary neighbour counts ``w`` (boundary node bias, Sec. V-A). The top ``k`` alive members
    by score are returned, ties broken by the smaller full-graph id. This is
    :func:`infmax.algorithms.heuristics.degree` run on the current G' with
    ``neighbor_weights`` and ``candidates`` (a test checks it), with its own scoring and
    ranking (:func:`~infmax.algorithms.heuristics.degree_scores`,
    :func:`~infmax.algorithms.heuristics.top_k`) applied to the members' arcs directly, in
    O(|arcs of O|) per call without rebuilding G' (dead neighbours weigh 0).
    """

    name = "degree"

    def __init__(self, bias: float | None = None) -> None:
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
        w = np.where(state.alive, state.weights(self.bias), 0.0)
        return degree_scores(src, dst, obs.full_graph.n, w)

    def select(self, state: ObservableState, k: int, rng: np.random.Generator) -> np.ndarray:
        cands = state.candidates
        if cands.shape[0] == 0:
            return cands
        return top_k(self.scores(state), cands, k).astype(np.int64)


class EngineSelector:
    """Run any engine selector ``fn(G, k, *, candidates, rng, **options) -> SeedResult``.

    It runs on the current observable graph (rebuilt with :meth:`DiGraph.edge_subgraph`, O(m)
    per call).

    Parameters
    ----------
    fn : callable or str
        The selector, or its name in :mod:`infmax.algorithms.registry` (``"imm"``,
        ``"degree-discount"`` ...). A ``"module:function"`` string is still accepted.
    weight_keyword : str, optional
        Keyword that receives the boundary-bias weights over G_cur ids (``"node_weights"`` for
        RIS selectors: roots drawn with weight w on boundary nodes; ``"neighbor_weights"`` for
        degree). Only passed when ``bias`` is not None.
    bias : float, optional
        Boundary weight w (None: plain).
    name : str, optional
    **options
        Passed to ``fn`` (e.g. ``model="lt", epsilon=0.5, n_threads=1``).
    """

    def __init__(self, fn: Callable[..., SeedResult], *, weight_keyword: str | None = None,
                 bias: float | None = None, name: str | None = None, **options: Any) -> None:
        if isinstance(fn, str):
            if ":" in fn:
                mod, _, attr = fn.partition(":")
                fn = getattr(importlib.import_module(mod), attr)
            else:
                info = registry.get(fn, func="EngineSelector", param="fn")
                name = name or info.name
                fn = info.func
        self.fn = fn
        self.weight_keyword = weight_keyword
        self.bias = bias
        self.options = options
        self.name = name or getattr(fn, "__name__", "engine")

    def select(self, state: ObservableState, k: int, rng: np.random.Generator) -> np.ndarray:
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


#: selectors with a specialised observable-graph version (same seeds as the engine function)
_SPECIALISED = {"random": RandomSelector, "degree": DegreeSelector}

#: defaults that differ from the engine's here (Stein et al. run IMM with epsilon 0.5)
_DEFAULTS = {"epsilon": 0.5}


class _ObservableNames(Mapping):
    """Read-only view of the registry: name -> SelectorInfo of the observable-graph selectors.

    These are the static-graph selectors that take ``candidates`` (only members may be seeds),
    i.e. those usable on the observable graph.
    """

    def _infos(self) -> dict:
        return {i.name: i for i in registry.selectors("graph") if i.candidates}

    def __getitem__(self, name):
        return self._infos()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos())

    def __len__(self) -> int:
        return len(self._infos())

    def __repr__(self) -> str:
        return f"SELECTORS({', '.join(self)})"


#: names usable here (a live view of :mod:`infmax.algorithms.registry`)
SELECTORS = _ObservableNames()


def make_selector(selector: str | Callable[..., SeedResult] | Selector, *,
                  bias: float | None = None, func: str = "make_selector",
                  **options: Any) -> Selector:
    """Make a :class:`Selector` from a registry name, an engine function, or a selector object.

    Parameters
    ----------
    selector : str, callable or Selector
        A name registered in :mod:`infmax.algorithms.registry` for static graphs whose
        selector takes ``candidates`` (:data:`SELECTORS`: ``"random"``, ``"degree"``,
        ``"imm"``, ``"tim+"``, ``"pagerank"`` ...); an engine function
        ``fn(G, k, *, candidates, rng, ...)``; or an object with ``select`` (returned as is).
    bias : float, optional
        Boundary weight w, given to the selector's ``node_weights`` (RIS root weights) or, for
        degree, ``neighbor_weights``. A selector with neither rejects a bias.
    func : str
        Name used in error messages.
    **options
        Settings of the selector, e.g. ``model`` (the diffusion model of the hidden world:
        ``"ic"`` or ``"lt"``), ``epsilon``, ``ell``, ``n_threads``. Each selector receives the
        options its signature names, so one option set serves every cell of a benchmark;
        ``epsilon`` defaults to 0.5 (the paper's setting).
    """
    if hasattr(selector, "select"):
        return selector
    if callable(selector):
        fn, name = selector, getattr(selector, "__name__", "engine")
        params = inspect.signature(fn).parameters
    else:
        if not isinstance(selector, str):
            fail(func, "algorithm", "a selector name, an engine function or a Selector",
                 selector)
        info = registry.get(selector, func=func)
        if not info.candidates:
            fail(func, "algorithm", "a selector that takes candidates (one of "
                 + ", ".join(repr(n) for n in SELECTORS) + ")", selector)
        fn, name, params = info.func, info.name, info.parameters
        if name in _SPECIALISED:
            return _SPECIALISED[name](bias)
    keyword = next((w for w in ("node_weights", "neighbor_weights") if w in params), None)
    if bias is not None and keyword is None:
        fail(func, "bias", f"None for {name!r}, which takes no node weights", bias)
    kw = {p: v for p, v in {**_DEFAULTS, **options}.items() if p in params}
    return EngineSelector(fn, weight_keyword=keyword, bias=bias, name=name, **kw)
