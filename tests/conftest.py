import os
from pathlib import Path

import pytest


def shared_data_dir() -> Path | None:
    d = os.environ.get("INFMAX_DATA_DIR", "").strip()
    return Path(d) if d and Path(d).is_dir() else None


@pytest.fixture
def data_dir() -> Path:
    """The shared datasets folder; tests that need it skip when INFMAX_DATA_DIR is unset."""
    d = shared_data_dir()
    if d is None:
        pytest.skip("INFMAX_DATA_DIR is not set (CI sets it to ../shared/data)")
    return d


class Coins:
    """The kernels' SplitMix64 stream of one block (``infmax.random.uniforms``), for the slow
    pure-Python twins: ``coins()`` / ``coins.next()`` give the next uniform, ``coins.below(n)``
    the next index in [0, n) exactly as ``_kernels._rng.next_below`` does."""

    def __init__(self, seed, chunk: int = 4096):
        from infmax.random import uniforms

        self._uniforms = uniforms
        self.seed = int(seed)
        self.buf = uniforms(self.seed, chunk)
        self.i = 0

    def next(self) -> float:
        if self.i >= self.buf.shape[0]:
            self.buf = self._uniforms(self.seed, 4 * self.buf.shape[0])
        u = float(self.buf[self.i])
        self.i += 1
        return u

    __call__ = next

    def below(self, n: int) -> int:
        return min(int(self.next() * n), n - 1)


@pytest.fixture(autouse=True)
def _restore_signal_handlers():
    """Tests that run the CLI in-process install its SIGINT/SIGTERM handlers; put the
    interpreter's back afterwards so that later tests see the defaults."""
    import signal

    from infmax import _interrupt

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for s, h in saved.items():
        if signal.getsignal(s) is not h:
            signal.signal(s, h)
    _interrupt.reset()
