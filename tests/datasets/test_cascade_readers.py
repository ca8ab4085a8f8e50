"""Every cascade reader on a file the test writes; malformed lines named; the shipped sets."""

import time

import pytest

import infmax as im
from infmax.datasets.cascades import read_cascades
from infmax.exceptions import GraphFormatError, InvalidParameterError
from infmax.graph.cascades import split_by_time

CASES = {
    "infvae": ("7 8 10.0 9 20.5\n3\n", "7 8 10.0 9\n", [[7, 8, 9], [3]], [0, 10, 20.5, 0]),
    "topolstm": ("7 8 100 9 120\n", "7 8 x\n", [[7, 8, 9]], [100, 100, 120]),
    "forest": ("7,1.5e+3 8,1.6e+3 7,1.7e+3\n", "7,1 8\n", [[7, 8]], [1500, 1600]),
    "douban": ("7 100,8 200,9\n", "7 100,8 abc,\n", [[7, 8]], [100, 200]),
    "deephawkes": ("1\t7\t1000\t2\t7:0 7/8:30\n", "1\t7\t1000\t3\t7:0 7/8:30\n", [[7, 8]],
                   [1000, 1030]),
    "digg": ("7 100;8 150;9 170\n", "7 100;8\n", [[7, 8, 9]], [100, 150, 170]),
    "weibo": ("3;7 100;8 110;9 130\n", "3;7 100;8 1e\n", [[7, 8, 9]], [100, 110, 130]),
}


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_reader(tmp_path, fmt):
    good, bad, users, times = CASES[fmt]
    f = tmp_path / "c.txt"
    f.write_text(good + "\n")
    C = read_cascades(f, format=fmt)
    assert [C.node_labels(c.users) for c in C] == users
    assert C.times.tolist()[:len(times)] == times
    f.write_text(good + bad)
    with pytest.raises(GraphFormatError, match=f"line {good.count(chr(10)) + 1}"):
        read_cascades(f, format=fmt)


def test_reader_bad_arguments(tmp_path):
    with pytest.raises(InvalidParameterError, match="'format'"):
        read_cascades(tmp_path / "x", format="csv")
    with pytest.raises(InvalidParameterError, match="'format'.*required"):
        read_cascades(tmp_path / "x")
    with pytest.raises(GraphFormatError, match="no such file"):
        read_cascades(tmp_path / "x", format="digg")


def test_resolve_file_and_name(tmp_path):
    f = tmp_path / "d.txt"
    f.write_text("1 10;2 20\n")
    C, src = im.datasets.resolve(f, kind="cascades", format="digg")
    assert len(C) == 1 and src == {"file": str(f)}
    C, src = im.datasets.resolve("christianity", kind="cascades")
    assert src == {"dataset": "christianity"} and C.graph is not None


# figures checked independently: line counts and MANIFEST.md; useful k from METHODS.md
SHIPPED = {"android": (679, 58), "christianity": (589, 52), "twitter-topolstm": (569, 31),
           "twitter-forest": (3461, 219), "douban": (3485, 149),
           "memetracker-forest": (12663, 593), "weibo-deephawkes-sample": (30, 0)}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_sets(name):
    if im.datasets.data_dir() is None:
        pytest.skip("INFMAX_DATA_DIR not set")
    t0 = time.perf_counter()
    C = im.datasets.load(name, download=False)
    elapsed = time.perf_counter() - t0
    n, useful = SHIPPED[name]
    assert len(C) == n
    tr, te = split_by_time(C)
    assert len(set(te.initiators.tolist()) & set(tr.initiators.tolist())) == useful
    if name == "memetracker-forest":
        assert elapsed < 5.0
    s = C.summary()
    if name == "android":
        assert s["graph"]["nodes"] == 9940 and round(s["graph"]["coverage"], 3) == 0.996
    if name == "twitter-topolstm":
        assert round(s["graph"]["coverage"], 2) == 0.51
    if name == "weibo-deephawkes-sample":
        assert s["users"] == 6962
