"""A plain ``infmax seeds GRAPH -a imm`` run imports only what it uses (issue 14, warm start).

Each module a process imports costs the warm whole-process time (reading, executing, creating
numba dispatchers), so the optional packages, the experiment drivers and the generators must
not load on the default path. The run happens in a fresh interpreter, which reports its
``sys.modules`` after ``main()`` returns.
"""

import json
import os
import subprocess
import sys

import pytest

#: must not be imported by ``infmax seeds GRAPH -a imm`` (nor by ``--help``)
NOT_ON_DEFAULT_PATH = (
    # optional third-party packages
    "torch", "dask", "distributed", "matplotlib", "pandas", "networkx", "pyarrow", "tqdm",
    # infmax parts another command or another input kind uses
    "infmax.learned", "infmax.temporal", "infmax.evaluation", "infmax.observability",
    "infmax.datasets.synthetic",
    "infmax.cli._cascades", "infmax.cli._temporal", "infmax.cli._demo",
    "infmax.cli._exp_org", "infmax.cli._exp_bopim", "infmax.cli._exp_aditum",
    "infmax.cli._exp_iminfector",
)

_PROBE = """
import json, sys
from infmax.cli._main import main
rc = main(sys.argv[1:])
sys.stderr.flush()
print(json.dumps({"rc": rc, "modules": sorted(sys.modules)}))
"""


def _modules_after(*argv: str) -> tuple[int, set[str], str]:
    p = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True,
                       env=dict(os.environ), timeout=600)
    out = json.loads(p.stdout.strip().splitlines()[-1])
    return out["rc"], set(out["modules"]), p.stderr


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_seeds_imm_imports_no_optional_module(graph_file, tmp_path):
    out = tmp_path / "rec.json"
    rc, modules, err = _modules_after("seeds", str(graph_file), "-k", "2", "-a", "imm",
                                      "--rng", "1", "-o", str(out))
    assert rc == 0, err
    assert json.loads(out.read_text())["seeds"]      # the run did its work
    assert "infmax.algorithms.imm" in modules         # and the probe sees its imports
    loaded = [name for name in NOT_ON_DEFAULT_PATH if _loaded(modules, name)]
    assert loaded == []


_HELP_PROBE = """
import json, sys
from infmax.cli._main import main
try:
    main(sys.argv[1:])
except SystemExit:   # --help exits
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _help_modules(*argv: str) -> tuple[str, set[str]]:
    p = subprocess.run([sys.executable, "-c", _HELP_PROBE, *argv], capture_output=True,
                       text=True, timeout=600)
    return p.stdout, set(json.loads(p.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [("--help",), ("experiment", "--help")])
def test_help_imports_no_experiment_driver(argv):
    text, modules = _help_modules(*argv)
    assert "usage: infmax" in text
    assert [m for m in modules if m.startswith("infmax.cli._exp_")] == []
    assert "infmax.datasets.synthetic" not in modules


def test_experiment_driver_loads_when_chosen():
    text, modules = _help_modules("experiment", "bopim", "--help")
    assert "--snapshot-values" in text            # the driver's own options are there
    assert "infmax.cli._exp_bopim" in modules and "infmax.cli._exp_org" not in modules


_GC_PROBE = """
import gc, json, sys
from infmax.cli._main import main
before = gc.get_threshold()
rc = main({argv})
print(json.dumps({{"rc": rc, "before": before, "after": gc.get_threshold(),
                   "frozen": gc.get_freeze_count()}}))
"""


@pytest.mark.parametrize("own", [True, False])
def test_console_run_tunes_the_collector_and_library_calls_do_not(graph_file, tmp_path, own):
    """``main()`` with the process's own argv (the console script) raises the gen-0 threshold
    and freezes the survivors at the end (shutdown then skips re-scanning numba's objects);
    ``main([...])`` from a program leaves the collector as it was."""
    argv = ["seeds", str(graph_file), "-k", "2", "-a", "imm", "--rng", "1",
            "-o", str(tmp_path / "r.json")]
    code = _GC_PROBE.format(argv="None" if own else repr(argv))
    p = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                       timeout=600)
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert out["rc"] == 0, p.stderr
    if own:
        assert out["after"][0] >= 20_000 and out["after"][1:] == out["before"][1:]
        assert out["frozen"] > 10_000
    else:
        assert out["after"] == out["before"] and out["frozen"] == 0
