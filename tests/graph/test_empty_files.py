"""Graph files that give no graph (issue 8, item 16): empty, comment-only, blank-only and
self-loop-only files are a GraphFormatError naming the file, never a silent empty graph that a
selector later rejects with "The 'k' parameter of degree must be an int in [1, 0]"."""

from __future__ import annotations

import gzip
import subprocess
import sys

import pytest

import infmax as im
from infmax.datasets.formats import read_adjacency_list
from infmax.exceptions import GraphFormatError

NO_ROWS = "no edge rows"
ALL_LOOPS = "self-loops"


@pytest.mark.parametrize("text, says", [
    ("", NO_ROWS),
    ("\n\n   \n", NO_ROWS),
    ("# a comment\n% another\n", NO_ROWS),
    ("# header only\n1 1\n2 2\n", ALL_LOOPS),
    ("a a\n", ALL_LOOPS),                       # string labels: the exact Python path
    ("1,1,0.5\n", ALL_LOOPS),                   # with a probability column
])
def test_read_edgelist_without_a_graph_is_an_error(tmp_path, text, says):
    f = tmp_path / "g.txt"
    f.write_text(text)
    with pytest.raises(GraphFormatError, match="no graph to read") as e:
        im.read_edgelist(f)
    assert says in str(e.value) and str(f) in str(e.value)
    gz = tmp_path / "g.txt.gz"
    gz.write_bytes(gzip.compress(text.encode()))
    with pytest.raises(GraphFormatError, match=says):
        im.read_edgelist(gz, directed=False)


def test_self_loop_error_counts_the_rows(tmp_path):
    f = tmp_path / "loops.txt"
    f.write_text("1 1\n2 2\n3 3\n")
    with pytest.raises(GraphFormatError, match="all 3 edge rows are self-loops"):
        im.read_edgelist(f)


def test_listed_nodes_make_a_graph_without_edges(tmp_path):
    # the caller asked for these nodes: a graph of isolated nodes is what they get
    f = tmp_path / "g.txt"
    f.write_text("# nothing\n5 5\n")
    G = im.read_edgelist(f, nodes=[1, 2])
    assert (G.n, G.m) == (2, 0) and G.summary.self_loops_dropped == 1


def test_a_single_real_edge_still_reads(tmp_path):
    f = tmp_path / "g.txt"
    f.write_text("# c\n1 1\n1 2\n")
    G = im.read_edgelist(f)
    assert (G.n, G.m) == (2, 1)


def test_empty_adjacency_list_is_an_error(tmp_path):
    f = tmp_path / "adj.txt"
    f.write_text("# no nodes\n")
    with pytest.raises(GraphFormatError, match="no graph to read"):
        read_adjacency_list(f)
    f.write_text("0:\n1:\n")            # listed nodes without arcs are a graph
    assert read_adjacency_list(f).n == 2
    with pytest.raises(GraphFormatError, match="no graph to read"):
        read_adjacency_list(f, keep_isolated=False)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "7 7\n"])
def test_cli_says_the_file_has_no_graph(tmp_path, text):
    # the reproducer: a degree heuristic on such a file
    f = tmp_path / "g.txt"
    f.write_text(text)
    out = subprocess.run([sys.executable, "-m", "infmax", "seeds", str(f), "-k", "2",
                          "--algorithm", "degree"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr
    assert "no graph to read" in out.stderr and "[1, 0]" not in out.stderr
