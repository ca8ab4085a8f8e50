"""``infmax convert EDGES OUT`` and binary graphs as GRAPH arguments."""

from __future__ import annotations

import json

import numpy as np

import infmax as im
from conftest import assert_one_line_error, run
from infmax.cli._record import validate


def _record(p):
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_convert_then_seeds_equal_the_text_file(graph_file, tmp_path):
    out = tmp_path / "sub" / "g.infmax"
    rec = _record(run("convert", str(graph_file), str(out), "--quiet"))
    G = im.read_edgelist(graph_file)
    assert rec["command"] == "convert"
    validate(rec)
    assert (rec["n"], rec["m"]) == (G.n, G.m)
    assert rec["bytes"] == out.stat().st_size
    assert rec["timings"]["total_seconds"] >= rec["timings"]["write_seconds"] > 0
    H = im.graph.load(out)
    assert np.array_equal(H.indices, G.indices) and np.array_equal(H.probs, G.probs)
    a = _record(run("seeds", str(graph_file), "-k", "2", "--rng", "3", "-q"))
    b = _record(run("seeds", str(out), "-k", "2", "--rng", "3", "-q"))
    assert a["seeds"] == b["seeds"] and b["graph"]["file"] == str(out)
    c = _record(run("spread", str(out), "--seeds", ",".join(map(str, a["seeds"])),
                    "--weights", "uniform:0.3", "--rng", "1", "-q", "--simulations", "200"))
    assert c["graph"]["weights"].startswith("uniform")


def test_convert_undirected_and_weights(graph_file, tmp_path):
    out = tmp_path / "u.infmax"
    rec = _record(run("convert", str(graph_file), str(out), "--undirected", "-w",
                      "uniform:0.2", "-q"))
    U = im.read_edgelist(graph_file, directed=False, weights="uniform:0.2")
    assert rec["m"] == U.m
    H = im.graph.load(out)
    assert not H.directed and np.all(H.probs == 0.2)
    # a saved undirected graph accepts --undirected
    _record(run("seeds", str(out), "-k", "1", "--undirected", "--rng", "1", "-q"))


def test_directed_binary_graph_rejects_undirected(graph_file, tmp_path):
    out = tmp_path / "d.infmax"
    _record(run("convert", str(graph_file), str(out), "-q"))
    p = run("seeds", str(out), "-k", "1", "--undirected")
    assert_one_line_error(p, "saved directed", str(out))


def test_corrupt_binary_graph_is_one_line(graph_file, tmp_path):
    out = tmp_path / "g.infmax"
    _record(run("convert", str(graph_file), str(out), "-q"))
    out.write_bytes(out.read_bytes()[:-16])
    p = run("seeds", str(out), "-k", "1")
    assert_one_line_error(p, str(out), "truncated")


def test_convert_bad_output_and_input(graph_file, tmp_path):
    p = run("convert", str(graph_file), str(tmp_path))
    assert_one_line_error(p, "OUT", "existing directory")
    p = run("convert", str(tmp_path / "missing.txt"), str(tmp_path / "o.infmax"))
    assert p.returncode == 2 and "missing.txt" in p.stderr
    assert not (tmp_path / "o.infmax").exists()
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2\n3\n")
    p = run("convert", str(bad), str(tmp_path / "new" / "o.infmax"))
    assert_one_line_error(p, "bad.txt", "line 2")
    assert not (tmp_path / "new").exists()     # the folder it would have created is gone
