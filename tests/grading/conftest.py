"""The exchange round trip, made once per test session for the tests that read it (test_exchange.py,
test_feedback_pages.py): nbgrader's real exchange in a temporary folder, then `make grade` on what `collect` wrote.

Three students: ana submits w1a1_conv_numpy with every function right, ben with conv_forward missing its bias,
cara submits only w1a2_keras_apis. The instructor releases and collects both assignments, so collect's folder
holds each student's assignments side by side, and grades w1a1_conv_numpy with both exports.
"""

import csv
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.course import REPO
from tests.assignments.w1a1_conv_numpy import catalogue
from tests.support.exchange import Exchange, paste_answers
from tests.support.notebooks import solution_sources
from tests.support.variants import mistakes_for

A = "w1a1_conv_numpy"
OTHER = "w1a2_keras_apis"
BEN_MISTAKE = next(v for v in mistakes_for(catalogue, "conv_forward") if v.name == "forgets_bias")


@dataclass(frozen=True)
class RoundTrip:
    """What the round trip left: the exchange, collect's folder, the grading command's run and its output folder."""

    exchange: Exchange
    submitted: Path
    out: Path
    command: subprocess.CompletedProcess
    grades: dict[str, dict]  # grades.csv by student


@pytest.fixture(scope="session")
def exchange_round_trip(tmp_path_factory) -> RoundTrip:
    root = tmp_path_factory.mktemp("exchange")
    exchange = Exchange.create(root)
    for assignment in (A, OTHER):
        exchange.release(assignment)
    answers = solution_sources(A)
    paste_answers(exchange.fetch(A, "ana"), answers)
    paste_answers(exchange.fetch(A, "ben"), {**answers, "conv_forward": BEN_MISTAKE.source()})
    exchange.fetch(OTHER, "cara")
    for student, assignment in (("ana", A), ("ben", A), ("cara", OTHER)):
        exchange.submit(assignment, student)
    for assignment in (A, OTHER):
        submitted = exchange.collect(assignment)
    out = root / "graded"
    command = subprocess.run(
        ["make", "grade", f"ASSIGNMENT={A}", f"SUBMISSIONS={submitted}", f"OUT={out}", "EXPORT=canvas moodle"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert command.returncode == 0, f"make grade failed:\n{command.stdout}\n{command.stderr[-3000:]}"
    with (out / "grades.csv").open() as fh:
        grades = {row["student_id"]: row for row in csv.DictReader(fh)}
    return RoundTrip(exchange, submitted, out, command, grades)
