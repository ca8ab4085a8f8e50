"""``datasets.resolve`` (issue 9, item 8): the one function that decides "an existing file or a
registered dataset name", and the registry without ``globals()`` lookups (item 9)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import infmax as im
from infmax.datasets import DataFile, DatasetSpec, _registry, resolve
from infmax.exceptions import DatasetNotFoundError, InvalidParameterError

EDGES = "# toy\n1 2 0.5\n2 3 0.25\n3 1 0.1\n4 1 0.2\n"
CONTACTS = "0 1 2\n20 2 3\n40 1 3\n60 1 2\n"


@pytest.fixture
def reg(tmp_path):
    """Two throw-away datasets (a graph and a temporal one) whose files live in ``tmp_path``;
    removed from the registry afterwards."""
    (tmp_path / "rg").mkdir()
    (tmp_path / "rg" / "g.txt").write_text(EDGES)
    (tmp_path / "rt").mkdir()
    (tmp_path / "rt" / "c.dat").write_text(CONTACTS)
    specs = [
        DatasetSpec(name="Resolve-G", kind="graph", files=(DataFile("rg/g.txt"),),
                    loader="infmax.datasets.catalog:load_edgelist_dataset",
                    defaults={"weights": "file"}, aliases=("resolve-g-alias",)),
        DatasetSpec(name="resolve-t", kind="temporal", files=(DataFile("rt/c.dat"),),
                    loader="infmax.datasets.temporal:load_tij", defaults={"snapshots": 2}),
    ]
    for s in specs:
        im.datasets.register(s)
    yield tmp_path
    for s in specs:
        _registry._REGISTRY.pop(s.name.lower(), None)
        for a in s.aliases:
            _registry._ALIASES.pop(a, None)


def same(G, H):
    assert G.labels.tolist() == H.labels.tolist()
    assert np.array_equal(G.indptr, H.indptr) and np.array_equal(G.indices, H.indices)
    assert np.array_equal(G.probs, H.probs)


# -- files -----------------------------------------------------------------------------------
def test_graph_file_is_read_with_read_edgelist(tmp_path):
    f = tmp_path / "g.txt"
    f.write_text(EDGES)
    for arg in (str(f), f):            # str and os.PathLike
        G, src = resolve(arg, weights="uniform:0.1", directed=False, rng=3)
        assert src == {"file": str(f)}
        same(G, im.read_edgelist(f, weights="uniform:0.1", directed=False, rng=3))


def test_temporal_file_is_read_with_read_contacts(tmp_path):
    f = tmp_path / "c.dat"
    f.write_text(CONTACTS)
    TG, src = resolve(f, kind="temporal", format="tij", snapshots=3)
    assert src == {"file": str(f)}
    ref = im.datasets.temporal.read_contacts(f, format="tij", snapshots=3)
    assert (TG.n, TG.T, TG.n_events) == (ref.n, ref.T, ref.n_events)


def test_an_existing_file_wins_over_a_dataset_of_the_same_name(reg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("resolve-g").write_text("7 8\n")
    G, src = resolve("resolve-g", data_dir=reg)
    assert src == {"file": "resolve-g"} and G.labels.tolist() == [7, 8]


def test_file_keywords_are_checked_against_the_reader(tmp_path):
    f = tmp_path / "g.txt"
    f.write_text(EDGES)
    with pytest.raises(InvalidParameterError, match="'snapshots' is a keyword of temporal "
                                                    "files: pass kind='temporal'") as e:
        resolve(f, snapshots=3)
    assert e.value.param == "snapshots"
    with pytest.raises(InvalidParameterError, match="did you mean 'weights'"):
        resolve(f, weight="wc")
    with pytest.raises(InvalidParameterError, match="'weights' is a keyword of graph files"):
        resolve(f, kind="temporal", weights="wc")


@pytest.mark.parametrize("kind", [None, "attributed"])
def test_a_file_needs_a_kind_with_a_reader(tmp_path, kind):
    f = tmp_path / "g.txt"
    f.write_text(EDGES)
    with pytest.raises(InvalidParameterError, match="'kind' parameter of datasets.resolve must "
                                                    "be 'graph' or 'temporal' or 'cascades'") as e:
        resolve(f, kind=kind)
    assert e.value.param == "kind"


def test_a_directory_is_an_error_naming_the_parameter(tmp_path):
    with pytest.raises(InvalidParameterError, match="must be a graph file or graph dataset "
                                                    "name. Got the directory") as e:
        resolve(tmp_path)
    assert e.value.param == "name_or_path"
    with pytest.raises(InvalidParameterError, match="The 'GRAPH' parameter of infmax seeds"):
        resolve(str(tmp_path), func="infmax seeds", param="GRAPH")


# -- dataset names ---------------------------------------------------------------------------
def test_dataset_name_alias_and_case_give_the_canonical_name(reg):
    ref = im.datasets.load("resolve-g", data_dir=reg)
    for name in ("Resolve-G", "RESOLVE-G", "resolve-g-alias"):
        G, src = resolve(name, data_dir=reg)
        assert src == {"dataset": "Resolve-G"}
        same(G, ref)
    assert ref.weighting == "file"     # the dataset's defaults apply


def test_dataset_keywords_reach_the_loader(reg):
    G, _ = resolve("resolve-g", data_dir=reg, weights="uniform:0.3", directed=False)
    assert G.weighting == "uniform:0.3" and not G.directed
    with pytest.raises(InvalidParameterError, match="'snapshots' parameter of datasets.load"):
        resolve("resolve-g", data_dir=reg, snapshots=2)


def test_temporal_dataset_takes_the_file_keywords_too(reg):
    """The keywords of a temporal file (read_contacts) work for a temporal dataset, so a caller
    need not know which of the two it got: ``format`` is 'auto' or the dataset's own."""
    a, src = resolve("resolve-t", kind="temporal", data_dir=reg, format="auto", snapshots=3)
    b, _ = resolve("resolve-t", kind="temporal", data_dir=reg, format="tij", snapshots=3)
    assert src == {"dataset": "resolve-t"} and a.T == b.T == 3 and a.n == b.n == 3
    with pytest.raises(InvalidParameterError, match="'format' parameter of datasets.load must "
                                                    "be 'auto' or 'tij'"):
        resolve("resolve-t", kind="temporal", data_dir=reg, format="konect")


def test_kind_none_accepts_a_dataset_of_any_kind(reg):
    G, _ = resolve("resolve-g", kind=None, data_dir=reg)
    TG, _ = resolve("resolve-t", kind=None, data_dir=reg)
    assert isinstance(G, im.DiGraph) and type(TG).__name__ == "TemporalGraph"


def test_a_temporal_dataset_where_a_graph_is_expected_says_what_to_use(reg):
    with pytest.raises(InvalidParameterError) as e:
        resolve("resolve-t", data_dir=reg)
    msg = str(e.value)
    assert "'resolve-t', a temporal dataset" in msg and "--temporal" in msg
    assert "infmax.bopim" in msg and "resolve-g" in msg.lower()   # lists the graph datasets
    assert e.value.param == "name_or_path"


def test_a_graph_dataset_where_a_temporal_one_is_expected(reg):
    with pytest.raises(InvalidParameterError, match="a graph dataset .*static selectors") as e:
        resolve("resolve-g", kind="temporal", data_dir=reg)
    assert "hospital" in str(e.value) and "infectious-YYYY-MM-DD" in str(e.value)


def test_neither_file_nor_dataset_lists_names_of_that_kind():
    with pytest.raises(DatasetNotFoundError) as e:
        resolve("nethep")
    msg = str(e.value)
    assert "'nethep' is neither a file nor a registered dataset" in msg
    assert "registered graph datasets: ca-grqc" in msg and "Did you mean 'nethept'?" in msg
    assert "hospital" not in msg
    with pytest.raises(DatasetNotFoundError) as e:
        resolve("no-such-contacts", kind="temporal")
    msg = str(e.value)
    assert "neither a file" in msg and "hospital" in msg and "nethept" not in msg
    # the 69 days of the Infectious exhibition are one entry, not 69
    assert msg.count("infectious") == 1 and "infectious-YYYY-MM-DD" in msg
    with pytest.raises(DatasetNotFoundError, match="registered cascades datasets: android, "
                                                   "christianity"):
        resolve("anything", kind="cascades")


def test_empty_name_is_not_the_current_directory():
    with pytest.raises(DatasetNotFoundError, match="'' is neither a file"):
        resolve("")


def test_a_missing_pathlike_is_not_looked_up_as_a_name(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="does not exist"):
        resolve(tmp_path / "nethept")


@pytest.mark.parametrize("kw, param", [
    ({"name_or_path": 3}, "name_or_path"), ({"name_or_path": None}, "name_or_path"),
    ({"name_or_path": "nethept", "kind": "graphs"}, "kind"),
    ({"name_or_path": "nethept", "path": "x.txt"}, "path"),
])
def test_bad_arguments(kw, param):
    with pytest.raises(InvalidParameterError) as e:
        resolve(**kw)
    assert e.value.param == param and "datasets.resolve" in str(e.value)


def test_real_datasets(data_dir):
    G, src = resolve("CA-GrQc", weights="uniform:0.1")
    assert src == {"dataset": "ca-grqc"} and (G.n, G.m) == (5_241, 2 * (14_496 - 12))
    TG, src = resolve("hospital", kind="temporal", snapshots=5, format="auto")
    assert src == {"dataset": "hospital"} and (TG.n, TG.T) == (75, 5)


# -- the registry without globals() ----------------------------------------------------------
def test_load_with_path_does_not_look_for_the_replaced_file(tmp_path):
    """``load(name, path=...)`` replaces the first file: the registry used to locate (or
    download) it anyway, so a dataset whose first file was absent could not be loaded from a
    given path."""
    other = tmp_path / "mine.txt"
    other.write_text("1 2\n")
    spec = DatasetSpec(name="resolve-missing", kind="graph",
                       files=(DataFile("nowhere/missing.txt"),),
                       loader="infmax.datasets.catalog:load_edgelist_dataset")
    im.datasets.register(spec)
    try:
        with pytest.raises(DatasetNotFoundError, match="missing.txt"):
            im.datasets.load("resolve-missing", download=False)
        G = im.datasets.load("resolve-missing", path=other, download=False)
        assert G.labels.tolist() == [1, 2]
    finally:
        _registry._REGISTRY.pop("resolve-missing", None)


def test_path_error_lists_every_place_looked(tmp_path, monkeypatch):
    monkeypatch.setenv("INFMAX_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("INFMAX_CACHE_DIR", str(tmp_path / "cache"))
    spec = DatasetSpec(name="resolve-missing2", kind="graph", files=(DataFile("d/f.txt"),),
                       loader="infmax.datasets.catalog:load_edgelist_dataset")
    im.datasets.register(spec)
    try:
        with pytest.raises(DatasetNotFoundError) as e:
            im.datasets.path("resolve-missing2", data_dir=tmp_path, download=False)
        msg = str(e.value)
        for where in (tmp_path / "d/f.txt", tmp_path / "env/d/f.txt",
                      tmp_path / "cache/d/f.txt"):
            assert os.fspath(where) in msg
        assert im.datasets.data_dir() == tmp_path / "env"
    finally:
        _registry._REGISTRY.pop("resolve-missing2", None)
