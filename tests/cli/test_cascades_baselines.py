"""``infmax seeds CASCADES --cascades --algorithm NAME`` for every baseline of issue 10: the
record, the seeds of the library function on the same training part, and one-line errors."""

from __future__ import annotations

import json
import random

import pytest

from conftest import assert_one_line_error, run, shared_data_dir
from infmax.cli._record import validate

needs_data = pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")

BASELINES = ["kcores", "avg-cascade-size", "most-cascades", "random-initiators", "imm-db",
             "imm-wc"]


def write_digg(path, *, n_cascades=60, seed=0):
    """``n_cascades`` digg-format cascades: initiators 0..7, participants 8..39, increasing
    start times (so the split by time is the file order)."""
    r = random.Random(seed)
    lines = []
    for c in range(n_cascades):
        users = [r.randrange(8)] + r.sample(range(8, 40), r.randrange(1, 6))
        t = 10 * (c + 1)
        lines.append(";".join(f"{u} {t + i}" for i, u in enumerate(users)))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def files(tmp_path):
    digg = write_digg(tmp_path / "digg.txt")
    g = tmp_path / "g.txt"                        # initiator u follows ... u -> u + 8, u + 16
    g.write_text("".join(f"{u} {u + 8}\n{u} {u + 16}\n{u + 8} {u + 24}\n" for u in range(8)))
    return digg, g


def _seeds(*argv):
    return json.loads(run("seeds", *argv, "--cascades", "-q", check_rc=0).stdout)


@pytest.mark.parametrize("name", BASELINES)
def test_every_baseline_from_the_cli(files, name):
    import infmax as im
    from infmax.algorithms import registry

    digg, g = files
    extra = ["--graph", str(g)] if name == "imm-wc" else []
    rec = _seeds(str(digg), "--format", "digg", "-k", "3", "-a", name, "--rng", "4", *extra)
    validate(rec)
    assert rec["algorithm"] == rec["config"]["algorithm"] == name
    C, _ = im.datasets.resolve(str(digg), kind="cascades", format="digg")
    if extra:
        C = C.with_graph(_load(str(g)))
    train, test = im.split_by_time(C, train=0.8)
    want = registry.get(name, input="cascades").func(train, 3, rng=4)
    assert rec["seeds"] == list(want.seeds)
    assert "dni" in rec["estimates"] and rec["cascades"]["train"] == 48
    assert rec["timings"]["phases"]["total"] >= 0


def _load(path):
    from infmax.cli._commands import load_graph

    return load_graph(path, func="test", param="--graph")[0]


def test_kcores_and_imm_db_say_which_graph(files):
    digg, g = files
    for argv, want in (([], "derived"), (["--graph", str(g)], "social")):
        for name in ("kcores", "imm-db"):
            rec = _seeds(str(digg), "--format", "digg", "-k", "2", "-a", name, "--rng", "1",
                         *argv)
            assert rec["record"]["graph"] == want, (name, argv)


def test_epsilon_reaches_imm(files):
    digg, g = files
    rec = _seeds(str(digg), "--format", "digg", "-k", "2", "-a", "imm-db", "--epsilon", "0.5",
                 "--rng", "1")
    validate(rec)
    assert rec["params"]["epsilon"] == rec["config"]["epsilon"] == 0.5


@pytest.mark.parametrize("argv, needles", [
    (["-a", "imm-wc"], ["'graph'", "imm_wc", "none"]),
    (["-a", "kcores", "--epochs", "2"], ["--epochs", "kcores"]),
    (["-a", "most-cascades", "--epsilon", "0.2"], ["--epsilon", "most-cascades"]),
    (["-a", "imm-db", "--epsilon", "1.5"], ["epsilon", "1.5"]),
    (["-a", "avg-cascade-size", "-k", "9"], ["'k'", "9"]),
    (["-a", "nope"], ["algorithm", "kcores", "imm-wc"]),
])
def test_bad_input(files, argv, needles):
    digg, _ = files
    k = [] if "-k" in argv else ["-k", "2"]
    assert_one_line_error(run("seeds", str(digg), "--cascades", "--format", "digg", *k, *argv),
                          *needles)


@needs_data
def test_christianity_social_graph_baselines():
    """A registered set with its social graph: k-cores and IMM-WC run on it."""
    for name, extra in (("kcores", []), ("imm-wc", ["--epsilon", "0.5"])):
        rec = _seeds("christianity", "-k", "5", "-a", name, "--rng", "1", *extra)
        validate(rec)
        assert rec["record"]["graph"] == "social" and len(rec["seeds"]) == 5
        assert rec["cascades"]["split"] == "shipped" and "dni" in rec["estimates"]
