"""The CLI over ``datasets.resolve`` and the evaluation stream of ``--evaluate``."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import infmax as im
from conftest import shared_data_dir
from infmax.exceptions import DatasetNotFoundError, InvalidParameterError
from infmax.random import spawn

needs_data = pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")

EDGES = "0 1 0.5\n0 2 0.5\n1 3 0.4\n2 3 0.4\n3 4 0.9\n4 5 0.3\n"


def run(*argv):
    env = dict(os.environ)
    env.setdefault("NUMBA_NUM_THREADS", "2")
    p = subprocess.run([sys.executable, "-m", "infmax", *argv], capture_output=True, text=True,
                       env=env, timeout=600)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.fixture
def contacts(tmp_path):
    rng = np.random.default_rng(0)
    lines = [f"{int(rng.integers(0, 5000))}\t{i}\t{(i + 1 + int(rng.integers(0, 3))) % 15}"
             for i in rng.integers(0, 15, 300)]
    p = tmp_path / "tij.dat"
    p.write_text("\n".join(lines) + "\n")
    return p


# -- the independent evaluation draws from spawn(rng, 2)[1], not rng + 1 --------------------------
def test_static_evaluation_stream_is_spawned(graph_file):
    rec = run("seeds", str(graph_file), "-k", "2", "-a", "degree", "--rng", "4",
              "--evaluate", "3000")
    G = im.read_edgelist(graph_file)
    mc = rec["estimates"]["monte_carlo"]
    want = im.spread(G, rec["seeds"], n_simulations=3000, rng=spawn(4, 2)[1])
    assert mc["mean"] == want.mean and mc["stderr"] == want.stderr
    # the old stream (rng + 1) is the selection stream of --rng 5: a different estimate
    assert im.spread(G, rec["seeds"], n_simulations=3000, rng=5).mean != mc["mean"]


def _targs(**kw):
    base = dict(graph=None, k=2, algorithm="random", snapshots=4, beta=0.2, simulations=None,
                rng=1, progress=False, kernel=None, evaluate=400)
    base.update(kw)
    return argparse.Namespace(**base)


def test_temporal_evaluation_stream_is_spawned(contacts):
    from infmax.cli._temporal import run_seeds
    from infmax.temporal import si_spread

    rec = run_seeds(_targs(graph=str(contacts), rng=3))
    TG = im.datasets.temporal.read_contacts(contacts, snapshots=4)
    want = si_spread(TG, rec["seeds"], beta=0.2, n_simulations=400, rng=spawn(3, 2)[1])
    assert rec["estimates"]["monte_carlo"]["mean"] == want.mean


@pytest.mark.parametrize("rng", [np.random.SeedSequence(5), "generator"])
def test_temporal_seeds_accept_seedsequence_and_generator(contacts, rng):
    # rng + 1 raised TypeError for both
    from infmax.cli._temporal import run_seeds

    make = (lambda: np.random.default_rng(5)) if rng == "generator" else (lambda: rng)
    a = run_seeds(_targs(graph=str(contacts), rng=make()))
    b = run_seeds(_targs(graph=str(contacts), rng=make()))
    assert a["seeds"] == b["seeds"]
    assert a["estimates"]["monte_carlo"]["mean"] == b["estimates"]["monte_carlo"]["mean"]


def test_evaluation_rng_none_stays_none():
    from infmax.cli._shared import evaluation_rng

    assert evaluation_rng(None) is None
    g = evaluation_rng(7)
    assert g.integers(0, 2**62) == spawn(7, 2)[1].integers(0, 2**62)


# -- file or dataset: datasets.resolve ----------------------------------------------------------
def test_temporal_file_provenance_and_record(contacts):
    from infmax.cli._temporal import load_temporal, run_seeds

    TG, src = load_temporal(str(contacts), snapshots=4)
    assert src == {"file": str(contacts)} and TG.T == 4
    rec = run_seeds(_targs(graph=str(contacts)))
    assert rec["graph"]["file"] == str(contacts) and "dataset" not in rec["graph"]
    from infmax.cli._record import validate

    validate(rec)


def test_temporal_unknown_name_and_directory(tmp_path):
    from infmax.cli._temporal import load_temporal

    with pytest.raises(DatasetNotFoundError, match="neither a file"):
        load_temporal("no-such-contacts")
    with pytest.raises(InvalidParameterError, match="GRAPH.*directory"):
        load_temporal(str(tmp_path))


def test_temporal_file_keeps_contact_format(contacts):
    from infmax.cli._temporal import load_temporal

    TG, _ = load_temporal(str(contacts), snapshots=3, fmt="tij")
    assert TG.T == 3


def test_graph_file_provenance_and_weights(graph_file):
    from infmax.cli._commands import load_graph

    G, info = load_graph(str(graph_file), func="t")
    assert info["file"] == str(graph_file) and G.weighting == "file"  # the probability column
    G2, info2 = load_graph(str(graph_file), weights="uniform:0.2", func="t")
    assert info2["weights"] == "uniform:0.2" and np.allclose(G2.probs, 0.2)


def test_graph_name_neither_file_nor_dataset():
    from infmax.cli._commands import load_graph

    with pytest.raises(DatasetNotFoundError, match="GRAPH.*neither a file"):
        load_graph("no-such-graph", func="infmax seeds")


@needs_data
def test_graph_dataset_keeps_its_default_weights():
    from infmax.cli._commands import load_graph

    G, info = load_graph("nethept", func="t")
    ref = im.datasets.load("nethept")
    assert info == {**info, "dataset": "nethept", "weights": ref.weighting}
    assert ref.weighting == "wc" and np.array_equal(G.probs, ref.probs)
    U, _ = load_graph("nethept", weights="uniform:0.1", func="t")
    assert U.weighting == "uniform:0.1"


@needs_data
def test_dataset_only_option_ignores_a_folder_of_that_name(tmp_path, monkeypatch):
    from infmax.cli._commands import load_graph

    monkeypatch.chdir(tmp_path)
    (tmp_path / "nethept").mkdir()
    G, info = load_graph("nethept", func="org-boundaries", param="--dataset", kind="dataset")
    assert info["dataset"] == "nethept"


@needs_data
def test_contact_format_that_does_not_fit_a_dataset():
    from infmax.cli._temporal import load_temporal

    with pytest.raises(InvalidParameterError, match="--contact-format.*hospital"):
        load_temporal("hospital", fmt="konect")
