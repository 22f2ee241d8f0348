"""The coordinator's bookkeeping grows by the same amount for every submission, counted rather than timed (its
time per submission is `make bench`'s: BENCH_ONLY=overhead).

Three classes of fail-fast submissions (2, 4 and 8 of each kind: turned away at intake, and by the worker before
any kernel) go through the real grade(), which counts in this process how often nbgrader's gradebook is opened,
the SQL statements sent, the gradebook rows loaded, and the files of the run written; and SQLite says how it runs
each query. A gradebook opened per student, a query per student that reads the whole class (loading its rows, or
scanning a table without an index), grades.csv written per student: each would break one of these. The workers
run in processes of their own and are not counted.
"""

import dataclasses
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import nbgrader.api
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from autograder.grade import coordinator, records, saved_results
from autograder.grade.coordinator import grade
from benchmarks.coordinator_overhead import ASSIGNMENT, make_class

pytestmark = pytest.mark.slow
SIZES = (2, 4, 8)


@dataclass
class Counts:
    """What one grading run did, counted: nbgrader's gradebook opened, SQL statements, rows loaded, files written;
    and where it wrote."""

    opens: int = 0
    statements: int = 0
    loads: int = 0
    written: Counter = field(default_factory=Counter)  # file name -> times written
    queries: dict = field(default_factory=dict)  # each SELECT sent -> its parameters (one example)
    out: Path | None = None


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[int, Counts]:
    """Grade each class size once, counting; return {size: Counts}."""
    counting = Counts()
    opening = nbgrader.api.Gradebook.__init__

    def counted_open(gb, *args, **kwargs):
        counting.opens += 1
        opening(gb, *args, **kwargs)

    def counted_writer(write):
        def counted_write(path, data):
            counting.written[path.name] += 1
            write(path, data)

        return counted_write

    def statement(_connection, _cursor, sql, parameters, _context, executemany):
        counting.statements += 1
        if sql.lstrip().upper().startswith("SELECT") and not executemany:
            counting.queries.setdefault(sql, parameters)

    def load(*_args):
        counting.loads += 1

    found = {}
    event.listen(Engine, "before_cursor_execute", statement)
    event.listen(nbgrader.api.Base, "load", load, propagate=True)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(nbgrader.api.Gradebook, "__init__", counted_open)
            for module in (coordinator, records, saved_results):
                patch.setattr(module, "write_whole", counted_writer(module.write_whole))
            for size in SIZES:
                root = tmp_path_factory.mktemp(f"class-of-{size}")
                make_class(root / "subs", "not JSON", size, prefix="damaged")
                make_class(root / "subs", "newer metadata", size, prefix="newer")
                counting.__init__()  # counted afresh: the listeners above hold this object
                rows = grade(ASSIGNMENT, root / "subs", root / "out", workers=1, progress=False, similarity=False)
                assert len(rows) == 2 * size and {row.status for row in rows} == {"invalid"}
                found[size] = dataclasses.replace(
                    counting, written=Counter(counting.written), queries=dict(counting.queries), out=root / "out"
                )
    finally:
        event.remove(Engine, "before_cursor_execute", statement)
        event.remove(nbgrader.api.Base, "load", load)
    return found


def test_the_gradebook_is_opened_once_per_run_whatever_the_class(runs):
    assert {size: counts.opens for size, counts in runs.items()} == {size: 1 for size in SIZES}


def grows_evenly(counts: dict[int, int]) -> bool:
    """Return whether a count grows by the same amount for every submission between the sizes (each twice the one
    before: the second step adds twice what the first did)."""
    small, middle, large = (counts[size] for size in SIZES)
    return (large - middle) == 2 * (middle - small) and middle > small


def test_every_submission_adds_the_same_number_of_statements(runs):
    statements = {size: counts.statements for size, counts in runs.items()}
    assert grows_evenly(statements), statements


def test_every_submission_adds_the_same_number_of_gradebook_rows_loaded(runs):
    loads = {size: counts.loads for size, counts in runs.items()}
    assert grows_evenly(loads), loads


def test_the_csv_and_the_report_are_written_once_and_each_result_once(runs):
    for size, counts in runs.items():
        assert counts.written["grades.csv"] == 1 and counts.written["report.html"] == 1, counts.written
        # the worker's outcomes of the "newer metadata" half: saved once each (the others never reach a worker)
        results = sum(n for name, n in counts.written.items() if name.startswith("newer") and name.endswith(".json"))
        assert results == size, counts.written


def test_the_gradebook_is_one_file_again_after_the_run(runs):
    out = runs[SIZES[-1]].out  # written in write-ahead-log mode during the run (autograder/gradebook.py)
    with closing(sqlite3.connect(out / "gradebook.db")) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(path.name for path in out.glob("gradebook.db*")) == ["gradebook.db"]


GROWING = ("student", "submitted_assignment", "submitted_notebook", "grade", "comment")  # a row or more per student


def test_no_query_scans_a_table_that_grows_with_the_class(runs):
    largest = runs[SIZES[-1]]
    assert largest.queries, "no query was sent"
    scans = {}
    with closing(sqlite3.connect(largest.out / "gradebook.db")) as connection:
        for sql, parameters in largest.queries.items():
            plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)]
            # "SCAN grade" reads every student's grades; "SEARCH grade USING INDEX ..." only this one's
            full = [step for step in plan if step.split()[:2] in (["SCAN", table] for table in GROWING)]
            full = [step for step in full if "USING" not in step]
            if full:
                scans[sql[:200]] = full
    assert not scans, scans
