"""The org-boundaries benchmark framework: resumable, executor-independent, summaries, CLI."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

import infmax as im
from infmax.distributed import LocalExecutor, ProcessExecutor
from infmax.exceptions import InvalidParameterError
from infmax.observability import CSV_COLUMNS, benchmark, cell_names

TIMING = ("select_seconds", "seconds")
KW = dict(visibility=[0.05, 0.3], n_seeds=3, trials=5, epsilon=0.5, rng=7, batch_size=2)


@pytest.fixture(scope="module")
def G():
    r = np.random.default_rng(0)
    src, dst = r.integers(0, 150, 500), r.integers(0, 150, 500)
    return im.graph.from_edges(src, dst, directed=False, weights="wc")


def _strip(rows):
    return [{k: str(v) for k, v in r.items() if k not in TIMING} for r in rows]


def _read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def full_run(G, tmp_path_factory):
    out = tmp_path_factory.mktemp("full")
    return benchmark(G, output=out, **KW), out


def test_rows_and_summary(full_run):
    res, out = full_run
    cells = cell_names()
    assert len(cells) == 10  # random has no biased variant
    assert len(res.rows) == 2 * 5 * len(cells)
    rows = _read(out / "trials.csv")
    assert tuple(rows[0]) == CSV_COLUMNS and _strip(rows) == _strip(res.rows)
    summ = json.loads((out / "summary.json").read_text())
    for cell in cells:
        for v in ("0.05", "0.3"):
            x = np.array([float(r["spread"]) for r in rows
                          if r["cell"] == cell and r["visibility"] == v])
            d = summ["cells"][cell][v]
            assert d["n"] == 5 and d["mean"] == pytest.approx(x.mean())
            assert d["stderr"] == pytest.approx(x.std(ddof=1) / math.sqrt(5))
    for r in rows:  # per-round totals are non-decreasing and end at the spread
        pr = [int(y) for y in r["per_round"].split(";")]
        assert len(pr) == 3 and pr == sorted(pr) and pr[-1] == int(r["spread"])
    comp = summ["comparisons"]["degree/adaptive vs imm/oneshot"]["0.05"]
    assert comp["n"] == 5
    for f in ("fig3_boundary_bias.png", "fig4_adaptive.png"):
        assert (out / f).stat().st_size > 1000


def test_same_world_every_cell_order(G, full_run):
    res, _ = full_run
    rev = benchmark(G, algorithms=["imm", "degree", "random"], modes=["adaptive", "oneshot"],
                    **KW)

    def by_cell(rows):
        return sorted(_strip(rows), key=lambda r: (r["visibility"], r["trial"], r["cell"]))

    assert by_cell(rev.rows) == by_cell(res.rows)


class _Crash(Exception):
    pass


class _CrashingExecutor(LocalExecutor):
    """Yields ``after`` results, then fails like a killed run."""

    def __init__(self, after, exc):
        self.after, self.exc = after, exc

    def map(self, fn, items):
        for i, item in enumerate(items):
            if i == self.after:
                raise self.exc
            yield fn(item)


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), _Crash("boom")])
def test_resume_after_interruption_equals_uninterrupted(G, full_run, tmp_path, exc, capsys):
    res, out = full_run
    with pytest.raises(type(exc)):
        benchmark(G, output=tmp_path, executor=_CrashingExecutor(3, exc), **KW)
    partial_rows = _read(tmp_path / "trials.csv")
    assert 0 < len(partial_rows) < len(res.rows)
    with open(tmp_path / "trials.csv", "a") as f:  # a torn line, as after a hard kill
        f.write("0.3,4,degree/oneshot,deg")
    capsys.readouterr()
    again = benchmark(G, output=tmp_path, **KW)
    assert again.summary["run"]["tasks_resumed"] == 6  # 3 batches of 2 tasks
    n_total = len(res.rows) // len({r["cell"] for r in res.rows})
    assert f"resuming: 6 of {n_total} trials done" in capsys.readouterr().err
    assert _strip(_read(tmp_path / "trials.csv")) == _strip(_read(out / "trials.csv"))
    s1 = json.loads((out / "summary.json").read_text())["cells"]
    s2 = json.loads((tmp_path / "summary.json").read_text())["cells"]
    for c in s1:
        for v in s1[c]:
            assert s1[c][v]["mean"] == s2[c][v]["mean"]
            assert s1[c][v]["stderr"] == s2[c][v]["stderr"]


def test_resume_refuses_other_settings(G, tmp_path):
    kw = dict(KW, trials=2, algorithms=["degree"])
    benchmark(G, output=tmp_path, plots=False, **kw)
    with pytest.raises(InvalidParameterError, match="different settings"):
        benchmark(G, output=tmp_path, bias=3.0, plots=False, **kw)
    more = benchmark(G, output=tmp_path, plots=False, **dict(kw, trials=3))  # extend trials
    assert more.summary["run"]["tasks_resumed"] == 4 and more.summary["run"]["tasks_run"] == 2
    fresh = benchmark(G, output=tmp_path, bias=3.0, resume=False, plots=False, **kw)
    assert fresh.summary["run"]["tasks_resumed"] == 0


def test_process_executor_gives_identical_results(G, full_run):
    res, _ = full_run
    with ProcessExecutor(2) as ex:
        got = benchmark(G, executor=ex, n_threads=1, **KW)
    assert _strip(got.rows) == _strip(res.rows)


@pytest.mark.slow
def test_dask_executor_gives_identical_results(G, full_run):
    pytest.importorskip("dask.distributed")
    from infmax.distributed import DaskExecutor

    res, _ = full_run
    with DaskExecutor(n_workers=2, processes=False) as ex:
        got = benchmark(G, executor=ex, algorithms=["random", "degree"], **KW)
    want = [r for r in _strip(res.rows) if not r["cell"].startswith("imm")]
    assert _strip(got.rows) == want


def test_fixed_members_and_uniform_weights(G):
    members = G.labels[:20].tolist()
    res = benchmark(G, members=members, weights=0.1, trials=3, n_seeds=2,
                    algorithms=["degree"], rng=1)
    assert {r["n_members"] for r in res.rows} == {20}
    assert {r["n_seeds"] for r in res.rows} == {2}
    cfg = res.summary["config"]
    assert cfg["visibility"] == [f"{20 / G.n:.6g}"]
    assert cfg["weights"] == 0.1 and cfg["n_seeds"] == 2 and "model" not in cfg
    # the graph's own probabilities: no re-weighting
    own = benchmark(G.reweight(0.1), members=members, weights="graph", trials=3, n_seeds=2,
                    algorithms=["degree"], rng=1)
    assert [r["spread"] for r in own.rows] == [r["spread"] for r in res.rows]


def test_benchmark_takes_the_renamed_keywords_only(G):
    with pytest.raises(TypeError, match="seeds"):
        benchmark(G, seeds=2, trials=1)
    with pytest.raises(TypeError, match="model"):
        benchmark(G, model="ic", trials=1)


@pytest.mark.parametrize("kwargs, words", [
    ({"weights": "lt"}, ["'weights'", "'lt'"]),
    ({"weights": 1.5}, ["'weights'", "1.5"]),
    ({"n_seeds": 0}, ["'n_seeds'", "0"]),
    ({"trials": -1}, ["'trials'", "-1"]),
    ({"bias": 0}, ["'bias'", "0"]),
    ({"epsilon": 2}, ["'epsilon'", "2"]),
    ({"visibility": [0.0]}, ["'visibility'", "0.0"]),
    ({"visibility": [1.2]}, ["'visibility'", "1.2"]),
    ({"algorithms": ["foo"]}, ["'algorithms'", "'foo'"]),
    ({"modes": ["lazy"]}, ["'modes'", "'lazy'"]),
    ({"executor": "spark"}, ["'executor'", "'spark'"]),
    ({"rng": -3}, ["'rng'", "-3"]),
])
def test_benchmark_bad_input(G, kwargs, words):
    with pytest.raises(InvalidParameterError) as ei:
        benchmark(G, **{**dict(trials=1, algorithms=["degree"]), **kwargs})
    for w in words:
        assert w in str(ei.value)


def test_cli_experiment(tmp_path, G):
    from infmax.cli import main
    from infmax.cli._exp_org import parse_visibility

    assert parse_visibility("0.01,0.02,...,0.05,0.5") == [0.01, 0.02, 0.03, 0.04, 0.05, 0.5]
    with pytest.raises(InvalidParameterError, match="'visibility'"):
        parse_visibility("0.1,abc")
    edges = tmp_path / "g.txt"
    edges.write_text("\n".join(f"{u} {v}" for u, v in zip(G.node_labels(G.sources),
                                                          G.node_labels(G.indices))))
    members = tmp_path / "members.txt"
    members.write_text("\n".join(str(x) for x in G.labels[:15].tolist()) + "\n")
    out = tmp_path / "out"
    rc = main(["experiment", "org-boundaries", "--graph", str(edges), "--trials", "2",
               "--seeds", "2", "--visibility", "0.1,0.2", "--algorithms", "random,degree",
               "--output", str(out), "--no-plots"])
    assert rc == 0 and len(_read(out / "trials.csv")) == 2 * 2 * 6
    rc = main(["experiment", "org-boundaries", "--graph", str(edges), "--trials", "2",
               "--members", str(members), "--algorithms", "degree", "--output",
               str(tmp_path / "m"), "--no-plots"])
    assert rc == 0 and {r["n_members"] for r in _read(tmp_path / "m" / "trials.csv")} == {"15"}
    assert main(["experiment", "org-boundaries", "--graph", str(edges), "--bias", "-1",
                 "--output", str(tmp_path / "bad")]) == 2
    assert main(["experiment", "org-boundaries", "--graph", str(edges), "--members",
                 str(tmp_path / "missing.txt"), "--output", str(tmp_path / "bad")]) == 2


def test_rng_forms(G, tmp_path):
    import numpy as np

    a = benchmark(G, **{**KW, "rng": 5})
    b = benchmark(G, **{**KW, "rng": np.random.SeedSequence(5)})
    assert _strip(a.rows) == _strip(b.rows)
    c = benchmark(G, **{**KW, "rng": np.random.SeedSequence(5, spawn_key=(1,))})
    assert c.summary["config"]["rng"] != a.summary["config"]["rng"]
