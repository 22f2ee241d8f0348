"""The data cache: where it lives, what its manifest records, and that damaged or outdated copies are rebuilt."""

import json
import socket
import warnings
from pathlib import Path

import numpy as np
import pytest

from cnnbook.data import cache
from cnnbook.data.cache import CacheRebuildWarning, cached_arrays, cached_folder, data_dir
from tests.support.offline import refuse_connections


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_DATA_DIR", str(tmp_path))
    refuse_connections(monkeypatch)
    return tmp_path


class Builder:
    """A builder that counts its calls, so a test can tell a cache hit from a rebuild."""

    def __init__(self, seed=0):
        self.calls, self.seed = 0, seed

    def __call__(self):
        self.calls += 1
        rng = np.random.default_rng(self.seed)
        return {"x": rng.integers(0, 256, (20, 8, 8, 3), dtype=np.uint8), "y": np.arange(20) % 2}


def test_data_dir_prefers_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNBOOK_DATA_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "explicit"


def test_data_dir_follows_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNBOOK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "cnnbook"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_dir() == tmp_path / "home" / ".cache" / "cnnbook"


def test_network_is_really_refused_inside_the_fixture(tmp_cache):
    # the guard the data tests rely on: a download attempt would fail loudly
    with pytest.raises(OSError, match="network access"):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(OSError, match="network access"):
        socket.socket().connect(("127.0.0.1", 9))


def test_first_call_builds_and_writes_a_manifest(tmp_cache):
    build = Builder()
    arrays = cached_arrays("toy", "v1", 7, build)
    assert build.calls == 1
    manifest = json.loads((tmp_cache / "toy.json").read_text())
    assert manifest["generator_version"] == "v1" and manifest["seed"] == 7 and manifest["name"] == "toy"
    assert manifest["sha256"] == cache.file_sha256(tmp_cache / "toy.npz")
    assert manifest["arrays"]["x"] == [[20, 8, 8, 3], "uint8"]
    np.testing.assert_array_equal(arrays["x"], Builder()()["x"])


def test_second_call_reads_the_cache_without_building(tmp_cache):
    build = Builder()
    first = cached_arrays("toy", "v1", 7, build)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a sound cache is used silently
        second = cached_arrays("toy", "v1", 7, build)
    assert build.calls == 1
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])
        assert first[key].dtype == second[key].dtype


def corrupt_by_truncating(path: Path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def corrupt_by_flipping_a_byte(path: Path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("corrupt", [corrupt_by_truncating, corrupt_by_flipping_a_byte])
def test_a_changed_file_is_reported_and_rebuilt(tmp_cache, corrupt):
    build = Builder()
    first = cached_arrays("toy", "v1", 7, build)
    corrupt(tmp_cache / "toy.npz")
    with pytest.warns(CacheRebuildWarning, match=r"toy\.npz.*SHA-256"):
        second = cached_arrays("toy", "v1", 7, build)
    assert build.calls == 2
    np.testing.assert_array_equal(first["x"], second["x"])
    # and the rebuilt copy is sound again
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cached_arrays("toy", "v1", 7, build)
    assert build.calls == 2


def test_an_unreadable_file_with_a_matching_hash_is_rebuilt(tmp_cache):
    # a file that hashes as recorded but is no npz (e.g. a manifest written for the wrong file)
    build = Builder()
    cached_arrays("toy", "v1", 7, build)
    (tmp_cache / "toy.npz").write_bytes(b"not a zip file")
    manifest = json.loads((tmp_cache / "toy.json").read_text())
    manifest["sha256"] = cache.file_sha256(tmp_cache / "toy.npz")
    (tmp_cache / "toy.json").write_text(json.dumps(manifest))
    with pytest.warns(CacheRebuildWarning, match="could not be read"):
        arrays = cached_arrays("toy", "v1", 7, build)
    assert build.calls == 2 and arrays["x"].shape == (20, 8, 8, 3)


def test_an_older_generator_version_is_rebuilt(tmp_cache):
    build = Builder()
    cached_arrays("toy", "v1", 7, build)
    with pytest.warns(CacheRebuildWarning, match=r"toy\.npz.*'v1'.*'v2'"):
        cached_arrays("toy", "v2", 7, build)
    assert build.calls == 2
    assert json.loads((tmp_cache / "toy.json").read_text())["generator_version"] == "v2"


def test_another_seed_is_rebuilt(tmp_cache):
    build = Builder()
    cached_arrays("toy", "v1", 7, build)
    with pytest.warns(CacheRebuildWarning, match="seed 7"):
        cached_arrays("toy", "v1", 8, build)
    assert build.calls == 2


@pytest.mark.parametrize("damage", ["delete", "garble"])
def test_a_missing_or_garbled_manifest_is_rebuilt(tmp_cache, damage):
    build = Builder()
    cached_arrays("toy", "v1", 7, build)
    if damage == "delete":
        (tmp_cache / "toy.json").unlink()
    else:
        (tmp_cache / "toy.json").write_text("{not json")
    with pytest.warns(CacheRebuildWarning, match="manifest is missing or unreadable"):
        cached_arrays("toy", "v1", 7, build)
    assert build.calls == 2


def test_a_deleted_data_file_is_rebuilt(tmp_cache):
    build = Builder()
    cached_arrays("toy", "v1", 7, build)
    (tmp_cache / "toy.npz").unlink()
    with pytest.warns(CacheRebuildWarning, match="missing"):
        cached_arrays("toy", "v1", 7, build)
    assert build.calls == 2


def test_no_temporary_files_are_left_behind(tmp_cache):
    cached_arrays("toy", "v1", 7, Builder())
    assert sorted(p.name for p in tmp_cache.iterdir()) == ["toy.json", "toy.npz"]


class FolderBuilder:
    def __init__(self):
        self.calls = 0

    def __call__(self, folder):
        self.calls += 1
        for name in ("a", "b"):
            (folder / name).mkdir()
            for i in range(3):
                (folder / name / f"{i}.txt").write_text(f"{name}{i}")


def test_folder_is_built_once_and_reused(tmp_cache):
    build = FolderBuilder()
    folder = cached_folder("things", "v1", 1, build)
    assert folder == tmp_cache / "things"
    assert sorted(p.name for p in folder.iterdir()) == ["a", "b"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cached_folder("things", "v1", 1, build) == folder
    assert build.calls == 1
    assert json.loads((tmp_cache / "things.json").read_text())["sha256"] == cache.folder_sha256(folder)


@pytest.mark.parametrize("tamper", ["edit", "add", "remove", "rename"])
def test_a_tampered_folder_is_reported_and_rebuilt(tmp_cache, tamper):
    build = FolderBuilder()
    folder = cached_folder("things", "v1", 1, build)
    if tamper == "edit":
        (folder / "a" / "0.txt").write_text("changed")
    elif tamper == "add":
        (folder / "a" / "extra.txt").write_text("stray")
    elif tamper == "remove":
        (folder / "b" / "2.txt").unlink()
    else:
        (folder / "a" / "1.txt").rename(folder / "a" / "9.txt")
    with pytest.warns(CacheRebuildWarning, match="things"):
        cached_folder("things", "v1", 1, build)
    assert build.calls == 2
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt")) == [
        f"{n}/{i}.txt" for n in "ab" for i in range(3)
    ]
    assert (folder / "a" / "0.txt").read_text() == "a0"


def test_a_folder_of_an_older_version_is_rebuilt(tmp_cache):
    build = FolderBuilder()
    cached_folder("things", "v1", 1, build)
    with pytest.warns(CacheRebuildWarning, match="generator version"):
        cached_folder("things", "v2", 1, build)
    assert build.calls == 2


def test_a_failing_folder_build_leaves_nothing_behind(tmp_cache):
    def broken(folder):
        (folder / "half").mkdir()
        raise RuntimeError("generator crashed")

    with pytest.raises(RuntimeError, match="generator crashed"):
        cached_folder("things", "v1", 1, broken)
    assert list(tmp_cache.iterdir()) == []


def test_concurrent_builders_leave_a_sound_cache(tmp_cache):
    # two notebooks filling the same empty cache at once: both get the data, the cache ends up sound
    import threading
    import time

    def slow_arrays():
        time.sleep(0.2)
        return Builder()()

    def slow_folder(folder):
        time.sleep(0.2)
        FolderBuilder()(folder)

    results, errors = [], []

    def work():
        try:
            results.append((cached_arrays("toy", "v1", 7, slow_arrays), cached_folder("things", "v1", 1, slow_folder)))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(results) == 2
    np.testing.assert_array_equal(results[0][0]["x"], results[1][0]["x"])
    build, folder_build = Builder(), FolderBuilder()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cached_arrays("toy", "v1", 7, build)
        cached_folder("things", "v1", 1, folder_build)
    assert build.calls == 0 and folder_build.calls == 0
    assert not [p for p in tmp_cache.iterdir() if p.name.startswith(".")]  # no temporary files left
