"""The instructor notebook of a weekly quiz (solutions/w<k>_quiz/w<k>_quiz.ipynb), written from its bank and draw.

`make assignments` writes it (and the draw, autograder.quizzes.draws) before nbgrader releases the student
notebook from it, as for every assignment; it is committed like the other instructor notebooks, and
`python -m autograder.release --check` names it when it is out of date. It opens, like every instructor notebook,
with the course-package cell (autograder.course_package: it installs the package in a kernel that lacks it, Colab's).
Each graded question has three cells:

- the question (markdown, locked): the prompt, its choices as letters, and the form of the answer;
- the answer cell (nbgrader solution cell `q07`): `answer_q07 = ...` with the key between the solution markers;
  a code question's data are given above the markers and the student's code sets `answer`;
- the test cell (`test_q07`, the question's points): the visible check of the answer's form, then the hidden
  part, which hands the answer to the grader (autograder.judging.quiz_answers judges it against the bank).

A notebook is plain data; nbformat writes it, and nothing here runs it.
"""

import nbformat

from autograder.course import SOLUTIONS
from autograder.course_package import CELL_ID, CELL_SOURCE
from autograder.quizzes.banks import choice_letters, correct_letters, load_bank, objective_ids
from autograder.quizzes.draws import graded_by_grade_id

__all__ = ["quiz_notebook", "notebook_path", "notebook_text"]

CHECKS = {"single": "check_choice", "multiple": "check_choices", "number": "check_number", "code": "check_number"}
KERNELSPEC = {"display_name": "Python 3 (CNN course)", "language": "python", "name": "cnnbook"}


def notebook_path(quiz: str):
    """Return the path of a quiz's instructor notebook."""
    return SOLUTIONS / quiz / f"{quiz}.ipynb"


def nbgrader_cell(kind: str, grade_id: str, source: str, points: int | None = None) -> nbformat.NotebookNode:
    """Return a cell with nbgrader's metadata: kind "markdown", "code" (locked), "answer" or "test"."""
    meta = {
        "grade": kind == "test",
        "grade_id": grade_id,
        "locked": kind != "answer",
        "schema_version": 3,
        "solution": kind == "answer",
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    cell = make(source=source.rstrip("\n"), metadata={"nbgrader": meta})
    cell["id"] = grade_id
    return cell


def answer_form(question: dict, variable: str) -> str:
    """Return the sentence that says in which form to answer a question (a pattern, never an example answer)."""
    if question["kind"] == "single":
        return f'Answer with the letter of one choice, in quotes: `{variable} = "<letter>"`.'
    if question["kind"] == "multiple":
        return f'Answer with the set of the letters you choose: `{variable} = {{"<letter>", "<letter>", ...}}`.'
    if question["kind"] == "number":
        return f"Answer with the number itself: `{variable} = <number>` (no quotes, no units)."
    return (
        f"The answer cell gives the data. Below them, compute the result with NumPy and store it in `answer` "
        f"(one number); the cell then copies it into `{variable}`."
    )


def question_markdown(number: int, question: dict, variable: str) -> str:
    """Return the markdown of one graded question: heading, prompt, choices, form of the answer."""
    points = question["points"]
    parts = [
        f"## Question {number} ({points} point{'s' if points != 1 else ''})",
        question["prompt"].strip(),
    ]
    if question["kind"] in ("single", "multiple"):
        parts.append(
            "\n".join(
                f"- **{letter}.** {choice['text'].strip()}"
                for letter, choice in zip(choice_letters(question), question["choices"])
            )
        )
    parts.append(answer_form(question, variable))
    return "\n\n".join(parts)


def key_literal(question: dict) -> str:
    """Return the key of a choice or number question as Python source."""
    if question["kind"] == "single":
        return repr(next(iter(correct_letters(question))))
    if question["kind"] == "multiple":
        return "{" + ", ".join(repr(letter) for letter in sorted(correct_letters(question))) + "}"
    return repr(question["answer"])


def answer_source(question: dict, variable: str) -> str:
    """Return the instructor's answer cell: the key between nbgrader's solution markers (after the data given)."""
    if question["kind"] != "code":
        return f"### BEGIN SOLUTION\n{variable} = {key_literal(question)}\n### END SOLUTION"
    return (
        f"{question['setup'].rstrip()}\n"
        "answer = None  # your code below sets it\n"
        f"### BEGIN SOLUTION\n{question['solution'].rstrip()}\n### END SOLUTION\n"
        f"{variable} = answer"
    )


def test_source(quiz: str, grade_id: str, question: dict, variable: str) -> str:
    """Return a test cell: the visible check of the answer's form, then the hidden part that hands it to the grader."""
    check = CHECKS[question["kind"]]
    letters = f', "{choice_letters(question)}"' if question["kind"] in ("single", "multiple") else ""
    return (
        f'{check}({variable}{letters}, name="{variable}")\n'
        "### BEGIN HIDDEN TESTS\n"
        "from cnnbook.grading.probe import probe\n"
        f'probe("{quiz}", "test_{grade_id}", lambda: {variable})\n'
        "### END HIDDEN TESTS"
    )


def introduction(bank: dict, graded: dict[str, dict]) -> str:
    """Return the notebook's first cell: what the quiz is, how to answer, and the objectives it checks."""
    total = sum(q["points"] for q in graded.values())
    checked_by = {
        o["id"]: [str(n) for n, q in enumerate(graded.values(), start=1) if o["id"] in objective_ids(q)]
        for o in bank["objectives"]
    }
    objectives = "\n".join(
        f"- {o['text'].strip()} (question{'s' if len(checked_by[o['id']]) > 1 else ''} "
        f"{', '.join(checked_by[o['id']])})"
        for o in bank["objectives"]
    )
    return f"""# {bank["title"]}

The graded quiz of week {bank["week"]}: {len(graded)} questions, {total:g} points. It needs no TensorFlow and runs
in a few seconds. The week's self-check quiz in the book has other questions of the same kinds, with their
explanations.

**How to answer.** Each question has an answer cell: replace `raise NotImplementedError()` with your answer,
a plain value:

- one choice: its letter in quotes, `answer_qNN = "<letter>"`;
- several choices ("Select all that apply"): the set of their letters, `answer_qNN = {{"<letter>", "<letter>"}}`;
- a number: the number itself, `answer_qNN = <number>`, as exact as the question asks;
- a computation: the cell gives the data; compute the result with NumPy and store it in `answer`.

The cell under each answer checks its **form** only (a letter among the choices, a set of letters, one finite
number) and says what to change; whether it is right is known once the quiz is graded. Before you hand the
notebook in, run it from the top (Kernel, Restart Kernel and Run All Cells) and keep its file name.

**What this quiz checks**, each objective with the questions that ask it:

{objectives}"""


def quiz_notebook(quiz: str) -> nbformat.NotebookNode:
    """Return the instructor notebook of `quiz` from its bank and its recorded draw."""
    bank, graded = load_bank(quiz), graded_by_grade_id(quiz)
    cells = [
        nbgrader_cell("code", CELL_ID, CELL_SOURCE),
        nbgrader_cell("markdown", "intro", introduction(bank, graded)),
        nbgrader_cell("code", "imports", "from cnnbook.quiz_checks import check_choice, check_choices, check_number"),
    ]
    for number, (grade_id, question) in enumerate(graded.items(), start=1):
        variable = f"answer_{grade_id}"
        cells += [
            nbgrader_cell("markdown", f"{grade_id}_question", question_markdown(number, question, variable)),
            nbgrader_cell("answer", grade_id, answer_source(question, variable)),
            nbgrader_cell(
                "test", f"test_{grade_id}", test_source(quiz, grade_id, question, variable), question["points"]
            ),
        ]
    cells.append(
        nbgrader_cell(
            "markdown",
            "closing",
            "That is the quiz. Run the notebook from the top once more, check that every answer passed its form "
            f"check, and hand in `{quiz}.ipynb` under its own name.",
        )
    )
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nb.nbformat_minor = 5
    return nb


def notebook_text(quiz: str) -> str:
    """Return the instructor notebook of `quiz` as the text it is committed as."""
    return nbformat.writes(quiz_notebook(quiz)) + "\n"
