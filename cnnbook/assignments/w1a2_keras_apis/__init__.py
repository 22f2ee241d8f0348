"""w1a2_keras_apis, Convolutional models with the Keras Sequential and Functional APIs: the kernel side, its visible
checks (checks.py).


autograder/assignments/w1a2_keras_apis/; the tests are in tests/assignments/w1a2_keras_apis/.
"""
