"""The dataset registry: named datasets, where their files are, and how to load them.

Lookup order for a dataset's files: an explicit ``path``; ``$INFMAX_DATA_DIR/<relpath>``;
the user cache directory (``$INFMAX_CACHE_DIR``, else ``~/.cache/infmax``); and when absent,
a download from the dataset's canonical address with a sha256 check (see ``_download``).
When none is possible the error says where to put the file.
"""

from __future__ import annotations

import builtins
import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..exceptions import DatasetNotFoundError, InvalidParameterError

__all__ = ["DataFile", "DatasetSpec", "register", "list", "info", "path", "load", "data_dir",
           "cache_dir", "get_spec"]

KINDS = ("graph", "temporal", "cascades", "attributed")


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
    ``files`` (for a dataset with variants, ``kwargs`` choose among them).
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
    """Names of registered datasets (optionally of one kind), sorted."""
    return sorted(k for k, s in _REGISTRY.items() if kind is None or s.kind == kind)


def data_dir() -> Path | None:
    """``$INFMAX_DATA_DIR`` as a Path, or None when unset or empty."""
    d = os.environ.get("INFMAX_DATA_DIR", "").strip()
    return Path(d) if d else None


def cache_dir() -> Path:
    """The user cache for downloads: ``$INFMAX_CACHE_DIR`` or ``~/.cache/infmax``."""
    d = os.environ.get("INFMAX_CACHE_DIR", "").strip()
    if d:
        return Path(d)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "infmax"


def _locate(f: DataFile, root: Path | None) -> Path | None:
    for base in (root, data_dir(), cache_dir()):
        if base is not None and (base / f.relpath).is_file():
            return base / f.relpath
    return None


def path(name: str, *, data_dir: str | os.PathLike | None = None,
         download: bool = True, progress: bool | None = None) -> builtins.list[Path]:
    """Local paths of a dataset's files, downloading missing ones into the cache if allowed."""
    spec = get_spec(name)
    root = Path(data_dir) if data_dir is not None else None
    out = []
    for f in spec.files:
        p = _locate(f, root)
        if p is None:
            if download and f.url:
                from ._download import fetch

                p = fetch(f, cache_dir() / f.relpath, progress=progress)
            else:
                where = [str(b / f.relpath) for b in (root, globals()["data_dir"](), cache_dir())
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
    """Description, files, source, citation, statistics and local availability of a dataset."""
    spec = get_spec(name)
    d = spec.to_dict()
    d["local"] = [str(p) if (p := _locate(f, None)) else None for f in spec.files]
    return d


def load(name: str, *, path: str | os.PathLike | None = None,
         data_dir: str | os.PathLike | None = None, download: bool = True,
         progress: bool | None = None, **kwargs):
    """Load a registered dataset (a DiGraph, TemporalGraph, ... depending on its kind).

    ``path`` overrides where the (first) file is read from; other keyword arguments go to the
    dataset's loader (for graphs: ``weights``, ``directed``, ``rng``, ...), over its defaults.
    """
    spec = get_spec(name)
    if path is not None:
        paths = [Path(path)] + builtins.list(
            globals()["path"](name, data_dir=data_dir, download=download, progress=progress)[1:]
            if len(spec.files) > 1 else [])
    else:
        paths = globals()["path"](name, data_dir=data_dir, download=download, progress=progress)
    mod, _, fn = spec.loader.partition(":")
    loader = getattr(importlib.import_module(mod), fn)
    kw = {**spec.defaults, **kwargs}
    return loader(paths, **kw)
