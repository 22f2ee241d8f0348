"""Visible checks that students run after each exercise: friendly messages, never the expected numbers.

``feedback`` holds the shared machinery (how a check fails, small comparisons); each assignment has
its own module of ``check_<function>(func)`` functions, e.g. ``cnnbook.checks.conv_numpy``.
"""
from cnnbook.checks.feedback import CheckFailure

__all__ = ["CheckFailure"]
