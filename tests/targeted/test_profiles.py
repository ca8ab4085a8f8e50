"""Profiles from a file, a DataFrame and the generator."""

import numpy as np
import pytest

import infmax as im
from infmax.exceptions import GraphFormatError, InvalidParameterError
from infmax.targeted import Profiles, read_profiles, synthetic_profiles


@pytest.fixture
def G():
    return im.from_edges([10, 20], [20, 30], weights=0.5)   # labels 10, 20, 30


def test_read_profiles_aligned_to_graph(tmp_path, G):
    f = tmp_path / "profiles.txt"
    f.write_text("# node genre age\n30 rock young\n10 jazz old\n\n20,rock,old\n")
    P = read_profiles(f, G)
    assert (P.n, P.m) == (3, 2)
    ids = G.node_ids([10, 20, 30])
    assert [P.values[0][c] for c in P.codes[ids, 0]] == ["jazz", "rock", "rock"]
    assert [P.values[1][c] for c in P.codes[ids, 1]] == ["old", "old", "young"]
    assert P.positions[ids[0]].tolist() == [0, 2 + 0]      # jazz, old


def test_read_profiles_errors(tmp_path, G):
    f = tmp_path / "bad.txt"
    f.write_text("10 a b\n20 a\n")
    with pytest.raises(GraphFormatError, match="bad.txt:2"):
        read_profiles(f)
    f.write_text("10 a\n20 b\n")
    with pytest.raises(InvalidParameterError, match="no row for node 30"):
        read_profiles(f, G)
    f.write_text("10 a\n20 b\n30 c\n99 d\n")
    with pytest.raises(im.UnknownNodeError):
        read_profiles(f, G)
    with pytest.raises(InvalidParameterError, match="'path'"):
        read_profiles(tmp_path / "missing.txt")


def test_from_dataframe(G):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"node": [20, 30, 10], "g": ["x", "y", "x"], "k": [1, 1, 2]})
    P = Profiles.from_dataframe(df, G, node_column="node")
    assert P.attributes == ("g", "k")
    ids = G.node_ids([10, 20, 30])
    assert P.codes[ids].tolist() == [[0, 1], [0, 0], [1, 0]]
    Q = Profiles.from_dataframe(df.set_index("node"))          # rows in order, no graph
    assert Q.codes.tolist() == [[0, 0], [1, 0], [0, 1]]
    with pytest.raises(InvalidParameterError, match="'node_column'"):
        Profiles.from_dataframe(df, G, node_column="user")


def test_synthetic_profiles():
    a = synthetic_profiles(2000, 4, 5, rng=7)
    b = synthetic_profiles(2000, 4, 5, rng=7)
    assert np.array_equal(a.codes, b.codes) and a.n_values.tolist() == [5] * 4
    # uniform: each value has frequency 1/5, stderr sqrt(.2 .8 / 8000)
    freq = np.bincount(a.codes.ravel(), minlength=5) / a.codes.size
    assert np.all(np.abs(freq - 0.2) < 5 * np.sqrt(0.16 / a.codes.size))
    e = synthetic_profiles(2000, 4, 5, dist="exponential", rng=7)
    p = np.exp(-np.arange(5.0))
    p /= p.sum()
    freq = np.bincount(e.codes.ravel(), minlength=5) / e.codes.size
    assert np.all(np.abs(freq - p) < 5 * np.sqrt(p * (1 - p) / e.codes.size))
    assert synthetic_profiles(0, 2, 3, rng=0).codes.shape == (0, 2)
    with pytest.raises(InvalidParameterError, match="'dist'"):
        synthetic_profiles(5, 2, 3, dist="zipf")
    with pytest.raises(InvalidParameterError, match="'m'"):
        synthetic_profiles(5, 0, 3)


def test_from_array_validation():
    with pytest.raises(InvalidParameterError, match="'table'"):
        Profiles.from_array([1, 2, 3])
    with pytest.raises(InvalidParameterError, match="'attributes'"):
        Profiles.from_array([[1, 2]], attributes=["only"])
