"""Reference models of w1a2_keras_apis, built in the grader's process only (never in a student's kernel)."""

import keras
from keras import layers


def happyModel():
    """Return the smile classifier as a Sequential model: (m, 64, 64, 3) images -> (m, 1) probabilities of a smile."""
    return keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3)),
            layers.ZeroPadding2D(padding=3),  # (m, 70, 70, 3)
            layers.Conv2D(32, kernel_size=7, strides=1),  # (m, 64, 64, 32)
            layers.BatchNormalization(axis=3),
            layers.ReLU(),
            layers.MaxPooling2D(),  # (m, 32, 32, 32)
            layers.Flatten(),  # (m, 32768)
            layers.Dense(1, activation="sigmoid"),  # (m, 1)
        ]
    )


def convolutional_model(input_shape):
    """Return the hand-sign classifier as a Functional model: (m, n_H, n_W, n_C) images -> (m, 6) class
    probabilities."""
    input_img = keras.Input(shape=input_shape)
    Z1 = layers.Conv2D(8, kernel_size=4, strides=1, padding="same")(input_img)
    A1 = layers.ReLU()(Z1)
    P1 = layers.MaxPooling2D(pool_size=8, strides=8, padding="same")(A1)
    Z2 = layers.Conv2D(16, kernel_size=2, strides=1, padding="same")(P1)
    A2 = layers.ReLU()(Z2)
    P2 = layers.MaxPooling2D(pool_size=4, strides=4, padding="same")(A2)
    F = layers.Flatten()(P2)
    outputs = layers.Dense(6, activation="softmax")(F)
    return keras.Model(inputs=input_img, outputs=outputs)
