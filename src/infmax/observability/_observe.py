"""The organisation-partitioned observation model (Stein et al., Sec. III and VI-A)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from .._validation import Interval, check, check_graph, fail, plain
from ..exceptions import InvalidParameterError
from ..graph import DiGraph
from ..random import as_generator
from ._kernels import grow_members

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..random import RngLike

__all__ = ["Observation", "observe", "neighbor_csr"]

def neighbor_csr(G: DiGraph) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric, deduplicated neighbour CSR of ``G`` (u ~ v when u->v or v->u), cached.

    For an undirected graph (both arcs stored) this is the out-CSR itself. Computed once per
    graph (``DiGraph._memo``).
    """
    return G._memo("observability.neighbor_csr", lambda: _neighbor_csr(G))


def _neighbor_csr(G: DiGraph) -> tuple[np.ndarray, np.ndarray]:
    if not G.directed:
        return G.indptr, G.indices
    import scipy.sparse as sp

    n = G.n
    A = sp.csr_matrix((np.ones(G.m, dtype=np.int8), G.indices, G.indptr), shape=(n, n))
    S = (A + A.T).tocsr()
    S.sort_indices()
    indptr, indices = S.indptr.astype(np.int64), S.indices.astype(np.int32)
    for a in (indptr, indices):
        a.setflags(write=False)
    return indptr, indices


def _round_half_up(x: float) -> int:
    return int(np.floor(x + 0.5))


@dataclass(frozen=True, eq=False)
class Observation:
    r"""What an organisation sees of a network: its members O, the boundary, the graph G'.

    Build it with :func:`observe`. Node ids in ``member_ids`` / ``boundary_ids`` are ids of the
    full graph; :attr:`graph` (G') has its own ids but keeps the original labels, and
    :attr:`observable_ids` maps G' ids to full-graph ids (G' id ``i`` is full id
    ``observable_ids[i]``).

    Attributes
    ----------
    full_graph : DiGraph
        The underlying network G (hidden from the organisation; kept to score trials).
    member_ids : numpy.ndarray
        Full-graph ids of the fully observable set O (int64; in growth order when grown).
    boundary_ids : numpy.ndarray
        Full-graph ids of the boundary ``N(O) \ O`` (sorted).
    fraction : float
        ``|O| / n``.
    """

    full_graph: DiGraph
    member_ids: np.ndarray
    boundary_ids: np.ndarray
    fraction: float

    # -- masks over the full graph -------------------------------------------------------------
    @cached_property
    def member_mask(self) -> np.ndarray:
        m = np.zeros(self.full_graph.n, dtype=bool)
        m[self.member_ids] = True
        m.setflags(write=False)
        return m

    @cached_property
    def boundary_mask(self) -> np.ndarray:
        m = np.zeros(self.full_graph.n, dtype=bool)
        m[self.boundary_ids] = True
        m.setflags(write=False)
        return m

    @cached_property
    def observable_mask(self) -> np.ndarray:
        m = self.member_mask | self.boundary_mask
        m.setflags(write=False)
        return m

    @cached_property
    def observable_ids(self) -> np.ndarray:
        """Full-graph ids of the nodes of G' (ascending): G' id -> full id."""
        ids = np.flatnonzero(self.observable_mask)
        ids.setflags(write=False)
        return ids

    @cached_property
    def arc_mask(self) -> np.ndarray:
        """Arcs of the full graph (out-CSR order) that are in G': at least one end in O."""
        G = self.full_graph
        mm = self.member_mask
        a = mm[G.sources] | mm[G.indices]
        a.setflags(write=False)
        return a

    # -- labels --------------------------------------------------------------------------------
    @property
    def members(self) -> list:
        """Labels of O (growth order when grown, as given otherwise)."""
        return self.full_graph.node_labels(self.member_ids)

    @property
    def boundary(self) -> list:
        """Labels of the boundary nodes."""
        return self.full_graph.node_labels(self.boundary_ids)

    @property
    def n_members(self) -> int:
        return int(self.member_ids.shape[0])

    @property
    def n_boundary(self) -> int:
        return int(self.boundary_ids.shape[0])

    # -- the observable graph --------------------------------------------------------------------
    @cached_property
    def graph(self) -> DiGraph:
        """G': nodes O ∪ boundary and the arcs with at least one end in O.

        Original labels and probabilities (``w' ⊆ w``).
        """
        return self.full_graph.edge_subgraph(self.arc_mask, self.observable_ids)

    @cached_property
    def seed_mask(self) -> np.ndarray:
        """Bool mask over G' ids: True for members of O (the only nodes that may be seeds)."""
        m = self.member_mask[self.observable_ids]
        m.setflags(write=False)
        return m

    def node_weights(self, bias: float) -> np.ndarray:
        """Weights over G' ids: ``bias`` on boundary nodes, 1 on members (boundary bias)."""
        return np.where(self.boundary_mask[self.observable_ids], float(bias), 1.0)

    def __repr__(self) -> str:
        G = self.full_graph
        return (f"Observation(members={self.n_members:,} ({self.fraction:.2%} of {G.n:,}), "
                f"boundary={self.n_boundary:,}, observable arcs={int(self.arc_mask.sum()):,})")


def _boundary_of(G: DiGraph, member_mask: np.ndarray) -> np.ndarray:
    nptr, nbr = neighbor_csr(G)
    ids = np.flatnonzero(member_mask)
    starts, ends = nptr[ids], nptr[ids + 1]
    lens = ends - starts
    if lens.sum() == 0:
        return np.empty(0, dtype=np.int64)
    idx = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
    nb = nbr[idx]
    b = np.zeros(G.n, dtype=bool)
    b[nb] = True
    b &= ~member_mask
    return np.flatnonzero(b)


def observe(G: DiGraph, fraction: float | None = None, *, initial: int = 4, rng: RngLike = None,
            members: ArrayLike | None = None) -> Observation:
    r"""Draw (or take) an organisation O and return what it observes of ``G``.

    Implements the organisation-partitioned model of Stein et al. [1]_ (Sec. III, and the
    generator of Sec. VI-A):

    - **O** (fully observable nodes, the only possible seeds) grows from ``initial`` distinct
      nodes drawn uniformly at random. Each further step adds one node: a member is drawn
      uniformly among the members that still have a neighbour outside O, then one of its
      outside neighbours uniformly; when *no* member has an outside neighbour (O is a union of
      whole components) a uniformly random non-member is added. Growth stops at
      ``|O| = round(fraction * n)`` (half rounds up).
    - **boundary** = ``N(O) \ O``: nodes outside O adjacent to a member **in either
      direction** (u -> v or v -> u). The paper's graphs are undirected, where the two readings
      agree; for directed graphs either direction is a relationship the member can see.
    - **G'** (:attr:`Observation.graph`): nodes ``O ∪ boundary``, every arc of G with at least
      one end in O, original labels and probabilities.

    Parameters
    ----------
    G : DiGraph
        The full network.
    fraction : float in (0, 1], optional
        Target ``|O| / n``. Required unless ``members`` is given.
    initial : int, default 4
        Number of uniformly random starting members (the paper uses 4). When it exceeds the
        target size, the target size is used.
    rng : None, int, SeedSequence or Generator
        Randomness of the growth.
    members : iterable of labels, optional
        A given member set O (real organisations know their members); ``fraction`` must then be
        omitted. Duplicates are ignored.

    Returns
    -------
    Observation

    Notes
    -----
    Interpretation of "when no such neighbours exist" (paper, Sec. VI-A): a random member
    without outside neighbours is redrawn, so a random node is added only when no member has an
    outside neighbour. Drawing a random member and retrying is the same
    distribution as drawing among the frontier members, which the kernel does in O(degree) per
    step (numba; total O(n + m)). Complexity of building G' is O(m).

    See Also
    --------
    infmax.observability.benchmark : the paper's visibility sweep over this model.
    infmax.observability.AdaptiveSeeder : seeds chosen one at a time on the observable graph.

    References
    ----------
    .. [1] S. Stein, S. Eshghi, S. Maghsudi, L. Tassiulas, R. K. E. Bellamy and
       N. R. Jennings, "Influence Maximisation beyond Organisational Boundaries" (the text
       the method follows; its venue is not part of that text).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 1, 2, 3], [1, 2, 3, 4], directed=False, weights="wc")
    >>> obs = im.observe(G, 0.4, initial=1, rng=3)
    >>> obs.n_members, sorted(obs.members + obs.boundary) == sorted(obs.graph.labels.tolist())
    (2, True)
    """
    func = "observe"
    check_graph(func, G)
    initial = check(func, "initial", initial, Interval(int, 1, None))
    n = G.n
    if members is not None:
        if fraction is not None:
            raise InvalidParameterError(
                f"The 'fraction' parameter of {func} must be None when 'members' is given. "
                f"Got {plain(fraction)!r}.", param="fraction", value=fraction)
        if isinstance(members, (str, bytes)):
            members = [members]
        ids = G.node_ids(list(members), param="members", func=func).astype(np.int64)
        _, first = np.unique(ids, return_index=True)
        ids = ids[np.sort(first)]
        if ids.shape[0] == 0:
            fail(func, "members", "a non-empty collection of node labels", [])
    else:
        if fraction is None:
            raise InvalidParameterError(
                f"The 'fraction' parameter of {func} must be a float in (0, 1] (or give "
                f"'members'). Got None.", param="fraction", value=None)
        fraction = check(func, "fraction", fraction, Interval(float, 0, 1, closed="right"))
        target = _round_half_up(fraction * n)
        if target < 1:
            fail(func, "fraction", f"at least 1/(2n) = {1 / (2 * n):.3g} so that O is not "
                 f"empty (n = {n:,})", fraction)
        seed = int(as_generator(rng, func=func).integers(0, 2**63, dtype=np.int64))
        if target == n:
            ids = np.arange(n, dtype=np.int64)
        else:
            nptr, nbr = neighbor_csr(G)
            ids = grow_members(nptr, nbr, target, min(initial, target), np.uint64(seed))
    member_mask = np.zeros(n, dtype=bool)
    member_mask[ids] = True
    boundary = _boundary_of(G, member_mask)
    for a in (ids, boundary):
        a.setflags(write=False)
    return Observation(G, ids, boundary, ids.shape[0] / n)
