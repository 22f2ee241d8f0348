"""The instructor pages of the book (book/instructors/) tell the truth: every command in their shell blocks
exists with the options shown, and the columns, statuses, files, options and settings they describe are
the ones the code has. Fast: commands are checked with `make -n` and `--help`, nothing is graded.
"""

import ast
import functools
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.course import REPO, SOLUTIONS, assignment_names
from autograder.grade.records import CSV_COLUMNS
from autograder.quizzes.banks import is_quiz
from autograder.sandbox.limits import Limits

PAGES = REPO / "book" / "instructors"
VENV_BIN = Path(sys.executable).parent
# Programs a page may show that are not the course's own: they only need to exist on the machine.
SYSTEM_TOOLS = {"git", "cd"}
# Modules whose first word after the module is a subcommand with its own options.
MODULES_WITH_SUBCOMMANDS = {"ipykernel"}


def page_text(name: str) -> str:
    return (PAGES / f"{name}.md").read_text()


def fenced_blocks(text: str, language: str) -> list[str]:
    """Return the bodies of the ```<language> blocks of a MyST page (indented ones too)."""
    pattern = rf"^(?P<indent>[ ]*)```{language}\n(?P<body>.*?)^(?P=indent)```"
    return [textwrap_dedent(m["body"], len(m["indent"])) for m in re.finditer(pattern, text, flags=re.M | re.S)]


def textwrap_dedent(body: str, width: int) -> str:
    return "\n".join(line[width:] for line in body.splitlines())


def shell_commands() -> list[tuple[str, str]]:
    """Return (page, command) for every command line of every shell block of the instructor pages."""
    commands = []
    for path in sorted(PAGES.glob("*.md")):
        for block in fenced_blocks(path.read_text(), "shell"):
            for line in block.replace("\\\n", " ").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    commands.append((path.stem, line.strip()))
    return commands


def run(argv: list[str], timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=timeout)


@functools.lru_cache(maxsize=None)
def help_of(help_argv: tuple[str, ...]) -> subprocess.CompletedProcess:
    """Run a help command once per test session (the grader's imports take seconds)."""
    return run(list(help_argv))


def check_options_in_help(words: list[str], help_argv: list[str]) -> None:
    """Run the help command; every --option of `words` must appear in what it prints."""
    proc = help_of(tuple(help_argv))
    assert proc.returncode == 0, f"`{' '.join(help_argv)}` failed:\n{proc.stderr[-2000:]}"
    for word in words:
        if word.startswith("--"):
            option = word.split("=", 1)[0]
            assert option in proc.stdout, f"{option} is not an option of `{' '.join(help_argv[:-1])}`"


def test_the_pages_show_commands():
    pages = {page for page, _ in shell_commands()}
    assert {"hosting", "grading", "authoring"} <= pages, f"shell blocks found only on {sorted(pages)}"


@pytest.mark.parametrize("page, command", shell_commands(), ids=lambda value: value[:60])
def test_every_command_exists_with_its_options(page, command):
    words = shlex.split(command)
    program = words[0]
    if program == "make":
        proc = run(["make", "-n", *words[1:]])
        assert proc.returncode == 0, f"{page}: `{command}` is not a working make target:\n{proc.stderr}"
    elif program == ".venv/bin/python" and words[1] == "-m":
        module = words[2:4] if words[2] in MODULES_WITH_SUBCOMMANDS else words[2:3]
        check_options_in_help(words, [str(VENV_BIN / "python"), "-m", *module, "--help"])
    elif program == ".venv/bin/nbgrader":
        check_options_in_help(words, [str(VENV_BIN / "nbgrader"), words[1], "--help-all"])
        for word in words:
            if word.startswith("--NbGrader.config_file="):
                assert (REPO / word.split("=", 1)[1]).is_file(), f"{page}: {word} names a missing file"
    elif program in SYSTEM_TOOLS:
        assert program in {"cd"} or shutil.which(program), f"{page}: {program} is not installed"
    else:
        pytest.fail(f"{page}: `{command}`: no check knows the program {program!r}; add one to this test")


def test_no_page_asks_anyone_to_delete_folders_by_hand():
    # The student release is written by `make dist` from a list of what may go, and leak-checked.
    assert [(page, c) for page, c in shell_commands() if shlex.split(c)[0] in ("rm", "sudo")] == []
    assert "rm -rf" not in "".join(path.read_text() for path in PAGES.glob("*.md"))


def test_grade_ids_named_on_the_pages_are_real():
    ids = set()
    for name in assignment_names():
        nb = json.loads((SOLUTIONS / name / f"{name}.ipynb").read_text())
        ids |= {
            c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
        }
    for path in PAGES.glob("*.md"):
        for named in set(re.findall(r"\btest_[a-z_]+[a-z]\b", path.read_text())):
            assert named in ids, f"{path.name} names the test cell {named}, which no assignment has"


def test_the_grading_page_lists_every_option_of_the_grader():
    proc = help_of((str(VENV_BIN / "python"), "-m", "autograder.grade", "--help"))
    options = set(re.findall(r"(--[a-z][a-z-]+)", proc.stdout)) - {"--help"}
    table = page_text("grading")
    shown = set(re.findall(r"`(--[a-z][a-z-]+)", table))
    assert options - shown == set(), f"options of autograder.grade missing from grading.md: {options - shown}"
    assert shown - options == set(), f"grading.md shows options autograder.grade does not have: {shown - options}"


def test_the_time_limits_on_the_pages_are_the_graders():
    for name in ("grading", "report"):
        text = page_text(name)
        for seconds in re.findall(r"\((\d+) s\)", text):
            assert int(seconds) in (Limits.cell_seconds, Limits.notebook_seconds), f"{name}.md: {seconds} s is no limit"
    assert f"({Limits.cell_seconds} s)" in page_text("grading") and f"({Limits.notebook_seconds} s)" in page_text(
        "grading"
    )


def test_the_caps_on_the_grading_page_are_the_graders():
    text = page_text("grading")
    gib = 1024**3
    assert f"{Limits.total_memory_bytes / gib:g} GB of memory" in text
    assert f"{Limits.processes} processes and\nthreads" in text or f"{Limits.processes} processes and threads" in text
    assert Limits.cpu_cores == 1 and "one CPU core" in text
    assert f"{Limits.disk_bytes / gib:g} GB for its working folder" in text


def table_first_column(text: str, header: str) -> list[str]:
    """Return the first cells (without backticks) of the markdown table whose header row starts with `header`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    cells = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells.append(line.split("|")[1].strip().strip("`"))
    return cells


def test_the_report_page_lists_the_csv_columns_in_order():
    assert table_first_column(page_text("report"), "column") == CSV_COLUMNS


def test_the_report_page_lists_exactly_the_statuses_the_grader_writes():
    produced = set()
    for path in (REPO / "autograder").rglob("*.py"):
        produced |= set(re.findall(r'(?:Row|Outcome)\(\s*[^,()]+,\s*"([a-z]+)"', path.read_text()))
    assert {"graded", "invalid", "timeout", "crashed"} <= produced, f"the status search found only {produced}"
    assert set(table_first_column(page_text("report"), "status")) == produced


def test_the_report_page_names_the_files_and_sections_the_grader_writes():
    grade_source = "".join(path.read_text() for path in (REPO / "autograder" / "grade").glob("*.py"))
    report_source = (REPO / "autograder" / "class_report.py").read_text()
    files = table_first_column(page_text("report"), "file")
    for name in files:
        last = name.split("/")[-1].replace("<assignment>", "").replace("<student>", "")
        assert last.strip(".") in grade_source, f"report.md names {name}, which autograder/grade/ does not write"
    assert "feedback/<student>/<assignment>.html" in files
    sections = re.findall(r"^- \*\*([^*]+)\*\*:", page_text("report"), flags=re.M)
    headings = re.findall(r"<h2>([^<]+)</h2>", report_source)
    assert sections == headings, f"report.md lists the sections {sections}; class_report.py writes {headings}"


def test_the_launch_settings_on_the_hosting_page_are_the_extensions():
    sys.path.insert(0, str(REPO / "book" / "_ext"))
    try:
        import assignment_launch  # noqa: PLC0415
    finally:
        sys.path.remove(str(REPO / "book" / "_ext"))
    import yaml  # noqa: PLC0415

    blocks = [yaml.safe_load(b) for b in fenced_blocks(page_text("hosting"), "yaml")]
    shown = [b["sphinx"]["config"]["assignment_launch"] for b in blocks if "sphinx" in b]
    assert shown, "hosting.md shows no assignment_launch settings"
    assert set(shown[0]) == set(assignment_launch.DEFAULTS)
    configured = yaml.safe_load((REPO / "_config.yml").read_text())["sphinx"]["config"]["assignment_launch"]
    assert set(configured) == set(assignment_launch.DEFAULTS), "_config.yml and hosting.md must show the same keys"


def test_the_authoring_page_shows_the_directive_the_assignment_pages_use():
    example = re.search(r"```\{assignment-launch\} (\S+)", page_text("authoring"))
    assert example, "authoring.md does not show the {assignment-launch} line"
    page = (REPO / "book" / "assignments" / f"{example[1]}.md").read_text()
    assert f"```{{assignment-launch}} {example[1]}\n```" in page


def test_the_paths_the_pages_name_exist():
    """Every repository path in backticks (a file or folder of the model assignment) must exist."""
    model = next(name for name in assignment_names() if not is_quiz(name))  # <id> is an assignment's
    for path in PAGES.glob("*.md"):
        for named in re.findall(
            r"`((?:solutions|assignments|autograder|cnnbook|tests|scripts)/[^`\s]*)`", path.read_text()
        ):
            concrete = named.replace("<id>", model).replace("<assignment>", model)
            if "<" in concrete:
                continue  # a pattern such as feedback/<student>/...
            assert (REPO / concrete).exists(), f"{path.name} names {named}, which does not exist ({concrete})"


def test_the_nbgrader_configuration_matches_the_hosting_page():
    config = (REPO / "autograder" / "nbgrader_config.py").read_text()
    values = {
        node.targets[0].attr: node.value.value
        for node in ast.walk(ast.parse(config))
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Attribute)
        and isinstance(node.value, ast.Constant)
    }
    text = page_text("hosting")
    for key in ("course_id", "source_directory", "release_directory"):
        assert f"`{values[key]}" in text, f"hosting.md does not give the configured {key} {values[key]!r}"
