"""The resource limits of one student's kernel (the sandbox's size; autograder.sandbox.bubblewrap is its walls)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Resource limits of one student's kernel."""

    memory_bytes: int = 6 * 1024**3  # address space (TensorFlow reserves more than it uses; see assignments)
    processes: int = 512  # processes and threads of the kernel's user
    file_bytes: int = 256 * 1024**2  # largest file the kernel may write
    cpu_seconds: int = 1800  # CPU time of the kernel, all cells together
    cell_seconds: int = 120  # wall time of one cell
    notebook_seconds: int = 900  # wall time of the whole notebook
    output_bytes: int = 2 * 1024**2  # text a notebook may print before the grader stops keeping it
