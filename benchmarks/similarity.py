"""`make bench`: the similarity report for 300 submissions of one assignment, as grading makes it (budget: 10 s).

The class is made up: each student's answer to each graded function is one of the answers the course
knows for it (the instructor's, and the mistake catalogue's mistakes and correct alternatives), in the
student's own names, spacing, quotes and order of independent statements; and the first tenth of the
class hand in a classmate's notebook, disguised the same way. About thirty students share each known
answer, so the report flags many pairs: a worst case for the comparison and for the report's size.
The time is that of the whole step after grading (reading the notebooks, saving the answers, comparing,
writing similarity.html and .csv), then of the comparison alone.

    python -m benchmarks.similarity [COPIES]
"""

import ast
import importlib
import io
import json
import keyword
import random
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

from autograder import similarity
from autograder.course import ASSIGNMENTS
from autograder.similarity_report import report_similarity
from tests.support.variants import variants_for

ASSIGNMENT = "w1a1_conv_numpy"
COPIES = 300
BUDGET_SECONDS = 10.0
KEPT = set(keyword.kwlist) | set(dir(__builtins__ if isinstance(__builtins__, dict) else vars(__builtins__))) | {"np"}


@dataclass
class SimilarityTiming:
    assignment: str
    copies: int
    seconds: float  # the whole step after grading
    compare_seconds: float  # compare_class alone, on answers already read
    pairs: int
    instructor_matches: int


def known_answers(assignment: str) -> dict[str, list[str]]:
    """Return {graded function: whole solution cells}: the instructor's, then the catalogue's mistakes and
    alternatives."""
    instructor = similarity.solution_cells(
        json.loads((similarity.SOLUTIONS / assignment / f"{assignment}.ipynb").read_text())
    )
    known = {function: [sources[0]] for function, sources in instructor.items()}
    for variant in variants_for(importlib.import_module(f"tests.assignments.{assignment}.catalogue")):
        known[variant.function].append(variant.source())
    return known


def assigned_names(source: str) -> set[str]:
    """Return the names a cell assigns (its variables), which a student is free to choose."""
    return {
        node.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def reorder(lines: list[str], rng: random.Random) -> list[str]:
    """Swap some neighbouring one-line assignments of the function body when neither uses what the other assigns."""
    lines = list(lines)
    for k in range(1, len(lines) - 1):
        a, b = lines[k], lines[k + 1]
        if not (a.startswith("    ") and b.startswith("    ")) or a[4] == " " or b[4] == " " or rng.random() < 0.5:
            continue
        try:
            parsed = [ast.parse(line.strip()).body for line in (a, b)]
        except SyntaxError:
            continue  # a line of a longer statement
        if not all(len(body) == 1 and isinstance(body[0], ast.Assign) for body in parsed):
            continue
        first, second = parsed[0][0], parsed[1][0]
        sets = [{n.id for t in s.targets for n in ast.walk(t) if isinstance(n, ast.Name)} for s in (first, second)]
        uses = [{n.id for n in ast.walk(s.value) if isinstance(n, ast.Name)} for s in (first, second)]
        if not (sets[0] & uses[1] or sets[1] & uses[0] or sets[0] & sets[1]):
            lines[k], lines[k + 1] = b, a
    return lines


def disguise(source: str, rng: random.Random, graded: set[str]) -> str:
    """Return `source` with its variables renamed, its independent statements reordered and its spacing changed."""
    keep = KEPT | graded
    renames = {name: f"{name.lower()[:2]}_{rng.randrange(1000)}" for name in assigned_names(source) - keep}
    source = "\n".join(reorder(source.splitlines(), rng)) + "\n"
    tokens, previous = [], ""
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        text = tok.string
        if tok.type == tokenize.NAME and previous != "." and text in renames:
            text = renames[text]
        elif tok.type == tokenize.STRING and rng.random() < 0.5 and text[0] in "'\"" and text[:3] not in ("'''", '"""'):
            other = "'" if text[0] == '"' else '"'
            text = other + text[1:-1] + other if other not in text[1:-1] else text
        tokens.append((tok.type, text))
        previous = tok.string
    return tokenize.untokenize(tokens)  # untokenize's own spacing: the layout changes too


def make_class(folder: Path, assignment: str, copies: int, seed: int = 0) -> dict[str, Path]:
    """Write `copies` submissions (the release with each solution cell filled) and return {student: notebook}."""
    rng = random.Random(seed)
    known = known_answers(assignment)
    release = json.loads((ASSIGNMENTS / assignment / f"{assignment}.ipynb").read_text())
    graded = set(known)
    notebooks, written = {}, {}
    for k in range(copies):
        student = f"student{k:03d}"
        if k < copies // 10 and written:  # a tenth of the class hand in a classmate's work, disguised
            cells = {f: disguise(source, rng, graded) for f, source in written[rng.choice(sorted(written))].items()}
        else:
            cells = {f: disguise(rng.choice(options), rng, graded) for f, options in known.items()}
            written[student] = cells
        notebook = json.loads(json.dumps(release))
        for cell in notebook["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("solution") and meta.get("grade_id") in cells:
                cell["source"] = cells[meta["grade_id"]]
        path = folder / student / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(notebook))
        notebooks[student] = path
    return notebooks


def measure(assignment: str = ASSIGNMENT, copies: int = COPIES) -> SimilarityTiming:
    """Time the similarity step on `copies` made-up submissions of `assignment`."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        notebooks = make_class(tmp / "subs", assignment, copies)
        (tmp / "out").mkdir()
        started = time.perf_counter()
        if report_similarity(assignment, tmp / "out", notebooks) is None:
            raise RuntimeError("the similarity report failed (see the warning above)")
        seconds = time.perf_counter() - started
        answers = similarity.load_answers(tmp / "out", assignment)
        started = time.perf_counter()
        results = similarity.compare_class(assignment, answers)
        compare_seconds = time.perf_counter() - started
    matches = [m for r in results for m in r.matches]
    teacher = sum(m.student_b == similarity.INSTRUCTOR for m in matches)
    return SimilarityTiming(assignment, copies, seconds, compare_seconds, len(matches) - teacher, teacher)


def print_table(t: SimilarityTiming) -> bool:
    """Print the row; return whether it is over budget."""
    over = t.seconds > BUDGET_SECONDS
    print(
        "| assignment | submissions | similarity step (s) | comparison alone (s) | pairs flagged | "
        "instructor matches | budget (s) |\n|---|---|---|---|---|---|---|"
    )
    print(
        f"| {t.assignment} | {t.copies} | {t.seconds:.1f} | {t.compare_seconds:.1f} | {t.pairs} | "
        f"{t.instructor_matches} | {BUDGET_SECONDS:g}{' OVER' if over else ''} |",
        flush=True,
    )
    return over


if __name__ == "__main__":
    sys.exit(1 if print_table(measure(copies=int(sys.argv[1]) if len(sys.argv) > 1 else COPIES)) else 0)
