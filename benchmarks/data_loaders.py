"""Time every course data loader from an empty cache and from a warm one.

Each loader runs in a fresh Python process with its own empty temporary CNNBOOK_DATA_DIR, so the cold
time includes everything a student's first call pays (reading scikit-image's photographs, drawing,
hashing, writing) except importing the package; the warm time is a second call in the same process.
Budget: 10 s cold on a 2-core machine. `python -m benchmarks.data_loaders` prints the table.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLD_BUDGET_SECONDS = 10.0

# name shown in the table -> the call, evaluated after `import cnnbook.data as data`
LOADERS = {
    "load_smiles()": "data.load_smiles()",
    "load_hand_signs()": "data.load_hand_signs()",
    "transfer_learning_folder()": "data.transfer_learning_folder()",
    "load_detection_scenes('train')": "data.load_detection_scenes('train')",
    "load_detection_scenes('test')": "data.load_detection_scenes('test')",
    "load_segmentation_scenes()": "data.load_segmentation_scenes()",
    "load_face_identities('train')": "data.load_face_identities('train')",
    "load_face_identities('validation')": "data.load_face_identities('validation')",
    "load_face_identities('test')": "data.load_face_identities('test')",
    "load_staff_database()": "data.load_staff_database()",
    "load_content_image('astronaut')": "data.load_content_image('astronaut')",
    "load_style_image('swirls')": "data.load_style_image('swirls')",
}

_TIMER = """
import json, sys, time
import cnnbook.data as data
times = []
for _ in range(2):
    started = time.perf_counter()
    {call}
    times.append(time.perf_counter() - started)
print(json.dumps(times))
"""


def time_loader(call: str) -> tuple[float, float]:
    """Return (seconds from an empty cache, seconds from the warm cache) of `call` in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "CNNBOOK_DATA_DIR": folder}
        proc = subprocess.run(
            [sys.executable, "-c", _TIMER.format(call=call)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    cold, warm = json.loads(proc.stdout.strip().splitlines()[-1])
    return cold, warm


def measure_loaders() -> list[tuple[str, float, float]]:
    """Return (loader, seconds from an empty cache, seconds from a warm cache) for every data loader."""
    return [(name, *time_loader(call)) for name, call in LOADERS.items()]


def main() -> int:
    """Print the table of loader times and return 1 if a cold time is over budget."""
    print("| data loader | cold (s) | warm (s) | budget cold (s) |")
    print("|---|---|---|---|")
    over = False
    for name, call in LOADERS.items():
        cold, warm = time_loader(call)
        mark = " OVER" if cold > COLD_BUDGET_SECONDS else ""
        over |= bool(mark)
        print(f"| {name} | {cold:.2f} | {warm:.3f} | {COLD_BUDGET_SECONDS:.0f}{mark} |", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
