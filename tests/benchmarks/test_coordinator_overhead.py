"""The coordinator-overhead harness of `make bench` (benchmarks/coordinator_overhead.py): each kind of fail-fast
submission gets its row through the real grader, and the table's rule flags a cost that grows with the class."""

from collections import Counter

import pytest

from autograder.intake.notebook_files import read_notebook
from benchmarks import coordinator_overhead
from benchmarks.coordinator_overhead import KINDS, Overhead, make_class, over_budget


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_every_fail_fast_submission_gets_its_row(kind):
    run = coordinator_overhead.measure(kind, 3)
    assert run.rows == 3 and run.statuses == Counter({"invalid": 3})
    assert run.phases["zero_grades" if kind == "not JSON" else "recording"] > 0
    assert 0 < run.own_ms <= run.per_submission_ms and run.cpu_ms > 0


def test_each_kind_fails_for_its_own_reason(tmp_path):
    make_class(tmp_path / "damaged", "not JSON", 1)
    make_class(tmp_path / "newer", "newer metadata", 1)
    _, damaged = read_notebook(next((tmp_path / "damaged").rglob("*.ipynb")))
    text, newer = read_notebook(next((tmp_path / "newer").rglob("*.ipynb")))
    assert "not valid JSON" in damaged
    assert newer is None and '"schema_version": 99' in text  # a readable notebook: the worker turns it away
    with pytest.raises(ValueError, match="not a kind"):
        make_class(tmp_path / "other", "empty", 1)


def run(kind: str, submissions: int, own_ms: float, rows: int | None = None, cpu_ms: float | None = None) -> Overhead:
    """Return a made-up timing whose coordinator's own time is `own_ms` per submission (its CPU time too, unless
    `cpu_ms` says)."""
    seconds = own_ms * submissions / 1000
    cpu = (own_ms if cpu_ms is None else cpu_ms) * submissions / 1000
    return Overhead(kind, submissions, seconds, {}, Counter({"invalid": submissions if rows is None else rows}), cpu)


def test_a_flat_cheap_run_is_within_budget():
    assert over_budget([run("not JSON", 200, 30.0), run("not JSON", 2000, 32.0)]) == []


def test_a_cost_that_grows_with_the_class_is_over_budget():
    problems = over_budget([run("not JSON", 200, 20.0), run("not JSON", 2000, 40.0)])
    assert len(problems) == 1 and "more than 20.0 ms at 200" in problems[0]


def test_a_slow_large_class_and_a_missing_row_are_over_budget():
    problems = over_budget([run("newer metadata", 200, 60.0), run("newer metadata", 2000, 55.0, rows=1999)])
    assert any("55.0 ms per submission at 2000" in p for p in problems)
    assert any("1999 rows for 2000 submissions" in p for p in problems)


def test_the_kind_that_shares_the_cores_with_workers_is_held_to_its_cpu_time():
    shared = [run("newer metadata", 200, 90.0, cpu_ms=20.0), run("newer metadata", 2000, 80.0, cpu_ms=21.0)]
    alone = [run("not JSON", 200, 90.0, cpu_ms=20.0), run("not JSON", 2000, 80.0, cpu_ms=21.0)]
    assert over_budget(shared) == []
    assert over_budget(alone) == ["not JSON: 80.0 ms per submission at 2000"]
