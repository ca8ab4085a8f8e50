"""CLI bad input and output paths: one line, exit 2, nothing computed, nothing left behind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import EDGES, assert_one_line_error, run, shared_data_dir

needs_data = pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")


# -- --output is checked before any work (B13) -------------------------------------------------
def test_output_is_a_directory(graph_file, tmp_path):
    p = run("seeds", str(graph_file), "-k", "1", "-a", "degree", "--output", str(tmp_path))
    assert_one_line_error(p, "--output", "existing directory")


def test_output_parent_is_a_file(graph_file, tmp_path):
    p = run("spread", str(graph_file), "--seeds", "0", "--output",
            str(graph_file / "sub" / "r.json"))
    assert_one_line_error(p, "--output", "is a file")
    assert graph_file.read_text() == EDGES


def _unwritable_dir(tmp_path) -> Path:
    if os.geteuid() != 0:
        d = tmp_path / "ro"
        d.mkdir()
        d.chmod(0o555)
        return d
    from infmax._io import _probe

    if os.path.isdir("/sys") and _probe(Path("/sys")) is not None:
        return Path("/sys")  # sysfs: no new files, even for root
    pytest.skip("running as root and no read-only directory available")


def test_output_in_read_only_directory_fails_before_the_work(graph_file, tmp_path):
    d = _unwritable_dir(tmp_path)
    # 10**8 simulations would run for minutes: the error must come first
    p = run("spread", str(graph_file), "--seeds", "0", "--simulations", "100000000",
            "--output", str(d / "r.json"))
    assert_one_line_error(p, "--output", "writable")


def test_failed_run_leaves_no_empty_folder(graph_file, tmp_path):
    out = tmp_path / "new" / "deeper" / "r.json"
    p = run("seeds", str(graph_file), "-k", "99", "-a", "degree", "--output", str(out))
    assert_one_line_error(p, "'k'")
    assert not (tmp_path / "new").exists()


def test_experiment_folder_corrupt_config_is_not_overwritten(tmp_path):
    out = tmp_path / "org"
    out.mkdir()
    (out / "config.json").write_text("{not json")
    p = run("experiment", "org-boundaries", "--dataset", "nethept", "--trials", "1",
            "--output", str(out))
    assert_one_line_error(p, "--output", "config.json")
    assert (out / "config.json").read_text() == "{not json"


def test_experiment_folder_is_a_file(tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    assert_one_line_error(run("experiment", "bopim", "--quick", "--output", str(f)),
                          "--output", "existing file")


@needs_data
def test_experiment_error_leaves_no_folder(tmp_path):
    out = tmp_path / "org"
    p = run("experiment", "org-boundaries", "--dataset", "nethept", "--trials", "1",
            "--visibility", "7", "--output", str(out))
    assert_one_line_error(p, "visibility")
    assert not out.exists()


# -- C14: a temporal dataset where a graph is expected --------------------------------------------
@needs_data
def test_temporal_dataset_without_temporal_flag():
    assert_one_line_error(run("seeds", "hospital", "-k", "2"), "temporal", "--temporal")


@needs_data
def test_org_boundaries_on_temporal_dataset(tmp_path):
    p = run("experiment", "org-boundaries", "--dataset", "hospital", "--trials", "1",
            "--output", str(tmp_path / "o"))
    assert_one_line_error(p, "--dataset", "temporal")
    assert not (tmp_path / "o").exists()


# -- C17 --------------------------------------------------------------------------------------
def test_empty_seeds_file(graph_file, tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("# nothing\n")
    assert_one_line_error(run("spread", str(graph_file), "--seeds-file", str(f)),
                          "--seeds-file", "empty.txt")


def test_missing_seeds_file(graph_file, tmp_path):
    assert_one_line_error(run("spread", str(graph_file), "--seeds-file",
                              str(tmp_path / "nope.txt")), "--seeds-file", "nope.txt")


@pytest.mark.parametrize("text", ["1,,2", ",", "0,", " "])
def test_seeds_with_empty_items(graph_file, text):
    assert_one_line_error(run("spread", str(graph_file), "--seeds", text), "--seeds")


def test_datasets_list_unknown_kind():
    assert_one_line_error(run("datasets", "list", "--kind", "foo"), "--kind", "foo")


def test_datasets_list_kind_filters():
    rec = json.loads(run("datasets", "list", "--kind", "temporal", check_rc=0).stdout)
    assert rec["datasets"] and {d["kind"] for d in rec["datasets"]} == {"temporal"}


@needs_data
def test_contact_format_with_registered_dataset():
    assert_one_line_error(run("seeds", "hospital", "--temporal", "-k", "2",
                              "--contact-format", "konect"), "--contact-format", "hospital")


@pytest.mark.parametrize("opt,val,needle", [
    ("--k-values", "0", "k_values"),
    ("--k-values", "2,,3", "k_values"),
    ("--beta-values", "2", "beta_values"),
    ("--beta-values", "0", "beta_values"),
    ("--snapshot-values", "0", "snapshot_values"),
    ("--repeats", "0", "repeats"),
    ("--eval-simulations", "0", "eval_simulations"),
])
def test_bopim_grids_are_validated(tmp_path, opt, val, needle):
    out = tmp_path / "b"
    assert_one_line_error(run("experiment", "bopim", "--quick", opt, val, "--output", str(out)),
                          needle, val)
    assert not out.exists()


def test_bopim_quick_keeps_user_values(tmp_path):
    """--quick shrinks the defaults but never overrides what the user gave."""
    import argparse

    from infmax.cli import _exp_bopim

    contacts = tmp_path / "c.dat"
    contacts.write_text("".join(f"{t}\t{t % 7}\t{(t + 1) % 7}\n" for t in range(200)))
    p = argparse.ArgumentParser()
    _exp_bopim.add_arguments(p)
    args = p.parse_args(["--quick", "--dataset", str(contacts), "--output",
                         str(tmp_path / "o"), "--figures", "k,beta", "--k-values", "1,3",
                         "--beta-values", "0.2", "--repeats", "2", "--methods", "random",
                         "--eval-simulations", "50", "--no-plots", "--quiet"])
    rec = _exp_bopim.run(args)
    cfg = rec["config"]
    assert cfg["repeats"] == 2 and cfg["beta_values"] == [0.2] and cfg["eval_simulations"] == 50
    ks = sorted({r["k"] for r in rec["summaries"]["k"]})
    assert ks == [1, 3]
    assert {r["beta"] for r in rec["summaries"]["beta"]} == {0.2}


# -- --max-memory ----------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["0", "lots", "-5M"])
def test_max_memory_bad_value(graph_file, bad):
    assert_one_line_error(run("seeds", str(graph_file), "-k", "1", f"--max-memory={bad}"),
                          "--max-memory", bad)


def test_max_memory_too_small_says_what_to_change(graph_file):
    p = run("seeds", str(graph_file), "-k", "1", "-a", "imm", "--max-memory", "1K")
    assert_one_line_error(p, "max_memory")


def test_max_memory_not_applicable(graph_file):
    assert_one_line_error(run("seeds", str(graph_file), "-k", "1", "-a", "degree",
                              "--max-memory", "1G"), "--max-memory", "degree")


def test_parse_size():
    from infmax.cli._shared import parse_size

    assert parse_size("500M") == 500 * 2**20
    assert parse_size("8G") == 8 * 2**30
    assert parse_size("1.5GiB") == 3 * 2**29
    assert parse_size("4096") == 4096
