"""The face-embedding network of the face-recognition assignment: a 96x96 face in, a 128-number encoding out.

A small convolutional network (about 1.2 million parameters) in the spirit of FaceNet: convolutions and
max-pooling shrink the face to a 6x6 grid of 256 features, global average pooling and a dense layer make
128 numbers, and the last layer scales them to unit L2 norm, so the distance between two encodings lies
between 0 and 2. training/train_face_embedding.py trains it with the triplet loss on the course's 200
training identities and picks the distance threshold on 30 other people; the threshold and the measured
accuracies are kept in WEIGHTS_DIR/face_embedding.metrics.json next to the weights.

The network takes RGB pixel values from 0 to 255 (uint8 photos as they are, cast to float); it rescales
them itself.

Used by: book/data_and_models.md, book/week4/01_face_verification.md, book/week4/02_siamese_networks.md,
book/week4/03_triplet_loss.md, book/week4/04_choosing_a_threshold.md,
book/week4/05_verification_as_classification.md, solutions/w4a1_face_recognition/w4a1_face_recognition.ipynb, and 1
module of cnnbook, the grader
"""

import json

import keras
import numpy as np

from .weight_files import weight_path

__all__ = [
    "build_face_embedding",
    "load_face_embedding",
    "face_distance_threshold",
    "face_embedding_metrics",
    "encode_faces",
    "FACE_SHAPE",
    "ENCODING_SIZE",
    "WEIGHTS_FILE",
    "METRICS_FILE",
]

FACE_SHAPE = (96, 96, 3)
ENCODING_SIZE = 128
WEIGHTS_FILE = "face_embedding.weights.h5"
METRICS_FILE = "face_embedding.metrics.json"
# (filters, convolutions) of each stage; a stride-2 first convolution and a max-pool after each stage
_STAGES = ((32, 1), (64, 2), (128, 2), (256, 2))


def _conv_bn_relu(X, n_C, f, stride, name):
    """Return ReLU(BatchNorm(Conv2D(X))) with 'same' padding; X (m, n_H, n_W, n_C_prev)."""
    X = keras.layers.Conv2D(n_C, f, strides=stride, padding="same", use_bias=False, name=f"{name}_conv")(X)
    X = keras.layers.BatchNormalization(name=f"{name}_bn")(X)
    return keras.layers.ReLU(name=f"{name}_relu")(X)


def build_face_embedding(input_shape=FACE_SHAPE, encoding_size=ENCODING_SIZE) -> keras.Model:
    """Build the (untrained) face-embedding network.

    Arguments:
    input_shape -- shape of one face, (96, 96, 3) RGB with values 0..255
    encoding_size -- length of the encoding, 128
    Returns:
    model -- Keras model mapping faces (m, 96, 96, 3) to encodings (m, 128) of unit L2 norm
    """
    faces = keras.Input(input_shape, name="face")
    X = keras.layers.Rescaling(1 / 255, name="to_unit_range")(faces)  # (m, 96, 96, 3) in 0..1
    X = _conv_bn_relu(X, 32, 5, 2, "stem")  # (m, 48, 48, 32)
    for k, (n_C, n_convs) in enumerate(_STAGES, start=1):
        for j in range(1, n_convs + 1):
            X = _conv_bn_relu(X, n_C, 3, 1, f"stage{k}_{j}")
        if k < len(_STAGES):
            X = keras.layers.MaxPooling2D(2, name=f"stage{k}_pool")(X)  # halves n_H, n_W: 24, 12, 6
    X = keras.layers.GlobalAveragePooling2D(name="average")(X)  # (m, 256)
    X = keras.layers.Dense(encoding_size, name="encoding_dense")(X)  # (m, 128)
    encodings = keras.layers.UnitNormalization(axis=-1, name="l2_normalise")(X)  # (m, 128), norm 1
    return keras.Model(faces, encodings, name="face_embedding")


def load_face_embedding() -> keras.Model:
    """Return the face-embedding network with the course's trained weights (checked against their SHA-256).

    Returns:
    model -- Keras model mapping faces (m, 96, 96, 3), RGB 0..255, to encodings (m, 128) of unit L2 norm;
             frozen (trainable = False)
    """
    model = build_face_embedding()
    model.load_weights(weight_path(WEIGHTS_FILE))
    model.trainable = False
    return model


def face_embedding_metrics() -> dict:
    """Return what training measured: threshold, validation and test accuracy, ROC points (see the training script)."""
    return json.loads(weight_path(METRICS_FILE).read_text())


def face_distance_threshold() -> float:
    """Return the L2 distance below which two encodings are taken to be the same person (chosen on validation)."""
    return float(face_embedding_metrics()["threshold"])


def encode_faces(model, images, batch_size=64) -> np.ndarray:
    """Return the encodings of a batch of faces.

    Arguments:
    model -- the face-embedding network
    images -- (m, 96, 96, 3) RGB, uint8 or float 0..255
    batch_size -- faces per forward pass
    Returns:
    encodings -- (m, 128) float32, unit L2 norm
    """
    return np.asarray(model.predict(np.asarray(images, np.float32), batch_size=batch_size, verbose=0))
