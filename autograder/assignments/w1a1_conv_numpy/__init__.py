"""Hidden tests and reference implementations for w1a1_conv_numpy (convolution and pooling in NumPy)."""
