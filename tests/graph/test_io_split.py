"""graph/io.py split into _scan (byte scanners, exact slow path), readers and convert
(issue 9, item 7): the public import paths keep working and name one function each; the
vertex-list reader, moved next to the edge-list reader, validates its keywords like it."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import infmax as im
from infmax.exceptions import GraphFormatError, InvalidParameterError

READERS = ("read_edgelist", "read_adjacency_list", "read_node_values", "read_labels",
           "read_bytes", "require_nodes")
CONVERTERS = ("from_networkx", "to_networkx", "from_pandas", "from_scipy", "to_scipy")


@pytest.mark.parametrize("name", READERS + CONVERTERS)
def test_io_re_exports_the_one_function(name):
    io = importlib.import_module("infmax.graph.io")
    home = importlib.import_module("infmax.graph." + ("readers" if name in READERS
                                                      else "convert"))
    assert getattr(io, name) is getattr(home, name)
    assert name in io.__all__
    if name not in ("read_bytes", "require_nodes"):
        assert getattr(im.graph, name) is getattr(home, name)


def test_old_homes_still_import():
    from infmax.datasets.formats import read_adjacency_list

    assert read_adjacency_list is im.graph.read_adjacency_list
    assert im.read_edgelist is im.graph.readers.read_edgelist
    assert im.from_networkx is im.graph.convert.from_networkx


@pytest.mark.parametrize("kw, param", [
    ({"sep": "::"}, "sep"), ({"sep": ","}, "sep"), ({"sep": "1"}, "sep"), ({"sep": " "}, "sep"),
    ({"sep": 3}, "sep"), ({"merge": "bogus"}, "merge"), ({"dtype": "int8"}, "dtype"),
    ({"weights": "uniform:2"}, "weights"),
])
def test_read_adjacency_list_bad_keywords_name_it(tmp_path, kw, param):
    f = tmp_path / "adj.txt"
    f.write_text("0:1,2\n1:2\n")
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of "
                                                    "read_adjacency_list") as e:
        im.graph.read_adjacency_list(f, **kw)
    assert e.value.param == param


def test_adjacency_scanner_ids_and_limits(tmp_path):
    f = tmp_path / "adj.txt"
    f.write_text("007:01, 2\n2:\n1:\n")
    G = im.graph.read_adjacency_list(f)
    assert sorted(G.labels.tolist()) == [1, 2, 7]
    assert sorted(zip(G.labels[G.sources].tolist(), G.labels[G.indices].tolist())) == \
        [(7, 1), (7, 2)]
    big = "9" * 18
    f.write_text(f"{big}:1\n1:\n")
    assert int(big) in im.graph.read_adjacency_list(f).labels.tolist()
    f.write_text(f"1:\n{big}9:1\n")
    with pytest.raises(GraphFormatError, match="line 2"):
        im.graph.read_adjacency_list(f)
    f.write_text(f"1:2,{big}9\n")
    with pytest.raises(GraphFormatError, match="line 1"):
        im.graph.read_adjacency_list(f)


def test_adjacency_custom_separator(tmp_path):
    f = tmp_path / "adj.txt"
    f.write_text("0;1,2\n1;2\n2;\n")
    G = im.graph.read_adjacency_list(f, sep=";")
    assert (G.n, G.m) == (3, 3)


@pytest.mark.parametrize("tok", ["0.5", "00.25", "1e-3", "12345.678901234", "0.000", "-0.0",
                                 "5.", ".5", "1E+2", "0.1234567890123456", "1e-30", "3e400"])
def test_fast_float_path_matches_python_float(tmp_path, tok):
    """The digit runs of the numba float parser (one helper for the integer and the
    fractional part) give exactly Python's float, on the fast and on the exact path."""
    from infmax.graph import _scan

    f = tmp_path / "g.txt"
    f.write_text(f"1 2 {tok}\n2 3 0.5\n")
    parsed = _scan.fast_parse(f.read_bytes(), str(f), "#%", ord(","), False, 2, False, None)
    assert parsed is not None
    w = parsed[5]()
    exact = _scan.slow_parse(f.read_bytes(), str(f), "#%", None, 2, False)[5]()
    assert np.array_equal(w, np.array([float(tok), 0.5]))
    assert np.array_equal(exact, w)
    assert np.signbit(w[0]) == np.signbit(float(tok))
