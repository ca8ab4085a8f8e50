"""Cascade datasets: readers for the published formats and registry entries (kind "cascades").

Formats (one cascade per line; blank lines skipped; the first user is the initiator):

- ``"infvae"``: ``seed u1 t1 u2 t2 ...`` (Inf-VAE); times relative to the seed, which gets 0.
- ``"topolstm"``: the same layout with absolute integer times; the seed has no time and gets
  the time of the first participant.
- ``"forest"``: space-separated ``user,timestamp`` items (FOREST; Twitter: ms, MemeTracker:
  hours since the epoch).
- ``"douban"``: comma-separated ``user unix_seconds`` items; an incomplete *last* item (a user
  without a time, as the shipped file ends) is skipped.
- ``"deephawkes"``: tab-separated ``id root publish_ts n path:seconds ...`` (participant = last
  user of the retweet path, time = publish_ts + seconds; ``n`` must match).
- ``"digg"``: ``user time;user time;...`` (IMINFECTOR authors' Digg preprocessing).
- ``"weibo"``: ``day;op_id op_time;u1 t1;...`` (IMINFECTOR authors' Weibo preprocessing; the
  day field is ignored, the original poster is the initiator).

A malformed line raises :class:`~infmax.exceptions.GraphFormatError` naming the file and the
1-based line number.

Examples
--------
>>> import infmax as im
>>> "android" in im.datasets.list("cascades")
True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .._validation import check_choice
from ..exceptions import GraphFormatError, InvalidParameterError
from ..graph.cascades import Cascades
from ._registry import DataFile, DatasetSpec, register

__all__ = ["read_cascades", "parse_cascades", "FORMATS"]

FORMATS = ("infvae", "topolstm", "forest", "douban", "deephawkes", "digg", "weibo")
_RELATIVE = ("infvae",)


def _time(tok: str, path: str, line_no: int) -> float:
    try:
        v = float(tok)
    except ValueError:
        raise GraphFormatError(f"time {tok!r} is not a number", path=path,
                               line=line_no) from None
    if v != v or v in (float("inf"), float("-inf")):
        raise GraphFormatError(f"time {tok!r} is not a finite number", path=path, line=line_no)
    return v


def _pairs(tokens: Sequence[str], sep: str | None, path: str, line_no: int,
           what: str) -> tuple[list[str], list[float]]:
    us, ts = [], []
    for item in tokens:
        p = item.split(sep)
        if len(p) != 2 or not p[0] or not p[1]:
            raise GraphFormatError(f"expected {what}, got item {item!r}", path=path,
                                   line=line_no)
        us.append(p[0].strip())
        ts.append(_time(p[1], path, line_no))
    return us, ts


def _parse_line(fmt: str, s: str, path: str, line_no: int) -> tuple[list[str], list[float]]:
    if fmt in ("infvae", "topolstm"):
        p = s.split()
        if len(p) % 2 != 1:
            raise GraphFormatError(
                f"expected 'seed u1 t1 u2 t2 ...' (an odd number of fields), got {len(p)} "
                "fields", path=path, line=line_no)
        us = [p[0], *p[1::2]]
        ts = [_time(t, path, line_no) for t in p[2::2]]
        return us, [0.0 if fmt == "infvae" or not ts else ts[0], *ts]
    if fmt == "forest":
        return _pairs(s.split(), ",", path, line_no, "'user,timestamp'")
    if fmt == "douban":
        items = [x.strip() for x in s.split(",") if x.strip()]
        if items and len(items[-1].split()) == 1:
            items = items[:-1]          # the truncated last item of the shipped file
        return _pairs(items, None, path, line_no, "'user unix_seconds'")
    if fmt == "digg":
        return _pairs([x for x in s.split(";") if x.strip()], None, path, line_no,
                      "'user time'")
    if fmt == "weibo":
        fields = [x for x in s.split(";") if x.strip()]
        if len(fields) < 2:
            raise GraphFormatError("expected 'day;op_id op_time;u1 t1;...'", path=path,
                                   line=line_no)
        return _pairs(fields[1:], None, path, line_no, "'user time'")
    # deephawkes
    p = s.split("\t")
    if len(p) != 5:
        raise GraphFormatError(
            f"expected 5 tab-separated fields 'id root publish_ts n participants', got {len(p)}",
            path=path, line=line_no)
    root, t0 = p[1].strip(), _time(p[2], path, line_no)
    items = p[4].split()
    try:
        n = int(p[3])
    except ValueError:
        raise GraphFormatError(f"participant count {p[3]!r} is not an integer", path=path,
                               line=line_no) from None
    if n != len(items):
        raise GraphFormatError(f"participant count {n} does not match the {len(items)} items",
                               path=path, line=line_no)
    us, ts = [root], [t0]
    for item in items:
        route, _, sec = item.rpartition(":")
        if not route:
            raise GraphFormatError(f"expected 'path:seconds', got item {item!r}", path=path,
                                   line=line_no)
        us.append(route.split("/")[-1])
        ts.append(t0 + _time(sec, path, line_no))
    return us, ts


def parse_cascades(path: str | os.PathLike[str], format: str  # noqa: A002
                   ) -> tuple[np.ndarray, list, list]:
    """Read one cascade file; return ``(offsets, user labels, times)`` as flat lists."""
    format = check_choice("read_cascades", "format", format, FORMATS)  # noqa: A001
    p = Path(path)
    if not p.is_file():
        raise GraphFormatError("no such file", path=str(p))
    sizes: list[int] = []
    users: list[str] = []
    times: list[float] = []
    name = str(p)
    with open(p, encoding="utf-8", errors="strict") as f:
        try:
            for line_no, raw in enumerate(f, 1):
                s = raw.strip()
                if not s:
                    continue
                us, ts = _parse_line(format, s, name, line_no)
                if not us:
                    raise GraphFormatError("a cascade without users", path=name, line=line_no)
                sizes.append(len(us))
                users.extend(us)
                times.extend(ts)
        except UnicodeDecodeError:
            raise GraphFormatError("not a UTF-8 text file", path=name) from None
    off = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=off[1:])
    return off, users, times


def _labels(users: list[str]) -> np.ndarray:
    try:
        return np.asarray(users, dtype=np.int64)
    except (ValueError, OverflowError):
        return np.asarray(users, dtype=object)


def read_cascades(path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
                  format: str | None = None, graph: object = None,  # noqa: A002
                  parts: Sequence[int] | None = None) -> Cascades:
    """Read one cascade file (or several, concatenated) into a :class:`Cascades`.

    Parameters
    ----------
    path : path or list of paths
        The file(s), in order.
    format : {"infvae", "topolstm", "forest", "douban", "deephawkes", "digg", "weibo"}
        See the module docstring.
    graph : DiGraph, optional
        A social graph to share ids with (:meth:`Cascades.with_graph`).
    parts : list of {0, 1}, optional
        With several files: the shipped split of each file (0 train, 1 test).

    Raises
    ------
    GraphFormatError
        A malformed line (file and line number in the message); a missing file.
    InvalidParameterError
        An unknown ``format``; ``parts`` not one entry per file.
    """
    if format is None:
        raise InvalidParameterError(
            "The 'format' parameter of read_cascades is required: one of "
            f"{', '.join(map(repr, FORMATS))}.", param="format", value=None)
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    if parts is not None and len(parts) != len(paths):
        raise InvalidParameterError(
            f"The 'parts' parameter of read_cascades must give one entry per file "
            f"({len(paths)}). Got {list(parts)!r}.", param="parts", value=list(parts))
    offs, users, times, part = [np.zeros(1, np.int64)], [], [], []
    for i, p in enumerate(paths):
        off, us, ts = parse_cascades(p, format)
        offs.append(off[1:] + len(users))
        users.extend(us)
        times.extend(ts)
        if parts is not None:
            part.extend([parts[i]] * (off.size - 1))
    src = ", ".join(os.path.basename(str(p)) for p in paths)
    return Cascades.from_arrays(np.concatenate(offs), _labels(users), times, graph=graph,
                                relative_times=format in _RELATIVE,
                                part=None if parts is None else part, source=src)


# ---------------------------------------------------------------------------------------------
# registered datasets
# ---------------------------------------------------------------------------------------------
def _read_graph(path: Path, directed: bool):
    from ..graph.readers import read_edgelist

    return read_edgelist(path, directed=directed, weights="wc")


def load_infvae(paths: Sequence[Path], *, graph: bool = True) -> Cascades:
    """Inf-VAE set: files graph, train, val, test; shipped split train+val (0) / test (1)."""
    G = _read_graph(paths[0], directed=False) if graph else None
    return read_cascades(paths[1:], format="infvae", graph=G, parts=[0, 0, 1])


def load_topolstm(paths: Sequence[Path], *, graph: bool = True) -> Cascades:
    """TopoLSTM Twitter: files graph (directed follower links), train, test."""
    G = _read_graph(paths[0], directed=True) if graph else None
    return read_cascades(paths[1:], format="topolstm", graph=G, parts=[0, 1])


def load_forest(paths: Sequence[Path]) -> Cascades:
    """FOREST set: train, valid and test files concatenated (split by time)."""
    return read_cascades(paths, format="forest")


def load_douban(paths: Sequence[Path]) -> Cascades:
    """Douban (MS-HGAT release): one file."""
    return read_cascades(paths, format="douban")


def load_deephawkes(paths: Sequence[Path]) -> Cascades:
    """DeepHawkes Weibo sample: one file."""
    return read_cascades(paths, format="deephawkes")


_GH = "https://raw.githubusercontent.com"
_INFVAE = f"{_GH}/aravindsankar28/Inf-VAE/6092c386267b5c21752007dec99ca4a587e5d490/data"
_TOPO = f"{_GH}/vwz/topolstm/518b78943c4cf8de63ab9f1850cc103503612e6b/datasets/twitter"
_FOREST = f"{_GH}/albertyang33/FOREST/637c7480db98944a7b79395e49ad144f8eed4dba/data"
_USEFUL = ("useful k: test initiators who also started a training cascade (METHODS.md)")

for _name, _what, _st in (
        ("android", "Android Stack Exchange",
         {"cascades": 679, "train": 543, "test": 136, "graph_nodes": 9_940, "useful_k": 58}),
        ("christianity", "Christianity Stack Exchange",
         {"cascades": 589, "train": 470, "test": 119, "graph_nodes": 2_897, "useful_k": 52})):
    register(DatasetSpec(
        name=_name, kind="cascades", loader="infmax.datasets.cascades:load_infvae",
        files=tuple(DataFile(f"{_name}-infvae/{f}", f"{_INFVAE}/{_name}/{f}")
                    for f in ("graph.txt", "train.txt", "val.txt", "test.txt")),
        description=(f"{_what} diffusion cascades with the social graph (Inf-VAE release): "
                     "'seed u1 t1 ...' with times relative to the seed, so split_by_time "
                     "uses the shipped split: train+val (train) / test (test), which is "
                     "random, not temporal. Graph read undirected, WC weights. " + _USEFUL),
        citation="A. Sankar, X. Zhang, A. Krishnan, J. Han. Inf-VAE. WSDM 2020.",
        license="BSD-3-Clause (github.com/aravindsankar28/Inf-VAE)",
        stats=_st, aliases=(f"{_name}-infvae",)))

register(DatasetSpec(
    name="twitter-topolstm", kind="cascades", loader="infmax.datasets.cascades:load_topolstm",
    files=tuple(DataFile(f"twitter-topolstm/{f}", f"{_TOPO}/{f}")
                for f in ("graph.txt", "train.txt", "test.txt")),
    description=("Small Twitter diffusion set with a partial follower graph (TopoLSTM): "
                 "'seed u1 t1 ...' with absolute times (the seed takes its first participant's "
                 "time); split by time. The graph covers about half of the cascade users. "
                 + _USEFUL),
    citation="J. Wang, V. W. Zheng, Z. Liu, K. C.-C. Chang. Topological recurrent neural "
             "network for diffusion prediction. ICDM 2017.",
    license="None stated (github.com/vwz/topolstm)",
    stats={"cascades": 569, "graph_nodes": 3_140, "useful_k": 31}, aliases=("topolstm",)))

for _name, _what, _st in (
        ("twitter-forest", "Twitter URL cascades (Hodas & Lerman 2014); times in ms",
         {"cascades": 3_461, "users": 12_627, "useful_k": 219}),
        ("memetracker-forest", "MemeTracker phrase cascades over sites; times in hours",
         {"cascades": 12_663, "users": 4_709, "useful_k": 593})):
    _dir = _name.split("-")[0]
    register(DatasetSpec(
        name=_name, kind="cascades", loader="infmax.datasets.cascades:load_forest",
        files=tuple(DataFile(f"{_name}/{f}", f"{_FOREST}/{_dir}/{f}")
                    for f in ("cascade.txt", "cascadevalid.txt", "cascadetest.txt")),
        description=(f"{_what} (FOREST release): 'user,timestamp' items; the three shipped "
                     "files concatenated and split by time. No social graph. " + _USEFUL),
        citation="C. Yang, J. Tang, M. Sun, G. Cui, Z. Liu. Multi-scale information diffusion "
                 "prediction with reinforced recurrent networks. IJCAI 2019.",
        license="None stated (github.com/albertyang33/FOREST)", stats=_st,
        aliases=(_dir,) if _dir == "memetracker" else ()))

register(DatasetSpec(
    name="douban", kind="cascades", loader="infmax.datasets.cascades:load_douban",
    files=(DataFile("douban-mshgat/cascades.txt",
                    f"{_GH}/slingling/MS-HGAT/825b5c250da1f5c135284e2a59438499991f433c/"
                    "data/douban/cascades.txt"),),
    description=("Douban book/movie adoption cascades (MS-HGAT release): 'user unix_seconds,' "
                 "items; the truncated last item of the file is skipped; split by time. No "
                 "social graph. " + _USEFUL),
    citation="L. Sun et al. MS-HGAT: memory-enhanced sequential hypergraph attention network "
             "for information diffusion prediction. AAAI 2022.",
    license="None stated (github.com/slingling/MS-HGAT)",
    stats={"cascades": 3_485, "users": 12_232, "useful_k": 149},
    aliases=("douban-mshgat",)))

register(DatasetSpec(
    name="weibo-deephawkes-sample", kind="cascades",
    loader="infmax.datasets.cascades:load_deephawkes",
    files=(DataFile("weibo-deephawkes-sample/dataset.txt",
                    f"{_GH}/Xovee/casflow/10950aeb0fb71588aa0ab72cf48dc02fd929fb14/"
                    "dataset/sample/dataset.txt"),),
    description=("30 Sina Weibo retweet cascades (DeepHawkes sample, CasFlow release): each "
                 "participant is the last user of its retweet path, at publish time + offset."),
    citation="Q. Cao, H. Shen, K. Cen, W. Ouyang, X. Cheng. DeepHawkes. CIKM 2017.",
    license="MIT (repository); data research-only per the DeepHawkes authors",
    stats={"cascades": 30, "users": 6_962}, aliases=("weibo-sample",)))
