"""Acceptance: Ctrl-C (SIGINT) and SIGTERM end every long command cleanly.

Each case starts ``infmax`` in a subprocess with progress bars forced on
(``INFMAX_PROGRESS=1``), waits until the bar of the long phase has been drawn (a known point,
not a blind sleep), lets the work run a moment, sends the signal and asserts: exit status 130
(SIGINT) or 143 (SIGTERM); exactly one message line on stderr besides the progress bars, saying
so; no traceback; no process started by the run is still alive (children are recognised by a
unique environment variable they inherit); no partial output file.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from conftest import marked_pids, shared_data_dir

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set"),
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc"),
]

#: (id, argv after "infmax", the progress bar's label that marks the long phase)
CASES = [
    ("spread", ["spread", "nethept", "--seeds", "131,639,287", "--simulations", "500000000",
                "--rng", "1"], "spread"),
    ("seeds-imm", ["seeds", "epinions", "-k", "200", "-a", "imm", "--epsilon", "0.02",
                   "--rng", "1"], "imm"),
    ("seeds-celf", ["seeds", "nethept", "-k", "50", "-a", "celf", "--simulations", "2000",
                    "--rng", "1"], "celf"),
    ("org-boundaries", ["experiment", "org-boundaries", "--dataset", "nethept", "--trials",
                        "200", "--executor", "process", "--workers", "2", "--no-plots"],
     "org-boundaries trials"),
]


class _Reader(threading.Thread):
    """Collects a pipe's bytes as they arrive (progress bars end lines with \\r, not \\n)."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.data = b""

    def run(self):
        fd = self.stream.fileno()
        while chunk := os.read(fd, 65536):
            self.data += chunk

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


_BAR = re.compile(r"^[^:]*: .*(\d+(/\d+)? \[\d\d:\d\d|\d+%\|)")  # a tqdm redraw


def _message_lines(stderr: str) -> list[str]:
    """The lines of stderr other than progress-bar redraws and the compile notice; each must
    be an ``infmax:`` message or an experiment's log line."""
    out = []
    for ln in re.split(r"[\r\n]+", stderr):
        s = ln.strip()
        if not s or _BAR.match(s) or "compiling kernels" in s or s.startswith("[bopim]"):
            continue
        out.append(s)
    return out


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_signal_ends_command_cleanly(case, signum, tmp_path):
    _name, argv, bar_label = case
    marker = uuid.uuid4().hex
    out = tmp_path / "out"
    target = out / "result.json" if argv[0] != "experiment" else out
    env = dict(os.environ, INFMAX_PROGRESS="1", INFMAX_SIGNAL_TEST=marker,
               NUMBA_NUM_THREADS="2")
    env.pop("CI", None)
    if env.get("PYTHONPATH"):  # the run's cwd is tmp_path: keep relative entries working
        env["PYTHONPATH"] = os.pathsep.join(
            os.path.abspath(x) for x in env["PYTHONPATH"].split(os.pathsep) if x)
    p = subprocess.Popen([sys.executable, "-m", "infmax", *argv, "--output", str(target)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         cwd=tmp_path)
    err = _Reader(p.stderr)
    err.start()
    try:
        deadline = time.monotonic() + 240  # cold numba cache: the first run compiles
        while bar_label not in err.text():
            assert p.poll() is None, f"exited {p.returncode} before the long phase:\n" \
                                     + err.text()
            assert time.monotonic() < deadline, "long phase never started:\n" + err.text()
            time.sleep(0.05)
        time.sleep(1.5)  # well inside the work (kernel calls, executor batches)
        assert p.poll() is None, "the workload finished before the signal:\n" + err.text()
        os.kill(p.pid, signum)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("no exit within 30 s of the signal:\n" + err.text())
        err.join(timeout=5)
        stdout = p.stdout.read().decode()
        stderr = err.text()
        expected = 128 + signum
        assert p.returncode == expected, (p.returncode, stderr[-2000:])
        assert "Traceback" not in stderr and "SystemError" not in stderr, stderr[-3000:]
        lines = _message_lines(stderr)
        assert len(lines) == 1, lines
        word = "interrupted" if signum == signal.SIGINT else "terminated"
        assert lines[0].startswith("infmax: ") and word in lines[0], lines
        assert stdout == ""
        # no process of the run survives (worker processes, resource tracker)
        leftover = marked_pids(marker)
        t_end = time.monotonic() + 10
        while leftover and time.monotonic() < t_end:
            time.sleep(0.2)
            leftover = marked_pids(marker)
        assert leftover == [], f"processes left running: {leftover}"
        # no partial output
        if argv[0] != "experiment":
            assert not out.exists(), list(out.rglob("*"))
        else:
            assert not (out / "summary.json").exists()
            if out.exists():
                assert not [f for f in out.iterdir() if f.name.startswith(".")], \
                    list(out.iterdir())  # no temporary files
                journal = out / "trials.csv"
                if journal.exists():  # finished trials are kept for --resume: whole rows only
                    rows = list(csv.reader(journal.open()))
                    assert rows and all(len(r) == len(rows[0]) for r in rows)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        for pid in marked_pids(marker):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
