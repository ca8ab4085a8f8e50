"""The binary graph format: round trips, memory-mapping, corrupt files, resolve and GRAPH paths."""

from __future__ import annotations

import json
import os
import struct

import numpy as np
import pytest

import infmax as im
from infmax.exceptions import GraphFormatError, InvalidParameterError
from infmax.graph import binary

ARRAYS = ("indptr", "indices", "rindptr", "rindices", "rev_perm", "probs", "rprobs", "labels")


def _graphs():
    yield im.graph.from_edges(["a", "bb", "c", "dé"], ["bb", "c", "a", "a"], weights=0.2)
    yield im.datasets.erdos_renyi(300, 0.03, rng=1)                     # undirected, wc
    yield im.graph.from_edges([10, 20, 50, 50], [20, 50, 10, 10], [0.1, 0.2, 0.3, 0.4])
    yield im.datasets.erdos_renyi(200, 0.05, directed=True, rng=2, dtype=np.float32,
                                  weights="trivalency")
    yield im.graph.from_edges([1], [2], nodes=[1, 2, 3, 4])             # isolated nodes
    yield im.graph.from_edges(np.array([], np.int64), np.array([], np.int64))   # no node


def assert_same(G, H):
    for a in ARRAYS:
        x, y = getattr(G, a), getattr(H, a)
        assert x.dtype == y.dtype and np.array_equal(x, y), a
    assert (G.file_probs is None) == (H.file_probs is None)
    if G.file_probs is not None:
        assert np.array_equal(G.file_probs, H.file_probs)
    assert (H.n, H.m, H.directed, H.weighting) == (G.n, G.m, G.directed, G.weighting)
    assert str(H.summary) == str(G.summary)


@pytest.mark.parametrize("mmap", [True, False])
def test_round_trip(tmp_path, mmap):
    for i, G in enumerate(_graphs()):
        path = tmp_path / f"g{i}.infmax"
        G.save(path)
        H = im.graph.load(path, mmap=mmap)
        assert_same(G, H)
        assert not H.indices.flags.writeable
        if G.n:
            assert H.node_ids(G.labels[:1].tolist()).tolist() == [0]
        # derived arrays agree with a graph built from scratch
        assert np.array_equal(H.in_degree, G.in_degree)


def test_mmap_is_a_mapping_and_save_reports_bytes(tmp_path):
    G = im.datasets.erdos_renyi(500, 0.02, rng=3)
    path = tmp_path / "g.infmax"
    nbytes = binary.save(G, path)
    assert nbytes == os.path.getsize(path)
    H = im.graph.load(path)
    assert isinstance(H.indices.base, __import__("mmap").mmap) or H.indices.base is not None
    assert not H.indices.flags.owndata
    assert im.graph.load(path, mmap=False).indices.flags.owndata
    # 64-byte aligned arrays
    header = _header(path)
    assert all(a["offset"] % 64 == 0 for a in header["arrays"].values())
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


def test_results_identical_after_load(tmp_path):
    G = im.datasets.erdos_renyi(400, 0.02, directed=True, rng=4)
    G.save(tmp_path / "g.infmax")
    H = im.graph.load(tmp_path / "g.infmax")
    a = im.imm(G, 5, epsilon=0.5, rng=7)
    b = im.imm(H, 5, epsilon=0.5, rng=7)
    assert a.seeds == b.seeds
    s1 = im.spread(G, a.seeds, model="lt", n_simulations=500, rng=1)
    s2 = im.spread(H, a.seeds, model="lt", n_simulations=500, rng=1)
    assert s1.mean == s2.mean


def test_is_binary(tmp_path):
    (tmp_path / "e.txt").write_text("1 2\n")
    im.graph.from_edges([1], [2]).save(tmp_path / "g.bin")
    assert binary.is_binary(tmp_path / "g.bin")
    assert not binary.is_binary(tmp_path / "e.txt")
    assert not binary.is_binary(tmp_path / "missing")


def test_object_labels_cannot_be_saved(tmp_path):
    G = im.graph.from_edges([1, 2], [2, 3])
    H = G.with_labels(np.array([1, "a", (2, 3)], dtype=object))
    with pytest.raises(InvalidParameterError, match="mixed types"):
        H.save(tmp_path / "g.infmax")
    assert not os.listdir(tmp_path)


def test_save_to_a_directory_is_an_error(tmp_path):
    with pytest.raises(InvalidParameterError, match="existing directory"):
        im.graph.from_edges([1], [2]).save(tmp_path)


# -- corrupt files: a GraphFormatError naming the path ----------------------------------------
def _header(path):
    with open(path, "rb") as f:
        _, _, hlen = struct.unpack("<8sIQ", f.read(20))
        return json.loads(f.read(hlen))


@pytest.fixture
def saved(tmp_path):
    G = im.datasets.erdos_renyi(3000, 0.01, rng=5)
    path = tmp_path / "g.infmax"
    G.save(path)
    return path


def _expect_corrupt(path, *needles, **kw):
    with pytest.raises(GraphFormatError) as e:
        im.graph.load(path, **kw)
    assert str(path) in str(e.value)
    for n in needles:
        assert n in str(e.value)


def test_truncated(saved):
    data = saved.read_bytes()
    saved.write_bytes(data[:-100])
    _expect_corrupt(saved, "truncated")
    saved.write_bytes(data[:10])
    _expect_corrupt(saved, "prefix")
    saved.write_bytes(data[:40])
    _expect_corrupt(saved, "truncated")
    saved.write_bytes(b"")
    _expect_corrupt(saved, "prefix")


def test_flipped_bytes_in_an_array(saved):
    header = _header(saved)
    a = header["arrays"]["indices"]
    data = bytearray(saved.read_bytes())
    data[a["offset"] + 8] ^= 0xFF           # the first sampled block
    saved.write_bytes(bytes(data))
    _expect_corrupt(saved, "checksum", "indices")
    # verify=False skips the sample but keeps the structural checks
    im.graph.load(saved, verify=False)


def test_inconsistent_row_pointer_is_caught_without_checksums(saved):
    header = _header(saved)
    a = header["arrays"]["indptr"]
    data = bytearray(saved.read_bytes())
    end = a["offset"] + a["nbytes"] - 8
    data[end:end + 8] = struct.pack("<q", 12345)
    saved.write_bytes(bytes(data))
    _expect_corrupt(saved, "indptr", verify=False)


def test_wrong_magic_version_and_header(saved):
    data = saved.read_bytes()
    saved.write_bytes(b"NOTAGRAF" + data[8:])
    _expect_corrupt(saved, "magic")
    saved.write_bytes(data[:8] + struct.pack("<I", 99) + data[12:])
    _expect_corrupt(saved, "version 99")
    saved.write_bytes(data[:20] + b"x" + data[21:])
    _expect_corrupt(saved, "header")


def test_unreadable_path(tmp_path):
    with pytest.raises(InvalidParameterError, match="readable file"):
        im.graph.load(tmp_path / "missing.infmax")


# -- resolve / GRAPH arguments -------------------------------------------------------------------
def test_resolve_reads_binary_and_applies_keywords(saved):
    G, src = im.datasets.resolve(saved)
    assert src == {"file": str(saved)} and G.weighting == "wc"
    H, _ = im.datasets.resolve(saved, weights="uniform:0.05")
    assert H.weighting.startswith("uniform") and np.all(H.probs == 0.05)
    assert np.array_equal(H.indices, G.indices)
    U, _ = im.datasets.resolve(saved, directed=False)     # saved undirected: fine
    assert not U.directed
    with pytest.raises(InvalidParameterError, match="delimiter"):
        im.datasets.resolve(saved, delimiter=",")


def test_resolve_directed_mismatch(tmp_path):
    path = tmp_path / "d.infmax"
    im.graph.from_edges([1, 2], [2, 3], directed=True).save(path)
    with pytest.raises(InvalidParameterError, match="saved directed"):
        im.datasets.resolve(path, directed=False)


def test_pickled_memory_mapped_graph_is_its_path(tmp_path):
    """A graph mapped from a binary file pickles as the file's path (a Dask scatter then
    ships bytes, not arrays); a changed file is refused; a derived graph pickles its arrays."""
    import os
    import pickle

    G = im.datasets.erdos_renyi(300, m=2000, directed=True, rng=1).reweight("wc")
    path = tmp_path / "g.infmax"
    G.save(path)
    H = im.graph.load(path)
    blob = pickle.dumps(H)
    assert len(blob) < 1000 < len(pickle.dumps(G))
    K = pickle.loads(blob)
    assert pickle.loads(blob) is K          # one mapped graph per file in a process
    assert np.array_equal(K.indices, G.indices) and np.array_equal(K.probs, G.probs)
    assert im.imm(K, 3, epsilon=0.5, rng=2).seeds == im.imm(G, 3, epsilon=0.5, rng=2).seeds
    assert len(pickle.dumps(H.reweight("uniform", p=0.1))) > 1000   # not the file's graph
    assert len(pickle.dumps(im.graph.load(path, mmap=False))) > 1000
    os.utime(path, ns=(0, 0))
    with pytest.raises(GraphFormatError, match="changed after"):
        pickle.loads(blob)
