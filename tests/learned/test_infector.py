"""INFECTOR: context sampling, both losses and one SGD step by hand, determinism, resume."""

import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from infmax.exceptions import InvalidParameterError
from infmax.graph.cascades import Cascades
from infmax.learned import InfectorModel
from infmax.learned import infector as infector_mod
from infmax.learned._context import context_probabilities, sample_contexts

torch = pytest.importorskip("torch")


def small_cascades(n_cascades: int = 60, n_users: int = 40, seed: int = 0) -> Cascades:
    """Cascades where initiator i mostly reaches users of its own block (learnable signal)."""
    rng = np.random.default_rng(seed)
    users, times = [], []
    for c in range(n_cascades):
        u = int(rng.integers(0, 8))
        block = 8 + 4 * u + np.arange(4)
        size = int(rng.integers(1, 6)) + (3 if u < 2 else 0)
        pool = np.concatenate([block, rng.integers(8, n_users, 2)])
        part = [int(x) for x in rng.choice(pool, size=min(size, pool.size), replace=False)]
        users.append([u] + [p for p in part if p != u])
        times.append(np.sort(rng.exponential(5.0, len(users[-1])) + c).tolist())
    users.append([3])            # a single-user cascade: kept, not trained on
    times.append([0.0])
    return Cascades.from_lists(users, times)


def test_context_counts_and_size_labels():
    C = Cascades.from_lists([[1, 2, 3, 4, 5], [6, 7], [1, 8, 9]], [[0, 1, 2, 3, 4], [0, 2],
                                                                  [0, 5, 7]])
    ctx = sample_contexts(C, np.random.default_rng(1))
    assert np.diff(ctx.offsets).tolist() == [6, 2, 4]        # round(1.2 |C|), |C| incl. u
    assert ctx.initiator.tolist() == C.node_ids([1, 6, 1]).tolist()
    np.testing.assert_allclose(ctx.size_label, [1.0, 0.0, 1 / 3])
    for i in range(3):                                          # never the initiator itself
        part = C[i].users[1:]
        assert np.isin(ctx.nodes[ctx.offsets[i]:ctx.offsets[i + 1]], part).all()


def test_context_distribution_chi_square():
    # P(v) ∝ 1 / (|t_v - t_u| + 1), t_u = 2: weights 1/1, 1/2, 1/4, 1/11, 1/3 (one earlier time)
    times = [2.0, 2.0, 3.0, 5.0, 12.0, 0.0]
    C = Cascades.from_lists([[0, 1, 2, 3, 4, 5]], [times])
    p = context_probabilities(np.asarray(times))
    w = np.array([1, 1 / 2, 1 / 4, 1 / 11, 1 / 3])
    np.testing.assert_allclose(p, w / w.sum())
    ctx = sample_contexts(C, np.random.default_rng(7), factor=5000.0)   # 30,000 draws
    counts = np.bincount(ctx.nodes, minlength=6)[C.node_ids([1, 2, 3, 4, 5])]
    assert counts.sum() == 30_000
    _, pval = stats.chisquare(counts, counts.sum() * p)
    assert pval > 1e-3
    # a wrong law (uniform) is rejected by the same test
    _, pbad = stats.chisquare(counts, np.full(5, counts.sum() / 5))
    assert pbad < 1e-6


def test_one_sgd_step_of_each_task_by_hand():
    rng = np.random.default_rng(3)
    E, N, lr = 3, 5, 0.1
    O0 = rng.normal(size=(2, E)).astype(np.float32)
    T0 = rng.normal(size=(E, N)).astype(np.float32)
    b0 = rng.normal(size=N).astype(np.float32)
    O, T, bt = (torch.tensor(a) for a in (O0, T0, b0))
    cols = torch.tensor([4, 1, 4])
    loss = infector_mod._step_context(O, T, bt, 1, cols, lr, None)
    # by hand, float64: mean cross-entropy over the pairs (1,4), (1,1), (1,4)
    o, Tn, bn = O0[1].astype(float), T0.astype(float), b0.astype(float)
    z = o @ Tn + bn
    p = np.exp(z - z.max())
    p /= p.sum()
    assert loss == pytest.approx(-np.mean(np.log(p[[4, 1, 4]])), rel=1e-5)
    y = np.bincount([4, 1, 4], minlength=N) / 3
    g = p - y
    np.testing.assert_allclose(O[1].numpy(), o - lr * Tn @ g, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(O[0].numpy(), O0[0])                  # other rows untouched
    np.testing.assert_allclose(T.numpy(), Tn - lr * np.outer(o, g), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bt.numpy(), bn - lr * g, rtol=1e-5, atol=1e-6)
    # task 2: (y - sigmoid(O_u . 1 + b_c))^2
    O2, bc = torch.tensor(O0), torch.tensor(0.3)
    loss2 = infector_mod._step_size(O2, bc, 0, torch.tensor(0.25), lr)
    s = 1 / (1 + np.exp(-(O0[0].astype(float).sum() + 0.3)))
    assert loss2 == pytest.approx((0.25 - s) ** 2, rel=1e-5)
    d = 2 * (s - 0.25) * s * (1 - s)
    np.testing.assert_allclose(O2[0].numpy(), O0[0] - lr * d, rtol=1e-5, atol=1e-6)
    assert float(bc) == pytest.approx(0.3 - lr * d, rel=1e-5)


def test_sampled_softmax_step_matches_autograd():
    rng = np.random.default_rng(4)
    E, N, lr = 3, 9, 0.1
    O0, T0 = rng.normal(size=(1, E)), rng.normal(size=(E, N))
    b0 = rng.normal(size=N)
    O, T, bt = (torch.tensor(a, dtype=torch.float64) for a in (O0, T0, b0))
    cols, neg = torch.tensor([2, 2, 5]), np.array([7, 0, 2])
    infector_mod._step_context(O, T, bt, 0, cols, lr, neg)
    Oa, Ta, ba = (torch.tensor(a, requires_grad=True) for a in (O0, T0, b0))
    cand = torch.tensor([0, 2, 5, 7])
    logp = torch.log_softmax(Oa[0] @ Ta[:, cand] + ba[cand], 0)
    loss = -logp[torch.tensor([1, 1, 2])].mean()
    loss.backward()
    np.testing.assert_allclose(O.numpy(), O0 - lr * Oa.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(T.numpy(), T0 - lr * Ta.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(bt.numpy(), b0 - lr * ba.grad.numpy(), atol=1e-12)
    assert Ta.grad.numpy()[:, [1, 3, 4, 6, 8]].max() == 0       # non-candidates untouched


def _fit(**kw):
    rng = kw.pop("rng", 5)
    kw.setdefault("epochs", 3)
    return InfectorModel(embedding_dim=8, progress=False, **kw).fit(
        small_cascades(), rng=rng)


def test_fit_attributes_and_learning():
    C = small_cascades()
    m = InfectorModel(embedding_dim=8, epochs=30, progress=False).fit(C, rng=5)
    assert m.influencer_.shape == (8, 8) and m.susceptible_.shape[0] == 8
    assert m.initiators_.tolist() == C.node_ids(range(8)).tolist()
    assert m.targets_.size == m.susceptible_.shape[1] == C.n_users
    assert m.softmax_ == "exact" and len(m.losses_) == 30
    assert m.losses_[-1][0] < m.losses_[0][0] and m.losses_[-1][1] < m.losses_[0][1]
    # initiator u's own block gets more probability than the others' blocks
    z = m.influencer_ @ m.susceptible_ + m.target_bias_
    col = {int(t): j for j, t in enumerate(m.targets_)}
    for u in range(8):
        own = [col[int(x)] for x in C.node_ids(8 + 4 * u + np.arange(4)) if int(x) in col]
        assert z[u, own].mean() > np.delete(z[u], own).mean()
    assert set(m.timings_) == {"context", "training"}


def test_same_rng_same_embeddings_and_threads():
    a = _fit(rng=11)
    b = _fit(rng=11)
    np.testing.assert_array_equal(a.influencer_, b.influencer_)
    np.testing.assert_array_equal(a.susceptible_, b.susceptible_)
    assert not np.array_equal(a.influencer_, _fit(rng=12).influencer_)
    old = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        c = _fit(rng=11)
    finally:
        torch.set_num_threads(old)
    np.testing.assert_array_equal(a.influencer_, c.influencer_)


def test_sampled_softmax_above_threshold():
    m = _fit(exact_softmax_max=10, n_negatives=5)
    assert m.softmax_ == "sampled"
    assert np.isfinite(m.influencer_).all() and m.losses_[-1][0] > 0


def test_save_load_round_trip(tmp_path):
    C = Cascades.from_lists([["a", "b", "c"], ["b", "c"]], [[0, 1, 2], [0, 1]])
    m = InfectorModel(embedding_dim=4, epochs=2, progress=False).fit(C, rng=1)
    m.save(tmp_path / "m.npz")
    r = InfectorModel.load(tmp_path / "m.npz")
    for name in ("influencer_", "susceptible_", "target_bias_", "initiators_", "targets_"):
        np.testing.assert_array_equal(getattr(r, name), getattr(m, name))
    assert r.labels_.tolist() == ["a", "b", "c"] and r.size_bias_ == m.size_bias_
    assert r.get_params() == m.get_params() and r.losses_ == m.losses_


def test_interrupted_fit_resumes_from_epoch_checkpoint(tmp_path, monkeypatch):
    full = _fit(epochs=4)
    ck = tmp_path / "ck.npz"
    calls = {"n": 0}
    real = infector_mod.checkpoint

    def boom():
        calls["n"] += 1
        if calls["n"] == 9:          # inside epoch 3 (3 per-cascade checks + 1 per epoch)
            raise KeyboardInterrupt
        real()

    monkeypatch.setattr(infector_mod, "checkpoint", boom)
    with pytest.raises(KeyboardInterrupt):
        _fit(epochs=4, checkpoint=ck)
    with np.load(ck) as z:
        assert int(z["epoch"]) == 2
    after = {"n": 0}

    def counting():
        after["n"] += 1
        real()

    monkeypatch.setattr(infector_mod, "checkpoint", counting)
    resumed = _fit(epochs=4, checkpoint=ck)
    assert after["n"] == 2 * 4                    # only epochs 3 and 4 ran
    monkeypatch.setattr(infector_mod, "checkpoint", real)
    np.testing.assert_array_equal(resumed.influencer_, full.influencer_)
    np.testing.assert_array_equal(resumed.susceptible_, full.susceptible_)
    assert resumed.losses_ == full.losses_
    # another rng does not reuse the checkpoint
    other = _fit(epochs=4, checkpoint=ck, rng=6)
    np.testing.assert_array_equal(other.influencer_, _fit(epochs=4, rng=6).influencer_)


def test_bad_input_names_the_parameter():
    C = small_cascades()
    with pytest.raises(InvalidParameterError, match="'embedding_dim'.*0"):
        InfectorModel(embedding_dim=0).fit(C, rng=1)
    with pytest.raises(InvalidParameterError, match="'learning_rate'.*nan"):
        InfectorModel(learning_rate=float("nan")).fit(C, rng=1)
    with pytest.raises(InvalidParameterError, match="'cascades'"):
        InfectorModel().fit([[1, 2]], rng=1)
    with pytest.raises(InvalidParameterError, match="no cascade with at least 2 users"):
        InfectorModel().fit(Cascades.from_lists([[1], [2]], [[0], [1]]), rng=1)
    with pytest.raises(InvalidParameterError, match="not fitted"):
        InfectorModel().save("x.npz")


def test_import_infmax_does_not_load_torch():
    code = ("import sys, infmax, infmax.learned; from infmax.algorithms import registry; "
            "registry.get('iminfector', input='cascades'); "
            "assert 'torch' not in sys.modules, 'torch loaded'")
    subprocess.run([sys.executable, "-c", code], check=True)
