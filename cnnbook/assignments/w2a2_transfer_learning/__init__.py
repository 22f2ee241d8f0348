"""w2a2_transfer_learning, Transfer learning with MobileNetV2: the kernel side, its visible checks (checks.py); the
adapter the probe calls its TensorFlow functions through while grading (adapter.py); the code its notebook gives
students (base_swap.py).


is
autograder/assignments/w2a2_transfer_learning/; the tests are in tests/assignments/w2a2_transfer_learning/.
"""
