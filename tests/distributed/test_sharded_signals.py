"""Ctrl-C / SIGTERM to a driver running IMM on a Dask local cluster it created
(``executor="dask"``): the driver raises promptly and no worker process survives it."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from conftest import script_env

psutil = pytest.importorskip("psutil")
pytest.importorskip("dask.distributed")

DRIVER = textwrap.dedent("""
    import sys, threading, time
    import psutil
    import infmax as im
    from infmax._interrupt import Terminated, install_cli_handlers
    from infmax.datasets.synthetic import barabasi_albert

    install_cli_handlers()

    def report():
        me = psutil.Process()
        while True:   # both worker processes of the cluster are up
            try:
                kids = [p for p in me.children(recursive=True)
                        if "resource_tracker" not in " ".join(p.cmdline())]
            except psutil.Error:
                kids = []
            if len(kids) >= 2:
                time.sleep(2)   # let the run reach its sampling / greedy rounds
                print("PIDS", flush=True)
                return
            time.sleep(0.05)

    if __name__ == "__main__":
        G = barabasi_albert(100000, 4, rng=1)
        threading.Thread(target=report, daemon=True).start()
        try:   # one long run (epsilon 0.02: millions of sets)
            im.imm(G, 50, epsilon=0.02, rng=0, executor="dask", n_threads=1)
        except Terminated:
            print("RAISED Terminated", flush=True)
            sys.exit(143)
        except KeyboardInterrupt:
            print("RAISED KeyboardInterrupt", flush=True)
            sys.exit(130)
        print("FINISHED", flush=True)
""")


@pytest.mark.slow
@pytest.mark.parametrize("sig,exc,code", [(signal.SIGINT, "KeyboardInterrupt", 130),
                                          (signal.SIGTERM, "Terminated", 143)])
def test_signal_stops_the_run_and_its_cluster(tmp_path, sig, exc, code):
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    with open(tmp_path / "stderr.txt", "w") as errf:   # dask logs a lot: no pipe to fill
        proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                                stderr=errf, text=True, env=script_env(), start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    try:
        try:
            line = lines.get(timeout=180)
        except queue.Empty:
            line = ""
        assert line.startswith("PIDS"), "driver did not start its cluster"
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        out = line + "".join(_drain(lines))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    err = (tmp_path / "stderr.txt").read_text()
    assert proc.returncode == code, (out, err[-3000:])
    assert f"RAISED {exc}" in out
    # the driver's process group: the cluster's worker processes (and the multiprocessing
    # resource tracker) were its members; none may outlive it
    t0 = time.time()
    while _group(proc.pid) and time.time() - t0 < 15:
        time.sleep(0.2)
    left = _group(proc.pid)
    if left:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not left, f"still running after the driver exited: {left}"


def _drain(lines):
    time.sleep(0.5)
    while True:
        try:
            yield lines.get_nowait()
        except queue.Empty:
            return


def _group(pgid):
    """Live processes of a process group (zombies count as gone)."""
    out = []
    for p in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(p.pid) == pgid and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p.pid)
        except (ProcessLookupError, psutil.Error):
            pass
    return out
