"""Submissions that try to cheat or to break grading: none gains a point, the batch completes, every one has a row.

The attacks are in tests/adversarial/w1a1_attacks.py, each with the score it deserves. The results
table in the README's instructor section is checked against this run.
"""

import re

import nbformat
import pytest

from autograder.course import ASSIGNMENTS, REPO, SOLUTIONS
from autograder.grade.coordinator import grade
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.limits import Limits
from tests.grading.adversarial.w1a1_attacks import ATTACKS, A, Context

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bubblewrap() is None, reason="bubblewrap is not installed (make install installs it)"),
]
LIMITS = Limits(memory_bytes=3 * 1024**3, processes=256, cell_seconds=15, notebook_seconds=300, output_bytes=512 * 1024)


def results_table(rows: dict, expected: dict) -> str:
    gained = sum(max(0.0, rows[n].score - expected[n]) for n in expected if n in rows)
    return "\n".join(
        [
            "| attacks tried | points gained | batches crashed | submissions without a row |",
            "|---|---|---|---|",
            f"| {len(expected)} | {gained:g} | 0 | {len(set(expected) - set(rows))} |",
        ]
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("adversarial")
    subs, out = root / "subs", root / "out"
    context = Context(out=str(out))
    for attack in ATTACKS:
        base = (ASSIGNMENTS if attack.base == "release" else SOLUTIONS) / A / f"{A}.ipynb"
        made = attack.edit(nbformat.read(base, as_version=4), context)
        (subs / attack.name).mkdir(parents=True)
        target = subs / attack.name / f"{A}.ipynb"
        target.write_text(made) if isinstance(made, str) else nbformat.write(made, target)
    rows = grade(A, subs, out, limits=LIMITS, progress=False)  # returning at all is "the batch completed"
    return {r.student_id: r for r in rows}


def test_there_are_enough_attacks():
    assert len(ATTACKS) >= 25 and len({a.name for a in ATTACKS}) == len(ATTACKS)


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_no_attack_gains_a_point(batch, attack):
    row = batch[attack.name]
    assert row.score == attack.expected, f"{attack.what}: scored {row.score}, deserves {attack.expected} ({row.reason})"


def test_the_correct_solution_still_gets_full_marks_through_the_same_path(tmp_path):
    (tmp_path / "subs" / "honest").mkdir(parents=True)
    nbformat.write(
        nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4), tmp_path / "subs" / "honest" / f"{A}.ipynb"
    )
    rows = grade(A, tmp_path / "subs", tmp_path / "out", limits=LIMITS, progress=False)
    assert [(r.student_id, r.status, r.score) for r in rows] == [("honest", "graded", 14.0)]


def test_the_readme_table_reports_this_run(batch):
    table = results_table(batch, {a.name: a.expected for a in ATTACKS})
    readme = (REPO / "README.md").read_text()
    assert table in readme, f"update the adversarial results table in README.md to:\n{table}"
    assert re.search(r"\| \d+ \| 0 \| 0 \| 0 \|", table)
