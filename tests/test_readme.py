"""The README's Python examples run as written (on the shared NetHEPT and hospital data)."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run(data_dir, tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my_graph.txt").write_text("1 2\n2 3\n3 1\n3 4\n")
    ns: dict = {}
    for code in blocks:
        exec(compile(code, str(README), "exec"), ns)  # noqa: S102 - our own documentation
    assert ns["res"].k == 4 and len(ns["obs"].members) > 0


@pytest.mark.parametrize("doc", sorted((README.parent / "docs").glob("*.md")),
                         ids=lambda p: p.name)
def test_docs_link_from_readme(doc):
    assert f"docs/{doc.name}" in README.read_text() or doc.name == "architecture.md"
