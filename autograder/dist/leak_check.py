"""The leak check of the student release: no file in it may hold a line that only the grader side may have.

The secret lines are every line of a solution region (`### BEGIN SOLUTION` .. `### END SOLUTION`) and of a
hidden-test region of the instructor notebooks in solutions/ (a weekly quiz's keys are its solution regions), every
line of the hidden tests and references in autograder/assignments/, every line of a quiz's bank there (its keys,
explanations and the questions the book keeps for self-checking), and every line of the mistake catalogues in
tests/assignments/. A line counts once its
whitespace is stripped, if it is long enough to say something (MIN_CHARS) and is not an import. Lines students
are meant to have are not secret, wherever else they appear: what the instructor notebooks show outside those
regions (a signature, a docstring, a visible check) and the kernel side as committed (cnnbook/: the visible checks
share their diagnoses with the hidden tests by design). So the check guards what the release assembles, copies
and adds; that the committed kernel side holds no answer is for review and the trust boundary's contracts.

Every file of the tree is read: a notebook by its cells' sources and outputs, any other text file by its lines, a
zip archive (a wheel) member by member, and any other binary file by its runs of printable characters (weights
files hold their layers' names and configuration as text). No off-the-shelf scanner knows what this course's
secrets are (secret scanners look for keys and tokens), hence this module.
"""

import json
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from autograder.course import REPO, assignment_names

__all__ = ["Leak", "SecretLine", "secret_lines", "find_leaks", "describe"]

MIN_CHARS = 12
REGIONS = {
    "solution": ("### BEGIN SOLUTION", "### END SOLUTION"),
    "hidden test": ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
}
PRINTABLE_RUN = re.compile(rb"[\t\x20-\x7e]{%d,}" % MIN_CHARS)
NOT_SECRET = re.compile(r"^(import |from \S+ import |#+$|\"\"\"$|'''$)")
# The grader side's files whose every line is secret, per assignment, with what they are.
GRADER_FILES = {
    "autograder/assignments/{a}/hidden_tests.py": "hidden tests",
    "autograder/assignments/{a}/reference.py": "reference",
    "autograder/assignments/{a}/bank.yaml": "quiz bank",
    "tests/assignments/{a}/catalogue.py": "mistake catalogue",
}


@dataclass(frozen=True)
class SecretLine:
    """Where a secret line comes from: a file of the checkout, its line number, and what the file is."""

    origin: str
    line: int
    kind: str


@dataclass(frozen=True)
class Leak:
    """A line of the student tree that is secret: where it is, the line, and where it comes from."""

    path: str
    where: str
    text: str
    secret: SecretLine


def normalise(line: str) -> str:
    """Return the line as it is compared: without surrounding whitespace."""
    return line.strip()


def counts(line: str) -> bool:
    """Return whether a (normalised) line is specific enough to be a secret: long enough, and not an import."""
    return len(line) >= MIN_CHARS and not NOT_SECRET.match(line)


def notebook_regions(path: Path) -> tuple[list[tuple[str, int, str]], set[str]]:
    """Return the (kind, line number in its cell, line) of a notebook's secret regions, and its public lines."""
    secret, public = [], set()
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        inside = None
        for number, line in enumerate("".join(cell["source"]).splitlines(), start=1):
            text = normalise(line)
            opened = next((kind for kind, (begin, _) in REGIONS.items() if text.startswith(begin)), None)
            if opened:
                inside = opened
            elif inside and text.startswith(REGIONS[inside][1]):
                inside = None
            elif inside:
                secret.append((f"{inside} region of cell {cell.get('id', '?')}", number, text))
            else:
                public.add(text)
    return secret, public


def kernel_side_lines(repo: Path) -> set[str]:
    """Return the normalised lines of the committed kernel side's Python sources (cnnbook/)."""
    return {normalise(line) for path in (repo / "cnnbook").rglob("*.py") for line in path.read_text("utf-8").splitlines()}


def secret_lines(repo: Path = REPO) -> dict[str, SecretLine]:
    """Return {normalised secret line: where it first comes from} for every assignment of the course."""
    found, public = {}, kernel_side_lines(repo)
    for assignment in assignment_names():
        notebook = repo / "solutions" / assignment / f"{assignment}.ipynb"
        regions, shown = notebook_regions(notebook)
        public |= shown
        for kind, number, text in regions:
            found.setdefault(text, SecretLine(notebook.relative_to(repo).as_posix(), number, kind))
        for pattern, kind in GRADER_FILES.items():
            path = repo / pattern.format(a=assignment)
            if not path.is_file():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                found.setdefault(normalise(line), SecretLine(path.relative_to(repo).as_posix(), number, kind))
    return {text: where for text, where in found.items() if counts(text) and text not in public}


def notebook_lines(data: bytes) -> list[tuple[str, str]]:
    """Return (where, line) for the cells' sources and text outputs of a notebook's JSON."""
    lines = []
    for index, cell in enumerate(json.loads(data)["cells"]):
        where = f"cell {cell.get('id', index)}"
        texts = ["".join(cell.get("source", ""))]
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            texts += ["".join(v) if isinstance(v, list) else str(v) for v in output.get("data", {}).values()]
        lines += [(where, line) for text in texts for line in text.splitlines()]
    return lines


def file_lines(name: str, data: bytes) -> list[tuple[str, str]]:
    """Return (where, line) for every line of a file's bytes, by kind of file (see the module's docstring)."""
    if name.endswith(".ipynb"):
        try:
            return notebook_lines(data)
        except (ValueError, KeyError, TypeError):
            pass  # not a notebook's JSON after all: read as text below
    if zipfile.is_zipfile(BytesIO(data)):
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return [
                (f"{member} in the archive, {where}", line)
                for member in archive.namelist()
                if not member.endswith("/")
                for where, line in file_lines(member, archive.read(member))
            ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [("bytes", run.decode("ascii")) for run in PRINTABLE_RUN.findall(data)]
    return [(f"line {number}", line) for number, line in enumerate(text.splitlines(), start=1)]


def find_leaks(tree: Path, secrets: dict[str, SecretLine] | None = None) -> list[Leak]:
    """Return every secret line found in the files under `tree`, in path order."""
    secrets = secret_lines() if secrets is None else secrets
    leaks = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        relative = path.relative_to(tree).as_posix()
        for where, line in file_lines(path.name, path.read_bytes()):
            # A run of printable bytes may hold several lines; compare each.
            for text in (normalise(part) for part in line.splitlines() or [line]):
                if text in secrets:
                    leaks.append(Leak(relative, where, text, secrets[text]))
    return leaks


def describe(leak: Leak, sources: dict[str, str]) -> str:
    """Return a sentence naming the leaked line, where it is, where it comes from and what to fix."""
    top = leak.path.split("/", 1)[0]
    fix = f"remove it from {sources[top]}" if top in sources else "remove the file from the student release"
    secret = leak.secret
    return (
        f"{leak.path} ({leak.where}) holds a line of the {secret.kind} in {secret.origin} (line {secret.line}): "
        f"{leak.text[:100]!r}; {fix}."
    )
