"""w3a2_unet, Semantic segmentation with U-Net: the kernel side, its visible checks (checks.py); the adapter the probe
calls its TensorFlow functions through while grading (adapter.py).


autograder/assignments/w3a2_unet/; the tests are in tests/assignments/w3a2_unet/.
"""
