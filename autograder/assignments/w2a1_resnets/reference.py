"""Reference implementations of the w2a1_resnets graded functions, for the hidden tests only.

Written with the Functional API like the exercise asks, but spelled differently from the instructor
notebook's solutions (layer helpers, a table of stages), so the two check each other. Shapes are
channels-last: X (m, n_H, n_W, n_C).
"""

import keras
from keras import layers
from keras.initializers import glorot_uniform, random_uniform

__all__ = ["identity_block", "convolutional_block", "ResNet50", "STAGES"]

# (filters, stride of the stage's convolutional block, number of identity blocks after it)
STAGES = (((64, 64, 256), 1, 2), ((128, 128, 512), 2, 3), ((256, 256, 1024), 2, 5), ((512, 512, 2048), 2, 2))


def conv_bn(X, filters, kernel_size, strides, padding, initializer):
    """A Conv2D (seeded initializer) followed by BatchNormalization over the channels: (m, n_H', n_W', filters)."""
    X = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, kernel_initializer=initializer(seed=0))(X)
    return layers.BatchNormalization(axis=3)(X)


def main_path(X, f, filters, s, initializer):
    """1x1 (stride s) -> f x f same -> 1x1, each with batch norm, ReLU after the first two: (m, n_H/s, n_W/s, F3)."""
    F1, F2, F3 = filters
    X = layers.ReLU()(conv_bn(X, F1, 1, s, "valid", initializer))
    X = layers.ReLU()(conv_bn(X, F2, f, 1, "same", initializer))
    return conv_bn(X, F3, 1, 1, "valid", initializer)


def identity_block(X, f, filters, initializer=random_uniform):
    """Residual block whose shortcut is the input itself. X: (m, n_H, n_W, F3) -> (m, n_H, n_W, F3)."""
    return layers.ReLU()(layers.Add()([main_path(X, f, filters, 1, initializer), X]))


def convolutional_block(X, f, filters, s=2, initializer=glorot_uniform):
    """Residual block whose shortcut is a strided 1x1 convolution. X: (m, n_H, n_W, n_C) -> (m, ceil(n_H/s),
    ceil(n_W/s), F3)."""
    main = main_path(X, f, filters, s, initializer)
    shortcut = conv_bn(X, filters[2], 1, s, "valid", initializer)
    return layers.ReLU()(layers.Add()([main, shortcut]))


def ResNet50(input_shape=(64, 64, 3), classes=6):
    """ResNet-50 for images of input_shape (n_H, n_W, n_C) and `classes` classes: a Model, (m, n_H, n_W, n_C) -> (m,
    classes)."""
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.ReLU()(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    for filters, s, repeats in STAGES:
        X = convolutional_block(X, f=3, filters=list(filters), s=s)
        for _ in range(repeats):
            X = identity_block(X, 3, list(filters))
    X = layers.AveragePooling2D((2, 2))(X)
    X = layers.Flatten()(X)
    X = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)
