"""``infmax experiment aditum``: a small run end to end, resume, bad input exits 2."""

from __future__ import annotations

import json

import pytest

from conftest import assert_one_line_error, run


@pytest.fixture
def big_graph(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("".join(f"{i} {(i * 7 + 1) % 60}\n{i} {(i + 1) % 60}\n{i} {(i * 3) % 60}\n"
                            for i in range(60)))
    return path


SMALL = ["--k", "2,3", "--alpha-grid", "0,1", "--diversity", "attribute,class",
         "--simulations", "200", "--epsilon", "0.5", "--competitors", "tim+,no-such",
         "--scores", "indegree", "--quiet"]


def test_small_run_writes_every_file_and_resumes(big_graph, tmp_path):
    out = tmp_path / "out"
    p = run("experiment", "aditum", "--dataset", str(big_graph), "--output", str(out), *SMALL,
            check_rc=0)
    rec = json.loads(p.stdout)
    assert rec["command"] == "experiment" and rec["experiment"] == "aditum"
    assert rec["unavailable"] == ["no-such"]
    assert rec["settings"]["k"] == [2, 3] and rec["settings"]["model"] == "ic"
    assert set(rec["tables"]) == {"1", "2", "4", "5", "competitors"}
    for f in rec["files"]:
        assert (out / f.rsplit("/", 1)[-1]).exists(), f
    assert (out / "fig4_overlap.png").read_bytes()[:4] == b"\x89PNG"
    assert rec["timings"]["total_seconds"] > 0
    # the same settings again: every unit is journaled, nothing runs, the tables are equal
    p2 = run("experiment", "aditum", "--dataset", str(big_graph), "--output", str(out),
             *SMALL[:-1], check_rc=0)
    assert "resuming" in p2.stderr
    assert json.loads(p2.stdout)["tables"] == rec["tables"]
    # a changed setting is refused (exit 2, one line), --no-resume starts afresh
    assert_one_line_error(
        run("experiment", "aditum", "--dataset", str(big_graph), "--output", str(out),
            *SMALL, "--rng", "5"), "'output' parameter", "other settings", "rng")
    run("experiment", "aditum", "--dataset", str(big_graph), "--output", str(out), *SMALL,
        "--rng", "5", "--no-resume", "--figures", "4", "--no-plots", check_rc=0)


@pytest.mark.parametrize("args, needles", [
    (["--k", "0"], ["'k' parameter", "0"]),
    (["--k", "500"], ["'k' parameter", "500"]),
    (["--alpha-grid", "0,1.5"], ["'alpha_grid' parameter", "1.5"]),
    (["--figures", "3"], ["'figures' parameter", "'3'"]),
    (["--scores", "pagerank"], ["'scores' parameter", "pagerank"]),
    (["--epsilon", "nan"], ["'epsilon' parameter", "nan"]),
    (["--executor", "gpu"], ["'executor' parameter", "gpu"]),
    (["--dataset", "no-such-graph"], ["no-such-graph"]),
])
def test_bad_input_exits_2_with_one_line(big_graph, tmp_path, args, needles):
    out = tmp_path / "o"
    dataset = [] if "--dataset" in args else ["--dataset", str(big_graph)]
    assert_one_line_error(run("experiment", "aditum", *dataset, "--output", str(out), *SMALL,
                              *args), *needles)
    assert not out.exists()


def test_output_that_is_a_file_exits_2(big_graph, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    assert_one_line_error(run("experiment", "aditum", "--dataset", str(big_graph), "--output",
                              str(f), *SMALL), "'output' parameter", "directory")
