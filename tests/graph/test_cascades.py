"""The Cascades collection: dedup, ids, graph sharing, subset, split_by_time, summary."""

import numpy as np
import pytest

import infmax as im
from infmax.exceptions import InvalidParameterError, UnknownNodeError
from infmax.graph.cascades import Cascades, split_by_time


def test_duplicates_dropped_first_kept_and_views():
    C = Cascades.from_lists([["a", "b", "a", "c", "b"], ["z"]], [[0, 1, 2, 3, 4], [9]])
    assert C.duplicates_dropped == 2
    assert C.node_labels(C[0].users) == ["a", "b", "c"]
    assert C[0].times.tolist() == [0, 1, 3]
    assert C.sizes.tolist() == [3, 1] and C.trainable.tolist() == [True, False]
    assert C.node_labels(C.initiators) == ["a", "z"] and C.start_times.tolist() == [0, 9]
    assert C[-1].initiator == C.node_ids(["z"])[0]
    with pytest.raises(UnknownNodeError, match="'labels'.*'q'"):
        C.node_ids(["q"])
    with pytest.raises(IndexError):
        C[2]


def test_bad_construction():
    with pytest.raises(InvalidParameterError, match="'offsets'.*empty"):
        Cascades.from_arrays([0, 1, 1], [1], [0.0])
    with pytest.raises(InvalidParameterError, match="'times'.*finite.*nan"):
        Cascades.from_arrays([0, 2], [1, 2], [0.0, float("nan")])


def test_with_graph_shares_ids_and_counts_absent_users():
    G = im.graph.from_edges([10, 11], [11, 12], directed=True, weights=0.1)
    C = Cascades.from_lists([[11, 12, 99], [10, 11]], [[0, 1, 2], [3, 4]], graph=G)
    assert C.labels[:G.n].tolist() == G.labels.tolist()
    assert C[0].users[:2].tolist() == G.node_ids([11, 12]).tolist()
    assert C.node_ids([99])[0] == G.n
    g = C.summary()["graph"]
    assert (g["users_in_graph"], g["users_not_in_graph"]) == (3, 1)


def test_subset_and_split_by_time():
    C = Cascades.from_lists([[1, 2], [3, 4], [5], [6, 7]], [[5, 6], [1, 2], [3], [9, 9]])
    tr, te = split_by_time(C, train=0.5)
    assert tr.node_labels(tr.initiators) == [3, 5] and te.node_labels(te.initiators) == [1, 6]
    sub = C.subset(np.array([True, False, False, True]))
    assert [sub.node_labels(c.users) for c in sub] == [[1, 2], [6, 7]]
    with pytest.raises(InvalidParameterError, match="'train'"):
        split_by_time(C, train=1.0)
    R = Cascades.from_lists([[1, 2], [3, 4]], [[0, 1], [0, 2]], relative_times=True)
    with pytest.raises(InvalidParameterError, match="relative"):
        split_by_time(R)
    R = Cascades.from_lists([[1, 2], [3, 4]], [[0, 1], [0, 2]], relative_times=True,
                            part=[1, 0])
    tr, te = split_by_time(R)
    assert tr.node_labels(tr.initiators) == [3] and te.node_labels(te.initiators) == [1]
