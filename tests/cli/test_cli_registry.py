"""The command line as a shell over the library: its modules form no import cycle, and every
name ``--algorithm`` takes comes from the one selector registry (issue 9, items 1 and 8)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import assert_one_line_error, run
from infmax.algorithms import registry


def _listed(infos):
    """Registry entries in the order ``infmax algorithms list`` prints them: by input kind."""
    return sorted(infos, key=lambda i: registry.INPUT_KINDS.index(i.input))


@pytest.fixture
def scratch_registry(monkeypatch):
    """Register test selectors for one test only (the registry is process-wide)."""
    registry.selectors()  # load the built-ins and providers into the real tables first
    monkeypatch.setattr(registry, "_ENTRIES", dict(registry._ENTRIES))
    monkeypatch.setattr(registry, "_ALIASES", dict(registry._ALIASES))
    return registry


# -- module structure ------------------------------------------------------------------------
def _cli_graph():
    grimp = pytest.importorskip("grimp")
    return grimp.build_graph("infmax")


def test_cli_modules_form_no_import_cycle():
    """_commands and the handlers import the shared pieces, never the parser (_main)."""
    graph = _cli_graph()
    mods = sorted(m for m in graph.find_children("infmax.cli"))
    for i, a in enumerate(mods):
        for b in mods[i + 1:]:
            there, back = graph.find_shortest_chain(a, b), graph.find_shortest_chain(b, a)
            if there and back:
                pytest.fail(f"import cycle between {a} and {b}: {there} / {back}")
    for m in mods:
        assert not graph.direct_import_exists(importer=m, imported="infmax.cli._main"), m


def test_experiment_drivers_are_visible_imports():
    """The drivers load lazily but through imports that import-linter sees (no module strings)."""
    graph = _cli_graph()
    for driver in ("infmax.cli._exp_org", "infmax.cli._exp_bopim", "infmax.cli._exp_aditum",
                   "infmax.cli._exp_iminfector", "infmax.cli._convert", "infmax.cli._temporal",
                   "infmax.cli._commands", "infmax.cli._demo"):
        assert graph.find_shortest_chain("infmax.cli._main", driver), driver


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_main_does_not_import_the_handlers_at_import_time():
    mods = _modules_after("import infmax.cli._main")
    assert "infmax.cli._main" in mods
    assert not {"infmax.cli._commands", "infmax.cli._temporal", "infmax.cli._demo",
                "infmax.cli._compile"} & mods


def test_help_imports_neither_algorithms_nor_numba():
    """``infmax --help`` builds every subparser (algorithms list too) without the heavy parts."""
    mods = _modules_after("import contextlib, io\nfrom infmax.cli import main\n"
                          "with contextlib.redirect_stdout(io.StringIO()):\n"
                          "    try:\n        main(['--help'])\n    except SystemExit:\n"
                          "        pass")
    assert not {"numba", "infmax.algorithms", "infmax.cli._commands"} & mods


# -- infmax algorithms list --------------------------------------------------------------------
def test_algorithms_list_json_agrees_with_the_registry():
    rec = json.loads(run("algorithms", "list", "--json", check_rc=0).stdout)
    assert rec == {"algorithms": [json.loads(json.dumps(i.to_dict()))
                                  for i in _listed(registry.selectors())]}
    rec = json.loads(run("algorithms", "list", "--input", "temporal", "--json",
                         check_rc=0).stdout)
    assert [r["name"] for r in rec["algorithms"]] == registry.names("temporal")


def test_algorithms_list_table():
    p = run("algorithms", "list", check_rc=0)
    lines = p.stdout.splitlines()
    assert lines[0].split()[:3] == ["name", "input", "models"]
    assert [(ln.split()[0], ln.split()[1]) for ln in lines[1:]] == \
        [(i.name, i.input) for i in _listed(registry.selectors())]
    assert p.stderr == ""
    # ACTION defaults to list; --input filters
    assert run("algorithms", check_rc=0).stdout == p.stdout
    only = run("algorithms", "list", "--input", "graph", check_rc=0).stdout.splitlines()[1:]
    assert [ln.split()[0] for ln in only] == registry.names("graph")


def test_algorithms_list_bad_input_kind():
    assert_one_line_error(run("algorithms", "list", "--input", "static"), "--input", "static",
                          "'graph'", "'temporal'")


# -- --algorithm and --model read the registry ---------------------------------------------
def test_unknown_algorithm_lists_the_registered_names(graph_file):
    p = run("seeds", str(graph_file), "-k", "1", "--algorithm", "magic")
    assert_one_line_error(p, "'algorithm'", "'magic'")
    for name in registry.names("graph"):
        assert repr(name) in p.stderr, name
    p = run("seeds", str(graph_file), "--temporal", "-k", "1", "--algorithm", "imm")
    assert_one_line_error(p, "'algorithm'", "'imm'")
    for name in registry.names("temporal"):
        assert repr(name) in p.stderr, name


def test_selector_of_the_other_input_kind_says_what_to_do(graph_file, contacts):
    assert_one_line_error(run("seeds", str(graph_file), "-k", "1", "-a", "bopim"),
                          "'bopim' is a temporal selector: add --temporal")
    assert_one_line_error(run("seeds", str(contacts), "--temporal", "-k", "1", "-a",
                              "tim_plus"), "'tim+' is a graph selector: leave out --temporal")


def test_static_alias_is_recorded_under_its_name(graph_file):
    rec = json.loads(run("seeds", str(graph_file), "-k", "2", "-a", "TIM_PLUS", "--epsilon",
                         "0.5", "--rng", "1", check_rc=0).stdout)
    assert rec["algorithm"] == "tim+" and rec["config"]["algorithm"] == "tim+"
    assert rec["config"]["model"] == "ic"


@pytest.mark.parametrize("alias, name", [("dynamic_degree", "dynamic-degree"),
                                         ("Random_Degree", "random-degree")])
def test_temporal_aliases(contacts, alias, name):
    rec = json.loads(run("seeds", str(contacts), "--temporal", "-k", "2", "-a", alias,
                         "--snapshots", "4", "--beta", "0.2", "--rng", "1", "--evaluate", "200",
                         check_rc=0).stdout)
    assert rec["config"]["algorithm"] == name and rec["config"]["model"] == "si"
    assert len(rec["seeds"]) == 2


def test_temporal_model_must_be_one_the_selector_declares(contacts):
    p = run("seeds", str(contacts), "--temporal", "-k", "2", "-a", "random", "--model", "ic")
    assert_one_line_error(p, "--model", "'random'", "(si)", "'ic'")
    rec = json.loads(run("seeds", str(contacts), "--temporal", "-k", "2", "-a", "random",
                         "--model", "si", "--snapshots", "4", "--beta", "0.2", "--rng", "1",
                         "--evaluate", "200", check_rc=0).stdout)
    assert rec["config"]["model"] == "si"


def test_structural_heuristic_takes_no_model_but_the_default(graph_file):
    assert_one_line_error(run("seeds", str(graph_file), "-k", "1", "-a", "degree", "--model",
                              "lt"), "--model", "'degree'", "none", "'lt'")
    rec = json.loads(run("seeds", str(graph_file), "-k", "1", "-a", "degree", "--model", "ic",
                         check_rc=0).stdout)
    assert rec["seeds"] and rec["config"]["model"] == "ic"


def _ic_only(G, k, *, model="ic", rng=None):
    """A selector that declares only the IC model (test double)."""
    from infmax.algorithms import degree

    res = degree(G, k, rng=rng)
    return res


def test_model_the_selector_does_not_declare(graph_file, scratch_registry, capsys):
    """A registered selector's ``models`` metadata decides which --model it accepts."""
    from infmax.cli import main

    scratch_registry.register(_ic_only, name="test-ic-only", models=("ic",))
    assert main(["seeds", str(graph_file), "-k", "1", "-a", "test-ic-only", "--model", "lt",
                 "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'--model'" in err[0] and "'test-ic-only'" in err[0]
    assert "(ic)" in err[0] and "'lt'" in err[0]
    assert main(["seeds", str(graph_file), "-k", "1", "-a", "test-ic-only", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["config"]["algorithm"] == "test-ic-only"


def test_a_registered_selector_is_usable_from_the_cli(graph_file, scratch_registry, capsys):
    """Registration is all it takes: the name, an alias and the listing see it."""
    from infmax.cli import main

    scratch_registry.register(_ic_only, name="test-ic-only", models=("ic",),
                              aliases=("tio",))
    assert main(["seeds", str(graph_file), "-k", "2", "-a", "tio", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["algorithm"] == "degree"
    assert main(["algorithms", "list", "--input", "graph"]) == 0
    assert "test-ic-only" in capsys.readouterr().out


# -- dispatch ----------------------------------------------------------------------------------
def test_experiment_without_a_name():
    assert_one_line_error(run("experiment"), "choose one of", "org-boundaries", "bopim",
                          "aditum", "iminfector")


def test_record_config_holds_no_dispatch_fields(graph_file):
    rec = json.loads(run("spread", str(graph_file), "--seeds", "0", "--simulations", "50",
                         "--rng", "1", check_rc=0).stdout)
    assert not {"handler", "command", "_compile"} & set(rec["config"])
    assert rec["config"]["model"] == "ic" and rec["model"] == "ic"


# -- one graph loader --------------------------------------------------------------------------
def test_org_boundaries_loads_through_the_cli_loader(tmp_path):
    """org-boundaries reads --graph / --dataset with the loader of seeds and spread."""
    out = tmp_path / "out"
    assert_one_line_error(run("experiment", "org-boundaries", "--dataset", "no-such-graph",
                              "--output", str(out)), "--dataset", "'no-such-graph'",
                          "registered: ")
    assert_one_line_error(run("experiment", "org-boundaries", "--graph",
                              str(tmp_path / "missing.txt"), "--output", str(out)),
                          "'--graph'", "existing file", "missing.txt")
    assert not out.exists()


def test_load_graph_reads_files_and_datasets_alike(graph_file):
    from infmax.cli._commands import load_graph

    G, info = load_graph(str(graph_file), func="t")
    assert (G.n, G.m, info["file"], info["weights"]) == (6, 6, str(graph_file), G.weighting)
    U, _ = load_graph(str(graph_file), weights="wc", directed=False, func="t")
    assert U.m == 12
    with pytest.raises(Exception, match="'--graph' parameter of t must be an existing file"):
        load_graph(str(graph_file) + ".nope", func="t", param="--graph", kind="file")
    with pytest.raises(Exception, match="'g.txt'? is not a registered dataset|not a registered"):
        load_graph(graph_file.name, func="t", param="--dataset", kind="dataset")
