"""`make models`: train every shipped network again, one script after another, each in its own process."""

import subprocess
import sys

SCRIPTS = [
    "training.train_face_embedding",
    "training.train_style_features",
    "training.train_mobilenet_base",
    "training.train_yolo",
]


def main() -> int:
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        if subprocess.run([sys.executable, "-m", script]).returncode != 0:
            print(f"{script} failed; the weights it would have written are unchanged.", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
