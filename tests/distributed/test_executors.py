"""Executors: order preserved, results independent of the executor."""

from __future__ import annotations

import functools
import time

import numpy as np
import pytest

from infmax.distributed import (
    DaskExecutor,
    Executor,
    LocalExecutor,
    ProcessExecutor,
    get_executor,
    map_ordered,
)
from infmax.exceptions import InvalidParameterError


def _draw(seed: int) -> list:
    # all randomness from the item: the result must not depend on where it runs
    return np.random.default_rng(seed).random(3).tolist()


def _slow_square(x: int, delay: float = 0.0) -> int:
    time.sleep(delay * (5 - x % 5))  # later items finish first: order must still hold
    return x * x


def test_local_executor_order_and_protocol():
    ex = get_executor(None)
    assert isinstance(ex, LocalExecutor) and isinstance(ex, Executor)
    assert list(ex.map(_slow_square, range(7))) == [x * x for x in range(7)]


def test_process_executor_same_results_as_local():
    items = list(range(12))
    want = map_ordered("local", _draw, items)
    with ProcessExecutor(2, max_pending=3) as ex:
        got = list(ex.map(_draw, items))
        assert got == want
        assert list(ex.map(functools.partial(_slow_square, delay=0.01), range(10))) == \
            [x * x for x in range(10)]


@pytest.mark.slow
def test_dask_executor_same_results_as_local():
    pytest.importorskip("dask.distributed")
    items = list(range(10))
    want = map_ordered("local", _draw, items)
    with DaskExecutor(n_workers=2, processes=False) as ex:
        assert list(ex.map(_draw, items)) == want
        assert list(ex.map(functools.partial(_slow_square, delay=0.01), range(8))) == \
            [x * x for x in range(8)]


def test_consumer_can_stop_early():
    with ProcessExecutor(2, max_pending=2) as ex:
        it = ex.map(_slow_square, range(100))
        assert [next(it) for _ in range(3)] == [0, 1, 4]
        it.close()  # cancels what has not started


def test_get_executor_bad_input():
    with pytest.raises(InvalidParameterError, match="'executor'.*'spark'"):
        get_executor("spark")
    with pytest.raises(InvalidParameterError, match="'n_workers'.*0"):
        get_executor("process", n_workers=0)
    with pytest.raises(InvalidParameterError, match="'n_workers' parameter of ProcessExecutor"):
        ProcessExecutor(0)
    custom = LocalExecutor()
    assert get_executor(custom) is custom


def test_owned_executor_closes_only_what_it_created(monkeypatch):
    """Created from a name: closed at the end, terminated (then closed) on an interrupt;
    passed in: left alone either way."""
    from infmax.distributed import _executors, owned_executor

    class Recorder:
        def __init__(self):
            self.calls = []

        def map(self, fn, items):
            return map(fn, items)

        def close(self):
            self.calls.append("close")

        def terminate(self):
            self.calls.append("terminate")

    made = []
    monkeypatch.setattr(_executors, "get_executor",
                        lambda ex, **kw: made.append(Recorder()) or made[-1]
                        if isinstance(ex, str) else ex)
    with owned_executor("process") as ex:
        assert list(ex.map(abs, [-2])) == [2]
    assert made[-1].calls == ["close"]
    with pytest.raises(KeyboardInterrupt), owned_executor("dask"):
        raise KeyboardInterrupt
    assert made[-1].calls == ["terminate", "close"]
    mine = Recorder()
    with owned_executor(mine) as ex:
        assert ex is mine
    with pytest.raises(KeyboardInterrupt), owned_executor(mine):
        raise KeyboardInterrupt
    assert mine.calls == []
