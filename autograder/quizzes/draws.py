"""The draw of a week's graded quiz: which questions of the bank the graded notebook asks, chosen by a recorded seed.

autograder/assignments/w<k>_quiz/draw.yaml records the draw: its `seed` and `count` (an author's choice) and the
`questions` they draw (written by `make assignments`). The drawn questions are the graded quiz; the rest of the
bank is the week's self-check quiz in the book, so neither shows the other's key. To give another term another
quiz, change the seed (or run `python -m autograder.quizzes.draws w1_quiz --seed 7`) and run `make assignments`.

A draw asks every objective of the week at least once and every kind of question, and leaves at least one
question of every objective and of every kind to the book. The choice is random within those rules
(NumPy's generator, seeded, so the same seed always draws the same quiz); there is no library for drawing under
such coverage rules, and the rules are a few lines.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from autograder.quizzes.banks import QuizBankError, load_bank, objective_ids, quiz_folder, quiz_names, relative

__all__ = [
    "Draw",
    "draw_questions",
    "read_draw",
    "fresh_draw",
    "draw_text",
    "graded_questions",
    "graded_by_grade_id",
    "grade_id",
    "book_questions",
]

MINIMUM_COUNT = 10
ATTEMPTS = 200  # random orders tried before a draw is declared impossible
HEADER = """\
# The graded questions of this quiz, drawn from bank.yaml. `seed` and `count` are the author's; `questions` is
# written by `make assignments` (python -m autograder.release). Change the seed to draw another quiz for another
# term; the questions not drawn are the week's self-check quiz in the book.
"""


@dataclass(frozen=True)
class Draw:
    """A recorded draw: its seed, how many questions it takes, and their ids in the bank's order."""

    seed: int
    count: int
    questions: tuple[str, ...] = ()


def draw_file(quiz: str) -> Path:
    """Return the path of a quiz's recorded draw."""
    return quiz_folder(quiz) / "draw.yaml"


def read_draw(quiz: str) -> Draw:
    """Return the recorded draw of `quiz`; QuizBankError names the file and the fix when it is missing or malformed."""
    path = draw_file(quiz)
    if not path.is_file():
        raise QuizBankError(f"{relative(path)} does not exist; write `seed: 1` and `count: 12` into it")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise QuizBankError(f"{relative(path)} is not valid YAML ({exc}); fix the line it names") from exc
    data = data if isinstance(data, dict) else {}
    seed, count = data.get("seed"), data.get("count")
    if not isinstance(seed, int) or isinstance(seed, bool) or not isinstance(count, int) or isinstance(count, bool):
        raise QuizBankError(
            f"{relative(path)}: `seed` and `count` must be whole numbers, such as `seed: 1`, `count: 12`"
        )
    return Draw(seed, count, tuple(data.get("questions") or ()))


def leaves_one_of_each(question: dict, outside: dict[str, int]) -> bool:
    """Whether drawing `question` still leaves a question of each of its objectives, and of its kind, to the book."""
    return all(outside[name] > 1 for name in [*objective_ids(question), question["kind"]])


def take(question: dict, chosen: list[dict], outside: dict[str, int]) -> None:
    """Add `question` to the draw and count it out of the book's share."""
    chosen.append(question)
    for name in [*objective_ids(question), question["kind"]]:
        outside[name] -= 1


def covers(question: dict, name: str) -> bool:
    """Whether a question checks the objective `name`, or is of the kind `name`."""
    return name == question["kind"] or name in objective_ids(question)


def attempt(questions: list[dict], order: np.ndarray, objectives: list[str], count: int) -> list[dict] | None:
    """Draw in one random order: a question for each objective, then for each kind, then any; None if it fails."""
    shuffled = [questions[i] for i in order]
    outside: dict[str, int] = {}
    for q in questions:
        for name in [*objective_ids(q), q["kind"]]:
            outside[name] = outside.get(name, 0) + 1
    chosen: list[dict] = []
    for name in [*objectives, *sorted({q["kind"] for q in questions})]:
        if any(covers(q, name) for q in chosen):
            continue
        pick = next(
            (q for q in shuffled if q not in chosen and covers(q, name) and leaves_one_of_each(q, outside)), None
        )
        if pick is None:
            return None
        take(pick, chosen, outside)
    for q in shuffled:
        if len(chosen) >= count:
            break
        if q not in chosen and leaves_one_of_each(q, outside):
            take(q, chosen, outside)
    return chosen if len(chosen) == count else None


def draw_questions(bank: dict, seed: int, count: int, source: str = "the bank") -> tuple[str, ...]:
    """Return the ids of `count` questions drawn from `bank` with `seed` (see the module's docstring), in bank order."""
    questions = bank["questions"]
    if count < MINIMUM_COUNT:
        raise QuizBankError(f"{source}: a graded quiz asks at least {MINIMUM_COUNT} questions; raise `count`")
    objectives = [o["id"] for o in bank["objectives"]]
    rng = np.random.default_rng(seed)
    for _ in range(ATTEMPTS):
        chosen = attempt(questions, rng.permutation(len(questions)), objectives, count)
        if chosen is not None:
            return tuple(q["id"] for q in questions if q in chosen)
    raise QuizBankError(
        f"{source}: no draw of {count} questions asks every objective and kind while leaving one of each to the "
        f"book; change `count` (the bank has {len(questions)} questions over {len(objectives)} objectives) "
        f"or add questions to the thin objectives"
    )


def fresh_draw(quiz: str) -> Draw:
    """Return the draw that the recorded seed and count of `quiz` make from its bank now."""
    recorded = read_draw(quiz)
    source = relative(draw_file(quiz))
    return Draw(recorded.seed, recorded.count, draw_questions(load_bank(quiz), recorded.seed, recorded.count, source))


def draw_text(draw: Draw) -> str:
    """Return the text of a draw file."""
    body = yaml.safe_dump(
        {"seed": draw.seed, "count": draw.count, "questions": list(draw.questions)}, sort_keys=False, width=120
    )
    return HEADER + body


def graded_questions(quiz: str) -> list[dict]:
    """Return the questions of the graded quiz, in the bank's order, from the recorded draw."""
    bank, drawn = load_bank(quiz), read_draw(quiz).questions
    by_id = {q["id"]: q for q in bank["questions"]}
    unknown = [qid for qid in drawn if qid not in by_id]
    if unknown or not drawn:
        raise QuizBankError(
            f"{relative(draw_file(quiz))} names questions the bank lacks ({unknown}) or none; run `make assignments`"
        )
    return [by_id[qid] for qid in drawn]


def grade_id(number: int) -> str:
    """Return the grade_id of the graded quiz's question `number` (from 1): q01, q02, ..."""
    return f"q{number:02d}"


def graded_by_grade_id(quiz: str) -> dict[str, dict]:
    """Return the graded quiz's questions keyed by the grade_id of their answer cell (q01, ...), in notebook order."""
    return {grade_id(n): q for n, q in enumerate(graded_questions(quiz), start=1)}


def book_questions(quiz: str) -> list[dict]:
    """Return the questions left to the book's self-check quiz: the bank less the recorded draw."""
    drawn = set(read_draw(quiz).questions)
    return [q for q in load_bank(quiz)["questions"] if q["id"] not in drawn]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draw a quiz's graded questions again, with another seed or count.")
    parser.add_argument("quizzes", nargs="*", help="quiz ids such as w1_quiz (default: every quiz)")
    parser.add_argument("--seed", type=int, help="the new seed (default: keep the recorded one)")
    parser.add_argument("--count", type=int, help="how many questions to draw (default: keep the recorded count)")
    args = parser.parse_args(argv)
    for quiz in args.quizzes or quiz_names():
        if quiz not in quiz_names():
            raise SystemExit(f"Unknown quiz {quiz!r}; the quizzes are {', '.join(quiz_names())}.")
        recorded = read_draw(quiz) if args.seed is None or args.count is None else Draw(args.seed, args.count)
        seed = recorded.seed if args.seed is None else args.seed
        count = recorded.count if args.count is None else args.count
        drawn = Draw(seed, count, draw_questions(load_bank(quiz), seed, count, relative(draw_file(quiz))))
        draw_file(quiz).write_text(draw_text(drawn), encoding="utf-8")
        print(f"{relative(draw_file(quiz))}: seed {seed}, {count} questions; now run `make assignments`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
