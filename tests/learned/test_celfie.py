"""CELFIE: the influence matrix against a slow twin (softmax once), the sampled influenced sets
against the exact inclusion probabilities of successive sampling (enumerated), CELF against
plain greedy over the same samples, saturation, the IC ground truth, determinism, errors, CLI."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys

import numpy as np
import pytest

import infmax as im
from conftest import ic_ground_truth, random_initiators_margin, run
from infmax.algorithms import registry
from infmax.cli._record import validate
from infmax.exceptions import InvalidParameterError, MemoryLimitError
from infmax.graph.cascades import Cascades
from infmax.learned import CelfieModel, celfie
from infmax.learned._celfie_kernels import cover, uncovered_count
from infmax.learned.celfie import celf_coverage, influence_matrix, sample_influenced_sets

pytest.importorskip("torch")


def planted(n_cascades: int = 60, seed: int = 0) -> Cascades:
    """Initiators 0..7 (0 starts the most cascades), participants 8..39."""
    r = np.random.default_rng(seed)
    users, times = [], []
    for c in range(n_cascades):
        u = int(r.choice(8, p=np.array([8, 4, 3, 3, 2, 2, 1, 1]) / 24))
        part = r.choice(np.arange(8, 40), int(r.integers(1, 6)), replace=False)
        users.append([u, *part.tolist()])
        times.append((10.0 * c + np.arange(part.size + 1)).tolist())
    return Cascades.from_lists(users, times)


# -- the influence probability matrix -------------------------------------------------------
def test_influence_matrix_is_one_softmax_slow_twin():
    r = np.random.default_rng(1)
    S, T, b = r.normal(size=(4, 3)), r.normal(size=(7, 3)), r.normal(size=7)
    P = influence_matrix(S, T, b)
    for u in range(4):
        z = [sum(S[u, e] * T[v, e] for e in range(3)) + b[v] for v in range(7)]
        den = sum(math.exp(x) for x in z)
        assert P[u].tolist() == pytest.approx([math.exp(x) / den for x in z], rel=1e-6)
    # not the authors' double softmax (which flattens every row towards uniform)
    twice = influence_matrix(P, np.eye(7))          # softmax of the probabilities
    assert np.abs(P - twice).max() > 0.05
    assert np.ptp(twice, axis=1).max() < np.ptp(P, axis=1).max()
    np.testing.assert_array_equal(influence_matrix(S, T), influence_matrix(S, T, 0 * b))
    with pytest.raises(MemoryLimitError, match="max_memory"):
        influence_matrix(S, T, b, max_memory=100)


def test_model_influence_matrix_uses_its_embeddings():
    C = planted()
    m = CelfieModel(8, 0.1, 2, progress=False).fit(C, rng=3)
    assert m.influence_.shape == (m.initiators_.size, 8)
    assert m.susceptibility_.shape == (m.targets_.size, 8) and len(m.losses_) == 2
    P = m.influence_matrix([0, 2])
    rows = np.searchsorted(m.initiators_, [0, 2])
    want = influence_matrix(m.influence_[rows], m.susceptibility_, m.target_bias_)
    np.testing.assert_array_equal(P, want)
    np.testing.assert_allclose(P.sum(1), 1.0, rtol=1e-6)
    with pytest.raises(InvalidParameterError, match="'initiators'.*39"):
        m.influence_matrix([0, 39])                  # a participant that started nothing
    with pytest.raises(InvalidParameterError, match="not fitted"):
        CelfieModel().influence_matrix()


# -- sampled influenced sets and the marginal gain ------------------------------------------
def inclusion(p, m):
    """Exact P(v in set) of successive sampling of ``m`` of ``len(p)`` without replacement."""
    n = len(p)
    pi = np.zeros(n)
    for seq in itertools.permutations(range(n), m):
        pr, left = 1.0, 1.0
        for v in seq:
            pr *= p[v] / left
            left -= p[v]
        for v in seq:
            pi[v] += pr
    return pi


def test_sampled_sets_match_exact_inclusion_probabilities():
    p = np.array([0.4, 0.25, 0.2, 0.1, 0.05])
    S = 40_000
    sets = sample_influenced_sets(p, S, 2, np.random.default_rng(5))
    assert sets.shape == (S, 2) and sets.dtype == np.int32
    assert (sets[:, 0] != sets[:, 1]).all()                    # without replacement
    freq = np.bincount(sets.ravel(), minlength=5) / S
    pi = inclusion(p, 2)
    se = np.sqrt(pi * (1 - pi) / S)
    assert np.abs(freq - pi).max() < 4 * se.max(), (freq, pi)


def test_sampled_gain_matches_its_exact_expectation():
    """E[gain of c | seed s chosen] = sum_v pi_c(v) (1 - pi_s(v)); tolerance 4 standard errors
    of the mean over simulations."""
    ps = np.array([0.5, 0.3, 0.1, 0.05, 0.05])
    pc = np.array([0.1, 0.2, 0.3, 0.25, 0.15])
    S, m = 40_000, 2
    a = sample_influenced_sets(ps, S, m, np.random.default_rng(1))
    c = sample_influenced_sets(pc, S, m, np.random.default_rng(2))
    covered = np.zeros((S, 5), dtype=np.uint8)
    assert uncovered_count(covered, c) == S * m               # nothing covered: gain m
    assert cover(covered, a) == S * m
    per_sim = (covered[np.arange(S)[:, None], c] == 0).sum(1)
    assert uncovered_count(covered, c) == per_sim.sum()
    exact = float((inclusion(pc, m) * (1 - inclusion(ps, m))).sum())
    se = per_sim.std(ddof=1) / math.sqrt(S)
    assert abs(per_sim.mean() - exact) < 4 * se, (per_sim.mean(), exact, se)


def test_sets_are_padded_when_few_probabilities_are_positive():
    sets = sample_influenced_sets(np.array([0.0, 0.7, 0.0, 0.3]), 6, 3,
                                  np.random.default_rng(0))
    assert sets.shape == (6, 3)
    assert all(sorted(row) == [-1, 1, 3] for row in sets.tolist())
    covered = np.zeros((6, 4), dtype=np.uint8)
    assert cover(covered, sets) == 12 and covered[:, [0, 2]].sum() == 0
    # more samples than columns: every column, once
    full = sample_influenced_sets(np.full(3, 1 / 3), 2, 10, np.random.default_rng(0))
    assert full.shape == (2, 3) and all(sorted(row) == [0, 1, 2] for row in full.tolist())


# -- CELF ------------------------------------------------------------------------------------
def greedy(sets, k):
    """Plain greedy over the same sampled sets: every round, every gain from scratch."""
    R, S, _ = sets.shape
    covered = [set() for _ in range(S)]
    chosen, totals, saturated = [], [], None
    while len(chosen) < k:
        best = None
        for r in range(R):
            if r in chosen:
                continue
            g = sum(len({int(v) for v in sets[r, s] if v >= 0} - covered[s]) for s in range(S))
            if best is None or g > best[0]:
                best = (g, r)
        if best is None:
            break
        if best[0] == 0:
            saturated = len(chosen)
            break
        chosen.append(best[1])
        totals.append(best[0])
        for s in range(S):
            covered[s] |= {int(v) for v in sets[best[1], s] if v >= 0}
    return chosen, totals, saturated


@pytest.mark.parametrize("seed", range(12))
def test_celf_matches_plain_greedy(seed):
    r = np.random.default_rng(seed)
    R, S, m, N = 9, 4, int(r.integers(1, 5)), int(r.integers(6, 14))
    P = influence_matrix(r.normal(size=(R, 3)) * 2, r.normal(size=(N, 3)))
    sets = np.stack([sample_influenced_sets(P[i], S, m, np.random.default_rng([seed, i]))
                     for i in range(R)])
    chosen, totals, evals, saturated = celf_coverage(sets, R, N)
    want, want_totals, want_sat = greedy(sets, R)
    assert chosen.tolist() == want and totals.tolist() == want_totals
    assert saturated == want_sat and evals >= R
    assert (np.diff(totals) <= 0).all()                        # submodular


def test_celf_saturation_by_hand():
    # one simulation, N = 4: row 0 covers {0, 1}, row 1 covers {1}, row 2 covers {0, 1, 2}
    sets = np.array([[[0, 1, -1]], [[1, -1, -1]], [[0, 1, 2]]], dtype=np.int32)
    chosen, totals, _, saturated = celf_coverage(sets, 3, 4)
    assert chosen.tolist() == [2] and totals.tolist() == [3] and saturated == 1
    chosen, _, _, saturated = celf_coverage(sets, 1, 4)
    assert chosen.tolist() == [2] and saturated is None        # k reached first


# -- the selector ----------------------------------------------------------------------------
def test_celfie_saturates_and_stops_or_fills():
    """N = 40 users and 1000 samples per set: the first seed covers everyone in every
    simulation, so CELFIE ranks one seed; "fill" appends candidates by cascades started."""
    C = planted()
    res = celfie(C, 4, epochs=1, embedding_dim=8, rng=2)
    N = res.record["targets"]
    assert res.record["samples_per_set"] == N and res.record["saturated_at"] == 1
    assert res.seeds == (0,) and res.record["gains"] == [N] and res.spread == N
    filled = celfie(C, 4, epochs=1, embedding_dim=8, rng=2, on_saturation="fill")
    started = np.bincount(C.initiators)
    order = sorted(range(8), key=lambda u: (-started[u], u))
    assert list(filled.seeds) == order[:4] and filled.record["gains"] == [N, 0, 0, 0]
    assert filled.record["saturated_at"] == 1
    # candidates: top 1 % by cascades started, at least k
    assert res.record["candidates"] == 4
    assert celfie(C, 2, percent=50, samples=3, epochs=1, rng=2).record["candidates"] == 4


def test_celfie_without_saturation_returns_k_with_decreasing_gains():
    C = planted(120)
    res = celfie(C, 5, percent=100, samples=3, simulations=30, epochs=2, embedding_dim=8,
                 rng=4)
    assert len(res.seeds) == 5 and res.record["saturated_at"] is None
    gains = res.record["gains"]
    assert gains[0] == 3 and all(a >= b for a, b in zip(gains, gains[1:])) and gains[-1] > 0
    assert res.spread == pytest.approx(sum(gains))
    assert set(res.timings) >= {"context", "training", "D", "selection", "total"}
    assert set(res.seeds) <= set(range(8))


def test_celfie_beats_random_initiators_under_the_true_model():
    """Train on the first 80 % of cascades of a known IC model; score by Monte Carlo. The
    margin is 4 standard errors of the difference (CELFIE's MC error; for random initiators
    the spread of 12 draws, each scored by MC). Every initiator is a candidate and the sets are
    about a cascade's size; the paper's lr = 0.01 for 5 epochs is only ~150 SGD steps on these
    3,915 pairs, so the model trains longer here."""
    G, train = ic_ground_truth()
    k = 5
    model = CelfieModel(16, 2.0, 20, progress=False).fit(train, rng=1)
    assert model.losses_[-1] < 0.2 * model.losses_[0]
    res = celfie(train, k, percent=100, samples=20, model=model, rng=1)
    got = im.spread(G, list(res.seeds), n_simulations=2000, rng=7)
    rand, margin = random_initiators_margin(G, train, k, got)
    assert got.mean - rand > margin, (got, rand, margin)


def test_celfie_is_deterministic_for_a_fixed_rng():
    C = planted(80)
    kw = {"percent": 100, "samples": 4, "simulations": 20, "epochs": 2, "embedding_dim": 8}
    a, b = celfie(C, 4, rng=9, **kw), celfie(C, 4, rng=9, **kw)
    assert a.seeds == b.seeds and a.record["gains"] == b.record["gains"]
    assert a.record["losses"] == b.record["losses"]
    m1 = CelfieModel(8, 0.1, 2, progress=False).fit(C, rng=9)
    m2 = CelfieModel(8, 0.1, 2, progress=False).fit(C, rng=9)
    assert np.array_equal(m1.influence_, m2.influence_)
    assert np.array_equal(m1.susceptibility_, m2.susceptibility_)
    # a fitted model is reused as is: same seeds as training inside with the same stream
    g = np.random.default_rng(9)
    m = CelfieModel(8, 0.01, 2, progress=False).fit(C, rng=g)
    again = celfie(C, 4, model=m, rng=g, **{k: v for k, v in kw.items()
                                            if k not in ("epochs", "embedding_dim")})
    assert again.seeds == a.seeds


def test_registered_and_lazy_torch():
    info = registry.get("celfie", input="cascades")
    assert info.func is celfie and info.accepts("epochs")
    code = "import sys, infmax.learned; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(("kw", "needles"), [
    ({"k": 9}, ["'k'", "9"]),
    ({"percent": 0}, ["'percent'", "0"]),
    ({"percent": float("nan")}, ["'percent'", "nan"]),
    ({"simulations": 0}, ["'simulations'", "0"]),
    ({"samples": 2.5}, ["'samples'", "2.5"]),
    ({"on_saturation": "drop"}, ["'on_saturation'", "drop"]),
    ({"learning_rate": 0}, ["'learning_rate'", "0"]),
    ({"epochs": -1}, ["'epochs'", "-1"]),
    ({"device": "tpu"}, ["'device'", "tpu"]),
    ({"model": CelfieModel()}, ["'model'", "CelfieModel"]),
])
def test_bad_input(kw, needles):
    C = planted()
    args = {"k": 2, "epochs": 1, "embedding_dim": 4, "rng": 1, **kw}
    with pytest.raises(InvalidParameterError) as exc:
        celfie(C, args.pop("k"), **args)
    for n in needles:
        assert n in str(exc.value), str(exc.value)
    assert "np.float64" not in str(exc.value)


def test_memory_bound_names_the_sizes():
    C = planted()
    m = CelfieModel(4, 0.1, 1, progress=False).fit(C, rng=1)
    with pytest.raises(MemoryLimitError, match="sampled sets.*max_memory"):
        celfie(C, 2, model=m, max_memory=10_000)
    assert len(celfie(C, 2, model=m, samples=3, max_memory=64 * 2**20).seeds) == 2


def test_bad_cascades_and_foreign_model():
    with pytest.raises(InvalidParameterError, match="'cascades'"):
        celfie("android", 1)
    with pytest.raises(InvalidParameterError, match="at least 2 users"):
        CelfieModel().fit(Cascades.from_lists([["a"], ["b"]], [[0], [1]]))
    other = CelfieModel(4, 0.1, 1, progress=False).fit(
        Cascades.from_lists([[0, 1], [1, 2]], [[0, 1], [2, 3]]), rng=1)
    with pytest.raises(InvalidParameterError, match="'model'.*fitted on"):
        celfie(planted(), 2, percent=100, model=other)


def test_cli_seeds_with_celfie(tmp_path):
    """``infmax seeds FILE --cascades -a celfie``: a valid record; the 40-user file saturates
    after one seed (the record says so and DNI scores that seed)."""
    r = np.random.default_rng(0)
    lines = []
    for c in range(60):
        users = [int(r.integers(8))] + r.choice(np.arange(8, 40), int(r.integers(1, 6)),
                                                replace=False).tolist()
        lines.append(";".join(f"{u} {10 * (c + 1) + i}" for i, u in enumerate(users)))
    f = tmp_path / "digg.txt"
    f.write_text("\n".join(lines) + "\n")
    p = run("seeds", str(f), "--cascades", "--format", "digg", "-a", "celfie", "-k", "3",
            "--epochs", "1", "--rng", "1", "-q", check_rc=0)
    rec = json.loads(p.stdout)
    validate(rec)
    assert rec["algorithm"] == "celfie" and rec["params"]["epochs"] == 1
    assert rec["record"]["saturated_at"] == 1 and len(rec["seeds"]) == 1
    assert rec["estimates"]["dni"]["k"] == 1
    again = json.loads(run("seeds", str(f), "--cascades", "--format", "digg", "-a", "celfie",
                           "-k", "3", "--epochs", "1", "--rng", "1", "-q", check_rc=0).stdout)
    assert again["seeds"] == rec["seeds"]
