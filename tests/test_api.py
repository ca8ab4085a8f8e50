"""The top-level namespace: ``from infmax import *`` works and every public name resolves."""

import subprocess
import sys

import infmax as im


def test_star_import_in_a_fresh_interpreter():
    # a fresh process: nothing imported before, so a missing lazy submodule cannot hide
    code = ("ns = {}\nexec('from infmax import *', ns)\n"
            "import infmax\nmissing = sorted(set(infmax.__all__) - set(ns))\n"
            "assert not missing, missing\nprint(len(infmax.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == len(im.__all__)


def test_every_name_in_all_resolves():
    for name in im.__all__:
        obj = getattr(im, name)
        assert obj is not None, name
    assert set(dir(im)) == set(im.__all__)
    assert isinstance(im.datasets, type(im)) and isinstance(im.distributed, type(im))


def test_unknown_attribute_is_an_attribute_error():
    try:
        im.no_such_module  # noqa: B018 - a name no module provides
    except AttributeError as e:
        assert "no_such_module" in str(e)
    else:
        raise AssertionError("im.no_such_module resolved")


def test_top_level_exports_no_private_helper():
    # id-based helpers (spread_ids, ...) stay in their subpackage; the top level speaks labels
    assert "spread_ids" not in im.__all__
    for name in im.__all__:
        obj = getattr(im, name)
        mod = getattr(obj, "__module__", "") or ""
        assert not name.startswith("_") or name == "__version__", name
        assert ".cli" not in mod, name


def test_package_is_marked_typed():
    from pathlib import Path

    assert (Path(im.__file__).parent / "py.typed").is_file()
