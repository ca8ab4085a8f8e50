"""Download one dataset file: temporary file, progress bar, sha256 check, atomic rename.

:func:`fetch` is what :func:`infmax.datasets.path` calls when a file is neither at an explicit
path, nor under ``$INFMAX_DATA_DIR``, nor in the cache. It understands ``http``, ``https`` and
``file`` URLs (``urllib``), writes to a temporary file beside the destination, extracts
archives (``.gz``, ``.bz2``, ``.zip``, ``.tar.gz``, ``.tar.bz2``, ``.tar.xz``; the member
named by ``DataFile.archive_member``, else the only file), checks the sha256 of the final
file against ``DataFile.sha256`` and renames it into place atomically, so a partial or
corrupt download never sits at the destination.

Every failure raises :class:`~infmax.exceptions.DownloadError` saying what went wrong and
where to put the file by hand.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import hashlib
import lzma
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Protocol

from .._interrupt import checkpoint
from .._progress import Progress
from ..exceptions import DownloadError


class FileSource(Protocol):
    """What :func:`fetch` reads of a :class:`~infmax.datasets._registry.DataFile`.

    A protocol, not an import: ``_registry`` imports this module (acyclic layers).
    """

    relpath: str
    url: str | None
    sha256: str | None
    size: int | None
    archive_member: str | None

__all__ = ["fetch", "sha256_of"]

_CHUNK = 1 << 20
_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".zip", ".gz", ".bz2",
                     ".xz")


def sha256_of(path: str | os.PathLike[str], chunk: int = _CHUNK) -> str:
    """Return the hex sha256 digest of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _manual_hint(datafile: FileSource, dest: Path) -> str:
    src = f"download {datafile.url}" if datafile.url else "obtain the file"
    return (f"To install it by hand, {src} and put it at {dest}, or set INFMAX_DATA_DIR to a "
            f"folder that holds {datafile.relpath!r}.")


def _archive_kind(url: str, relpath: str, head: bytes, member: str | None) -> str | None:
    """'gz' | 'bz2' | 'xz' | 'zip' | 'tar' | None (use the bytes as they are)."""
    path = url.split("?", 1)[0].lower()
    rel = relpath.lower()
    suffix = next((s for s in _ARCHIVE_SUFFIXES if path.endswith(s)), None)
    if suffix is not None and rel.endswith(suffix) and member is None:
        return None  # the dataset file itself is compressed
    if suffix in (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz"):
        return "tar"
    if suffix == ".zip" or head[:4] == b"PK\x03\x04":
        return "zip"
    if suffix in (".gz", ".bz2", ".xz") or member is not None:
        if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\x00":
            # a compressed tar, or a single compressed file
            return "tar" if member is not None else {b"\x1f": "gz", b"B": "bz2",
                                                      b"\xfd": "xz"}[head[:1]]
    return None


def _extract(kind: str, archive: Path, out: Path, member: str | None, relpath: str) -> None:
    name = member or os.path.basename(relpath)
    if kind in ("gz", "bz2", "xz"):
        opener = {"gz": gzip.open, "bz2": bz2.open, "xz": lzma.open}[kind]
        with opener(archive, "rb") as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, _CHUNK)
        return
    if kind == "zip":
        with zipfile.ZipFile(archive) as z:
            files = [i for i in z.infolist() if not i.is_dir()]
            pick = _pick(files, lambda i: i.filename, member, name)
            with z.open(pick) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst, _CHUNK)
        return
    with tarfile.open(archive, "r:*") as t:
        files = [i for i in t.getmembers() if i.isfile()]
        pick = _pick(files, lambda i: i.name, member, name)
        src = t.extractfile(pick)
        with src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, _CHUNK)


def _pick(files, name_of, member, basename):
    if member is not None:
        for i in files:
            if name_of(i) == member or name_of(i).lstrip("./") == member.lstrip("./"):
                return i
        raise DownloadError(f"the archive has no member {member!r} (members: "
                            f"{[name_of(i) for i in files][:20]})")
    if len(files) == 1:
        return files[0]
    for i in files:
        if os.path.basename(name_of(i)) == basename:
            return i
    raise DownloadError(f"the archive holds {len(files)} files; set DataFile.archive_member "
                        f"(members: {[name_of(i) for i in files][:20]})")


def fetch(datafile: FileSource, dest: str | os.PathLike[str], *, progress: bool | None = None,
          timeout: float = 60.0) -> Path:
    """Download ``datafile.url`` to ``dest`` (checked, extracted, atomically renamed).

    Parameters
    ----------
    datafile : DataFile
        ``url`` (http, https or file), ``sha256`` of the final file (None skips the check),
        ``archive_member`` for archives.
    dest : path
        Where the file goes (normally ``cache_dir() / relpath``); parent folders are created.
    progress : bool, optional
        Show a progress bar on stderr (``INFMAX_PROGRESS`` overrides).

    Returns
    -------
    pathlib.Path
        ``dest``.

    Raises
    ------
    DownloadError
        No URL, a network or file error, a bad archive, or a sha256 mismatch (naming both
        digests); the message says where to put the file by hand. Temporary files are removed.
    """
    dest = Path(dest)
    if not datafile.url:
        raise DownloadError(f"{datafile.relpath!r} has no download address. "
                            + _manual_hint(datafile, dest))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DownloadError(f"cannot create {dest.parent} ({e.strerror}). "
                            + _manual_hint(datafile, dest)) from None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    extracted = None
    try:
        h = hashlib.sha256()
        head = b""
        try:
            req = urllib.request.Request(datafile.url, headers={"User-Agent": "infmax"})
            with urllib.request.urlopen(req, timeout=timeout) as resp, \
                    os.fdopen(fd, "wb") as out:
                fd = None
                total = resp.headers.get("Content-Length") if hasattr(resp, "headers") else None
                total = int(total) if total and str(total).isdigit() else datafile.size
                with Progress(total, f"downloading {datafile.relpath}", progress) as bar:
                    while block := resp.read(_CHUNK):
                        if len(head) < 8:
                            head += block[:8]
                        h.update(block)
                        out.write(block)
                        bar.update(len(block))
                        checkpoint()  # Ctrl-C inside an interruptible section (the CLI)
        except (urllib.error.URLError, OSError, ValueError) as e:
            reason = getattr(e, "reason", None) or getattr(e, "strerror", None) or str(e)
            raise DownloadError(f"could not download {datafile.relpath!r} from "
                                f"{datafile.url} ({reason}). "
                                + _manual_hint(datafile, dest)) from None
        kind = _archive_kind(datafile.url, datafile.relpath, head, datafile.archive_member)
        final = tmp
        if kind is not None:
            fd2, ex_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".x",
                                            dir=dest.parent)
            os.close(fd2)
            extracted = Path(ex_name)
            try:
                _extract(kind, tmp, extracted, datafile.archive_member, datafile.relpath)
            except DownloadError as e:
                raise DownloadError(f"{datafile.url}: {e}. " + _manual_hint(datafile, dest)) \
                    from None
            except (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError,
                    lzma.LZMAError) as e:
                raise DownloadError(f"{datafile.url}: corrupt {kind} archive ({e}). "
                                    + _manual_hint(datafile, dest)) from None
            final = extracted
            digest = sha256_of(final) if datafile.sha256 else None
        else:
            digest = h.hexdigest()
        if datafile.sha256 and digest != datafile.sha256.lower():
            raise DownloadError(
                f"checksum mismatch for {datafile.relpath!r} downloaded from {datafile.url}: "
                f"expected sha256 {datafile.sha256.lower()}, got {digest}. The file was not "
                "kept. " + _manual_hint(datafile, dest))
        os.replace(final, dest)
        return dest
    finally:
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
        for p in (tmp, extracted):
            if p is not None:
                with contextlib.suppress(OSError):
                    p.unlink()

