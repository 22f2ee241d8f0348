"""The output folder's files written whole or not at all, and the error that says the folder is full.

A grading run writes many files into OUT as results arrive. Should the disk fill up midway, no file may be
left half-written (a rerun would read it), and the instructor must learn which folder is full and what to
do; the results saved so far are kept, so the rerun grades only what is left.
"""

import contextlib
import errno
import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.exc import OperationalError

FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class OutputFolderFull(OSError):
    """The output folder has no room left: the message names it and says what to do."""

    def __init__(self, folder: Path, cause: BaseException):
        super().__init__(
            errno.ENOSPC,
            f"the output folder {folder} is full ({first_line(cause)}): free space on its disk, or give another --out, "
            f"and run "
            f"the same command again; the results graded so far are saved and will not be graded again",
        )
        self.folder = folder


def is_full(exc: BaseException, folder: Path | None = None) -> bool:
    """Return whether `exc`, or an error it was raised from (nbgrader wraps database errors), says a disk is full:
    an OSError, SQLite's "database or disk is full", or SQLite's "disk I/O error" while `folder`'s disk has no room
    (in write-ahead-log mode SQLite reports a failed write to its log or shared-memory file that way)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
            return True
        inner = exc.orig if isinstance(exc, OperationalError) else exc
        if isinstance(inner, sqlite3.OperationalError) and "disk is full" in str(inner):
            return True
        if isinstance(inner, sqlite3.OperationalError) and "disk I/O error" in str(inner) and has_no_room(folder):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def has_no_room(folder: Path | None) -> bool:
    """Return whether the disk of `folder` has less than a page (4 KiB) left for us to write."""
    if folder is None:
        return False
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < 4096


def write_whole(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file beside it, renamed into place: all of it, or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data.encode() if isinstance(data, str) else data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; these are ordinary output files
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def naming_a_full_folder(folder: Path):
    """Turn a disk-full error met inside the block into OutputFolderFull, which names `folder`."""
    try:
        yield
    except OutputFolderFull:
        raise
    except Exception as exc:
        if is_full(exc, folder):
            raise OutputFolderFull(folder, exc) from exc
        raise


def first_line(exc: BaseException) -> str:
    """Return the first line of an error's message (SQLAlchemy's go on with the statement and a link)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
