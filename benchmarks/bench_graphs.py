"""Large graphs on one machine: R-MAT generation, text parsing, convert, binary load, memory.

Issue 13, deliverable 4 and its target: a synthetic R-MAT graph of 2^22 nodes and 2^26 (64 M)
drawn arcs (Graph500 parameters, WC weights). Steps, each in a fresh process (peak RSS per step
from ``ru_maxrss``; numba's cache warm, compile time excluded by a warm-up run at scale 10):

1. ``generate``: ``rmat(scale, 16, rng=1)`` (+ reverse CSR) and ``G.save`` (binary file);
   the raw pairs written as a text edge list ``u v`` (pyarrow's CSV writer).
2. ``parse``: the same text file read by (a) infmax's byte scanner alone
   (``graph._scan.fast_parse``: bytes -> id arrays), (b) ``im.read_edgelist`` (parse + graph
   build: dedup, CSR, WC weights), (c) ``pandas.read_csv(engine="pyarrow")`` (bytes -> a
   two-column DataFrame), (d) the same DataFrame's columns through ``im.from_edges`` (the
   graph build of (b), after pyarrow's parse): (a) vs (c) compares the parsers, (b) vs (d)
   whole loads. MB/s = file size / seconds (file already in the page cache).
3. ``convert``: ``infmax convert EDGES OUT`` (the CLI, one process: read, reverse CSR, write).
4. ``load``: ``im.graph.load(OUT)`` in a fresh process, median of ``--loads`` runs: the mmap
   load itself, then a first touch of every array (pages in the whole file), and
   ``mmap=False`` (read into memory). The file was just written, so the page cache is WARM
   (dropping it needs root); a cold load reads 28 bytes per arc from disk on first touch.
5. memory per arc: the loaded graph's ``G.nbytes()`` / m, and peak RSS of each step / m.

Run::

    python benchmarks/bench_graphs.py                 # scale 22 (needs ~12 GB free RAM)
    python benchmarks/bench_graphs.py --scale 18      # a quick run

Prints a table and writes ``benchmarks/results/graphs.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def step_generate(scale: int, workdir: Path) -> dict:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from infmax.datasets.synthetic import rmat, rmat_edges

    rmat(8, 4, rng=0).rindptr  # noqa: B018  (loads the compiled kernels: not timed)
    t0 = time.perf_counter()
    G = rmat(scale, 16, rng=1)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    G.rindptr  # noqa: B018
    rev_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    G.save(workdir / "rmat.infmax")
    save_s = time.perf_counter() - t0
    out = {"n": G.n, "m": G.m, "drawn": G.summary.rows_read,
           "self_loops": G.summary.self_loops_dropped,
           "merged": G.summary.parallel_edges_merged, "generate_s": gen_s,
           "reverse_s": rev_s, "save_s": save_s,
           "binary_bytes": os.path.getsize(workdir / "rmat.infmax")}
    del G
    src, dst = rmat_edges(scale, 16, rng=1)
    t0 = time.perf_counter()
    table = pa.table({"u": src.astype(np.int64), "v": dst.astype(np.int64)})
    pacsv.write_csv(table, workdir / "rmat.txt",
                    pacsv.WriteOptions(include_header=False, delimiter=" ",
                                       quoting_style="none"))
    out["write_text_s"] = time.perf_counter() - t0
    out["text_bytes"] = os.path.getsize(workdir / "rmat.txt")
    out["peak_rss_mb"] = _rss_mb()
    return out


def step_parse(which: str, workdir: Path) -> dict:
    import infmax as im
    from infmax.graph import _scan
    from infmax.graph.readers import read_bytes

    path = workdir / "rmat.txt"
    size = os.path.getsize(path)
    tiny = workdir / "tiny.txt"
    tiny.write_text("1 2\n2 3\n")
    im.read_edgelist(tiny, header=False)   # loads the compiled scanner: not timed
    t0 = time.perf_counter()
    if which == "scanner":
        data = read_bytes(path)
        hard, strict = _scan.delim_mode(None, "bench")
        res = _scan.fast_parse(data, str(path), "#%", hard, strict, 2, False, None)
        rows = int(res[0].shape[0])
    elif which == "read_edgelist":
        G = im.read_edgelist(path, header=False)
        rows = G.summary.rows_read
    else:
        import pandas as pd

        df = pd.read_csv(path, sep=" ", header=None, names=["u", "v"], engine="pyarrow")
        rows = len(df)
        if which == "pandas_pyarrow+from_edges":
            G = im.from_edges(df["u"].to_numpy(), df["v"].to_numpy())
    s = time.perf_counter() - t0
    return {"which": which, "seconds": s, "rows": rows, "mb_per_s": size / 1e6 / s,
            "peak_rss_mb": _rss_mb()}


def step_load(workdir: Path, mmap: bool) -> dict:
    import numpy as np

    import infmax.graph

    t0 = time.perf_counter()
    G = infmax.graph.load(workdir / "rmat.infmax", mmap=mmap)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    touched = 0
    for a in (G.indptr, G.indices, G.rindptr, G.rindices, G.rev_perm, G.probs, G.rprobs,
              G.labels):
        touched += int(np.asarray(a).view(np.uint8)[::4096].sum())  # one byte per page
    touch_s = time.perf_counter() - t0
    arrays = (G.indptr, G.indices, G.rindptr, G.rindices, G.rev_perm, G.probs, G.rprobs,
              G.labels)
    return {"load_s": load_s, "touch_s": touch_s, "nbytes": sum(a.nbytes for a in arrays),
            "m": G.m,
            "peak_rss_mb": _rss_mb()}


def _child(args: list[str]) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if p.returncode != 0:
        raise SystemExit(f"step {args} failed:\n{p.stderr}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=int, default=22)
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--workdir", default=None, help="where the files go (default: a temp dir)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        step, wd, *rest = args.child
        wd = Path(wd)
        if step == "generate":
            out = step_generate(int(rest[0]), wd)
        elif step == "parse":
            out = step_parse(rest[0], wd)
        else:
            out = step_load(wd, rest[0] == "mmap")
        print(json.dumps(out))
        return
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="infmax-bench-graphs-"))
    workdir.mkdir(parents=True, exist_ok=True)
    warm = workdir / "warm"
    warm.mkdir(exist_ok=True)
    # JIT warm-up: every step once at scale 10 (numba caches to disk)
    _child(["generate", str(warm), "10"])
    for w in ("scanner", "read_edgelist"):
        _child(["parse", str(warm), w])
    _child(["load", str(warm), "mmap"])
    res: dict = {"scale": args.scale, "uptime": os.popen("uptime").read().strip()}
    res["generate"] = _child(["generate", str(workdir), str(args.scale)])
    res["parse"] = {w: _child(["parse", str(workdir), w])
                    for w in ("scanner", "read_edgelist", "pandas_pyarrow",
                              "pandas_pyarrow+from_edges")}
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "infmax", "convert", str(workdir / "rmat.txt"),
                        str(workdir / "conv.infmax"), "-q"], capture_output=True, text=True,
                       check=True)
    res["convert"] = {"process_s": time.perf_counter() - t0, **json.loads(p.stdout)["timings"]}
    os.unlink(workdir / "conv.infmax")
    for mode in ("mmap", "read"):
        runs = [_child(["load", str(workdir), mode]) for _ in range(args.loads)]
        res[f"load_{mode}"] = {
            "load_s_median": statistics.median(r["load_s"] for r in runs),
            "touch_s_median": statistics.median(r["touch_s"] for r in runs),
            "runs": runs}
    m = res["generate"]["m"]
    res["bytes_per_arc"] = {
        "graph_nbytes": res["load_mmap"]["runs"][0]["nbytes"] / m,
        "binary_file": res["generate"]["binary_bytes"] / m,
        "peak_rss_generate": res["generate"]["peak_rss_mb"] * 2**20 / m,
        "peak_rss_read_edgelist": res["parse"]["read_edgelist"]["peak_rss_mb"] * 2**20 / m,
        "peak_rss_load_read": res["load_read"]["runs"][0]["peak_rss_mb"] * 2**20 / m}
    res["uptime_end"] = os.popen("uptime").read().strip()
    g, pr = res["generate"], res["parse"]
    mb = g["text_bytes"] / 1e6
    print(f"R-MAT scale {args.scale}: n = {g['n']:,}, drawn {g['drawn']:,}, m = {m:,} "
          f"({g['merged']:,} merged, {g['self_loops']:,} loops)")
    print(f"  generate {g['generate_s']:.1f} s, reverse CSR {g['reverse_s']:.1f} s, "
          f"save {g['save_s']:.1f} s ({g['binary_bytes'] / 1e9:.2f} GB)")
    print(f"  text file {mb:,.0f} MB")
    for w, r in pr.items():
        print(f"  parse {w:25s} {r['seconds']:7.1f} s  {r['mb_per_s']:7.1f} MB/s  "
              f"peak RSS {r['peak_rss_mb'] / 1024:.1f} GiB")
    print(f"  convert (CLI process) {res['convert']['process_s']:.1f} s")
    for mode in ("mmap", "read"):
        r = res[f"load_{mode}"]
        print(f"  load {mode:4s}: {r['load_s_median']:.3f} s, first touch of every page "
              f"{r['touch_s_median']:.2f} s (median of {args.loads}, warm page cache)")
    print("  bytes per arc: " + ", ".join(f"{k} {v:.1f}" for k, v in res['bytes_per_arc'].items()))
    print(f"  load: {res['uptime']}")
    out = HERE / "results" / "graphs.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
