"""The output folder of a resumable experiment: settings, an append-only row journal, resume.

Every ``infmax experiment`` writes into one folder: ``config.json`` (the settings of the run),
a CSV journal that gains one row per finished unit of work (flushed and synced as it is
written, so a crash or Ctrl-C loses at most the unit that was running), and summaries written
atomically at the end. Running the same settings into the same folder again continues where
the last run stopped: :meth:`Journal.done` says which units are finished.

Examples
--------
>>> import tempfile
>>> from infmax.evaluation.journal import Journal
>>> folder = tempfile.mkdtemp()
>>> with Journal(folder, {"k": [5, 10]}, columns=("method", "k", "dni"),
...              key=("method", "k")) as j:
...     j.append([{"method": "random", "k": 5, "dni": 12}])
>>> j = Journal(folder, {"k": [5, 10]}, columns=("method", "k", "dni"), key=("method", "k"))
>>> j.done("random", 5), j.done("random", 10)
(True, False)
>>> j.rows
[{'method': 'random', 'k': '5', 'dni': '12'}]
>>> j.close()
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .._interrupt import checkpoint, interruptible
from .._io import atomic_open, atomic_write_json
from ..exceptions import InvalidParameterError
from ..results import to_jsonable

if TYPE_CHECKING:
    from ..distributed import Executor

__all__ = ["Journal", "read_rows", "write_rows"]


def _cell(value: Any) -> str:  # noqa: ANN401 - any scalar a row holds
    """Return a value as the journal stores it (and as :meth:`Journal.done` compares keys)."""
    if isinstance(value, float):
        return repr(value)
    return str(to_jsonable(value)) if not isinstance(value, str) else value


def read_rows(path: str | os.PathLike[str], columns: Sequence[str], *,
              func: str = "experiment", param: str = "output") -> list[dict[str, str]]:
    """Rows of a CSV journal as dicts of strings; a torn last line (crash mid-write) is dropped.

    Parameters
    ----------
    path : str or Path
        The journal; a missing or empty file has no rows.
    columns : sequence of str
        The columns this version writes; a file with other columns is an error.
    func, param : str
        Named in the error message.

    Returns
    -------
    list of dict

    Raises
    ------
    InvalidParameterError
        When the file's header differs from ``columns``.
    """
    path = Path(path)
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]
    if not text:
        return []
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != tuple(columns):
        raise InvalidParameterError(
            f"The '{param}' parameter of {func} points to {path.parent}, whose {path.name} was "
            f"not written by this version (columns {reader.fieldnames}, expected "
            f"{list(columns)}); start afresh (resume=False, CLI --no-resume) or choose another "
            "folder.", param=param, value=str(path.parent))
    return [dict(r) for r in reader if None not in r and None not in r.values()]


def write_rows(path: str | os.PathLike[str], rows: Iterable[Mapping[str, Any]],
               columns: Sequence[str]) -> None:
    """Write ``rows`` (the given ``columns``, in order) as a CSV file, atomically."""
    with atomic_open(path, "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c, "")) for c in columns])


class Journal:
    """An experiment's output folder: ``config.json`` plus an append-only CSV journal.

    Parameters
    ----------
    folder : str or Path
        Created if missing. Check it first with :func:`infmax._io.check_writable`
        (``directory=True``) so that a typo fails before any work.
    config : mapping
        The run's settings (JSON-able). A folder holding a run with other settings is an error
        when resuming; without ``resume`` its journal is replaced.
    columns : sequence of str
        The journal's columns.
    key : sequence of str
        The columns that name one unit of work (e.g. ``("dataset", "method", "k")``).
    name : str
        File name of the journal inside ``folder`` (default ``"rows.csv"``).
    resume : bool
        Continue a run found in the folder with the same settings (default).
    func, param : str
        Named in error messages.

    Attributes
    ----------
    rows : list of dict
        The journal's rows (strings, as read back), those of earlier runs first, then the
        appended ones (as given).
    path : Path
        The journal file.
    """

    def __init__(self, folder: str | os.PathLike[str], config: Mapping[str, Any], *,
                 columns: Sequence[str], key: Sequence[str], name: str = "rows.csv",
                 resume: bool = True, func: str = "experiment", param: str = "output"):
        self.folder = Path(folder)
        self.columns = tuple(columns)
        self.key = tuple(key)
        missing = [c for c in self.key if c not in self.columns]
        if missing:
            raise InvalidParameterError(
                f"The 'key' parameter of Journal names columns {missing} that are not among "
                f"the columns {list(self.columns)}.", param="key", value=str(missing))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / name
        cfg_path = self.folder / "config.json"
        cfg = json.loads(json.dumps(to_jsonable(dict(config))))
        self.rows: list[dict[str, Any]] = []
        if resume and cfg_path.exists() and self.path.exists():
            old = json.loads(cfg_path.read_text(encoding="utf-8"))
            if old != cfg:
                changed = sorted(k for k in set(old) | set(cfg) if old.get(k) != cfg.get(k))
                raise InvalidParameterError(
                    f"The '{param}' parameter of {func} points to {self.folder}, which holds a "
                    f"run with other settings ({', '.join(changed)} differ); start afresh "
                    "(resume=False, CLI --no-resume) or choose another folder.",
                    param=param, value=str(self.folder))
            self.rows = read_rows(self.path, self.columns, func=func, param=param)
        atomic_write_json(cfg_path, cfg)
        write_rows(self.path, self.rows, self.columns)  # drops a torn last line
        self._done = {self._key_of(r) for r in self.rows}
        self._fh: IO[str] | None = open(self.path, "a", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._fh, lineterminator="\n")

    def _key_of(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(_cell(row[c]) for c in self.key)

    def done(self, *key: Any) -> bool:  # noqa: ANN401 - key values of any scalar type
        """Whether the unit named by ``key`` (values of the key columns, in order) is journaled."""
        return tuple(_cell(v) for v in key) in self._done

    def append(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Journal finished rows: written, flushed and synced before returning."""
        if self._fh is None:
            raise InvalidParameterError("The journal is closed; open a new Journal to append.",
                                        param="journal", value=str(self.path))
        rows = list(rows)
        for r in rows:
            self._writer.writerow([_cell(r.get(c, "")) for c in self.columns])
        self._fh.flush()
        os.fsync(self._fh.fileno())
        for r in rows:
            self._done.add(self._key_of(r))
            self.rows.append(dict(r))

    def run(self, fn: Callable[[Any], Iterable[Mapping[str, Any]]], units: Sequence[Any], *,
            executor: Executor | str | None = None, n_workers: int | None = None,
            func: str = "experiment",
            report: Callable[[int, Any, list], None] | None = None) -> str:
        """Run ``fn(unit)`` for every unit through an executor, journaling each unit's rows.

        Rows are appended (and synced) as each unit finishes, in unit order, so Ctrl-C or
        SIGTERM loses at most the units still running; ``report(i, unit, rows)`` is called
        after each. An executor created here from ``None`` or a name is closed at the end, and
        terminated (running work abandoned) on an interrupt; one passed in is left open.

        Returns
        -------
        str
            The executor's repr, for the run's summary.
        """
        from ..distributed import owned_executor

        with owned_executor(executor, n_workers=n_workers, func=func) as ex, interruptible():
            for i, (unit, rows) in enumerate(zip(units, ex.map(fn, units))):
                rows = list(rows)
                self.append(rows)
                if report is not None:
                    report(i, unit, rows)
                checkpoint()
        return repr(ex)

    def close(self) -> None:
        """Close the journal file (idempotent)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.folder)!r}, rows={len(self.rows)})"
