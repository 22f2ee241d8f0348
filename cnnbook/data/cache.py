"""The on-disk cache of the course's generated data sets: where it lives, its manifests and its integrity checks.

Every data set is a pure function of (generator version, seed). It is written once, either as one
``<name>.npz`` file or as a folder ``<name>/`` of files, next to a manifest ``<name>.json`` holding the
SHA-256 of what was written, the generator version and the seed. A cached copy is used only if all
three still match; otherwise the loader warns (naming the file and the reason) and rebuilds it.

Used by: cnnbook.data, cnnbook.data.faces, cnnbook.data.hand_signs, cnnbook.data.smiles, cnnbook.data.street_scenes,
cnnbook.data.style_images, cnnbook.data.transfer_target, the grader
"""

import hashlib
import json
import os
import shutil
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["data_dir", "cached_arrays", "cached_folder", "file_sha256", "folder_sha256", "CacheRebuildWarning"]


class CacheRebuildWarning(UserWarning):
    """A cached data set was missing its manifest, corrupt or stale, and is being regenerated."""


def data_dir() -> Path:
    """Return the cache folder: $CNNBOOK_DATA_DIR, else $XDG_CACHE_HOME/cnnbook, else ~/.cache/cnnbook."""
    explicit = os.environ.get("CNNBOOK_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "cnnbook"


def file_sha256(path: Path) -> str:
    """Return the hexadecimal SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_sha256(folder: Path) -> str:
    """Return one SHA-256 over every file of a folder: relative paths (sorted) and contents."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(file_sha256(path).encode() + b"\n")
    return digest.hexdigest()


def _read_manifest(path: Path):
    # Return the manifest dict, or None if it is missing or unreadable.
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write_manifest(path: Path, name: str, version: str, seed: int, sha256: str, extra: dict) -> None:
    """Write the JSON manifest recording what was cached and from which generator."""
    manifest = {"name": name, "generator_version": version, "seed": seed, "sha256": sha256, **extra}
    _write_atomically(path, json.dumps(manifest, indent=2, sort_keys=True).encode())


def _write_atomically(path: Path, payload: bytes) -> None:
    # Write to a temporary file in the same folder, then rename: readers never see half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
        handle.write(payload)
    os.chmod(handle.name, 0o644)  # NamedTemporaryFile makes it private; the manifest is an ordinary file
    os.replace(handle.name, path)


def _stale_reason(manifest, target: Path, version: str, seed: int, digest) -> str | None:
    # None: nothing is cached yet (build quietly); "": the cached copy is sound; else why it must be rebuilt.
    # `digest` hashes the target (a file or a folder).
    if not target.exists():
        return None if manifest is None else "the data are missing"
    if manifest is None:
        return "its manifest is missing or unreadable"
    if manifest.get("generator_version") != version:
        return f"it was made by generator version {manifest.get('generator_version')!r}, the current one is {version!r}"
    if manifest.get("seed") != seed:
        return f"it was made with seed {manifest.get('seed')!r}, the loader asks for {seed!r}"
    if digest(target) != manifest.get("sha256"):
        return "its SHA-256 does not match the manifest (the file was changed or truncated)"
    return ""


def _warn_rebuild(target: Path, reason: str) -> None:
    """Warn, naming the cached file, that it is being rebuilt and why."""
    warnings.warn(
        f"cnnbook: rebuilding the cached data set {target} because {reason}.", CacheRebuildWarning, stacklevel=4
    )


def cached_arrays(name: str, version: str, seed: int, build) -> dict:
    """Return the arrays of data set `name`, from the cache if it is sound, else from `build()` (then cached).

    Arguments:
    name -- file stem of the data set in the cache folder (``<name>.npz`` and ``<name>.json``)
    version -- the generator's version string; a cache made by another version is rebuilt
    seed -- the seed the data are generated from, recorded in the manifest
    build -- function of no argument returning a dict of NumPy arrays (no object arrays)
    Returns:
    arrays -- dict name -> np.ndarray, identical to what `build()` returns
    """
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target, manifest_path = folder / f"{name}.npz", folder / f"{name}.json"
    reason = _stale_reason(_read_manifest(manifest_path), target, version, seed, file_sha256)
    if reason == "":
        try:
            with np.load(target, allow_pickle=False) as stored:
                return {key: stored[key] for key in stored.files}
        except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
            reason = f"it could not be read ({error})"
    if reason:
        _warn_rebuild(target, reason)
    arrays = build()
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}.", suffix=".npz", delete=False) as handle:
        np.savez(handle, **arrays)
    os.chmod(handle.name, 0o644)  # NamedTemporaryFile makes it private; the cache is ordinary data
    os.replace(handle.name, target)  # atomic: a reader sees the old file or the new one, never half of one
    _write_manifest(
        manifest_path,
        name,
        version,
        seed,
        file_sha256(target),
        {"arrays": {key: [list(value.shape), str(value.dtype)] for key, value in arrays.items()}},
    )
    return arrays


def cached_folder(name: str, version: str, seed: int, build) -> Path:
    """Return the folder of data set `name` in the cache, (re)building it with `build(folder)` unless it is sound.

    Arguments:
    name -- the folder's name in the cache folder (its manifest is ``<name>.json`` beside it)
    version -- the generator's version string; a folder made by another version is rebuilt
    seed -- the seed the files are generated from, recorded in the manifest
    build -- function writing every file of the data set into the (empty) folder it is given
    Returns:
    folder -- Path of the finished folder
    """
    parent = data_dir()
    parent.mkdir(parents=True, exist_ok=True)
    target, manifest_path = parent / name, parent / f"{name}.json"
    reason = _stale_reason(_read_manifest(manifest_path), target, version, seed, folder_sha256)
    if reason == "":
        return target
    if reason:
        _warn_rebuild(target, reason)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{name}."))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; the finished folder is an ordinary one
    try:
        build(staging)
        digest = folder_sha256(staging)
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(staging, target)
        except OSError:
            # another process finished the same folder in the meantime: same version and seed, same files
            if not target.is_dir():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _write_manifest(manifest_path, name, version, seed, digest, {})
    return target
