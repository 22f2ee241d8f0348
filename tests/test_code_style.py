"""The code's habits, checked with every test run: ruff's lint and format, the import contracts of pyproject.toml
(the trust boundary and the layers), and every module of the helper package naming where the course uses it."""

import re
import subprocess
import sys
from pathlib import Path

from autograder.course import REPO
from tests.support.module_users import cnnbook_modules, declared_users, importers, users_line

BIN = Path(sys.executable).parent


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing_to_fix():
    proc = run(str(BIN / "ruff"), "check", "--output-format", "concise", ".")
    assert proc.returncode == 0, f"`ruff check .` reports:\n{proc.stdout}{proc.stderr}"


def test_the_code_is_formatted():
    proc = run(str(BIN / "ruff"), "format", "--check", ".")
    assert proc.returncode == 0, f"run `ruff format .`:\n{proc.stdout}{proc.stderr}"


def test_the_import_contracts_hold():
    proc = run(str(BIN / "lint-imports"))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_the_kernel_side_never_names_the_grader_even_at_run_time():
    """import-linter sees import statements; this sees importlib and __import__ calls with the grader's name."""
    pattern = re.compile(r"(import_module|__import__|find_spec)\([^)]*autograder")
    offenders = [
        str(path.relative_to(REPO)) for path in (REPO / "cnnbook").rglob("*.py") if pattern.search(path.read_text())
    ]
    assert not offenders, offenders


def test_every_module_says_which_pages_notebooks_or_modules_use_it():
    users = importers()
    stale = {}
    for name, path in cnnbook_modules().items():
        want = users_line(users[name])
        if declared_users(path) != want:
            stale[str(path.relative_to(REPO))] = want
    assert not stale, f"run `python -m tests.support.module_users` to write these Used by: lines: {stale}"
