"""IMINFECTOR selection: brute force on tiny D, lambda = 0, column ids, memory, end to end."""

import numpy as np
import pytest

import infmax as im
from infmax.algorithms import registry
from infmax.exceptions import InvalidParameterError, MemoryLimitError
from infmax.graph.cascades import Cascades
from infmax.learned import InfectorModel, _select
from infmax.learned._select import celf_select, diffusion_matrix, keep_top, lambdas, top_columns

pytest.importorskip("torch")


def brute_force(D, lam, k):
    """Plain greedy: every round, every candidate's gain recomputed from scratch (sorting)."""
    free = np.ones(D.shape[1], dtype=bool)
    chosen, gains = [], []
    for _ in range(k):
        best = None
        for r in range(D.shape[0]):
            if r in chosen:
                continue
            cols = [c for c in sorted(range(D.shape[1]), key=lambda c: (-D[r, c], c)) if free[c]]
            top = cols[:lam[r]]
            g = float(sum(float(D[r, c]) for c in top))
            if best is None or g > best[0]:
                best = (g, r, top)
        chosen.append(best[1])
        gains.append(best[0])
        free[best[2]] = False
    return chosen, gains


@pytest.mark.parametrize("seed", range(20))
def test_celf_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    rows, n = int(rng.integers(2, 7)), int(rng.integers(2, 8))
    D = rng.dirichlet(np.ones(n), size=rows).astype(np.float32)
    lam = rng.integers(0, n, rows)          # below n: whole-row sums (all 1) would tie
    lam[rng.integers(rows)] = 0                        # at least one lambda_u = 0
    k = int(rng.integers(1, rows + 1))
    chosen, gains, _ = celf_select(D, lam, k)
    ref, ref_gains = brute_force(D, lam, k)
    np.testing.assert_allclose(gains, ref_gains, rtol=1e-6)
    assert chosen.tolist() == ref       # distinct gains almost surely: same order


def test_lambda_zero_gives_gain_zero():
    D = np.array([[0.9, 0.1], [0.5, 0.5]], dtype=np.float32)
    chosen, gains, _ = celf_select(D, np.array([0, 1]), 2)
    assert chosen.tolist() == [1, 0] and gains.tolist() == pytest.approx([0.5, 0.0])
    assert top_columns(D[0], np.ones(2, bool), 0)[0] == 0.0


def test_chosen_seed_infects_column_ids_not_positions():
    # seed 0 takes column 0. Row 1's best free column is column 1 (0.4); the authors' code
    # used the position in the filtered row (0) as the column, leaving column 1 free, so row 2
    # would then still collect 0.45 from it and beat row 3.
    D = np.array([[0.8, 0.1, 0.1, 0.0],
                  [0.5, 0.4, 0.05, 0.05],
                  [0.1, 0.45, 0.0, 0.45],
                  [0.0, 0.0, 0.6, 0.4]], dtype=np.float32)
    lam = np.array([1, 1, 1, 1])
    chosen, gains, _ = celf_select(D, lam, 3)
    assert chosen.tolist() == [0, 3, 2]
    np.testing.assert_allclose(gains, [0.8, 0.6, 0.45])
    g, cols = top_columns(D[1], np.array([False, True, True, True]), 1)
    assert cols.tolist() == [1] and g == pytest.approx(0.4)
    ref, _ = brute_force(D, lam, 3)
    assert ref == [0, 3, 2]


def test_keep_top_and_lambdas():
    O = np.array([[3.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]], dtype=np.float32)
    assert keep_top(O, 50).tolist() == [0, 2]
    assert keep_top(O, 10).tolist() == [0]            # ceil(0.1 * 4) = 1
    assert keep_top(O, 10, at_least=3).tolist() == [0, 2, 1]
    # ceil(N ||O_u||^2 / sum): N = 5, squared norms 9, 2, 1 over 12
    assert lambdas(O[[0, 2, 1]], 5).tolist() == [4, 1, 1]
    assert lambdas(O[[3]], 5).tolist() == [0]


def test_diffusion_matrix_blocks_and_memory(monkeypatch):
    rng = np.random.default_rng(2)
    O, T = rng.normal(size=(7, 3)).astype(np.float32), rng.normal(size=(3, 11)).astype(np.float32)
    z = O.astype(float) @ T.astype(float)
    ref = np.exp(z - z.max(1, keepdims=True))
    ref /= ref.sum(1, keepdims=True)
    full = diffusion_matrix(O, T, limit=2**30)
    monkeypatch.setattr(_select, "_BLOCK_BYTES", 8 * 11 * 2)     # 2 rows per block
    blocked = diffusion_matrix(O, T, limit=2**30)
    assert full.dtype == np.float32
    np.testing.assert_allclose(full, ref, rtol=1e-6)
    np.testing.assert_array_equal(blocked, full)
    with pytest.raises(MemoryLimitError, match="diffusion matrix D"):
        diffusion_matrix(O, T, limit=100)


def planted(n_cascades=80, seed=0):
    """Initiators 0..9; initiator u's cascades reach 2 + 3u users of its own pool."""
    rng = np.random.default_rng(seed)
    users, times = [], []
    for _ in range(n_cascades):
        u = int(rng.integers(10))
        pool = 100 + 40 * u + np.arange(40)
        part = rng.choice(pool, 2 + 3 * u, replace=False).tolist()
        users.append([u] + part)
        times.append(np.arange(len(part) + 1, dtype=float).tolist())
    return Cascades.from_lists(users, times)


def test_iminfector_end_to_end():
    C = planted()
    res = im.iminfector(C, 3, percent=50, epochs=5, embedding_dim=16, rng=1, progress=False)
    assert res.algorithm == "iminfector" and res.k == 3
    assert set(res.timings) >= {"context", "training", "D", "selection", "total"}
    assert all(isinstance(s, int) for s in res.seeds) and len(set(res.seeds)) == 3
    assert res.record["kept_initiators"] == 5
    gains = res.record["gains"]
    assert all(a >= b - 1e-6 for a, b in zip(gains, gains[1:]))      # submodular: CELF order
    assert res.spread == pytest.approx(sum(gains)) and gains[-1] > 0
    again = im.iminfector(C, 3, percent=50, epochs=5, embedding_dim=16, rng=1, progress=False)
    assert again.seeds == res.seeds
    # a fitted model is reused as is
    m = InfectorModel(16, 0.1, 5, progress=False).fit(C, rng=1)
    assert im.iminfector(C, 3, percent=50, model=m).seeds == res.seeds


def test_iminfector_is_registered_for_cascades():
    info = registry.get("iminfector", input="cascades")
    assert info.func is im.iminfector and "iminfector" in registry.names("cascades")


def test_iminfector_bad_input():
    C = planted(20)
    with pytest.raises(InvalidParameterError, match="'k'.*11"):
        im.iminfector(C, 11, rng=1)
    with pytest.raises(InvalidParameterError, match="'percent'.*0"):
        im.iminfector(C, 1, percent=0, rng=1)
    with pytest.raises(InvalidParameterError, match="'cascades'"):
        im.iminfector("android", 1)
    with pytest.raises(InvalidParameterError, match="'model'"):
        im.iminfector(C, 1, model=InfectorModel())


def test_android_pipeline(data_dir):
    C = im.datasets.load("android")
    train, test = im.split_by_time(C)
    res = im.iminfector(train, 20, epochs=1, rng=3, progress=False)
    assert res.k == 20 and im.dni(res.seeds, test).value > 0

