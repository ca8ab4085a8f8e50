"""Exceptions raised by infmax.

Every error the library raises on purpose derives from :class:`InfmaxError`, so a caller can
catch them all with one ``except``. Each subclass also derives from the matching built-in
(``ValueError``, ``LookupError``, ...) so code written against the standard types keeps working.

The CLI turns any ``InfmaxError`` into one line on stderr and exit status 2.
"""

from __future__ import annotations

__all__ = [
    "InfmaxError",
    "InvalidParameterError",
    "GraphFormatError",
    "UnknownNodeError",
    "DatasetError",
    "DatasetNotFoundError",
    "DownloadError",
    "MemoryLimitError",
    "MissingDependencyError",
]


class InfmaxError(Exception):
    """Base class of every error infmax raises on purpose."""


class InvalidParameterError(InfmaxError, ValueError):
    """A parameter has a wrong type or a value outside its documented domain.

    Attributes
    ----------
    param : str or None
        Name of the offending parameter.
    value : object
        The value that was given.
    """

    def __init__(self, message: str, *, param: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.param = param
        self.value = value


class GraphFormatError(InfmaxError, ValueError):
    """A graph or contact file could not be parsed.

    Attributes
    ----------
    path : str or None
        The file, when known.
    line : int or None
        1-based line number of the first offending line, when known.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(where + message)
        self.path = path
        self.line = line


class UnknownNodeError(InfmaxError, LookupError):
    """A node label is not in the graph."""

    def __init__(self, message: str, *, label: object = None) -> None:
        super().__init__(message)
        self.label = label

    def __str__(self) -> str:  # LookupError would quote the message like a KeyError
        return self.args[0]


class DatasetError(InfmaxError):
    """Base class of dataset registry errors."""


class DatasetNotFoundError(DatasetError, LookupError):
    """A dataset name is not registered, or its files are neither local nor downloadable."""

    def __str__(self) -> str:
        return self.args[0]


class DownloadError(DatasetError, OSError):
    """A download failed or its checksum did not match."""


class MemoryLimitError(InfmaxError, MemoryError):
    """An operation would exceed the ``max_memory`` bound the caller set."""


class MissingDependencyError(InfmaxError, ImportError):
    """An optional dependency (an extra such as ``infmax[learn]``) is not installed."""
