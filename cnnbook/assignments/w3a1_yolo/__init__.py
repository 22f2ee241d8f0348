"""w3a1_yolo, Car detection with YOLO: the kernel side, its visible checks (checks.py); the code its notebook gives
students (yolo_decoding.py).


autograder/assignments/w3a1_yolo/; the tests are in tests/assignments/w3a1_yolo/.
"""
