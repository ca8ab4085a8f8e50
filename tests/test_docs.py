"""Every example in README.md and docs/*.md runs as written.

The rules (a doc author needs nothing else):

- **Python**: the fenced ``python`` blocks of one file form ONE session, in document order,
  because every doc here reads as one (a later block uses the ``im``, ``G`` or ``res`` of an
  earlier one). The blocks are written, in order, into one script that runs as
  ``python script.py`` in a fresh subprocess (so ``if __name__ == "__main__":`` and process
  pools behave as in a user's own script), from an empty temporary working directory, with
  ``INFMAX_DATA_DIR`` set (and ``INFMAX_CACHE_DIR`` pointing to a temporary folder). A block
  must therefore not depend on files that the doc does not create: an example that reads a
  user's own file (``graph.txt``) writes it first, or uses a dataset
  (``im.datasets.path(name)``).
- **Command line**: in fenced ``sh`` / ``console`` blocks, every line starting with
  ``infmax `` (``$ infmax `` in ``console``) runs through ``bash`` with a time limit of
  ``CLI_TIMEOUT`` seconds and must exit 0; ``infmax`` is this interpreter's ``-m infmax``.
  The commands of one file run in order, after its Python session, in the same working
  directory (a command may read what an earlier one wrote). A trailing ``\\`` continues a
  command on the next line.
- **Opting out**: a block preceded by the line ``<!-- no-run: REASON -->`` (blank lines may sit
  between) is not run; the reason is required (say why: "takes minutes", "needs a dask
  cluster"...). The markers are counted and held to ``MAX_NO_RUN``.
- A fence without a language that holds ``infmax `` command lines is an error: tag it ``sh``
  so that it runs (or mark it no-run).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CLI_TIMEOUT = 90          # seconds per command line
PY_TIMEOUT = 300          # seconds per file's Python session
MAX_NO_RUN = 12           # markers across all docs; raise only with a reason per marker
NO_RUN = re.compile(r"<!--\s*no-run\s*:(.*?)-->")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")


@dataclass
class Block:
    doc: Path
    line: int            # 1-based line of the opening fence
    lang: str
    body: list[str]
    no_run: str | None   # the reason, when a no-run marker precedes the block

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def parse(doc: Path) -> tuple[list[Block], list[tuple[int, str, bool]]]:
    """The fenced blocks of ``doc`` and its no-run markers (line, reason, attached to a block)."""
    lines = doc.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    markers: list[tuple[int, str, bool]] = []
    pending: int | None = None    # index into markers of a marker waiting for its block
    i = 0
    while i < len(lines):
        m = NO_RUN.search(lines[i])
        if m:
            markers.append((i + 1, m.group(1).strip(), False))
            pending = len(markers) - 1
            i += 1
            continue
        f = FENCE.match(lines[i])
        if f:
            indent, fence, lang = f.groups()
            body = []
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j])
                j += 1
            reason = None
            if pending is not None:
                ln, reason, _ = markers[pending]
                markers[pending] = (ln, reason, True)
                pending = None
            blocks.append(Block(doc, i + 1, lang.lower(), body, reason))
            i = j + 1
            continue
        if lines[i].strip():
            pending = None    # a marker is attached only to the block right after it
        i += 1
    return blocks, markers


PARSED = {doc: parse(doc) for doc in DOCS}


def _ids(doc: Path) -> str:
    return str(doc.relative_to(ROOT))


def _commands(block: Block) -> list[str]:
    """The ``infmax ...`` command lines of a sh/console block (continuations joined)."""
    out, cur = [], None
    for raw in block.body:
        s = raw.strip()
        if cur is not None:
            cur += " " + s.rstrip("\\").strip()
            if not s.endswith("\\"):
                out.append(cur)
                cur = None
            continue
        if block.lang == "console":
            if not s.startswith("$ "):
                continue
            s = s[2:].strip()
        if s.startswith("infmax "):
            if s.endswith("\\"):
                cur = s.rstrip("\\").strip()
            else:
                out.append(s)
    if cur is not None:
        out.append(cur)
    return out


def _runnable(doc: Path, langs: tuple[str, ...]) -> list[Block]:
    return [b for b in PARSED[doc][0] if b.lang in langs and b.no_run is None]


def _env(data_dir: Path, cache_dir: Path, bin_dir: Path | None = None) -> dict:
    env = dict(os.environ)
    env["INFMAX_DATA_DIR"] = str(data_dir)
    env["INFMAX_CACHE_DIR"] = str(cache_dir)     # never the user's cache
    env["MPLBACKEND"] = "Agg"
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, env["PYTHONPATH"]]) if env.get("PYTHONPATH") \
        else src
    if bin_dir is not None:
        env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    return env


def _session(doc: Path, workdir: Path, data_dir: Path) -> None:
    """Run the doc's Python blocks as one script; a failure names the doc line."""
    blocks = _runnable(doc, ("python", "py"))
    script, origin = [], []       # origin[k] = (doc line) of script line k + 1
    for b in blocks:
        script.append(f"# --- {b.where} ---")
        origin.append(b.line)
        for k, text in enumerate(b.body):
            script.append(text)
            origin.append(b.line + 1 + k)
    path = workdir / f"{doc.stem}_examples.py"
    path.write_text("\n".join(script) + "\n", encoding="utf-8")
    try:
        out = subprocess.run([sys.executable, path.name], cwd=workdir,
                             env=_env(data_dir, workdir.parent / "cache"), capture_output=True,
                             text=True, timeout=PY_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{_ids(doc)}: the Python examples took more than {PY_TIMEOUT} s")
    if out.returncode != 0:
        def to_doc(m):
            n = int(m.group(1))
            return f"{m.group(0)} (= {_ids(doc)}:{origin[n - 1]})" if n <= len(origin) \
                else m.group(0)
        err = re.sub(rf'(?<={re.escape(path.name)}", )line (\d+)', to_doc, out.stderr)
        pytest.fail(f"{_ids(doc)}: a Python example failed (exit {out.returncode}):\n"
                    f"{err[-4000:]}")


def _shim(bin_dir: Path) -> Path:
    """An ``infmax`` executable that runs this interpreter's ``-m infmax``."""
    bin_dir.mkdir(exist_ok=True)
    exe = bin_dir / "infmax"
    exe.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m infmax \"$@\"\n")
    exe.chmod(0o755)
    return bin_dir


def _run_commands(doc: Path, workdir: Path, data_dir: Path) -> None:
    env = _env(data_dir, workdir.parent / "cache", _shim(workdir.parent / "bin"))
    for b in _runnable(doc, ("sh", "console", "bash", "shell")):
        for cmd in _commands(b):
            try:
                out = subprocess.run(["bash", "-c", cmd], cwd=workdir, env=env,
                                     capture_output=True, text=True, timeout=CLI_TIMEOUT)
            except subprocess.TimeoutExpired:
                pytest.fail(f"{b.where}: `{cmd}` took more than {CLI_TIMEOUT} s; make the "
                            "example smaller or precede its block with "
                            "<!-- no-run: REASON -->")
            assert out.returncode == 0, (f"{b.where}: `{cmd}` exited {out.returncode}:\n"
                                         f"{out.stderr[-3000:]}")


RUNNABLE = [d for d in DOCS
            if _runnable(d, ("python", "py"))
            or any(_commands(b) for b in _runnable(d, ("sh", "console", "bash", "shell")))]


@pytest.mark.slow
@pytest.mark.parametrize("doc", RUNNABLE, ids=_ids)
def test_examples_run(doc, data_dir, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    if _runnable(doc, ("python", "py")):
        _session(doc, work, data_dir)
    _run_commands(doc, work, data_dir)


def test_no_run_markers_have_a_reason_and_a_block():
    total = 0
    for doc, (_, markers) in PARSED.items():
        for line, reason, attached in markers:
            where = f"{_ids(doc)}:{line}"
            assert reason, f"{where}: a no-run marker needs a reason: <!-- no-run: REASON -->"
            assert attached, f"{where}: a no-run marker must sit right above a fenced block"
            total += 1
    assert total <= MAX_NO_RUN, (f"{total} no-run markers (at most {MAX_NO_RUN}): examples "
                                 "should run; shrink them rather than skip them")


def test_cli_lines_are_in_tagged_blocks():
    for blocks, _ in PARSED.values():
        for b in blocks:
            if b.lang == "" and any(s.strip().startswith(("infmax ", "$ infmax "))
                                    for s in b.body):
                pytest.fail(f"{b.where}: a fence without a language holds `infmax` commands; "
                            "tag it ```sh so that they run (or mark it no-run with a reason)")


def test_parser_on_a_sample(tmp_path):
    doc = tmp_path / "sample.md"
    doc.write_text("text\n\n```python\nx = 1\n```\n\n<!-- no-run: takes minutes -->\n\n"
                   "```sh\ninfmax seeds nethept -k 5 \\\n  --rng 1\nls\n```\n"
                   "<!-- no-run:  -->\nprose\n```console\n$ infmax datasets list\nout\n```\n")
    blocks, markers = parse(doc)
    assert [(b.line, b.lang, b.no_run) for b in blocks] == [
        (3, "python", None), (9, "sh", "takes minutes"), (16, "console", None)]
    assert _commands(blocks[1]) == ["infmax seeds nethept -k 5 --rng 1"]
    assert _commands(blocks[2]) == ["infmax datasets list"]
    assert markers == [(7, "takes minutes", True), (14, "", False)]


@pytest.mark.parametrize("doc", sorted((ROOT / "docs").glob("*.md")), ids=lambda p: p.name)
def test_docs_link_from_readme(doc):
    assert f"docs/{doc.name}" in (ROOT / "README.md").read_text() or doc.name == "architecture.md"
