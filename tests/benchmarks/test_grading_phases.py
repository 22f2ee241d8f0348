"""The phase table of `make bench` (benchmarks/grading_phases.py): a row for every phase the grader records, a column
per assignment. (That a real run records the phases: tests/grading/test_pipeline.py; this bench's own run grades
every assignment, which is `make bench`'s to do.)"""

from autograder.grade.phase_timing import COORDINATOR_PHASES, WORKER_PHASES
from benchmarks.grading_phases import COORDINATOR_ROWS, WORKER_ROWS, Phases, print_table


def test_every_phase_the_grader_records_has_its_row():
    assert tuple(WORKER_ROWS) == WORKER_PHASES
    grouped = [name for _, names in COORDINATOR_ROWS.values() for name in names]
    assert sorted(grouped + ["waiting", "other"]) == sorted(COORDINATOR_PHASES)  # waiting: the worker's own rows


def phases(assignment: str, scale: float) -> Phases:
    """Return made-up phases of one submission: each worker phase `scale` s, the coordinator's steps 0.25 s each."""
    worker = {name: scale for name in WORKER_PHASES}
    coordinator = {name: 0.25 for name in COORDINATOR_PHASES}
    total_worker = scale * len(WORKER_PHASES)
    return Phases(assignment, total_worker + 3.0, total_worker, worker, coordinator)


def test_the_table_has_a_column_per_assignment_and_adds_the_coordinator(capsys):
    print_table([phases("w1a1_conv_numpy", 0.5), phases("w2a1_resnets", 1.0)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| phase (s) | w1a1 | w2a1 |"
    assert len(lines) == 2 + len(WORKER_ROWS) + 1 + len(COORDINATOR_ROWS) + 2
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")[1:] for line in lines[2:]}
    phase_count = len(WORKER_PHASES)  # each 0.5 s in w1a1, 1 s in w2a1
    assert rows["**the worker, in all**"] == [f"{0.5 * phase_count:.2f}", f"{1.0 * phase_count:.2f} |"]
    # recording (2 steps), CSV and report (3), start (3): 2 s of the 3 s beyond the worker; the rest is 1 s
    assert rows["coordinator: the rest"] == ["1.00", "1.00 |"]
    assert rows["**grading one submission, in all**"] == [f"{0.5 * phase_count + 3:.2f}", f"{phase_count + 3:.2f} |"]
