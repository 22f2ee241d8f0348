"""Who uses each module of the helper package: the book pages, instructor notebooks and modules that import it.

Every module of cnnbook/ says in its docstring, on a line starting "Used by:", where the course uses it
(d2l's habit: a library definition names the pages that use it). tests/book/test_module_users.py keeps those
lines true; `python -m tests.support.module_users` rewrites them after a change.
"""

import ast
import json
import re
import sys
from pathlib import Path

from autograder.course import REPO

__all__ = ["cnnbook_modules", "importers", "users_line", "declared_users", "write_users_lines"]

PACKAGE = REPO / "cnnbook"
USED_BY = re.compile(r"^Used by: (.*?)(?:\n\n|\n?\Z)", re.M | re.S)


def cnnbook_modules() -> dict[str, Path]:
    """Return {dotted name: file} of every module of the helper package that defines something (packages by their
    __init__.py; an __init__.py with a docstring only describes its folder and is left out)."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[-1] == "__init__" and len(ast.parse(path.read_text(encoding="utf-8")).body) <= 1:
            continue
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imported_modules(code: str, known: set[str], package: str = "") -> set[str]:
    """Return the modules of `known` that `code` imports (`import a.b`, `from a.b import c`, `from a import b`,
    and relative imports resolved against `package`)."""
    found = set()
    for match in re.finditer(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(?:\(([^)]*)\)|([^\n]*))", code, re.M):
        module = match[1]
        if module.startswith("."):
            base = package.split(".")[: len(package.split(".")) - (len(module) - len(module.lstrip(".")) - 1)]
            module = ".".join([*base, module.lstrip(".")]).rstrip(".")
        names = [n.strip().split(" as ")[0] for n in (match[2] or match[3]).split("#")[0].split(",")]
        found.add(module)
        found.update(f"{module}.{name}" for name in names if name)
    found.update(re.findall(r"^[ \t]*import[ \t]+([\w.]+)", code, re.M))
    return found & known


def code_of(path: Path) -> str:
    """Return the Python code of a page, notebook or module."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return path.read_text(encoding="utf-8")


def user_name(path: Path) -> str:
    """Return how a user is named: a page or notebook by its path, a module by its dotted name."""
    relative = path.relative_to(REPO)
    if path.suffix == ".py":
        parts = relative.with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return relative.as_posix()


def importers() -> dict[str, set[str]]:
    """Return {cnnbook module: names of the pages, instructor notebooks and other course modules importing it}."""
    modules = cnnbook_modules()
    known = set(modules)
    sources = [
        *sorted((REPO / "book").rglob("*.md")),
        *sorted((REPO / "solutions").rglob("*.ipynb")),
        *sorted(PACKAGE.rglob("*.py")),
        *sorted((REPO / "autograder").rglob("*.py")),
    ]
    users: dict[str, set[str]] = {name: set() for name in modules}
    for path in sources:
        if ".ipynb_checkpoints" in path.parts:
            continue
        me = user_name(path)
        package = me if path.name == "__init__.py" else me.rpartition(".")[0]
        for module in imported_modules(code_of(path), known, package):
            if module != me and not me.startswith(module + "."):
                users[module].add(me)
    for module in users:  # an assignment's adapters are found by name when a hidden test's case names them
        if module.startswith("cnnbook.assignments.") and module.endswith(".adapter"):
            users[module].add("cnnbook.grading.adapters (by name)")
    return users


def users_line(users: set[str]) -> str:
    """Return the "Used by:" text for a module: pages and notebooks first; modules when nothing else uses it."""
    documents = sorted(u for u in users if "/" in u)
    grader = sorted(u for u in users if u.startswith("autograder"))
    modules = sorted(u for u in users if "/" not in u and not u.startswith("autograder"))
    named = documents or modules
    if documents and modules:
        named = [*documents, f"and {len(modules)} module{'s' if len(modules) > 1 else ''} of cnnbook"]
    if grader:
        named.append("the grader")
    return ", ".join(named) if named else "nothing yet"


def declared_users(path: Path) -> str | None:
    """Return the text after "Used by:" in a module's docstring (joined to one line), or None."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    match = USED_BY.search(docstring)
    return " ".join(match[1].split()) if match else None


def wrapped(text: str, width: int = 116) -> str:
    """Return "Used by: <text>" wrapped to lines of at most `width` characters."""
    lines, line = [], "Used by:"
    for word in text.split(" "):
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line += " " + word
    return "\n".join([*lines, line])


def write_users_lines() -> list[Path]:
    """Write the "Used by:" line of every module whose docstring's line is missing or stale; return those files."""
    changed = []
    users = importers()
    for name, path in cnnbook_modules().items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        first = tree.body[0] if tree.body else None
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
            raise SystemExit(f"{path}: the module has no docstring to say who uses it")
        want = users_line(users[name])
        if declared_users(path) == want:
            continue
        lines = text.split("\n")
        doc = "\n".join(lines[first.lineno - 1 : first.end_lineno])
        body = doc[3:-3].rstrip()
        body = USED_BY.sub("", body).rstrip() if USED_BY.search(body) else body
        new_doc = f'"""{body}\n\n{wrapped(want)}\n"""'
        lines[first.lineno - 1 : first.end_lineno] = new_doc.split("\n")
        path.write_text("\n".join(lines), encoding="utf-8")
        changed.append(path)
    return changed


if __name__ == "__main__":
    for path in write_users_lines():
        print("wrote", path.relative_to(REPO))
    sys.exit(0)
