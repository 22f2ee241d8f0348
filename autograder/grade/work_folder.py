"""The kernel's private working folder: the assignment's data files, the hidden tests' .probe/ folder, and the
grader's cached data sets shared read-only (the folder itself, capped where it can be: autograder.sandbox.disk_cap)."""

import importlib
import importlib.metadata
import os
import shutil
from pathlib import Path

from autograder.course import SOLUTIONS
from autograder.sandbox.disk_cap import WorkingFolder, mount_shared_folders


def prepare_work_dir(work: Path, assignment: str, uid: int) -> None:
    """Fill the kernel's working folder with the assignment's data files (owned by `uid`), and make the empty
    folder .probe/ for the hidden tests' inputs (the grader's: the kernel may read it, not write in it)."""
    source = SOLUTIONS / assignment
    for path in source.rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            target = work / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    for path in [work, *work.rglob("*")]:
        if os.geteuid() == 0:
            os.chown(path, uid, uid)  # the kernel runs as this uid and may write in its own folder only
    (work / ".probe").mkdir(mode=0o755, exist_ok=True)


def prepare_data(assignment: str) -> None:
    """Build the course data sets the assignment's notebook loads, in this process's cache, unless they are there.

    autograder/assignments/<assignment>/__init__.py may define prepare_data(); loading from a warm cache takes a
    fraction
    of a second, so this runs before every submission (also on a Dask worker with a cache of its own).
    """
    prepare = getattr(importlib.import_module(f"autograder.assignments.{assignment}"), "prepare_data", None)
    if prepare is not None:
        prepare()


def share_data_cache(source: Path, work: Path, uid: int) -> Path:
    """Give the kernel (user `uid`) the grader's cached data sets under `work` and return that folder.

    Files are hard links (copies across file systems): the kernel's user can read them but not change the
    grader's copy, since they stay the grader's files; a data set the kernel rebuilds replaces only its link.
    """
    target = work / ".cache" / "cnnbook"
    folders = [work / ".cache", target]
    for path in source.rglob("*") if source.is_dir() else ():
        relative = path.relative_to(source)
        if any(part.startswith(".") for part in relative.parts):  # a build in progress
            continue
        destination = target / relative
        if path.is_dir():
            folders.append(destination)
        elif path.is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy(path, destination)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            os.chown(folder, uid, uid)  # the kernel may rebuild a data set in its own copy of the folder
    return target


def share_data(folder: WorkingFolder, source: Path, uid: int) -> Path:
    """Give the kernel (user `uid`) the grader's cached data sets in `source` and return where it finds them: an
    overlay in a capped folder (nothing copied, nothing counted against the cap), else links (share_data_cache)."""
    if folder.capped:
        mount_shared_folders(folder, source, uid)
        return folder.path / ".cache" / "cnnbook"
    return share_data_cache(source, folder.path, uid)


def remove_written_files(work: Path, uid: int, keep: set[tuple[int, int]]) -> None:
    """Delete the files of `uid` in `work` but those in `keep` (the folder as it was prepared), so a notebook run
    again after its disk cap was hit starts from the prepared folder."""
    for folder, _, files in os.walk(work):
        for name in files:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
                if info.st_uid == uid and (info.st_dev, info.st_ino) not in keep:
                    os.unlink(path)
            except OSError:
                continue


def inventory(work: Path) -> set[tuple[int, int]]:
    """Return the (device, inode) of every file in `work`."""
    found = set()
    for folder, _, files in os.walk(work):
        for name in files:
            try:
                info = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            found.add((info.st_dev, info.st_ino))
    return found
