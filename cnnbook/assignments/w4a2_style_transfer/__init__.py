"""w4a2_style_transfer, Art generation with neural style transfer: the kernel side, its visible checks (checks.py); the
adapter the probe calls its TensorFlow functions through while grading (adapter.py).


autograder/assignments/w4a2_style_transfer/; the tests are in tests/assignments/w4a2_style_transfer/.
"""
