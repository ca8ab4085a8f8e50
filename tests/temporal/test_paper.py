"""The BOPIM paper harness as a library function (``temporal.experiment.run_paper``) that the
CLI (``infmax experiment bopim``) only parses options for."""

from __future__ import annotations

import argparse
import csv
import json

import pytest

from conftest import shared_data_dir, write_contacts
from infmax.exceptions import DatasetNotFoundError, InvalidParameterError
from infmax.temporal import experiment as ex

needs_data = pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")

SMALL = dict(figures=("k", "T", "beta", "progress", "uq"),
             methods=("bopim-hamming", "greedy", "random", "dynamic-degree"), k=3,
             k_values=(2, 3), snapshots=4, beta=0.2, snapshot_values=(3, 5),
             beta_values=(0.1, 0.3), repeats=2, eval_simulations=100, greedy_simulations=20,
             bopim_options={"n_iterations": 2, "n_initial": 3, "n_simulations": 50,
                            "mcmc_draws": 200, "burn_in": 50},
             uq_runs=2, plots=False)


@pytest.fixture
def contacts(tmp_path):
    return write_contacts(tmp_path / "contacts.dat", n=15)


def _rows(path):
    """CSV rows without the (wall-clock) time column."""
    with open(path, newline="") as f:
        return [{k: v for k, v in r.items() if k != "time"} for r in csv.DictReader(f)]


TABLES = ("bopim_k.csv", "bopim_T.csv", "bopim_beta.csv", "bopim_progress.csv",
          "bopim_nodes.csv", "bopim_inclusion.csv", "bopim_k_summary.csv")


def test_run_paper_writes_every_table_and_is_reproducible(contacts, tmp_path):
    a = ex.run_paper([contacts], output=tmp_path / "a", rng=7, **SMALL)
    b = ex.run_paper([str(contacts)], output=tmp_path / "b", rng=7, **SMALL)
    for name in TABLES:
        assert (tmp_path / "a" / name).is_file(), name
        assert _rows(tmp_path / "a" / name) == _rows(tmp_path / "b" / name), name
    # 2 k values x (2 randomised methods x 2 repeats + greedy + dynamic degree)
    assert len(a.rows["k"]) == 2 * (2 * 2 + 2) and len(_rows(tmp_path / "a" / "bopim_k.csv")) == 12
    assert {r["dataset"] for r in a.rows["k"]} == {"contacts.dat"}  # the file's source name
    assert a.files[-1].endswith("bopim_summary.json") and a.files == [
        f.replace(str(tmp_path / "b"), str(tmp_path / "a")) for f in b.files]
    written = json.loads((tmp_path / "a" / "bopim_summary.json").read_text())
    assert written["experiment"] == "bopim" and written["config"]["k"] == 3
    assert written["summaries"]["T"] == json.loads(json.dumps(a.summaries["T"]))
    assert set(written["uq"]) == {"contacts.dat"}
    c = ex.run_paper([contacts], output=tmp_path / "c", rng=8, **SMALL)
    assert _rows(tmp_path / "c" / "bopim_k.csv") != _rows(tmp_path / "a" / "bopim_k.csv")
    assert c.summaries["k"][0]["time"] >= 0


def test_cli_is_a_shell_over_run_paper(contacts, tmp_path):
    from infmax.cli import _exp_bopim

    p = argparse.ArgumentParser()
    _exp_bopim.add_arguments(p)
    rec = _exp_bopim.run(p.parse_args([
        "--dataset", str(contacts), "--output", str(tmp_path / "cli"), "--k-values", "2,3",
        "--snapshot-values", "3,5", "--beta-values", "0.1,0.3", "--repeats", "2",
        "--eval-simulations", "100", "--bopim-iterations", "2", "--bopim-initial", "3",
        "--bopim-simulations", "50", "--mcmc-draws", "200", "--burn-in", "50", "--uq-runs", "2",
        "--beta", "0.2", "--snapshots", "4", "--k", "3", "--greedy-simulations", "20",
        "--methods", "bopim-hamming,greedy,random,dynamic-degree", "--rng", "7", "--no-plots",
        "--quiet"]))
    ex.run_paper([contacts], output=tmp_path / "lib", rng=7, **SMALL)
    for name in TABLES:
        assert _rows(tmp_path / "cli" / name) == _rows(tmp_path / "lib" / name), name
    assert rec["command"] == "experiment" and rec["schema_version"] == 1
    assert rec["config"]["bopim"]["n_iterations"] == 2 and rec["config"]["dataset"] == [
        str(contacts)]


@pytest.mark.parametrize("kw, param", [
    ({"figures": ("k", "x")}, "figures"),
    ({"methods": ("greedy", "celf++")}, "methods"),
    ({"repeats": 0}, "repeats"),
    ({"beta_values": (0.1, 0.0)}, "beta_values"),
    ({"snapshot_values": (0,)}, "snapshot_values"),
    ({"bopim_options": {"burn_in": -1}}, "burn_in"),
    ({"uq_runs": 1.5}, "uq_runs"),
])
def test_bad_settings_are_named_before_any_work(contacts, tmp_path, kw, param):
    out = tmp_path / "new" / "out"
    with pytest.raises(InvalidParameterError, match=param):
        ex.run_paper([contacts], output=out, **{**SMALL, **kw})
    assert not (tmp_path / "new").exists()


def test_datasets_must_be_a_sequence(tmp_path, contacts):
    with pytest.raises(InvalidParameterError, match="datasets"):
        ex.run_paper(str(contacts), output=tmp_path / "o")
    with pytest.raises(InvalidParameterError, match="datasets"):
        ex.run_paper([], output=tmp_path / "o")


def test_k_above_n_and_unknown_dataset_leave_no_folder(contacts, tmp_path):
    with pytest.raises(InvalidParameterError, match="'k'"):
        ex.run_paper([contacts], output=tmp_path / "k", **{**SMALL, "k": 99})
    assert not (tmp_path / "k").exists()
    with pytest.raises(DatasetNotFoundError, match="no-such-contacts"):
        ex.run_paper(["no-such-contacts"], output=tmp_path / "d", **SMALL)
    assert not (tmp_path / "d").exists()


def test_interrupt_before_any_file_removes_the_folder(contacts, tmp_path, monkeypatch):
    def stop(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(ex, "compare", stop)
    with pytest.raises(KeyboardInterrupt):
        ex.run_paper([contacts], output=tmp_path / "o" / "p", **SMALL)
    assert not (tmp_path / "o").exists()


def test_existing_folder_with_results_is_kept_on_failure(contacts, tmp_path, monkeypatch):
    out = tmp_path / "o"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    monkeypatch.setattr(ex, "compare", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        ex.run_paper([contacts], output=out, **SMALL)
    assert (out / "mine.txt").read_text() == "keep"


def test_run_method_unknown_name():
    with pytest.raises(InvalidParameterError, match="'method'.*'celf\\+\\+'"):
        ex.run_method(None, 1, "celf++", beta=0.1, rng=0)


@needs_data
def test_dataset_rows_carry_the_canonical_name(tmp_path):
    # an alias resolves to the registered name (datasets.resolve's provenance)
    from infmax import datasets

    spec = datasets.get_spec("hospital")
    res = ex.run_paper(["hospital"], output=tmp_path / "h", figures=("k",), methods=("random",),
                       k_values=(1,), repeats=1, eval_simulations=20, plots=False, rng=0)
    assert {r["dataset"] for r in res.rows["k"]} == {spec.name}
