"""Progress reporting on stderr (never stdout, which carries results).

``Progress`` is a tiny throttled bar: ``with Progress(total, "simulations") as bar:
bar.update(n)``. It is silent unless enabled (``progress=True`` in the API; the CLI enables it
when stderr is a terminal or ``--progress`` is given). ``INFMAX_PROGRESS=0/1`` overrides.
"""

from __future__ import annotations

import os
import sys
import time

__all__ = ["Progress", "progress_enabled"]


def progress_enabled(flag: bool | None) -> bool:
    env = os.environ.get("INFMAX_PROGRESS")
    if env is not None:
        return env not in ("0", "", "false", "no")
    if flag is None:
        return False
    return bool(flag)


class Progress:
    def __init__(self, total: int | None, desc: str = "", enabled: bool | None = None,
                 stream=None, min_interval: float = 0.2):
        self.total = total
        self.desc = desc
        self.enabled = progress_enabled(enabled)
        self.stream = stream or sys.stderr
        self.count = 0
        self.min_interval = min_interval
        self._last = 0.0
        self._t0 = time.perf_counter()

    def update(self, n: int = 1) -> None:
        self.count += n
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self._last >= self.min_interval or (self.total and self.count >= self.total):
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        el = now - self._t0
        if self.total:
            frac = min(self.count / self.total, 1.0)
            bar = "#" * int(30 * frac) + "-" * (30 - int(30 * frac))
            eta = el / frac - el if frac > 0 else float("nan")
            msg = (f"\r{self.desc} [{bar}] {self.count:,}/{self.total:,} "
                   f"{el:6.1f}s eta {eta:5.1f}s")
        else:
            msg = f"\r{self.desc} {self.count:,} {el:6.1f}s"
        self.stream.write(msg)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
