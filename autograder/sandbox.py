"""The sandbox a student's kernel runs in: bubblewrap for isolation, resource limits for size.

Inside: no network (a private network namespace; the kernel talks to the grader over Unix sockets in a
folder bound in), the whole system read-only, a private writable working folder and /tmp, no view of
the grader's files (autograder/, gradebooks, other students' work, the instructor's home), an
unprivileged user, and limits on memory, processes, file size and CPU time. Where bubblewrap is
missing, the limits still apply and the grader says loudly that isolation is off.
"""
import os
import random
import shutil
import signal
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.course import REPO

SANDBOX_UID_BASE = 61000  # kernels run as uids from here on, one per kernel, so process limits are per kernel
SANDBOX_UID_SPAN = 4000


@dataclass(frozen=True)
class Limits:
    """Resource limits of one student's kernel."""
    memory_bytes: int = 6 * 1024**3     # address space (TensorFlow reserves more than it uses; see assignments)
    processes: int = 512                # processes and threads of the kernel's user
    file_bytes: int = 256 * 1024**2     # largest file the kernel may write
    cpu_seconds: int = 1800             # CPU time of the kernel, all cells together
    cell_seconds: int = 120             # wall time of one cell
    notebook_seconds: int = 900         # wall time of the whole notebook
    output_bytes: int = 2 * 1024**2     # text a notebook may print before the grader stops keeping it


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
    """Return the folders a student's kernel must not see: the grader's code and everything under the instructor's home."""
    paths = [REPO / "autograder", REPO / "tests", REPO / "solutions", REPO / "graded", git_folder()]
    return [p for p in paths if p is not None and p.is_dir()]


def git_folder() -> Path | None:
    """Return the folder that holds the repository's history: .git, or for a git worktree (.git is a file
    "gitdir: <main>/.git/worktrees/<name>") the main repository's .git folder."""
    dot_git = REPO / ".git"
    if dot_git.is_file():
        text = dot_git.read_text(errors="replace").strip()
        if text.startswith("gitdir:"):
            gitdir = (REPO / text[len("gitdir:"):].strip()).resolve()
            return gitdir.parent.parent if gitdir.parent.name == "worktrees" else gitdir
        return None
    return dot_git


def needed_paths() -> list[Path]:
    """Return the folders a kernel needs to start: the interpreter, the virtual environment and the course's helper package."""
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


def sandbox_prefix(work: Path, sockets: Path, limits: Limits, uid: int, hide: tuple[Path, ...] = ()) -> list[str]:
    """Return the argv prefix that runs a command as `uid` in a sandbox with `work` and `sockets` writable.

    `hide` names further folders to cover (the grading run's output and the submissions).
    """
    limit_args = ["prlimit", f"--as={limits.memory_bytes}", f"--nproc={limits.processes}",
                  f"--fsize={limits.file_bytes}", f"--cpu={limits.cpu_seconds}", "--core=0", "--"]
    # As root, the kernel runs as an unprivileged uid of its own (a process limit does not bind root).
    drop_privileges = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"] if os.geteuid() == 0 else []
    bwrap = bubblewrap()
    if bwrap is None:
        return limit_args  # isolation off: the grader reports it
    scratch = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]
    argv = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for folder in scratch:
        argv += ["--perms", "1777", "--tmpfs", str(folder)]
    # A folder other users cannot enter is replaced by an empty one; what the kernel needs inside it is bound back.
    covered = list(scratch)
    for needed in needed_paths():
        closed = closed_ancestors(needed)
        if closed and closed[0] not in covered:
            argv += ["--tmpfs", str(closed[0])]
            covered.append(closed[0])
    # Folders to hide; those under a new empty folder (the repository under /tmp, say) are not there anyway.
    hidden = [h for h in [*hidden_paths(), *(Path(x) for x in hide if Path(x).exists())]
              if not any(h == w or h in w.parents for w in (work, sockets))
              and not any(root == h or root in h.parents for root in covered)]
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
    argv += ["--bind", str(sockets), str(sockets), "--bind", str(work), str(work), "--chdir", str(work),
             "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session",
             "--setenv", "HOME", str(work), "--setenv", "TMPDIR", "/tmp", "--unsetenv", "JPY_PARENT_PID",
             # ipykernel stops forwarding native output when it sees pytest's variable: a kernel graded by the
             # test suite must behave as one graded by an instructor.
             "--unsetenv", "PYTEST_CURRENT_TEST"]
    return argv + drop_privileges + limit_args


def free_uid() -> int:
    """Return an unprivileged uid that no process uses now: each kernel gets its own, so process limits are its own."""
    import psutil
    busy = set()
    for proc in psutil.process_iter(["uids"]):
        try:
            busy.add(proc.info["uids"].real)
        except (psutil.Error, AttributeError, TypeError):
            continue
    uid = SANDBOX_UID_BASE + random.randrange(SANDBOX_UID_SPAN)
    while uid in busy:
        uid = SANDBOX_UID_BASE + random.randrange(SANDBOX_UID_SPAN)
    return uid


def user_processes(uid: int, zombies: bool = True) -> list:
    """Return the processes whose real uid is `uid`, oldest first (with the dead ones not yet reaped, or not)."""
    import psutil
    found = []
    for proc in psutil.process_iter(["uids", "create_time", "status"]):
        try:
            if proc.info["uids"].real == uid and (zombies or proc.info["status"] != psutil.STATUS_ZOMBIE):
                found.append(proc)
        except (psutil.Error, AttributeError, TypeError):
            continue
    return sorted(found, key=lambda proc: proc.info["create_time"] or 0.0)


def signal_all_as(uid: int, sig: int) -> None:
    """Send `sig` to every process of `uid` at once, from a child of ours that becomes `uid` (root only).

    kill(-1) reaches all of a user's processes in one step, while the kernel holds new forks back, so a
    fork bomb cannot outrun it the way it outruns killing one process at a time.
    """
    pid = os.fork()
    if pid == 0:  # the child: become the user, signal, leave without running any clean-up of ours
        try:
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            os.kill(-1, sig)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _check_sandbox_uid(uid: int) -> None:
    if uid < SANDBOX_UID_BASE:
        raise ValueError(f"refusing to signal the processes of uid {uid}, which is not a sandbox uid")


def kill_user_processes(uid: int, rounds: int = 50) -> None:
    """Kill every process of `uid` (only sandboxed kernels run as these uids), fork bombs included."""
    import psutil
    _check_sandbox_uid(uid)
    for _ in range(rounds):
        left = user_processes(uid)
        if not left:
            return
        if os.geteuid() == 0:
            signal_all_as(uid, signal.SIGKILL)
        else:  # kernels run as our own uid only when we are root; kill what can be killed one by one
            for proc in left:
                try:
                    proc.kill()
                except psutil.Error:
                    continue
        time.sleep(0.05)


def kill_strays(uid: int, rounds: int = 50) -> int:
    """Kill every process of `uid` but the oldest, the kernel (what a cell left behind: a fork bomb's copies,
    a server it started); return how many there were. The kernel is paused meanwhile, so nothing new starts.
    """
    import psutil
    _check_sandbox_uid(uid)
    found = user_processes(uid, zombies=False)  # a killed child stays a zombie until the kernel reaps it
    if len(found) <= 1 or os.geteuid() != 0:
        return 0
    kernel = found[0]
    signal_all_as(uid, signal.SIGSTOP)  # a stopped process cannot fork; a fork in progress is undone
    try:
        for _ in range(rounds):
            strays = [proc for proc in user_processes(uid, zombies=False) if proc.pid != kernel.pid]
            if not strays:
                break
            for proc in strays:
                try:
                    proc.kill()
                except psutil.Error:
                    continue
    finally:
        try:
            kernel.send_signal(signal.SIGCONT)
        except psutil.Error:
            pass
    return len(found) - 1
