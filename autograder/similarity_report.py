"""The similarity report of a grading run: OUT/similarity.html and OUT/similarity.csv.

    python -m autograder.grade ASSIGNMENT SUBMISSIONS --out OUT   grades, then writes the report
    python -m autograder.grade ASSIGNMENT --similarity-only --out OUT   writes it again from OUT's saved answers

The page lists, per graded function, the pairs of students and the students and instructor whose answers
look alike beyond the threshold (autograder.similarity), strongest first, each with the two answers side by
side and the shared statements marked. Nothing here writes to grades.csv, the gradebook or the feedback.
"""

import csv
import io
import sys
from html import escape
from pathlib import Path

from autograder import similarity
from autograder.output_files import write_whole
from autograder.similarity import INSTRUCTOR, FunctionResult, Match

CSV_COLUMNS = [
    "assignment",
    "function",
    "student_a",
    "student_b",
    "score",
    "evidence",
    "statements_shared_a",
    "statements_shared_b",
    "lines_a",
    "lines_b",
]
DETAILED_PER_FUNCTION = 100  # pairs shown side by side per function; all of them are in the CSV

STYLE = """
body{font-family:sans-serif;max-width:80em;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.6em 1em}
.pair{border:1px solid #ccc;margin:1.5em 0;padding:.5em 1em}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.side{overflow-x:auto}.side h4{margin:.3em 0}
pre{margin:0;font-size:85%;line-height:1.35}
.ln{color:#888;user-select:none;display:inline-block;width:3.2em}
.shared{background:#ffd48a}.common{background:#e4e4e4}
.key span{padding:0 .4em}
"""


def line_ranges(answer: similarity.Answer, marks: dict[int, str], kind: str = "shared") -> str:
    """Return the cell line numbers marked `kind`, as ranges: "12-14 17"."""
    numbers = sorted(answer.lines[index][0] for index, mark in marks.items() if mark == kind)
    ranges, start = [], None
    for k, n in enumerate(numbers):
        if start is None:
            start = n
        if k + 1 == len(numbers) or numbers[k + 1] != n + 1:
            ranges.append(f"{start}-{n}" if n != start else str(n))
            start = None
    return " ".join(ranges)


def who(name: str) -> str:
    return "the instructor's answer" if name == INSTRUCTOR else f"student {name}"


def code_html(answer: similarity.Answer, marks: dict[int, str]) -> str:
    """Return the answer as <pre> lines with their cell line numbers, shared statements marked."""
    rows = []
    for index, (number, text) in enumerate(answer.lines):
        body = f'<span class="ln">{number}</span>{escape(text)}'
        mark = marks.get(index)
        rows.append(f'<span class="{mark}">{body}</span>' if mark else body)
    return "<pre>" + "\n".join(rows) + "</pre>"


def pair_anchor(match: Match) -> str:
    return f"{match.function}--{match.student_a}--{match.student_b}"


def pair_html(result: FunctionResult, match: Match) -> str:
    """Return one flagged pair: its figures and the two answers side by side."""
    sides = "".join(
        f'<div class="side"><h4>{escape(who(name))}</h4><p>{shared} statements shared</p>'
        f"{code_html(result.answers[name], marks)}</div>"
        for name, marks, shared in (
            (match.student_a, match.marks_a, match.statements_a),
            (match.student_b, match.marks_b, match.statements_b),
        )
    )
    return (
        f'<div class="pair" id="{escape(pair_anchor(match))}">'
        f"<h3>{escape(match.function)}: {escape(match.student_a)} and "
        f"{escape(who(match.student_b) if match.student_b == INSTRUCTOR else match.student_b)}</h3>"
        f"<p>score {100 * match.score:.0f}% &middot; evidence {match.evidence:.0f}</p>"
        f'<div class="sides">{sides}</div></div>'
    )


def table(header: list[str], rows: list[list[str]]) -> str:
    """Return an HTML table; cells are HTML already."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def explanation() -> str:
    return f"""
<p class="note"><strong>Similarity is evidence to look at, not a verdict.</strong> Answers written independently
can look alike: the exercise leads everyone towards the same code, and the instructor's notebooks are public, so
students may have read them legitimately. A pair listed here is a reason to read both answers side by side and,
if still in doubt, to talk with the students. Nothing on this page changes a grade, the gradebook or any
student's feedback.</p>
<h2>How to read it</h2>
<ul>
<li>Only the code a student wrote in each solution cell is compared, never the code the notebook gives. Names of
variables, layout, comments, quote style and the order of statements do not matter: renaming and reformatting
cannot hide a copy, and answers are compared statement by statement.</li>
<li>Code that many students wrote alike (more than a quarter of them, at least {similarity.MIN_COMMON}, in this
function or elsewhere in their notebooks) counts for little or nothing, and code the notebook gives counts for
nothing.</li>
<li><strong>Score</strong>: the share of the smaller answer's weighted code found in the other. A pair is listed
when the score is at least {100 * similarity.THRESHOLD:.0f}%, the shared code weighs at least
{similarity.MIN_EVIDENCE:.0f} (<strong>evidence</strong>, about one per token of uncommon code), and at least
{similarity.MIN_STATEMENTS} statements of each answer are shared. So a short answer that everyone writes alike,
a one-liner, never flags anyone.</li>
<li>In the answers, <span class="shared">statements shared</span> are marked; <span class="common">statements
found in both but common in the class</span> are grey: they carry no weight.</li>
<li>"Like the instructor's" counts the answers that are the instructor's answer up to names, layout and order
(at least {100 * similarity.LIKE_INSTRUCTOR:.0f}% of their fingerprints, before any weighting); each function's
section names them. For a short function that is normal. For a long one it matters: when many students hand in
the instructor's answer, its code becomes common in the class and the weighting no longer flags any of them
one by one, but they are all named there.</li>
</ul>"""


def write_html(path: Path, assignment: str, results: list[FunctionResult]) -> None:
    """Write the self-contained similarity page (no scripts, no network) to `path`."""
    parts = [f"<h1>Similarity of answers: {escape(assignment)}</h1>", explanation(), "<h2>Summary</h2>"]
    summary = [
        [
            f'<a href="#{escape(r.function)}">{escape(r.function)}</a>',
            str(r.answered),
            str(sum(m.student_b != INSTRUCTOR for m in r.matches)),
            str(sum(m.student_b == INSTRUCTOR for m in r.matches)),
            str(len(r.like_instructor)),
        ]
        for r in results
    ]
    parts.append(
        table(
            [
                "graded function",
                "answers compared",
                "pairs of students",
                "matches with the instructor",
                "like the instructor's",
            ],
            summary,
        )
    )
    for r in results:
        parts.append(f'<h2 id="{escape(r.function)}">{escape(r.function)}</h2>')
        if r.like_instructor:
            parts.append(
                f"<details><summary>{len(r.like_instructor)} of {r.answered} answers are like the instructor's "
                f"(before weighting)</summary><p>{escape(', '.join(r.like_instructor))}</p></details>"
            )
        if not r.matches:
            parts.append(f"<p>No pair above the threshold among {r.answered} answers.</p>")
            continue
        rows = [
            [
                f'<a href="#{escape(pair_anchor(m))}">{escape(m.student_a)}</a>'
                if k < DETAILED_PER_FUNCTION
                else escape(m.student_a),
                escape(who(m.student_b) if m.student_b == INSTRUCTOR else m.student_b),
                f"{100 * m.score:.0f}%",
                f"{m.evidence:.0f}",
                f"{m.statements_a} / {m.statements_b}",
            ]
            for k, m in enumerate(r.matches)
        ]
        parts.append(table(["student", "alike with", "score", "evidence", "statements shared"], rows))
        if len(r.matches) > DETAILED_PER_FUNCTION:
            parts.append(
                f"<p>The {DETAILED_PER_FUNCTION} strongest are shown below; similarity.csv lists all "
                f"{len(r.matches)}.</p>"
            )
        parts += [pair_html(r, m) for m in r.matches[:DETAILED_PER_FUNCTION]]
    write_whole(
        path,
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Similarity: {escape(assignment)}'
        f"</title><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>",
    )


def write_csv(path: Path, assignment: str, results: list[FunctionResult]) -> None:
    """Write one row per flagged pair, function by function, strongest first."""
    with io.StringIO(newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for r in results:
            for m in r.matches:
                writer.writerow(
                    [
                        assignment,
                        m.function,
                        m.student_a,
                        m.student_b,
                        f"{m.score:.3f}",
                        f"{m.evidence:.1f}",
                        m.statements_a,
                        m.statements_b,
                        line_ranges(r.answers[m.student_a], m.marks_a),
                        line_ranges(r.answers[m.student_b], m.marks_b),
                    ]
                )
        write_whole(path, fh.getvalue())


def summary_sentence(results: list[FunctionResult]) -> str:
    """Return one sentence for the class report: how many pairs and instructor matches are above the threshold."""
    pairs = sum(m.student_b != INSTRUCTOR for r in results for m in r.matches)
    teacher = sum(m.student_b == INSTRUCTOR for r in results for m in r.matches)
    return (
        f"{pairs} pair{'s' if pairs != 1 else ''} of students and {teacher} "
        f"match{'es' if teacher != 1 else ''} with the instructor's answers above the threshold"
    )


def write_similarity(out: Path, assignment: str, answers: dict) -> str:
    """Compare `answers` ({student: {function: Answer}}), write OUT/similarity.html and .csv; return the summary."""
    results = similarity.compare_class(assignment, answers)
    write_html(out / "similarity.html", assignment, results)
    write_csv(out / "similarity.csv", assignment, results)
    return summary_sentence(results)


def report_similarity(assignment: str, out: Path, notebooks: dict[str, Path]) -> str | None:
    """After grading: read each student's answers from their notebook, save them in OUT, and write the report.

    Return the summary sentence, or None (with a warning) when the report could not be made.
    """
    try:
        answers = similarity.collect_answers(assignment, notebooks)
        similarity.save_answers(out, assignment, answers)
        return write_similarity(out, assignment, answers)
    except Exception as exc:  # grading is done and saved: a fault here must not cost the run its class report
        print(f"WARNING: the similarity report could not be made ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None


def report_saved_similarity(assignment: str, out: Path) -> str:
    """--similarity-only: write the report again from the answers an earlier grading run saved in OUT."""
    return write_similarity(out, assignment, similarity.load_answers(out, assignment))
