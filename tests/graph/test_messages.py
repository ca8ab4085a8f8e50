"""Messages print plain numbers (issue 8, item 18): ``nan`` and ``7``, never ``np.float64(nan)``
or ``np.int64(7)``, when the offending value comes out of a NumPy array."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import infmax as im
from infmax.exceptions import GraphFormatError, InfmaxError, UnknownNodeError
from infmax.graph import from_edges


def _message(call) -> str:
    with pytest.raises(InfmaxError) as e:
        call()
    msg = str(e.value)
    assert "np." not in msg and "float64" not in msg and "int64" not in msg, msg
    return msg


def test_from_edges_bad_probability_on_numpy_edges():
    msg = _message(lambda: from_edges(np.array([1, 2]), np.array([2, 3]),
                                      np.array([0.5, np.nan])))
    assert "Got nan on edge 2 -> 3." in msg
    msg = _message(lambda: from_edges(np.array(["a"]), np.array(["b"]), np.array([1.5])))
    assert "Got 1.5 on edge 'a' -> 'b'." in msg


@pytest.mark.parametrize("labels", [[0, 1], [5, 9], ["a", "b"]])
def test_unknown_numpy_label(labels):
    G = from_edges(labels[:1], labels[1:])
    msg = _message(lambda: G.node_ids(np.array([7])))
    assert "names node 7, which is not in the graph" in msg
    with pytest.raises(im.UnknownNodeError) as e:
        G.node_ids(np.array([7]))
    assert type(e.value.label) is int


def test_from_pandas_missing_value_row():
    df = pd.DataFrame({"source": [1, 2], "target": [2.0, np.nan]}, index=np.array([10, 11]))
    assert "has a missing value in row 11." in _message(lambda: im.graph.from_pandas(df))


def test_edge_file_probability_out_of_range(tmp_path):
    f = tmp_path / "g.txt"
    f.write_text("1 2 0.5\n2 3 1.5\n")
    with pytest.raises(GraphFormatError, match=r"line 2: probability outside \[0, 1\]: 1\.5$"):
        im.read_edgelist(f, weights="file")
    f.write_text("1 2 0.5\n2 3 -2\n")
    with pytest.raises(GraphFormatError, match=r"negative or NaN weight: -2\.0$"):
        im.read_edgelist(f, weights="file", merge="sum")


def test_temporal_messages_show_plain_numbers():
    import numpy as np
    import pytest

    from infmax.exceptions import InvalidParameterError
    from infmax.graph.temporal import TemporalGraph

    with pytest.raises(InvalidParameterError) as e:
        TemporalGraph.from_events([0, 1], [1, 2], [0.0, np.nan])
    assert "np.float64" not in str(e.value) and "nan" in str(e.value)
    with pytest.raises(InvalidParameterError) as e:
        TemporalGraph.from_events([0, 1], [1, 2], [0.0, 1.0], snapshots=np.int64(0))
    assert "np.int64" not in str(e.value)


def test_temporal_dataset_takes_max_memory(data_dir):
    import pytest

    import infmax as im
    from infmax.exceptions import MemoryLimitError

    with pytest.raises(MemoryLimitError, match="max_memory"):
        im.datasets.load("hospital", snapshots=10, max_memory=1000)


def test_with_labels_keeps_topology_and_checks_length():
    import numpy as np
    import pytest

    import infmax as im
    from infmax.exceptions import InvalidParameterError

    G = im.from_edges([0, 1], [1, 2], weights=0.5)
    H = G.with_labels(np.array(["a", "b", "c"], dtype=object))
    assert H.node_labels(H.out_neighbors(0)) == ["b"] and H.m == G.m
    assert np.array_equal(H.probs, G.probs)
    with pytest.raises(InvalidParameterError, match="'labels' parameter of DiGraph.with_labels"):
        G.with_labels(np.array(["a"]))


def test_unsorted_integer_labels_are_looked_up_by_value():
    # lookups used searchsorted over the labels, right only when they ascend
    G = im.graph.from_edges([0, 1, 2], [1, 2, 3], directed=True)
    H = G.with_labels(np.array([30, 10, 20, 5]))
    assert H.node_ids([30, 10, 20, 5, "20"]).tolist() == [0, 1, 2, 3, 2]
    with pytest.raises(UnknownNodeError, match="node 7"):
        H.node_ids([7])
    assert G.with_labels(np.array([5, 10, 20, 30])).node_ids([20]).tolist() == [2]
