"""Mistakes and alternative solutions for w2a2_transfer_learning (augmentation, transfer model, fine-tuning).

Every function is named ``<graded function>__<slug>``. Bodies use only the names the notebook defines or
imports (``keras``, ``layers``, ``tf``, ``preprocess_input``, ``load_mobilenet_base``, ``IMG_SIZE``,
``data_augmenter``), so ``Variant.source()`` can be pasted into its solution cell.
"""

import keras
import tensorflow as tf
from keras import layers
from keras.applications.mobilenet_v2 import preprocess_input

from cnnbook.models.mobilenet_base import load_mobilenet_base
from tests.support.variants import alternative, mistake

IMG_SIZE = (160, 160)


def data_augmenter():
    """The notebook's data_augmenter, for the kite_model variants that call it by name."""
    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)])


# ----------------------------------------------------------------------------------------------
# data_augmenter
# ----------------------------------------------------------------------------------------------


@mistake("data_augmenter")
def data_augmenter__flips_both_ways():
    return keras.Sequential([layers.RandomFlip(), layers.RandomRotation(0.2)])


@mistake("data_augmenter")
def data_augmenter__vertical_flip():
    return keras.Sequential([layers.RandomFlip("vertical"), layers.RandomRotation(0.2)])


@mistake("data_augmenter")
def data_augmenter__rotation_factor_halved():
    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])


@mistake("data_augmenter")
def data_augmenter__rotation_in_degrees():
    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(20)])


@mistake("data_augmenter")
def data_augmenter__without_rotation():
    return keras.Sequential([layers.RandomFlip("horizontal")])


@mistake("data_augmenter")
def data_augmenter__without_flip():
    return keras.Sequential([layers.RandomRotation(0.2)])


@mistake("data_augmenter")
def data_augmenter__zoom_added():
    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2), layers.RandomZoom(0.2)])


@mistake("data_augmenter")
def data_augmenter__returns_the_layers_in_a_list():
    return [layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)]


@alternative("data_augmenter")
def data_augmenter__added_one_by_one():
    data_augmentation = keras.Sequential()
    data_augmentation.add(layers.RandomFlip(mode="horizontal"))
    data_augmentation.add(layers.RandomRotation(factor=(-0.2, 0.2)))
    return data_augmentation


@alternative("data_augmenter")
def data_augmenter__rotation_first():
    return tf.keras.Sequential(
        [tf.keras.layers.RandomRotation(0.2, fill_mode="reflect"), tf.keras.layers.RandomFlip("horizontal", seed=3)]
    )


@alternative("data_augmenter")
def data_augmenter__with_an_input():
    return keras.Sequential(
        [keras.Input(shape=IMG_SIZE + (3,)), layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)]
    )


# ----------------------------------------------------------------------------------------------
# kite_model
# ----------------------------------------------------------------------------------------------


@mistake("kite_model")
def kite_model__base_left_trainable(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    inputs = keras.Input(shape=input_shape)
    X = preprocess_input(data_augmentation(inputs))
    X = base_model(X, training=False)
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__base_follows_the_training_flag(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(preprocess_input(data_augmentation(inputs)))
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__without_preprocessing(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(data_augmentation(inputs), training=False)
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__flatten_instead_of_pooling(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(preprocess_input(data_augmentation(inputs)), training=False)
    X = layers.Dropout(0.2)(layers.Flatten()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__without_dropout(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(preprocess_input(data_augmentation(inputs)), training=False)
    return keras.Model(inputs, layers.Dense(1)(layers.GlobalAveragePooling2D()(X)))


@mistake("kite_model")
def kite_model__dropout_rate_half(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(preprocess_input(data_augmentation(inputs)), training=False)
    X = layers.Dropout(0.5)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__sigmoid_output(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(preprocess_input(data_augmentation(inputs)), training=False)
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(X))


@mistake("kite_model")
def kite_model__without_augmentation(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(preprocess_input(inputs), training=False)
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__builds_its_own_augmentation(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(preprocess_input(data_augmenter()(inputs)), training=False)
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__preprocessing_before_augmentation(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(data_augmentation(preprocess_input(inputs)), training=False)
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__pixels_scaled_to_0_1(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = layers.Rescaling(1 / 255)(data_augmentation(inputs))
    X = base_model(X, training=False)
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__fixed_input_shape(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    if base_model is None:
        base_model = load_mobilenet_base((160, 160, 3))
    base_model.trainable = False
    inputs = keras.Input(shape=(160, 160, 3))
    X = base_model(preprocess_input(data_augmentation(inputs)), training=False)
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(1)(X))


@mistake("kite_model")
def kite_model__two_softmax_outputs(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = tuple(image_shape) + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    X = base_model(preprocess_input(data_augmentation(inputs)), training=False)
    X = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(X))
    return keras.Model(inputs, layers.Dense(2, activation="softmax")(X))


@alternative("kite_model")
def kite_model__rescaling_layer(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = image_shape + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    base_model.trainable = False
    inputs = tf.keras.Input(shape=input_shape)
    x = data_augmentation(inputs)
    x = tf.keras.layers.Rescaling(scale=1 / 127.5, offset=-1)(x)
    x = base_model(x, training=False)
    x = tf.keras.layers.GlobalAvgPool2D()(x)
    x = tf.keras.layers.Dropout(rate=0.2)(x)
    outputs = tf.keras.layers.Dense(units=1, activation=None)(x)
    return tf.keras.Model(inputs=inputs, outputs=outputs)


@alternative("kite_model")
def kite_model__arithmetic_preprocessing_and_frozen_last(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = image_shape + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    inputs = keras.Input(input_shape)
    x = (data_augmentation(inputs) - 127.5) / 127.5
    x = base_model(x, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    model = keras.Model(inputs, layers.Dense(1, activation="linear")(x))
    base_model.trainable = False
    return model


@alternative("kite_model")
def kite_model__layers_frozen_one_by_one(image_shape=IMG_SIZE, data_augmentation=None, base_model=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    input_shape = image_shape + (3,)
    if base_model is None:
        base_model = load_mobilenet_base(input_shape)
    for layer in base_model.layers:
        layer.trainable = False
    inputs = keras.Input(shape=input_shape)
    x = data_augmentation(inputs)
    x = keras.applications.mobilenet_v2.preprocess_input(x)
    x = base_model(x, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    prediction_layer = layers.Dense(1)
    outputs = prediction_layer(x)
    return keras.Model(inputs, outputs)


# ----------------------------------------------------------------------------------------------
# fine_tune
# ----------------------------------------------------------------------------------------------


@mistake("fine_tune")
def fine_tune__learning_rate_not_divided(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model


@mistake("fine_tune")
def fine_tune__loss_on_probabilities(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
        loss="binary_crossentropy",
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model


@mistake("fine_tune")
def fine_tune__freezes_the_top_instead(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    for layer in base_model.layers[fine_tune_at:]:
        layer.trainable = False
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model


@mistake("fine_tune")
def fine_tune__base_not_unfrozen_first(model, base_model, fine_tune_at, base_learning_rate):
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model


@mistake("fine_tune")
def fine_tune__one_layer_too_many_frozen(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    for layer in base_model.layers[: fine_tune_at + 1]:
        layer.trainable = False
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model


@mistake("fine_tune")
def fine_tune__accuracy_thresholds_logits_at_one_half(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


@mistake("fine_tune")
def fine_tune__not_compiled_again(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    return model


@mistake("fine_tune")
def fine_tune__whole_base_unfrozen(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model


@mistake("fine_tune")
def fine_tune__rmsprop(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=base_learning_rate / 10),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model


@alternative("fine_tune")
def fine_tune__flags_from_the_index(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    for i, layer in enumerate(base_model.layers):
        layer.trainable = i >= fine_tune_at
    optimizer = tf.keras.optimizers.Adam(learning_rate=base_learning_rate * 0.1)
    loss_function = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    model.compile(loss=loss_function, optimizer=optimizer, metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0)])
    return model


@alternative("fine_tune")
def fine_tune__helper_and_extra_metric(model, base_model, fine_tune_at, base_learning_rate):
    base_model.trainable = True
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    model.compile(
        keras.optimizers.Adam(base_learning_rate / 10),
        keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0), keras.metrics.AUC(from_logits=True)],
    )
    return model
