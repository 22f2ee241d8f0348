"""A week's bank of quiz questions (autograder/assignments/w<k>_quiz/bank.yaml), read for the grader, the notebook
writer and the draw.

The bank is the quiz's source of truth: its objectives, and its questions with their kinds, keys, tolerances and
explanations. tests/quizzes/test_quiz_banks.py checks its whole schema; reading it here checks only what the
grader's tools rely on, and names the file and the fix when that is missing.
"""

import re
from pathlib import Path

import yaml

from autograder.course import REPO

__all__ = [
    "QuizBankError",
    "quiz_names",
    "is_quiz",
    "graded_unit",
    "quiz_folder",
    "load_bank",
    "objective_ids",
    "choice_letters",
    "correct_letters",
    "relative",
]

QUIZ_ID = re.compile(r"^w\d+_quiz$")
ASSIGNMENTS_FOLDER = REPO / "autograder" / "assignments"
KINDS = {"single", "multiple", "number", "code"}
FIELDS_OF_KIND = {
    "single": ("choices",),
    "multiple": ("choices",),
    "number": ("answer", "tolerance"),
    "code": ("setup", "solution", "answer", "tolerance"),
}
LETTERS = "ABCDEFGH"


class QuizBankError(ValueError):
    """A bank cannot be used as it is; the message names the file, the question and the fix."""


def quiz_folder(quiz: str) -> Path:
    """Return the grader-side folder of a quiz: its bank and its draw."""
    return ASSIGNMENTS_FOLDER / quiz


def is_quiz(assignment: str) -> bool:
    """Whether an assignment id names a weekly quiz (w<k>_quiz with a bank)."""
    return bool(QUIZ_ID.match(assignment)) and (quiz_folder(assignment) / "bank.yaml").is_file()


def graded_unit(assignment: str) -> str:
    """Return what one test cell of `assignment` grades, as the reports name it: "question" or "function"."""
    return "question" if is_quiz(assignment) else "function"


def quiz_names() -> list[str]:
    """Return the ids of the quizzes that have a bank, sorted."""
    return sorted(p.name for p in ASSIGNMENTS_FOLDER.iterdir() if is_quiz(p.name))


def relative(path: Path) -> str:
    """Return a path as the author sees it: relative to the repository when it is inside it."""
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def require_fields(path: Path, question: dict) -> None:
    """Raise QuizBankError when a question lacks a field the grader or the notebook writer reads."""
    qid = question.get("id", "a question without an id")
    kind = question.get("kind")
    if kind not in KINDS:
        raise QuizBankError(f"{relative(path)}: {qid} has kind {kind!r}; use one of {sorted(KINDS)}")
    missing = [
        f for f in ("id", "objective", "points", "prompt", "explanation", *FIELDS_OF_KIND[kind]) if f not in question
    ]
    if missing:
        raise QuizBankError(
            f"{relative(path)}: {qid} ({kind}) has no {', '.join(missing)}; add them "
            f"(tests/quizzes/test_quiz_banks.py describes every field)"
        )
    if kind in ("single", "multiple") and not 2 <= len(question["choices"]) <= len(LETTERS):
        raise QuizBankError(f"{relative(path)}: {qid} has {len(question['choices'])} choices; give 3 to 5")


def load_bank(quiz: str, path: Path | None = None) -> dict:
    """Return the bank of `quiz` (or the bank at `path`), parsed; QuizBankError names the file and the fix."""
    path = path or quiz_folder(quiz) / "bank.yaml"
    if not path.is_file():
        raise QuizBankError(f"{relative(path)} does not exist: a quiz needs its bank of questions there")
    try:
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise QuizBankError(f"{relative(path)} is not valid YAML ({exc}); fix the line it names") from exc
    if not isinstance(bank, dict) or not isinstance(bank.get("questions"), list) or not bank.get("objectives"):
        raise QuizBankError(f"{relative(path)}: a bank has `objectives` and a list of `questions`")
    for question in bank["questions"]:
        if not isinstance(question, dict):
            raise QuizBankError(f"{relative(path)}: every entry of `questions` is a question with fields")
        require_fields(path, question)
    ids = [q["id"] for q in bank["questions"]]
    if len(ids) != len(set(ids)):
        raise QuizBankError(f"{relative(path)}: two questions share an id; number them w<k>-q01, w<k>-q02, ...")
    return bank


def objective_ids(question: dict) -> list[str]:
    """Return the ids of the objectives a question checks (one or several)."""
    objective = question["objective"]
    return list(objective) if isinstance(objective, list) else [objective]


def choice_letters(question: dict) -> str:
    """Return the letters of a choice question's choices, in order: "ABCD" for four."""
    return LETTERS[: len(question["choices"])]


def correct_letters(question: dict) -> frozenset[str]:
    """Return the letters of a choice question's correct choices."""
    return frozenset(letter for letter, c in zip(choice_letters(question), question["choices"]) if c["correct"])
