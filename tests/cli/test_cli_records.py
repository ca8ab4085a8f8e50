"""Every JSON record the CLI writes follows record.schema.json (D22), plus progress and the
compile notice (D19, D20)."""

from __future__ import annotations

import argparse
import io
import json

import jsonschema
import pytest

from conftest import run, shared_data_dir
from infmax.cli._record import SCHEMA_VERSION, schema, validate

needs_data = pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(schema())


def test_static_seeds_record(graph_file):
    rec = json.loads(run("seeds", str(graph_file), "-k", "2", "-a", "imm", "--epsilon", "0.3",
                         "--weights", "file", "--rng", "1", "--evaluate", "500",
                         check_rc=0).stdout)
    validate(rec)
    assert rec["schema_version"] == SCHEMA_VERSION
    assert set(rec["estimates"]) == {"algorithm", "monte_carlo"}
    assert "directed" not in rec["config"] and "temporal" not in rec["config"]
    assert rec["config"]["undirected"] is False


def test_temporal_seeds_record(contacts):
    """Same spread fields as the static record; config says how many simulations ran."""
    rec = json.loads(run("seeds", str(contacts), "--temporal", "-k", "2", "-a", "random",
                         "--snapshots", "4", "--beta", "0.2", "--rng", "1",
                         check_rc=0).stdout)
    validate(rec)
    assert rec["config"]["evaluate"] == 10_000
    assert rec["estimates"]["monte_carlo"]["n_simulations"] == 10_000
    assert "undirected" not in rec["config"] and "weights" not in rec["config"]


def test_cascades_seeds_and_dni_records(tmp_path, graph_file):
    """seeds --cascades carries a cascades block and a dni estimate; infmax dni its own
    record; the graph mode's config does not mention cascades."""
    f = tmp_path / "c.txt"
    f.write_text("".join(f"{i % 3} {10 * i};{3 + i % 5} {10 * i + 1};{8 + i % 4} {10 * i + 2}\n"
                         for i in range(20)))
    rec = json.loads(run("seeds", str(f), "--cascades", "--format", "digg", "-k", "2",
                         "--epochs", "1", "--rng", "1", "-q", check_rc=0).stdout)
    validate(rec)
    assert set(rec["estimates"]) == {"algorithm", "dni"} and "graph" not in rec
    rec = json.loads(run("dni", str(f), "--format", "digg", "--seeds", "0,1", "--rng", "1",
                         check_rc=0).stdout)
    validate(rec)
    assert rec["command"] == "dni" and set(rec["estimates"]) == {"dni"}
    rec = json.loads(run("seeds", str(graph_file), "-k", "1", "-a", "degree",
                         check_rc=0).stdout)
    validate(rec)
    assert "cascades" not in rec["config"]


def test_spread_record(graph_file):
    rec = json.loads(run("spread", str(graph_file), "--seeds", "0,4", "--simulations", "300",
                         "--rng", "1", check_rc=0).stdout)
    validate(rec)
    assert rec["estimates"]["monte_carlo"]["n_simulations"] == 300


def test_schema_rejects_a_broken_record(graph_file):
    rec = json.loads(run("spread", str(graph_file), "--seeds", "0", "--simulations", "50",
                         check_rc=0).stdout)
    for breaking in (lambda r: r.pop("schema_version"),
                     lambda r: r["estimates"].update(spread=1.0),
                     lambda r: r["timings"].update(total=1.0),
                     lambda r: r["estimates"]["monte_carlo"].pop("stderr")):
        bad = json.loads(json.dumps(rec))
        breaking(bad)
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)


def test_labels_are_written_as_utf8(tmp_path):
    f = tmp_path / "names.txt"
    f.write_text("Zoë Łukasz 0.9\nŁukasz 東京 0.9\n", encoding="utf-8")
    out = tmp_path / "r.json"
    run("spread", str(f), "--seeds", "Zoë", "--simulations", "50", "--output", str(out),
        check_rc=0)
    text = out.read_text(encoding="utf-8")
    assert "Zoë" in text and "\\u" not in text
    validate(json.loads(text))
    p = run("spread", str(f), "--seeds", "Zoë", "--simulations", "50",
            env_extra={"PYTHONIOENCODING": "utf-8"}, check_rc=0)
    assert '"Zoë"' in p.stdout


def test_experiment_records(contacts, tmp_path, graph_file):
    from infmax.cli import _exp_bopim, _exp_org

    p = argparse.ArgumentParser()
    _exp_bopim.add_arguments(p)
    out = tmp_path / "b"
    rec = _exp_bopim.run(p.parse_args([
        "--dataset", str(contacts), "--output", str(out), "--figures", "k", "--k-values", "2",
        "--repeats", "1", "--eval-simulations", "50", "--methods", "random", "--no-plots",
        "--quiet"]))
    validate(rec)
    validate(json.loads((out / "bopim_summary.json").read_text()))
    p = argparse.ArgumentParser()
    _exp_org.add_arguments(p)
    big = tmp_path / "big.txt"
    big.write_text("".join(f"{i} {(i * 7 + 1) % 200}\n{i} {(i + 1) % 200}\n"
                           for i in range(200)))
    rec = _exp_org.run(p.parse_args([
        "--graph", str(big), "--trials", "1", "--visibility", "0.5", "--algorithms",
        "random,degree", "--modes", "oneshot", "--seeds", "2", "--output",
        str(tmp_path / "o"), "--no-plots", "--quiet"]))
    validate(rec)
    assert rec["experiment"] == "org-boundaries"


@needs_data
def test_demo_record(tmp_path):
    out = tmp_path / "demo.json"
    p = run("demo", "-k", "2", "--simulations", "200", "--output", str(out), check_rc=0)
    rec = json.loads(out.read_text())
    validate(rec)
    assert set(rec["results"]) == {"imm", "degree-discount"}
    assert "selection" in p.stderr


def test_demo_default_output_is_ignored_by_git():
    """`make demo` writes under out/, which .gitignore ignores (not the repository root)."""
    from pathlib import Path

    from infmax.cli._main import DEMO_OUTPUT

    root = Path(__file__).resolve().parents[2]
    assert Path(DEMO_OUTPUT).parts[0] == "out"
    assert "/out/" in (root / ".gitignore").read_text().split()


# -- compile notice (D19) --------------------------------------------------------------------
def test_compile_watch_reports_a_cold_compile_once():
    from numba import njit

    from infmax.cli._compile import NOTICE, CompileWatch

    @njit  # no cache: this compiles on the first call
    def f(x):
        return x * 2 + 1

    @njit
    def g(x):
        return f(x) + 1

    seen = []
    with CompileWatch(notify=seen.append) as w:
        assert g(3) == 8
        assert g(4) == 10  # compiled already: no event
    assert seen == [NOTICE]
    assert w.count == 1 and w.seconds > 0
    with CompileWatch(notify=seen.append) as w2:
        g(5)
    assert w2.count == 0 and w2.seconds == 0.0 and seen == [NOTICE]


# -- progress (D20) --------------------------------------------------------------------------
class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_default_follows_the_terminal(monkeypatch):
    from infmax._progress import progress_enabled

    monkeypatch.delenv("INFMAX_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert progress_enabled(None, _Tty()) is True
    assert progress_enabled(None, io.StringIO()) is False
    assert progress_enabled(False, _Tty()) is False
    monkeypatch.setenv("CI", "true")
    assert progress_enabled(None, _Tty()) is False
    assert progress_enabled(True, io.StringIO()) is True
    monkeypatch.setenv("INFMAX_PROGRESS", "0")
    assert progress_enabled(True, _Tty()) is False
    monkeypatch.setenv("INFMAX_PROGRESS", "1")
    assert progress_enabled(False, io.StringIO()) is True


def test_progress_draws_at_once_and_closes(monkeypatch):
    from infmax._progress import Progress

    monkeypatch.delenv("INFMAX_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)   # CI turns default bars off; this is a terminal
    s = _Tty()
    with Progress(None, "imm sampling", enabled=None, stream=s) as bar:
        assert "imm sampling" in s.getvalue()  # first draw before any unit of work
        bar.update(5)
        bar.set_description("imm selection")
    assert "imm selection" in s.getvalue() and s.getvalue().endswith("\n")
    quiet = _Tty()
    with Progress(10, "x", enabled=False, stream=quiet) as bar:
        bar.update(10)
    assert quiet.getvalue() == "" and bar.count == 10


def test_quiet_silences_stderr(graph_file, monkeypatch):
    monkeypatch.delenv("INFMAX_PROGRESS", raising=False)
    argv = ("spread", str(graph_file), "--seeds", "0", "--simulations", "100000", "--progress")
    assert "spread" in run(*argv, check_rc=0).stderr  # the bar
    assert run(*argv, "--quiet", check_rc=0).stderr == ""
