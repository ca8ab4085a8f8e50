"""The console script, driven through a subprocess like a user would."""

import json

import pytest

from conftest import assert_one_line_error, run, shared_data_dir


def test_seeds_json_record(graph_file):
    p = run("seeds", str(graph_file), "-k", "2", "--algorithm", "degree", "--weights", "file",
            "--rng", "1", "--evaluate", "2000", check_rc=0)
    rec = json.loads(p.stdout)
    assert rec["seeds"] == [0, 1]  # out-degree 2, then the first of the degree-1 ties (id order)
    assert rec["infmax_version"]
    assert rec["config"]["k"] == 2 and rec["config"]["algorithm"] == "degree"
    assert rec["graph"]["n"] == 6 and rec["graph"]["m"] == 6
    mc = rec["estimates"]["monte_carlo"]
    assert mc["n_simulations"] == 2000
    assert mc["ci95"][0] <= mc["mean"] <= mc["ci95"][1]
    assert {"total_seconds", "select_seconds", "compile_seconds"} <= set(rec["timings"])
    assert "total" in rec["timings"]["phases"]


def test_seeds_output_file_is_written(graph_file, tmp_path):
    out = tmp_path / "res" / "seeds.json"
    run("seeds", str(graph_file), "-k", "1", "--algorithm", "degree", "--output", str(out),
        check_rc=0)
    assert json.loads(out.read_text())["seeds"] == [0]
    assert not [f for f in out.parent.iterdir() if f.name.startswith(".")]  # no temp left


def test_spread_top_level_fields(graph_file):
    p = run("spread", str(graph_file), "--seeds", "0", "--weights", "file",
            "--simulations", "4000", "--rng", "3", check_rc=0)
    rec = json.loads(p.stdout)["estimates"]["monte_carlo"]
    for key in ("mean", "stderr", "ci95", "n_simulations"):
        assert key in rec
    # exact: 1 + P(1) + P(2) + P(3) + P(4) + P(5)
    p3 = 1 - (1 - 0.5 * 0.4) ** 2
    exact = 1 + 0.5 + 0.5 + p3 + p3 * 0.9 + p3 * 0.9 * 0.3
    assert abs(rec["mean"] - exact) <= 4 * rec["stderr"]
    assert rec["n_simulations"] == 4000


def test_spread_seeds_file(graph_file, tmp_path):
    sf = tmp_path / "seeds.txt"
    sf.write_text("0\n4\n")
    rec = json.loads(run("spread", str(graph_file), "--seeds-file", str(sf),
                         "--simulations", "100", "--rng", "1", check_rc=0).stdout)
    assert rec["seeds"] == [0, 4]


def test_help_documents_every_option():
    p = run("seeds", "--help", check_rc=0)
    for opt in ("-k", "--algorithm", "--model", "--weights", "--undirected", "--rng",
                "--output", "--epsilon", "--node-weights", "--temporal", "--snapshots",
                "--beta"):
        assert opt in p.stdout
    p = run("spread", "--help", check_rc=0)
    for opt in ("--seeds", "--seeds-file", "--simulations", "--model", "--weights"):
        assert opt in p.stdout


def test_datasets_list_and_info():
    rec = json.loads(run("datasets", "list", check_rc=0).stdout)
    names = {d["name"] for d in rec["datasets"]}
    assert {"nethept", "netphy", "epinions", "wiki-vote"} <= names
    info = json.loads(run("datasets", "info", "nethept", check_rc=0).stdout)
    assert info["name"] == "nethept" and info["files"]


@pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")
def test_seeds_on_registered_dataset():
    p = run("seeds", "ca-grqc", "-k", "3", "--algorithm", "degree-discount", "--rng", "0",
            check_rc=0)
    rec = json.loads(p.stdout)
    assert len(rec["seeds"]) == 3 and rec["graph"]["dataset"] == "ca-grqc"


# -- bad input: exit 2, one line naming the problem, no traceback ---------------------------------
def test_unknown_dataset():
    assert_one_line_error(run("seeds", "no-such-graph", "-k", "2"), "no-such-graph")


def test_malformed_line_reports_line_number(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text("0 1\n1 2\n2 x y z\n")
    assert_one_line_error(run("seeds", str(f), "-k", "1", "--algorithm", "degree"), "line 3")


def test_k_larger_than_n(graph_file):
    assert_one_line_error(run("seeds", str(graph_file), "-k", "7", "--algorithm", "degree"),
                          "'k'", "7")


@pytest.mark.parametrize("k", ["0", "-3"])
def test_k_not_positive(graph_file, k):
    assert_one_line_error(run("seeds", str(graph_file), "-k", k, "--algorithm", "degree"),
                          "'k'", k)


def test_probability_outside_unit_interval(graph_file, tmp_path):
    assert_one_line_error(run("seeds", str(graph_file), "-k", "1", "--algorithm", "degree",
                              "--weights", "uniform:1.5"), "weights", "1.5")
    f = tmp_path / "p.txt"
    f.write_text("0 1 0.5\n1 2 1.7\n")
    p = run("spread", str(f), "--seeds", "0", "--weights", "file")
    assert_one_line_error(p, "1.7")


def test_unknown_seed_label(graph_file):
    assert_one_line_error(run("spread", str(graph_file), "--seeds", "0,99"), "99")


def test_unknown_algorithm(graph_file):
    assert_one_line_error(run("seeds", str(graph_file), "-k", "1", "--algorithm", "magic"),
                          "algorithm", "magic")


def test_option_not_applicable(graph_file):
    assert_one_line_error(run("seeds", str(graph_file), "-k", "1", "--algorithm", "degree",
                              "--epsilon", "0.1"), "--epsilon", "degree")


def test_unknown_model(graph_file):
    assert_one_line_error(run("spread", str(graph_file), "--seeds", "0", "--model", "sir"),
                          "model", "sir")


def test_missing_required_argument():
    assert_one_line_error(run("seeds"), "required")


@pytest.mark.parametrize("algorithm", ["imm", "tim+", "opim-c"])
def test_ris_algorithms_from_cli(graph_file, algorithm):
    rec = json.loads(run("seeds", str(graph_file), "-k", "2", "--algorithm", algorithm,
                         "--epsilon", "0.3", "--weights", "file", "--rng", "5",
                         check_rc=0).stdout)
    assert len(rec["seeds"]) == 2 and rec["seeds"][0] == 0  # node 0 reaches everything
    assert rec["record"]["theta"] > 0
    assert rec["estimates"]["algorithm"]["mean"] > 1


def test_node_weights_file_targets_the_seed(tmp_path):
    # two disjoint stars: weights put all the value on the leaves of the second one
    f = tmp_path / "stars.txt"
    f.write_text("0 1\n0 2\n0 3\n10 11\n10 12\n")
    w = tmp_path / "w.txt"
    w.write_text("11 5\n12 5\n")
    plain = json.loads(run("seeds", str(f), "-k", "1", "--algorithm", "imm", "--weights",
                           "uniform:1", "--rng", "1", check_rc=0).stdout)
    targeted = json.loads(run("seeds", str(f), "-k", "1", "--algorithm", "imm", "--weights",
                              "uniform:1", "--node-weights", str(w), "--rng", "1",
                              check_rc=0).stdout)
    assert plain["seeds"] == [0] and targeted["seeds"] == [10]
    assert targeted["estimates"]["algorithm"]["mean"] == pytest.approx(10.0)
    bad = tmp_path / "bad.txt"
    bad.write_text("99 1\n")
    assert_one_line_error(run("seeds", str(f), "-k", "1", "--algorithm", "imm",
                              "--node-weights", str(bad)), "99")


def test_lt_model_from_cli(graph_file):
    rec = json.loads(run("spread", str(graph_file), "--seeds", "0", "--model", "lt",
                         "--simulations", "2000", "--rng", "2", check_rc=0).stdout)
    assert rec["model"] == "lt" and rec["estimates"]["monte_carlo"]["mean"] >= 1


def test_bad_epsilon(graph_file):
    assert_one_line_error(run("seeds", str(graph_file), "-k", "1", "--algorithm", "imm",
                              "--epsilon", "1.5"), "epsilon", "1.5")
