"""`python -m autograder.grade`: the instructor's command (see autograder.grade.coordinator for what it does)."""

import argparse
import dataclasses
import logging
import sys
from pathlib import Path

from autograder.course import check_assignment
from autograder.grade.coordinator import grade
from autograder.grade.exports import FORMATS, export_path
from autograder.grade.summary import summarize
from autograder.grade.workspace import gradebook_url
from autograder.gradebook import GradebookUnavailable, grade_cells
from autograder.output_files import OutputFolderFull
from autograder.quizzes.banks import graded_unit
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.cgroups import cap_support
from autograder.sandbox.limits import GIB, Limits
from autograder.similarity_report import report_saved_similarity


def build_parser() -> argparse.ArgumentParser:
    """Return the command's argument parser."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", help="assignment id, e.g. w1a1_conv_numpy")
    parser.add_argument(
        "submissions",
        type=Path,
        nargs="?",
        help="folder with a sub-folder or a file per student, or a zip (not needed with --similarity-only)",
    )
    parser.add_argument("--out", type=Path, help="output folder (default: graded/ASSIGNMENT)")
    parser.add_argument("--workers", type=int, help="local worker processes (default: one per core)")
    parser.add_argument(
        "--scheduler", help="address of a Dask scheduler, e.g. tcp://10.0.0.5:8786, to grade on its workers"
    )
    parser.add_argument(
        "--db", help="gradebook database URL (default: SQLite in OUT), e.g. postgresql://user@host/course"
    )
    parser.add_argument(
        "--regrade",
        action="append",
        default=[],
        metavar="STUDENT",
        help="grade this student again even if a result is saved (repeat for several)",
    )
    parser.add_argument(
        "--regrade-question",
        metavar="GRADE_ID",
        help="judge this test cell again for every saved submission (after its hidden test was corrected)",
    )
    parser.add_argument("--cell-timeout", type=int, help=f"seconds one cell may run (default {Limits.cell_seconds})")
    parser.add_argument(
        "--notebook-timeout", type=int, help=f"seconds one notebook may run (default {Limits.notebook_seconds})"
    )
    parser.add_argument("--seed", type=int, help="seed of the hidden tests' inputs (default: random, kept in OUT)")
    parser.add_argument(
        "--memory-cap",
        type=float,
        metavar="GB",
        help=f"memory one submission may hold in all its processes and tmpfs folders "
        f"(default {Limits.total_memory_bytes / GIB:g})",
    )
    parser.add_argument(
        "--process-cap", type=int, help=f"processes and threads one submission may run (default {Limits.processes})"
    )
    parser.add_argument(
        "--cpu-cap",
        type=float,
        metavar="CORES",
        help=f"CPU cores one submission may use (default {Limits.cpu_cores:g})",
    )
    parser.add_argument(
        "--disk-cap",
        type=float,
        metavar="GB",
        help=f"what a submission's working folder and each of its /tmp, /var/tmp, /dev/shm may hold "
        f"(default {Limits.disk_bytes / GIB:g})",
    )
    alike = parser.add_mutually_exclusive_group()
    alike.add_argument(
        "--no-similarity",
        action="store_true",
        help="do not compare the students' answers (writes no OUT/similarity.html nor OUT/similarity.csv)",
    )
    alike.add_argument(
        "--similarity-only",
        action="store_true",
        help="grade nothing: compare the answers an earlier run saved in OUT and write OUT/similarity.html and "
        "OUT/similarity.csv again",
    )
    parser.add_argument(
        "--export",
        action="append",
        default=[],
        choices=FORMATS,
        metavar="FORMAT",
        help=f"also write OUT/grades-FORMAT.csv, the CSV file that system imports ({' or '.join(FORMATS)}; repeat "
        "for both)",
    )
    parser.add_argument(
        "--export-column",
        metavar="NAME",
        help="header of the grade column of the exports (default: the assignment id); for Canvas, the "
        "assignment's name as Canvas shows it, with its Canvas id: 'Convolution (12345)'",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # nbgrader logs each database error with a traceback before it raises it again; this command reports the
    # error itself, in a sentence (a full output folder, a database that went away).
    logging.getLogger("tornado.application").setLevel(logging.CRITICAL)
    out = args.out or Path("graded") / args.assignment
    if args.similarity_only:
        check_assignment(args.assignment)
        try:
            found = report_saved_similarity(args.assignment, out.resolve())
        except (FileNotFoundError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"similarity: {out / 'similarity.html'} ({found}; evidence to look at, not a verdict)")
        return 0
    if args.submissions is None:
        parser.error("the folder or zip of submissions is required (unless --similarity-only)")
    if bubblewrap() is None:
        print(
            "WARNING: bubblewrap (bwrap) is not available: student code runs WITHOUT isolation, with resource "
            "limits only. Install it (apt-get install bubblewrap) before grading untrusted work.",
            file=sys.stderr,
        )
    support = cap_support()
    if support.kind is None:
        print(
            f"WARNING: caps per submission are OFF ({support.reason}): each process of a submission is limited, but "
            "not all of them together, so one submission can take the machine's memory, disk or CPU. Grade as root "
            "on a machine with cgroups (v2, or v1 memory, pids and cpu) before grading untrusted work.",
            file=sys.stderr,
        )
    try:
        rows = grade(
            args.assignment,
            args.submissions,
            out,
            cell_timeout=args.cell_timeout,
            notebook_timeout=args.notebook_timeout,
            workers=args.workers,
            scheduler=args.scheduler,
            seed=args.seed,
            regrade=tuple(args.regrade),
            regrade_question=args.regrade_question,
            db_url=args.db,
            limits=limits_from(args),
            similarity=not args.no_similarity,
            exports=tuple(dict.fromkeys(args.export)),
            export_column=args.export_column,
        )
        cells = grade_cells(gradebook_url(out, args.db), args.assignment)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OutputFolderFull, GradebookUnavailable) as exc:
        print(f"error: {exc.strerror if isinstance(exc, OSError) else exc}", file=sys.stderr)
        return 3
    print(summarize(args.assignment, rows, cells, out, detail=tuple(args.regrade), unit=graded_unit(args.assignment)))
    for fmt in dict.fromkeys(args.export):
        print(f"{fmt}:{' ' * (8 - len(fmt))}{export_path(out, fmt)}")
    if (out / "similarity.html").is_file() and not args.no_similarity:  # a quiz has none
        print(f"similarity: {out / 'similarity.html'}")
    return 0


def limits_from(args: argparse.Namespace) -> Limits:
    """Return the default limits with the caps given on the command line."""
    changes = {
        "total_memory_bytes": None if args.memory_cap is None else int(args.memory_cap * GIB),
        "processes": args.process_cap,
        "cpu_cores": args.cpu_cap,
        "disk_bytes": None if args.disk_cap is None else int(args.disk_cap * GIB),
    }
    return dataclasses.replace(Limits(), **{k: v for k, v in changes.items() if v is not None})


if __name__ == "__main__":
    sys.exit(main())
