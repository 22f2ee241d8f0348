"""A small YOLO-v2-style detector of cars, buses, people and traffic lights in the course's street scenes.

The network reads a 128 x 128 RGB street scene (uint8 values 0..255; it rescales them itself) and
returns, for every cell of a 16 x 16 grid (one cell is 8 x 8 pixels) and every one of A = 5 anchor
boxes, 5 + C = 9 numbers:

    output shape (m, S, S, A, 5 + C) = (m, 16, 16, 5, 9), channels-last, row (y) before column (x)

The last layer is linear: every one of the 9 numbers is a raw score, and NO activation is applied in
the network. The decoding step (the assignment's provided `yolo_head`) applies them. For the cell in
row r, column c and anchor a (anchor size (p_w, p_h) in grid cells, from `read_anchors()`):

    index 0, 1   t_x, t_y  -> box centre  b_x = (c + sigmoid(t_x)) / S,  b_y = (r + sigmoid(t_y)) / S
    index 2, 3   t_w, t_h  -> box size    b_w = p_w * exp(t_w) / S,      b_h = p_h * exp(t_h) / S
    index 4      t_o       -> box confidence (objectness) = sigmoid(t_o)
    index 5..8   class scores -> class probabilities = softmax over the last axis of indices 5..8

b_x, b_y, b_w, b_h are fractions of the image width (x) and height (y), 0..1; the corners are
(y1, x1, y2, x2) = (b_y - b_h / 2, b_x - b_w / 2, b_y + b_h / 2, b_x + b_w / 2), times 128 for pixels.
The score of a class is box confidence times class probability. The classes, in order, are in
`yolo_classes.txt` (car, bus, person, traffic_light); the anchors are in `yolo_anchors.txt`, one line
of comma-separated pairs "p_w, p_h" in grid cells (chosen by k-means on the training boxes).

Architecture (Darknet-like, batch normalisation and leaky ReLU after every 3 x 3 and 1 x 1 convolution
but the last): 128 -> 64 -> 32 -> 16 by three 2 x 2 max-pools, then a deeper branch at 8 x 8 for the
large boxes (buses, near cars) that is upsampled and concatenated with the 16 x 16 features, as in
YOLO v2's pass-through layer, then a 1 x 1 convolution to A * (5 + C) channels, reshaped to (S, S, A, 5 + C).
Trained by training/train_yolo.py (`make models`).

Used by: book/data_and_models.md, book/week3/04_nms_and_anchors.md, book/week3/05_yolo.md,
solutions/w3a1_yolo/w3a1_yolo.ipynb
"""

import numpy as np

from . import weight_files

__all__ = [
    "IMAGE_SIZE",
    "GRID_SIZE",
    "N_ANCHORS",
    "WEIGHTS_FILE",
    "ANCHORS_FILE",
    "CLASSES_FILE",
    "build_yolo_detector",
    "load_yolo_detector",
    "read_anchors",
    "read_class_names",
]

IMAGE_SIZE = 128
GRID_SIZE = 16
N_ANCHORS = 5
WEIGHTS_FILE = "yolo_detector.weights.h5"
ANCHORS_FILE = "yolo_anchors.txt"
CLASSES_FILE = "yolo_classes.txt"


def _conv_unit(keras, X, n_C, f, name):
    """Return X after an f x f 'same' convolution with n_C filters, batch normalisation and leaky ReLU."""
    X = keras.layers.Conv2D(n_C, f, padding="same", use_bias=False, name=f"{name}_conv")(X)
    X = keras.layers.BatchNormalization(momentum=0.95, name=f"{name}_bn")(X)
    return keras.layers.LeakyReLU(negative_slope=0.1, name=f"{name}_leaky")(X)


def build_yolo_detector(n_anchors: int = N_ANCHORS, n_classes: int = 4, image_size: int = IMAGE_SIZE):
    """Build the (untrained) detector: images (m, 128, 128, 3) uint8 -> raw scores (m, 16, 16, A, 5 + C).

    Arguments:
    n_anchors -- A, number of anchor boxes per grid cell
    n_classes -- C, number of classes
    image_size -- side of the square input image, pixels (a multiple of 8; the grid is image_size / 8)
    Returns:
    model -- keras.Model, output (m, image_size / 8, image_size / 8, A, 5 + C), linear (see the module docstring)
    """
    import keras

    S = image_size // 8
    inputs = keras.Input((image_size, image_size, 3), name="image")
    X = keras.layers.Rescaling(1 / 255.0, name="rescale")(inputs)
    X = _conv_unit(keras, X, 16, 3, "block1")
    X = keras.layers.MaxPooling2D(2, name="pool1")(X)  # (m, 64, 64, 16)
    X = _conv_unit(keras, X, 32, 3, "block2")
    X = keras.layers.MaxPooling2D(2, name="pool2")(X)  # (m, 32, 32, 32)
    X = _conv_unit(keras, X, 64, 3, "block3a")
    X = _conv_unit(keras, X, 32, 1, "block3b")
    X = _conv_unit(keras, X, 64, 3, "block3c")
    X = keras.layers.MaxPooling2D(2, name="pool3")(X)  # (m, 16, 16, 64)
    X = _conv_unit(keras, X, 128, 3, "block4a")
    X = _conv_unit(keras, X, 64, 1, "block4b")
    fine = _conv_unit(keras, X, 128, 3, "block4c")  # (m, 16, 16, 128)
    X = keras.layers.MaxPooling2D(2, name="pool4")(fine)  # (m, 8, 8, 128)
    X = _conv_unit(keras, X, 192, 3, "block5a")
    X = _conv_unit(keras, X, 96, 1, "block5b")
    X = _conv_unit(keras, X, 192, 3, "block5c")
    X = keras.layers.UpSampling2D(2, name="upsample")(X)  # (m, 16, 16, 192)
    X = keras.layers.Concatenate(name="passthrough")([fine, X])  # (m, 16, 16, 320)
    X = _conv_unit(keras, X, 128, 1, "head_a")
    X = _conv_unit(keras, X, 160, 3, "head_b")
    X = keras.layers.Conv2D(n_anchors * (5 + n_classes), 1, name="head_out")(X)  # (m, S, S, A (5 + C)), linear
    outputs = keras.layers.Reshape((S, S, n_anchors, 5 + n_classes), name="yolo_output")(X)
    return keras.Model(inputs, outputs, name="yolo_detector")


def read_anchors(path=None) -> np.ndarray:
    """Return the anchor boxes, (A, 2) float32 (width, height) in grid cells, from yolo_anchors.txt (or `path`)."""
    path = weight_files.WEIGHTS_DIR / ANCHORS_FILE if path is None else path
    values = [float(v) for v in open(path).read().replace("\n", ",").split(",") if v.strip()]
    return np.asarray(values, np.float32).reshape(-1, 2)


def read_class_names(path=None) -> list[str]:
    """Return the class names, in the order of the output's class scores, from yolo_classes.txt (or `path`)."""
    path = weight_files.WEIGHTS_DIR / CLASSES_FILE if path is None else path
    return [line.strip() for line in open(path) if line.strip()]


def load_yolo_detector():
    """Return the trained detector (see the module docstring for its output), with its checked, shipped weights.

    Returns:
    model -- keras.Model, uint8 images (m, 128, 128, 3) -> raw scores (m, 16, 16, 5, 9)
    """
    anchors = read_anchors(weight_files.weight_path(ANCHORS_FILE))
    classes = read_class_names(weight_files.weight_path(CLASSES_FILE))
    model = build_yolo_detector(n_anchors=len(anchors), n_classes=len(classes))
    model.load_weights(weight_files.weight_path(WEIGHTS_FILE))
    return model
