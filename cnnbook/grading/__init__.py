"""What runs in a notebook's kernel for grading: grading mode, the wire format, and the probe of hidden tests."""

from cnnbook.grading.mode import demo_steps, is_grading

__all__ = ["demo_steps", "is_grading"]
