"""The weight files the course ships: where they are, their SHA-256, and the standard weights in Keras's cache.

Training scripts (training/) write a file into cnnbook/models/weights/ and record its checksum with
`record_checksum`; loaders ask `weight_path`, which refuses a missing or altered file with a message
that names it and says how to make it again.

Used by: book/data_and_models.md, book/week2/09_transfer_learning.md, book/week3/05_yolo.md, and 4 modules of
cnnbook
"""

import hashlib
import json
import os
from pathlib import Path

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
CHECKSUMS = WEIGHTS_DIR / "checksums.json"


class WeightFileError(RuntimeError):
    """A shipped weight file is missing or does not match its recorded checksum."""


def sha256_of(path: Path) -> str:
    """Return the SHA-256 of the file at `path`, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def recorded_checksums() -> dict[str, str]:
    """Return {file name: SHA-256} of the shipped weight files."""
    return json.loads(CHECKSUMS.read_text()) if CHECKSUMS.is_file() else {}


def record_checksum(name: str) -> str:
    """Record the SHA-256 of WEIGHTS_DIR/name (after training wrote it) and return it."""
    checksums = recorded_checksums()
    checksums[name] = sha256_of(WEIGHTS_DIR / name)
    CHECKSUMS.write_text(json.dumps(dict(sorted(checksums.items())), indent=1) + "\n")
    return checksums[name]


def weight_path(name: str) -> Path:
    """Return the path of the shipped weight file `name` after checking it against its recorded checksum."""
    path = WEIGHTS_DIR / name
    expected = recorded_checksums().get(name)
    if expected is None or not path.is_file():
        raise WeightFileError(f"{path} is missing (or has no recorded checksum): run `make models` to train it again.")
    actual = sha256_of(path)
    if actual != expected:
        raise WeightFileError(
            f"{path} does not match its recorded SHA-256 ({actual[:12]}... instead of "
            f"{expected[:12]}...): the file is damaged; restore it with `git checkout -- {path}` "
            f"or run `make models`."
        )
    return path


def keras_cache_file(filename: str) -> Path | None:
    """Return Keras's cached copy of a standard weight file (e.g. ImageNet weights), or None when it is not there.

    Keras keeps downloads in $KERAS_HOME/models, by default ~/.keras/models; nothing is downloaded here.
    """
    home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    path = home / "models" / filename
    return path if path.is_file() and path.stat().st_size > 0 else None
