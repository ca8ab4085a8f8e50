"""The dataset registry: named datasets, where their files are, and how to load them.

Lookup order for a dataset's files: an explicit ``path``; ``$INFMAX_DATA_DIR/<relpath>``;
the user cache directory (``$INFMAX_CACHE_DIR``, else ``~/.cache/infmax``); and when absent,
a download from the dataset's canonical address with a sha256 check (see ``_download``).
When none is possible the error says where to put the file.
"""

from __future__ import annotations

import builtins
import difflib
import importlib
import inspect
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._validation import Options, check, fail
from ..exceptions import DatasetNotFoundError, InvalidParameterError

__all__ = ["DataFile", "DatasetSpec", "register", "list", "info", "path", "load", "data_dir",
           "cache_dir", "get_spec", "loader_keywords"]

KINDS = ("graph", "temporal", "cascades", "attributed")

#: per kind: what a dataset of that kind is and what reads it (for error messages)
KIND_USE = {
    "graph": "a DiGraph, for the static selectors: infmax.imm, infmax.celf, ...; CLI: "
             "infmax seeds GRAPH",
    "temporal": "a TemporalGraph of timed contacts, for the temporal methods: infmax.bopim, "
                "infmax.temporal.*; CLI: --temporal",
    "cascades": "observed cascades, for the methods that learn from them",
    "attributed": "a graph with node attributes",
}


@dataclass(frozen=True)
class DataFile:
    """One file of a dataset.

    ``relpath`` is the path below a data directory (``"nethept/NetHept.txt"``); ``url`` the
    canonical public address (``None`` when there is none); ``sha256`` and ``size`` describe
    the final file at ``relpath`` (after extraction, when the URL is an archive), when known.
    ``archive_member`` names the file inside a downloaded
    archive (``.tar.gz``, ``.tar.bz2``, ``.zip``, ``.gz``) when the URL is an archive.
    """

    relpath: str
    url: str | None = None
    sha256: str | None = None
    size: int | None = None
    archive_member: str | None = None


@dataclass(frozen=True)
class DatasetSpec:
    """A registered dataset.

    ``loader`` is ``"module:function"``, imported lazily and called as
    ``loader(paths, **kwargs)`` where ``paths`` lists the resolved local files in the order of
    ``files`` (for a dataset with variants, ``kwargs`` choose among them). The loader's
    signature lists the keywords :func:`load` accepts for the dataset (see
    :func:`loader_keywords`); a loader that takes ``**kwargs`` opts out of that check.
    """

    name: str
    kind: str
    files: tuple[DataFile, ...]
    loader: str
    description: str = ""
    citation: str = ""
    license: str = ""
    stats: Mapping[str, Any] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "description": self.description,
                "files": [f.relpath for f in self.files],
                "urls": [f.url for f in self.files], "citation": self.citation,
                "license": self.license, "stats": dict(self.stats),
                "defaults": dict(self.defaults), "aliases": builtins.list(self.aliases)}


_REGISTRY: dict[str, DatasetSpec] = {}
_ALIASES: dict[str, str] = {}


def register(spec: DatasetSpec, *, replace: bool = False) -> DatasetSpec:
    """Add a dataset to the registry (``replace=True`` to overwrite an existing name)."""
    if spec.kind not in KINDS:
        raise InvalidParameterError(
            f"The 'kind' parameter of register must be one of {', '.join(map(repr, KINDS))}. "
            f"Got {spec.kind!r}.", param="kind", value=spec.kind)
    key = spec.name.lower()
    if key in _REGISTRY and not replace:
        raise InvalidParameterError(
            f"The 'name' parameter of register must be new; {spec.name!r} is registered "
            "already (pass replace=True).", param="name", value=spec.name)
    _REGISTRY[key] = spec
    for a in spec.aliases:
        _ALIASES[a.lower()] = key
    return spec


def get_spec(name: str, *, func: str = "datasets.load") -> DatasetSpec:
    if not isinstance(name, str):
        raise DatasetNotFoundError(f"Unknown dataset {name!r}: names are strings.")
    key = name.lower()
    key = _ALIASES.get(key, key)
    if key not in _REGISTRY:
        raise DatasetNotFoundError(
            f"Unknown dataset {name!r}. Registered: {', '.join(sorted(_REGISTRY))}.")
    return _REGISTRY[key]


def list(kind: str | None = None) -> builtins.list[str]:  # noqa: A001 - registry API
    """Names of registered datasets (optionally of one kind), sorted.

    Parameters
    ----------
    kind : {"graph", "temporal", "cascades", "attributed"}, optional
        Only datasets of this kind; an unknown kind raises InvalidParameterError naming the
        valid ones.
    """
    if kind is not None:
        check("datasets.list", "kind", kind, Options(KINDS))
    return sorted(k for k, s in _REGISTRY.items() if kind is None or s.kind == kind)


def _loader(spec: DatasetSpec):
    mod, _, fn = spec.loader.partition(":")
    return getattr(importlib.import_module(mod), fn)


def loader_keywords(spec: DatasetSpec) -> tuple[str, ...] | None:
    """Return the keywords the dataset's loader accepts (its signature after ``paths``).

    None when it takes ``**kwargs`` (anything goes through to it unchecked).
    """
    params = builtins.list(inspect.signature(_loader(spec)).parameters.values())[1:]
    if any(q.kind is inspect.Parameter.VAR_KEYWORD for q in params):
        return None
    return tuple(q.name for q in params
                 if q.kind in (q.POSITIONAL_OR_KEYWORD, q.KEYWORD_ONLY))


_OWN_KEYWORDS = ("path", "data_dir", "download", "progress")


def _check_keywords(spec: DatasetSpec, kwargs: Mapping[str, Any]) -> None:
    """Reject a keyword the dataset's loader does not take, saying which ones it does take.

    When the keyword belongs to another kind of dataset, the error says what kind this one is.
    """
    valid = loader_keywords(spec)
    if valid is None:
        return
    for key in kwargs:
        if key in valid:
            continue
        other_kinds = sorted({s.kind for s in _REGISTRY.values()
                              if s.kind != spec.kind and key in (loader_keywords(s) or ())})
        listed = ", ".join(map(repr, valid + _OWN_KEYWORDS))
        if other_kinds:
            what = f"a {spec.kind} dataset"
            if spec.kind == "temporal":
                what += f" ({KIND_USE['temporal']})"
            why = (f": {key!r} is a keyword of {' and '.join(other_kinds)} datasets, and "
                   f"{spec.name!r} is {what}")
        else:
            close = difflib.get_close_matches(key, valid + _OWN_KEYWORDS, n=1)
            why = f", a {spec.kind} dataset" + (f" (did you mean {close[0]!r}?)" if close else "")
        raise InvalidParameterError(
            f"The {key!r} parameter of datasets.load does not apply to {spec.name!r}{why}. "
            f"Valid keywords for {spec.name!r}: {listed}.", param=key, value=kwargs[key])


def _env_data_dir() -> Path | None:
    d = os.environ.get("INFMAX_DATA_DIR", "").strip()
    return Path(d) if d else None


def data_dir() -> Path | None:
    """``$INFMAX_DATA_DIR`` as a Path, or None when unset or empty."""
    return _env_data_dir()


def cache_dir() -> Path:
    """Return the user cache for downloads: ``$INFMAX_CACHE_DIR`` or ``~/.cache/infmax``."""
    d = os.environ.get("INFMAX_CACHE_DIR", "").strip()
    if d:
        return Path(d)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "infmax"


def _locate(f: DataFile, root: Path | None) -> Path | None:
    for base in (root, _env_data_dir(), cache_dir()):
        if base is not None and (base / f.relpath).is_file():
            return base / f.relpath
    return None


def _data_dir_arg(folder: str | os.PathLike[str] | None, func: str) -> Path | None:
    """Return the ``data_dir`` argument as a Path; a folder that does not exist is an error.

    A typo there would otherwise fall back silently to INFMAX_DATA_DIR, the cache or a
    download.
    """
    if folder is None:
        return None
    try:
        root = Path(folder)
    except TypeError:
        fail(func, "data_dir", "a path to an existing folder", folder)
    if not root.is_dir():
        why = "a file, not a folder" if root.exists() else "no such folder"
        fail(func, "data_dir", f"an existing folder ({why})", str(root))
    return root


def path(name: str, *, data_dir: str | os.PathLike | None = None,
         download: bool = True, progress: bool | None = None) -> builtins.list[Path]:
    """Local paths of a dataset's files, downloading missing ones into the cache if allowed.

    ``data_dir``, when given, must be an existing folder; it is searched first.
    """
    spec = get_spec(name)
    return _local_paths(spec, spec.files, _data_dir_arg(data_dir, "datasets.path"), download,
                        progress)


def _local_paths(spec: DatasetSpec, files: Iterable[DataFile], root: Path | None,
                 download: bool, progress: bool | None) -> builtins.list[Path]:
    """Do the work of :func:`path` for ``files`` of ``spec``, ``data_dir`` validated (``root``)."""
    out = []
    for f in files:
        p = _locate(f, root)
        if p is None:
            if download and f.url:
                from ._download import fetch

                p = fetch(f, cache_dir() / f.relpath, progress=progress)
            else:
                where = [str(b / f.relpath) for b in (root, _env_data_dir(), cache_dir())
                         if b is not None]
                how = (f"download it from {f.url}" if f.url else "obtain it from the source "
                       "named in infmax.datasets.info")
                raise DatasetNotFoundError(
                    f"Dataset {spec.name!r}: file {f.relpath!r} not found (looked in "
                    f"{', '.join(where)}). Set INFMAX_DATA_DIR to the folder that holds "
                    f"{f.relpath!r}, or {how} and put it at {cache_dir() / f.relpath}.")
        out.append(p)
    return out


def info(name: str) -> dict:
    """Describe a dataset: files, source, citation, statistics and local availability."""
    spec = get_spec(name)
    d = spec.to_dict()
    d["local"] = [str(p) if (p := _locate(f, None)) else None for f in spec.files]
    return d


def load(name: str, *, path: str | os.PathLike | None = None,
         data_dir: str | os.PathLike | None = None, download: bool = True,
         progress: bool | None = None,
         **kwargs: Any) -> Any:  # noqa: ANN401  (whatever the registered loader returns)
    """Load a registered dataset (a DiGraph, TemporalGraph, ... depending on its kind).

    ``path`` overrides where the (first) file is read from; ``data_dir`` (an existing folder)
    is searched before ``$INFMAX_DATA_DIR``. Other keyword arguments go to the dataset's loader
    (for graphs: ``weights``, ``directed``, ``rng``, ...; for temporal datasets:
    ``snapshots``, ``boundaries``, ``binning``, ``directed``), over its defaults; a keyword
    the loader does not take raises InvalidParameterError naming it and the valid ones.
    """
    spec = get_spec(name)
    _check_keywords(spec, kwargs)
    root = _data_dir_arg(data_dir, "datasets.load")
    if path is not None and not Path(path).is_file():
        fail("datasets.load", "path", "an existing file", str(path))
    if path is None:
        paths = _local_paths(spec, spec.files, root, download, progress)
    else:   # the given file replaces the first one; the others are found as usual
        paths = [Path(path), *_local_paths(spec, spec.files[1:], root, download, progress)]
    kw = {**spec.defaults, **kwargs}
    return _loader(spec)(paths, **kw)
