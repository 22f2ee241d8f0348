"""Sphinx extension: a week's self-check quiz, answered in the page, offline, with immediate feedback.

On a week's quiz page (MyST markdown):

    ```{quiz-objectives} w1_quiz
    ```

lists the week's learning objectives, each with the questions of this page and of the graded quiz that check
it, and

    ```{self-check-quiz} w1_quiz
    ```

renders the questions of the week's bank (autograder/assignments/<quiz>/bank.yaml) that its recorded draw
(draw.yaml) leaves out of the graded quiz, so the page never shows a graded question or its key. Each question
has its inputs (a radio button or a check box per choice, a text field for a number), a Check button, a Try
again button, a feedback line, and the explanations, shown once the reader has answered: why each choice is
right or wrong, which common slip a wrong number comes from, the worked answer (and for a computation, code
that computes it). The texts are the bank's Markdown, parsed by the page's own parser, so math is typeset by
the page's MathJax like the rest of the book.

Written for the course rather than taken from a package: jupyterquiz (the maintained package for quizzes in a
Jupyter Book) turns only dollar math and links of its texts into HTML (the banks' code spans and emphasis would
show as typed), shows the feedback of the clicked choice only, not why every choice is right or wrong, judges a
several-choice question one click at a time rather than as a set, needs a code cell executed on every quiz page,
and, when it does not find MathJax 3 ready, loads it from a CDN. The behaviour lives in static/self_check_quiz.js
(plain JavaScript; it sends no request).
"""

import json
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

STATIC = Path(__file__).resolve().parent / "static"
LETTERS = "ABCDEFGH"
QUIZ_CLASS = "self-check-quiz"
KIND_WORDS = {"single": "one choice", "multiple": "several choices", "number": "a number", "code": "a computation"}


def quiz_files(srcdir: str, folder: str, quiz: str) -> tuple[Path, Path]:
    """Return the paths of a quiz's bank and recorded draw."""
    base = Path(srcdir) / folder / quiz
    return base / "bank.yaml", base / "draw.yaml"


def read_quiz(srcdir: str, folder: str, quiz: str) -> tuple[dict, list[str]]:
    """Return (the bank, the ids of its graded questions); ValueError naming the file and the fix."""
    bank_path, draw_path = quiz_files(srcdir, folder, quiz)
    for path in (bank_path, draw_path):
        if not path.is_file():
            raise ValueError(f"{path} does not exist; run `make assignments` (it writes the draw from the bank)")
    try:
        bank = yaml.safe_load(bank_path.read_text(encoding="utf-8"))
        drawn = (yaml.safe_load(draw_path.read_text(encoding="utf-8")) or {}).get("questions") or []
    except yaml.YAMLError as exc:
        raise ValueError(f"{exc} (fix the line it names)") from exc
    if not drawn:
        raise ValueError(f"{draw_path} names no graded question; run `make assignments`")
    return bank, list(drawn)


def objective_ids(question: dict) -> list[str]:
    """Return the ids of the objectives a question checks."""
    objective = question["objective"]
    return list(objective) if isinstance(objective, list) else [objective]


def anchor(question: dict) -> str:
    """Return the HTML id of a question on the page: its bank id."""
    return question["id"]


def answer_data(question: dict) -> dict:
    """Return what the page's script needs to judge an answer: the right letters, or the number, its tolerance and
    the values of the catalogued slips."""
    if question["kind"] in ("single", "multiple"):
        letters = LETTERS[: len(question["choices"])]
        return {
            "kind": question["kind"],
            "correct": [letter for letter, c in zip(letters, question["choices"]) if c["correct"]],
        }
    return {
        "kind": question["kind"],
        "answer": question["answer"],
        "tolerance": question["tolerance"],
        "wrong": [w["value"] for w in question["wrong_answers"]],
    }


def raw(html: str) -> nodes.raw:
    """Return a raw HTML node."""
    return nodes.raw("", html, format="html")


def container(*classes: str, ids: list[str] | None = None) -> nodes.container:
    """Return a <div> with the given classes (and id)."""
    node = nodes.container(classes=list(classes))
    if ids:
        node["ids"] = ids
    return node


class QuizDirective(SphinxDirective):
    """What both directives share: one argument, the quiz id, and reading its bank and draw."""

    required_arguments = 1
    has_content = False

    def load(self) -> tuple[dict, list[str]]:
        """Return (bank, graded ids) of the quiz named by the argument, noting the files as the page's sources."""
        folder = self.config.self_check_quiz_folder
        try:
            bank, drawn = read_quiz(self.env.srcdir, folder, self.arguments[0])
        except ValueError as exc:
            raise self.error(f"{self.name}: {exc}") from exc
        for path in quiz_files(self.env.srcdir, folder, self.arguments[0]):
            self.env.note_dependency(str(path))
        return bank, drawn

    def markdown(self, text: str) -> list[nodes.Node]:
        """Return the nodes of a Markdown text of the bank (prompt, reason, explanation)."""
        return self.parse_text_to_nodes(text.strip())

    def inline(self, text: str) -> list[nodes.Node]:
        """Return the inline nodes of a one-line Markdown text (a choice)."""
        parsed, messages = self.parse_inline(text.strip())
        return parsed + messages


class SelfCheckQuiz(QuizDirective):
    """```{self-check-quiz} <quiz id>``` : the questions of the bank that the graded quiz does not ask."""

    def run(self) -> list[nodes.Node]:
        bank, drawn = self.load()
        questions = [q for q in bank["questions"] if q["id"] not in drawn]
        block = container(QUIZ_CLASS)
        for number, question in enumerate(questions, start=1):
            try:
                block += self.question(number, question)
            except KeyError as exc:
                raise self.error(
                    f"self-check-quiz: question {question.get('id', number)} of {self.arguments[0]}'s bank has no "
                    f"{exc}; the bank checker in tests/quizzes/ describes every field"
                ) from exc
        self.set_source_info(block)
        return [block]

    def question(self, number: int, question: dict) -> nodes.container:
        """Return one question: heading, prompt, inputs, buttons, feedback line and the explanations."""
        qid, kind = question["id"], question["kind"]
        box = container("quiz-question", f"quiz-{kind}", ids=[anchor(question)])
        heading = nodes.paragraph(classes=["quiz-heading"])
        heading += nodes.strong("", f"Question {number}")
        heading += nodes.Text(f" ({KIND_WORDS[kind]})")
        box += heading
        box += self.markdown(question["prompt"])
        if kind == "code":
            setup = nodes.literal_block(question["setup"].rstrip(), question["setup"].rstrip(), language="python")
            box += setup
            box += nodes.paragraph(
                "", "Add your own lines to this code (NumPy is enough), run it, and type the value of answer below."
            )
        box += raw(f'<script type="application/json" class="quiz-data">{json.dumps(answer_data(question))}</script>')
        if kind in ("single", "multiple"):
            box += self.choices(question)
        else:
            field = (
                f'<p class="quiz-number"><label>Your answer: <input type="text" inputmode="decimal" '
                f'autocomplete="off" name="{qid}" aria-label="Your answer to question {number}"></label></p>'
            )
            box += raw(field)
            wrong = container("quiz-wrong-answers")
            for entry in question["wrong_answers"]:
                why = container("quiz-wrong-why")
                why += self.markdown(entry["why"])
                wrong += why
            box += wrong
        box += raw(
            '<p class="quiz-buttons"><button type="button" class="quiz-check">Check</button> '
            '<button type="button" class="quiz-retry">Try again</button></p>'
            '<p class="quiz-feedback" role="status" aria-live="polite"></p>'
        )
        explanation = container("quiz-explanation")
        title = nodes.paragraph()
        title += nodes.strong("", "Explanation")
        explanation += title
        explanation += self.markdown(question["explanation"])
        if kind == "code":
            explanation += nodes.paragraph("", "Code that computes it:")
            code = question["setup"].rstrip() + "\n" + question["solution"].rstrip()
            explanation += nodes.literal_block(code, code, language="python")
        box += explanation
        return box

    def choices(self, question: dict) -> nodes.container:
        """Return the choices of a choice question, each with its input and its (hidden) reason."""
        qid = question["id"]
        kind = "radio" if question["kind"] == "single" else "checkbox"
        if question["kind"] == "multiple":
            hint = nodes.paragraph(classes=["quiz-hint"])
            hint += nodes.emphasis("", "Several choices may be right: tick every right one, then check.")
        group = container("quiz-choices")
        if question["kind"] == "multiple":
            group += hint
        for letter, choice in zip(LETTERS, question["choices"]):
            item = container("quiz-choice")
            line = nodes.paragraph(classes=["quiz-choice-text"])
            letter_html = f'<span class="quiz-letter">{letter}.</span>'
            line += raw(f'<label><input type="{kind}" name="{qid}" value="{letter}"> {letter_html} ')
            line += self.inline(choice["text"])
            line += raw("</label>")
            item += line
            why = container("quiz-why")
            why += self.markdown(choice["why"])
            item += why
            group += item
        return group


class QuizObjectives(QuizDirective):
    """```{quiz-objectives} <quiz id>``` : the week's objectives, each with the questions that check it."""

    def run(self) -> list[nodes.Node]:
        bank, drawn = self.load()
        on_page = [q for q in bank["questions"] if q["id"] not in drawn]
        graded = [q for q in bank["questions"] if q["id"] in drawn]  # in the bank's order, as the notebook asks them
        items = nodes.bullet_list()
        for objective in bank["objectives"]:
            here = [(n, q) for n, q in enumerate(on_page, start=1) if objective["id"] in objective_ids(q)]
            there = [str(n) for n, q in enumerate(graded, start=1) if objective["id"] in objective_ids(q)]
            paragraph = nodes.paragraph()
            paragraph += self.inline(objective["text"])
            paragraph += nodes.Text(" Here: ")
            for k, (number, question) in enumerate(here):
                if k:
                    paragraph += nodes.Text(", ")
                paragraph += nodes.reference("", f"question {number}", refuri=f"#{anchor(question)}", internal=True)
            if not here:
                paragraph += nodes.Text("none")
            paragraph += nodes.Text(f"; graded quiz: question{'s' if len(there) > 1 else ''} {', '.join(there)}.")
            item = nodes.list_item()
            item += paragraph
            items += item
        self.set_source_info(items)
        return [items]


def add_static_path(app) -> None:
    """Serve the quiz's script and style sheet from the built site (no request leaves it)."""
    app.config.html_static_path.append(str(STATIC))


def add_assets(app, pagename, templatename, context, doctree) -> None:
    """Load the quiz's script and style sheet on the pages that have a quiz, and only there."""
    if doctree is not None and any(QUIZ_CLASS in n["classes"] for n in doctree.findall(nodes.container)):
        app.add_css_file("self_check_quiz.css")
        app.add_js_file("self_check_quiz.js")


def setup(app):
    app.add_config_value("self_check_quiz_folder", "autograder/assignments", "env", types=[str])
    app.add_directive("self-check-quiz", SelfCheckQuiz)
    app.add_directive("quiz-objectives", QuizObjectives)
    app.connect("builder-inited", add_static_path)
    app.connect("html-page-context", add_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
