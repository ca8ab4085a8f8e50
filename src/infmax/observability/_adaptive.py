"""Adaptive seeding in a partially observable network, and the trial driver."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._interrupt import checkpoint
from .._validation import Interval, check, fail
from ..random import as_generator
from ..results import Stopwatch
from ._observe import Observation
from ._selectors import ObservableState, make_selector

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import LiveEdgeWorld, TriggeringModel
    from ..random import RngLike
    from ..results import SeedResult
    from ._selectors import Selector
from typing import Any

__all__ = ["AdaptiveSeeder", "TrialResult", "run_trial", "adaptive_trial", "oneshot_trial"]


def _check_bias(func, bias):
    if bias is None:
        return None
    return check(func, "bias", bias, Interval(float, 0, None, closed="neither"))


class AdaptiveSeeder:
    """Choose seeds one at a time, updating the observable graph after each activation.

    Stein et al., Sec. V-B: run a selector for one seed on the current observable graph; after
    the seed's cascade, the activations seen on observable nodes (members and boundary) are
    removed, with their arcs, from the observable graph; repeat.

    Parameters
    ----------
    observation : Observation
        From :func:`infmax.observability.observe`.
    algorithm : str or Selector, default "degree"
        ``"random"``, ``"degree"``, ``"imm"`` (registry :data:`SELECTORS`) or a selector object.
    bias : float, optional
        Boundary weight w (the paper uses 2); None = plain.
    rng : None, int, SeedSequence or Generator
        Randomness of the selector (random picks, RR sets).
    **options
        Selector options (``epsilon``, ``ell``, ``n_threads`` for IMM).

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.observability import AdaptiveSeeder
    >>> G = im.graph.from_edges([0, 0, 0, 4], [1, 2, 3, 5], directed=False, weights="wc")
    >>> seeder = AdaptiveSeeder(im.observe(G, members=[0, 4]), "degree")
    >>> seeder.propose()
    0
    >>> seeder.reveal([0, 1, 2, 3])      # what was seen to activate
    >>> seeder.propose()
    4
    """

    def __init__(self, observation: Observation,
                 algorithm: str | Callable[..., SeedResult] | Selector = "degree", *,
                 bias: float | None = None, rng: RngLike = None, **options: Any) -> None:
        func = "AdaptiveSeeder"
        if not isinstance(observation, Observation):
            fail(func, "observation", "an Observation (from infmax.observability.observe)",
                 type(observation).__name__)
        self.bias = _check_bias(func, bias)
        self.selector = make_selector(algorithm, bias=self.bias, func=func, **options)
        self.observation = observation
        self.state = ObservableState(observation)
        self.rng = as_generator(rng, func=func)
        self._pending: int | None = None
        self._seeds: list[int] = []

    @property
    def seeds(self) -> list:
        """Labels of the seeds chosen so far (proposals that were observed)."""
        return self.observation.full_graph.node_labels(self._seeds)

    @property
    def n_candidates(self) -> int:
        return int(self.state.candidates.shape[0])

    def propose_id(self) -> int | None:
        """Full-graph id of the next seed (None when no member is left); no validation."""
        if self._pending is None:
            ids = self.selector.select(self.state, 1, self.rng)
            self._pending = int(ids[0]) if len(ids) else None
        return self._pending

    def propose(self) -> Hashable | None:
        """Label of the next seed (the same until :meth:`reveal` is called).

        None if no inactive member is left.
        """
        s = self.propose_id()
        return None if s is None else self.observation.full_graph.node_labels([s])[0]

    def reveal_ids(self, activated_ids: ArrayLike) -> None:
        """Record activations (full-graph ids); non-observable ones are ignored."""
        if self._pending is not None:
            self._seeds.append(self._pending)
            self.state.reveal([self._pending])
            self._pending = None
        ids = np.asarray(activated_ids, dtype=np.int64)
        if ids.size:
            self.state.reveal(ids[self.observation.observable_mask[ids]])

    def reveal(self, activated: ArrayLike) -> None:
        """Record the nodes seen to activate (labels). The proposed seed counts as activated.

        (Named apart from :func:`~infmax.observability.observe`, which builds the
        :class:`Observation`; this reveals activations to the seeder's current view.)

        Labels outside the observable graph are ignored: the organisation cannot see them.
        """
        acts = list(activated) if not isinstance(activated, (str, bytes)) else [activated]
        ids = self.observation.full_graph.node_ids(acts, param="activated",
                                                    func="AdaptiveSeeder.reveal")
        self.reveal_ids(ids)


@dataclass(frozen=True)
class TrialResult:
    """One trial of one strategy in one hidden world.

    ``per_round[r]`` is the number of nodes of the full graph active after seed ``r + 1``
    (one-shot: after the first r + 1 seeds of the set); ``spread`` is the final count.
    """

    seeds: tuple
    seed_ids: np.ndarray
    per_round: tuple
    spread: int
    adaptive: bool
    timings: dict = field(default_factory=dict)


def _as_world(G, world, model, rng):
    if world is not None:
        return world
    from ..diffusion import sample_world

    return sample_world(G, model=model, rng=rng)


def run_trial(observation: Observation, world: LiveEdgeWorld, M: int, selector: Selector, *,
              adaptive: bool, rng: np.random.Generator) -> TrialResult:
    """Run one trial: the core driver (no validation).

    ``world.reach(seed_ids, removed=mask)`` gives the hidden cascade; ``selector`` is a
    Selector object.
    """
    G = observation.full_graph
    state = ObservableState(observation)
    active = np.zeros(G.n, dtype=bool)
    total = 0
    per_round: list[int] = []
    seeds: list[int] = []
    sw = Stopwatch()
    sw.add("select", 0.0)
    obs_mask = observation.observable_mask

    def activate(s):
        nonlocal total
        new = np.asarray(world.reach(np.array([s], dtype=np.int32), removed=active),
                         dtype=np.int64)
        active[new] = True
        total += int(new.shape[0])
        return new

    if adaptive:
        for _ in range(M):
            checkpoint()  # between rounds: Ctrl-C inside an interruptible section stops here
            with sw("select"):
                ids = selector.select(state, 1, rng)
            if len(ids) == 0:
                per_round.append(total)
                continue
            s = int(ids[0])
            seeds.append(s)
            new = activate(s)
            state.reveal(new[obs_mask[new]])
            state.reveal([s])
            per_round.append(total)
    else:
        with sw("select"):
            ids = [int(x) for x in selector.select(state, M, rng)]
        for s in ids:
            if not active[s]:
                activate(s)
            seeds.append(s)
            per_round.append(total)
        per_round += [total] * (M - len(per_round))
    sid = np.asarray(seeds, dtype=np.int32)
    sid.setflags(write=False)
    return TrialResult(tuple(G.node_labels(sid)), sid, tuple(per_round), total, adaptive,
                       sw.timings())


def _trial(func, observation, M, algorithm, bias, world, model, rng, adaptive, options):
    if not isinstance(observation, Observation):
        fail(func, "observation", "an Observation (from infmax.observability.observe)",
             type(observation).__name__)
    M = check(func, "M", M, Interval(int, 1, None))
    bias = _check_bias(func, bias)
    # the selector plans for the hidden world's model (a selector without `model` ignores it)
    selector = make_selector(algorithm, bias=bias, func=func, model=model, **options)
    gen = as_generator(rng, func=func)
    if world is None:
        world = _as_world(observation.full_graph, None, model, gen.spawn(1)[0])
    elif not hasattr(world, "reach"):
        fail(func, "world", "a live-edge world with a reach(seed_ids, removed) method",
             type(world).__name__)
    return run_trial(observation, world, M, selector, adaptive=adaptive, rng=gen)


def adaptive_trial(observation: Observation, M: int, *,
                   algorithm: str | Callable[..., SeedResult] | Selector = "degree",
                   bias: float | None = None, world: LiveEdgeWorld | None = None,
                   model: str | TriggeringModel = "ic", rng: RngLike = None,
                   **options: Any) -> TrialResult:
    """Adaptive seeding in one hidden live-edge world (Stein et al., Sec. V-B / VI).

    Per round: pick one seed with ``algorithm`` on the current observable graph; activate
    everything it reaches in ``world`` (nodes already active block nothing but are not counted
    twice); reveal the activations on observable nodes and remove them with their arcs; repeat
    until ``M`` seeds. ``per_round`` holds the number of active nodes of the *full* graph after
    each round.

    Parameters
    ----------
    observation : Observation
    M : int
        Number of seeds.
    algorithm : str or Selector
        ``"random"``, ``"degree"``, ``"imm"`` or a selector object.
    bias : float, optional
        Boundary weight w (None: plain).
    world : LiveEdgeWorld, optional
        The hidden world (from :func:`infmax.diffusion.sample_world`); drawn from ``rng`` when
        omitted.
    model : str
        Diffusion model of the drawn world (``"ic"``; weighted cascade = IC with WC weights).
    rng : seed or Generator
        Selector randomness (and the world's, when drawn here).

    Returns
    -------
    TrialResult

    Notes
    -----
    Cost: M selector calls; degree is O(arcs of O) per round; IMM rebuilds the current G'
    (O(m)) and runs with k = 1.
    """
    return _trial("adaptive_trial", observation, M, algorithm, bias, world, model, rng, True,
                  options)


def oneshot_trial(observation: Observation, M: int, *,
                  algorithm: str | Callable[..., SeedResult] | Selector = "degree",
                  bias: float | None = None, world: LiveEdgeWorld | None = None,
                  model: str | TriggeringModel = "ic", rng: RngLike = None,
                  **options: Any) -> TrialResult:
    """Pick M seeds at once on G' and score them in ``world`` (see :func:`adaptive_trial`)."""
    return _trial("oneshot_trial", observation, M, algorithm, bias, world, model, rng, False,
                  options)
