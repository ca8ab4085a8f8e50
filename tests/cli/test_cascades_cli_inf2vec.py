"""``infmax seeds CASCADES --cascades -a imm-inf2vec|simpath-db|simpath-inf2vec``: the record,
the seeds of the library function, ``--eta`` / ``--epochs`` reaching the selectors that take
them, one-line errors."""

from __future__ import annotations

import json

import pytest

from conftest import assert_one_line_error, run, shared_data_dir
from infmax.cli._record import validate

needs_data = pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")


@pytest.fixture
def digg(tmp_path):
    """60 digg-format cascades: initiators 0..7, participants 8..39, increasing times."""
    import random

    r = random.Random(0)
    lines = []
    for c in range(60):
        users = [r.randrange(8)] + r.sample(range(8, 40), r.randrange(1, 6))
        lines.append(";".join(f"{u} {10 * (c + 1) + i}" for i, u in enumerate(users)))
    path = tmp_path / "digg.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def _seeds(*argv):
    return json.loads(run("seeds", *argv, "--cascades", "-q", check_rc=0).stdout)


@pytest.mark.parametrize(("name", "extra", "params"), [
    ("simpath-db", ["--eta", "0.05"], {"eta": 0.05}),
    ("simpath-inf2vec", ["--eta", "0.02", "--epochs", "1"], {"eta": 0.02, "epochs": 1}),
    ("imm-inf2vec", ["--epsilon", "0.5", "--epochs", "1"], {"epsilon": 0.5, "epochs": 1}),
])
def test_selectors_from_the_cli(digg, name, extra, params):
    import infmax as im
    from infmax.algorithms import registry

    rec = _seeds(str(digg), "--format", "digg", "-k", "3", "-a", name, "--rng", "4", *extra)
    validate(rec)
    assert rec["algorithm"] == name
    for key, value in params.items():
        assert rec["params"][key] == rec["config"][key] == value
    C, _ = im.datasets.resolve(str(digg), kind="cascades", format="digg")
    train, _ = im.split_by_time(C, train=0.8)
    want = registry.get(name, input="cascades").func(train, 3, rng=4, **params)
    assert rec["seeds"] == list(want.seeds)
    assert "selection" in rec["timings"]["phases"] and "dni" in rec["estimates"]


@pytest.mark.parametrize("argv, needles", [
    (["-a", "imm-db", "--eta", "0.01"], ["'--eta'", "imm-db", "does not apply"]),
    (["-a", "simpath-db", "--eta", "1.5"], ["'eta'", "1.5"]),
    (["-a", "simpath-db", "--epochs", "2"], ["'--epochs'", "simpath-db"]),
    (["-a", "simpath-inf2vec", "--epsilon", "0.2"], ["'--epsilon'", "simpath-inf2vec"]),
])
def test_bad_input(digg, argv, needles):
    assert_one_line_error(run("seeds", str(digg), "--cascades", "--format", "digg", "-k", "2",
                              *argv), *needles)


@needs_data
def test_android_imm_inf2vec():
    """The brief's command on a registered set with a social graph (one epoch, fast)."""
    rec = _seeds("android", "-a", "imm-inf2vec", "-k", "5", "--epochs", "1", "--epsilon",
                 "0.5", "--rng", "1")
    validate(rec)
    assert rec["record"]["graph"] == "social" and len(rec["seeds"]) == 5
