"""The one selector registry: lookup, aliases, errors, registration, lazy loading, and its
readers (temporal.select, observability.make_selector)."""

from __future__ import annotations

import inspect
import subprocess
import sys

import numpy as np
import pytest

import infmax as im
import infmax.algorithms
from infmax.algorithms import registry
from infmax.exceptions import InvalidParameterError
from infmax.graph.temporal import TemporalGraph
from infmax.observability import (
    SELECTORS,
    DegreeSelector,
    EngineSelector,
    ObservableState,
    RandomSelector,
    make_selector,
    observe,
    oneshot_trial,
)


# -- lookup ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, canonical", [
    ("TIM+", "tim+"), ("tim_plus", "tim+"), ("celfpp", "celf++"), ("Degree_Discount",
                                                                    "degree-discount"),
    ("k-core", "kcore"), (" imm ", "imm"), ("opimc", "opim-c")])
def test_aliases_and_case(name, canonical):
    info = registry.get(name)
    assert info.name == canonical
    assert registry.get_selector(name) is info.func


def test_static_and_temporal_names_are_separate():
    assert registry.get("greedy").func is im.algorithms.greedy
    # the BOPIM paper's "greedy" is CELF over the SI oracle: registered as "celf", alias greedy
    assert registry.get("greedy", input="temporal").func is im.temporal.celf
    assert registry.get("celf", input="temporal").func is im.temporal.celf
    assert registry.get("celf").func is im.algorithms.celf
    assert not hasattr(im.temporal, "greedy")
    assert registry.get("random", input="temporal").func is im.temporal.random_seeds


@pytest.mark.parametrize("input, valid, other", [
    ("graph", ("'imm'", "'degree-discount'", "'celf++'"), "'bopim'"),
    ("temporal", ("'bopim'", "'dynamic-degree'", "'random-degree'"), "'imm'")])
def test_unknown_name_lists_the_names_of_that_input_kind(input, valid, other):
    with pytest.raises(InvalidParameterError) as ei:
        registry.get("nosuch", input=input, func="infmax seeds")
    msg = str(ei.value)
    assert msg.startswith("The 'algorithm' parameter of infmax seeds must be one of ")
    assert msg.endswith("Got 'nosuch'.")
    assert all(v in msg for v in valid) and other not in msg
    assert ei.value.param == "algorithm"


def test_bad_input_kind_and_no_providers():
    with pytest.raises(InvalidParameterError, match="'input'.*'graph', 'temporal', 'cascades'"):
        registry.get("imm", input="static")
    with pytest.raises(InvalidParameterError, match="must be one of 'iminfector', .*Got "
                                                    "'infector'"):
        registry.get("infector", input="cascades")
    with pytest.raises(InvalidParameterError, match="'algorithm'.*Got 3"):
        registry.get(3)


def test_metadata_matches_signatures():
    for info in registry.selectors():
        params = inspect.signature(info.func).parameters
        assert list(params)[:2] in (["G", "k"], ["TG", "k"], ["cascades", "k"]), info.name
        assert info.candidates == ("candidates" in params)
        assert info.node_weights == ("node_weights" in params)
        # a selector lists models iff it takes a model (temporal ones assume SI)
        if info.input == "graph":
            assert bool(info.models) == ("model" in params), info.name
        elif info.input == "temporal":
            assert info.models == ("si",)
        else:   # learned from cascades: no diffusion model
            assert info.models == (), info.name
        for kw in info.test_kwargs:
            assert kw in params, (info.name, kw)
        d = info.to_dict()
        assert d["name"] == info.name and d["function"].startswith("infmax.")
        assert d["summary"]


def test_every_static_selector_is_public_in_its_package():
    """Each package's public names and the registry cannot drift apart (the engine's
    selectors in ``infmax.algorithms``, ADITUM in ``infmax.targeted``, ...)."""
    import importlib

    for info in registry.selectors("graph"):
        pkg = importlib.import_module(info.func.__module__.rpartition(".")[0])
        assert getattr(pkg, info.func.__name__) is info.func, info.name
        assert info.func.__name__ in pkg.__all__, info.name
    engine = [i for i in registry.selectors("graph") if i.func.__module__.startswith(
        "infmax.algorithms.")]
    assert len(engine) >= 12
    for info in engine:
        assert getattr(infmax.algorithms, info.func.__name__) is info.func


# -- registration ----------------------------------------------------------------------------
def _toy(G, k, *, candidates=None, rng=None):
    """Toy selector for the registration tests."""
    return im.algorithms.degree(G, k, candidates=candidates, rng=rng)


def _toy2(G, k, *, rng=None):
    """Another toy."""
    return im.algorithms.degree(G, k, rng=rng)


@pytest.fixture
def toy():
    info = registry.register(_toy, name="Toy", aliases=("toy_sel",))
    yield info
    registry._ENTRIES.pop(("graph", "toy"), None)
    registry._ALIASES.pop(("graph", "toy_sel"), None)


def test_register_and_lookup(toy):
    assert toy.name == "toy" and toy.candidates and not toy.node_weights
    assert toy.summary == "Toy selector for the registration tests."
    assert registry.get("TOY_SEL") is toy
    assert "toy" in registry.names("graph") and "toy" not in registry.names("temporal")
    assert registry.register(_toy, name="toy", aliases=("toy_sel",)) is toy  # idempotent
    # observability picks it up: it takes candidates
    assert "toy" in SELECTORS
    assert isinstance(make_selector("toy"), EngineSelector)


def test_register_refuses_taken_names(toy):
    with pytest.raises(InvalidParameterError, match="'name'.*'toy' belongs to 'toy'"):
        registry.register(_toy2, name="toy")
    with pytest.raises(InvalidParameterError, match="'celf\\+\\+'.*Got 'celfpp'"):
        registry.register(_toy2, name="other", aliases=("celfpp",))
    with pytest.raises(InvalidParameterError, match="'func'"):
        registry.register("not callable", name="x")
    info = registry.register(_toy2, name="toy", replace=True)
    assert registry.get("toy").func is _toy2 and not info.candidates
    assert "toy" not in SELECTORS  # no candidates: not usable on the observable graph


def test_optional_packages_load_lazily():
    """Importing infmax.algorithms and looking up static selectors imports neither temporal
    nor observability nor torch, dask or matplotlib; a temporal lookup imports temporal."""
    code = (
        "import sys\n"
        "from infmax.algorithms import registry\n"
        "registry.get('imm'); registry.names('graph')\n"
        "bad = [m for m in ('infmax.temporal', 'infmax.observability', 'torch', 'dask',\n"
        "       'matplotlib') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "registry.get('bopim', input='temporal')\n"
        "assert 'infmax.temporal' in sys.modules\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


# -- temporal.select reads the registry -------------------------------------------------------
@pytest.fixture(scope="module")
def TG():
    rng = np.random.default_rng(2)
    s, d = rng.integers(0, 12, 80), rng.integers(0, 12, 80)
    keep = s != d
    return TemporalGraph.from_events(s[keep], d[keep], rng.uniform(0, 30, int(keep.sum())),
                                     snapshots=3)


def test_temporal_select_aliases_and_options(TG):
    a = im.temporal.select(TG, 3, algorithm="Dynamic_Degree", beta=0.2)
    assert a.seeds == im.temporal.dynamic_degree(TG, 3, beta=0.2).seeds
    b = im.temporal.select(TG, 2, algorithm="greedy", beta=0.2, rng=4, n_simulations=30)
    assert b.seeds == im.temporal.celf(TG, 2, beta=0.2, rng=4, n_simulations=30).seeds
    # an option the selector does not take is an error, not silently dropped
    with pytest.raises(InvalidParameterError, match="'n_initial' parameter of select.*celf"):
        im.temporal.select(TG, 2, algorithm="greedy", beta=0.2, n_initial=3)
    with pytest.raises(InvalidParameterError, match="'algorithm'.*'random-degree'.*Got 'imm'"):
        im.temporal.select(TG, 2, algorithm="imm", beta=0.2)
    # the CLI's names: the registry's, plus the paper's "greedy" (alias of the temporal celf)
    assert im.temporal.ALGORITHMS == (*registry.names("temporal"), "greedy")


# -- observability reads the registry ----------------------------------------------------------
def _ic_lt_graph():
    """Node 0 reaches x1..x4 surely; each of t5, t6, t7 has the four x's as in-neighbours with
    weight 1/4: spread of {0} is 5 + 3 (1 - 0.75^4) = 7.05 under IC, 8 under LT. Node 8
    reaches six nodes surely and one w.p. 1/2: spread 7.5 under both. So the best single seed
    is 8 under IC and 0 under LT."""
    xs = (1, 2, 3, 4)
    src = [0] * 4 + [x for x in xs for _ in range(3)] + [8] * 7
    dst = list(xs) + [t for _ in xs for t in (5, 6, 7)] + list(range(9, 16))
    p = [1.0] * 4 + [0.25] * 12 + [1.0] * 6 + [0.5]
    return im.graph.from_edges(src, dst, p, weights="file")


@pytest.mark.parametrize("model, best", [("ic", 8), ("lt", 0)])
def test_imm_selector_follows_the_model(model, best):
    """Regression (issue 8, A8): the IMM selector was hard-wired to model="ic"."""
    G = _ic_lt_graph()
    for m, want in (("ic", 7.05), ("lt", 8.0)):
        assert abs(im.spread(G, [0], model=m, n_simulations=20_000, rng=1).mean - want) < 0.05
    obs = observe(G, members=list(range(G.n)))
    picks = set()
    for seed in range(5):
        sel = make_selector("imm", model=model, epsilon=0.1, n_threads=1)
        assert sel.options["model"] == model
        picks.add(int(sel.select(ObservableState(obs), 1, np.random.default_rng(seed))[0]))
    assert picks == {best}


def test_oneshot_trial_imm_follows_the_world_model():
    G = _ic_lt_graph()
    obs = observe(G, members=list(range(G.n)))
    res = oneshot_trial(obs, 1, algorithm="imm", model="lt", rng=3, epsilon=0.1, n_threads=1)
    assert res.seeds == (0,)


def test_make_selector_resolves_through_the_registry():
    assert {"random", "degree", "imm", "tim+", "opim-c", "pagerank", "celf"} <= set(SELECTORS)
    assert isinstance(make_selector("random"), RandomSelector)
    assert isinstance(make_selector("Out-Degree", bias=2.0), DegreeSelector)
    sel = make_selector("TIM_PLUS", bias=2.0, epsilon=0.3, ell=1.0, n_threads=1, p=0.1)
    assert sel.name == "tim+" and sel.weight_keyword == "node_weights"
    assert sel.options == {"epsilon": 0.3, "ell": 1.0, "n_threads": 1}  # p: not tim+'s
    assert make_selector("imm").options == {"epsilon": 0.5}  # the paper's setting
    pr = make_selector("pagerank", epsilon=0.5)
    assert pr.weight_keyword is None and pr.options == {}
    with pytest.raises(InvalidParameterError, match="'bias' parameter.*'pagerank'.*Got 2.0"):
        make_selector("pagerank", bias=2.0)
    with pytest.raises(InvalidParameterError, match="'algorithm' parameter.*'imm'.*Got 'bopim'"):
        make_selector("bopim")


def test_engine_selector_by_registry_name():
    G = im.graph.from_edges([0, 0, 0, 4, 4], [1, 2, 3, 5, 6], directed=False, weights="wc")
    st = ObservableState(observe(G, members=[0, 4, 5]))
    sel = EngineSelector("degree-discount")
    assert sel.name == "degree-discount" and sel.fn is im.algorithms.degree_discount
    assert sel.select(st, 1, np.random.default_rng(0)).tolist() == [0]
    with pytest.raises(InvalidParameterError, match="'fn' parameter of EngineSelector"):
        EngineSelector("nosuch")


# -- infmax algorithms list ------------------------------------------------------------------
def _algorithms_cli(argv):
    from infmax.cli import _algorithms
    from infmax.cli._main import _Parser

    parser = _Parser(prog="infmax algorithms")
    _algorithms.add_arguments(parser)
    return _algorithms.run(parser.parse_args(argv))


def test_algorithms_list_json():
    rec = _algorithms_cli(["list", "--json"])
    rows = {(r["input"], r["name"]): r for r in rec["algorithms"]}
    assert set(rows) == {(i.input, i.name) for i in registry.selectors()}
    imm = rows[("graph", "imm")]
    assert imm["models"] == ["ic", "lt", "triggering"]
    assert imm["candidates"] and imm["node_weights"]
    assert imm["function"] == "infmax.algorithms.imm.imm"
    assert rows[("graph", "pagerank")]["models"] == [] and not rows[("graph", "pagerank")][
        "node_weights"]
    assert rows[("temporal", "bopim")]["models"] == ["si"]
    only = _algorithms_cli(["list", "--input", "temporal", "--json"])["algorithms"]
    assert [r["name"] for r in only] == registry.names("temporal")


def test_algorithms_list_table(capsys):
    assert _algorithms_cli(["list", "--input", "graph"]) is None
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["name", "input", "models", "candidates", "node_weights",
                                "aliases"]
    assert len(lines) == 1 + len(registry.names("graph"))
    tim = next(r for r in lines if r.startswith("tim+ "))
    assert tim.split() == ["tim+", "graph", "ic,lt,triggering", "yes", "yes",
                           "tim_plus,timplus"]
    from infmax.cli._main import UsageError

    with pytest.raises(UsageError, match="--input"):
        _algorithms_cli(["list", "--input", "static"])


def test_listing_order_does_not_depend_on_import_order():
    # a package registering before the built-ins used to list its selectors first
    code = ("import infmax.targeted\nfrom infmax.algorithms import registry\n"
            "print(registry.names('graph')[:2])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['degree', 'single-discount']"
