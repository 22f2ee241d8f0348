"""The disk cap of a kernel's working folder: a file system of its own, sized to the cap, so a write past it fails.

The folder is a tmpfs mounted by the grader (root) with `size=` the cap. Its pages are memory, written by the
kernel and so charged to the submission's cgroup beside its /tmp, /var/tmp and /dev/shm (autograder.sandbox.
bubblewrap): the disk cap bounds the folder, the memory cap bounds all of them together. Two things the grader
puts in the folder stay out of the cap: the shared data sets, an overlay whose lower layer is the grader's cache
(read without copying; a data set the kernel rebuilds goes to the upper layer, inside the cap), and the hidden
tests' .probe/ folder, a bind mount of a folder outside (the grader writes there while the kernel runs, and must
not find it full).

Where mounting is impossible (not root, or a machine that forbids it), the folder is a plain one and the
grader falls back to measuring the folder after each cell and four times a second (autograder.grade.execution),
which lets a cell write a little past the cap before its kernel is stopped. No library mounts file systems for
a process; this drives util-linux's `mount` and `umount`, which every Linux machine with bubblewrap has.
"""

import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PREFIX = "cnnbook-work-"
INODES = 65_536  # files and folders the working folder may hold (each inode is kernel memory)
FULL_MARGIN = 1024**2  # a capped folder with less free than this is full: its writer has met the cap


@dataclass
class WorkingFolder:
    """The kernel's working folder `path`, and whether it is capped by a file system of its own mounted on `base`
    (else the grader measures it, and `base` is `path`)."""

    base: Path
    path: Path
    capped: bool
    probe_source: Path | None = None  # the folder outside the cap bound on <path>/.probe


@functools.cache
def can_mount() -> bool:
    """Return whether this process can mount a size-capped tmpfs (tried once on a scratch folder)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    trial = Path(tempfile.mkdtemp(prefix="cnnbook-mount-trial-"))
    try:
        mounted = run_quietly(["mount", "-t", "tmpfs", "-o", "size=64k", "cnnbook-trial", str(trial)])
        return mounted and run_quietly(["umount", str(trial)])
    finally:
        trial.rmdir()


def run_quietly(argv: list[str]) -> bool:
    """Run a mount command; return whether it succeeded."""
    return subprocess.run(argv, capture_output=True, check=False).returncode == 0


def make_working_folder(student_id: str, disk_bytes: int) -> WorkingFolder:
    """Make the working folder of `student_id`'s kernel: <base>/work on a tmpfs of `disk_bytes` where mounting
    works, else a plain folder."""
    # Directly under the temporary folder, so the kernel's user can reach it inside the sandbox; the worker's pid in
    # the name lets a later worker unmount what a killed one left (unmount_stale).
    safe_id = re.sub(r"[^A-Za-z0-9_.-]", "_", student_id)
    base = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{safe_id}-"))
    options = f"size={disk_bytes},nr_inodes={INODES},mode=0711"  # others may pass through, not list
    if not can_mount() or not run_quietly(["mount", "-t", "tmpfs", "-o", options, "cnnbook-work", str(base)]):
        return WorkingFolder(base, base, capped=False)
    (base / "work").mkdir()
    return WorkingFolder(base, base / "work", capped=True)


def mount_shared_folders(folder: WorkingFolder, data_cache: Path, uid: int) -> None:
    """Show the grader's data sets (`data_cache`) at <work>/.cache/cnnbook and keep <work>/.probe outside the cap,
    in a capped folder prepared for `uid` (autograder.grade.work_folder.prepare_work_dir)."""
    work, base = folder.path, folder.base
    data = work / ".cache" / "cnnbook"
    data.mkdir(parents=True, exist_ok=True)
    for path in (work / ".cache", data):
        os.chown(path, uid, uid)
    # The overlay's upper layer and its scratch folder live in the same tmpfs, so a rebuilt data set counts
    # against the cap; beside work/, which is all the sandbox shows, so the kernel reaches them only through the
    # overlay.
    layers = base / ".layers"
    layers.mkdir(mode=0o700)
    upper, scratch = layers / "upper", layers / "scratch"
    upper.mkdir()
    scratch.mkdir()
    os.chown(upper, uid, uid)  # the merged folder takes the upper layer's owner: the kernel may rebuild a set
    data_cache.mkdir(parents=True, exist_ok=True)
    overlay = f"lowerdir={data_cache},upperdir={upper},workdir={scratch}"
    if not run_quietly(["mount", "-t", "overlay", "-o", overlay, "cnnbook-data", str(data)]):
        raise RuntimeError(f"could not mount the data sets' overlay on {data}")
    # The grader writes the hidden tests' inputs there while the kernel runs: a full folder must not stop it.
    folder.probe_source = Path(tempfile.mkdtemp(prefix="cnnbook-probe-"))
    folder.probe_source.chmod(0o755)  # the grader's: readable by the kernel, not writable
    if not run_quietly(["mount", "--bind", str(folder.probe_source), str(work / ".probe")]):
        raise RuntimeError(f"could not bind the hidden tests' folder on {work / '.probe'}")


def used_bytes(folder: Path) -> int:
    """Return how much of the capped file system on `folder` is in use."""
    stats = os.statvfs(folder)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


def is_full(folder: Path) -> bool:
    """Return whether the capped file system on `folder` is full (its writer met the cap)."""
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize < FULL_MARGIN or stats.f_ffree < 16


def remove_working_folder(folder: WorkingFolder) -> None:
    """Unmount (when capped) and delete the working folder, and the hidden tests' folder outside it."""
    if folder.capped:
        unmount(folder.base)
    if folder.probe_source is not None:
        shutil.rmtree(folder.probe_source, ignore_errors=True)
    shutil.rmtree(folder.base, ignore_errors=True)


def unmount(folder: Path) -> None:
    """Unmount `folder` and everything mounted under it; lazily if a process still holds a file there."""
    if not run_quietly(["umount", "--recursive", str(folder)]):
        run_quietly(["umount", "--recursive", "--lazy", str(folder)])


def unmount_stale() -> int:
    """Unmount and delete the working folders that grading workers which no longer run left behind (a worker killed
    mid-submission, or while its next submission's kernel was starting): mounted, or plain; return how many."""
    found = 0
    pattern = re.compile(rf"{re.escape(tempfile.gettempdir())}/{PREFIX}(\d+)-[^/]*$")
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        mounts = []
    for line in mounts:
        fields = line.split()
        matched = pattern.match(fields[1]) if len(fields) > 1 else None
        if matched and not Path(f"/proc/{matched.group(1)}").exists():
            unmount(Path(fields[1]))
            shutil.rmtree(fields[1], ignore_errors=True)
            found += 1
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        matched = pattern.match(str(folder))
        if matched and not Path(f"/proc/{matched.group(1)}").exists() and not os.path.ismount(folder):
            shutil.rmtree(folder, ignore_errors=True)
            found += 1
    return found
