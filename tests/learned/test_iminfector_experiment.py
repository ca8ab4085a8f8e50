"""The IMINFECTOR experiment harness (issue 10, deliverable 6; issue 12's per-method budget).

Checked against independent computations: DNI rows against a hand count (union of the users of
the test cascades started by each prefix of seeds), IMINFECTOR rows against a direct
``iminfector`` + ``dni_curve`` call with the documented seed derivation. Needs the shared data
(android, christianity: small); test-local selectors are registered under test names and
removed afterwards.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import json
import os
import signal
import time

import numpy as np
import pytest

import infmax as im
from infmax._interrupt import checkpoint
from infmax.algorithms import registry
from infmax.exceptions import DatasetNotFoundError, InvalidParameterError
from infmax.learned import experiment as ex
from infmax.results import Stopwatch, make_result


# -- test-local selectors ------------------------------------------------------------------
def top_starters(cascades, k, *, rng=None):
    """Test selector: the k users who started most training cascades (ties by id)."""
    sw = Stopwatch()
    with sw("selection"):
        counts = np.bincount(cascades.initiators, minlength=cascades.n_ids)
        ids = np.lexsort((np.arange(counts.size), -counts))[:k]
    return make_result(cascades, "test-top", ids, params={"k": k}, stopwatch=sw)


def sleeper(cascades, k, *, rng=None):
    """Test selector that takes far longer than any budget of the tests."""
    time.sleep(60)
    return top_starters(cascades, k)


def few(cascades, k, *, rng=None):
    """Test selector that returns only 3 seeds whatever k."""
    return top_starters(cascades, 3)


def saturating(cascades, k, *, rng=None):
    """Test selector whose coverage saturates after 2 seeds (as CELFIE records it)."""
    res = top_starters(cascades, 2)
    return dataclasses.replace(res, record={**dict(res.record), "saturated_at": 2})


def needs_graph(cascades, k, *, graph, rng=None):
    """Test selector whose graph argument is required."""
    return top_starters(cascades, k)


CALLS: list[str] = []


def interrupting(cascades, k, *, rng=None):
    """Test selector that receives Ctrl-C in the middle of its run (as a kernel loop would)."""
    CALLS.append("interrupting")
    os.kill(os.getpid(), signal.SIGINT)
    checkpoint()
    raise AssertionError("checkpoint() should have raised KeyboardInterrupt")


def counting(cascades, k, *, rng=None):
    CALLS.append("counting")
    return top_starters(cascades, k)


TEST_SELECTORS = {"test-top": top_starters, "test-sleep": sleeper, "test-few": few,
                  "test-saturating": saturating,
                  "test-needs-graph": needs_graph, "test-interrupt": interrupting,
                  "test-count": counting}


@pytest.fixture
def selectors(data_dir, monkeypatch):
    """Register the test selectors for one test only (the registry is process-wide)."""
    registry.selectors()  # load the built-ins and providers into the real tables first
    monkeypatch.setattr(registry, "_ENTRIES", dict(registry._ENTRIES))
    monkeypatch.setattr(registry, "_ALIASES", dict(registry._ALIASES))
    for name, fn in TEST_SELECTORS.items():
        registry.register(fn, name=name, input="cascades")
    CALLS.clear()


def hand_dni(seeds, test):
    """|union of the users of the test cascades whose initiator is a seed| (by labels)."""
    seeds = set(seeds)
    users = set()
    for c in range(len(test)):
        members = test.node_labels(test.users[test.offsets[c]:test.offsets[c + 1]])
        if members[0] in seeds:
            users.update(members)
    return len(users)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- results against independent computations ---------------------------------------------
def test_rows_match_hand_count_and_schema(selectors, tmp_path):
    res = ex.run(["android", "christianity"], methods=["test-top", "test-few"], k=[2, 5, 10],
                 output=tmp_path, plots=False, progress=False, rng=4)
    rows = read_csv(tmp_path / ex.CSV_NAME)
    assert tuple(rows[0]) == ex.COLUMNS
    # a method that returns fewer seeds than the largest k is also scored at what it returned
    assert [(r["dataset"], r["method"], r["k"]) for r in rows] == [
        (d, m, str(k)) for d in ("android", "christianity") for m in ("test-top", "test-few")
        for k in ((2, 5, 10) if m == "test-top" else (2, 3, 5, 10))]
    for d in ("android", "christianity"):
        train, test = im.split_by_time(im.datasets.load(d))
        order = list(top_starters(train, 10).seeds)
        for r in (r for r in rows if r["dataset"] == d and r["method"] == "test-top"):
            k = int(r["k"])
            assert r["status"] == "ok"
            assert int(r["dni"]) == hand_dni(order[:k], test)
            assert float(r["dni_low"]) <= int(r["dni"]) <= float(r["dni_high"])
            assert float(r["total_seconds"]) >= float(r["selection_seconds"]) > 0
            assert r["seeds"] == (" ".join(map(str, order)) if k == 10 else "")
        few_rows = {int(r["k"]): r for r in rows if r["dataset"] == d and r["method"] == "test-few"}
        assert few_rows[2]["status"] == "ok"
        assert int(few_rows[2]["dni"]) == hand_dni(order[:2], test)
        assert few_rows[3]["status"] == "ok"
        assert int(few_rows[3]["dni"]) == hand_dni(order[:3], test)
        assert few_rows[5]["status"] == few_rows[10]["status"] == "too few seeds"
        assert "3 seeds" in few_rows[10]["note"] and few_rows[10]["dni"] == ""
    s = json.loads((tmp_path / ex.SUMMARY_NAME).read_text())
    assert s == json.loads(json.dumps(res.summary))
    assert s["table"]["android"]["test-top"]["dni"] == hand_dni(
        list(top_starters(im.split_by_time(im.datasets.load("android"))[0], 10).seeds),
        im.split_by_time(im.datasets.load("android"))[1])
    assert s["table"]["christianity"]["test-few"]["status"] == "too few seeds"
    last = s["table"]["christianity"]["test-few"]["last_ok"]
    few3 = [r for r in rows if r["dataset"] == "christianity" and r["method"] == "test-few"
            and r["k"] == "3"][0]
    assert last["k"] == 3 and last["dni"] == int(few3["dni"])
    assert s["splits"]["android"] == {"split": "shipped", "train": 543, "test": 136,
                                      "graph": True}
    assert s["k_max"] == {"android": 10, "christianity": 10}
    assert set(s["files"]) == {"config", "csv", "summary"}
    assert "test-top" in res.table() and "too few seeds" in res.table()


@pytest.mark.slow
def test_iminfector_rows_are_its_seeds_and_dni(data_dir, tmp_path):
    """The harness's IMINFECTOR rows equal a direct call with the documented streams."""
    res = ex.run(["android"], methods=["iminfector"], k=[5, 10], epochs=1, rng=7,
                 output=tmp_path, plots=False, progress=False)
    train, test = im.split_by_time(im.datasets.load("android"))
    sel, _ = ex._seed(7, "android", "iminfector").spawn(2)
    direct = im.iminfector(train, 10, epochs=1, rng=np.random.default_rng(sel), progress=False)
    curve = im.evaluation.dni_curve(direct.seeds, test, [5, 10],
                                    rng=np.random.default_rng(ex._seed(7, "android")))
    assert res.rows[-1]["seeds"] == " ".join(map(str, direct.seeds))
    for row, e in zip(res.rows, curve):
        assert (row["k"], row["dni"], row["dni_low"], row["dni_high"]) == (
            e.k, e.value, e.low, e.high)
        assert row["dni"] == hand_dni(direct.seeds[:e.k], test)
        assert row["training_seconds"] > 0 and row["D_seconds"] > 0


@pytest.mark.slow
def test_process_executor_gives_the_same_rows(data_dir, tmp_path):
    kw = dict(methods=["iminfector"], k=[5, 10], epochs=1, rng=2, plots=False, progress=False)
    a = ex.run(["android", "christianity"], output=tmp_path / "a", **kw)
    b = ex.run(["android", "christianity"], output=tmp_path / "b", executor="process",
               n_workers=2, **kw)
    keep = ("dataset", "method", "k", "status", "dni", "dni_low", "dni_high", "seeds")
    assert [{c: r[c] for c in keep} for r in a.rows] == [{c: r[c] for c in keep}
                                                         for r in b.rows]
    assert "ProcessExecutor" in b.summary["run"]["executor"]


# -- budget, graph needs, errors -------------------------------------------------------------
def test_budget_marks_did_not_scale(selectors, tmp_path):
    t = time.perf_counter()
    res = ex.run(["android"], methods=["test-sleep", "test-top"], k=[5, 10], budget="3s",
                 output=tmp_path, plots=False, progress=False)
    assert time.perf_counter() - t < 50  # the sleeper (60 s) was stopped
    slow = [r for r in res.rows if r["method"] == "test-sleep"]
    assert [r["status"] for r in slow] == ["did not scale"] * 2
    assert all(3 <= r["total_seconds"] < 20 and r["dni"] is None for r in slow)
    assert "3 s" in slow[0]["note"]
    fast = [r for r in res.rows if r["method"] == "test-top"]
    assert [r["status"] for r in fast] == ["ok", "ok"]  # ran in a child process, finished
    train, test = im.split_by_time(im.datasets.load("android"))
    assert fast[1]["dni"] == hand_dni(top_starters(train, 10).seeds, test)
    assert res.summary["did_not_scale"] == ["android/test-sleep"]
    assert res.summary["config"]["budget_seconds"] == 3.0


def test_budgeted_child_error_is_raised(selectors, tmp_path):
    """An error in the child process is raised in the parent (the unit journals it)."""
    with pytest.raises(InvalidParameterError, match="'k'"):
        ex._run_budgeted(ex._select, (im.iminfector, im.split_by_time(
            im.datasets.load("android"))[0], 0, {}), 30)


def test_method_without_graph_and_method_error(selectors, tmp_path):
    res = ex.run(["android", "douban"], methods=["test-needs-graph", "iminfector"],
                 k=[100_000], epochs=1, output=tmp_path, plots=False, progress=False)
    by = {(r["dataset"], r["method"]): r for r in res.rows}
    assert by[("douban", "test-needs-graph")]["status"] == "no graph"
    assert by[("android", "test-needs-graph")]["status"] == "too few seeds"  # ran: has a graph
    err = by[("android", "iminfector")]
    assert err["status"] == "error" and "'k'" in err["note"]
    assert "imm-wc" in ex.NEEDS_GRAPH


def test_default_methods_are_the_registered_ones(selectors, tmp_path):
    plan = ex._plan(["android"], methods=None, k=None, epochs=None, rng=0, budget=None,
                    confidence=0.95, n_bootstrap=10)
    registered = registry.names("cascades")
    assert plan.methods == tuple(m for m in ex.DEFAULT_METHODS if m in registered)
    assert set(plan.methods) | set(plan.skipped) == set(ex.DEFAULT_METHODS)
    assert plan.grids == {"android": tuple(range(5, 51, 5))}
    assert ex.K_GRIDS["memetracker-forest"] == tuple(range(25, 501, 25))
    assert ex.K_GRIDS["douban"] == ex.K_GRIDS["twitter-forest"] == tuple(range(10, 151, 10))


@pytest.mark.parametrize("kw, match", [
    ({"datasets": []}, "'datasets'"),
    ({"datasets": "android"}, "'datasets'"),
    ({"datasets": ["nethept"]}, "'datasets'.*cascade sets.*nethept"),
    ({"methods": ["nope"]}, "'methods'.*iminfector"),
    ({"methods": []}, "'methods'"),
    ({"k": [0, 5]}, "'k'.*>= 1.*0"),
    ({"k": []}, "'k'"),
    ({"epochs": 0}, "'epochs'"),
    ({"budget": "-3s"}, "'budget'.*-3"),
    ({"budget": "soon"}, "'budget'.*soon"),
    ({"rng": -1}, "'rng'"),
    ({"n_bootstrap": 0}, "'n_bootstrap'"),
])
def test_bad_input_before_any_work(data_dir, tmp_path, kw, match):
    args = {"datasets": ["android"], "methods": ["iminfector"], **kw}
    out = tmp_path / "new" / "deeper"
    with pytest.raises(InvalidParameterError, match=match):
        ex.run(args.pop("datasets"), output=out, **args)
    assert not (tmp_path / "new").exists()


def test_unknown_dataset_and_bad_output(data_dir, tmp_path):
    with pytest.raises(DatasetNotFoundError, match="androd"):
        ex.run(["androd"], output=tmp_path / "x")
    f = tmp_path / "file"
    f.write_text("")
    with pytest.raises(InvalidParameterError, match="'output'.*directory"):
        ex.run(["android"], methods=["iminfector"], output=f)


def test_parse_budget():
    assert ex.parse_budget("90") == 90.0
    assert ex.parse_budget("2m") == 120.0
    assert ex.parse_budget("0.5h") == 1800.0
    assert ex.parse_budget("none") is None
    with pytest.raises(InvalidParameterError, match="'budget'.*0"):
        ex.parse_budget(0)


# -- resume and interruption -------------------------------------------------------------------
def test_interrupt_then_resume_runs_only_the_rest(selectors, tmp_path):
    """Ctrl-C in the second unit: the first stays journaled, the rerun does the rest only,
    and the resumed result equals an uninterrupted run; a changed setting is refused."""
    kw = dict(k=[2, 4], output=tmp_path / "run", plots=False, progress=False, rng=1)
    with pytest.raises(KeyboardInterrupt):
        ex.run(["android"], methods=["test-count", "test-interrupt"], **kw)
    assert CALLS == ["counting", "interrupting"]
    rows = read_csv(tmp_path / "run" / ex.CSV_NAME)
    assert [(r["method"], r["k"]) for r in rows] == [("test-count", "2"), ("test-count", "4")]
    # the interrupting method is fixed: swap in a plain selector under the same name
    registry.register(counting, name="test-interrupt", input="cascades", replace=True)
    CALLS.clear()
    with pytest.raises(InvalidParameterError, match="other settings.*k"):
        ex.run(["android"], methods=["test-count", "test-interrupt"], **{**kw, "k": [2, 5]})
    assert CALLS == []
    res = ex.run(["android"], methods=["test-count", "test-interrupt"], **kw)
    assert CALLS == ["counting"]  # only the unfinished unit ran
    assert res.summary["run"]["units_resumed"] == 1 and res.summary["run"]["units_run"] == 1
    fresh = ex.run(["android"], methods=["test-count", "test-interrupt"],
                   **{**kw, "output": tmp_path / "fresh"})
    keep = ("dataset", "method", "k", "status", "dni", "dni_low", "dni_high", "seeds")
    assert [{c: r[c] for c in keep} for r in res.rows] == [{c: r[c] for c in keep}
                                                           for r in fresh.rows]
    CALLS.clear()
    again = ex.run(["android"], methods=["test-count", "test-interrupt"], **kw)
    assert CALLS == [] and again.summary["run"]["units_run"] == 0
    ex.run(["android"], methods=["test-count", "test-interrupt"], **{**kw, "resume": False})
    assert CALLS == ["counting", "counting"]


def test_torn_and_partial_units_are_rerun(selectors, tmp_path):
    kw = dict(methods=["test-top"], k=[2, 4], output=tmp_path, plots=False, progress=False)
    full = ex.run(["android"], **kw)
    path = tmp_path / ex.CSV_NAME
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:2]) + lines[2][:10])  # one row of the unit, one torn
    res = ex.run(["android"], **kw)
    assert res.summary["run"]["units_run"] == 1
    assert [r["dni"] for r in res.rows] == [r["dni"] for r in full.rows]
    assert len(read_csv(path)) == 2


def test_interrupt_before_any_unit_removes_the_new_folder(selectors, tmp_path):
    out = tmp_path / "made" / "here"
    with pytest.raises(KeyboardInterrupt):
        ex.run(["android"], methods=["test-interrupt"], k=[2], output=out, plots=False,
               progress=False)
    assert not (tmp_path / "made").exists()


# -- plots -----------------------------------------------------------------------------------
def test_plots_written(selectors, tmp_path):
    res = ex.run(["android", "douban"], methods=["test-top", "test-needs-graph"], k=[2, 4],
                 output=tmp_path, progress=False)
    for name in ("fig7", "fig6"):
        data = open(res.files[name], "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    # the plots also take the CSV read back (strings), including a "did not scale" row
    rows = read_csv(tmp_path / ex.CSV_NAME)
    rows[0] = {**rows[0], "status": "did not scale", "dni": "", "total_seconds": "12.5"}
    from infmax.learned.plots import plot_dni, plot_phases

    assert plot_dni(rows, tmp_path / "a.png").stat().st_size > 5000
    assert plot_phases(copy.deepcopy(rows), tmp_path / "b.png").stat().st_size > 5000


def test_a_method_has_one_colour_in_every_panel(tmp_path, monkeypatch):
    """The legend is shared by the panels: a method missing from one panel ("no graph") must
    not shift the colours of the others there (it did: colours came from each panel's cycle)."""
    from infmax.learned import plots

    rows = [{"dataset": d, "method": m, "k": k, "status": "ok", "dni": k, "dni_low": 0,
             "dni_high": 2 * k} for d, ms in (("a", ("x", "y", "z")), ("b", ("y", "z")))
            for m in ms for k in (1, 2)]
    figs = []
    monkeypatch.setattr(plots, "_save", lambda fig, path: figs.append(fig))
    plots.plot_dni(rows, tmp_path / "f.png")
    colours = {}
    for ax in figs[0].axes:
        for line in ax.get_lines():
            colours.setdefault(line.get_label(), set()).add(line.get_color())
    assert all(len(c) == 1 for c in colours.values()) and len(colours) == 3


def test_saturation_is_named_in_the_note(selectors, tmp_path):
    ex.run(["android"], methods=["test-saturating"], k=[1, 4], output=tmp_path, plots=False,
           progress=False, rng=1)
    rows = {int(r["k"]): r for r in read_csv(tmp_path / ex.CSV_NAME)}
    assert sorted(rows) == [1, 2, 4] and rows[2]["status"] == "ok"
    assert rows[4]["status"] == "too few seeds"
    assert rows[4]["note"] == "coverage saturated after 2 seeds"
