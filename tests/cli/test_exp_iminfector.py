"""``infmax experiment iminfector`` (issue 10, deliverable 6): the record, one-line errors, and
Ctrl-C / SIGTERM leaving a folder that the next run resumes (no process left behind)."""

from __future__ import annotations

import copy
import csv
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from conftest import assert_one_line_error, marked_pids, run, shared_data_dir
from infmax.cli._record import schema

needs_data = pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")


def validate(record):
    """Validate against record.schema.json, with "iminfector" among the experiment names."""
    import jsonschema

    s = copy.deepcopy(schema())
    for branch in s.get("allOf", []):
        props = branch.get("then", {}).get("properties", {})
        names = props.get("experiment", {}).get("enum")
        if names is not None and "iminfector" not in names:
            names.append("iminfector")
    jsonschema.validate(record, s)


@pytest.mark.parametrize("argv, needles", [
    (["--k", "0,5"], ["'k'", ">= 1", "0"]),
    (["--k", "5,,10"], ["'k'", "'5,,10'"]),
    (["--k", "five"], ["'k'", "'five'"]),
    (["--budget", "soon"], ["'budget'", "'soon'"]),
    (["--budget", "0s"], ["'budget'", "0"]),
    (["--epochs", "0"], ["'epochs'", "0"]),
    (["--workers", "0"], ["'workers'", "0"]),
    (["--executor", "cluster"], ["'executor'", "'cluster'"]),
    (["--methods", "iminfector,nope"], ["'methods'", "'nope'", "iminfector"]),
    (["--methods", ","], ["'methods'"]),
    (["--dataset", "nethept"], ["'datasets'", "cascade sets", "'nethept'"]),
    (["--dataset", "no-such-set"], ["no-such-set"]),
])
def test_bad_input_one_line_exit_2(tmp_path, argv, needles):
    out = tmp_path / "new"
    p = run("experiment", "iminfector", "--dataset", "android", *argv, "--output", str(out))
    assert_one_line_error(p, *needles)
    assert not out.exists()


def test_output_that_is_a_file(tmp_path):
    f = tmp_path / "f"
    f.write_text("")
    p = run("experiment", "iminfector", "--dataset", "android", "--methods", "iminfector",
            "--output", str(f))
    assert_one_line_error(p, "'output'", str(f))


@needs_data
def test_record_and_files(tmp_path):
    out = tmp_path / "exp"
    p = run("experiment", "iminfector", "--dataset", "christianity", "--methods", "iminfector",
            "--k", "5,10", "--epochs", "1", "--rng", "3", "--output", str(out), "-q",
            check_rc=0)
    rec = json.loads(p.stdout)
    validate(rec)
    assert rec["experiment"] == "iminfector" and rec["command"] == "experiment"
    assert rec["config"]["k"] == [5, 10] and rec["config"]["dataset"] == ["christianity"]
    assert rec["settings"]["k"] == {"christianity": [5, 10]}
    cell = rec["table"]["christianity"]["iminfector"]
    rows = list(csv.DictReader((out / "iminfector_dni.csv").open()))
    assert [r["k"] for r in rows] == ["5", "10"]
    assert cell["status"] == "ok" and cell["dni"] == int(rows[-1]["dni"])
    assert cell["low"] <= cell["dni"] <= cell["high"]
    assert json.loads((out / "iminfector_summary.json").read_text()) == rec
    for f in ("fig7_dni_vs_k.png", "fig6_time_per_phase.png", "config.json"):
        assert (out / f).stat().st_size > 0
    assert p.stderr == ""  # -q: no log lines


@needs_data
@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/environ"), reason="needs /proc")
@pytest.mark.parametrize("signum, executor", [(signal.SIGINT, "local"),
                                              (signal.SIGTERM, "process")],
                         ids=["SIGINT-local", "SIGTERM-process"])
def test_signal_leaves_a_resumable_folder(tmp_path, signum, executor):
    """The signal arrives while the second unit trains in a budgeted child process: exit
    130/143 with one line, no process left, the first unit journaled; the rerun does the rest."""
    marker = uuid.uuid4().hex
    out = tmp_path / "exp"
    argv = ["experiment", "iminfector", "--dataset", "christianity", "android", "--methods",
            "iminfector", "--k", "5", "--epochs", "1", "--budget", "10m", "--executor",
            executor, "--workers", "1", "--output", str(out)]
    env = dict(os.environ, INFMAX_SIGNAL_TEST=marker, NUMBA_NUM_THREADS="2")
    p = subprocess.Popen([sys.executable, "-m", "infmax", *argv, "-q"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    journal = out / "iminfector_dni.csv"
    try:
        deadline = time.monotonic() + 300
        while not (journal.exists() and len(journal.read_text().splitlines()) > 1):
            assert p.poll() is None, p.communicate()
            assert time.monotonic() < deadline, "the first unit never finished"
            time.sleep(0.05)
        time.sleep(1.0)  # inside the second unit
        assert p.poll() is None, "the run finished before the signal"
        os.kill(p.pid, signum)
        stdout, stderr = p.communicate(timeout=60)
        assert p.returncode == 128 + signum, stderr
        lines = [ln for ln in stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and "Traceback" not in stderr, stderr
        assert stdout == ""
        leftover = marked_pids(marker)
        t_end = time.monotonic() + 10
        while leftover and time.monotonic() < t_end:
            time.sleep(0.2)
            leftover = marked_pids(marker)
        assert leftover == [], f"processes left running: {leftover}"
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        for pid in marked_pids(marker):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    rows = list(csv.DictReader(journal.open()))
    assert [(r["dataset"], r["k"], r["status"]) for r in rows] == [("christianity", "5", "ok")]
    assert not (out / "iminfector_summary.json").exists()
    assert not [f for f in out.iterdir() if f.name.startswith(".")]
    rec = json.loads(run(*argv, "-q", check_rc=0).stdout)
    assert rec["run"]["units_resumed"] == 1 and rec["run"]["units_run"] == 1
    assert set(rec["table"]) == {"christianity", "android"}
    assert int(rows[0]["dni"]) == rec["table"]["christianity"]["iminfector"]["dni"]
