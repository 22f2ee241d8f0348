"""The grade command: a folder of submissions in, a gradebook, grades.csv, feedback and a class report out.

coordinator runs the batch; worker grades one submission in a sandboxed kernel; `python -m autograder.grade`
(__main__) is the command line.
"""

from autograder.grade.coordinator import grade
from autograder.grade.records import Row

__all__ = ["grade", "Row"]
