"""The pieces IMM, TIM+ and OPIM-C share (infmax.algorithms._ris), the RR-set estimate from a
known coverage, and the rule that these modules read no other object's private attributes."""

import ast
import math
from pathlib import Path

import numpy as np
import pytest

import infmax as im
from infmax.algorithms._ris import log_comb, martingale_factor, ris_setup, sets_needed
from infmax.exceptions import InvalidParameterError
from infmax.sampling import RRSets, sample_rr_sets

SRC = Path(__file__).resolve().parents[2] / "src" / "infmax"
E1 = 1.0 - 1.0 / math.e


def small_graph():
    g = np.random.default_rng(2)
    src, dst = g.integers(0, 60, 240), g.integers(0, 60, 240)
    keep = src != dst
    return im.graph.from_edges(src[keep], dst[keep], directed=True, weights="wc",
                               nodes=range(60))


# -- formulas -----------------------------------------------------------------------------------

def test_imm_lambda_star_is_the_papers_formula():
    """lambda* = 2n((1-1/e) alpha + beta)^2 / eps^2 (Tang, Shi, Xiao 2015, Eq. 6), with
    ell raised to ell (1 + ln 2 / ln n); theta = ceil(lambda* / LB)."""
    G = small_graph()
    n, k, eps, ell = G.n, 3, 0.3, 1.0
    res = im.imm(G, k, epsilon=eps, ell=ell, rng=1, final="fresh")
    ell_ = ell * (1 + math.log(2) / math.log(n))
    lnc = math.log(math.comb(n, k))
    alpha = math.sqrt(ell_ * math.log(n) + math.log(2))
    beta = math.sqrt(E1 * (lnc + ell_ * math.log(n) + math.log(2)))
    lam = 2 * n * (E1 * alpha + beta) ** 2 / eps ** 2
    rec = res.record
    assert rec["ell_effective"] == pytest.approx(ell_, rel=1e-14)
    assert rec["lambda_star"] == pytest.approx(lam, rel=1e-12)
    assert rec["theta_required"] == math.ceil(rec["lambda_star"] / rec["lb"])
    assert rec["theta"] == rec["theta_required"]


def test_opim_theta_max_is_the_papers_formula():
    """theta_max = 2n((1-1/e) sqrt(ln 6/delta) + sqrt((1-1/e)(ln C(n,k) + ln 6/delta)))^2
    / (eps^2 k) with delta = n^-ell (Tang, Tang, Xiao, Yuan 2018; LB0 = k, uniform roots)."""
    G = small_graph()
    n, k, eps = G.n, 2, 0.3
    res = im.opim_c(G, k, epsilon=eps, rng=1)
    l6 = math.log(6 / n ** -1.0)
    lnc = math.log(math.comb(n, k))
    want = 2 * n * (E1 * math.sqrt(l6) + math.sqrt(E1 * (lnc + l6))) ** 2 / (eps ** 2 * k)
    assert res.record["theta_max"] == pytest.approx(want, rel=1e-12)


def test_tim_ell_has_three_failure_events():
    G = small_graph()
    res = im.tim_plus(G, 2, epsilon=0.4, ell=1.5, rng=1)
    assert res.record["ell_effective"] == pytest.approx(1.5 * (1 + math.log(3) / math.log(G.n)),
                                                        rel=1e-14)


def test_martingale_factor_adds_the_terms_after_ln_c():
    lnc, a, b = 7.25, 3.5, math.log(2.0)
    assert martingale_factor(lnc, a, b) == E1 * math.sqrt(a + b) + math.sqrt(E1 * (lnc + a + b))
    assert martingale_factor(lnc, a) == E1 * math.sqrt(a) + math.sqrt(E1 * (lnc + a))
    assert log_comb(10, 3) == pytest.approx(math.log(120), rel=1e-14)
    assert log_comb(5, 5) == pytest.approx(0.0, abs=1e-12)
    assert sets_needed(10.0, 4.0) == 3 and sets_needed(8.0, 4.0) == 2


def test_setup_holds_the_run_pieces():
    G = small_graph()
    mask = np.zeros(G.n, bool)
    mask[:10] = True
    st = ris_setup("imm", G, 3, name="imm", model="ic", epsilon=0.2, ell=1.0,
                   node_weights=None, candidates=mask, rng=5, n_threads=None, max_memory=None,
                   progress=False)
    assert (st.k, st.n_cand, st.L, st.lb0) == (3, 10, float(G.n), 3.0)
    assert st.lnc == pytest.approx(math.log(math.comb(10, 3)), rel=1e-14)
    assert st.ln_n == pytest.approx(math.log(G.n))
    assert st.cand_u8.dtype == np.uint8 and st.cand_u8.sum() == 10
    a, b = st.rr_sets(), st.rr_sets()
    a.add(50)
    b.add(50)   # one generator: the second store continues the stream
    assert not np.array_equal(a.roots, b.roots)
    cov = st.select(a)
    assert set(cov.seed_ids.tolist()) <= set(range(10)) and len(cov.seed_ids) == 3
    with pytest.raises(InvalidParameterError, match="epsilon"):
        ris_setup("imm", G, 3, name="imm", model="ic", epsilon=1.5, ell=1.0, node_weights=None,
                  candidates=None, rng=5, n_threads=None, max_memory=None, progress=False)


def test_results_share_params_and_spread():
    G = small_graph()
    common = ["k", "model", "epsilon", "ell", "node_weights", "candidates"]
    tail = ["n_threads", "max_memory"]
    for f, name, extra in ((im.imm, "imm", ["final"]), (im.tim_plus, "tim+", []),
                           (im.opim_c, "opim-c", [])):
        res = f(G, 2, epsilon=0.4, candidates=list(range(20)), rng=3)
        assert res.algorithm == name
        assert list(res.params) == common + extra + tail
        assert res.params["candidates"] == list(range(20))
        assert res.spread == res.record["spread_estimate"]
        assert res.spread_stderr == res.record["spread_stderr"]
        assert "total" in res.timings


# -- RRSets.estimate_from_coverage --------------------------------------------------------------

def test_estimate_from_coverage_equals_estimate():
    G = small_graph()
    w = np.linspace(0.0, 2.0, G.n)
    for kw in ({}, {"node_weights": w}):
        R = sample_rr_sets(G, 3000, rng=4, **kw)
        S = G.node_ids([0, 5, 9])
        a, b = R.estimate(S), R.estimate_from_coverage(R.coverage(S))
        assert (a.mean, a.stderr, a.ci95, a.n_simulations) == \
            (b.mean, b.stderr, b.ci95, b.n_simulations)
        full = R.estimate_from_coverage(R.n_sets)
        assert full.mean == R.L and full.stderr == 0.0
        assert R.estimate_from_coverage(0).mean == 0.0


@pytest.mark.parametrize("bad", [-1, 3001, 2.5, "7"])
def test_estimate_from_coverage_rejects_bad_counts(bad):
    R = sample_rr_sets(small_graph(), 3000, rng=4)
    with pytest.raises(InvalidParameterError, match="covered") as e:
        R.estimate_from_coverage(bad)
    assert str(bad) in str(e.value)


def test_estimate_from_coverage_needs_sets():
    R = RRSets(small_graph(), "ic", None, 0)
    with pytest.raises(InvalidParameterError, match="non-empty"):
        R.estimate_from_coverage(0)


# -- private attributes -------------------------------------------------------------------------

RIS_FILES = [*sorted((SRC / "sampling").glob("*.py")),
             SRC / "_kernels" / "reverse.py", SRC / "_kernels" / "coverage.py",
             *(SRC / "algorithms" / f for f in ("coverage.py", "imm.py", "tim.py", "opim.py",
                                                "_ris.py"))]


#: engine-internal hooks other modules are meant to call: ``DiGraph._memo`` and
#: ``TriggeringModel._memo`` (issue 9, item 5: the one way to cache derived arrays on them)
SANCTIONED = {"_memo"}


def _private_reads(path):
    """``obj._name`` with ``obj`` not ``self`` / ``cls``, imports of a private name
    (``from .reverse import _twin``), and imports of a private module of another public package
    (``from ..sampling._rrsets import``; the foundations, ``_kernels`` and the like, are private
    packages by design)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__") and node.attr not in SANCTIONED:
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                out.append(f"{path.name}:{node.lineno} .{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.level >= 1 and node.module:
            for alias in node.names:   # (``from .. import _memory``: a foundation module)
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    out.append(f"{path.name}:{node.lineno} import {alias.name}")
        if isinstance(node, ast.ImportFrom) and node.level >= 2 and node.module:
            first, *rest = node.module.split(".")
            if not first.startswith("_") and any(p.startswith("_") for p in rest):
                out.append(f"{path.name}:{node.lineno} from {node.module}")
    return sorted(out)


def test_ris_modules_read_no_private_attributes():
    """Each module reaches the others through public names (issue 9, item 10): e.g. greedy
    coverage reads ``R.nodes`` / ``R.offsets``, not ``R._nodes`` / ``R._offsets``."""
    found = [hit for p in RIS_FILES for hit in _private_reads(p)]
    assert found == []


def test_the_private_read_check_catches_one(tmp_path):
    p = tmp_path / "m.py"
    p.write_text("def f(R, self):\n    return R._nodes, self._ok, R.__class__\n"
                 "from ..sampling._rrsets import RRSets\nfrom .._kernels import reverse\n"
                 "from .reverse import _serial_twin\n")
    assert _private_reads(p) == ["m.py:2 ._nodes", "m.py:3 from sampling._rrsets",
                                 "m.py:5 import _serial_twin"]


# -- kernel arguments ---------------------------------------------------------------------------

def test_kernel_arrays_are_built_once_per_graph_and_model():
    """The per-graph NamedTuple the sampling kernels take is computed once per graph and model
    (cached) and is the right kind for the model."""
    from infmax._kernels import reverse as _rev
    from infmax.diffusion import TriggeringModel

    G = small_graph()
    a, b = RRSets(G, "ic", None, 0)._prep, RRSets(G, "ic", None, 1)._prep
    c = RRSets(G, "lt", None, 0)._prep
    assert a.arrays is b.arrays and isinstance(a.arrays, _rev.ICLTArrays)
    assert c.arrays is not a.arrays and c.arrays.lt and not a.arrays.lt
    assert a.roots.weighted == 0 and not a.trig
    T = TriggeringModel.ic(G)
    t1, t2 = RRSets(G, T, None, 0)._prep, RRSets(G, T, np.ones(G.n), 0)._prep
    assert t1.arrays is t2.arrays and isinstance(t1.arrays, _rev.TriggeringArrays) and t1.trig
    assert t2.roots.weighted == 1 and t2.roots.support.shape == (G.n,)
