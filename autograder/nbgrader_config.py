"""nbgrader configuration of the course (the static part; paths for a grading run are given per run).

Used by the course's own tools and usable with stock nbgrader: `nbgrader <command> --config
autograder/nbgrader_config.py`.
"""

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "cnn-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"

# Student notebooks raise until the exercise is done, so an untouched release scores 0.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# nbgrader fails a test cell that writes anything to stderr; TensorFlow and Python warnings must not
# cost points, so all stderr output is dropped before grades are read (errors still count).
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = "^"

# Time limits per cell; the limit per notebook is enforced by the course's grader around nbgrader.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# Keep graded notebooks and feedback small when a submission prints without end.
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100

# Feedback handed back to students never shows hidden test source (nbgrader's default would).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

from autograder.feedback_pages import RedactHiddenTests  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, RedactHiddenTests, CSSHTMLHeaderPreprocessor]
