"""One meaning of ``rng`` everywhere (issue 9, item 9): every public function accepts None, an
int, a SeedSequence and a Generator through :func:`infmax.random.as_generator`, and an int ``n``,
``SeedSequence(n)`` and a fresh ``Generator(PCG64(n))`` give identical results."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import infmax as im
from infmax.exceptions import InvalidParameterError
from infmax.random import as_generator, block_seeds, spawn


@pytest.fixture(scope="module")
def G():
    return im.datasets.erdos_renyi(40, 0.1, rng=5, weights="uniform:0.3")


@pytest.fixture(scope="module")
def TG():
    rng = np.random.default_rng(2)
    s, d = rng.integers(0, 12, 200), rng.integers(0, 12, 200)
    return im.TemporalGraph.from_events(s, d, np.sort(rng.uniform(0, 100, 200)), snapshots=4)


def _edgefile(tmp_path_factory):
    f = tmp_path_factory.mktemp("rng") / "g.txt"
    f.write_text("".join(f"{i} {(i * 7 + 3) % 30}\n" for i in range(30)))
    return f


def _adjfile(tmp_path_factory):
    f = tmp_path_factory.mktemp("rng") / "a.txt"
    f.write_text("".join(f"{i}:{(i + 1) % 20},{(i * 3) % 20}\n" for i in range(20)))
    return f


S = np.arange(30)
T = (S * 7 + 3) % 30
# name -> (needs, call(rng) -> comparable value)
CASES = {
    "read_edgelist": ("file", lambda r, x: im.read_edgelist(x, weights="trivalency",
                                                            rng=r).probs),
    "read_adjacency_list": ("adj", lambda r, x: im.graph.read_adjacency_list(
        x, weights="trivalency", rng=r).probs),
    "from_edges": (None, lambda r, x: im.from_edges(S, T, weights="trivalency", rng=r).probs),
    "from_networkx": (None, lambda r, x: im.from_networkx(
        nx.cycle_graph(12), weights="trivalency", rng=r).probs),
    "from_pandas": (None, lambda r, x: im.from_pandas(
        pd.DataFrame({"source": S, "target": T}), weights="trivalency", rng=r).probs),
    "from_scipy": (None, lambda r, x: im.from_scipy(
        np.eye(6, k=1), weights="trivalency", rng=r).probs),
    "apply_weights": ("G", lambda r, x: im.apply_weights(x, "trivalency", rng=r).probs),
    "erdos_renyi": (None, lambda r, x: im.datasets.erdos_renyi(30, 0.2, rng=r).indices),
    "barabasi_albert": (None, lambda r, x: im.datasets.barabasi_albert(30, 2, rng=r).indices),
    "stochastic_block": (None, lambda r, x: im.datasets.stochastic_block(
        [10, 10], [[0.5, 0.1], [0.1, 0.5]], rng=r).indices),
    "spread": ("G", lambda r, x: im.spread(x, [0, 1], n_simulations=300, rng=r).mean),
    "simulate": ("G", lambda r, x: im.simulate(x, [0, 1], rng=r).ids),
    "sample_world": ("G", lambda r, x: im.sample_world(x, rng=r).reach([0])),
    "sample_rr_sets": ("G", lambda r, x: im.sample_rr_sets(x, 200, rng=r).nodes),
    "random_seeds": ("G", lambda r, x: im.random_seeds(x, 5, rng=r).seeds),
    "imm": ("G", lambda r, x: im.imm(x, 3, epsilon=0.5, rng=r).seeds),
    "celf": ("G", lambda r, x: im.celf(x, 2, n_simulations=50, rng=r).seeds),
    "observe": ("G", lambda r, x: im.observe(x, 0.5, initial=2, rng=r).observable_ids),
    "si_spread": ("TG", lambda r, x: im.temporal.si_spread(x, [0, 1], beta=0.3,
                                                           n_simulations=200, rng=r).mean),
    "temporal.select": ("TG", lambda r, x: im.temporal.select(x, 2, algorithm="random", beta=0.1,
                                                              rng=r).seeds),
    "spawn": (None, lambda r, x: [g.integers(0, 2**62) for g in spawn(r, 3, func="spawn")]),
    "block_seeds": (None, lambda r, x: block_seeds(r, 4, func="block_seeds")),
    "spread_ids": ("G", lambda r, x: im.diffusion.spread_ids(x, [0, 1], n_simulations=300,
                                                             rng=r).mean),
}
# functions whose bad-rng error names the wrong function (fixes in files this branch does not
# own: see the branch report); strict, so the marks must go when they are fixed
WRONG_NAME = {
}


@pytest.fixture(scope="module")
def inputs(G, TG, tmp_path_factory):
    return {"G": G, "TG": TG, "file": _edgefile(tmp_path_factory),
            "adj": _adjfile(tmp_path_factory), None: None}


def _value(v):
    v = getattr(v, "seeds", v)
    if hasattr(v, "tolist"):
        return v.tolist()
    return v


@pytest.mark.parametrize("name", sorted(CASES))
def test_int_seedsequence_and_generator_mean_the_same(name, inputs):
    needs, call = CASES[name]
    x = inputs[needs]
    ref = _value(call(11, x))
    assert _value(call(np.int64(11), x)) == ref
    assert _value(call(np.random.SeedSequence(11), x)) == ref
    assert _value(call(np.random.Generator(np.random.PCG64(11)), x)) == ref
    assert _value(call(np.random.default_rng(11), x)) == ref
    call(None, x)   # fresh entropy: accepted


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=WRONG_NAME[n]))
    if n in WRONG_NAME else n for n in sorted(CASES)])
@pytest.mark.parametrize("bad", [-1, 1.5, "7", True, np.bool_(True), np.random.RandomState(1)])
def test_bad_rng_is_an_error_naming_the_function(name, inputs, bad):
    needs, call = CASES[name]
    func = name.split(".")[-1]
    with pytest.raises(InvalidParameterError, match=f"The 'rng' parameter of [a-z._]*{func}\\b"
                       ) as e:
        call(bad, inputs[needs])
    assert e.value.param == "rng"


def test_a_generator_is_used_as_is_and_advanced():
    g = np.random.default_rng(3)
    assert as_generator(g) is g
    a = block_seeds(g, 2)
    b = block_seeds(g, 2)
    assert not np.array_equal(a, b)


def test_block_seeds_and_spawn_name_the_caller():
    with pytest.raises(InvalidParameterError, match="The 'rng' parameter of imm"):
        block_seeds("x", 2, func="imm")
    with pytest.raises(InvalidParameterError, match="The 'rng' parameter of bopim"):
        spawn(-3, 2, func="bopim")


def test_error_message_prints_plain_values():
    with pytest.raises(InvalidParameterError) as e:
        as_generator(np.int64(-2), func="spread")
    assert "Got -2." in str(e.value) and "np.int64" not in str(e.value)
