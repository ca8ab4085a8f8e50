"""Bad input to the dataset registry (issue 8, items 14, 15, 17): keywords a dataset's loader
does not take, unknown kinds, a ``data_dir`` or ``path`` that does not exist. Every check runs
before any file is looked up, so no data is needed."""

from __future__ import annotations

import subprocess
import sys

import pytest

import infmax as im
from infmax.datasets import DataFile, DatasetSpec
from infmax.exceptions import InvalidParameterError


@pytest.mark.parametrize("name, kw, param, says", [
    # the reproducers: a typo, a graph keyword on a temporal dataset, and the reverse
    ("nethept", {"wieghts": "wc"}, "wieghts", "did you mean 'weights'?"),
    ("hospital", {"weights": "wc"}, "weights", "'hospital' is a temporal dataset"),
    ("nethept", {"snapshots": 10}, "snapshots", "keyword of temporal datasets"),
    # what `infmax seeds hospital -k 2` passed (item 14)
    ("hospital", {"rng": 1}, "rng", "--temporal"),
    # per-dataset keywords: header is read_edgelist's, not the adjacency-list reader's
    ("epinions-imb", {"header": True}, "header", "'keep_isolated'"),
    ("nethept", {"keep_isolated": False}, "keep_isolated", "'variant'"),
])
def test_load_rejects_keywords_the_loader_does_not_take(name, kw, param, says):
    with pytest.raises(InvalidParameterError) as e:
        im.datasets.load(name, **kw)
    msg = str(e.value)
    assert e.value.param == param and f"The {param!r} parameter of datasets.load" in msg
    assert says in msg and "Valid keywords for" in msg
    assert "unexpected keyword" not in msg


def test_valid_keywords_follow_the_loader_signature():
    kws = im.datasets.loader_keywords
    graph = kws(im.datasets.get_spec("wiki-vote"))
    assert {"weights", "directed", "rng", "p", "dtype", "merge", "header"} <= set(graph)
    assert set(kws(im.datasets.get_spec("nethept"))) == set(graph) | {"variant"}
    assert set(kws(im.datasets.get_spec("hospital"))) == {"format", "snapshots", "boundaries",
                                                          "binning", "directed", "max_memory"}
    # a dataset takes the keywords of a file of its kind (datasets.resolve passes either)
    import inspect

    def reader_keywords(fn):
        return set(list(inspect.signature(fn).parameters)[1:])

    temporal = {n: set(kws(im.datasets.get_spec(n))) for n in im.datasets.list("temporal")}
    assert all(k == reader_keywords(im.datasets.temporal.read_contacts)
               for k in temporal.values())
    assert set(graph) == reader_keywords(im.read_edgelist)
    assert "keep_isolated" in kws(im.datasets.get_spec("epinions-imb"))


def test_loader_with_var_keywords_is_not_checked(tmp_path, monkeypatch):
    monkeypatch.setenv("INFMAX_DATA_DIR", str(tmp_path))
    (tmp_path / "kwds").mkdir()
    (tmp_path / "kwds" / "e.txt").write_text("1 2\n")
    spec = DatasetSpec(name="tmp-kwargs", kind="graph", files=(DataFile("kwds/e.txt"),),
                       loader=f"{__name__}:_kwargs_loader")
    im.datasets.register(spec, replace=True)
    try:
        assert im.datasets.loader_keywords(spec) is None
        assert im.datasets.load("tmp-kwargs", anything=3) == {"anything": 3}
    finally:
        from infmax.datasets._registry import _REGISTRY

        _REGISTRY.pop("tmp-kwargs")


def _kwargs_loader(paths, **kwargs):
    return kwargs


def test_list_rejects_an_unknown_kind():
    with pytest.raises(InvalidParameterError, match=r"'kind' parameter of datasets\.list must "
                       r"be one of 'graph', 'temporal', 'cascades', 'attributed'\. Got 'foo'"):
        im.datasets.list("foo")
    assert "hospital" in im.datasets.list("temporal") and im.datasets.list("graph")
    assert im.datasets.list() == sorted(im.datasets.list())


def test_missing_data_dir_is_an_error(tmp_path):
    typo = tmp_path / "dtaa"
    for call in (im.datasets.load, im.datasets.path):
        with pytest.raises(InvalidParameterError, match="no such folder") as e:
            call("nethept", data_dir=typo)
        assert e.value.param == "data_dir" and str(typo) in str(e.value)
        assert "PosixPath" not in str(e.value)
    f = tmp_path / "file.txt"
    f.write_text("1 2\n")
    with pytest.raises(InvalidParameterError, match="a file, not a folder"):
        im.datasets.path("nethept", data_dir=f)


def test_missing_explicit_path_is_an_error(tmp_path):
    with pytest.raises(InvalidParameterError, match="'path' parameter of datasets.load must be "
                       "an existing file") as e:
        im.datasets.load("nethept", path=tmp_path / "nope.txt")
    assert str(tmp_path / "nope.txt") in str(e.value)


@pytest.mark.parametrize("argv, says", [
    (["datasets", "list", "--kind", "foo"], "--kind: invalid choice: 'foo'"),
])
def test_cli_reports_library_errors_in_one_line(argv, says):
    out = subprocess.run([sys.executable, "-m", "infmax", *argv], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2 and out.stdout == ""
    assert says in out.stderr and len(out.stderr.strip().splitlines()) == 1
