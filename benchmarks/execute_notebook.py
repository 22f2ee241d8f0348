"""Execute one notebook in the course's kernel and print its wall time and the kernel's peak memory as JSON.

Run as its own process so the kernel is its child: after the kernel exits, RUSAGE_CHILDREN holds its peak RSS.
A second argument names where to write the executed notebook (its demos' printed accuracies and figures).
"""

import json
import resource
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def main(path: str, save_to: str | None = None) -> None:
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        nb, kernel_name="cnnbook", timeout=600, resources={"metadata": {"path": str(Path(path).parent)}}
    ).execute()
    seconds = time.perf_counter() - started
    if save_to:
        Path(save_to).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, save_to)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux reports KiB
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kib / 1024}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
