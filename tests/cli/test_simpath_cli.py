"""SIMPATH from the command line: `infmax seeds GRAPH -a simpath --model lt` goes through the
selector registry and gives the Python function's seeds; other models are refused."""

from __future__ import annotations

import json

import infmax as im
from conftest import assert_one_line_error, run


def test_seeds_with_simpath_match_python(graph_file):
    p = run("seeds", str(graph_file), "-k", "3", "-a", "simpath", "--model", "lt",
            "--weights", "file", "--rng", "1", "--evaluate", "2000", check_rc=0)
    rec = json.loads(p.stdout)
    G = im.read_edgelist(graph_file, weights="file")
    ref = im.simpath(G, 3)
    assert rec["seeds"] == list(ref.seeds)
    assert rec["config"]["algorithm"] == "simpath" and rec["config"]["model"] == "lt"
    assert rec["params"]["eta"] == 1e-3 and rec["params"]["lookahead"] == 4
    assert rec["estimates"]["algorithm"]["mean"] == ref.spread
    mc = rec["estimates"]["monte_carlo"]                      # pruning only drops mass
    assert ref.spread <= mc["mean"] + 4 * mc["stderr"]
    assert {"first_iteration", "selection", "total"} <= set(rec["timings"]["phases"])


def test_simpath_refuses_the_ic_model(graph_file):
    p = run("seeds", str(graph_file), "-k", "2", "-a", "simpath", "--model", "ic",
            "--weights", "file")
    assert_one_line_error(p, "'--model'", "simpath", "lt")


def test_listed_as_an_lt_selector():
    rec = json.loads(run("algorithms", "list", "--json", check_rc=0).stdout)
    (row,) = [r for r in rec["algorithms"] if r["name"] == "simpath"]
    assert row["input"] == "graph" and row["models"] == ["lt"] and row["candidates"]


def test_eta_option(graph_file):
    p = run("seeds", str(graph_file), "-k", "2", "-a", "simpath", "--model", "lt",
            "--weights", "file", "--eta", "0.01", check_rc=0)
    rec = json.loads(p.stdout)
    G = im.read_edgelist(graph_file, weights="file")
    assert rec["params"]["eta"] == 0.01 and rec["seeds"] == list(im.simpath(G, 2, eta=0.01).seeds)
    p = run("seeds", str(graph_file), "-k", "2", "-a", "imm", "--eta", "0.01")
    assert_one_line_error(p, "'--eta'", "imm")
