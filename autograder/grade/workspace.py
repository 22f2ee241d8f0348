"""The folders of one grading run, its seed, and the gradebook nbgrader makes from the instructor notebook
(made once per version of that notebook and kept)."""

import hashlib
import importlib
import importlib.metadata
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder.course import NBGRADER_CONFIG, REPO, SOLUTIONS, run_nbgrader


@dataclass(frozen=True)
class Workspace:
    """The folders of one grading run under OUT/.nbgrader (the instructor's, never a student's)."""

    out: Path
    db_url: str

    @property
    def root(self) -> Path:
        return self.out / ".nbgrader"

    @property
    def results(self) -> Path:
        return self.root / "results"

    def flags(self, db_url: str | None = None) -> list[str]:
        """Return the options of `nbgrader generate_assignment` (the only nbgrader command run) for this workspace."""
        return [
            f"--CourseDirectory.release_directory={self.root / 'release'}",
            f"--CourseDirectory.db_url={db_url or self.db_url}",
        ]

    def autograded(self, student: str, assignment: str) -> Path:
        return self.root / "autograded" / student / assignment / f"{assignment}.ipynb"


def gradebook_url(out: Path, db_url: str | None = None) -> str:
    """Return the gradebook of a run writing to `out`: the database at `db_url`, else SQLite in OUT/gradebook.db."""
    return db_url or f"sqlite:///{out.resolve() / 'gradebook.db'}"


GRADEBOOK_CACHE = REPO / "graded" / ".source-gradebooks"  # hidden from every kernel, as all of graded/ is


def source_key(assignment: str) -> str:
    """Return what the gradebook of generate_assignment depends on, hashed: the instructor notebook, the course's
    nbgrader configuration and nbgrader's version."""
    digest = hashlib.sha256()
    for part in (
        (SOLUTIONS / assignment / f"{assignment}.ipynb").read_bytes(),
        NBGRADER_CONFIG.read_bytes(),
        importlib.metadata.version("nbgrader").encode(),
    ):
        digest.update(part + b"\0")
    return digest.hexdigest()[:16]


def cached_gradebook(assignment: str) -> Path:
    """Return where the gradebook of the current instructor notebook is kept (see generate_source_gradebook)."""
    return GRADEBOOK_CACHE / f"{assignment}-{source_key(assignment)}.db"


def coordinator_runs_nbgrader(assignment: str, out: Path, db_url: str | None) -> bool:
    """Return whether grade() will run nbgrader's generate_assignment (15 s or so) before handing out any work."""
    return db_url is not None or (out / "gradebook.db").exists() or not cached_gradebook(assignment).is_file()


def generate_source_gradebook(assignment: str, workspace: Workspace, target: Path) -> None:
    """Write the gradebook `nbgrader generate_assignment` makes from the instructor notebook to `target` (SQLite).

    nbgrader takes about 15 s for it (its own start-up and database migrations), and the result depends only on
    what source_key hashes, so it is kept in GRADEBOOK_CACHE (readable by this user only) and copied from there.
    """
    cached = cached_gradebook(assignment)
    if cached.is_file():
        shutil.copy(cached, target)
        return
    run_nbgrader("generate_assignment", assignment, "--force", *workspace.flags(f"sqlite:///{target}"))
    GRADEBOOK_CACHE.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = cached.with_name(f".{cached.name}.{os.getpid()}")  # renamed into place: a reader never sees half a file
    shutil.copy(target, partial)
    os.chmod(partial, 0o600)
    os.replace(partial, cached)
    for stale in GRADEBOOK_CACHE.glob(f"{assignment}-*.db"):  # earlier versions of the instructor notebook
        if stale != cached:
            stale.unlink(missing_ok=True)


def run_seed(workspace: Workspace, seed: int | None) -> int:
    """Return the seed of this grading run: `seed` when given, else the one kept in OUT, else a new random one."""
    path = workspace.root / "seed"
    if seed is None and path.is_file():
        return int(path.read_text())
    seed = secrets.randbelow(2**31) if seed is None else seed
    path.write_text(str(seed))
    return seed
