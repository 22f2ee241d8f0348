"""w1a1_conv_numpy, Convolution and pooling, step by step (NumPy): the kernel side, its visible checks (checks.py); the
code its notebook gives students (gradcheck.py).


autograder/assignments/w1a1_conv_numpy/; the tests are in tests/assignments/w1a1_conv_numpy/.
"""
