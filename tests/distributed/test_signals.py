"""SIGINT / SIGTERM to a driver that waits on a real ProcessExecutor (and on the org-boundaries
benchmark): the driver raises KeyboardInterrupt / Terminated promptly, and no worker process nor
multiprocessing resource tracker outlives it."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import script_env

psutil = pytest.importorskip("psutil")

# The driver: waits in ex.map on tasks that sleep 60 s; a thread prints the pids of every
# descendant once both workers are up. It reports how the interrupt ended the run.
DRIVER = textwrap.dedent("""
    import os, sys, threading, time
    import psutil
    from infmax._interrupt import Terminated, install_cli_handlers
    from infmax.distributed import ProcessExecutor

    install_cli_handlers()   # what the CLI does: SIGTERM -> Terminated, SIGINT -> KeyboardInterrupt

    def report():
        me = psutil.Process()
        while True:
            kids = me.children(recursive=True)
            if len([p for p in kids if "resource_tracker" not in " ".join(p.cmdline())]) >= 2:
                print("PIDS", *[p.pid for p in kids], flush=True)
                return
            time.sleep(0.05)

    if __name__ == "__main__":
        threading.Thread(target=report, daemon=True).start()
        t0 = time.perf_counter()
        try:
            with ProcessExecutor(2, max_pending=4) as ex:
                list(ex.map(time.sleep, [60] * 6))
        except Terminated:
            print("RAISED Terminated", round(time.perf_counter() - t0, 1), flush=True)
            sys.exit(143)
        except KeyboardInterrupt:
            print("RAISED KeyboardInterrupt", flush=True)
            sys.exit(130)
        print("FINISHED", flush=True)
""")


def _start(tmp_path, code):
    script = tmp_path / "driver.py"
    script.write_text(code)
    # a new session: killpg() below is what a terminal's Ctrl-C does (the whole group)
    return subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=script_env(),
                            start_new_session=True)


def _wait_for_pids(proc, timeout=60.0) -> list[int]:
    t0 = time.time()
    while time.time() - t0 < timeout:
        line = proc.stdout.readline()
        if line.startswith("PIDS"):
            return [int(x) for x in line.split()[1:]]
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("driver did not start its workers: " + proc.stderr.read())


def _assert_all_gone(pids, timeout=10.0):
    procs = []
    for pid in pids:
        try:
            procs.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for p in alive:  # clean up before failing
        p.kill()
    assert not alive, f"still running after the driver exited: {alive}"


@pytest.mark.parametrize("sig,exc,code,group", [
    (signal.SIGINT, "KeyboardInterrupt", 130, False),  # kill -INT <driver>
    (signal.SIGINT, "KeyboardInterrupt", 130, True),   # a terminal's Ctrl-C: the whole group
    (signal.SIGTERM, "Terminated", 143, False)])
def test_signal_to_driver_stops_every_worker(tmp_path, sig, exc, code, group):
    proc = _start(tmp_path, DRIVER)
    try:
        pids = _wait_for_pids(proc)
        assert len(pids) >= 2
        t0 = time.time()
        if group:
            os.killpg(proc.pid, sig)   # the workers get it too: they ignore it
        else:
            os.kill(proc.pid, sig)
        out, err = proc.communicate(timeout=30)
        took = time.time() - t0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == code, (out, err)
    assert f"RAISED {exc}" in out
    assert took < 15            # not the 60 s the running tasks would take
    assert "Traceback" not in err, err   # no worker traceback, no driver traceback
    _assert_all_gone(pids)


BENCH = textwrap.dedent("""
    import sys, threading, time
    import psutil
    import infmax as im
    from infmax._interrupt import Terminated, install_cli_handlers
    from infmax.observability import benchmark

    install_cli_handlers()

    def report(out):
        import pathlib
        me = psutil.Process()
        journal = pathlib.Path(out) / "trials.csv"
        while True:   # workers up and at least one batch journaled
            kids = me.children(recursive=True)
            if len(kids) >= 2 and journal.exists() and len(journal.read_text().splitlines()) > 1:
                print("PIDS", *[p.pid for p in kids], flush=True)
                return
            time.sleep(0.05)

    if __name__ == "__main__":
        out = sys.argv[1]
        G = im.datasets.synthetic.erdos_renyi(300, 0.02, rng=1)
        threading.Thread(target=report, args=(out,), daemon=True).start()
        try:
            benchmark(G, visibility=[0.1, 0.5], algorithms=["random", "degree"],
                      modes=["oneshot"], trials=2000, batch_size=1, executor="process",
                      n_workers=2, output=out, plots=False, rng=0)
        except KeyboardInterrupt as e:
            print("RAISED", type(e).__name__, flush=True)
            sys.exit(143 if isinstance(e, Terminated) else 130)
        print("FINISHED", flush=True)
""")


def test_benchmark_with_process_executor_interrupted_and_resumed(tmp_path):
    out_dir = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-c", BENCH, str(out_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=script_env(),
                            start_new_session=True)
    try:
        pids = _wait_for_pids(proc)
        journal = out_dir / "trials.csv"
        deadline = time.monotonic() + 120   # a loaded machine: wait for the first batch
        while time.monotonic() < deadline and proc.poll() is None and not (
                journal.exists() and journal.read_text(encoding="utf-8").count("\n") > 1):
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143, (out, err)
    assert "RAISED Terminated" in out
    _assert_all_gone(pids)
    with open(out_dir / "trials.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert 0 < len(rows) < 2 * 2000 * 3    # finished batches are kept for resume
