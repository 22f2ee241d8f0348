"""Whether a notebook is being run by the grader or by the test suite, so demos can shrink to a minimal number of
steps.

Used by: solutions/w1a2_keras_apis/w1a2_keras_apis.ipynb, solutions/w2a1_resnets/w2a1_resnets.ipynb,
solutions/w2a2_transfer_learning/w2a2_transfer_learning.ipynb, solutions/w3a2_unet/w3a2_unet.ipynb,
solutions/w4a1_face_recognition/w4a1_face_recognition.ipynb,
solutions/w4a2_style_transfer/w4a2_style_transfer.ipynb, and 1 module of cnnbook
"""

import os

QUICK_DEMOS_ENV = "CNNBOOK_QUICK_DEMOS"


def is_grading() -> bool:
    """Return True inside a grading run (the course's grader sets CNNBOOK_GRADING; nbgrader sets NBGRADER_EXECUTION)."""
    return os.environ.get("CNNBOOK_GRADING") == "1" or os.environ.get("NBGRADER_EXECUTION") == "autograde"


def quick_demos() -> bool:
    """Return True when demos should run their minimal number of steps: while grading, or when the tests ask.

    The test suite sets CNNBOOK_QUICK_DEMOS=1 when it executes the instructor notebooks (they must run without
    an error); how long the full demos take, and how well they train, is measured by `make bench`.
    """
    return is_grading() or os.environ.get(QUICK_DEMOS_ENV) == "1"


def demo_steps(steps: int, when_grading: int = 1) -> int:
    """Return `steps` normally and `when_grading` inside a grading run or a quick test run (epochs, batches,
    iterations)."""
    return when_grading if quick_demos() else steps
