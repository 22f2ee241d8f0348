"""The resource limits of one submission (the sandbox's size; autograder.sandbox.bubblewrap is its walls).

Two kinds: caps that hold for all of a submission's processes and files together (autograder.sandbox.cgroups
and bubblewrap's size-capped tmpfs folders), and the older limits per process (prlimit), which still apply
beneath the caps and are all that is left where cgroups cannot be used.
"""

from dataclasses import dataclass

GIB = 1024**3


@dataclass(frozen=True)
class Limits:
    """Resource limits of one student's submission."""

    # Caps on the whole submission: the kernel, every process it starts, and the pages of its tmpfs folders.
    total_memory_bytes: int = 3 * GIB  # kernels peak near 1.1 GB in the bench: room to spare, two fit beside a grader
    processes: int = 512  # processes and threads at once (the cgroup's pids cap; also RLIMIT_NPROC of its uid)
    cpu_cores: float = 1.0  # CPU time per wall second, so one submission cannot slow its neighbours' cells
    disk_bytes: int = 1 * GIB  # what its working folder may hold, and each of its /tmp, /var/tmp and /dev/shm
    # Limits per process.
    memory_bytes: int = 6 * GIB  # address space (TensorFlow reserves more than it uses; see assignments)
    file_bytes: int = 256 * 1024**2  # largest file the kernel may write
    cpu_seconds: int = 1800  # CPU time of the kernel, all cells together
    # Time and output.
    cell_seconds: int = 120  # wall time of one cell
    hang_grace_seconds: int = 5  # how long a cell past its limit may ignore its interrupt before the kernel is killed
    notebook_seconds: int = 900  # wall time of the whole notebook
    output_bytes: int = 2 * 1024**2  # text a notebook may print before the grader stops keeping it


def in_words(n_bytes: float) -> str:
    """Return a size the way the caps are spoken of: "3 GB", "512 MB"."""
    if n_bytes >= GIB:
        return f"{n_bytes / GIB:g} GB"
    return f"{n_bytes / 1024**2:.0f} MB"
