"""Run benchmarks: each bench_*.py prints its own table of seconds and ratios against peers
measured in the same run, and writes benchmarks/results/<name>.json. ``make bench`` runs
``speed`` (the four rows of issue 14); ``make bench BENCH="speed mc ris"`` picks others.

Usage: python benchmarks/run.py [name ...]   (names: speed, mc, ris, org, bopim; default: all)
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    wanted = set(argv)
    status = 0
    for s in scripts:
        name = s.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"\n=== {name} ({s.name}) ===", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(s)])
        print(f"=== {name}: exit {rc}, {time.perf_counter() - t0:.0f} s ===", flush=True)
        status = status or rc
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
