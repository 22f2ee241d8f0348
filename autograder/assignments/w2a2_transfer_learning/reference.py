"""Reference solutions of w2a2_transfer_learning, built in the grader's process only (never in a student's kernel)."""

import keras
from keras import layers

from cnnbook.models.mobilenet_base import load_mobilenet_base

IMG_SIZE = (160, 160)


def data_augmenter():
    """Return the augmentation model: a random horizontal flip, then a random rotation of up to 0.2 of a turn."""
    return keras.Sequential(
        [
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.2),
        ]
    )


def kite_model(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    """Return the kite classifier: (m, n_H, n_W, 3) pixels in 0..255 -> (m, 1) logits of "not_kite"."""
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = data_augmentation(inputs)
    X = keras.applications.mobilenet_v2.preprocess_input(X)  # pixels 0..255 -> -1..1
    X = base_model(X, training=False)  # (m, n_H/32, n_W/32, n_C)
    X = layers.GlobalAveragePooling2D()(X)  # (m, n_C)
    X = layers.Dropout(0.2)(X)
    outputs = layers.Dense(1)(X)  # (m, 1) logits
    return keras.Model(inputs, outputs)


def fine_tune(model, base_model, fine_tune_at, base_learning_rate):
    """Unfreeze base_model's layers from index fine_tune_at on; compile `model` for fine-tuning and return it."""
    base_model.trainable = True
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.1 * base_learning_rate),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model
