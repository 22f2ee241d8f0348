"""The grader gives each sandboxed kernel its cached data sets without letting it change the grader's copy."""

import os

from autograder.grade.work_folder import share_data_cache


def test_kernel_gets_links_to_the_cache_and_folders_of_its_own(tmp_path):
    cache, work = tmp_path / "cache", tmp_path / "work"
    (cache / "kite_photos" / "kite").mkdir(parents=True)
    (cache / "smiles.npz").write_bytes(b"arrays")
    (cache / "kite_photos" / "kite" / "0.png").write_bytes(b"png")
    (cache / ".smiles.tmp.npz").write_bytes(b"half written")
    work.mkdir()
    shared = share_data_cache(cache, work, uid=61234)
    assert shared == work / ".cache" / "cnnbook"
    assert (shared / "smiles.npz").read_bytes() == b"arrays"
    assert (shared / "kite_photos" / "kite" / "0.png").read_bytes() == b"png"
    assert not (shared / ".smiles.tmp.npz").exists()
    # The files stay the grader's (same inode, same owner); the folders are the kernel's.
    assert os.stat(shared / "smiles.npz").st_ino == os.stat(cache / "smiles.npz").st_ino
    assert os.stat(shared / "smiles.npz").st_uid == os.stat(cache / "smiles.npz").st_uid
    if os.geteuid() == 0:
        assert os.stat(shared).st_uid == 61234 and os.stat(shared / "kite_photos").st_uid == 61234
    # A rebuilt data set replaces the kernel's link, never the grader's file.
    replacement = shared / "new.npz"
    replacement.write_bytes(b"rebuilt")
    os.replace(replacement, shared / "smiles.npz")
    assert (cache / "smiles.npz").read_bytes() == b"arrays"


def test_a_missing_cache_gives_an_empty_folder(tmp_path):
    shared = share_data_cache(tmp_path / "nothing", tmp_path, uid=61234)
    assert shared.is_dir() and not any(shared.iterdir())
