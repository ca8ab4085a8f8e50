"""``infmax seeds CASCADES --cascades`` and ``infmax dni`` (issue 10, deliverable 7): records
valid against record.schema.json, the split, DNI on the test part, and one-line errors."""

from __future__ import annotations

import json
import random

import pytest

from conftest import assert_one_line_error, run, shared_data_dir
from infmax.cli._record import validate

needs_data = pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")


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
def digg(tmp_path):
    return write_digg(tmp_path / "digg.txt")


def _seeds(*argv):
    return json.loads(run("seeds", *argv, "--cascades", "-q", check_rc=0).stdout)


def test_seeds_cascades_file_record(digg):
    """The seeds come from the training part; DNI is the library's on the test part."""
    import infmax as im
    from infmax.cli._shared import evaluation_rng

    rec = _seeds(str(digg), "--format", "digg", "-k", "3", "--epochs", "2", "--rng", "1")
    validate(rec)
    assert rec["config"]["cascades"] is True and rec["config"]["train_fraction"] == 0.8
    assert rec["config"]["epochs"] == rec["params"]["epochs"] == 2
    assert rec["cascades"] == {**rec["cascades"], "file": str(digg), "cascades": 60,
                               "split": "time", "train": 48, "test": 12}
    C, _ = im.datasets.resolve(str(digg), kind="cascades", format="digg")
    train, test = im.split_by_time(C, train=0.8)
    assert len(rec["seeds"]) == 3
    assert set(rec["seeds"]) <= set(train.node_labels(train.initiators))
    assert rec["estimates"]["dni"] == im.dni(rec["seeds"], test,
                                             rng=evaluation_rng(1)).to_dict()
    assert rec["estimates"]["dni"]["low"] <= rec["estimates"]["dni"]["dni"] \
        <= rec["estimates"]["dni"]["high"]
    # same --rng, same seeds and record values
    again = _seeds(str(digg), "--format", "digg", "-k", "3", "--epochs", "2", "--rng", "1")
    assert again["seeds"] == rec["seeds"] and again["estimates"] == rec["estimates"]


def test_seeds_cascades_train_fraction_and_no_test_part(digg, tmp_path):
    """--train-fraction moves the split; a split with no test cascade gives no dni."""
    rec = _seeds(str(digg), "--format", "digg", "-k", "2", "--epochs", "1", "--rng", "2",
                 "--train-fraction", "0.5")
    validate(rec)
    assert (rec["cascades"]["train"], rec["cascades"]["test"]) == (30, 30)
    out = tmp_path / "out.json"
    run("seeds", str(digg), "--cascades", "--format", "digg", "-k", "2", "--epochs", "1",
        "--rng", "2", "--train-fraction", "0.995", "-q", "-o", str(out), check_rc=0)
    rec = json.loads(out.read_text())
    validate(rec)
    assert (rec["cascades"]["train"], rec["cascades"]["test"]) == (60, 0)
    assert "dni" not in rec["estimates"]


def test_seeds_cascades_with_social_graph(digg, tmp_path):
    g = tmp_path / "g.txt"
    g.write_text("".join(f"{u} {u + 8}\n" for u in range(8)))
    rec = _seeds(str(digg), "--format", "digg", "--graph", str(g), "-k", "2", "--epochs", "1",
                 "--rng", "3")
    validate(rec)
    assert rec["graph"]["file"] == str(g) and rec["graph"]["n"] == 16
    assert rec["config"]["social_graph"] == str(g)


def test_dni_file(tmp_path):
    """All of a file is test: DNI counts the distinct users of the cascades a seed started."""
    f = tmp_path / "t.txt"
    f.write_text("1 0;2 1;3 2\n1 5;3 6;4 7\n5 9;6 10\n7 11;1 12\n")
    rec = json.loads(run("dni", str(f), "--format", "digg", "--seeds", "1,7,99", "--rng", "0",
                         check_rc=0).stdout)
    validate(rec)
    assert rec["seeds"] == [1, 7, "99"] and rec["seeds_absent"] == ["99"]
    est = rec["estimates"]["dni"]
    assert (est["k"], est["dni"], est["cascades"]) == (3, 5, 3)   # {1,2,3,4} | {7,1}
    assert est["low"] <= est["dni"] <= est["high"] and est["confidence"] == 0.95
    assert rec["cascades"]["cascades"] == 4 and "split" not in rec["cascades"]


def test_schema_rejects_broken_cascade_records(digg):
    import jsonschema

    rec = json.loads(run("dni", str(digg), "--format", "digg", "--seeds", "1", check_rc=0).stdout)
    for breaking in (lambda r: r["estimates"]["dni"].pop("high"),
                     lambda r: r["estimates"]["dni"].update(mean=1.0),
                     lambda r: r.pop("cascades"),
                     lambda r: r["cascades"].update(split="random")):
        bad = json.loads(json.dumps(rec))
        breaking(bad)
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)


@needs_data
def test_seeds_and_dni_on_android():
    """A shipped Inf-VAE set: its own split, one epoch; `infmax dni` scores on the same test
    part."""
    rec = _seeds("android", "-k", "3", "--epochs", "1", "--rng", "1")
    validate(rec)
    assert rec["cascades"]["dataset"] == "android"
    assert rec["cascades"]["split"] == "shipped" and "train_fraction" not in rec["config"]
    assert rec["cascades"]["train"] + rec["cascades"]["test"] == rec["cascades"]["cascades"]
    assert rec["cascades"]["test"] > 0 and "dni" in rec["estimates"]
    seeds = ",".join(map(str, rec["seeds"]))
    d = json.loads(run("dni", "android", "--seeds", seeds, "--rng", "1", check_rc=0).stdout)
    validate(d)
    assert d["cascades"]["test"] == rec["cascades"]["test"]
    assert d["estimates"]["dni"]["dni"] == rec["estimates"]["dni"]["dni"]


@pytest.mark.parametrize("argv, needles", [
    (["--cascades", "-k", "2"], ["--format", "required"]),
    (["--cascades", "-k", "2", "--format", "nope"], ["format", "nope"]),
    (["--cascades", "-k", "2", "--format", "digg", "--train-fraction", "1.5"],
     ["train_fraction", "1.5"]),
    (["--cascades", "-k", "2", "--format", "digg", "--epochs", "0"], ["epochs", "0"]),
    (["--cascades", "-k", "0", "--format", "digg"], ["'k'", "0"]),
    (["--cascades", "-k", "2", "--format", "digg", "--epsilon", "0.1"], ["--epsilon"]),
    (["--cascades", "-k", "2", "--format", "digg", "--evaluate", "100"], ["--evaluate"]),
    (["--cascades", "-k", "2", "--format", "digg", "--temporal"], ["--temporal"]),
    (["--cascades", "-k", "2", "--format", "digg", "-a", "imm"], ["imm", "graph selector"]),
    (["-k", "2", "--format", "digg"], ["--format", "needs --cascades"]),
    (["-k", "2", "--epochs", "3"], ["--epochs", "needs --cascades"]),
])
def test_seeds_cascades_bad_input(digg, argv, needles):
    assert_one_line_error(run("seeds", str(digg), *argv), *needles)


@needs_data
def test_bad_input_on_a_registered_set():
    assert_one_line_error(run("seeds", "android", "--cascades", "-k", "2", "--format", "digg"),
                          "--format", "android")
    assert_one_line_error(run("seeds", "android", "--cascades", "-k", "2",
                              "--train-fraction", "0.5"), "--train-fraction", "shipped")
    assert_one_line_error(run("seeds", "nethept", "--cascades", "-k", "2"), "nethept")


@pytest.mark.parametrize("argv, needles", [
    (["--seeds", "1,,2", "--format", "digg"], ["--seeds", "1,,2"]),
    (["--seeds", "1"], ["--format", "required"]),
    (["--seeds", "1", "--format", "digg", "--train-fraction", "0.5"], ["--train-fraction"]),
])
def test_dni_bad_input(digg, argv, needles):
    assert_one_line_error(run("dni", str(digg), *argv), *needles)


def test_parser_formats_are_the_readers():
    """--help lists the cascade formats without importing the readers: the same tuple."""
    from infmax.cli._main import _CASCADE_FORMATS
    from infmax.datasets.cascades import FORMATS

    assert _CASCADE_FORMATS == FORMATS


@pytest.mark.parametrize(("opt", "val"), [("--alpha", "0.5"), ("--profiles", "x.txt"),
                                          ("--eta", "0.01"), ("--executor", "dask")])
def test_static_graph_options_are_refused(digg, opt, val):
    p = run("seeds", str(digg), "--cascades", "--format", "digg", "-k", "2", opt, val)
    assert_one_line_error(p, f"'{opt}'", "does not apply", "--cascades")
