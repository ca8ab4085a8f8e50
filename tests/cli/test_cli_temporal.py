"""CLI glue of the temporal work: ``run_seeds`` and ``infmax experiment bopim``."""

from __future__ import annotations

import argparse
import json

import pytest

from conftest import write_contacts
from infmax.exceptions import DatasetNotFoundError, InvalidParameterError


@pytest.fixture
def contacts(tmp_path):
    return write_contacts(tmp_path / "tij.dat", n=25, events=400, hops=4, t_max=10_000)


def _args(**kw):
    base = dict(graph=None, k=3, algorithm="bopim", snapshots=5, beta=0.2, simulations=200,
                rng=1, progress=None, kernel=None, evaluate=500, n_iterations=3,
                mcmc_draws=300, burn_in=50)
    base.update(kw)
    return argparse.Namespace(**base)


@pytest.mark.parametrize("algorithm", ["bopim", "greedy", "dynamic-degree", "random",
                                       "random-degree"])
def test_run_seeds(contacts, algorithm):
    from infmax.cli._temporal import run_seeds

    rec = run_seeds(_args(graph=str(contacts), algorithm=algorithm))
    mc = rec["estimates"]["monte_carlo"]
    assert len(rec["seeds"]) == 3 and mc["n_simulations"] == 500
    assert mc["ci95"][0] <= mc["mean"] <= mc["ci95"][1]
    assert rec["config"]["snapshots"] == 5 and "total" in rec["timings"]["phases"]
    json.dumps(__import__("infmax").results.to_jsonable(rec))
    if algorithm == "bopim":
        assert len(rec["record"]["trace"]) == 8


def test_run_seeds_bad_input(contacts):
    from infmax.cli._temporal import run_seeds

    with pytest.raises(InvalidParameterError, match="algorithm"):
        run_seeds(_args(graph=str(contacts), algorithm="imm"))
    with pytest.raises(InvalidParameterError, match="beta"):
        run_seeds(_args(graph=str(contacts), beta=3.0))
    with pytest.raises(DatasetNotFoundError, match="neither a file"):
        run_seeds(_args(graph="no-such-contacts"))


def test_experiment_bopim_small(contacts, tmp_path):
    from infmax.cli._exp_bopim import add_arguments, run

    p = argparse.ArgumentParser()
    add_arguments(p)
    out = tmp_path / "out"
    args = p.parse_args(["--dataset", str(contacts), "--output", str(out), "--k-values", "2,3",
                         "--snapshot-values", "3,5", "--beta-values", "0.1,0.3",
                         "--repeats", "1", "--eval-simulations", "300", "--bopim-iterations",
                         "2", "--bopim-simulations", "200", "--mcmc-draws", "200",
                         "--burn-in", "50", "--uq-runs", "2", "--beta", "0.2",
                         "--methods", "bopim-hamming,greedy,random", "--k", "3"])
    summary = run(args)
    for name in ("bopim_k.csv", "bopim_T.csv", "bopim_beta.csv", "bopim_progress.csv",
                 "bopim_nodes.csv", "bopim_inclusion.csv", "bopim_summary.json",
                 "fig2_spread_vs_k.png", "fig3_time_vs_k.png", "fig4_spread_vs_T.png",
                 "fig5_spread_vs_beta.png"):
        assert (out / name).is_file(), name
    assert any(f.endswith(".png") and "fig6a" in f for f in summary["files"])
    rows = (out / "bopim_k.csv").read_text().splitlines()
    assert rows[0].startswith("dataset,figure,n,k,T,beta,method")
    assert len(rows) == 1 + 2 * 3  # 2 k values x 3 methods x 1 repeat
    with pytest.raises(InvalidParameterError, match="figures"):
        run(p.parse_args(["--dataset", str(contacts), "--output", str(out), "--figures", "x"]))


@pytest.mark.parametrize("opt", [("--eta", "0.01"), ("--final", "fresh"), ("--epsilon", "0.2"),
                                 ("--weights", "wc")])
def test_static_options_refused_with_temporal(contacts, opt):
    from conftest import assert_one_line_error, run

    p = run("seeds", str(contacts), "--temporal", "-k", "2", *opt)
    assert_one_line_error(p, f"'{opt[0]}'", "static graphs")
