"""Where the course's pieces live, and how the course's tools call nbgrader."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
ASSIGNMENTS = REPO / "assignments"
NBGRADER_CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"
# What Jupyter writes next to a notebook it opens (JupyterLab's checkpoints, jupyter-lsp's copies for the language
# server): part of nobody's release or submission.
JUPYTER_SESSION_FOLDERS = frozenset({".ipynb_checkpoints", ".virtual_documents"})


def assignment_names() -> list[str]:
    """Return the ids of the assignments that have an instructor notebook, sorted."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").is_file())


def check_assignment(name: str) -> None:
    """Raise SystemExit with the list of known assignments when `name` is not one of them."""
    if name not in assignment_names():
        known = ", ".join(assignment_names()) or "none"
        raise SystemExit(
            f"Unknown assignment {name!r}: solutions/{name}/{name}.ipynb does not exist. Known assignments: {known}."
        )


def nbgrader_command(*args: str) -> list[str]:
    """Return the argv that runs `nbgrader <args>` with the course's configuration, rooted at the repository."""
    return [
        sys.executable,
        "-m",
        "nbgrader",
        *args,
        f"--NbGrader.config_file={NBGRADER_CONFIG}",
        f"--CourseDirectory.root={REPO}",
        "--log-level=ERROR",
    ]


def nbgrader_env(extra: dict | None = None) -> dict:
    """Return the environment for an nbgrader process: this interpreter's bin/ first on PATH (nbgrader runs
    `alembic`)."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, **(extra or {})}


def run_nbgrader(*args: str, env: dict | None = None, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run nbgrader with the course's configuration; raise RuntimeError with its log when it fails."""
    proc = subprocess.run(
        nbgrader_command(*args), cwd=REPO, capture_output=True, text=True, env=nbgrader_env(env), timeout=timeout
    )
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args[:2])} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc
