"""Submissions that try to gain points they did not earn, or to break grading, for w1a1_conv_numpy.

Each attack edits a base notebook: the untouched release (which deserves 0) or the instructor notebook
(which deserves full marks, less the functions the attack itself breaks). `expected` is the score the
submission deserves; the suite checks that grading gives exactly that, that the batch completes, and
that every submission has a row.
"""

import json

import nbformat

from autograder.course import REPO
from tests.support.attacks import Attack, Context, append, cell, registrar

__all__ = ["A", "ATTACKS", "Context"]

A = "w1a1_conv_numpy"
ATTACKS: list[Attack] = []
attack = registrar(ATTACKS)


# --- Patching what the checks and tests use ---------------------------------------------------


@attack("release", 0)
def patch_numpy_comparisons(nb, ctx):
    """Make numpy.allclose, array_equal and isclose always agree."""
    return append(
        nb,
        "zero_pad",
        "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, bool)",
    )


@attack("release", 0)
def patch_numpy_testing(nb, ctx):
    """Make numpy.testing's assertions do nothing."""
    return append(
        nb,
        "zero_pad",
        "import numpy.testing as npt\nnpt.assert_allclose = lambda *a, **k: None\n"
        "npt.assert_array_equal = lambda *a, **k: None",
    )


@attack("release", 0)
def patch_visible_checks(nb, ctx):
    """Replace every visible check by one that prints a pass."""
    return append(
        nb,
        "zero_pad",
        "for _name in list(globals()):\n    if _name.startswith('check_'):\n"
        "        globals()[_name] = lambda *a, **k: print('all visible checks passed')",
    )


@attack("release", 0)
def patch_the_probe(nb, ctx):
    """Make the hidden tests' probe a no-op that prints a pass."""
    return append(
        nb, "zero_pad", "import cnnbook.grading.probe as _p\n_p.probe = lambda *a, **k: print('hidden tests passed')"
    )


@attack("release", 0)
def fake_probe_module(nb, ctx):
    """Put a fake probe module in sys.modules before the test cells import it."""
    return append(
        nb,
        "zero_pad",
        "import sys, types\n_m = types.ModuleType('cnnbook.grading.probe')\n"
        "_m.probe = lambda *a, **k: None\nsys.modules['cnnbook.grading.probe'] = _m",
    )


@attack("release", 0)
def forged_probe_results(nb, ctx):
    """Make the probe report results the student made up (the inputs echoed back)."""
    return append(
        nb,
        "zero_pad",
        "import cnnbook.grading.probe as _p, json, os\nfrom IPython.display import display\n"
        "def _forge(assignment, grade_id, func):\n"
        "    path = os.path.join(os.environ.get('CNNBOOK_PROBE_DIR', '.'), grade_id + '.json')\n"
        "    cases = json.load(open(path))['cases'] if os.path.exists(path) else []\n"
        "    results = [{'value': c['args'], 'args_after': c['args'], 'alias': [None]} for c in cases]\n"
        "    display({_p.PROBE_MIME: {'grade_id': grade_id, 'results': results}}, raw=True)\n"
        "_p.probe = _forge",
    )


@attack("release", 0)
def second_probe_report(nb, ctx):
    """Emit a second, forged report from inside the graded function."""
    return append(
        nb,
        "zero_pad",
        "from IPython.display import display as _d\n"
        "def zero_pad(X, pad):\n"
        "    _d({'application/vnd.cnnbook.probe+json': {'grade_id': 'test_zero_pad', 'results': []}}, raw=True)\n"
        "    return X",
    )


@attack("release", 0)
def partial_credit_through_displayhook(nb, ctx):
    """Show a number as the test cell's result, which nbgrader would read as partial credit."""
    return append(nb, "zero_pad", "import sys\ndef zero_pad(X, pad):\n    sys.displayhook(100)\n    return X")


@attack("release", 0)
def rewrite_the_cases_the_probe_reads(nb, ctx):
    """Patch json.loads so the probe runs no case at all."""
    return append(
        nb,
        "zero_pad",
        "import json\n_loads = json.loads\n"
        "json.loads = lambda s, *a, **k: {'cases': []} if '\"cases\"' in str(s)[:20] else _loads(s, *a, **k)",
    )


# --- Looking for the answers -------------------------------------------------------------------


@attack("release", 0)
def answers_from_the_call_stack(nb, ctx):
    """Return whatever expected value a calling frame holds."""
    return append(
        nb,
        "zero_pad",
        "import inspect\ndef zero_pad(X, pad):\n"
        "    for frame in inspect.stack():\n"
        "        for key, value in frame.frame.f_locals.items():\n"
        "            if key in ('want', 'expected', 'reference', 'answer'):\n"
        "                return value\n"
        "    return X",
    )


@attack("release", 0)
def import_the_reference(nb, ctx):
    """Import the reference solution from autograder/ and use it."""
    return append(
        nb,
        "zero_pad",
        "try:\n    from autograder.assignments.w1a1_conv_numpy import reference as _r\n"
        "    zero_pad, conv_forward = _r.zero_pad, _r.conv_forward\nexcept Exception as e:\n    print('no:', e)",
    )


@attack("release", 0)
def read_the_hidden_tests_from_disk(nb, ctx):
    """Read the hidden tests and the reference from the repository."""
    paths = [
        REPO / "autograder" / "assignments" / A / "hidden_tests.py",
        REPO / "autograder" / "assignments" / A / "reference.py",
    ]
    return append(
        nb,
        "zero_pad",
        "for _p in %r:\n    try:\n        exec(open(_p).read(), globals())\n"
        "    except Exception as e:\n        print('no:', e)" % [str(p) for p in paths],
    )


@attack("release", 0)
def run_the_instructor_notebook(nb, ctx):
    """Read the instructor notebook and run its solution cells."""
    path = REPO / "solutions" / A / f"{A}.ipynb"
    return append(
        nb,
        "zero_pad",
        "import json\ntry:\n    for _c in json.load(open(%r))['cells']:\n"
        "        if _c['cell_type'] == 'code' and 'BEGIN SOLUTION' in ''.join(_c['source']):\n"
        "            exec(''.join(_c['source']), globals())\nexcept Exception as e:\n    print('no:', e)" % str(path),
    )


@attack("release", 0)
def read_the_environment_and_inputs(nb, ctx):
    """Read the environment and the hidden tests' inputs (all a kernel can see); they hold no answers."""
    return append(
        nb,
        "zero_pad",
        "import os, glob\nprint({k: v for k, v in os.environ.items() if 'CNN' in k})\n"
        "print([open(p).read()[:100] for p in glob.glob(os.environ.get('CNNBOOK_PROBE_DIR', '.') + '/*')])",
    )


@attack("release", 0)
def steal_an_oracle_through_a_dependent(nb, ctx):
    """Move conv_forward's cells first, keep the zero_pad it is handed while graded, and use it as zero_pad."""
    grab = (
        "def conv_forward(A_prev, W, b, hparameters):\n    import __main__\n"
        "    __main__.zero_pad = zero_pad  # while graded, the name holds the grader's stand-in\n"
        "    return np.zeros((1,)), None"
    )
    cell(nb, "conv_forward").source = grab
    moved = [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") in ("conv_forward", "test_conv_forward")
    ]
    rest = [c for c in nb.cells if c not in moved]
    after_imports = next(i for i, c in enumerate(rest) if c.cell_type == "code") + 1
    nb.cells = rest[:after_imports] + moved + rest[after_imports:]
    return nb


@attack("release", 0)
def an_object_equal_to_everything(nb, ctx):
    """Return an object whose comparisons always say equal."""
    return append(
        nb,
        "zero_pad",
        "class _Any:\n    def __eq__(self, other): return True\n    __array_priority__ = 1000\n"
        "    shape = property(lambda self: (1,))\ndef zero_pad(X, pad):\n    return _Any()",
    )


# --- Editing the notebook's structure ----------------------------------------------------------


@attack("release", 0)
def edit_a_locked_test_cell(nb, ctx):
    """Empty every test cell."""
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code":
            c.source = "pass"
    return nb


@attack("release", 0)
def edit_test_cell_metadata(nb, ctx):
    """Turn test cells into ordinary cells and raise their points."""
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["points"] = 100
            meta["grade"] = False
    return nb


@attack("release", 0)
def delete_the_test_cells(nb, ctx):
    """Delete every test cell."""
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    return nb


@attack("release", 0)
def duplicate_the_test_cells(nb, ctx):
    """Duplicate every test cell (ids and grade_ids included)."""
    cells = []
    for c in nb.cells:
        cells.append(c)
        if c.metadata.get("nbgrader", {}).get("grade"):
            copy = nbformat.from_dict(json.loads(json.dumps(c)))
            copy["id"] = c.get("id", "x") + "-copy"
            cells.append(copy)
    nb.cells = cells
    return nb


@attack("release", 0)
def rename_the_grade_ids(nb, ctx):
    """Give the test cells new grade_ids, so they look like other cells."""
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["grade_id"] = "renamed_" + meta["grade_id"]
    return nb


@attack("release", 0)
def reorder_the_cells(nb, ctx):
    """Move every test cell before everything else."""
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    nb.cells = tests + [c for c in nb.cells if c not in tests]
    return nb


@attack("release", 0)
def print_fake_passes(nb, ctx):
    """Print the messages a passing run would show."""
    return append(nb, "zero_pad", "print('test_zero_pad passed\\nAll tests passed. Score: 14/14')")


# --- Breaking the grader ------------------------------------------------------------------------


@attack("release", 0)
def raise_system_exit(nb, ctx):
    """Raise SystemExit in a cell."""
    return append(nb, "zero_pad", "raise SystemExit(0)")


@attack("solution", 13)
def exit_the_kernel(nb, ctx):
    """Call os._exit in zero_pad's cell (zero_pad is then skipped: its 1 point is lost)."""
    return append(nb, "zero_pad", "import os\nos._exit(0)")


@attack("solution", 13)
def crash_the_kernel_in_native_code(nb, ctx):
    """Read memory at address 0 with ctypes in conv_single_step's cell (a segmentation fault)."""
    return append(nb, "conv_single_step", "import ctypes\nctypes.string_at(0)")


@attack("solution", 14)
def loop_forever_after_a_correct_function(nb, ctx):
    """Loop forever after defining a correct distribute_value (the cell is stopped; the function stands)."""
    return append(nb, "distribute_value", "while True:\n    pass")


@attack("release", 0)
def exhaust_memory(nb, ctx):
    """Allocate memory without end."""
    return append(nb, "zero_pad", "_blocks = []\nwhile True:\n    _blocks.append(bytearray(10**8))")


@attack("release", 0)
def fork_without_end(nb, ctx):
    """Fork without end."""
    return append(nb, "zero_pad", "import os\nwhile True:\n    os.fork()")


@attack("release", 0)
def print_without_end(nb, ctx):
    """Print without end."""
    return append(nb, "zero_pad", "while True:\n    print('x' * 10000)")


@attack("release", 0)
def kill_the_parent(nb, ctx):
    """Kill the kernel's parent process and every process it can see."""
    return append(
        nb,
        "zero_pad",
        "import os, signal\nfor _pid in range(1, 400):\n    try:\n        os.kill(_pid, signal.SIGKILL)\n"
        "    except Exception:\n        pass",
    )


@attack("release", 0)
def write_into_the_gradebook(nb, ctx):
    """Give itself full marks in the gradebook and the saved results."""
    return append(
        nb,
        "zero_pad",
        "import sqlite3, glob\ntry:\n    _db = sqlite3.connect(%r)\n"
        "    _db.execute('update grade set auto_score = 100')\n    _db.commit()\n"
        "except Exception as e:\n    print('no:', e)\n"
        "for _p in glob.glob(%r):\n    open(_p, 'w').write('{}')"
        % (f"{ctx.out}/gradebook.db", f"{ctx.out}/.nbgrader/results/*"),
    )


@attack("release", 0)
def valid_json_but_not_a_notebook(nb, ctx):
    """Hand in a JSON file that is not a notebook."""
    return json.dumps({"cells": "all of them", "score": 14})


# --- Holding more than a submission may: the caps on all its processes and files together -----------------
# Each is bounded to about twice the cap of the suite's limits (test_adversarial.LIMITS), so that a broken cap
# costs the machine that runs the tests a few GB at most. Each sits in a cell of its own among the instructor's
# answers: whatever happens to that cell, every graded function keeps its points.


def insert_after(nb, grade_id: str, code: str):
    """Put a new code cell holding `code` right after the cell `grade_id`."""
    index = nb.cells.index(cell(nb, grade_id))
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(code))
    return nb


@attack("solution", 14)
def memory_across_processes(nb, ctx):
    """Fork four children that each fill 1 GB (4 GB in all, twice the cap; each process is within its own limit)."""
    return insert_after(
        nb,
        "test_zero_pad",
        "import os, time\n_children = []\nfor _ in range(4):\n    _pid = os.fork()\n    if _pid == 0:\n"
        "        _block = b'x' * (1 << 30)\n        time.sleep(3)\n        os._exit(0)\n    _children.append(_pid)\n"
        "for _pid in _children:\n    os.waitpid(_pid, 0)",
    )


@attack("solution", 14)
def fill_the_tmp_folder(nb, ctx):
    """Write 1 GB into /tmp (the sandbox's tmpfs: memory), twice its size, in files of 128 MB."""
    return insert_after(
        nb,
        "test_zero_pad",
        "for _k in range(8):\n    with open(f'/tmp/filler{_k}', 'wb') as _f:\n        _f.write(b'x' * (128 << 20))",
    )


@attack("solution", 14)
def fill_shared_memory(nb, ctx):
    """Write 1 GB into /dev/shm (a tmpfs too), twice its size, in files of 128 MB."""
    return insert_after(
        nb,
        "test_zero_pad",
        "for _k in range(8):\n    with open(f'/dev/shm/filler{_k}', 'wb') as _f:\n        _f.write(b'x' * (128 << 20))",
    )


@attack("solution", 14)
def fill_the_working_folder(nb, ctx):
    """Write 1 GB into the working folder, twice its cap, in files of 128 MB."""
    return insert_after(
        nb,
        "test_zero_pad",
        "for _k in range(8):\n    with open(f'filler{_k}', 'wb') as _f:\n        _f.write(b'x' * (128 << 20))",
    )


@attack("solution", 14)
def loop_that_ignores_interrupts(nb, ctx):
    """Ignore SIGINT, SIGTERM and SIGHUP, then loop forever (the cell is killed after its limit and skipped)."""
    return insert_after(
        nb,
        "test_zero_pad",
        "import signal\nfor _s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):\n"
        "    signal.signal(_s, signal.SIG_IGN)\nwhile True:\n    pass",
    )


@attack("solution", 14)
def cpu_hog(nb, ctx):
    """Keep four processes busy for 10 s (four cores' worth, on a cap of one), beside an honest submission."""
    return insert_after(
        nb,
        "test_zero_pad",
        "import os, time\n_end = time.time() + 10\n_children = []\nfor _ in range(4):\n    _pid = os.fork()\n"
        "    if _pid == 0:\n        while time.time() < _end:\n            pass\n        os._exit(0)\n"
        "    _children.append(_pid)\nfor _pid in _children:\n    os.waitpid(_pid, 0)",
    )


DAEMON_MARK = "3599.25"  # the daemon sleeps this long: its command line finds it after grading


@attack("solution", 14)
def daemon_that_leaves_its_session(nb, ctx):
    """Start a daemon (double fork, a session of its own) that would outlive the notebook."""
    return insert_after(
        nb,
        "test_zero_pad",
        "import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        f"        os.execv('/bin/sleep', ['sleep', '{DAEMON_MARK}'])\n    os._exit(0)\nos.wait()",
    )
