"""What runs in a notebook's kernel for grading: grading mode, the wire format, and the probe of hidden tests.

Used by: solutions/w3a1_yolo/w3a1_yolo.ipynb, and 2 modules of cnnbook
"""

from cnnbook.grading.mode import demo_steps, is_grading

__all__ = ["demo_steps", "is_grading"]
