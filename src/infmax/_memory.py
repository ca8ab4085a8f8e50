"""Memory limits: how much may be allocated, checked before allocating.

Every component that allocates in proportion to a user's parameters (RR sets, simulation
outputs, snapshots) resolves its ``max_memory`` argument with :func:`resolve_limit` (``None``
means the memory available now minus a margin), checks its need with :func:`check` *before*
allocating, and wraps the allocation in :func:`guard` so that a ``MemoryError`` the estimate
missed still becomes a :class:`~infmax.exceptions.MemoryLimitError` with advice, never a raw
traceback.

Examples
--------
>>> from infmax._memory import check, resolve_limit
>>> limit = resolve_limit("sample_rr_sets", 2**30)
>>> check("sample_rr_sets", 2**20, limit, what="the RR sets", hint="use fewer sets")
>>> check("sample_rr_sets", 2**31, limit, what="the RR sets",
...       hint="use fewer sets")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
infmax.exceptions.MemoryLimitError: sample_rr_sets: the RR sets would need about 2,048.0 MiB, ...
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from ._validation import Interval
from ._validation import check as _check_param
from .exceptions import MemoryLimitError

__all__ = ["available_memory", "default_limit", "resolve_limit", "check", "guard", "MiB"]

MiB = 2**20
#: kept free by the default limit: max(512 MiB, 10 % of the available memory)
_MARGIN_MIN = 512 * MiB
_MARGIN_FRACTION = 0.10


def available_memory() -> int:
    """Bytes the OS can give this process now (``MemAvailable``; physical memory elsewhere)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 8 * 2**30


def default_limit() -> int:
    """Return the limit used when ``max_memory`` is None: available memory minus a margin."""
    avail = available_memory()
    return max(avail - max(_MARGIN_MIN, int(_MARGIN_FRACTION * avail)), 64 * MiB)


def resolve_limit(func: str, max_memory: int | None) -> int:
    """Validate ``max_memory`` (a positive int of bytes) or return :func:`default_limit`."""
    if max_memory is None:
        return default_limit()
    return int(_check_param(func, "max_memory", max_memory, Interval(int, 1, None)))


def _fmt(nbytes: float) -> str:
    return f"{nbytes / MiB:,.1f} MiB"


def check(func: str, need: float, limit: int, *, what: str, hint: str) -> None:
    """Raise MemoryLimitError if ``need`` bytes exceed ``limit``; say what to change."""
    if need > limit:
        raise MemoryLimitError(
            f"{func}: {what} would need about {_fmt(need)}, more than max_memory = "
            f"{_fmt(limit)}; {hint}.")


@contextlib.contextmanager
def guard(func: str, *, what: str, hint: str) -> Iterator[None]:
    """Turn a ``MemoryError`` raised inside the block into a MemoryLimitError with advice."""
    try:
        yield
    except MemoryLimitError:
        raise
    except MemoryError as exc:
        raise MemoryLimitError(
            f"{func}: out of memory while allocating {what}"
            + (f" ({exc})" if str(exc) else "") + f"; {hint}.") from None
