"""The cooperative interrupt flag and the memory-limit helpers."""

import os
import signal
import time

import pytest

from infmax import _interrupt, _memory
from infmax.exceptions import MemoryLimitError


def _wait_for_signal():
    # signals are delivered to the main thread between bytecodes
    for _ in range(100):
        if _interrupt.pending():
            return
        time.sleep(0.001)


def test_sigint_inside_section_is_deferred_to_checkpoint():
    reached = []
    with pytest.raises(KeyboardInterrupt) as info:
        with _interrupt.interruptible():
            os.kill(os.getpid(), signal.SIGINT)
            _wait_for_signal()
            reached.append("after kill")       # the handler did not raise here
            _interrupt.checkpoint()
            reached.append("after checkpoint")
    assert reached == ["after kill"]
    assert not isinstance(info.value, _interrupt.Terminated)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_pending_signal_raised_when_section_ends():
    with pytest.raises(KeyboardInterrupt):
        with _interrupt.interruptible():
            with _interrupt.interruptible():   # nested: only the outer one restores
                os.kill(os.getpid(), signal.SIGINT)
                _wait_for_signal()
            assert _interrupt.pending()
    assert not _interrupt.pending()


def test_no_signal_no_exception():
    with _interrupt.interruptible():
        _interrupt.checkpoint()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_custom_user_handler_is_respected():
    seen = []
    old = signal.signal(signal.SIGINT, lambda s, f: seen.append(s))
    try:
        with _interrupt.interruptible():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)
            _interrupt.checkpoint()
        assert seen == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, old)


def test_exit_codes():
    assert _interrupt.exit_code_for(KeyboardInterrupt()) == 130
    assert _interrupt.exit_code_for(_interrupt.Terminated()) == 143


def test_memory_check_and_guard():
    limit = _memory.resolve_limit("f", 1000)
    _memory.check("f", 999, limit, what="x", hint="h")
    with pytest.raises(MemoryLimitError, match="f: x would need about .* more than max_memory"):
        _memory.check("f", 1001, limit, what="x", hint="use a larger epsilon")
    with pytest.raises(MemoryLimitError, match="out of memory while allocating y; h"):
        with _memory.guard("f", what="y", hint="h"):
            raise MemoryError()
    assert 0 < _memory.default_limit() < _memory.available_memory()


def test_memory_limit_validated():
    from infmax.exceptions import InvalidParameterError
    with pytest.raises(InvalidParameterError, match="max_memory"):
        _memory.resolve_limit("f", 0)


def test_check_graph_names_the_type_and_the_fix():
    import networkx as nx
    import numpy as np

    import infmax as im
    from infmax._validation import check_graph, fail
    from infmax.exceptions import InvalidParameterError

    G = im.from_edges([0], [1], weights=0.5)
    assert check_graph("imm", G) is G
    with pytest.raises(InvalidParameterError, match=r"'G' parameter of imm .* Got None"):
        check_graph("imm", None)
    with pytest.raises(InvalidParameterError, match="from_networkx"):
        check_graph("imm", nx.karate_club_graph())
    with pytest.raises(InvalidParameterError, match="Got nan"):
        fail("f", "x", "finite", np.float64("nan"))


def test_k_on_a_graph_without_nodes_names_the_graph():
    import infmax as im
    from infmax.exceptions import InvalidParameterError

    G = im.from_edges([], [])
    with pytest.raises(InvalidParameterError, match="the graph has no nodes") as e:
        im.degree(G, 1)
    assert "[1, 0]" not in str(e.value)


@pytest.mark.parametrize("algo", ["imm", "tim_plus", "opim_c"])
def test_ris_selectors_run_every_kernel_inside_a_section(algo, monkeypatch):
    """Regression (a segfault after Ctrl-C): the inverted index was built outside any
    interruptible section, so SIGINT could raise while numba boxed the kernel's result tuple."""
    import numpy as np

    import infmax as im
    from infmax._kernels import coverage as cov

    seen = []
    real = cov.inverted

    def spy(*a):
        seen.append(_interrupt._depth)
        return real(*a)

    monkeypatch.setattr(cov, "inverted", spy)
    r = np.random.default_rng(0)
    G = im.from_edges(r.integers(0, 80, 300), r.integers(0, 80, 300), weights="wc")
    getattr(im, algo)(G, 3, epsilon=0.5, rng=1)
    assert seen and min(seen) >= 1


def test_cli_runs_the_command_inside_a_section(monkeypatch, capsys):
    from infmax.cli import _main, main

    depth = []
    monkeypatch.setattr(_main, "_run", lambda args: depth.append(_interrupt._depth))
    assert main(["datasets", "list"]) == 0
    assert depth == [1]
