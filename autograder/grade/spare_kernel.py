"""One submission's sandboxed kernel, started ahead: while a worker grades one submission, the next one's kernel
starts and does the course's imports (autograder.grade.kernel_preload), so its 1 to 5 s pass meanwhile.

Each kernel is a fresh one, under the same isolation as any: its own working folder (capped), its own uid, its own
cgroup with the submission's caps, the same sandbox and limits; nothing of one student's run reaches the next. A
kernel is made for one setting (the assignment, the limits, the folders hidden from it) and a task of another
setting gets a kernel started then. A worker keeps at most one kernel ahead (`_spare`), discarded when the worker
process ends; a worker killed outright leaves its kernel to die with it (the sandbox's --die-with-parent), its
folder to unmount_stale and its cgroup to remove_stale_groups.

A kernel cannot be handed from a thread: the sandbox dies with the thread that started it, so everything here runs
on the worker's own thread.
"""

import atexit
import multiprocessing.util
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_core.utils import run_sync

from autograder.grade.kernel_preload import preload_arguments, preloaded_modules
from autograder.grade.work_folder import inventory, prepare_data, prepare_work_dir, share_data
from autograder.sandbox.cgroups import SubmissionGroup, submission_group
from autograder.sandbox.disk_cap import WorkingFolder, make_working_folder, remove_working_folder
from autograder.sandbox.kernel import SandboxedKernelManager
from autograder.sandbox.limits import Limits
from autograder.sandbox.processes import free_uid, kill_user_processes
from cnnbook.data.cache import data_dir
from cnnbook.grading.wire import PROBE_DIR_ENV

KERNEL_NAME = "cnnbook"
KERNEL_ENV = {  # the grading kernel's environment beside the worker's own
    "CNNBOOK_GRADING": "1",
    "MPLBACKEND": "Agg",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}


@dataclass
class SubmissionKernel:
    """A submission's working folder, uid, cgroup and, once started, its kernel (`km`)."""

    setting: tuple  # (assignment, limits, hide): what the kernel was made for
    folder: WorkingFolder
    uid: int
    shared: Path  # where the kernel finds the grader's data sets
    group: SubmissionGroup | None
    prepared: set = field(default_factory=set)  # the folder's files as prepared (see remove_written_files)
    km: SandboxedKernelManager | None = None

    @property
    def env(self) -> dict[str, str]:
        """The variables the kernel gets beside the worker's environment."""
        return {**KERNEL_ENV, PROBE_DIR_ENV: str(self.folder.path / ".probe"), "CNNBOOK_DATA_DIR": str(self.shared)}

    @property
    def preload(self) -> tuple[str, ...]:
        """The modules the kernel imports as it starts."""
        return preloaded_modules(self.setting[0])


def kernel_arguments(preload: tuple[str, ...]) -> list[str]:
    """Return the kernel's options: no history kept (as nbclient would ask), then the course's imports at start."""
    return ["--HistoryManager.enabled=False", "--HistoryManager.hist_file=:memory:", *preload_arguments(preload)]


def prepare_kernel(assignment: str, limits: Limits, hide: tuple[str, ...], label: str) -> SubmissionKernel:
    """Make a submission's working folder (named after `label`), uid and cgroup, without starting its kernel."""
    prepare_data(assignment)
    uid = free_uid()
    folder = make_working_folder(label, limits.disk_bytes)
    group = None
    try:
        prepare_work_dir(folder.path, assignment, uid)
        shared = share_data(folder, data_dir(), uid)  # after prepare_work_dir, so the data stay the grader's
        group = submission_group(f"uid{uid}", limits)
    except BaseException:
        remove_working_folder(folder)
        raise
    return SubmissionKernel((assignment, limits, tuple(hide)), folder, uid, shared, group, inventory(folder.path))


def kernel_manager(kernel: SubmissionKernel) -> SandboxedKernelManager:
    """Return a manager for a kernel in `kernel`'s sandbox (its folder, uid, cgroup, limits), not started."""
    return SandboxedKernelManager(
        kernel_name=KERNEL_NAME,
        work_dir=str(kernel.folder.path),
        limits=kernel.setting[1],
        hide=kernel.setting[2],
        uid=kernel.uid,
        join=tuple(kernel.group.join_command()) if kernel.group is not None else (),
    )


def launch(kernel: SubmissionKernel) -> SubmissionKernel:
    """Start `kernel`'s sandboxed kernel, which goes on starting (and importing) on its own; return `kernel`."""
    km = kernel_manager(kernel)
    env = {**os.environ, **kernel.env}
    run_sync(km.start_kernel)(extra_arguments=kernel_arguments(kernel.preload), cwd=str(kernel.folder.path), env=env)
    kernel.km = km
    return kernel


def close(kernel: SubmissionKernel | None) -> None:
    """Stop `kernel`'s processes and remove its cgroup, sockets and working folder (what is left of them)."""
    if kernel is None:
        return
    if kernel.group is not None:
        kernel.group.remove()
    if os.geteuid() == 0:
        kill_user_processes(kernel.uid)
    if kernel.km is not None:
        shutil.rmtree(kernel.km.sockets_dir, ignore_errors=True)
    remove_working_folder(kernel.folder)


# --- the worker's kernel started ahead ------------------------------------------------------------------------------

_spare: SubmissionKernel | None = None


def take_kernel(assignment: str, limits: Limits, hide: tuple[str, ...]) -> SubmissionKernel | None:
    """Return the kernel started ahead for this setting, still running, and forget it; a kernel of another setting,
    or one that died, is discarded (None)."""
    global _spare
    kernel, _spare = _spare, None
    if kernel is None:
        return None
    alive = kernel.km is not None and run_sync(kernel.km.is_alive)()
    if kernel.setting == (assignment, limits, tuple(hide)) and alive:
        return kernel
    close(kernel)
    return None


def start_next(assignment: str, limits: Limits, hide: tuple[str, ...]) -> None:
    """Start the kernel of this worker's next submission (one ahead at most); a failure to start it is left for
    that submission, which starts its own."""
    global _spare
    discard_spare()
    discard_at_exit()
    try:
        kernel = prepare_kernel(assignment, limits, hide, "next")
    except Exception:
        return
    try:
        _spare = launch(kernel)
    except Exception:
        close(kernel)


def discard_spare() -> None:
    """Close the kernel started ahead, if any (the worker is ending)."""
    global _spare
    kernel, _spare = _spare, None
    close(kernel)


_registered_in: int | None = None  # the process that registered discard_spare to run at its end


def discard_at_exit() -> None:
    """Have this process close its kernel started ahead when it ends: a pool's worker ends through multiprocessing
    (its finalizers run, atexit's do not, and a new process starts with none), a Dask worker through atexit."""
    global _registered_in
    if _registered_in != os.getpid():
        _registered_in = os.getpid()
        multiprocessing.util.Finalize(None, discard_spare, exitpriority=20)
        atexit.register(discard_spare)
