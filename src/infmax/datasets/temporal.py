"""Temporal contact datasets: parsers for the published formats and registry entries.

Formats (all whitespace separated; blank lines and lines starting with ``#`` or ``%`` skipped):

- ``"tij"``: SocioPatterns ``t i j`` (hospital, ht09; extra columns such as the statuses of the
  original ``t i j Si Sj`` files are ignored) and the infectious exhibition's ``unix_t i j``.
- ``"konect"``: KONECT ``from to weight t`` (``%`` header lines; the weight column is ignored;
  self-loops dropped; files are not time-sorted, events are sorted on load).
- ``"haggle"``: CRAWDAD Haggle contact files ``id1 id2 start end contact_no gap``; each contact
  becomes ONE event at its start time (the contact's duration is not used, which matches how
  the BOPIM paper turns proximity traces into snapshots).
- ``"one"``: ONE simulator connectivity events ``time CONN a b up|down``; each ``up`` event
  becomes one contact at its time (``down`` events only close intervals and are skipped).

A malformed line raises :class:`~infmax.exceptions.GraphFormatError` naming the file and the
1-based line number. This module stays import-light (numpy only): the registry imports it.

Examples
--------
>>> import infmax as im
>>> "hospital" in im.datasets.list("temporal")
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .._validation import check_choice
from ..exceptions import GraphFormatError, InvalidParameterError
from ._registry import DataFile, DatasetSpec, register

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph.temporal import TemporalGraph

__all__ = ["read_contacts", "parse_contacts", "FORMATS", "INFECTIOUS_DAYS"]

FORMATS = ("auto", "tij", "konect", "haggle", "one")


def _parse_error(path, line_no, msg):
    raise GraphFormatError(msg, path=str(path), line=line_no)


def _num(tok: str, path: str | os.PathLike[str], line_no: int, what: str) -> float:
    try:
        v = float(tok)
    except ValueError:
        _parse_error(path, line_no, f"{what} {tok!r} is not a number")
    if v != v or v in (float("inf"), float("-inf")):
        _parse_error(path, line_no, f"{what} {tok!r} is not a finite number")
    return v


def _label(tok: str):
    try:
        return int(tok)
    except ValueError:
        return tok


def _sniff(path: str | os.PathLike[str]) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            s = raw.strip()
            if not s:
                continue
            if s[0] == "%":
                return "konect"
            if s[0] == "#":
                continue
            parts = s.split()
            if len(parts) >= 5 and parts[1].upper() == "CONN":
                return "one"
            if len(parts) >= 4 and len(parts) != 5:
                # konect: from to weight t; haggle: id1 id2 start end no gap (6 columns)
                return "haggle" if len(parts) >= 6 else "konect"
            return "tij"
    return "tij"


def parse_contacts(path: str | os.PathLike[str], fmt: str = "auto"
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Read a contact file; return ``(src_labels, dst_labels, times, rows_read)``.

    Self-loops are kept here (the graph constructor drops and counts them).
    """
    fmt = check_choice("read_contacts", "format", fmt, FORMATS)
    path = Path(path)
    if not path.is_file():
        raise GraphFormatError("no such file", path=str(path))
    if fmt == "auto":
        fmt = _sniff(path)
    src: list = []
    dst: list = []
    tim: list = []
    rows = 0
    with open(path, encoding="utf-8", errors="strict") as f:
        try:
            for line_no, raw in enumerate(f, 1):
                s = raw.strip()
                if not s or s[0] in "#%":
                    continue
                p = s.split()
                rows += 1
                if fmt == "tij":
                    if len(p) < 3:
                        _parse_error(path, line_no, f"expected 't i j', got {s!r}")
                    t, a, b = _num(p[0], path, line_no, "time"), p[1], p[2]
                elif fmt == "konect":
                    if len(p) < 4:
                        _parse_error(path, line_no,
                                     f"expected 'from to weight time' (KONECT), got {s!r}")
                    a, b, t = p[0], p[1], _num(p[3], path, line_no, "time")
                    _num(p[2], path, line_no, "weight")
                elif fmt == "haggle":
                    if len(p) < 4:
                        _parse_error(path, line_no,
                                     f"expected 'id1 id2 start end ...' (Haggle), got {s!r}")
                    a, b = p[0], p[1]
                    t = _num(p[2], path, line_no, "start time")
                    end = _num(p[3], path, line_no, "end time")
                    if end < t:
                        _parse_error(path, line_no, f"contact ends ({end:g}) before it starts "
                                     f"({t:g})")
                else:  # one
                    if len(p) < 5 or p[1].upper() != "CONN" or p[4].lower() not in ("up", "down"):
                        _parse_error(path, line_no,
                                     f"expected 'time CONN a b up|down' (ONE), got {s!r}")
                    t = _num(p[0], path, line_no, "time")
                    if p[4].lower() == "down":
                        continue
                    a, b = p[2], p[3]
                src.append(_label(a))
                dst.append(_label(b))
                tim.append(t)
        except UnicodeDecodeError:
            raise GraphFormatError("not a UTF-8 text file", path=str(path)) from None
    return _labels_array(src), _labels_array(dst), np.asarray(tim, dtype=np.float64), rows


def _labels_array(xs: list) -> np.ndarray:
    if all(isinstance(x, int) for x in xs):
        return np.asarray(xs, dtype=np.int64)
    return np.asarray([str(x) for x in xs], dtype=object)


def read_contacts(path: str | os.PathLike[str], *, format: str = "auto",  # noqa: A002
                  snapshots: int = 10, boundaries: ArrayLike | None = None,
                  binning: str = "duration", directed: bool = False,
                  max_memory: int | None = None) -> TemporalGraph:
    """Read a contact file into a :class:`~infmax.graph.temporal.TemporalGraph`.

    Parameters
    ----------
    path : str or path
    format : {"auto", "tij", "konect", "haggle", "one"}
        See the module docstring; ``"auto"`` sniffs the first data line.
    snapshots, boundaries, binning, directed, max_memory
        As in :meth:`TemporalGraph.from_events`.
    """
    from ..graph.temporal import TemporalGraph

    s, d, t, rows = parse_contacts(path, format)
    return TemporalGraph.from_events(s, d, t, snapshots=snapshots, boundaries=boundaries,
                                     binning=binning, directed=directed,
                                     source=os.path.basename(str(path)), rows_read=rows,
                                     max_memory=max_memory)


def _loader(fmt: str) -> Callable[..., TemporalGraph]:
    def load(paths: Sequence[Path], *, format: str = "auto",  # noqa: A002
             snapshots: int = 10, boundaries: ArrayLike | None = None,
             binning: str = "duration", directed: bool = False,
             max_memory: int | None = None) -> TemporalGraph:
        if format not in ("auto", fmt):
            raise InvalidParameterError(
                f"The 'format' parameter of datasets.load must be 'auto' or {fmt!r} (the "
                f"format of this dataset's file). Got {format!r}.", param="format",
                value=format)
        return read_contacts(paths[0], format=fmt, snapshots=snapshots, boundaries=boundaries,
                             binning=binning, directed=directed, max_memory=max_memory)
    load.__name__ = f"load_{fmt}"
    load.__doc__ = (f"Read a {fmt!r} contact file with :func:`read_contacts` (its keywords; "
                    f"``format`` may only be 'auto' or {fmt!r}).")
    return load


load_tij = _loader("tij")
load_konect = _loader("konect")
load_haggle = _loader("haggle")
load_one = _loader("one")

_FACE2FACE = ("https://raw.githubusercontent.com/gesiscss/face2face/"
              "23ca5dfcf28f349fa45ff7faef6fa09c9cb0d259/face2face/data/")
_THE_ONE = ("https://raw.githubusercontent.com/doorfsimite/the-One/"
            "25e4e5935c4736aaf601809fe1581c5af5b4ecb2/traces/imote/")
_DEFAULTS = {"snapshots": 10}

register(DatasetSpec(
    name="hospital", kind="temporal", loader="infmax.datasets.temporal:load_tij",
    files=(DataFile("sociopatterns-hospital/tij_hospital.dat",
                    _FACE2FACE + "hospital/tij_hospital.dat",
                    "f246f4db411cde4f88443e0657fb7b9fe01f4868bb717930ca3eb686bc72a13e", 541084),),
    description="SocioPatterns hospital ward, Lyon (Dec 2010): 20-s face-to-face contacts "
                "'t i j' between 75 patients and staff over 4 days. BOPIM dataset.",
    citation="Vanhems et al., PLoS ONE 8:e73970 (2013)",
    license="SocioPatterns Creative Commons terms (see sociopatterns.org)",
    stats={"nodes": 75, "events": 32424, "distinct_pairs": 1139, "t_min": 140,
           "t_max": 347640},
    defaults=_DEFAULTS, aliases=("sociopatterns-hospital",)))

register(DatasetSpec(
    name="ht09", kind="temporal", loader="infmax.datasets.temporal:load_tij",
    files=(DataFile("sociopatterns-ht09/tij_HT09.dat", _FACE2FACE + "HT09/tij_HT09.dat",
                    "ed7fcc05f614cd47ffa230183ce2375af140fd13ca98a253d236f9ba043f695e", 344751),),
    description="SocioPatterns Hypertext 2009 conference: 20-s face-to-face contacts 't i j' "
                "of 113 attendees over 2.5 days (stands in for the paper's 'Conference 2').",
    citation="Isella et al., J. Theor. Biol. 271:166 (2011)",
    license="SocioPatterns Creative Commons terms (see sociopatterns.org)",
    stats={"nodes": 113, "events": 20818, "distinct_pairs": 2196, "t_min": 20,
           "t_max": 212360},
    defaults=_DEFAULTS, aliases=("sociopatterns-ht09", "hypertext2009")))

register(DatasetSpec(
    name="dnc-email", kind="temporal", loader="infmax.datasets.temporal:load_konect",
    files=(DataFile("dnc-email/out.dnc-temporalGraph",
                    "https://raw.githubusercontent.com/mbrufau7/complex-networks/"
                    "333a5ffbd89f842eb4eaa10bf2ee6000e488fe58/dnc-temporalGraph.tar.bz2",
                    "d8992c2db40f4aac0f608cede4c6924d7adad95b7b51344710e9a15e73f3959e", 872241,
                    archive_member="dnc-temporalGraph/out.dnc-temporalGraph"),),
    description="2016 Democratic National Committee e-mail leak (KONECT dnc-temporalGraph): "
                "'from to weight unix_time', 1,891 people, 39,264 e-mails (1,843 self-loops "
                "dropped on load); treated as undirected contacts as in the BOPIM paper.",
    citation="KONECT (Kunegis 2013); Rossi & Ahmed, AAAI 2015",
    license="CC BY-SA 2.0 DE (KONECT)",
    stats={"nodes": 1891, "events": 39264, "self_loops": 1843, "distinct_directed_pairs": 5598,
           "t_min": 1379298633, "t_max": 1464168388},
    defaults=_DEFAULTS, aliases=("dnc",)))

register(DatasetSpec(
    name="haggle-intel", kind="temporal", loader="infmax.datasets.temporal:load_haggle",
    files=(DataFile("haggle-intel-exp1/contacts.Exp1.dat",
                    _THE_ONE + "Intel/imote-trace1/Exp1/contacts.Exp1.dat",
                    "21b1075005a6a3a8ef90adf16c706c596ac95819800c2ae2ac92b83097aef0f1", 68268),),
    description="Haggle iMote trace, Intel Research Cambridge (Exp1, Jan 2005): Bluetooth "
                "contacts 'id1 id2 start end ...' among 128 devices over 4.2 days; each contact "
                "is one event at its start time.",
    citation="Scott et al., CRAWDAD cambridge/haggle, doi:10.15783/C70011; Chaintreau et al., "
             "IEEE TMC 2007",
    license="CRAWDAD terms (attribution)",
    stats={"nodes": 128, "events": 2766, "t_min": 121, "t_max": 359311},
    defaults=_DEFAULTS, aliases=("haggle-intel-exp1",)))

register(DatasetSpec(
    name="haggle-cambridge", kind="temporal", loader="infmax.datasets.temporal:load_one",
    files=(DataFile("haggle-cambridge-city/haggle-one-cambridge-city-complete.tsv",
                    _THE_ONE + "cambridge/haggle-one-cambridge-city-complete/"
                    "haggle-one-cambridge-city-complete.tsv",
                    "aedd7807b8f8138763a6be82db48e2c5e5e1f0c6305764a93a4e0d21364e6dbe", 461855),),
    description="Haggle iMote trace, Cambridge city students (Oct-Nov 2005) in ONE form "
                "'time CONN a b up|down': 52 nodes; each 'up' event is one contact.",
    citation="Scott et al., CRAWDAD cambridge/haggle, doi:10.15783/C70011",
    license="CRAWDAD terms (attribution)",
    stats={"nodes": 52, "events": 10873, "t_min": 0, "t_max": 987529},
    defaults=_DEFAULTS, aliases=("haggle-cambridge-city",)))

#: size and sha256 of each daily file of the Infectious exhibition (date -> (bytes, sha256))
INFECTIOUS_DAYS = {
    "2009-04-28": (175359, "2f34dab43b2befc04cb99758e40ff302cf4c92b832bfeeff05128afc6e16e57f"),
    "2009-04-29": (198616, "d3465fe19dd34a1a7882aa1d01db7a93997b51d9dff9c47d075e07bdb1b3160e"),
    "2009-04-30": (168169, "d5cddc0fa5348fd089e47e9bedf08158214b2ff234334a0dafb31b3d0192c965"),
    "2009-05-01": (218659, "ad7beafcb6baa3706b2220ababac343d46012b0d42b70afa335b98ea890c62c5"),
    "2009-05-02": (225713, "43c44f23ce4dee42942ab96f8cf67cfebfc9e0bb9df6d909f419ed849723873f"),
    "2009-05-03": (392385, "42c919dcaa65c05375214366a841a4d145470349a5ce5babdb13b900bf70f33d"),
    "2009-05-05": (72058, "126836984b49a9bc8e5f3fb51c0270f07ab75b5a223446a2e68daa912842b358"),
    "2009-05-06": (208512, "89eee6c0ee67bcb24b1859adbf6510827e9fb6d779a2bc24eab0eef1559c7c55"),
    "2009-05-07": (203608, "a6a07394be1213ae1c8e94c5b9969cd21dd9f8d778c50318f6625928c914fcb9"),
    "2009-05-09": (255575, "41be9b88d91680f5c3c672b1798d38b2eaefe488a0a6aaf8e5cd1a2e995004bb"),
    "2009-05-10": (207695, "df5cf705a5b9bb9e2fdb2483f33b782aadffe5719462cdc09e68562bc1afa223"),
    "2009-05-12": (100470, "d3733678e25db8660b87a02535d82b5225211be8f1a8bad75faddf62ae865044"),
    "2009-05-13": (210346, "a6e65ea9f0f784a4b62339673d073c6b3f9a409c0ab0f1170c1f118c2b1c5e26"),
    "2009-05-14": (194624, "3ab25c1e5542e12f11a8f77f3f694a348e6c6750af138562011022329bb2057a"),
    "2009-05-15": (245327, "f71aca96987f1808b371999ec4eed8d3dcc7e1955fd4b65bf484444709bc9063"),
    "2009-05-16": (365731, "7e8e7b81eb1013f2a6b70af72bda5b415f643a252efe0886e90062e9e6f3eaaa"),
    "2009-05-17": (344481, "c883529dfa8f635862e73e0c2d93d1008ed7c7128f43cdeeb85deb8beab461f0"),
    "2009-05-19": (100927, "c2bc86dd41c7942708997b2ab101703cc60c967fe35e3ee1c72d9df7e312bb57"),
    "2009-05-20": (248640, "6796c3d4aee02b78cde5151d40f5c38a9ccae0b10cb392c8f23668d83714a651"),
    "2009-05-21": (84316, "6707970513c64d78f784302a0b47018d6ee873ecec488407ccb7aa128630cb7c"),
    "2009-05-22": (162416, "bb86f0a7cbda1c55912eb3fe786b9488b127554edcfe88e397598c87b4daa2f1"),
    "2009-05-23": (247463, "e3a032acd449c74fe0f55ea6ddc9b8d180d927a8ea6a99c9e2f0549729e47669"),
    "2009-05-24": (91777, "0928a708229250911fe104e1528d6d60f082f69374e5c4f532454dcf04e57482"),
    "2009-05-26": (165720, "c005ae3b9a6ee086486d3b37a6d91ef72dafff2a7aef466cf7414f15bac56c36"),
    "2009-05-27": (130454, "d38baa0caae6cc871be10c68d161e75ac93e7dee4dff69103106591de09c688c"),
    "2009-05-28": (218139, "a072db7902803593e686cd0ccf617923b8f7d1a2cb2bba9a806482b39db603ad"),
    "2009-05-29": (115995, "d689ba3501a5895150732584c565cc07a469b24353aef87d3cad85fc464abe74"),
    "2009-05-30": (172639, "0a77d0b248a6d7b71c6ae55bae9fcae286dce20896cf66e110e2493814a7b4cd"),
    "2009-05-31": (115556, "0ba852773ae0cab2b3dd7b8c325a496e79ab8639a29d226b9385d5e38a38bf68"),
    "2009-06-02": (47925, "0f474e8d232e8058d11906661d85230b15c406a3a15e186b6cb9e13c3675df69"),
    "2009-06-03": (96824, "adec12ab06372e1615cca853a5ba43ee815efda4cbc9c6dc2b2d3b96744a1f5a"),
    "2009-06-04": (119236, "e95d5709d4d7a4479c24a7495dd00d21620d654c059b4896072281c1a51adfe3"),
    "2009-06-05": (150070, "c36ac3d0bd2baefc04b863306e1cc9d765e38abda1079f5df149f3a9465557d0"),
    "2009-06-06": (246173, "befc06f6b620335da6a5596c6e3ab1fb0f83beb2cf989355473abf1b49b6ce8f"),
    "2009-06-07": (164565, "edde5284a6e2600003b7a3027b33759a49f6aa7a06076aad0964030c57e4445e"),
    "2009-06-09": (159507, "ece72b5f9ec7a8e206696303318566d356f3d6df3140eb9dfe5006cff7db2e23"),
    "2009-06-10": (81328, "421a92bdadc7cb68229a99df7d3dd67a3edbe39061640ce50e234a02646de02c"),
    "2009-06-11": (97262, "6cb79fc7f02fe0894fa349817368974b9b4b14be5405cc9a7a74e61e151ac9fc"),
    "2009-06-12": (154377, "b873abcdab103473827287cb349d45acd02aeea8ad5ea40ef32361962ba751b5"),
    "2009-06-13": (118327, "8ff174852c638b166894d71cce5676e1a7c839683eff243d93575e2201ff1feb"),
    "2009-06-14": (142834, "1bc0f378d4a5ed0724adc126826420c7c8f270d5918ce65703241a787c8d7be4"),
    "2009-06-16": (190787, "8dac221963f792525b3c5b2a65b865046ba055a47528e49a83a116da3baf4277"),
    "2009-06-17": (107725, "c66cd92894419e7778fdb34b41b9af30ed205dd9b22475d3fa962bd8dcb20280"),
    "2009-06-18": (93546, "092fd8acbd08f46b738c68a155de1bdadc38a76c2a10aa44be390c0910730332"),
    "2009-06-19": (139997, "8adae2e2c4656496e8ba097c107deccc5f4144d26a597ca7137858e53df0673a"),
    "2009-06-20": (132374, "74f60ef2c37a538075e763ab6594e830483a342af2774afcdea09b46bf82ba63"),
    "2009-06-21": (178970, "46de46182cdd11a4308d7337abf3b2e4875cd0ee1db0eece60ddce43f5085471"),
    "2009-06-23": (97699, "d3181c05f29f7018cf0030562c0288b523432ed394404e7d8957a5dedf6b72c1"),
    "2009-06-24": (149397, "eb85e1bcc77bc32c504f953ef52c6b0aad37ced4ad6153acecc4b952f34fadc0"),
    "2009-06-25": (131546, "1ad27c90a53296c7c42d57056942c3c7769a2bd5ed4dc8d9d84670c1839f338c"),
    "2009-06-26": (92946, "d76f7cb13b7987ae6f57bcf5de97938b3603f621f1ab87d1f7df506bc127ffdd"),
    "2009-06-27": (53804, "011d64ef16efaca7172740d93899cc6b70edb5b2b51135115dc973397fea053a"),
    "2009-06-28": (112061, "4aa29c580dc25fdcf32e34713dc142298471c7de847d6176e4ac7e8a3238f35c"),
    "2009-06-30": (121394, "b7fd2884fdfa570ee11f594589a3aa646aafe0657237a7ceeafa9e80e082fac4"),
    "2009-07-01": (206115, "ade4d58bdc9b018ddb06b38754263633d500d37a0150e03c394b0987ff3c4b86"),
    "2009-07-02": (118928, "4a362ed86a96b48051a4458ba9a2b4f40e12050f2754171f0e4be5661d92793f"),
    "2009-07-03": (147873, "97c0a13b163dc755380c43bc56fae90f90e5abb60a6718fb53f73d0161517add"),
    "2009-07-04": (173391, "fde981ff650085043b993560267ab94e87a3d8c05f86156b55f887e93134f50e"),
    "2009-07-05": (122676, "e435ae3bd36a99aef2ca8f867bb3854cf52477c5a5d3683ce5fdefcf7cd2e838"),
    "2009-07-07": (290563, "962ac3af3f3aa6e3ff78e9bfcb6fab98af9254bf3f46cc06abe02fe7d0aa15c9"),
    "2009-07-08": (227425, "a9af849d665e05365b03bb6c995ba48b32608dd0a9785ffdbc05a286f490432f"),
    "2009-07-09": (141271, "57e88320f8df61320b40cd2c8503ae834170c7ede46a81820a464f067a262a2a"),
    "2009-07-10": (234883, "dcc0eb197c8dee3e2802fa43a2fd608210626ef6864f846c93307836010e54dd"),
    "2009-07-11": (195453, "6614fd46ca185396d9379b924ad430752fc2ac692e7c4aae4f24e315c3f49706"),
    "2009-07-12": (139077, "c78ec02278179a0df1f945a17663323141ed236627def4e2a318acc5d0d0216d"),
    "2009-07-14": (364329, "5451236f2f0216d8d7b79f6717ac9d5656d4e7910c599b592f3e8a0918c4bc40"),
    "2009-07-15": (509979, "ce89fb0a6dce8a69d1de00476d29f80125e557a9dbc98994003f25a734b8e8c7"),
    "2009-07-16": (324174, "6d13282876db18641eff304ef37344d82da3604e9091a395157e637f018f3428"),
    "2009-07-17": (261257, "c3e759b3cfe13fb3b963422b2801f031fab02ac75439ba7478219961da2c872d"),
}

_INFECTIOUS_URL = ("https://raw.githubusercontent.com/lk50/social-network/"
                   "cc8e218b01c115d20c438795d241c87548f36775/sg_infectious_contact_list.tgz")

for _day, (_size, _sha) in INFECTIOUS_DAYS.items():
    _fname = f"listcontacts_{_day.replace('-', '_')}.txt"
    register(DatasetSpec(
        name=f"infectious-{_day}", kind="temporal", loader="infmax.datasets.temporal:load_tij",
        files=(DataFile(f"sociopatterns-infectious/{_fname}", _INFECTIOUS_URL, _sha, _size,
                        archive_member=_fname),),
        description=f"SocioPatterns 'Infectious: Stay Away' exhibition, Science Gallery Dublin, "
                    f"one day ({_day}): 20-s contacts 'unix_t i j' between visitors.",
        citation="Isella et al., J. Theor. Biol. 271:166 (2011)",
        license="SocioPatterns Creative Commons terms (see sociopatterns.org)",
        stats=({"nodes": 410, "events": 17298} if _day == "2009-07-15" else {}),
        defaults=_DEFAULTS, aliases=(("infectious",) if _day == "2009-07-15" else ())))
