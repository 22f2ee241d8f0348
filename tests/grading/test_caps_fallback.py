"""Where cgroups cannot be used, the grader falls back to the limits per process and says so as loudly as it does
when bubblewrap is missing: on the command line and in the class report."""

import pytest

from autograder.class_report import render_report
from autograder.grade import __main__ as command
from autograder.sandbox.cgroups import Support


def test_the_command_warns_when_there_are_no_caps(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(command, "cap_support", lambda: Support(None, "the grader is not running as root"))
    with pytest.raises(SystemExit):  # warns first, then stops at the unknown assignment
        command.main(["no_such_assignment", str(tmp_path)])
    err = capsys.readouterr().err
    assert "WARNING: caps per submission are OFF (the grader is not running as root)" in err


def test_the_command_is_quiet_about_caps_when_they_hold(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(command, "cap_support", lambda: Support("cgroup v1"))
    with pytest.raises(SystemExit):
        command.main(["no_such_assignment", str(tmp_path)])
    assert "caps per submission" not in capsys.readouterr().err


def test_the_class_report_says_the_caps_were_off_and_why():
    html = render_report(
        "w1a1_conv_numpy", [], [], sandboxed=True, wall_seconds=1.0, caps_off="no cgroup v1 hierarchy for pids"
    )
    assert "Caps per submission were OFF" in html and "no cgroup v1 hierarchy for pids" in html
    assert "OFF (limits per process only)" in html


def test_the_class_report_names_the_caps_it_had():
    caps = "cgroup v2: 3 GB of memory, 512 processes, 1 CPU core, 1 GB of disk"
    html = render_report("w1a1_conv_numpy", [], [], sandboxed=True, wall_seconds=1.0, caps=caps)
    assert caps in html and "Caps per submission were OFF" not in html


def test_the_caps_options_change_the_limits():
    args = command.build_parser().parse_args(["a", "b", "--memory-cap", "1.5", "--cpu-cap", "2", "--process-cap", "64"])
    limits = command.limits_from(args)
    assert (limits.total_memory_bytes, limits.cpu_cores, limits.processes) == (int(1.5 * 1024**3), 2.0, 64)
    assert limits.disk_bytes == command.Limits().disk_bytes
