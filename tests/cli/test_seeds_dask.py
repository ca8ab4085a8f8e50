"""`infmax seeds -a imm --executor dask`: RR sets sharded over a LocalCluster, local seeds."""

from __future__ import annotations

import json

import pytest

from conftest import assert_one_line_error, run

pytest.importorskip("distributed")


def test_dask_executor_gives_the_local_seeds(graph_file):
    base = ("seeds", str(graph_file), "-k", "3", "-a", "imm", "--epsilon", "0.5", "--rng", "4",
            "-q")
    local = json.loads(run(*base, check_rc=0).stdout)
    dask = json.loads(run(*base, "--executor", "dask", "--workers", "2", check_rc=0).stdout)
    assert dask["seeds"] == local["seeds"]
    assert dask["record"]["theta"] == local["record"]["theta"]
    assert dask["record"]["distributed"]["n_workers"] == 2
    assert len(dask["record"]["distributed"]["round_bytes"]) >= 1
    assert "distributed" not in local["record"]


@pytest.mark.parametrize(("extra", "words"), [
    (("-a", "degree", "--executor", "dask"), ("'--executor'", "degree")),
    (("-a", "imm", "--workers", "2"), ("'--workers'", "--executor dask")),
    (("-a", "imm", "--executor", "local", "--scheduler", "tcp://x:1"), ("'--scheduler'",)),
    (("-a", "imm", "--executor", "dask", "--scheduler", "tcp://x:1", "--workers", "2"),
     ("'--workers'", "--scheduler")),
    (("-a", "imm", "--executor", "dask", "--workers", "0"), ("'workers'", "0")),
])
def test_bad_executor_options(graph_file, extra, words):
    p = run("seeds", str(graph_file), "-k", "2", *extra)
    assert_one_line_error(p, *words)
