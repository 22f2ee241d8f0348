"""Similarity of answers across a class: which students' answers, or which answers and the instructor's, look alike.

After a batch is graded, each student's answer to each graded function (only the code written in the
solution cell, not the code the notebook gives) is compared with every other student's answer and with
the instructor's. A pair is *flagged* when most of the uncommon code of the smaller answer is found in
the other. The report (autograder.similarity_report) shows the flagged pairs; nothing here touches a
grade, the gradebook or a student's feedback. Similarity is evidence to look at, never a verdict.

How two answers are compared
- Normalised tokens (Python's own tokenizer): variable names become one symbol; keywords, builtins,
  attribute names (`np.pad`, `.shape`), keyword-argument names and the graded functions' names stay;
  comments, docstrings, layout, quote style, trailing commas and parentheses around a whole side of an
  assignment disappear. So renaming and reformatting cannot hide a copy.
- Fingerprints are the K-grams (K tokens) of each statement, never across two statements, and an
  answer's fingerprints form a set: reordering independent statements changes nothing.
- Weight of a fingerprint, for how common it is: 0 in the notebook's given code; 1 when at most two
  students wrote it, falling linearly to 0 when a quarter of the students (at least MIN_COMMON) wrote
  it in their answer to this function, or in their answers to the other functions (a loop header, a
  window's slice: idioms a small class would not show as common in one function alone).
- Score of a pair: the weight of the fingerprints they share over that of the smaller answer (0-1).
  A pair is flagged when the score is at least THRESHOLD, the shared weight (about one unit per token
  of uncommon code: the *evidence*) is at least MIN_EVIDENCE, and at least MIN_STATEMENTS statements of
  each answer are shared (half of a statement's weight found in the other answer). The last two weigh
  the answer's length: a one-line answer, however alike, flags no one.
- When many students hand in the instructor's answer, its code is common and no one of them is flagged;
  the answers that are the instructor's up to names, layout and order (LIKE_INSTRUCTOR of their
  fingerprints, unweighted) are listed per function so that this case still shows.

Why by hand (the house rule is a well-kept library where one does the job): we compared copydetect 0.5.0
and pycode-similar 1.4 on submissions made for the purpose (tests/grading/similarity_cases.py and the
mistake catalogue's correct alternatives, w1a1_conv_numpy). copydetect as shipped (character 25-grams
over the whole answer, every name one symbol, line breaks dropped) scored a copy with reordered
statements 0.52 and an independent correct answer 0.57, so no threshold separates them, and took ~50 s
for 300 submissions; its fingerprints with our class weighting did worse (a disguised copy 0.25), since
its k-grams run across statements; its tokenizer applied statement by statement does separate them, but
costs 16 s of CPU for 300 submissions (pygments per statement). pycode-similar diffs AST dumps pair by
pair: copies 0.95-1.0 but independent answers up to 0.76, and ~130 s per function for 300 submissions.
Neither weighs a fingerprint by how common it is in the class. This module, on the same submissions:
every disguised copy scores 1.0 with evidence 28 or more; the independent answers score 0.61 at most
(evidence 17 at most); the whole step takes a few seconds for 300 submissions (`make bench`). MOSS-style winnowing
samples
fingerprints to index millions of documents; at class size every K-gram fits in memory, so all are kept
and the overlap is exact rather than sampled.

Saved answers: grading writes every student's extracted answers to OUT/.nbgrader/answers.json, and
`--similarity-only` compares those again. For a run graded with `--no-similarity` (or before this
module existed) it reads the answers from the executed notebooks saved in OUT/.nbgrader/results/.
"""

import ast
import builtins
import difflib
import functools
import io
import json
import keyword
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from autograder.course import SOLUTIONS
from autograder.intake.notebook_files import decode_text
from autograder.output_files import write_whole

K = 6  # tokens per fingerprint
MIN_COMMON = 4  # a fingerprint written by this many students carries no weight, in a small class
COMMON_FRACTION = 0.25  # ... nor one written by this fraction of the students who answered
THRESHOLD = 0.7  # share of the smaller answer's weighted fingerprints found in the other
MIN_EVIDENCE = 20.0  # weighted fingerprints shared (about one per token of uncommon code)
MIN_STATEMENTS = 3  # statements of each answer shared
LIKE_INSTRUCTOR = 0.9  # share of fingerprints, unweighted, that makes an answer "like the instructor's"
INSTRUCTOR = "(instructor)"  # never a student id: intake keeps letters, digits and _.@- only
MAX_CELL_CHARACTERS = (
    100_000  # of one solution cell: an answer is a few dozen lines, a pasted blob is not compared whole
)

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDERS = ("# YOUR CODE HERE", "raise NotImplementedError()")  # what the release has in place of a region
KEPT_NAMES = frozenset(keyword.kwlist) | frozenset(dir(builtins))
IGNORED = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
    tokenize.NEWLINE,
}
COMPOUND = {"if", "elif", "else", "for", "while", "with", "try", "except", "finally", "def", "class", "async"}
ASSIGNING = {"=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", ">>=", "<<="}


@dataclass(frozen=True)
class Answer:
    """The code a student (or the instructor) wrote in one solution cell: (line number in the cell, text) per line."""

    lines: tuple[tuple[int, str], ...]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)


@dataclass(frozen=True)
class Statement:
    """One statement of an answer: its normalised tokens and the answer lines (indices) it spans."""

    tokens: tuple[str, ...]
    first: int
    last: int

    @functools.cached_property
    def fingerprints(self) -> frozenset[int]:
        """The hashes of the statement's K-grams (of the whole statement when it is shorter)."""
        if len(self.tokens) <= K:
            return frozenset((hash(self.tokens),))
        return frozenset(hash(self.tokens[i : i + K]) for i in range(len(self.tokens) - K + 1))


@dataclass
class Match:
    """Two answers to one function that look alike: the score, what they share, and where."""

    function: str
    student_a: str
    student_b: str  # a student, or INSTRUCTOR
    score: float  # weighted share of the smaller answer found in the other, 0-1
    evidence: float  # weighted fingerprints shared
    statements_a: int  # statements of a shared with b
    statements_b: int
    marks_a: dict[int, str] = field(default_factory=dict)  # answer line index -> "shared" or "common"
    marks_b: dict[int, str] = field(default_factory=dict)


@dataclass
class FunctionResult:
    """The comparison of one graded function across the class."""

    function: str
    answered: int  # students with an answer to compare
    matches: list[Match]  # flagged pairs, strongest first
    answers: dict[str, Answer]  # every answer compared, the instructor's included
    like_instructor: list[str] = field(default_factory=list)  # students whose answer is the instructor's up to
    # names, layout and order (unweighted)


# ------------------------------------------------------------------------------------------------
# Answers: the code written in each solution cell, without the code the notebook gives.


def solution_cells(notebook: dict) -> dict[str, list[str]]:
    """Return {grade_id: [source of each solution cell with that grade_id]} of a notebook given as parsed JSON.

    A submission may be damaged in any way: what is not a solution cell of the expected shape is skipped.
    """
    cells: dict[str, list[str]] = {}
    for cell in notebook.get("cells") if isinstance(notebook.get("cells"), list) else []:
        meta = cell.get("metadata") if isinstance(cell, dict) else None
        meta = meta.get("nbgrader") if isinstance(meta, dict) else None
        if not (
            isinstance(meta, dict) and cell.get("cell_type") == "code" and meta.get("solution") and meta.get("grade_id")
        ):
            continue
        source = cell.get("source", "")
        source = "".join(s for s in source if isinstance(s, str)) if isinstance(source, list) else source
        if isinstance(source, str):
            cells.setdefault(str(meta["grade_id"]), []).append(source[:MAX_CELL_CHARACTERS])
    return cells


def split_instructor_cell(source: str) -> tuple[str, Answer]:
    """Return (the code the released cell gives, the instructor's answer) of one instructor solution cell."""
    given, answer, inside = [], [], False
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker == BEGIN:
            inside = True
            given += [
                line[: len(line) - len(line.lstrip())] + placeholder for placeholder in PLACEHOLDERS
            ]  # as released
        elif marker == END:
            inside = False
        elif inside:
            answer.append((number, line))
        else:
            given.append(line)
    return "\n".join(given), trimmed(answer)


def instructor_parts(assignment: str) -> dict[str, tuple[str, Answer]]:
    """Return {graded function: (given code, instructor's answer)} from the instructor notebook."""
    notebook = json.loads((SOLUTIONS / assignment / f"{assignment}.ipynb").read_text())
    return {name: split_instructor_cell("\n".join(sources)) for name, sources in solution_cells(notebook).items()}


def docstring_lines(source: str) -> set[int]:
    """Return the line numbers of the statements of `source` that are a string alone (docstrings), if it tokenizes."""
    lines, statement = set(), []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                if len(statement) == 1 and statement[0].type == tokenize.STRING:
                    lines.update(range(statement[0].start[0], statement[0].end[0] + 1))
                statement = []
            elif tok.type not in IGNORED:
                statement.append(tok)
    except (tokenize.TokenError, SyntaxError):
        pass  # a cell that does not tokenize keeps its docstring lines; they are dropped as strings later
    return lines


def extract_answer(source: str, given: str) -> Answer:
    """Return the student's answer in a solution cell: its lines less those aligned with the given code.

    The given lines are matched in order (difflib), ignoring indentation, so a student who deletes, edits or
    moves some of them keeps the rest out of the answer; docstrings and the release's placeholders go too.
    """
    lines = source.splitlines()
    stripped = [line.strip() for line in lines]
    keep = [s not in PLACEHOLDERS and s not in (BEGIN, END) for s in stripped]
    matcher = difflib.SequenceMatcher(None, [g.strip() for g in given.splitlines()], stripped, autojunk=False)
    for block in matcher.get_matching_blocks():
        for j in range(block.b, block.b + block.size):
            keep[j] = False
    for number in docstring_lines(source):
        if number <= len(keep):
            keep[number - 1] = False
    return trimmed([(number, line) for number, (line, kept) in enumerate(zip(lines, keep), start=1) if kept])


def trimmed(lines: list[tuple[int, str]]) -> Answer:
    """Return the lines as an Answer without the blank lines at either end (none at all when all are blank)."""
    filled = [k for k, (_, line) in enumerate(lines) if line.strip()]
    return Answer(tuple(lines[filled[0] : filled[-1] + 1]) if filled else ())


def answers_of_notebook(notebook: dict, parts: dict[str, tuple[str, Answer]]) -> dict[str, Answer]:
    """Return {graded function: the student's answer} of a submitted notebook (parsed JSON), non-empty answers only."""
    cells = solution_cells(notebook)
    found = {}
    for function, (given, _) in parts.items():
        if function in cells:
            answer = extract_answer("\n".join(cells[function]), given)
            if answer.lines:
                found[function] = answer
    return found


def read_submission(path: Path) -> dict | None:
    """Return a submitted notebook as parsed JSON (nbformat 4), or None when it cannot be read as one."""
    try:
        notebook = json.loads(decode_text(path.read_bytes()))
    except (OSError, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    if not isinstance(notebook, dict):
        return None
    if notebook.get("nbformat", 4) < 4:  # old notebooks: let nbformat convert them
        import nbformat

        try:
            notebook = json.loads(nbformat.writes(nbformat.reads(json.dumps(notebook), as_version=4)))
        except Exception:  # nbformat's readers raise several unrelated types
            return None
    return notebook


# ------------------------------------------------------------------------------------------------
# Normalised statements.


def strip_enclosing(tokens: list[str]) -> list[str]:
    """Return `tokens` without one pair of parentheses around all of them (black adds them to wrap long lines)."""
    if len(tokens) < 3 or tokens[0] != "(" or tokens[-1] != ")":
        return tokens
    depth = 0
    for index, tok in enumerate(tokens):
        depth += tok in "([{"
        depth -= tok in ")]}"
        if depth == 0 and index < len(tokens) - 1:
            return tokens  # "(a) + (b)": the first parenthesis closes early
    return tokens[1:-1]


def tidy(tokens: list[str]) -> tuple[str, ...]:
    """Return a statement's tokens without trailing commas before a closing bracket and without parentheses around
    a whole side of an assignment or a whole returned value."""
    tokens = [t for i, t in enumerate(tokens) if not (t == "," and i + 1 < len(tokens) and tokens[i + 1] in ")]}")]
    if tokens and tokens[0] in ("return", "yield"):
        return (tokens[0], *strip_enclosing(tokens[1:]))
    sides, current, depth = [], [], 0
    for tok in tokens:
        depth += tok in "([{"
        depth -= tok in ")]}"
        if depth == 0 and tok in ASSIGNING:
            sides.append(strip_enclosing(current) + [tok])
            current = []
        else:
            current.append(tok)
    sides.append(strip_enclosing(current) if len(sides) else current)
    return tuple(t for side in sides for t in side)


def literal(text: str, fallback: str) -> str:
    """Return a string or number literal in one canonical spelling (quotes, underscores, exponents), or `fallback`."""
    try:
        return repr(ast.literal_eval(text))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return fallback  # f-strings and the like


def normalise(tokens: list[tokenize.TokenInfo], kept: frozenset[str]) -> list[str]:
    """Return the normalised spelling of each token of one statement; names in `kept` stay as they are."""
    out, brackets = [], []
    for index, tok in enumerate(tokens):
        if tok.type == tokenize.NAME:
            after_dot = index > 0 and tokens[index - 1].string == "."
            following = tokens[index + 1].string if index + 1 < len(tokens) else ""
            keyword_argument = following == "=" and brackets[-1:] == ["("]
            out.append(
                tok.string if tok.string in KEPT_NAMES or tok.string in kept or after_dot or keyword_argument else "V"
            )
        elif tok.type == tokenize.STRING:
            out.append(literal(tok.string, "S"))
        elif tok.type == tokenize.NUMBER:
            out.append(literal(tok.string, tok.string))
        else:
            if tok.string in ("(", "[", "{"):
                brackets.append(tok.string)
            elif tok.string in (")", "]", "}") and brackets:
                brackets.pop()
            out.append(tok.string)
    return out


def split_statements(tokens: list[tokenize.TokenInfo]) -> list[list[tokenize.TokenInfo]]:
    """Return the statements of a logical line: split at `;` and after a compound header's `:` (`if x: y = 1`)."""
    parts, current, depth = [], [], 0
    for tok in tokens:
        depth += tok.string in ("(", "[", "{")
        depth -= tok.string in (")", "]", "}")
        if depth == 0 and tok.string == ";":
            parts.append(current)
            current = []
            continue
        current.append(tok)
        header = current[0].string in COMPOUND and "lambda" not in {t.string for t in current}
        if depth == 0 and tok.string == ":" and header:
            parts.append(current)
            current = []
    parts.append(current)
    return [part for part in parts if part]


def statements(answer: Answer, kept: frozenset[str] = frozenset()) -> list[Statement]:
    """Return the answer's statements with normalised tokens; docstrings and comments are left out.

    kept: names that are not renamed (the graded functions: a student calls them by their names).

    Each line is tokenized without its indentation (the answer is a fragment: its indentation need not be
    valid on its own), and a fragment that does not tokenize to its end keeps the statements read so far.
    """
    text = "\n".join(line.lstrip() for _, line in answer.lines) + "\n"
    found, logical = [], []

    def close():
        for part in split_statements(logical):
            if len(part) == 1 and part[0].type == tokenize.STRING:
                continue  # a docstring, or a string left alone
            tokens = tidy(normalise(part, kept))
            if tokens:
                found.append(Statement(tokens, part[0].start[0] - 1, part[-1].end[0] - 1))
        logical.clear()

    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NEWLINE:
                close()
            elif tok.type not in IGNORED and tok.type != tokenize.ERRORTOKEN:
                logical.append(tok)
    except (tokenize.TokenError, SyntaxError):
        pass  # an unclosed bracket or string at the end: keep what was read
    close()
    return found


def fingerprints_of(items: list[Statement]) -> set[int]:
    """Return the fingerprints of a list of statements."""
    return set().union(*(s.fingerprints for s in items))


# ------------------------------------------------------------------------------------------------
# Comparing the answers to one function.


@dataclass
class Prepared:
    """One function's answers, tokenized and fingerprinted: the students' and the instructor's."""

    function: str
    answers: dict[str, Answer]
    parsed: dict[str, list[Statement]]
    prints: dict[str, set[int]]  # without the given code's fingerprints
    given: set[int]  # the given code's fingerprints


def prepare(
    function: str, answers: dict[str, Answer], given: str, instructor: Answer, kept: frozenset[str] = frozenset()
) -> Prepared:
    """Tokenize and fingerprint the answers to `function` (answers without a statement are left out)."""
    given_prints = fingerprints_of(statements(Answer(tuple(enumerate(given.splitlines(), start=1))), kept))
    by_text: dict[str, list[Statement]] = {}  # answers handed in word for word are read once
    for answer in answers.values():
        if answer.text not in by_text:
            by_text[answer.text] = statements(answer, kept)
    parsed = {student: by_text[answer.text] for student, answer in answers.items() if by_text[answer.text]}
    parsed[INSTRUCTOR] = statements(instructor, kept)
    prints = {name: fingerprints_of(items) - given_prints for name, items in parsed.items()}
    shown = {name: instructor if name == INSTRUCTOR else answers[name] for name in parsed}
    return Prepared(function, shown, parsed, prints, given_prints)


def written_elsewhere(prepared: list[Prepared]) -> dict[str, dict[int, int]]:
    """Return {function: {fingerprint: how many students wrote it in an answer to another function}}."""
    anywhere: dict[int, int] = {}
    only_in: dict[tuple[int, str], int] = {}
    students = {name for p in prepared for name in p.prints if name != INSTRUCTOR}
    for student in students:
        functions: dict[int, list[str]] = {}
        for p in prepared:
            for fp in p.prints.get(student, ()):
                functions.setdefault(fp, []).append(p.function)
        for fp, where in functions.items():
            anywhere[fp] = anywhere.get(fp, 0) + 1
            if len(where) == 1:
                only_in[fp, where[0]] = only_in.get((fp, where[0]), 0) + 1
    return {
        p.function: {
            fp: anywhere.get(fp, 0) - only_in.get((fp, p.function), 0)
            for name, prints in p.prints.items()
            if name != INSTRUCTOR
            for fp in prints
        }
        for p in prepared
    }


def ramp(count: int, cap: float) -> float:
    """Return the weight of a fingerprint that `count` students wrote: 1 up to two, 0 from `cap` on, linear between."""
    return 1.0 if count <= 2 else max(0.0, (cap - count) / (cap - 2))


def weights_by_commonness(p: Prepared, elsewhere: dict[int, int], class_size: int) -> dict[int, float]:
    """Return {fingerprint: weight} of the fingerprints students wrote and of the given code: low when many students
    wrote it, in this function or in another (a loop header, a window's slice), zero in the given code. The cap is a
    quarter of the students (MIN_COMMON at least). A fingerprint of the instructor's answer alone weighs 1."""
    count: dict[int, int] = {}
    for name, prints in p.prints.items():
        if name != INSTRUCTOR:
            for fp in prints:
                count[fp] = count.get(fp, 0) + 1
    cap_here = max(MIN_COMMON, COMMON_FRACTION * (len(p.prints) - 1))
    cap_elsewhere = max(MIN_COMMON, COMMON_FRACTION * class_size)
    weights = {fp: min(ramp(n, cap_here), ramp(elsewhere.get(fp, 0), cap_elsewhere)) for fp, n in count.items()}
    for fp in p.given:
        weights[fp] = 0.0
    return weights


def mark_statements(own: list[Statement], other: set[int], weights: dict[int, float]) -> tuple[int, dict[int, str]]:
    """Return (how many of `own` are shared with the other answer, {line index: "shared" or "common"}).

    A statement is shared when at least half of its weight is found in the other answer, and common when
    it is found there but carries no weight (code many students write, or given code).
    """
    shared, marks = 0, {}
    for statement in own:
        prints = statement.fingerprints
        total = sum(weights.get(fp, 1.0) for fp in prints)
        found = sum(weights.get(fp, 1.0) for fp in prints if fp in other)
        if total > 0 and found >= 0.5 * total:
            shared += 1
            mark = "shared"
        elif total == 0 and prints & other:
            mark = "common"
        else:
            continue
        for line in range(statement.first, statement.last + 1):
            marks[line] = mark
    return shared, marks


def compare_function(p: Prepared, elsewhere: dict[int, int] | None = None, class_size: int = 0) -> FunctionResult:
    """Compare every pair of answers to one function, and each with the instructor's; return the flagged pairs."""
    weights = weights_by_commonness(p, elsewhere or {}, class_size)
    names = list(p.prints)
    result = FunctionResult(p.function, len(names) - 1, [], p.answers)
    if len(names) < 2:
        return result
    columns: dict[int, int] = {}
    rows, cols = [], []
    for row, name in enumerate(names):
        for fp in p.prints[name]:
            rows.append(row)
            cols.append(columns.setdefault(fp, len(columns)))
    present = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(names), len(columns)))
    weight = np.zeros(len(columns))
    for fp, col in columns.items():
        weight[col] = weights.get(fp, 1.0)  # a fingerprint of the instructor's alone: no student wrote it
    shared = (present @ sparse.diags(weight) @ present.T).toarray()  # (answers, answers): weight in common
    mass = np.diag(shared)
    smaller = np.minimum.outer(mass, mass)
    score = np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)
    candidates = np.argwhere(np.triu((score >= THRESHOLD) & (shared >= MIN_EVIDENCE), k=1))

    teacher = names.index(INSTRUCTOR)
    raw = (present @ present[teacher].T).toarray().ravel()  # fingerprints in common with the instructor, unweighted
    result.like_instructor = sorted(
        name
        for i, name in enumerate(names)
        if i != teacher and raw[i] >= LIKE_INSTRUCTOR * max(raw[teacher], len(p.prints[name])) > 0
    )
    for i, j in candidates:
        a, b = names[i], names[j]
        if a == INSTRUCTOR or (b != INSTRUCTOR and a > b):
            a, b = b, a  # students in order of their ids; the instructor second
        count_a, marks_a = mark_statements(p.parsed[a], p.prints[b], weights)
        count_b, marks_b = mark_statements(p.parsed[b], p.prints[a], weights)
        if min(count_a, count_b) >= MIN_STATEMENTS:
            result.matches.append(
                Match(p.function, a, b, float(score[i, j]), float(shared[i, j]), count_a, count_b, marks_a, marks_b)
            )
    result.matches.sort(key=lambda m: (-m.score, -m.evidence, m.student_a, m.student_b))
    return result


def compare_class(assignment: str, answers: dict[str, dict[str, Answer]]) -> list[FunctionResult]:
    """Return the comparison of every graded function of `assignment`, in notebook order.

    answers: {student: {graded function: answer}}.
    """
    parts = instructor_parts(assignment)
    kept = frozenset(parts)
    prepared = [
        prepare(function, {s: own[function] for s, own in answers.items() if function in own}, given, instructor, kept)
        for function, (given, instructor) in parts.items()
    ]
    elsewhere = written_elsewhere(prepared)
    class_size = len({name for p in prepared for name in p.prints if name != INSTRUCTOR})
    return [compare_function(p, elsewhere[p.function], class_size) for p in prepared]


# ------------------------------------------------------------------------------------------------
# Saved answers, so that the comparison can run again without the submissions.


def answers_path(out: Path) -> Path:
    return out / ".nbgrader" / "answers.json"


def save_answers(out: Path, assignment: str, answers: dict[str, dict[str, Answer]]) -> None:
    """Write every student's answers to OUT/.nbgrader/answers.json (atomically)."""
    record = {
        "assignment": assignment,
        "answers": {
            student: {f: [list(line) for line in answer.lines] for f, answer in own.items()}
            for student, own in sorted(answers.items())
        },
    }
    write_whole(answers_path(out), json.dumps(record))


def load_answers(out: Path, assignment: str) -> dict[str, dict[str, Answer]]:
    """Return the answers saved in OUT by an earlier grading run: answers.json, else the saved executed notebooks.

    Raise FileNotFoundError when OUT holds neither (nothing was graded there).
    """
    path = answers_path(out)
    if path.is_file():
        record = json.loads(path.read_text())
        if record.get("assignment") != assignment:
            raise ValueError(f"{out} holds the answers of {record.get('assignment')}, not of {assignment}")
        return {
            student: {f: Answer(tuple((int(n), str(t)) for n, t in lines)) for f, lines in own.items()}
            for student, own in record["answers"].items()
        }
    results = sorted((out / ".nbgrader" / "results").glob("*.json"))
    if not results:
        raise FileNotFoundError(f"no saved grading results in {out}: grade the submissions into it first")
    parts = instructor_parts(assignment)
    answers = {}
    for result in results:
        record = json.loads(result.read_text())
        if record.get("executed"):
            answers[record.get("student_id", result.stem)] = answers_of_notebook(json.loads(record["executed"]), parts)
    return answers


def collect_answers(assignment: str, notebooks: dict[str, Path]) -> dict[str, dict[str, Answer]]:
    """Return {student: {graded function: answer}} read from each student's submitted notebook."""
    parts = instructor_parts(assignment)
    answers = {}
    for student, path in notebooks.items():
        notebook = read_submission(path)
        if notebook is not None:
            answers[student] = answers_of_notebook(notebook, parts)
    return answers
