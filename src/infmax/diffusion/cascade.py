"""One cascade with activation steps: :func:`simulate`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._kernels import forward as _fw
from .._validation import check_graph
from ..random import as_generator
from .models import model_name, resolve_model
from .montecarlo import _ro, _seed_ids, kernel_args

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph
    from ..random import RngLike
    from .models import TriggeringModel

__all__ = ["Cascade", "simulate"]


@dataclass(frozen=True, eq=False)
class Cascade:
    """The outcome of one simulated cascade.

    Attributes
    ----------
    labels : tuple
        Activated nodes (original labels) in activation order, seeds first.
    ids : numpy.ndarray of int32
        The same nodes as internal ids.
    steps : numpy.ndarray of int32
        Activation step of each node (seeds 0; a node activated by a step-t node has step t+1).
    model : str
    """

    labels: tuple
    ids: np.ndarray
    steps: np.ndarray
    model: str = "ic"

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @property
    def size(self) -> int:
        """Number of activated nodes (seeds included)."""
        return len(self)

    @property
    def n_steps(self) -> int:
        """Last activation step (0 when only the seeds are active)."""
        return int(self.steps.max()) if self.steps.shape[0] else 0

    def by_step(self) -> list[list]:
        """Labels activated at step 0, 1, ..."""
        out: list[list] = [[] for _ in range(self.n_steps + 1)] if len(self) else []
        for lab, s in zip(self.labels, self.steps.tolist()):
            out[s].append(lab)
        return out

    def to_dict(self) -> dict:
        """Return a JSON-able dict: model, size, number of steps, labels and their steps."""
        from ..results import to_jsonable

        return {"model": self.model, "size": self.size, "n_steps": self.n_steps,
                "labels": to_jsonable(list(self.labels)), "steps": self.steps.tolist()}


def simulate(G: DiGraph, seeds: ArrayLike, *, model: str | TriggeringModel = "ic",
             rng: RngLike = None) -> Cascade:
    """Simulate one cascade from ``seeds`` (labels); activated nodes with their steps.

    Uses the same kernels (and coin order) as :func:`infmax.spread`; O(arcs scanned).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges(["a", "b"], ["b", "c"], directed=True, weights=1.0)
    >>> c = im.simulate(G, ["a"], rng=0)
    >>> c.labels, c.steps.tolist()
    (('a', 'b', 'c'), [0, 1, 2])
    """
    func = "simulate"
    check_graph(func, G)
    m = resolve_model(model, G, func=func)
    ids = _seed_ids(G, seeds, func)
    seed = np.uint64(as_generator(rng, func=func).integers(0, 2**63, dtype=np.int64))
    order, steps = _fw.single_cascade(kernel_args(G, m), _ro(ids, np.int32), seed)
    order.setflags(write=False)
    steps.setflags(write=False)
    return Cascade(tuple(G.node_labels(order)), order, steps, model_name(m))
