"""RIS progress: every phase is labelled and sampling advances the bar per kernel call."""

import numpy as np
import pytest

import infmax as im


@pytest.mark.parametrize("algo, phases", [
    ("imm", ["imm: estimating OPT, round 1", "imm: final sample", "imm: final selection"]),
    ("tim_plus", ["tim+: estimating KPT, round 1", "tim+: refining KPT", "tim+: final sample",
                  "tim+: final selection"]),
    ("opim_c", ["opim-c: round 1, sampling", "opim-c: round 1, greedy and bounds"]),
])
def test_every_phase_is_shown(algo, phases, capsys, monkeypatch):
    monkeypatch.delenv("INFMAX_PROGRESS", raising=False)
    r = np.random.default_rng(0)
    G = im.from_edges(r.integers(0, 300, 1500), r.integers(0, 300, 1500), weights="wc")
    quiet = getattr(im, algo)(G, 5, epsilon=0.5, rng=1, progress=False)
    capsys.readouterr()
    loud = getattr(im, algo)(G, 5, epsilon=0.5, rng=1, progress=True)
    err = capsys.readouterr().err
    for p in phases:
        assert p in err, (p, err[-500:])
    assert loud.seeds == quiet.seeds          # progress never changes the result


def test_sampling_advances_the_bar_by_finished_sets():
    from infmax._progress import Progress
    from infmax.sampling import RRSets

    G = im.from_edges(np.arange(99), np.arange(1, 100), weights=0.5)
    bar = Progress(None, "t", enabled=False)
    bar.phase("sampling", 5000)
    R = RRSets(G, "ic", None, 3)
    R.add(5000, progress=bar)
    assert bar.count == 5000 and R.n_sets == 5000
