"""Experiment harnesses through a Dask executor (issue 13, deliverable 5): the BOPIM, ADITUM and
IMINFECTOR harnesses give the rows they give locally (each unit carries its own generator),
BOPIM also from the CLI. The org-boundaries harness: tests/observability/test_benchmark.py."""

from __future__ import annotations

import argparse
import csv

import pytest

from conftest import write_contacts
from infmax.temporal import experiment as ex

pytest.importorskip("dask.distributed")

SMALL = dict(figures=("k", "T"), methods=("bopim-hamming", "greedy", "random"), k=3,
             k_values=(2, 3), snapshots=4, beta=0.2, snapshot_values=(3,),
             beta_values=(0.1,), repeats=2, eval_simulations=100, greedy_simulations=20,
             bopim_options={"n_iterations": 2, "n_initial": 3, "n_simulations": 50,
                            "mcmc_draws": 200, "burn_in": 50},
             uq_runs=2, plots=False)


def _rows(path):
    with open(path, newline="") as f:
        return [{k: v for k, v in r.items() if k != "time"} for r in csv.DictReader(f)]


@pytest.mark.slow
def test_bopim_harness_on_dask_matches_local(tmp_path):
    from infmax.distributed import DaskExecutor

    contacts = write_contacts(tmp_path / "contacts.dat", n=15)
    ex.run_paper([contacts], output=tmp_path / "local", rng=3, **SMALL)
    with DaskExecutor(n_workers=2, processes=False) as dask_ex:
        res = ex.run_paper([contacts], output=tmp_path / "dask", rng=3, executor=dask_ex,
                           **SMALL)
        assert dask_ex.client.status == "running"   # a caller's executor stays open
    assert len(res.rows["k"]) == 2 * (2 * 2 + 1)
    for name in ("bopim_k.csv", "bopim_T.csv"):
        assert _rows(tmp_path / "dask" / name) == _rows(tmp_path / "local" / name), name


@pytest.mark.slow
def test_bopim_cli_executor_option(tmp_path):
    from infmax.cli import _exp_bopim
    from infmax.exceptions import InvalidParameterError

    contacts = write_contacts(tmp_path / "contacts.dat", n=15)
    p = argparse.ArgumentParser()
    _exp_bopim.add_arguments(p)
    common = ["--dataset", str(contacts), "--k-values", "2", "--snapshot-values", "3",
              "--repeats", "1", "--eval-simulations", "50", "--bopim-iterations", "2",
              "--bopim-initial", "3", "--bopim-simulations", "30", "--mcmc-draws", "100",
              "--burn-in", "20", "--beta", "0.2", "--snapshots", "4", "--k", "2",
              "--greedy-simulations", "10", "--figures", "k", "--methods",
              "bopim-hamming,random", "--rng", "5", "--no-plots", "--quiet"]
    _exp_bopim.run(p.parse_args([*common, "--output", str(tmp_path / "loc")]))
    rec = _exp_bopim.run(p.parse_args([*common, "--output", str(tmp_path / "dsk"),
                                       "--executor", "dask", "--workers", "1"]))
    assert rec["config"]["executor"] == "dask"
    assert _rows(tmp_path / "dsk" / "bopim_k.csv") == _rows(tmp_path / "loc" / "bopim_k.csv")
    with pytest.raises(InvalidParameterError, match="executor"):
        _exp_bopim.run(p.parse_args([*common, "--output", str(tmp_path / "bad"),
                                     "--executor", "mpi"]))


def _strip_time(rows):
    return [{c: v for c, v in r.items() if c not in ("time", "seconds") and
             not c.endswith("_seconds")} for r in rows]


@pytest.mark.slow
def test_aditum_harness_on_dask_matches_local(tmp_path):
    """ADITUM's harness (issue 13, deliverable 5): the same rows from a LocalCluster."""
    import infmax as im
    from infmax.distributed import DaskExecutor
    from infmax.targeted import experiment as aditum_ex

    G = im.datasets.synthetic.erdos_renyi(60, m=300, directed=True, rng=7).reweight("wc")
    kw = dict(figures=["2", "competitors"], k=[2, 3], alpha_grid=[0.0, 1.0],
              diversity=["attribute"], simulations=200, epsilon=0.5, competitors=["tim+"],
              rng=3, verbose=False, plots=False)
    want = aditum_ex.run(G, output=tmp_path / "local", **kw)
    with DaskExecutor(n_workers=2, processes=False) as dask_ex:
        got = aditum_ex.run(G, output=tmp_path / "dask", executor=dask_ex, **kw)
    assert len(want.rows) > 4
    assert _strip_time(got.rows) == _strip_time(want.rows)


@pytest.mark.slow
def test_iminfector_harness_on_dask_matches_local(data_dir, tmp_path):
    """IMINFECTOR's harness (issue 13, deliverable 5): the same DNI rows from a LocalCluster
    as in this process (each unit's stream depends only on rng, dataset and method)."""
    from infmax.distributed import DaskExecutor
    from infmax.learned import experiment as iminf_ex

    kw = dict(methods=["iminfector", "most-cascades"], k=[5, 10], epochs=1, rng=2,
              plots=False, progress=False)
    want = iminf_ex.run(["android"], output=tmp_path / "local", **kw)
    with DaskExecutor(n_workers=2, processes=False) as dask_ex:
        got = iminf_ex.run(["android"], output=tmp_path / "dask", executor=dask_ex, **kw)
    keep = ("dataset", "method", "k", "status", "dni", "dni_low", "dni_high", "seeds")
    assert [{c: r[c] for c in keep} for r in want.rows] == \
        [{c: r[c] for c in keep} for r in got.rows]
    assert {r["status"] for r in got.rows} == {"ok"} and len(got.rows) == 4
    assert "DaskExecutor" in got.summary["run"]["executor"]
