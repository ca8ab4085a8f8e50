"""Dataset downloads and the lookup order, against a local file:// URL and a local HTTP server
on 127.0.0.1 (never the internet), with a temporary cache and a temporarily registered
dataset."""

from __future__ import annotations

import bz2
import functools
import gzip
import hashlib
import http.server
import io
import os
import tarfile
import threading
import zipfile
from pathlib import Path

import pytest

import infmax as im
from infmax.datasets import DataFile, DatasetSpec, _registry
from infmax.datasets._download import fetch, sha256_of
from infmax.exceptions import DatasetNotFoundError, DownloadError

EDGES = b"# tiny\n1 2\n2 3\n3 1\n4 1\n"
SHA = hashlib.sha256(EDGES).hexdigest()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    hits: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).hits.append(self.path)
        super().do_GET()


@pytest.fixture
def server(tmp_path):
    """(served folder, base URL, list of requested paths)."""
    root = tmp_path / "served"
    root.mkdir()
    _Quiet.hits = []
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True)
    t.start()
    try:
        yield root, f"http://127.0.0.1:{httpd.server_address[1]}", _Quiet.hits
    finally:
        httpd.shutdown()
        httpd.server_close()
        t.join(5)


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    cache.mkdir()
    monkeypatch.setenv("INFMAX_DATA_DIR", str(data))
    monkeypatch.setenv("INFMAX_CACHE_DIR", str(cache))
    monkeypatch.delenv("INFMAX_PROGRESS", raising=False)
    return data, cache


@pytest.fixture
def temp_dataset():
    """Register DatasetSpecs for one test and remove them afterwards."""
    names = []

    def make(name, datafile, **kw):
        spec = DatasetSpec(name=name, kind="graph", files=(datafile,),
                           loader="infmax.datasets.catalog:load_edgelist_dataset",
                           defaults={"directed": True}, **kw)
        im.datasets.register(spec, replace=True)
        names.append(name)
        return spec

    yield make
    for n in names:
        _registry._REGISTRY.pop(n.lower(), None)


def leftovers(folder: Path):
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


# ---------------------------------------------------------------------------------------------
# fetch
# ---------------------------------------------------------------------------------------------
def test_fetch_file_url(tmp_path):
    src = tmp_path / "edges.txt"
    src.write_bytes(EDGES)
    dest = tmp_path / "out" / "sub" / "edges.txt"
    got = fetch(DataFile("t/edges.txt", src.as_uri(), SHA, len(EDGES)), dest)
    assert got == dest and dest.read_bytes() == EDGES
    assert leftovers(dest.parent) == []


def test_fetch_http_with_progress(tmp_path, server, capsys, monkeypatch):
    monkeypatch.delenv("INFMAX_PROGRESS", raising=False)
    root, base, hits = server
    (root / "edges.txt").write_bytes(EDGES)
    dest = tmp_path / "dl" / "edges.txt"
    fetch(DataFile("t/edges.txt", f"{base}/edges.txt", SHA), dest, progress=True)
    assert dest.read_bytes() == EDGES and hits == ["/edges.txt"]
    out, err = capsys.readouterr()
    assert out == "" and "downloading t/edges.txt" in err


def test_fetch_checksum_mismatch(tmp_path, server):
    root, base, _ = server
    (root / "edges.txt").write_bytes(EDGES)
    dest = tmp_path / "dl" / "edges.txt"
    wrong = "0" * 64
    with pytest.raises(DownloadError) as e:
        fetch(DataFile("t/edges.txt", f"{base}/edges.txt", wrong), dest)
    msg = str(e.value)
    assert wrong in msg and SHA in msg and str(dest) in msg
    assert not dest.exists() and leftovers(dest.parent) == []


def test_fetch_network_failures(tmp_path, server):
    root, base, _ = server
    dest = tmp_path / "dl" / "edges.txt"
    with pytest.raises(DownloadError) as e:          # 404 from the local server
        fetch(DataFile("t/edges.txt", f"{base}/missing.txt", SHA), dest)
    assert "put it at" in str(e.value) and str(dest) in str(e.value)
    assert not dest.exists() and leftovers(dest.parent) == []
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()                                       # nothing listens there now
    with pytest.raises(DownloadError, match="INFMAX_DATA_DIR"):
        fetch(DataFile("t/edges.txt", f"http://127.0.0.1:{port}/x.txt", SHA), dest,
              timeout=5)
    with pytest.raises(DownloadError, match="no download address"):
        fetch(DataFile("t/edges.txt", None, SHA), dest)


def _tar(mode, members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _zip(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name,payload,member", [
    ("edges.txt.gz", gzip.compress(EDGES), None),
    ("edges.txt.bz2", bz2.compress(EDGES), None),
    ("pack.tar.gz", _tar("w:gz", {"pack/README": b"x", "pack/edges.txt": EDGES}),
     "pack/edges.txt"),
    ("pack.tar.bz2", _tar("w:bz2", {"pack/edges.txt": EDGES, "pack/other": b"y"}),
     "pack/edges.txt"),
    ("pack.zip", _zip({"a/edges.txt": EDGES, "a/meta": b"m"}), "a/edges.txt"),
    ("one.zip", _zip({"whatever.txt": EDGES}), None),
    ("disguised.txt", _zip({"edges.txt": EDGES}), None),     # a zip behind a .txt URL
], ids=["gz", "bz2", "tar.gz", "tar.bz2", "zip-member", "zip-single", "zip-as-txt"])
def test_fetch_archives(tmp_path, server, name, payload, member):
    root, base, _ = server
    (root / name).write_bytes(payload)
    dest = tmp_path / "dl" / "edges.txt"
    fetch(DataFile("t/edges.txt", f"{base}/{name}", SHA, archive_member=member), dest)
    assert dest.read_bytes() == EDGES and leftovers(dest.parent) == []


def test_fetch_compressed_dataset_file_kept_as_is(tmp_path):
    gz = gzip.compress(EDGES)
    src = tmp_path / "edges.txt.gz"
    src.write_bytes(gz)
    dest = tmp_path / "dl" / "edges.txt.gz"
    fetch(DataFile("t/edges.txt.gz", src.as_uri(), hashlib.sha256(gz).hexdigest()), dest)
    assert dest.read_bytes() == gz
    assert im.read_edgelist(dest).m == 4          # and the parser reads it transparently


def test_fetch_archive_member_missing(tmp_path):
    src = tmp_path / "p.zip"
    src.write_bytes(_zip({"a.txt": b"1 2\n", "b.txt": b"2 3\n"}))
    with pytest.raises(DownloadError, match="no member 'c.txt'"):
        fetch(DataFile("t/edges.txt", src.as_uri(), SHA, archive_member="c.txt"),
              tmp_path / "dl" / "edges.txt")
    with pytest.raises(DownloadError, match="set DataFile.archive_member"):
        fetch(DataFile("t/edges.txt", src.as_uri(), SHA), tmp_path / "dl" / "edges.txt")
    assert leftovers(tmp_path / "dl") == []


# ---------------------------------------------------------------------------------------------
# lookup order through the registry
# ---------------------------------------------------------------------------------------------
def test_lookup_order(tmp_path, dirs, server, temp_dataset):
    data, cache = dirs
    root, base, hits = server
    (root / "edges.txt").write_bytes(EDGES)
    temp_dataset("tmp-lookup", DataFile("tmpds/edges.txt", f"{base}/edges.txt", SHA,
                                        len(EDGES)))
    # 4. nothing local: downloaded into the cache (sha256 checked), then read from there
    G = im.datasets.load("tmp-lookup")
    assert G.n == 4 and G.m == 4 and hits == ["/edges.txt"]
    cached = cache / "tmpds" / "edges.txt"
    assert cached.read_bytes() == EDGES and sha256_of(cached) == SHA
    assert im.datasets.path("tmp-lookup") == [cached]
    im.datasets.load("tmp-lookup")
    assert hits == ["/edges.txt"]                  # no second download
    # 2. INFMAX_DATA_DIR wins over the cache
    (data / "tmpds").mkdir()
    (data / "tmpds" / "edges.txt").write_bytes(b"5 6\n")
    assert im.datasets.path("tmp-lookup") == [data / "tmpds" / "edges.txt"]
    assert im.datasets.load("tmp-lookup").labels.tolist() == [5, 6]
    assert im.datasets.info("tmp-lookup")["local"] == [str(data / "tmpds" / "edges.txt")]
    # 1. an explicit path wins over everything
    own = tmp_path / "own.txt"
    own.write_bytes(b"7 8\n8 9\n")
    G = im.datasets.load("tmp-lookup", path=own)
    assert G.labels.tolist() == [7, 8, 9] and G.summary.source == str(own)
    # an explicit data_dir is searched before INFMAX_DATA_DIR
    other = tmp_path / "other"
    (other / "tmpds").mkdir(parents=True)
    (other / "tmpds" / "edges.txt").write_bytes(b"1 9\n")
    assert im.datasets.load("tmp-lookup", data_dir=other).labels.tolist() == [1, 9]
    # 3. without the data dir copy, the cache is used again
    (data / "tmpds" / "edges.txt").unlink()
    assert im.datasets.path("tmp-lookup") == [cached]


def test_download_checksum_failure_through_load(dirs, server, temp_dataset):
    data, cache = dirs
    root, base, _ = server
    (root / "edges.txt").write_bytes(EDGES + b"5 1\n")       # upstream changed
    temp_dataset("tmp-bad", DataFile("tmpds/bad.txt", f"{base}/edges.txt", SHA))
    with pytest.raises(DownloadError, match=f"expected sha256 {SHA}"):
        im.datasets.load("tmp-bad")
    assert not (cache / "tmpds" / "bad.txt").exists()


def test_no_url_no_file_says_where(dirs, temp_dataset):
    data, cache = dirs
    temp_dataset("tmp-nourl", DataFile("tmpds/none.txt", None))
    with pytest.raises(DatasetNotFoundError) as e:
        im.datasets.load("tmp-nourl")
    msg = str(e.value)
    assert "tmpds/none.txt" in msg and "INFMAX_DATA_DIR" in msg
    assert str(cache / "tmpds" / "none.txt") in msg and str(data) in msg


def test_download_disabled_names_the_url(dirs, temp_dataset, tmp_path):
    temp_dataset("tmp-off", DataFile("tmpds/off.txt", "http://127.0.0.1:9/off.txt", SHA))
    with pytest.raises(DatasetNotFoundError, match="http://127.0.0.1:9/off.txt"):
        im.datasets.path("tmp-off", download=False)


def test_file_url_dataset(dirs, temp_dataset, tmp_path):
    src = tmp_path / "remote" / "edges.txt"
    src.parent.mkdir()
    src.write_bytes(EDGES)
    temp_dataset("tmp-fileurl", DataFile("tmpds/f.txt", src.as_uri(), SHA, len(EDGES)))
    assert im.datasets.load("tmp-fileurl").m == 4
    assert (Path(os.environ["INFMAX_CACHE_DIR"]) / "tmpds" / "f.txt").exists()
