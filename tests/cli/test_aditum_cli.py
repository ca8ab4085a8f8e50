"""``infmax seeds`` with the targeted options (aditum, ris-u/w, degd-u/w): the record has the
seeds, the capital and the diversity and agrees with the Python call; bad values exit 2 with
one line naming the option."""

from __future__ import annotations

import json

import numpy as np
import pytest

import infmax as im
from conftest import assert_one_line_error, run, shared_data_dir
from infmax.cli._record import validate
from infmax.targeted import read_profiles

needs_data = pytest.mark.skipif(shared_data_dir() is None, reason="INFMAX_DATA_DIR not set")

EDGES = "0 1\n0 2\n1 2\n1 3\n2 3\n3 4\n4 0\n2 5\n5 6\n6 2\n6 7\n7 8\n8 6\n"
PROFILES = ("0 rock young\n1 jazz old\n2 rock old\n3 pop young\n4 jazz young\n"
            "5 pop old\n6 rock young\n7 jazz old\n8 pop young\n")
SCORES = "3 0.9\n4 0.8\n5 0.1\n7 1.0\n8 0.5\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "g.txt").write_text(EDGES)
    (tmp_path / "p.txt").write_text(PROFILES)
    (tmp_path / "s.txt").write_text(SCORES)
    return tmp_path


def _seeds(files, *argv):
    p = run("seeds", str(files / "g.txt"), "-k", "2", "--rng", "3", *argv, check_rc=0)
    return json.loads(p.stdout)


@pytest.mark.parametrize("diversity", ["attribute", "hamming", "entropy", "class"])
def test_aditum_record_matches_python(files, diversity):
    rec = _seeds(files, "-a", "aditum", "--scores", str(files / "s.txt"), "--top", "40%",
                 "--profiles", str(files / "p.txt"), "--diversity", diversity,
                 "--alpha", "0.5", "--radius", "1", "--epsilon", "0.5")
    G = im.read_edgelist(files / "g.txt")
    scores = im.graph.read_node_values(files / "s.txt", G)
    res = im.aditum(G, 2, scores=scores, top="40%", profiles=read_profiles(files / "p.txt", G),
                    diversity=diversity, alpha=0.5, radius=1, epsilon=0.5, rng=3)
    assert rec["seeds"] == list(res.seeds)
    assert rec["capital"]["mean"] == pytest.approx(res.record["capital"])
    assert rec["capital"]["stderr"] == pytest.approx(res.record["capital_stderr"])
    assert rec["diversity"] == pytest.approx(res.record["diversity"])
    assert rec["config"]["diversity"] == diversity and rec["config"]["top"] == "40%"
    validate(rec)                                  # record.schema.json


def test_score_sources_and_lurkerrank_lt_weights(files):
    G = im.read_edgelist(files / "g.txt")
    lr = im.lurkerrank(G)
    rec = _seeds(files, "-a", "aditum", "--scores", "lurkerrank", "--tau", "0.5", "--model",
                 "lt", "--profiles", "synthetic:m=3,v=2,dist=exp,seed=4", "--alpha", "0.3",
                 "--epsilon", "0.5")
    res = im.aditum(lr.graph, 2, scores=lr.scaled, tau=0.5, model="lt",
                    profiles="synthetic:m=3,v=2,dist=exp,seed=4", alpha=0.3, epsilon=0.5,
                    rng=3)
    assert rec["seeds"] == list(res.seeds)
    assert rec["capital"]["mean"] == pytest.approx(res.record["capital"])
    assert rec["config"]["weights"] == "lurkerrank"
    rec = _seeds(files, "-a", "aditum", "--scores", "indegree", "--top", "0.3", "--alpha", "1")
    res = im.aditum(G, 2, scores=G.in_degree.astype(float), top=0.3, alpha=1.0, rng=3)
    assert rec["seeds"] == list(res.seeds) and rec["diversity"] is None
    rec = _seeds(files, "-a", "aditum", "--scores", "uniform", "--alpha", "1")
    assert rec["capital"]["mean"] == pytest.approx(
        im.aditum(G, 2, alpha=1.0, rng=3).record["capital"])


@pytest.mark.parametrize("algo", ["ris-u", "ris-w", "degd-u", "degd-w"])
def test_competitors_from_the_cli(files, algo):
    extra = ["--gamma", "0.7"] if algo.startswith("degd") else ["--alpha", "0.4",
                                                                 "--epsilon", "0.5"]
    rec = _seeds(files, "-a", algo, "--profiles", str(files / "p.txt"), *extra)
    assert rec["algorithm"] == algo and len(rec["seeds"]) == 2
    assert rec["diversity"] > 0
    assert ("capital" in rec) == algo.startswith("ris")


@needs_data
def test_movielens_genres(tmp_path):
    p = run("seeds", "movielens", "-k", "3", "--rng", "1", "-a", "aditum", "--profiles",
            "genres:bins=4", "--diversity", "entropy", "--epsilon", "0.5", check_rc=0)
    rec = json.loads(p.stdout)
    assert rec["graph"]["n"] == 943 and rec["graph"]["m"] == 229_677
    assert len(rec["seeds"]) == 3 and rec["diversity"] > 0 and rec["capital"]["mean"] > 0


@pytest.mark.parametrize("argv, needles", [
    (["-a", "aditum", "--diversity", "cosine"], ["'--diversity'", "cosine"]),
    (["-a", "aditum", "--alpha", "1.5"], ["'--alpha'", "[0, 1]"]),
    (["-a", "degd-u", "--gamma", "-0.1"], ["'--gamma'", "[0, 1]"]),
    (["-a", "aditum", "--radius", "-1"], ["'--radius'", ">= 0"]),
    (["-a", "aditum", "--top", "0%"], ["'--top'", "25%"]),
    (["-a", "aditum", "--top", "lots"], ["'--top'", "lots"]),
    (["-a", "aditum", "--scores", "nofile.txt"], ["'--scores'", "lurkerrank"]),
    (["-a", "aditum", "--profiles", "synth:m=2"], ["'--profiles'", "synthetic:"]),
    (["-a", "aditum", "--profiles", "genres:q=3"], ["'--profiles'", "genres:bins=Q"]),
    (["-a", "aditum", "--profiles", "synthetic:m=2"], ["'profiles'", "synthetic:"]),
    (["-a", "imm", "--alpha", "0.5"], ["'--alpha'", "does not apply", "imm"]),
    (["-a", "degd-u", "--scores", "uniform", "--profiles", "synthetic:m=2,v=2"],
     ["'--scores'", "does not apply", "degd-u"]),
    (["-a", "aditum", "--tau", "0.5", "--top", "20%"], ["--top", "--tau"]),
])
def test_bad_values_exit_2_naming_the_option(files, argv, needles):
    p = run("seeds", str(files / "g.txt"), "-k", "2", *argv)
    assert_one_line_error(p, *needles)


def test_targeted_options_rejected_with_temporal(tmp_path):
    f = tmp_path / "c.txt"
    rng = np.random.default_rng(0)
    f.write_text("".join(f"{t} {i} {i + 1}\n" for t, i in
                         zip(range(0, 200, 10), rng.integers(0, 5, 20))))
    p = run("seeds", str(f), "-k", "1", "--temporal", "--profiles", "synthetic:m=2,v=2")
    assert_one_line_error(p, "'--profiles'", "--temporal")
