"""The walls of the sandbox a student's kernel runs in: bubblewrap, and the command line that starts a kernel in it.

Inside: no network (a private network namespace; the kernel talks to the grader over Unix sockets in a
folder bound in), the whole system read-only, a private writable working folder and /tmp, no view of
the grader's files (autograder/, gradebooks, other students' work, the instructor's home), an
unprivileged user (autograder.sandbox.processes), and the limits of autograder.sandbox.limits: its
/tmp, /var/tmp and /dev/shm are tmpfs folders of a capped size, the command starts inside the
submission's cgroup (autograder.sandbox.cgroups) and the kernel is the first the out-of-memory killer
picks. Where bubblewrap is missing, the limits still apply and the grader says loudly that isolation is off.
"""

import os
import shutil
import stat
import sys
from pathlib import Path

from autograder.course import REPO
from autograder.sandbox.limits import Limits


def bubblewrap() -> str | None:
    """Return the path of bwrap when it can start a sandbox here, else None."""
    path = shutil.which("bwrap")
    if path is None or os.geteuid() != 0 and not _user_namespaces_allowed():
        return None
    return path


def _user_namespaces_allowed() -> bool:
    try:
        return int(Path("/proc/sys/user/max_user_namespaces").read_text()) > 0
    except OSError:
        return False


def hidden_paths() -> list[Path]:
    """Return the folders a student's kernel must not see: the grader's code and everything under the instructor's
    home."""
    paths = [REPO / "autograder", REPO / "tests", REPO / "solutions", REPO / "graded", git_folder()]
    return [p for p in paths if p is not None and p.is_dir()]


def git_folder() -> Path | None:
    """Return the folder that holds the repository's history: .git, or for a git worktree (.git is a file
    "gitdir: <main>/.git/worktrees/<name>") the main repository's .git folder."""
    dot_git = REPO / ".git"
    if dot_git.is_file():
        text = dot_git.read_text(errors="replace").strip()
        if text.startswith("gitdir:"):
            gitdir = (REPO / text[len("gitdir:") :].strip()).resolve()
            return gitdir.parent.parent if gitdir.parent.name == "worktrees" else gitdir
        return None
    return dot_git


def needed_paths() -> list[Path]:
    """Return the folders a kernel needs to start: the interpreter, the virtual environment and the course's helper
    package."""
    prefixes = {Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)).parent.parent}
    return sorted(prefixes | {REPO / "cnnbook"})


def closed_ancestors(path: Path) -> list[Path]:
    """Return the ancestors of `path` that other users cannot enter (like a 0700 /root holding the interpreter)."""
    closed = []
    for parent in reversed(path.parents):
        try:
            if parent != Path("/") and not parent.stat().st_mode & stat.S_IXOTH:
                closed.append(parent)
        except OSError:
            continue
    return closed


def sandbox_prefix(
    work: Path, sockets: Path, limits: Limits, uid: int, hide: tuple[Path, ...] = (), join: tuple[str, ...] = ()
) -> list[str]:
    """Return the argv prefix that runs a command as `uid` in a sandbox with `work` and `sockets` writable.

    `hide` names further folders to cover (the grading run's output and the submissions); `join` is the prefix
    that moves the command into the submission's cgroup (SubmissionGroup.join_command), run first so that the
    sandbox itself and everything in it is inside.
    """
    limit_args = [
        "prlimit",
        f"--as={limits.memory_bytes}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_bytes}",
        f"--cpu={limits.cpu_seconds}",
        "--core=0",
        "--",
        # Should the machine run short of memory all the same, the kernel is killed before anything else.
        "choom",
        "-n",
        "1000",
        "--",
    ]
    # As root, the kernel runs as an unprivileged uid of its own (a process limit does not bind root).
    drop_privileges = (
        ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"] if os.geteuid() == 0 else []
    )
    bwrap = bubblewrap()
    if bwrap is None:
        return [*join, *limit_args]  # isolation off: the grader reports it
    scratch = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]
    argv = [*join, bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for folder in scratch:  # their pages are memory, charged to the submission's cgroup as well
        argv += ["--perms", "1777", "--size", str(limits.disk_bytes), "--tmpfs", str(folder)]
    # A folder other users cannot enter is replaced by an empty one; what the kernel needs inside it is bound back.
    covered = list(scratch)
    for needed in needed_paths():
        closed = closed_ancestors(needed)
        if closed and closed[0] not in covered:
            argv += ["--tmpfs", str(closed[0])]
            covered.append(closed[0])
    # Folders to hide; those under a new empty folder (the repository under /tmp, say) are not there anyway.
    hidden = [
        h
        for h in [*hidden_paths(), *(Path(x) for x in hide if Path(x).exists())]
        if not any(h == w or h in w.parents for w in (work, sockets))
        and not any(root == h or root in h.parents for root in covered)
    ]
    # bwrap would create the folders between a new empty one and a bind target as 0700: make them enterable.
    made = set()
    for target in [*needed_paths(), *hidden, work, sockets]:
        for between in reversed(target.parents):
            if any(root in between.parents for root in covered) and between not in made:
                argv += ["--perms", "0755", "--dir", str(between)]
                made.add(between)
    for needed in needed_paths():
        argv += ["--ro-bind", str(needed), str(needed)]
    for folder in hidden:
        # In a git worktree .git is a file (a pointer to the real git folder): cover it with an empty file.
        argv += ["--tmpfs", str(folder)] if folder.is_dir() else ["--ro-bind", "/dev/null", str(folder)]
    argv += [
        "--bind",
        str(sockets),
        str(sockets),
        "--bind",
        str(work),
        str(work),
        "--chdir",
        str(work),
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--die-with-parent",
        "--new-session",
        "--setenv",
        "HOME",
        str(work),
        "--setenv",
        "TMPDIR",
        "/tmp",
        "--unsetenv",
        "JPY_PARENT_PID",
        # ipykernel stops forwarding native output when it sees pytest's variable: a kernel graded by the
        # test suite must behave as one graded by an instructor.
        "--unsetenv",
        "PYTEST_CURRENT_TEST",
    ]
    return argv + drop_privileges + limit_args
