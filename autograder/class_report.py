"""The class report an instructor reads after grading: one self-contained HTML page with plots."""

import base64
import io
import re
import statistics
from collections import Counter
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def figure_html(fig, alt: str) -> str:
    """Return `fig` as an embedded PNG <img> with alternative text, and close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def plot_scores(scores: list[float], max_score: float) -> str:
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(
        scores, bins=min(20, max(1, int(max_score) + 1)), range=(0, max_score or 1), color="#4c72b0", edgecolor="white"
    )
    ax.set_xlabel(f"score (out of {max_score:g})")
    ax.set_ylabel("students")
    ax.set_title("Score distribution")
    return figure_html(fig, "Histogram of the students' scores")


def plot_pass_rates(rates: dict[str, float], unit: str = "function") -> str:
    fig, ax = plt.subplots(figsize=(6, 0.4 * len(rates) + 1))
    names = list(rates)[::-1]
    ax.barh(names, [100 * rates[n] for n in names], color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded submissions with full points")
    ax.set_title(f"Pass rate per graded {unit}")
    return figure_html(fig, "Bar chart of the pass rate of each graded test cell")


def plot_times(seconds: list[float]) -> str:
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(seconds, bins=20, color="#c44e52", edgecolor="white")
    ax.set_xlabel("seconds to grade one submission")
    ax.set_ylabel("submissions")
    ax.set_title("Grading time per submission")
    return figure_html(fig, "Histogram of grading time per submission")


def common_failures(rows, top: int = 15) -> list[tuple[str, int]]:
    """Return the most frequent failure messages, with the per-case details removed so alike failures count together."""
    counter = Counter()
    for row in rows:
        for failure in row.failures:
            counter[re.sub(r"\s*\(hidden test case:.*", "", failure)] += 1
    return counter.most_common(top)


def table(header: list[str] | None, body: list[list]) -> str:
    """Return an HTML table of `body` (rows of cells), with `header` when given."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header or [])
    rows = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in body)
    thead = f"<thead><tr>{head}</tr></thead>" if header else ""
    return f"<table>{thead}<tbody>{rows}</tbody></table>"


def render_report(
    assignment: str,
    rows,
    cells: list[tuple[str, float]],
    sandboxed: bool,
    wall_seconds: float,
    caps: str = "",
    caps_off: str = "",
    similarity: str | None = None,
    unit: str = "function",
) -> str:
    """Return the class report of one grading run, as an HTML page.

    caps: the caps per submission in words; caps_off: why there were none (then the report says so loudly);
    similarity: the similarity report's summary, if any; unit: what a test cell grades (a function of an
    assignment, or a question of a quiz).
    """
    max_score = sum(points for _, points in cells)
    graded = [r for r in rows if r.status == "graded"]
    statuses = Counter(r.status for r in rows)
    parts = [f"<h1>Class report: {escape(assignment)}</h1>"]
    if not sandboxed:
        parts.append(
            '<p class="alarm"><strong>Isolation was OFF:</strong> bubblewrap was not available, so student '
            "code ran with resource limits only, not in a sandbox. Install bubblewrap before grading untrusted "
            "work.</p>"
        )
    if caps_off:
        parts.append(
            f'<p class="alarm"><strong>Caps per submission were OFF</strong> ({escape(caps_off)}): each process of '
            "a submission was limited, but not all of them together, so one submission could take the machine's "
            "memory, disk or CPU. Grade as root on a machine with cgroups before grading untrusted work.</p>"
        )
    scores = [r.score for r in rows]
    summary = [
        ["submissions", len(rows)],
        *[[f"status: {s}", n] for s, n in sorted(statuses.items())],
        ["mean score", f"{statistics.mean(scores):.2f} / {max_score:g}" if scores else "-"],
        ["median score", f"{statistics.median(scores):.2f}" if scores else "-"],
        ["grading wall time", f"{wall_seconds:.1f} s"],
        ["sandbox", "bubblewrap" if sandboxed else "OFF (limits only)"],
        ["caps per submission", caps if not caps_off else "OFF (limits per process only)"],
    ]
    parts += ["<h2>Summary</h2>", table(None, summary)]
    if rows:
        parts += ["<h2>Scores</h2>", plot_scores(scores, max_score)]
    if graded and cells:
        rates = {name: sum(r.points.get(name, 0) >= points for r in graded) / len(graded) for name, points in cells}
        parts += [
            "<h2>Graded functions</h2>" if unit == "function" else "<h2>Graded questions</h2>",
            plot_pass_rates(rates, unit),
            table(["test cell", "points", "pass rate"], [[n, f"{p:g}", f"{100 * rates[n]:.0f}%"] for n, p in cells]),
        ]
    failures = common_failures(rows)
    if failures:
        parts += [
            "<h2>Most common failure messages</h2>",
            table(["message", "submissions"], [[m, n] for m, n in failures]),
        ]
    timed = [r.seconds for r in rows if r.seconds]
    if timed:
        slowest = sorted(rows, key=lambda r: -r.seconds)[:5]
        parts += [
            "<h2>Grading time</h2>",
            plot_times(timed),
            table(["slowest submissions", "seconds"], [[r.student_id, f"{r.seconds:.1f}"] for r in slowest]),
        ]
    if similarity:
        parts += [
            "<h2>Similarity of answers</h2>",
            f'<p>{escape(similarity)}: see <a href="similarity.html">the similarity report</a>. '
            "Similarity is evidence to look at, not a verdict.</p>",
        ]
    problems = [r for r in rows if r.status != "graded"]
    if problems:
        parts += [
            "<h2>Submissions that could not be graded in full</h2>",
            table(["student", "status", "reason"], [[r.student_id, r.status, r.reason] for r in problems]),
        ]
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
        ".alarm{background:#fdd;border:2px solid #c00;padding:1em}"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Class report: {escape(assignment)}'
        f"</title><style>{style}</style></head><body>{''.join(parts)}</body></html>"
    )
