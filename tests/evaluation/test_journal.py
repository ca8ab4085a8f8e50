import csv

import pytest

from infmax.evaluation.journal import Journal, read_rows, write_rows
from infmax.exceptions import InvalidParameterError

COLS = ("dataset", "method", "k", "dni")
KEY = ("dataset", "method", "k")


def test_resume_keeps_rows_and_knows_done(tmp_path):
    with Journal(tmp_path, {"a": 1}, columns=COLS, key=KEY) as j:
        j.append([{"dataset": "x", "method": "m", "k": 5, "dni": 1.5}])
        assert j.done("x", "m", 5) and not j.done("x", "m", 10)
    with Journal(tmp_path, {"a": 1}, columns=COLS, key=KEY) as j:
        assert j.done("x", "m", 5)
        assert j.rows == [{"dataset": "x", "method": "m", "k": "5", "dni": "1.5"}]
        j.append([{"dataset": "x", "method": "m", "k": 10, "dni": 2}])
    assert len(read_rows(tmp_path / "rows.csv", COLS)) == 2


def test_torn_last_line_is_dropped(tmp_path):
    with Journal(tmp_path, {"a": 1}, columns=COLS, key=KEY) as j:
        j.append([{"dataset": "x", "method": "m", "k": 5, "dni": 1}])
    with open(tmp_path / "rows.csv", "a") as f:
        f.write("x,m,10")  # crash mid-write: no newline
    with Journal(tmp_path, {"a": 1}, columns=COLS, key=KEY) as j:
        assert j.done("x", "m", 5) and not j.done("x", "m", 10)
    with open(tmp_path / "rows.csv") as f:
        assert len(list(csv.reader(f))) == 2  # header + the one finished row


def test_other_settings_are_refused_unless_not_resuming(tmp_path):
    Journal(tmp_path, {"a": 1}, columns=COLS, key=KEY).close()
    with pytest.raises(InvalidParameterError, match="'output'.*a differ"):
        Journal(tmp_path, {"a": 2}, columns=COLS, key=KEY)
    with Journal(tmp_path, {"a": 2}, columns=COLS, key=KEY, resume=False) as j:
        assert j.rows == []


def test_foreign_columns_and_bad_key(tmp_path):
    write_rows(tmp_path / "rows.csv", [{"x": 1}], ("x",))
    (tmp_path / "config.json").write_text('{"a": 1}')
    with pytest.raises(InvalidParameterError, match="not written by this version"):
        Journal(tmp_path, {"a": 1}, columns=COLS, key=KEY)
    with pytest.raises(InvalidParameterError, match="'key'"):
        Journal(tmp_path / "n", {}, columns=COLS, key=("nope",))


def test_append_after_close_is_an_error(tmp_path):
    j = Journal(tmp_path, {}, columns=COLS, key=KEY)
    j.close()
    j.close()
    with pytest.raises(InvalidParameterError, match="closed"):
        j.append([])


def test_run_journals_each_unit_and_leaves_a_given_executor_open(tmp_path):
    class Given:
        closed = False

        def map(self, fn, items):
            return map(fn, items)

        def close(self):
            self.closed = True

    seen = []
    with Journal(tmp_path, {}, columns=COLS, key=KEY) as j:
        units = [5, 10]
        rows = lambda k: [{"dataset": "x", "method": "m", "k": k, "dni": k / 2}]  # noqa: E731
        assert j.run(rows, units, report=lambda i, u, r: seen.append((i, u, r[0]["k"]))) \
            .startswith("LocalExecutor")
        given = Given()
        j.run(lambda k: rows(k + 1), units, executor=given)
        assert not given.closed
        assert j.done("x", "m", 5) and j.done("x", "m", 11)
    assert seen == [(0, 5, 5), (1, 10, 10)]
    assert len(read_rows(tmp_path / "rows.csv", COLS)) == 4


def test_run_stops_at_an_interrupt_with_the_finished_units_journaled(tmp_path):
    def unit(k):
        if k == 3:
            raise KeyboardInterrupt
        return [{"dataset": "x", "method": "m", "k": k, "dni": 1}]

    with Journal(tmp_path, {}, columns=COLS, key=KEY) as j:
        with pytest.raises(KeyboardInterrupt):
            j.run(unit, [1, 2, 3, 4])
    assert [r["k"] for r in read_rows(tmp_path / "rows.csv", COLS)] == ["1", "2"]
