"""Atomic file output: write to a temporary file beside the target, then rename.

A crash or Ctrl-C never leaves a half-written result behind. :func:`check_writable` checks an
output path *before* the work starts, so that hours of computation are not lost to a typo, and
:func:`remove_created` takes back the directories a failed run created.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_open", "atomic_write_text", "atomic_write_json", "check_writable",
           "remove_created"]


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w",
                encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; on clean exit it replaces ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    binary = "b" in mode
    try:
        with os.fdopen(fd, mode, **({} if binary else {"encoding": encoding, "newline": ""})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    with atomic_open(path, "w") as f:
        f.write(text)


def atomic_write_json(path: str | os.PathLike[str], obj: object) -> None:
    from .results import to_jsonable

    atomic_write_text(path, json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")


def _bad_output(func: str, param: str, path: str | os.PathLike[str], why: str):
    from .exceptions import InvalidParameterError

    return InvalidParameterError(
        f"The '{param}' parameter of {func} must be {why}. Got {str(path)!r}.",
        param=param, value=str(path))


def _probe(directory: Path) -> str | None:
    """None if a file can be created in ``directory`` (tried for real), else the reason."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".infmax-probe.", dir=directory)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)
    return None


def check_writable(path: str | os.PathLike[str], param: str, *, func: str = "infmax",
                   directory: bool = False) -> list[Path]:
    """Check, before any work, that results can be written to ``path``; create nothing.

    Parameters
    ----------
    path : str or Path
        An output file (``directory=False``) or an output folder (``directory=True``).
    param : str
        Name of the option or parameter, for the error message (e.g. ``"--output"``).
    func : str
        Name of the command or function, for the error message.
    directory : bool
        A file must not be an existing directory, and its parent must exist (or be creatable)
        and accept new files. A folder must be a directory or be creatable, accept new files,
        and hold a ``config.json`` (the settings of a run to resume) that parses, if any.

    Returns
    -------
    list of Path
        The directories that do not exist yet (outermost first): writing will create them, and
        :func:`remove_created` removes them again if the run fails before writing anything.

    Raises
    ------
    InvalidParameterError
        Naming the parameter, the path and what is wrong with it.
    """
    path = Path(path)
    if str(path) == "":
        raise _bad_output(func, param, path, "a path")
    if directory:
        if path.exists() and not path.is_dir():
            raise _bad_output(func, param, path, "a directory (it is an existing file)")
        target_dir = path
    else:
        if path.is_dir():
            raise _bad_output(func, param, path, "a file path (it is an existing directory)")
        target_dir = path.parent if str(path.parent) else Path(".")
    missing: list[Path] = []
    d = target_dir.absolute()
    while not d.exists():
        missing.append(d)
        if d.parent == d:
            break
        d = d.parent
    if not d.is_dir():
        raise _bad_output(func, param, path, f"a path whose parent is a directory ({d} is a file)")
    reason = _probe(d)
    if reason is not None:
        raise _bad_output(func, param, path, f"writable ({d}: {reason})")
    if directory and not missing:
        cfg = path / "config.json"
        if cfg.exists():
            try:
                ok = isinstance(json.loads(cfg.read_text(encoding="utf-8")), dict)
            except (OSError, UnicodeDecodeError, ValueError):
                ok = False
            if not ok:
                raise _bad_output(
                    func, param, path,
                    f"a folder whose config.json is valid JSON ({cfg} is corrupt: remove it to "
                    "start afresh, or choose another folder)")
    return missing[::-1]


def remove_created(created: Iterable[str | os.PathLike[str]]) -> None:
    """Remove the directories :func:`check_writable` reported missing, if they are empty."""
    for d in reversed([Path(p) for p in created]):
        with contextlib.suppress(OSError):
            d.rmdir()  # only succeeds when empty
