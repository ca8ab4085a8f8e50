"""The IMINFECTOR pipeline's targets: load, train INFECTOR, select, evaluate DNI, per phase.

Run:  INFMAX_DATA_DIR=../shared/data python benchmarks/bench_iminfector.py [SET ...]
      [--k 50] [--epochs 5] [--rng 0] [--profile]

For each cascade set (default: android and memetracker-forest, the issue's two targets: under
30 s and under 120 s on 2 cores) it prints the seconds of each phase: load (read and split),
context sampling, training, D (the diffusion matrix), selection (CELF), DNI (the curve with
its bootstrap interval), the whole pipeline, and the peak resident memory of the process
(``resource.getrusage``; it includes the interpreter, numpy, numba and torch). The numba and
torch warm-up happens in the same process, inside the timed pipeline, as a first-time user
sees it (numba kernels are cached on disk after the first run). ``--profile`` adds a cProfile
of the training loop's top functions. Results also go to
``benchmarks/results/bench_iminfector.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import sys
import time
from pathlib import Path

TARGETS = {"android": 30.0, "memetracker-forest": 120.0}


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 2**20


def pipeline(name: str, *, k: int, epochs: int, rng: int, profile: bool) -> dict:
    """Load, split, train, select and evaluate one cascade set; the phase times."""
    t0 = time.perf_counter()
    import infmax as im
    from infmax.evaluation import dni_curve
    from infmax.learned import iminfector

    t_import = time.perf_counter() - t0
    t = time.perf_counter()
    C = im.datasets.load(name)
    train, test = im.split_by_time(C)
    t_load = time.perf_counter() - t
    prof = cProfile.Profile() if profile else None
    t = time.perf_counter()
    if prof is not None:
        prof.enable()
    res = iminfector(train, k, epochs=epochs, rng=rng, progress=False)
    if prof is not None:
        prof.disable()
    t_select = time.perf_counter() - t
    t = time.perf_counter()
    curve = dni_curve(res.seeds, test, [k], rng=rng)
    t_dni = time.perf_counter() - t
    total = time.perf_counter() - t0
    out = {"set": name, "k": k, "epochs": epochs, "cascades": len(C), "train": len(train),
           "test": len(test), "users": C.n_users, "import": t_import, "load": t_load,
           **{p: float(v) for p, v in res.timings.items() if p != "total"},
           "iminfector_total": t_select, "dni_seconds": t_dni, "pipeline": total,
           "target": TARGETS.get(name), "dni": curve[-1].value,
           "dni_ci": [curve[-1].low, curve[-1].high], "peak_rss_mib": peak_rss_mib()}
    if prof is not None:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(25)
        out["profile"] = s.getvalue()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", default=list(TARGETS))
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--rng", type=int, default=0)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--in-process", action="store_true",
                    help="run every set in this process (default: a fresh process per set, "
                         "so each peak memory is its own)")
    ap.add_argument("--json", action="store_true", help="print one JSON line per set only")
    a = ap.parse_args()
    rows = []
    if a.in_process or len(a.sets) == 1:
        rows = [pipeline(s, k=a.k, epochs=a.epochs, rng=a.rng, profile=a.profile)
                for s in a.sets]
    else:
        import subprocess

        for s in a.sets:
            cmd = [sys.executable, __file__, s, "--k", str(a.k), "--epochs", str(a.epochs),
                   "--rng", str(a.rng), "--json"] + (["--profile"] if a.profile else [])
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
    if a.json:
        for r in rows:
            print(json.dumps(r))
        return
    phases = ("load", "context", "training", "D", "selection", "dni_seconds", "pipeline")
    print(f"{'set':<20}" + "".join(f"{p:>11}" for p in phases) + f"{'target':>8}"
          f"{'peak MiB':>10}{'DNI':>7}")
    for r in rows:
        print(f"{r['set']:<20}" + "".join(f"{r.get(p, 0.0):>10.2f}s" for p in phases)
              + f"{r['target'] or 0:>7.0f}s{r['peak_rss_mib']:>10.0f}{r['dni']:>7}")
        if "profile" in r:
            print(r["profile"])
    print(f"load average {os.getloadavg()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}")
    res_dir = Path(__file__).parent / "results"
    res_dir.mkdir(exist_ok=True)
    (res_dir / "bench_iminfector.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
