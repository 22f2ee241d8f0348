"""The self-check quiz extension (book/_ext/self_check_quiz): a one-page site built with it, warnings as errors, shows
exactly the questions the graded quiz leaves out, with what the page's script needs to judge them, and never a
graded question; a quiz whose bank or draw is missing fails the build with the file and the fix. The built
book's pages are answered in a real browser by tests/book/test_browser.py."""

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from autograder.course import REPO
from autograder.quizzes.banks import load_bank, objective_ids
from autograder.quizzes.draws import book_questions, graded_questions

FOLDER = REPO / "autograder" / "assignments"
PAGE = """# Quiz

```{{quiz-objectives}} {quiz}
```

```{{self-check-quiz}} {quiz}
```
"""


def build(tmp_path: Path, quiz: str, folder: Path = FOLDER) -> subprocess.CompletedProcess:
    """Build a one-page site of `quiz`'s questions with the extension, warnings as errors; return the process."""
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO / 'book' / '_ext')!r})\n"
        "extensions = ['myst_parser', 'sphinx.ext.mathjax', 'self_check_quiz']\n"
        "myst_enable_extensions = ['dollarmath', 'amsmath']\n"
        f"self_check_quiz_folder = {str(folder)!r}\n"
    )
    (src / "index.md").write_text(PAGE.format(quiz=quiz))
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def week3(tmp_path_factory) -> str:
    """The HTML of week 3's quiz, built once (its bank has every kind of question)."""
    root = tmp_path_factory.mktemp("quiz-site")
    proc = build(root, "w3_quiz")
    assert proc.returncode == 0, proc.stderr
    assert (root / "out" / "_static" / "self_check_quiz.js").is_file()
    return (root / "out" / "index.html").read_text()


def question_blocks(html: str) -> dict[str, str]:
    """Return {question id: its HTML} of the page's self-check questions."""
    parts = re.split(r'<div class="quiz-question[^"]*" id="', html)[1:]
    return {part.split('"', 1)[0]: part for part in parts}


def test_the_page_shows_the_questions_the_graded_quiz_leaves_out_and_none_of_its_own(week3):
    blocks = question_blocks(week3)
    assert list(blocks) == [q["id"] for q in book_questions("w3_quiz")]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", week3)).replace("\u2019", "'").split())
    for question in graded_questions("w3_quiz"):
        assert question["id"] not in blocks
        plain = re.sub(r"\$[^$]*\$|`[^`]*`", " ", question["prompt"])  # words the page shows as typed
        words = " ".join(plain.split()[:6])
        assert words not in text, f"the page shows the graded question {question['id']}: {words!r}"
    for question in book_questions("w3_quiz"):  # the same test finds the questions that are there
        plain = re.sub(r"\$[^$]*\$|`[^`]*`", " ", question["prompt"])
        if "$" not in question["prompt"].split("\n")[0]:
            assert " ".join(plain.split()[:3]) in text


def test_each_question_carries_what_its_script_needs_and_every_explanation(week3):
    blocks = question_blocks(week3)
    for question in book_questions("w3_quiz"):
        block = blocks[question["id"]]
        data = json.loads(re.search(r'class="quiz-data">(.*?)</script>', block)[1])
        assert data["kind"] == question["kind"]
        if question["kind"] in ("single", "multiple"):
            kind = "radio" if question["kind"] == "single" else "checkbox"
            assert block.count(f'type="{kind}"') == len(question["choices"])
            assert block.count('class="quiz-why') == len(question["choices"])
            letters = "ABCDE"[: len(question["choices"])]
            assert data["correct"] == [letter for letter, c in zip(letters, question["choices"]) if c["correct"]]
        else:
            assert (data["answer"], data["tolerance"]) == (question["answer"], question["tolerance"])
            assert data["wrong"] == [w["value"] for w in question["wrong_answers"]]
            assert block.count('class="quiz-wrong-why') == len(question["wrong_answers"])
            assert 'inputmode="decimal"' in block
        assert 'class="quiz-explanation' in block and 'class="quiz-check"' in block and 'role="status"' in block


def test_the_objectives_link_their_questions_on_the_page_and_count_the_graded_ones(week3):
    listed = week3.split('<div class="self-check-quiz')[0]
    bank = load_bank("w3_quiz")
    for objective in bank["objectives"]:
        here = [q["id"] for q in book_questions("w3_quiz") if objective["id"] in objective_ids(q)]
        for qid in here:
            assert f'href="#{qid}"' in listed
    assert listed.count("graded quiz: question") == len(bank["objectives"])


def test_a_quiz_without_its_draw_fails_the_build_with_the_file_and_the_fix(tmp_path):
    folder = tmp_path / "banks"
    (folder / "w1_quiz").mkdir(parents=True)
    shutil.copy(FOLDER / "w1_quiz" / "bank.yaml", folder / "w1_quiz" / "bank.yaml")
    proc = build(tmp_path, "w1_quiz", folder)
    assert proc.returncode != 0
    assert "draw.yaml does not exist; run `make assignments`" in proc.stderr, proc.stderr
