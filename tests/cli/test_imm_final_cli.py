"""`infmax seeds -a imm --final MODE` reaches imm's ``final`` (Chen's issue); other selectors
refuse it with one line."""

from __future__ import annotations

import json

import pytest

import infmax as im
from conftest import assert_one_line_error, run


@pytest.mark.parametrize("mode", ["fresh", "reuse", "reuse-corrected"])
def test_final_option_matches_python(graph_file, mode):
    p = run("seeds", str(graph_file), "-k", "2", "-a", "imm", "--weights", "file",
            "--epsilon", "0.3", "--final", mode, "--rng", "4", check_rc=0)
    rec = json.loads(p.stdout)
    G = im.read_edgelist(graph_file, weights="file")
    ref = im.imm(G, 2, epsilon=0.3, final=mode, rng=4)
    assert rec["params"]["final"] == mode
    assert rec["seeds"] == list(ref.seeds)
    assert rec["estimates"]["algorithm"]["mean"] == ref.spread


def test_default_is_reuse_corrected(graph_file):
    rec = json.loads(run("seeds", str(graph_file), "-k", "2", "-a", "imm", "--weights", "file",
                         "--epsilon", "0.3", check_rc=0).stdout)
    assert rec["params"]["final"] == "reuse-corrected"


def test_final_refused_by_other_selectors_and_bad_values(graph_file):
    p = run("seeds", str(graph_file), "-k", "2", "-a", "tim+", "--final", "fresh")
    assert_one_line_error(p, "'--final'", "tim+")
    p = run("seeds", str(graph_file), "-k", "2", "-a", "imm", "--final", "sometimes")
    assert p.returncode == 2 and "--final" in p.stderr
