"""The draw of each week's graded quiz (autograder.quizzes.draws): recorded, reproducible from its seed, asking every
objective and every kind of question while leaving one of each to the book; and the errors that name the file
and the fix when a bank or a draw cannot be used."""

import shutil

import pytest

import autograder.quizzes.banks as banks
from autograder.quizzes.banks import QuizBankError, load_bank, objective_ids, quiz_names
from autograder.quizzes.draws import (
    MINIMUM_COUNT,
    book_questions,
    draw_questions,
    fresh_draw,
    graded_questions,
    main,
    read_draw,
)

QUIZZES = quiz_names()


def coverage(questions: list[dict]) -> set[str]:
    """Return the objectives and kinds a list of questions covers."""
    return {name for q in questions for name in [*objective_ids(q), q["kind"]]}


def test_there_is_a_quiz_per_week():
    assert QUIZZES == ["w1_quiz", "w2_quiz", "w3_quiz", "w4_quiz"]


@pytest.mark.parametrize("quiz", QUIZZES)
def test_the_recorded_draw_is_what_its_seed_draws(quiz):
    assert read_draw(quiz) == fresh_draw(quiz), "run `make assignments` to write the draw again"


@pytest.mark.parametrize("quiz", QUIZZES)
def test_a_draw_asks_every_objective_and_kind_and_leaves_one_of_each_to_the_book(quiz):
    bank = load_bank(quiz)
    graded, in_book = graded_questions(quiz), book_questions(quiz)
    everything = {o["id"] for o in bank["objectives"]} | {"single", "multiple", "number", "code"}
    assert len(graded) >= MINIMUM_COUNT and len(graded) == read_draw(quiz).count
    assert coverage(graded) == everything, f"the graded quiz misses {everything - coverage(graded)}"
    assert coverage(in_book) == everything, f"the book's quiz misses {everything - coverage(in_book)}"
    assert {q["id"] for q in graded}.isdisjoint(q["id"] for q in in_book)
    assert len(graded) + len(in_book) == len(bank["questions"])


def test_the_same_seed_draws_the_same_quiz_and_other_seeds_others():
    bank = load_bank("w3_quiz")
    draws = [draw_questions(bank, seed, 12) for seed in range(6)]
    assert draws[0] == draw_questions(bank, 0, 12)
    assert len(set(draws)) >= 4
    for drawn in draws:
        chosen = [q for q in bank["questions"] if q["id"] in drawn]
        assert len(coverage(chosen)) == len(bank["objectives"]) + 4


def test_a_draw_that_cannot_be_made_says_what_to_change():
    bank = load_bank("w1_quiz")
    with pytest.raises(QuizBankError, match="at least 10 questions; raise `count`"):
        draw_questions(bank, 1, 5, "draw.yaml")
    with pytest.raises(QuizBankError, match=r"draw.yaml: no draw of 30 questions .* change `count`"):
        draw_questions(bank, 1, len(bank["questions"]), "draw.yaml")


@pytest.fixture
def quiz_copy(tmp_path, monkeypatch):
    """A copy of week 1's bank and draw in a folder of its own, read instead of the repository's."""
    shutil.copytree(banks.quiz_folder("w1_quiz"), tmp_path / "w1_quiz")
    monkeypatch.setattr(banks, "ASSIGNMENTS_FOLDER", tmp_path)
    return tmp_path / "w1_quiz"


def test_another_seed_is_recorded_by_the_command(quiz_copy, capsys):
    before = read_draw("w1_quiz")
    assert main(["w1_quiz", "--seed", "7"]) == 0
    after = read_draw("w1_quiz")
    assert after.seed == 7 and after.count == before.count and after.questions != before.questions
    assert after == fresh_draw("w1_quiz") and "make assignments" in capsys.readouterr().out


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda folder: (folder / "draw.yaml").unlink(), "draw.yaml does not exist; write `seed: 1` and `count: 12`"),
        (lambda folder: (folder / "draw.yaml").write_text("seed: one\n"), "`seed` and `count` must be whole numbers"),
        (lambda folder: (folder / "draw.yaml").write_text("seed: [\n"), "draw.yaml is not valid YAML"),
        (lambda folder: (folder / "bank.yaml").write_text("questions: [\n"), "bank.yaml is not valid YAML"),
        (
            lambda folder: (folder / "bank.yaml").write_text(
                (folder / "bank.yaml").read_text().replace("    answer: 260100\n", "", 1)
            ),
            "w1-q07 (number) has no answer; add them",
        ),
        (
            lambda folder: (folder / "bank.yaml").write_text(
                (folder / "bank.yaml").read_text().replace("kind: single", "kind: essay", 1)
            ),
            "has kind 'essay'; use one of",
        ),
    ],
)
def test_a_bank_or_draw_that_cannot_be_used_names_the_file_and_the_fix(quiz_copy, edit, words):
    edit(quiz_copy)
    with pytest.raises(QuizBankError) as failure:
        fresh_draw("w1_quiz")
    assert words in str(failure.value) and str(quiz_copy.name) in str(failure.value)
