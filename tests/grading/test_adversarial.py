"""Submissions that try to cheat or to break grading: none gains a point, the batch completes, every one has a row.

The attacks are in tests/grading/adversarial/: w1a1_attacks.py on an assignment, quiz_attacks.py on a weekly quiz
(answers that are plain values), each with the score it deserves; each suite is graded in one batch. The results
table in the README's instructor section is checked against this run.
"""

import re

import nbformat
import pytest

from autograder.course import ASSIGNMENTS, REPO, SOLUTIONS
from autograder.grade.coordinator import grade
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.limits import Limits
from tests.grading.adversarial import quiz_attacks, w1a1_attacks
from tests.support.attacks import Context

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bubblewrap() is None, reason="bubblewrap is not installed (make install installs it)"),
]
LIMITS = Limits(memory_bytes=3 * 1024**3, processes=256, cell_seconds=15, notebook_seconds=300, output_bytes=512 * 1024)


# Each suite: its assignment, its attacks, and the notebook of a base of its own (the quiz's "wrong").
SUITES = {
    w1a1_attacks.A: (w1a1_attacks.ATTACKS, None),
    quiz_attacks.Q: (quiz_attacks.ATTACKS, quiz_attacks.base_notebook),
}
PAIRS = [(assignment, attack) for assignment, (attacks, _) in SUITES.items() for attack in attacks]


def results_table(batches: dict) -> str:
    """Return the README's table: per suite, the attacks tried, points gained and submissions without a row."""
    lines = [
        "| assignment | attacks tried | points gained | batches crashed | submissions without a row |",
        "|---|---|---|---|---|",
    ]
    for assignment, (attacks, _) in SUITES.items():
        rows, expected = batches[assignment], {a.name: a.expected for a in attacks}
        gained = sum(max(0.0, rows[n].score - expected[n]) for n in expected if n in rows)
        lines.append(f"| {assignment} | {len(expected)} | {gained:g} | 0 | {len(set(expected) - set(rows))} |")
    return "\n".join(lines)


def base_notebook(assignment: str, base: str, own_base):
    """Return the notebook an attack edits: the release, the instructor notebook, or a base of its suite's own."""
    if base in ("release", "solution"):
        folder = ASSIGNMENTS if base == "release" else SOLUTIONS
        return nbformat.read(folder / assignment / f"{assignment}.ipynb", as_version=4)
    return own_base(base)


def grade_suite(assignment: str, root) -> dict:
    """Grade one suite's attacks in one batch; return {attack name: Row}."""
    attacks, own_base = SUITES[assignment]
    subs, out = root / "subs", root / "out"
    context = Context(out=str(out))
    for attack in attacks:
        made = attack.edit(base_notebook(assignment, attack.base, own_base), context)
        (subs / attack.name).mkdir(parents=True)
        target = subs / attack.name / f"{assignment}.ipynb"
        target.write_text(made) if isinstance(made, str) else nbformat.write(made, target)
    rows = grade(assignment, subs, out, limits=LIMITS, progress=False)  # returning at all is "the batch completed"
    return {r.student_id: r for r in rows}


class Batches(dict):
    """{assignment: {attack: Row}}, each suite graded once, when a test first asks for it (a -k selection of one
    suite grades only that one)."""

    def __init__(self, tmp_path_factory):
        super().__init__()
        self.tmp_path_factory = tmp_path_factory

    def __missing__(self, assignment: str) -> dict:
        self[assignment] = grade_suite(assignment, self.tmp_path_factory.mktemp(f"adversarial-{assignment}"))
        return self[assignment]


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    return Batches(tmp_path_factory)


def test_there_are_enough_attacks():
    assert len(w1a1_attacks.ATTACKS) >= 25 and len(quiz_attacks.ATTACKS) >= 10
    for attacks, _ in SUITES.values():
        assert len({a.name for a in attacks}) == len(attacks)


@pytest.mark.parametrize("assignment, attack", PAIRS, ids=[f"{s}-{a.name}" for s, a in PAIRS])
def test_no_attack_gains_a_point(batches, assignment, attack):
    row = batches[assignment][attack.name]
    assert row.score == attack.expected, f"{attack.what}: scored {row.score}, deserves {attack.expected} ({row.reason})"


def test_the_correct_solution_still_gets_full_marks_through_the_same_path(tmp_path):
    (tmp_path / "subs" / "honest").mkdir(parents=True)
    A = w1a1_attacks.A
    nbformat.write(
        nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4), tmp_path / "subs" / "honest" / f"{A}.ipynb"
    )
    rows = grade(A, tmp_path / "subs", tmp_path / "out", limits=LIMITS, progress=False)
    assert [(r.student_id, r.status, r.score) for r in rows] == [("honest", "graded", 14.0)]


def test_the_readme_table_reports_this_run(batches):
    table = results_table(batches)
    readme = (REPO / "README.md").read_text()
    assert table in readme, f"update the adversarial results table in README.md to:\n{table}"
    assert len(re.findall(r"\| \d+ \| 0 \| 0 \| 0 \|", table)) == len(SUITES)
