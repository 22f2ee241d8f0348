"""Read a submitted notebook whatever its encoding or nbformat version, or say in a sentence why it cannot be read."""

import codecs
import json
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


def decode_text(raw: bytes) -> str:
    """Return `raw` as text: UTF-8 (with or without a byte-order mark) or UTF-16/32 with one; raise UnicodeDecodeError
    else."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding)
    return raw.decode("utf-8")


def read_notebook(path: Path) -> tuple[str | None, str | None]:
    """Return (the notebook as nbformat-4 JSON text, None), or (None, what is wrong with the file in a sentence)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"{path.name} could not be read ({exc.strerror})"
    if len(raw) > MAX_NOTEBOOK_BYTES:
        return (
            None,
            f"{path.name} is {len(raw) // 2**20} MB, more than a notebook should be; clear its outputs and re-save it",
        )
    try:
        text = decode_text(raw)
    except UnicodeDecodeError as exc:
        return None, f"{path.name} is not UTF-8 text ({exc.reason} at byte {exc.start}); re-save it from Jupyter"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return (
            None,
            f"{path.name} is not valid JSON (line {exc.lineno}: {exc.msg}); the file is damaged, ask for a re-export",
        )
    if not isinstance(data, dict) or "nbformat" not in data:
        return None, f"{path.name} is JSON but not a Jupyter notebook (it has no nbformat version)"
    try:
        nb = nbformat.reads(text, as_version=4)  # older versions (3) are converted
        nbformat.validate(nb)
    except Exception as exc:  # nbformat's reader and validator raise several unrelated types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"{path.name} is not a valid Jupyter notebook ({first[:200]})"
    return nbformat.writes(nb), None
