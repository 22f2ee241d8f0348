"""w2a1_resnets, Residual networks: the kernel side, its visible checks (checks.py); the adapter the probe calls its
TensorFlow functions through while grading (adapter.py).


autograder/assignments/w2a1_resnets/; the tests are in tests/assignments/w2a1_resnets/.
"""
