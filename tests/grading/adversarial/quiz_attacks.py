"""Submissions that try to gain points they did not earn on a weekly quiz (w1_quiz), whose answers are plain values.

The attacks that make sense for plain values: reading the key (the bank, the draw, the grader's code, the
instructor notebook, the book's pages), patching the probe or the answer readers, forging or doubling the
hidden tests' report, showing a number as a cell's result, printing a fake pass, and answers that pretend to
be something else (an object equal to everything, a float whose arithmetic always says zero). Most edit the
notebook "wrong": the instructor notebook with a well-formed wrong answer in every cell (it deserves 0), so the
visible checks pass and only the hidden part stands between the attack and the points.
"""

from autograder.course import REPO
from cnnbook.grading.wire import PROBE_MIME
from tests.support.attacks import Attack, append, cell, registrar
from tests.support.quiz_answers import answer_rounds, submission, wrong_answers

__all__ = ["Q", "ATTACKS", "base_notebook"]

Q = "w1_quiz"
ATTACKS: list[Attack] = []
attack = registrar(ATTACKS)
FIRST, LAST = "q01", "q12"


def base_notebook(base: str):
    """Return the suite's own base: "wrong", every question answered in the right form and wrongly."""
    assert base == "wrong", base
    return submission(Q, answer_rounds(Q, wrong_answers)[0])


# --- Looking for the key --------------------------------------------------------------------------------------------


@attack("wrong", 0)
def read_the_bank_and_draw_from_disk(nb, ctx):
    """Read bank.yaml and draw.yaml from the repository and answer every question from them."""
    folder = REPO / "autograder" / "assignments" / Q
    return append(
        nb,
        FIRST,
        "import yaml\ntry:\n"
        f"    _bank = yaml.safe_load(open({str(folder / 'bank.yaml')!r}))\n"
        f"    _drawn = yaml.safe_load(open({str(folder / 'draw.yaml')!r}))['questions']\n"
        "    for _n, _q in enumerate([q for q in _bank['questions'] if q['id'] in _drawn], start=1):\n"
        "        _right = [chr(65 + i) for i, c in enumerate(_q.get('choices', [])) if c['correct']]\n"
        "        _key = _q.get('answer', _right[0] if _q['kind'] == 'single' else set(_right))\n"
        "        globals()[f'answer_q{_n:02d}'] = _key\n"
        "except Exception as e:\n    print('no:', e)",
    )


@attack("wrong", 0)
def import_the_grader(nb, ctx):
    """Import the grader's quiz modules and take the key from them."""
    return append(
        nb,
        FIRST,
        "try:\n    from autograder.quizzes.draws import graded_by_grade_id\n"
        "    from autograder.quizzes.banks import correct_letters\n"
        f"    for _g, _q in graded_by_grade_id({Q!r}).items():\n"
        "        globals()['answer_' + _g] = _q.get('answer') or set(correct_letters(_q))\n"
        "except Exception as e:\n    print('no:', e)",
    )


@attack("wrong", 0)
def run_the_instructor_notebook(nb, ctx):
    """Read the instructor notebook and run its answer cells."""
    path = REPO / "solutions" / Q / f"{Q}.ipynb"
    return append(
        nb,
        FIRST,
        "import json\ntry:\n"
        f"    for _c in json.load(open({str(path)!r}))['cells']:\n"
        "        if 'BEGIN SOLUTION' in ''.join(_c['source']):\n"
        "            exec(''.join(_c['source']), globals())\n"
        "except Exception as e:\n    print('no:', e)",
    )


@attack("wrong", 0)
def read_the_books_quiz_pages(nb, ctx):
    """Look for the first question in the built book's quiz pages, which hold the self-check questions' keys."""
    prompt = cell(nb, f"{FIRST}_question").source.split("\n\n")[1]
    snippet = " ".join(prompt.split()[:5])
    return append(
        nb,
        FIRST,
        "import glob, json, re\n"
        f"for _p in glob.glob({str(REPO / '_build' / 'html' / 'book')!r} + '/week*/quiz.html'):\n"
        "    for _block in open(_p).read().split('class=\"quiz-question')[1:]:\n"
        f"        if {snippet!r} in _block:\n"
        "            _key = json.loads(re.search(r'class=\"quiz-data\">(.*?)</script>', _block)[1])\n"
        "            answer_q01 = _key['correct'][0] if 'correct' in _key else _key['answer']\n"
        "print('answer_q01 is', answer_q01)",
    )


# --- Patching what grades the answers -------------------------------------------------------------------------------


@attack("wrong", 0)
def patch_the_probe(nb, ctx):
    """Make the hidden tests' probe a no-op that prints a pass."""
    return append(
        nb, FIRST, "import cnnbook.grading.probe as _p\n_p.probe = lambda *a, **k: print('hidden tests passed')"
    )


@attack("wrong", 0)
def patch_the_answer_readers(nb, ctx):
    """Make the answer readers say every answer is right, in the kernel (the grader reads with its own)."""
    return append(
        nb,
        FIRST,
        "import cnnbook.quiz_checks as _qc\n"
        "_qc.read_choice = lambda a, l: ('A', None)\n_qc.read_choices = lambda a, l: (frozenset('A'), None)\n"
        "_qc.read_number = lambda a: (0.0, None)",
    )


@attack("wrong", 0)
def forged_probe_report(nb, ctx):
    """Replace the probe by one that reports a made-up result: a value that says it passed."""
    return append(
        nb,
        FIRST,
        "import cnnbook.grading.probe as _p\nfrom IPython.display import display\n"
        "def _forge(assignment, grade_id, func):\n"
        "    results = [{'value': {'__dict__': {'passed': True}}, 'args_after': {'__tuple__': []}, 'alias': [None]}]\n"
        f"    display({{{PROBE_MIME!r}: {{'grade_id': grade_id, 'results': results}}}}, raw=True)\n"
        "_p.probe = _forge",
    )


@attack("wrong", 0)
def empty_probe_report(nb, ctx):
    """Patch json.loads so the probe runs no case at all, and reports no result."""
    return append(
        nb,
        FIRST,
        "import json\n_loads = json.loads\n"
        "json.loads = lambda s, *a, **k: {'cases': []} if '\"cases\"' in str(s)[:20] else _loads(s, *a, **k)",
    )


@attack("solution", 12)
def second_report_from_the_check(nb, ctx):
    """Replace the visible check by one that also reports for the cell (two reports: the question is lost)."""
    return append(
        nb,
        FIRST,
        "from IPython.display import display as _d\n"
        "def check_choices(answer, letters, name=''):\n"
        "    if name == 'answer_q02':\n"
        f"        _d({{{PROBE_MIME!r}: {{'grade_id': 'test_q02', 'results': []}}}}, raw=True)",
    )


@attack("wrong", 0)
def partial_credit_through_displayhook(nb, ctx):
    """Make every visible check show a number as its cell's result, which nbgrader would read as partial credit."""
    return append(
        nb,
        FIRST,
        "import sys\ncheck_choice = check_choices = check_number = lambda *a, **k: sys.displayhook(100)",
    )


@attack("wrong", 0)
def print_fake_passes(nb, ctx):
    """Print the messages a right answer and a full score would show."""
    return append(nb, FIRST, "print('answer_q01: right. All 12 questions right. Score: 13/13')")


# --- Answers that pretend ---------------------------------------------------------------------------------------------


@attack("wrong", 0)
def an_object_equal_to_everything(nb, ctx):
    """Keep every wrong answer, as an object whose comparisons always say equal (a str, a set, a float)."""
    return append(
        nb,
        FIRST,
        "class _S(str):\n    __eq__ = lambda self, other: True\n    __hash__ = str.__hash__\n"
        "class _F(float):\n    __eq__ = lambda self, other: True\n    __sub__ = __rsub__ = lambda self, other: 0.0\n"
        "    __abs__ = lambda self: 0.0\n"
        "class _Set(frozenset):\n    __eq__ = lambda self, other: True\n    __hash__ = frozenset.__hash__\n"
        "for _name in [n for n in list(globals()) if n.startswith('answer_q')]:\n"
        "    _v = globals()[_name]\n"
        "    globals()[_name] = _S(_v) if isinstance(_v, str) else _Set(_v) if isinstance(_v, set) else _F(_v)",
    )


@attack("wrong", 0)
def answers_set_after_their_test(nb, ctx):
    """Reorder the cells so every test cell runs before the answer cells."""
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    nb.cells = tests + [c for c in nb.cells if c not in tests]
    return nb


@attack("wrong", 0)
def delete_the_test_cells(nb, ctx):
    """Delete every test cell."""
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    return nb


@attack("release", 0)
def write_into_the_gradebook(nb, ctx):
    """Give itself full marks in the gradebook and the saved results."""
    cell(nb, FIRST).source = (
        "import sqlite3, glob\ntry:\n"
        f"    _db = sqlite3.connect({ctx.out + '/gradebook.db'!r})\n"
        "    _db.execute('update grade set auto_score = 100')\n    _db.commit()\n"
        "except Exception as e:\n    print('no:', e)\n"
        f"for _p in glob.glob({ctx.out + '/.nbgrader/results/*'!r}):\n    open(_p, 'w').write('{{}}')"
    )
    return nb
