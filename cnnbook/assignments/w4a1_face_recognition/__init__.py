"""w4a1_face_recognition, Face verification and recognition: the kernel side, its visible checks (checks.py); the
adapter the probe calls its TensorFlow functions through while grading (adapter.py).


autograder/assignments/w4a1_face_recognition/; the tests are in tests/assignments/w4a1_face_recognition/.
"""
