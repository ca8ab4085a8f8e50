"""DiGraph._memo: the one way other modules cache values derived from an immutable graph."""

from __future__ import annotations

import numpy as np
import pytest

import infmax as im
from infmax.observability import _observe, neighbor_csr


def _graph():
    return im.graph.from_edges([0, 0, 1, 2], [1, 2, 2, 0], weights=0.5)


def test_memo_computes_once_per_graph():
    G = _graph()
    calls = []
    make = lambda: calls.append(1) or np.arange(3)  # noqa: E731
    a = G._memo("test.value", make)
    assert G._memo("test.value", make) is a and calls == [1]
    H = G.reweight(0.2)  # same topology, new graph: its own memo
    assert H._memo("test.value", make) is not a and calls == [1, 1]
    with pytest.raises(AttributeError, match="immutable"):
        G.foo = 1


def test_engine_modules_cache_only_through_memo():
    G = _graph()
    im.spread(G, [0], n_simulations=64, rng=0)
    im.spread(G, [0], model="lt", n_simulations=64, rng=0)
    neighbor_csr(G)
    own = {k for k in vars(G) if not k.startswith(("diffusion.", "observability."))}
    # nothing written under ad-hoc attribute names (the cached_property values of DiGraph
    # itself are its own business)
    assert not {k for k in own if k.startswith("_infmax")}
    assert {"diffusion.ic_thresholds", "diffusion.lt_weights",
            "observability.neighbor_csr"} <= set(vars(G))
    assert not hasattr(_observe, "_NBR_CACHE")  # no side table keyed on the graph's internals


def test_neighbor_csr_is_symmetric_and_read_only():
    G = _graph()
    ptr, nbr = neighbor_csr(G)
    assert neighbor_csr(G)[1] is nbr
    pairs = {(u, int(v)) for u in range(G.n) for v in nbr[ptr[u]:ptr[u + 1]]}
    assert pairs == {(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)}
    assert not nbr.flags.writeable


def test_rr_tables_are_memoised_on_the_graph_and_the_model():
    import infmax as im
    from infmax.sampling import sample_rr_sets

    G = im.from_edges([0, 1, 2], [1, 2, 0], weights=0.5)
    sample_rr_sets(G, 10, rng=0)
    assert "sampling.rr_arrays.ic" in object.__getattribute__(G, "__dict__")
    T = im.TriggeringModel.ic(G)
    sample_rr_sets(G, 10, model=T, rng=0)
    first = T._memo("sampling.rr_arrays", lambda: None)
    sample_rr_sets(G, 10, model=T, rng=1)
    assert T._memo("sampling.rr_arrays", lambda: None) is first is not None
