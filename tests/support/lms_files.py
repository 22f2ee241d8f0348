"""The documented rules of Canvas's and Moodle's grade-import CSV files (autograder/grade/exports.py lists them),
read as checks: each function returns how a file breaks them, in sentences. Used by the exports' tests and the
exchange round trip."""

import csv
import io

__all__ = ["canvas_rule_violations", "moodle_rule_violations"]


def canvas_rule_violations(text: str) -> list[str]:
    """Return how `text` breaks Canvas's documented rules for a gradebook import, as sentences."""
    table = list(csv.reader(io.StringIO(text, newline="")))
    problems = []
    if table[0][:5] != ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]:
        problems.append(f"the first five columns are {table[0][:5]}")
    if len(table[0]) < 6 or not all(table[0][5:]):
        problems.append("no assignment column, or one without a header")
    if not table[1][0].strip().startswith("Points Possible") or any(table[1][1:5]):
        problems.append(f"the second row is not the points row: {table[1]}")
    points = [float(p) for p in table[1][5:]]
    for row in table[2:]:
        if len(row) != len(table[0]):
            problems.append(f"{row}: {len(row)} fields for {len(table[0])} columns")
        if not any(row[1:4]):
            problems.append(f"{row}: no ID, SIS User ID or SIS Login ID to find the student by")
        for score, most in zip(row[5:], points):
            if score and not 0 <= float(score) <= most:
                problems.append(f"{row}: score {score} out of 0..{most}")
    return problems


def moodle_rule_violations(text: str, grade_column: str, max_grade: float) -> list[str]:
    """Return how `text` breaks Moodle's documented rules for a CSV grade import, as sentences."""
    table = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in table[0]]
    problems = []
    if len(set(header)) != len(header):
        problems.append(f"repeated column names: {header}")
    if "Username" not in header and "Email address" not in header:
        problems.append("no column to map users from")
    if grade_column not in header or f"{grade_column} feedback" not in header:
        problems.append("the grade column and its feedback column must come together")
        return problems
    at = header.index(grade_column)
    for row in table[1:]:
        if len(row) != len(header):
            problems.append(f"{row}: {len(row)} fields for {len(header)} columns")
        elif row[at] not in ("", "-") and not 0 <= float(row[at]) <= max_grade:
            problems.append(f"{row}: grade {row[at]} above the item's maximum {max_grade}")
        if "," in row[at]:
            problems.append(f"{row}: a decimal comma")
    return problems
