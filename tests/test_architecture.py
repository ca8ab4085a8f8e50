"""Layer contracts (import-linter, ``[tool.importlinter]`` in pyproject.toml): they hold on the
package, each catches a planted violation, and docs/architecture.md names every layer."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import infmax

pytest.importorskip("importlinter", reason="import-linter is in the dev extra (CI installs it)")

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
PACKAGE = Path(infmax.__file__).resolve().parent
CONTRACTS = {c["id"]: c for c in
             tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]}


def lint(src_root: Path) -> dict[str, str]:
    """Run lint-imports on the ``infmax`` package found in ``src_root``: name -> KEPT/BROKEN."""
    code = ("import sys\nfrom importlinter.cli import lint_imports_command\n"
            "sys.exit(lint_imports_command())")
    out = subprocess.run([sys.executable, "-c", code, "--no-cache", str(PYPROJECT)],
                         cwd=src_root, env={"PYTHONPATH": str(src_root), "PATH": ""},
                         capture_output=True, text=True, timeout=600)
    status = {}
    for c in CONTRACTS.values():
        m = re.search(re.escape(c["name"]) + r" (KEPT|BROKEN)", out.stdout)
        assert m, f"contract {c['name']!r} not reported:\n{out.stdout}\n{out.stderr}"
        status[c["id"]] = m.group(1)
    assert (out.returncode == 0) == all(s == "KEPT" for s in status.values()), out.stdout
    return status


def _copy_package(tmp_path: Path) -> Path:
    dst = tmp_path / "src"
    shutil.copytree(PACKAGE, dst / "infmax", ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + "\n" + line + "\n")


def test_contracts_hold_and_new_homes_are_allowed(tmp_path):
    """The package keeps every contract; so do the planned homes using what they may."""
    src = _copy_package(tmp_path)
    learned = src / "infmax" / "learned"
    learned.mkdir(exist_ok=True)   # the package exists (INFECTOR); plant more uses in it
    (learned / "_planted.py").write_text(
        "import torch\nfrom ..algorithms.registry import register\nfrom ..graph import DiGraph\n")
    evaluation = src / "infmax" / "evaluation"
    evaluation.mkdir(exist_ok=True)   # the package exists (DNI); plant more uses in it
    (evaluation / "_planted.py").write_text("from ..diffusion import spread\n")
    (evaluation / "plots.py").write_text("import matplotlib.pyplot as plt\n")
    _append(src / "infmax" / "observability" / "__init__.py",
            "from ..evaluation._planted import spread")
    assert set(lint(src).values()) == {"KEPT"}


@pytest.mark.parametrize("contract, file, line", [
    ("layers", "graph/__init__.py", "from ..diffusion import spread"),
    ("layers", "observability/_observe.py", "from ..temporal import bopim"),
    ("layers", "algorithms/_common.py", "from ..cli import main"),
    ("torch", "algorithms/_common.py", "import torch"),
    ("dask", "observability/_benchmark.py", "import dask.array"),
    ("matplotlib", "temporal/uq.py", "import matplotlib.pyplot as plt"),
    ("kernels", "_kernels/forward.py", "import scipy.sparse"),
    ("acyclic", "algorithms/heuristics.py", "from . import imm"),
])
def test_each_contract_catches_a_violation(tmp_path, contract, file, line):
    src = _copy_package(tmp_path)
    if contract == "acyclic":  # imm already imports heuristics' sibling _common; close a loop
        _append(src / "infmax" / "algorithms" / "imm.py", "from . import heuristics")
    _append(src / "infmax" / file, line)
    status = lint(src)
    assert status[contract] == "BROKEN"
    others = {k: v for k, v in status.items() if k != contract and v == "BROKEN"}
    # a foreign import may also break the layers contract and close a cycle between packages
    assert set(others) <= {"layers", "acyclic"}


def test_docs_name_every_layer_and_contract():
    text = (ROOT / "docs" / "architecture.md").read_text()
    for layer in CONTRACTS["layers"]["layers"]:
        for pkg in re.split(r"[|:]", layer):
            assert f"`{pkg.strip().strip('()')}`" in text, pkg
    for phrase in ("torch only in `learned`", "dask only in `distributed`",
                   "matplotlib only in", "lint-imports", "Where a new method goes"):
        assert phrase in text, phrase


def test_tests_mirror_the_package():
    """Each test folder is named after a subpackage of infmax; cross-cutting tests stay at the
    top; no test module imports another (shared helpers live in conftest.py)."""
    tests = ROOT / "tests"
    folders = {p.name for p in tests.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders and folders <= subpackages, folders - subpackages
    names = [p.name for p in tests.rglob("test_*.py")]
    assert len(names) == len(set(names)), "test module names must be unique"
    imports_a_test = re.compile(r"^\s*(from|import)\s+test_\w+", re.M)
    for p in tests.rglob("test_*.py"):
        assert not imports_a_test.search(p.read_text(encoding="utf-8")), p


#: cross-object private reads that are by design, with the reason
_PRIVATE_OK = {
    "_memo",      # DiGraph._memo / TriggeringModel._memo: the one caching hook (issue 9.5)
    "_compile",   # the CLI's own argparse namespace entry, kept out of records by its "_"
}


def test_no_module_reads_another_objects_private_attributes():
    """``obj._x`` with ``obj`` not ``self``/``cls`` only for the sanctioned hooks, or for a
    private name the same module defines (its own class's method or attribute)."""
    import ast

    hits = []
    for p in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        own = {n.name for n in ast.walk(tree)    # private names this module defines itself
               if isinstance(n, (ast.FunctionDef, ast.ClassDef))} | {
            n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
            and isinstance(n.ctx, ast.Store)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__") and node.attr not in _PRIVATE_OK
                    and node.attr not in own):
                continue
            base = node.value
            while isinstance(base, ast.Attribute):   # self._s._rev: rooted at self
                base = base.value
            if isinstance(base, ast.Name) and base.id in ("self", "cls"):
                continue
            hits.append(f"{p.relative_to(PACKAGE)}:{node.lineno} .{node.attr}")
    assert hits == []
