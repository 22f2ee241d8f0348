"""What `make grade` prints when it is done: the scores, the failures per function (a quiz's: per question), the
submissions that were not graded, and where the files are, in a few lines of text (the class report says more)."""

import re
from collections import Counter
from pathlib import Path

from tabulate import tabulate

from autograder.grade.records import Row, points_text

MAX_STUDENT_LINES = 40  # a class larger than this is summed up in grades.csv and report.html
MESSAGE_WIDTH = 90


def short_message(failure: str) -> str:
    """Return a failure ("test_x: AssertionError: message (hidden test case: ...)") as its message alone, cut to
    MESSAGE_WIDTH characters."""
    message = failure.split(":", 1)[1].strip() if ":" in failure else failure
    message = re.sub(r"^(AssertionError|CheckFailure): ", "", message)
    message = re.sub(r"\s*\(hidden test case:.*", "", message)  # the case's details differ from one student to another
    return message if len(message) <= MESSAGE_WIDTH else message[: MESSAGE_WIDTH - 3] + "..."


def score_table(rows: list[Row], max_score: float) -> str:
    """Return one line per student (at most MAX_STUDENT_LINES): score, status and the functions that failed."""
    lines = [
        [
            row.student_id,
            f"{points_text(row.score)} / {points_text(max_score)}",
            row.status,
            ", ".join(row.failed_functions()),
        ]
        for row in rows[:MAX_STUDENT_LINES]
    ]
    table = tabulate(lines, headers=["student", "score", "status", "failed"], tablefmt="simple")
    if len(rows) > MAX_STUDENT_LINES:
        table += f"\n... and {len(rows) - MAX_STUDENT_LINES} more students (grades.csv has them all)"
    return table


def failure_table(rows: list[Row], cells: list[tuple[str, float]], unit: str = "function") -> str:
    """Return one line per graded function that failed somewhere: how many graded submissions failed it, and its
    most common message."""
    graded = [row for row in rows if row.status == "graded"]
    lines = []
    for name, _ in cells:
        messages = Counter(short_message(f) for row in graded for f in row.failures if f.split(":", 1)[0] == name)
        if messages:
            message, _ = messages.most_common(1)[0]
            lines.append([name.removeprefix("test_"), f"{sum(messages.values())} of {len(graded)}", message])
    if not lines:
        return ""
    return tabulate(lines, headers=[unit, "failed", "most common message"], tablefmt="simple")


def student_failures(row: Row, unit: str = "function") -> str:
    """Return one student's failed functions, each with its message, as a table (for the students regraded)."""
    lines = [[failure.split(":", 1)[0].removeprefix("test_"), short_message(failure)] for failure in row.failures]
    return tabulate(lines, headers=[unit, "message"], tablefmt="simple")


def summarize(
    assignment: str,
    rows: list[Row],
    cells: list[tuple[str, float]],
    out: Path,
    detail: tuple[str, ...] = (),
    unit: str = "function",
) -> str:
    """Return the summary of a grading run (see the module's docstring); `detail`: students whose every failure is
    listed with its message (the ones an instructor grades again with --regrade); `unit`: what a test cell grades,
    "function" (an assignment) or "question" (a quiz)."""
    max_score = sum(points for _, points in cells)
    statuses = Counter(row.status for row in rows)
    counts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    mean = sum(row.score for row in rows) / len(rows) if rows else 0.0
    parts = [
        f"{assignment}: {len(rows)} submissions ({counts}); mean score {points_text(mean)} / {points_text(max_score)}"
    ]
    if rows:
        parts.append(score_table(rows, max_score))
    failures = failure_table(rows, cells, unit)
    if failures:
        parts.append(f"Failures per {unit}:\n" + failures)
    for row in rows:
        if row.student_id in detail and row.failures:
            parts.append(f"Failures of {row.student_id}:\n" + student_failures(row, unit))
    others = [[row.student_id, row.status, row.reason] for row in rows if row.status != "graded"]
    if others:
        parts.append("Not graded:\n" + tabulate(others, headers=["student", "status", "reason"], tablefmt="simple"))
    parts.append(f"report:   {out / 'report.html'}\ngrades:   {out / 'grades.csv'}\nfeedback: {out / 'feedback'}/")
    return "\n\n".join(parts)
