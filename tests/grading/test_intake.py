"""Finding each student's notebook in the shapes of submission folders and zips instructors receive."""

import zipfile
from pathlib import Path

import pytest

from autograder.intake.layouts import clean_student_id, collect

A = "w1a1_conv_numpy"


def touch(path: Path, text: str = "{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def by_student(subs):
    return {s.student_id: s for s in subs}


def test_a_sub_folder_per_student_with_exact_or_renamed_notebooks(tmp_path):
    touch(tmp_path / "in" / "ana" / f"{A}.ipynb")
    touch(tmp_path / "in" / "ben" / "my copy.ipynb")
    touch(tmp_path / "in" / "ben" / "notes.txt", "extra file")
    subs = by_student(collect(tmp_path / "in", A, tmp_path / "scratch"))
    assert subs["ana"].notebook.name == f"{A}.ipynb"
    assert subs["ben"].notebook.name == "my copy.ipynb" and subs["ben"].problem is None


def test_flat_files_named_by_student(tmp_path):
    touch(tmp_path / "in" / f"cara_{A}.ipynb")
    touch(tmp_path / "in" / "dan.ipynb")
    touch(tmp_path / "in" / "readme.md", "not a notebook")
    subs = by_student(collect(tmp_path / "in", A, tmp_path / "scratch"))
    assert sorted(subs) == ["cara", "dan"]
    assert subs["cara"].notebook.name == f"cara_{A}.ipynb"


def test_folders_without_one_clear_notebook_are_reported(tmp_path):
    (tmp_path / "in" / "empty").mkdir(parents=True)
    touch(tmp_path / "in" / "two" / "a.ipynb")
    touch(tmp_path / "in" / "two" / "b.ipynb")
    touch(tmp_path / "in" / "two_ok" / "a.ipynb")
    touch(tmp_path / "in" / "two_ok" / f"{A}.ipynb")
    touch(tmp_path / "in" / "ckpt" / ".ipynb_checkpoints" / f"{A}-checkpoint.ipynb")
    touch(tmp_path / "in" / "ckpt" / f"{A}.ipynb")
    subs = by_student(collect(tmp_path / "in", A, tmp_path / "scratch"))
    assert subs["empty"].notebook is None and "no notebook" in subs["empty"].problem and subs["empty"].missing
    assert subs["two"].notebook is None and "several notebooks" in subs["two"].problem and not subs["two"].missing
    assert subs["two_ok"].notebook.name == f"{A}.ipynb"
    assert subs["ckpt"].notebook.parent.name == "ckpt"


def test_zip_of_folders_and_zip_with_one_top_folder(tmp_path):
    for name, prefix in (("plain.zip", ""), ("nested.zip", "export/")):
        archive = tmp_path / name
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr(f"{prefix}eve/{A}.ipynb", "{}")
            zf.writestr(f"{prefix}fay_{A}.ipynb", "{}")
        subs = by_student(collect(archive, A, tmp_path / f"scratch-{name}"))
        assert sorted(subs) == ["eve", "fay"], name
        assert all(s.notebook.is_file() for s in subs.values())


def test_zip_that_writes_outside_its_folder_is_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escaped.ipynb", "{}")
    with pytest.raises(ValueError, match="outside"):
        collect(archive, A, tmp_path / "scratch")
    assert not (tmp_path / "escaped.ipynb").exists()


def test_two_submissions_for_one_student_are_reported(tmp_path):
    touch(tmp_path / "in" / "gus" / f"{A}.ipynb")
    touch(tmp_path / "in" / f"gus_{A}.ipynb")
    subs = by_student(collect(tmp_path / "in", A, tmp_path / "scratch"))
    assert subs["gus"].notebook is None and "two submissions" in subs["gus"].problem


def test_missing_folder_and_non_zip_file_say_what_to_give(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        collect(tmp_path / "nowhere", A, tmp_path / "scratch")
    with pytest.raises(ValueError, match="neither a folder nor a zip"):
        collect(touch(tmp_path / "grades.txt", "x"), A, tmp_path / "scratch")


def test_student_ids_are_cleaned_for_file_systems():
    assert clean_student_id("Ana María / 2") == "Ana_Mar_a_2"
    assert clean_student_id("  ../..  ") == "unnamed"
    assert clean_student_id("ben.smith@uni.edu") == "ben.smith@uni.edu"


def test_moodle_and_canvas_exports(tmp_path):
    touch(tmp_path / "in" / "Ana Ruiz_1234_assignsubmission_file_" / "whatever.ipynb")
    touch(tmp_path / "in" / "smithjo_LATE_5521_99001_w1a1 final.ipynb")
    touch(tmp_path / "in" / "leeka_5522_99002_w1a1_conv_numpy-1.ipynb")
    touch(tmp_path / "in" / f"parkmi_5523_99003_{A}.ipynb")  # the name the release has: still Canvas's export
    subs = by_student(collect(tmp_path / "in", A, tmp_path / "scratch"))
    assert sorted(subs) == ["Ana_Ruiz", "leeka", "parkmi", "smithjo"]
    assert all(s.notebook is not None for s in subs.values())
    # Canvas's file names carry the student's Canvas user id: the Canvas export of the grades uses it.
    assert {s: subs[s].lms_user_id for s in subs} == {
        "Ana_Ruiz": None,
        "leeka": "5522",
        "parkmi": "5523",
        "smithjo": "5521",
    }


def test_nbgrader_collect_layout_grades_this_assignment_only(tmp_path):
    """`nbgrader collect` writes submitted/<student>/<assignment>/: the other assignments' folders stay out."""
    submitted = tmp_path / "submitted"
    touch(submitted / "ana" / A / f"{A}.ipynb")
    touch(submitted / "ana" / A / "timestamp.txt", "2026-12-01 10:00:00.000000 UTC")
    touch(submitted / "ana" / "w1a2_keras_apis" / "w1a2_keras_apis.ipynb")
    touch(submitted / "ben" / "w1a2_keras_apis" / "w1a2_keras_apis.ipynb")
    touch(submitted / "ben" / "w2a1_resnets" / "w2a1_resnets.ipynb")
    touch(submitted / "cara" / A / "renamed by cara.ipynb")
    touch(submitted / "cara" / "w1a2_keras_apis" / "w1a2_keras_apis.ipynb")
    touch(submitted / "dan" / A / ".ipynb_checkpoints" / f"{A}-checkpoint.ipynb")
    subs = by_student(collect(submitted, A, tmp_path / "scratch"))
    assert subs["ana"].notebook == submitted / "ana" / A / f"{A}.ipynb"
    assert subs["cara"].notebook == submitted / "cara" / A / "renamed by cara.ipynb"
    for student in ("ben", "dan"):
        assert subs[student].notebook is None and subs[student].missing, subs[student]
        assert subs[student].problem.startswith(f"no submission for {A}"), subs[student].problem
    assert "w1a2_keras_apis/w1a2_keras_apis.ipynb" in subs["ben"].problem
    assert "w2a1_resnets/w2a1_resnets.ipynb" in subs["ben"].problem


def test_another_assignments_notebook_is_never_graded_in_place_of_this_one(tmp_path):
    touch(tmp_path / "in" / "eve" / "w1a2_keras_apis.ipynb")  # a folder of one notebook, of another assignment
    touch(tmp_path / "in" / "fay_w1a2_keras_apis.ipynb")  # flat files
    touch(tmp_path / "in" / "gil_w1a2_keras_apis.ipynb")
    touch(tmp_path / "in" / f"gil_{A}.ipynb")
    touch(tmp_path / "in" / "hal_1234_5678_w2a1_resnets.ipynb")  # Canvas's export of the wrong notebook
    touch(tmp_path / "in" / "w2a2_transfer_learning.ipynb")  # named after an assignment only: names no student
    subs = by_student(collect(tmp_path / "in", A, tmp_path / "scratch"))
    assert sorted(subs) == ["eve", "fay", "gil", "hal"]
    assert subs["gil"].notebook.name == f"gil_{A}.ipynb" and not subs["gil"].missing
    for student, named in (("eve", "w1a2_keras_apis.ipynb"), ("fay", "fay_w1a2_keras_apis.ipynb"), ("hal", "hal_")):
        sub = subs[student]
        assert sub.notebook is None and sub.missing and sub.problem.startswith(f"no submission for {A}"), sub
        assert named in sub.problem, sub.problem


def test_a_quiz_and_an_assignment_handed_in_side_by_side_are_told_apart(tmp_path):
    """A weekly quiz is an assignment of the course: nbgrader's layout and flat files keep it apart from the others."""
    submitted = tmp_path / "submitted"
    touch(submitted / "ana" / "w1_quiz" / "w1_quiz.ipynb")
    touch(submitted / "ana" / A / f"{A}.ipynb")
    touch(submitted / "ben" / A / f"{A}.ipynb")
    touch(tmp_path / "flat" / "cara_w1_quiz.ipynb")
    touch(tmp_path / "flat" / f"dan_{A}.ipynb")
    quiz = by_student(collect(submitted, "w1_quiz", tmp_path / "scratch"))
    assert quiz["ana"].notebook == submitted / "ana" / "w1_quiz" / "w1_quiz.ipynb"
    assert quiz["ben"].notebook is None and quiz["ben"].missing and "no submission for w1_quiz" in quiz["ben"].problem
    assert by_student(collect(submitted, A, tmp_path / "scratch"))["ana"].notebook.parent.name == A
    flat = by_student(collect(tmp_path / "flat", "w1_quiz", tmp_path / "scratch"))
    assert flat["cara"].notebook.name == "cara_w1_quiz.ipynb" and not flat["cara"].missing
    assert flat["dan"].missing and f"dan_{A}.ipynb" in flat["dan"].problem
