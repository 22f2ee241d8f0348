"""The hidden part of a test cell: run a graded function on the grader's inputs and hand the results out.

In a grading run the grader writes each test's cases (inputs, and answers for the calls a correct
implementation makes to other graded functions) into the folder named by CNNBOOK_PROBE_DIR. The probe
calls the student's function on them (cnnbook.grading.runner) and shows the results as one output of
the wire's MIME type; the grader's own process compares them with the reference and writes the verdict
into the cell. Nothing here knows the expected results, so nothing here can be patched to pass.

Outside a grading run (an instructor running the solution notebook) there are no cases: the probe says
so and returns. The grader judges the instructor notebook like any other (`make grade`), and the test
suite runs every hidden test in its own process (autograder.judging.verdicts.judge_here).

Used by: solutions/w1_quiz/w1_quiz.ipynb, solutions/w1a1_conv_numpy/w1a1_conv_numpy.ipynb,
solutions/w1a2_keras_apis/w1a2_keras_apis.ipynb, solutions/w2_quiz/w2_quiz.ipynb,
solutions/w2a1_resnets/w2a1_resnets.ipynb, solutions/w2a2_transfer_learning/w2a2_transfer_learning.ipynb,
solutions/w3_quiz/w3_quiz.ipynb, solutions/w3a1_yolo/w3a1_yolo.ipynb, solutions/w3a2_unet/w3a2_unet.ipynb,
solutions/w4_quiz/w4_quiz.ipynb, solutions/w4a1_face_recognition/w4a1_face_recognition.ipynb,
solutions/w4a2_style_transfer/w4a2_style_transfer.ipynb
"""

import json
import os
from pathlib import Path

from cnnbook.grading.runner import run_cases
from cnnbook.grading.wire import PROBE_DIR_ENV, PROBE_MIME

__all__ = ["probe"]


def probe(assignment: str, grade_id: str, func) -> None:
    """Run the hidden test `grade_id` of `assignment` on `func` and hand the results to the grader (when grading)."""
    folder = os.environ.get(PROBE_DIR_ENV)
    if not folder:  # not a grading run: the hidden tests are the grader's, and only the grader runs them
        print(f"[{grade_id}: the hidden tests run when this notebook is graded (make grade)]")
        return
    if not callable(func):
        raise TypeError(f"{grade_id}: expected a function, got {type(func).__name__}")
    cases = json.loads((Path(folder) / f"{grade_id}.json").read_text())["cases"]
    payload = {"grade_id": grade_id, "results": run_cases(func, cases)}
    from IPython.display import display

    display({PROBE_MIME: payload, "text/plain": f"[{grade_id}: results handed to the grader]"}, raw=True)
