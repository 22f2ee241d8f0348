"""Checks the four weekly quiz banks (autograder/assignments/w<N>_quiz/bank.yaml): their schema, their coverage of
the week's objectives and kinds of question, and every computed key, by running each code question's solution and
each calculator expression (a call into the course's own package, cnnbook).

The schema, in short (the banks themselves show every field in use):

- a bank has exactly `week`, `title`, `objectives` (each with `id` and `text`) and `questions`;
- every question has `id` (w<week>-q<two digits>, in order), `objective` (an id or a list of ids), `kind`
  (single, multiple, number or code), `points`, `prompt` and `explanation`;
- single and multiple questions add `choices` (3 to 5, each with `text`, `correct` and `why`);
- number questions add `answer`, `tolerance` and `wrong_answers` (each with `value` and `why`), and optionally
  `calculator` and `calculator_pick`;
- code questions add `setup` and `solution` (plain NumPy) to the fields of a number question.
"""

import ast
import importlib
import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WEEKS = (1, 2, 3, 4)


def bank_path(week):
    """Return the path of one week's bank."""
    return ROOT / "autograder" / "assignments" / f"w{week}_quiz" / "bank.yaml"


# When cnnbook is reorganised, map each moved module's old dotted path to its new one here, one line per module;
# the banks' calculator expressions then keep working unchanged.
MINIMUM_QUESTIONS = 24
MINIMUM_PER_KIND = {"single": 8, "multiple": 3, "number": 6, "code": 2}
MINIMUM_PER_OBJECTIVE = 2
MINIMUM_CALCULATED_NUMBERS = 2  # number questions with a calculator, per week

BANK_KEYS = {"week", "title", "objectives", "questions"}
COMMON_KEYS = {"id", "objective", "kind", "points", "prompt", "explanation"}
REQUIRED_KEYS = {
    "single": COMMON_KEYS | {"choices"},
    "multiple": COMMON_KEYS | {"choices"},
    "number": COMMON_KEYS | {"answer", "tolerance", "wrong_answers"},
    "code": COMMON_KEYS | {"setup", "solution", "answer", "tolerance", "wrong_answers"},
}
OPTIONAL_KEYS = {
    "single": set(),
    "multiple": set(),
    "number": {"calculator", "calculator_pick"},
    "code": {"calculator", "calculator_pick"},
}
ALLOWED_POINTS = {"single": {1}, "multiple": {1}, "number": {1, 2}, "code": {1, 2}}
OBJECTIVE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A prompt whose key has a tolerance says how exact the answer must be.
TOLERANCE_WORDING = re.compile(r"decimal place|within|to the nearest|significant", re.IGNORECASE)
FORBIDDEN_CHOICES = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)
# Imports a code question's setup or solution may use: plain NumPy (and the standard math module).
ALLOWED_IMPORTS = {"numpy", "math"}
FLOAT_SLACK = 1e-9  # rounding error allowed on top of a tolerance when comparing computed floats


def load_bank(week):
    """Return one week's bank, parsed from its YAML file."""
    with open(bank_path(week), encoding="utf-8") as file:
        return yaml.safe_load(file)


BANKS = {week: load_bank(week) for week in WEEKS if bank_path(week).exists()}


def questions_of(kind=None, key=None):
    """Return pytest parameters (week, question) for every question, or those of one kind, or those with a key."""
    return [
        pytest.param(week, q, id=str(q.get("id")))
        for week, bank in BANKS.items()
        for q in bank.get("questions") or []
        if (kind is None or q.get("kind") == kind) and (key is None or key in q)
    ]


def objective_ids(question):
    """Return the objective ids a question names, as a list."""
    objective = question.get("objective")
    return list(objective) if isinstance(objective, list) else [objective]


def is_number(value):
    """Whether a YAML value is a plain real number (bool is not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def within(value, key, tolerance):
    """Whether a computed value matches the key within the tolerance (plus float rounding)."""
    return abs(float(value) - float(key)) <= tolerance + FLOAT_SLACK * max(1.0, abs(float(key)))


def strip_code(markdown):
    """Return Markdown without fenced code blocks and inline code spans, whose dollar signs are not math."""
    without_blocks = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    return re.sub(r"`[^`]*`", "", without_blocks)


def unbalanced_math(markdown):
    """Whether a Markdown text has an odd number of unescaped $ outside code (an unclosed formula)."""
    return len(re.findall(r"(?<!\\)\$", strip_code(markdown))) % 2 == 1


# A control character in a text is almost always a LaTeX command eaten by a YAML escape ("\times" in double quotes
# is a tab and "imes"); write such texts in single quotes or block scalars.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def texts_of(question):
    """Return every Markdown text of a question: prompt, explanation, choices and their reasons, wrong answers'
    reasons."""
    texts = [question.get("prompt"), question.get("explanation")]
    for choice in question.get("choices") or []:
        texts += [choice.get("text"), choice.get("why")]
    texts += [wrong.get("why") for wrong in question.get("wrong_answers") or []]
    return [t for t in texts if isinstance(t, str)]


# --- calculators -----------------------------------------------------------------------------------------------


def dotted_name(node):
    """Return the dotted name a.b.c of an ast.Name/ast.Attribute chain, or None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted_name(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def resolve_callable(path):
    """Import the module of a dotted function path and return the function."""
    module_name, _, function_name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), function_name)


def evaluate_calculator(expression):
    """Evaluate a calculator expression: one call of a dotted module path with literal arguments only."""
    tree = ast.parse(expression, mode="eval").body
    if not isinstance(tree, ast.Call):
        raise ValueError(f"a calculator must be a single call, got {expression!r}")
    path = dotted_name(tree.func)
    if path is None or not path.startswith("cnnbook.") or path.count(".") < 2:
        raise ValueError(
            f"a calculator must call a function by its module path, cnnbook.<module>.<function>: {expression!r}"
        )
    function = resolve_callable(path)
    args = [ast.literal_eval(arg) for arg in tree.args]
    kwargs = {keyword.arg: ast.literal_eval(keyword.value) for keyword in tree.keywords}
    return function(*args, **kwargs)


def pick_value(result, pick):
    """Reduce a calculator's result to one number: the product of its entries, one of its entries, or itself."""
    if pick == "product":
        return math.prod(np.ravel(np.asarray(result, dtype=float)).tolist())
    if pick is not None:
        result = result[pick]
    value = np.asarray(result, dtype=float)
    if value.size != 1:
        raise ValueError(f"the calculator gives {value.size} numbers; add calculator_pick")
    return float(value.reshape(()))


# --- the whole bank -------------------------------------------------------------------------------------------


def test_every_week_has_a_bank():
    missing = [str(bank_path(week).relative_to(ROOT)) for week in WEEKS if week not in BANKS]
    assert not missing, f"missing banks: {missing}"


@pytest.mark.parametrize("week", sorted(BANKS))
def test_bank_header_and_objectives(week):
    bank = BANKS[week]
    assert set(bank) == BANK_KEYS, f"a bank has exactly the keys {sorted(BANK_KEYS)}, got {sorted(bank)}"
    assert bank["week"] == week
    assert isinstance(bank["title"], str) and bank["title"].strip()
    ids = []
    for objective in bank["objectives"]:
        assert set(objective) == {"id", "text"}, f"an objective has an id and a text: {objective}"
        assert OBJECTIVE_ID.match(str(objective["id"])), f"objective ids are kebab-case: {objective['id']!r}"
        assert isinstance(objective["text"], str) and objective["text"].strip()
        assert not unbalanced_math(objective["text"]), f"an unclosed $...$ formula in {objective['id']}"
        assert not CONTROL_CHARACTERS.search(objective["text"]), f"a control character in {objective['id']}"
        ids.append(objective["id"])
    assert len(ids) == len(set(ids)), f"duplicate objective ids: {ids}"


@pytest.mark.parametrize("week", sorted(BANKS))
def test_question_ids_are_unique_and_in_order(week):
    ids = [q.get("id") for q in BANKS[week]["questions"]]
    expected = [f"w{week}-q{k:02d}" for k in range(1, len(ids) + 1)]
    assert ids == expected, f"question ids must run {expected[0]}, {expected[1]}, ... in order"


@pytest.mark.parametrize("week", sorted(BANKS))
def test_counts_of_questions_and_kinds(week):
    questions = BANKS[week]["questions"]
    assert len(questions) >= MINIMUM_QUESTIONS
    kinds = [q.get("kind") for q in questions]
    for kind, minimum in MINIMUM_PER_KIND.items():
        assert kinds.count(kind) >= minimum, f"week {week}: {kinds.count(kind)} {kind} questions, need {minimum}"
    calculated = [q for q in questions if q.get("kind") == "number" and "calculator" in q]
    assert len(calculated) >= MINIMUM_CALCULATED_NUMBERS


@pytest.mark.parametrize("week", sorted(BANKS))
def test_every_objective_has_questions(week):
    bank = BANKS[week]
    declared = [objective["id"] for objective in bank["objectives"]]
    named = [name for q in bank["questions"] for name in objective_ids(q)]
    unknown = sorted(set(named) - set(declared))
    assert not unknown, f"questions name objectives the bank does not declare: {unknown}"
    thin = {name: named.count(name) for name in declared if named.count(name) < MINIMUM_PER_OBJECTIVE}
    assert not thin, f"objectives with fewer than {MINIMUM_PER_OBJECTIVE} questions: {thin}"


# --- one question ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("week, question", questions_of())
def test_question_fields(week, question):
    kind = question.get("kind")
    assert kind in REQUIRED_KEYS, f"unknown kind {kind!r}"
    keys = set(question)
    assert REQUIRED_KEYS[kind] <= keys, f"missing fields: {sorted(REQUIRED_KEYS[kind] - keys)}"
    extra = keys - REQUIRED_KEYS[kind] - OPTIONAL_KEYS[kind]
    assert not extra, f"fields a {kind} question does not have: {sorted(extra)}"
    assert question["points"] in ALLOWED_POINTS[kind], f"{kind} questions are worth {sorted(ALLOWED_POINTS[kind])}"
    for field in ("prompt", "explanation"):
        assert isinstance(question[field], str) and question[field].strip(), f"empty {field}"
    assert all(isinstance(name, str) for name in objective_ids(question))
    for text in texts_of(question):
        assert not unbalanced_math(text), f"an unclosed $...$ formula in: {text[:80]!r}"
        assert not CONTROL_CHARACTERS.search(text), f"a control character (a YAML escape?) in: {text[:80]!r}"


@pytest.mark.parametrize("week, question", questions_of("single") + questions_of("multiple"))
def test_choices(week, question):
    choices = question["choices"]
    assert 3 <= len(choices) <= 5, f"{len(choices)} choices; a question has 3 to 5"
    for choice in choices:
        assert set(choice) == {"text", "correct", "why"}, f"a choice has text, correct and why: {choice}"
        assert isinstance(choice["text"], str) and choice["text"].strip()
        assert isinstance(choice["correct"], bool)
        assert isinstance(choice["why"], str) and choice["why"].strip(), f"choice without a why: {choice['text']!r}"
        assert not FORBIDDEN_CHOICES.search(choice["text"]), "no 'all/none of the above' choices"
    texts = [choice["text"].strip() for choice in choices]
    assert len(texts) == len(set(texts)), "two choices have the same text"
    n_correct = sum(choice["correct"] for choice in choices)
    if question["kind"] == "single":
        assert n_correct == 1, f"a single question has exactly one correct choice, got {n_correct}"
    else:
        assert n_correct >= 2 and len(choices) - n_correct >= 1, (
            f"a multiple question has >= 2 correct and >= 1 wrong choices, got {n_correct} of {len(choices)}"
        )
        assert re.search(r"all\s+that\s+apply", question["prompt"], re.IGNORECASE), (
            "a multiple question says in its prompt that several choices may be right ('Select all that apply.')"
        )


@pytest.mark.parametrize("week, question", questions_of("number") + questions_of("code"))
def test_key_tolerance_and_wrong_answers(week, question):
    answer, tolerance = question["answer"], question["tolerance"]
    assert is_number(answer), f"the key must be a number, got {answer!r}"
    assert is_number(tolerance) and tolerance >= 0, f"the tolerance must be a number >= 0, got {tolerance!r}"
    if tolerance == 0:
        assert float(answer).is_integer(), "an exact key (tolerance 0) is a whole number; give floats a tolerance"
    else:
        assert TOLERANCE_WORDING.search(question["prompt"]), (
            "the prompt states how exact the answer must be (to n decimal places, within ...)"
        )
    wrong = question["wrong_answers"]
    assert len(wrong) >= 2, "at least 2 wrong answers, each with its cause"
    values = []
    for entry in wrong:
        assert set(entry) == {"value", "why"}, f"a wrong answer has a value and a why: {entry}"
        assert is_number(entry["value"]), f"wrong answer {entry['value']!r} is not a number"
        assert isinstance(entry["why"], str) and entry["why"].strip()
        assert not within(entry["value"], answer, tolerance), (
            f"wrong answer {entry['value']} would be graded right (key {answer}, tolerance {tolerance})"
        )
        values.append(float(entry["value"]))
    assert len(values) == len(set(values)), f"two wrong answers have the same value: {values}"
    if "calculator_pick" in question:
        assert "calculator" in question, "calculator_pick without a calculator"


@pytest.mark.parametrize("week, question", questions_of(key="calculator"))
def test_calculator_gives_the_key(week, question):
    pick = question.get("calculator_pick")
    assert pick is None or pick == "product" or (isinstance(pick, int) and not isinstance(pick, bool)), (
        f"calculator_pick is 'product' or an index, got {pick!r}"
    )
    value = pick_value(evaluate_calculator(question["calculator"]), pick)
    assert within(value, question["answer"], question["tolerance"]), (
        f"{question['calculator']} gives {value}, the key is {question['answer']} (tolerance {question['tolerance']})"
    )


def imported_modules(source):
    """Return the top-level names of the modules a piece of code imports."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    return names


@pytest.mark.parametrize("week, question", questions_of("code"))
def test_code_solution_gives_the_key(week, question):
    setup, solution = question["setup"], question["solution"]
    assert isinstance(setup, str) and setup.strip() and isinstance(solution, str) and solution.strip()
    for name, source in (("setup", setup), ("solution", solution)):
        foreign = imported_modules(source) - ALLOWED_IMPORTS
        assert not foreign, f"the {name} must be plain NumPy; it imports {sorted(foreign)}"
    assert "`answer`" in question["prompt"], "the prompt tells the student to store the result in `answer`"
    namespace = {}
    exec(compile(setup, f"{question['id']}-setup", "exec"), namespace)
    assert "answer" not in namespace, "the setup must not define `answer`"
    exec(compile(solution, f"{question['id']}-solution", "exec"), namespace)
    assert "answer" in namespace, "the solution must set `answer`"
    value = np.asarray(namespace["answer"], dtype=float)
    assert value.size == 1, f"`answer` must be one number, got shape {value.shape}"
    assert within(value.reshape(()), question["answer"], question["tolerance"]), (
        f"the solution gives {float(value.reshape(()))}, the key is {question['answer']}"
    )
