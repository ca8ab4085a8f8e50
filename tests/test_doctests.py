"""Every ``Examples`` section in the package's docstrings runs and prints what it shows.

The docs' pages are executed by ``test_docs.py``; this runs the docstrings, so an example a
user copies from ``help()`` works too. A module whose optional dependency is missing is
skipped with the import error as the reason (the dev install has them all).
"""

import doctest
import importlib
import pkgutil

import pytest

import infmax


def _modules():
    for m in pkgutil.walk_packages(infmax.__path__, "infmax."):
        if not m.name.endswith("__main__"):
            yield m.name


def _tests():
    finder = doctest.DocTestFinder()
    out = []
    for name in _modules():
        try:
            mod = importlib.import_module(name)
        except ImportError as e:  # an optional dependency not installed
            out.append(pytest.param(None, id=name, marks=pytest.mark.skip(reason=str(e))))
            continue
        for t in finder.find(mod, name):
            if t.examples:
                out.append(pytest.param(t, id=t.name))
    return out


TESTS = _tests()


def test_there_are_docstring_examples():
    assert len(TESTS) >= 60


@pytest.mark.parametrize("test", TESTS)
def test_docstring_example(test, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    result = runner.run(test, out=report.append)
    assert result.failed == 0, "".join(report)
