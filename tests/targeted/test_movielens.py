"""ADITUM's data: the MovieLens co-rating network (943 / 229,677 as in the paper's Table 1,
and against a per-pair brute force), genre counts and profiles, the lurker-network stand-in
(largest SCC, arcs reversed) against networkx."""

from __future__ import annotations

import hashlib
import itertools
import os

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import infmax as im
from infmax.datasets import catalog, movielens
from infmax.datasets.catalog import producer_consumer
from infmax.datasets.movielens import GenreCounts, corating_arcs, genre_counts
from infmax.exceptions import InvalidParameterError
from infmax.targeted import genre_profiles
from infmax.targeted.profiles import quantile_codes

DATA = os.environ.get("INFMAX_DATA_DIR", "").strip()
needs_data = pytest.mark.skipif(not DATA, reason="INFMAX_DATA_DIR is not set")


def _brute_force_arcs(users, items, ts, min_common):
    """Per ordered pair, count the co-rated movies u rated strictly before v (slow twin)."""
    when = {}
    for u, i, t in zip(users, items, ts):
        when.setdefault(u, {})[i] = t
    arcs = set()
    for u, v in itertools.permutations(sorted(when), 2):
        c = sum(1 for i, t in when[u].items() if i in when[v] and t < when[v][i])
        if c >= min_common:
            arcs.add((u, v))
    return arcs


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("block", [3, 1 << 22])
def test_corating_arcs_equal_brute_force(seed, block, monkeypatch):
    """Random ratings with many equal timestamps (ties count in neither direction); a tiny
    PAIR_BLOCK exercises the blocked accumulation."""
    monkeypatch.setattr(movielens, "PAIR_BLOCK", block)
    rng = np.random.default_rng(seed)
    n_users, n_items = 9, 12
    pairs = [(u, i) for u in range(1, n_users + 1) for i in range(n_items)
             if rng.random() < 0.6]
    users = np.array([p[0] for p in pairs])
    items = np.array([p[1] * 7 + 100 for p in pairs])       # arbitrary item labels
    ts = rng.integers(0, 4, len(pairs))                      # few values: many ties
    for min_common in (1, 2, 3):
        src, dst, cnt = corating_arcs(users, items, ts, min_common=min_common)
        assert set(zip(src.tolist(), dst.tolist())) == \
            _brute_force_arcs(users, items, ts, min_common)
        assert (cnt >= min_common).all()


def test_corating_hand_case():
    # movie 1: a at t=1, b at t=2, c at t=2 (b, c tie); movie 2: b at 0, a at 5
    src, dst, cnt = corating_arcs(["a", "b", "c", "b", "a"], [1, 1, 1, 2, 2], [1, 2, 2, 0, 5],
                                  min_common=1)
    assert sorted(zip(src.tolist(), dst.tolist(), cnt.tolist())) == [
        ("a", "b", 1), ("a", "c", 1), ("b", "a", 1)]
    with pytest.raises(InvalidParameterError, match="'min_common'"):
        corating_arcs([1], [1], [1], min_common=0)


@needs_data
def test_movielens_network_matches_table_1():
    G = im.datasets.load("movielens")
    assert (G.n, G.m) == (943, 229_677)            # Caliò and Tagarelli, Table 1
    assert G.weighting == "wc" and G.directed
    assert np.allclose(G.in_weight_sum[G.in_degree > 0], 1.0)
    assert G.node_labels([0, G.n - 1]) == [1, 943]
    # the rule is per ordered pair: both directions can hold (u first on >= 10 movies, v first
    # on >= 10 others)
    H = im.datasets.load("movielens", min_common=300)
    assert H.n == 943 and 0 < H.m < G.m


@needs_data
@pytest.mark.parametrize("spec", catalog.DERIVED_SPECS, ids=lambda s: s.name)
def test_derived_dataset_files_and_stats(spec):
    for f in spec.files:
        with open(os.path.join(DATA, f.relpath), "rb") as fh:
            data = fh.read()
        assert len(data) == f.size
        assert hashlib.sha256(data).hexdigest() == f.sha256
        assert f.url.startswith("https://raw.githubusercontent.com/")
    if spec.name == "epinions-lurker":   # SNAP's published largest SCC: 32,223 / 443,506
        G = im.datasets.load(spec.name)
        assert (G.n, G.m) == (spec.stats["n"], spec.stats["m"]) == (32_223, 443_506)


@needs_data
def test_genre_counts_against_a_pandas_join():
    gc = genre_counts()
    assert gc.counts.shape == (943, 19) and gc.genres[0] == "unknown"
    assert gc.genres[1:4] == ("Action", "Adventure", "Animation")
    folder = os.path.join(DATA, "movielens-100k")
    r = pd.read_csv(os.path.join(folder, "u.data"), sep="\t", names=["u", "i", "r", "t"])
    it = pd.read_csv(os.path.join(folder, "u.item"), sep="|", header=None, encoding="latin-1")
    it = it.rename(columns={0: "i"})[["i", *range(5, 24)]]
    j = r.merge(it, on="i").groupby("u")[list(range(5, 24))].sum()
    assert (j.to_numpy() == gc.counts).all() and (j.index.to_numpy() == gc.users).all()
    # "unknown": 2 movies, rated by about 1 % of the users
    assert 0.98 < (gc.counts[:, 0] == 0).mean() < 1.0


@needs_data
def test_genre_profiles_raw_and_binned():
    G = im.datasets.load("movielens")
    gc = genre_counts()
    P = genre_profiles(G, counts=gc)
    assert (P.n, P.m) == (943, 19) and P.attributes == gc.genres
    ids = G.node_ids(gc.users.tolist())
    for i in range(P.m):            # the values are the distinct counts, codes map back
        assert (P.values[i][P.codes[ids, i]] == gc.counts[:, i]).all()
    B = genre_profiles(G, counts=gc, bins=4, unknown="drop")
    assert B.m == 18 and "unknown" not in B.attributes
    assert all(1 <= k <= 4 for k in B.n_values.tolist())
    for i in range(B.m):            # binning keeps the order of the counts
        c = gc.counts[:, i + 1]
        o = np.argsort(c, kind="stable")
        assert (np.diff(B.codes[ids, i][o]) >= 0).all()


def test_quantile_codes_edge_cases():
    codes, lower = quantile_codes([0, 0, 0, 0], 4)             # one value: one bin
    assert codes.tolist() == [0, 0, 0, 0] and lower.tolist() == [0.0]
    codes, lower = quantile_codes([0, 1, 2, 3, 4, 5, 6, 7], 4)
    assert codes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3] and lower.tolist() == [0, 2, 4, 6]
    codes, lower = quantile_codes([], 3)
    assert codes.size == 0 and lower.size == 0


def test_genre_profiles_from_given_counts_and_errors():
    gc = GenreCounts(np.array([5, 7, 9]), ("unknown", "Drama"),
                     np.array([[0, 3], [1, 3], [0, 10]]))
    P = genre_profiles(counts=gc)
    assert P.codes.tolist() == [[0, 0], [1, 0], [0, 1]]
    G = im.from_edges([9, 7], [5, 9])
    Q = genre_profiles(G, counts=gc, unknown="drop")
    assert Q.m == 1 and Q.values[0][Q.codes[G.node_ids([9])[0], 0]] == 10
    with pytest.raises(InvalidParameterError, match="'bins'"):
        genre_profiles(counts=gc, bins=1)
    with pytest.raises(InvalidParameterError, match="'unknown'"):
        genre_profiles(counts=gc, unknown="zero")
    with pytest.raises(InvalidParameterError, match="'counts'"):
        genre_profiles(counts=np.zeros((3, 2)))


@pytest.mark.parametrize("seed", range(5))
def test_producer_consumer_against_networkx(seed):
    rng = np.random.default_rng(seed)
    n = 25
    src = rng.integers(0, n, 60)
    dst = rng.integers(0, n, 60)
    keep = src != dst
    labels = np.array([f"v{i}" for i in range(n)])
    G = im.from_edges(labels[src[keep]], labels[dst[keep]], nodes=labels)
    H = producer_consumer(G)
    N = nx.DiGraph(zip(labels[src[keep]].tolist(), labels[dst[keep]].tolist()))
    N.add_nodes_from(labels.tolist())
    comps = sorted(nx.strongly_connected_components(N), key=len, reverse=True)
    big = comps[0]
    assert set(H.node_labels(range(H.n))) == big
    want = {(v, u) for u, v in N.subgraph(big).edges()}          # reversed
    assert set(zip(H.node_labels(H.sources), H.node_labels(H.indices))) == want
    assert H.weighting == "wc"
    K = producer_consumer(G, largest_scc=False, reverse=False)
    assert (K.n, K.m) == (G.n, G.m)


def test_producer_consumer_hand_case_and_errors():
    # 0 -> 1 -> 2 -> 0 is the SCC; 2 -> 3 leaves it
    G = im.from_edges([0, 1, 2, 2], [1, 2, 0, 3])
    H = producer_consumer(G, weights=0.2)
    assert sorted(zip(H.node_labels(H.sources), H.node_labels(H.indices))) == \
        [(0, 2), (1, 0), (2, 1)]
    assert np.allclose(H.probs, 0.2)
    with pytest.raises(InvalidParameterError, match="'G'"):
        producer_consumer(nx.DiGraph())


def test_corating_memory_limit():
    from infmax.exceptions import MemoryLimitError

    with pytest.raises(MemoryLimitError, match="user-pair count matrix"):
        corating_arcs(np.arange(2000), np.zeros(2000), np.arange(2000), max_memory=10**6)
