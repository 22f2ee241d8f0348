"""Mistakes and alternative solutions for w1a2_keras_apis (happyModel and convolutional_model in Keras).

Every function is named ``<graded function>__<slug>``. Bodies use only ``keras``, ``layers`` and ``tf``,
the names the notebook imports, so ``Variant.source()`` can be pasted into its solution cell.
"""

import keras
import tensorflow as tf  # noqa: F401  (used by the variants' bodies)
from keras import layers

from tests.support.variants import alternative, mistake

# ----------------------------------------------------------------------------------------------
# happyModel
# ----------------------------------------------------------------------------------------------


@mistake("happyModel")
def happyModel__without_batch_normalization():
    return keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3)),
            layers.ZeroPadding2D(3),
            layers.Conv2D(32, 7),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


@mistake("happyModel")
def happyModel__normalises_the_wrong_axis():
    return keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3)),
            layers.ZeroPadding2D(3),
            layers.Conv2D(32, 7),
            layers.BatchNormalization(axis=1),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


@mistake("happyModel")
def happyModel__three_by_three_filters():
    return keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3)),
            layers.ZeroPadding2D(3),
            layers.Conv2D(32, 3),
            layers.BatchNormalization(axis=3),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


@mistake("happyModel")
def happyModel__no_zero_padding():
    return keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3)),
            layers.Conv2D(32, 7, padding="same"),
            layers.BatchNormalization(axis=3),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


@mistake("happyModel")
def happyModel__relu_before_batch_normalization():
    return keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3)),
            layers.ZeroPadding2D(3),
            layers.Conv2D(32, 7),
            layers.ReLU(),
            layers.BatchNormalization(axis=3),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


@mistake("happyModel")
def happyModel__no_activation_on_the_output():
    return keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3)),
            layers.ZeroPadding2D(3),
            layers.Conv2D(32, 7),
            layers.BatchNormalization(axis=3),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )


@mistake("happyModel")
def happyModel__strided_convolution():
    return keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3)),
            layers.ZeroPadding2D(3),
            layers.Conv2D(32, 7, strides=2),
            layers.BatchNormalization(axis=3),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


@mistake("happyModel")
def happyModel__functional_api():
    inputs = keras.Input(shape=(64, 64, 3))
    x = layers.Conv2D(32, 7)(layers.ZeroPadding2D(3)(inputs))
    x = layers.MaxPooling2D()(layers.ReLU()(layers.BatchNormalization(axis=3)(x)))
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(layers.Flatten()(x)))


@alternative("happyModel")
def happyModel__added_one_by_one():
    model = keras.Sequential()
    model.add(keras.Input(shape=(64, 64, 3)))
    model.add(layers.ZeroPadding2D(padding=(3, 3)))
    model.add(layers.Conv2D(filters=32, kernel_size=(7, 7), strides=(1, 1), padding="valid"))
    model.add(layers.BatchNormalization(axis=-1))
    model.add(layers.Activation("relu"))
    model.add(layers.MaxPool2D(pool_size=(2, 2)))
    model.add(layers.Flatten())
    model.add(layers.Dense(1))
    model.add(layers.Activation("sigmoid"))
    return model


@alternative("happyModel")
def happyModel__activation_function_object():
    return keras.Sequential(
        [
            keras.Input((64, 64, 3)),
            layers.ZeroPadding2D(((3, 3), (3, 3))),
            layers.Conv2D(32, (7, 7)),
            layers.BatchNormalization(axis=3),
            layers.Activation(keras.activations.relu),
            layers.MaxPooling2D(2, 2),
            layers.Flatten(),
            layers.Dense(units=1, activation="sigmoid"),
        ]
    )


# ----------------------------------------------------------------------------------------------
# convolutional_model
# ----------------------------------------------------------------------------------------------


@mistake("convolutional_model")
def convolutional_model__valid_padding(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = layers.MaxPooling2D(8, 8)(layers.ReLU()(layers.Conv2D(8, 4)(inputs)))
    x = layers.MaxPooling2D(4, 4, padding="same")(layers.ReLU()(layers.Conv2D(16, 2, padding="same")(x)))
    return keras.Model(inputs, layers.Dense(6, activation="softmax")(layers.Flatten()(x)))


@mistake("convolutional_model")
def convolutional_model__pool_strides_left_at_one(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = layers.MaxPooling2D(8, strides=1, padding="same")(layers.ReLU()(layers.Conv2D(8, 4, padding="same")(inputs)))
    x = layers.MaxPooling2D(4, strides=1, padding="same")(layers.ReLU()(layers.Conv2D(16, 2, padding="same")(x)))
    return keras.Model(inputs, layers.Dense(6, activation="softmax")(layers.Flatten()(x)))


@mistake("convolutional_model")
def convolutional_model__filter_counts_swapped(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = layers.MaxPooling2D(8, 8, padding="same")(layers.ReLU()(layers.Conv2D(16, 4, padding="same")(inputs)))
    x = layers.MaxPooling2D(4, 4, padding="same")(layers.ReLU()(layers.Conv2D(8, 2, padding="same")(x)))
    return keras.Model(inputs, layers.Dense(6, activation="softmax")(layers.Flatten()(x)))


@mistake("convolutional_model")
def convolutional_model__fixed_input_shape(input_shape):
    inputs = keras.Input(shape=(64, 64, 3))
    x = layers.MaxPooling2D(8, 8, padding="same")(layers.ReLU()(layers.Conv2D(8, 4, padding="same")(inputs)))
    x = layers.MaxPooling2D(4, 4, padding="same")(layers.ReLU()(layers.Conv2D(16, 2, padding="same")(x)))
    return keras.Model(inputs, layers.Dense(6, activation="softmax")(layers.Flatten()(x)))


@mistake("convolutional_model")
def convolutional_model__second_relu_missing(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = layers.MaxPooling2D(8, 8, padding="same")(layers.ReLU()(layers.Conv2D(8, 4, padding="same")(inputs)))
    x = layers.MaxPooling2D(4, 4, padding="same")(layers.Conv2D(16, 2, padding="same")(x))
    return keras.Model(inputs, layers.Dense(6, activation="softmax")(layers.Flatten()(x)))


@mistake("convolutional_model")
def convolutional_model__logits_without_softmax(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = layers.MaxPooling2D(8, 8, padding="same")(layers.ReLU()(layers.Conv2D(8, 4, padding="same")(inputs)))
    x = layers.MaxPooling2D(4, 4, padding="same")(layers.ReLU()(layers.Conv2D(16, 2, padding="same")(x)))
    return keras.Model(inputs, layers.Dense(6)(layers.Flatten()(x)))


@mistake("convolutional_model")
def convolutional_model__kernel_sizes_swapped(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = layers.MaxPooling2D(8, 8, padding="same")(layers.ReLU()(layers.Conv2D(8, 2, padding="same")(inputs)))
    x = layers.MaxPooling2D(4, 4, padding="same")(layers.ReLU()(layers.Conv2D(16, 4, padding="same")(x)))
    return keras.Model(inputs, layers.Dense(6, activation="softmax")(layers.Flatten()(x)))


@mistake("convolutional_model")
def convolutional_model__sequential_api(input_shape):
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(8, 4, padding="same"),
            layers.ReLU(),
            layers.MaxPooling2D(8, 8, padding="same"),
            layers.Conv2D(16, 2, padding="same"),
            layers.ReLU(),
            layers.MaxPooling2D(4, 4, padding="same"),
            layers.Flatten(),
            layers.Dense(6, activation="softmax"),
        ]
    )


@alternative("convolutional_model")
def convolutional_model__activations_inside_the_layers(input_shape):
    input_img = keras.Input(input_shape)
    x = layers.Conv2D(filters=8, kernel_size=(4, 4), strides=(1, 1), padding="same", activation="relu")(input_img)
    x = layers.MaxPool2D(pool_size=(8, 8), strides=(8, 8), padding="same")(x)
    x = layers.Conv2D(filters=16, kernel_size=(2, 2), strides=(1, 1), padding="same", activation="relu")(x)
    x = layers.MaxPool2D(pool_size=(4, 4), strides=(4, 4), padding="same")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(units=6)(x)
    outputs = layers.Activation("softmax")(x)
    return keras.Model(inputs=input_img, outputs=outputs)


@alternative("convolutional_model")
def convolutional_model__keras_ops_relu(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = keras.ops.relu(layers.Conv2D(8, 4, padding="same")(inputs))
    x = layers.MaxPooling2D(8, padding="same")(x)
    x = keras.ops.relu(layers.Conv2D(16, 2, padding="same")(x))
    x = layers.MaxPooling2D(4, padding="same")(x)
    return keras.Model(inputs, layers.Softmax()(layers.Dense(6)(layers.Flatten()(x))))
