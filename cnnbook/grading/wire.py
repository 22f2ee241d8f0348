"""A safe, JSON-based encoding of test inputs and results between the grader and a student's kernel.

Only plain data crosses: None, bool, int, float, str, lists, tuples, sets (a quiz's set of letters), dicts with
str keys, and NumPy arrays (as .npy bytes, read with allow_pickle=False). Nothing is ever unpickled, so a result
written by student code cannot run code in the grader.

Used by: cnnbook.grading.probe, cnnbook.grading.runner, the grader
"""

import base64
import hashlib
import io
import math

import numpy as np

PROBE_MIME = "application/vnd.cnnbook.probe+json"  # the one output of a test cell that carries results
PROBE_DIR_ENV = "CNNBOOK_PROBE_DIR"  # the folder the grader writes each test's encoded cases into
MAX_ARRAY_BYTES = 64 * 1024 * 1024  # a result larger than this is refused, not decoded
MAX_DEPTH = 20


def encode(value, depth: int = 0):
    """Return `value` as JSON-ready data; objects of other types become {"__unsupported__": type name}."""
    if depth > MAX_DEPTH:
        return {"__unsupported__": "nested too deeply"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return {"__int__": str(int(value))}
    if isinstance(value, (float, np.floating)):
        return {"__float__": repr(float(value))}
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return {"__unsupported__": "array of Python objects"}
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return {"__ndarray__": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):  # in an order of its own, so one set always encodes the same
        return {"__set__": sorted((encode(v, depth + 1) for v in value), key=repr)}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: encode(v, depth + 1) for k, v in value.items()}}
    return {"__unsupported__": type(value).__name__}


class Unsupported:
    """Stands for a value of a type the wire does not carry (its type name is kept for messages)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def decode(data, depth: int = 0):
    """Return the value that `encode` encoded; raise ValueError on anything malformed."""
    if depth > MAX_DEPTH + 1:
        raise ValueError("nested too deeply")
    if data is None or isinstance(data, (bool, str)):
        return data
    if isinstance(data, list):
        return [decode(v, depth + 1) for v in data]
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError(f"not a wire value: {type(data).__name__}")
    ((tag, body),) = data.items()
    if tag == "__int__":
        return int(body)
    if tag == "__float__":
        return (
            float(body)
            if body not in ("nan", "inf", "-inf")
            else {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[body]
        )
    if tag == "__ndarray__":
        raw = base64.b64decode(body, validate=True)
        if len(raw) > MAX_ARRAY_BYTES:
            raise ValueError("array too large")
        return np.load(io.BytesIO(raw), allow_pickle=False)
    if tag == "__tuple__":
        return tuple(decode(v, depth + 1) for v in body)
    if tag == "__set__":
        items = [decode(v, depth + 1) for v in body]
        if not all(isinstance(v, (str, int, float, bool, type(None), tuple)) for v in items):
            raise ValueError("a set of values that cannot be in a set")
        return frozenset(items)
    if tag == "__dict__":
        return {str(k): decode(v, depth + 1) for k, v in body.items()}
    if tag == "__unsupported__":
        return Unsupported(str(body))
    raise ValueError(f"unknown wire tag {tag!r}")


def call_key(args: tuple) -> str:
    """Return a key for a call's arguments that ignores how they are spelled (array, scalar, list, tuple).

    Used by the dependency oracles: `b[..., c]` (shape (1, 1, 1)) and `b[0, 0, 0, c]`, or `(2, 2)` and `[2, 2]`,
    give one key; arrays of other shapes (beyond axes of length 1) or values give another.
    """
    digest = hashlib.sha256()
    for arg in args:
        if isinstance(arg, str):
            digest.update(b"s" + arg.encode())
        else:
            try:
                array = np.asarray(arg, dtype=np.float64)
            except (TypeError, ValueError):
                digest.update(b"r" + repr(arg).encode())
            else:
                squeezed = tuple(n for n in array.shape if n != 1)
                digest.update(b"a" + repr(squeezed).encode() + np.ascontiguousarray(array).ravel().tobytes())
        digest.update(b"|")
    return digest.hexdigest()
