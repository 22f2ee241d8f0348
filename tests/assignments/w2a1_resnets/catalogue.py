"""Mistakes and alternative solutions for w2a1_resnets (residual networks in Keras).

Every function is named ``<graded function>__<slug>``. Bodies use only the names the notebook imports
(np, keras, layers, glorot_uniform, random_uniform) and the graded functions' names, so
``Variant.source()`` can be pasted into the notebook's solution cell. Here the block names used by the
ResNet50 variants are bound to the reference blocks, so the variants also run as they are.
"""

import keras
import numpy as np  # noqa: F401  (the notebook's names)
from keras import layers
from keras.initializers import glorot_uniform, random_uniform

from autograder.assignments.w2a1_resnets.reference import convolutional_block, identity_block  # noqa: F401
from tests.support.variants import alternative, mistake

# ----------------------------------------------------------------------------------------------
# identity_block
# ----------------------------------------------------------------------------------------------


@mistake("identity_block")
def identity_block__missing_second_batch_norm(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    X = layers.Activation("relu")(X)
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(X)
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    X = layers.Add()([X, X_shortcut])
    return layers.Activation("relu")(X)


@mistake("identity_block")
def identity_block__relu_before_the_addition(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    return layers.Add()([X, X_shortcut])


@mistake("identity_block")
def identity_block__middle_conv_valid_padding(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("identity_block")
def identity_block__initializer_ignored(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, padding="valid")(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same")(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid")(X)
    X = layers.BatchNormalization(axis=3)(X)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("identity_block")
def identity_block__batch_norm_over_width(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=2)(X))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=2)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=2)(X)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("identity_block")
def identity_block__batch_norm_always_training(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X, training=True))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X, training=True))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X, training=True)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("identity_block")
def identity_block__middle_conv_one_by_one(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, 1, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("identity_block")
def identity_block__shortcut_from_first_layer(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    X = layers.Conv2D(F1, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X_shortcut = layers.Conv2D(F3, 1, kernel_initializer=initializer(seed=0))(X)
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@alternative("identity_block")
def identity_block__relu_layers_and_plus(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.ReLU()(
        layers.BatchNormalization(axis=-1)(
            layers.Conv2D(filters=F1, kernel_size=(1, 1), strides=(1, 1), kernel_initializer=initializer(seed=0))(X)
        )
    )
    X = layers.ReLU()(
        layers.BatchNormalization(axis=-1)(
            layers.Conv2D(filters=F2, kernel_size=(f, f), padding="same", kernel_initializer=initializer(seed=0))(X)
        )
    )
    X = layers.BatchNormalization(axis=-1)(
        layers.Conv2D(filters=F3, kernel_size=(1, 1), kernel_initializer=initializer(seed=0))(X)
    )
    return layers.ReLU()(X_shortcut + X)


@alternative("identity_block")
def identity_block__ops_relu_and_add_function(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    main = X
    for k, (n_filters, size) in enumerate([(F1, 1), (F2, f), (F3, 1)]):
        main = layers.Conv2D(
            n_filters, size, padding="same" if size == f and k == 1 else "valid", kernel_initializer=initializer(seed=0)
        )(main)
        main = layers.BatchNormalization(axis=3)(main)
        if k < 2:
            main = keras.ops.relu(main)
    return keras.ops.relu(layers.add([main, X]))


@alternative("identity_block")
def identity_block__conv_helper_and_activation_function(X, f, filters, initializer=random_uniform):
    F1, F2, F3 = filters
    shortcut = X
    conv = lambda n, k, pad: layers.Conv2D(n, k, padding=pad, kernel_initializer=initializer(seed=0))  # noqa: E731
    X = layers.Activation(keras.activations.relu)(layers.BatchNormalization(axis=3)(conv(F1, 1, "valid")(X)))
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(conv(F2, (f, f), "same")(X)))
    X = layers.BatchNormalization(axis=3)(conv(F3, 1, "valid")(X))
    X = layers.Add()([shortcut, X])
    return layers.Activation("relu")(X)


# ----------------------------------------------------------------------------------------------
# convolutional_block
# ----------------------------------------------------------------------------------------------


@mistake("convolutional_block")
def convolutional_block__stride_on_middle_conv(X, f, filters, s=2, initializer=glorot_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, strides=1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, strides=s, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    X_shortcut = layers.Conv2D(F3, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X_shortcut)
    X_shortcut = layers.BatchNormalization(axis=3)(X_shortcut)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("convolutional_block")
def convolutional_block__shortcut_without_stride(X, f, filters, s=2, initializer=glorot_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    X_shortcut = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X_shortcut)
    X_shortcut = layers.BatchNormalization(axis=3)(X_shortcut)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("convolutional_block")
def convolutional_block__shortcut_without_batch_norm(X, f, filters, s=2, initializer=glorot_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    X_shortcut = layers.Conv2D(F3, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X_shortcut)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("convolutional_block")
def convolutional_block__relu_before_the_addition(X, f, filters, s=2, initializer=glorot_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X_shortcut = layers.Conv2D(F3, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X_shortcut)
    X_shortcut = layers.BatchNormalization(axis=3)(X_shortcut)
    return layers.Add()([X, X_shortcut])


@mistake("convolutional_block")
def convolutional_block__middle_conv_valid_padding(X, f, filters, s=2, initializer=glorot_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    X_shortcut = layers.Conv2D(F3, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X_shortcut)
    X_shortcut = layers.BatchNormalization(axis=3)(X_shortcut)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("convolutional_block")
def convolutional_block__shortcut_ignores_initializer(X, f, filters, s=2, initializer=glorot_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    X_shortcut = layers.Conv2D(F3, 1, strides=s, padding="valid")(X_shortcut)
    X_shortcut = layers.BatchNormalization(axis=3)(X_shortcut)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@mistake("convolutional_block")
def convolutional_block__stride_fixed_at_two(X, f, filters, s=2, initializer=glorot_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, strides=2, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    X_shortcut = layers.Conv2D(F3, 1, strides=2, padding="valid", kernel_initializer=initializer(seed=0))(X_shortcut)
    X_shortcut = layers.BatchNormalization(axis=3)(X_shortcut)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


@alternative("convolutional_block")
def convolutional_block__shortcut_built_first(X, f, filters, s=2, initializer=glorot_uniform):
    F1, F2, F3 = filters
    shortcut = layers.Conv2D(F3, (1, 1), strides=(s, s), kernel_initializer=initializer(seed=0))(X)
    shortcut = layers.BatchNormalization(axis=-1)(shortcut)
    main = layers.Conv2D(F1, (1, 1), strides=(s, s), kernel_initializer=initializer(seed=0))(X)
    main = layers.ReLU()(layers.BatchNormalization(axis=-1)(main))
    main = layers.Conv2D(F2, (f, f), strides=(1, 1), padding="same", kernel_initializer=initializer(seed=0))(main)
    main = layers.ReLU()(layers.BatchNormalization(axis=-1)(main))
    main = layers.BatchNormalization(axis=-1)(layers.Conv2D(F3, (1, 1), kernel_initializer=initializer(seed=0))(main))
    return layers.ReLU()(shortcut + main)


@alternative("convolutional_block")
def convolutional_block__ops_and_loop(X, f, filters, s=2, initializer=glorot_uniform):
    F1, F2, F3 = filters
    main = X
    for k, (n_filters, size, stride, padding) in enumerate(
        [(F1, 1, s, "valid"), (F2, f, 1, "same"), (F3, 1, 1, "valid")]
    ):
        main = layers.Conv2D(n_filters, size, strides=stride, padding=padding, kernel_initializer=initializer(seed=0))(
            main
        )
        main = layers.BatchNormalization(axis=3)(main)
        if k < 2:
            main = keras.ops.relu(main)
    shortcut = layers.BatchNormalization(axis=3)(
        layers.Conv2D(F3, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X)
    )
    return keras.ops.relu(keras.ops.add(main, shortcut))


# ----------------------------------------------------------------------------------------------
# ResNet50
# ----------------------------------------------------------------------------------------------


@mistake("ResNet50")
def ResNet50__without_average_pool(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    X = convolutional_block(X, f=3, filters=[64, 64, 256], s=1)
    X = identity_block(X, 3, [64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = convolutional_block(X, f=3, filters=[128, 128, 512], s=2)
    for _ in range(3):
        X = identity_block(X, 3, [128, 128, 512])
    X = convolutional_block(X, f=3, filters=[256, 256, 1024], s=2)
    for _ in range(5):
        X = identity_block(X, 3, [256, 256, 1024])
    X = convolutional_block(X, f=3, filters=[512, 512, 2048], s=2)
    X = identity_block(X, 3, [512, 512, 2048])
    X = identity_block(X, 3, [512, 512, 2048])
    X = layers.Flatten()(X)
    X = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)


@mistake("ResNet50")
def ResNet50__without_softmax(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    X = convolutional_block(X, f=3, filters=[64, 64, 256], s=1)
    X = identity_block(X, 3, [64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = convolutional_block(X, f=3, filters=[128, 128, 512], s=2)
    for _ in range(3):
        X = identity_block(X, 3, [128, 128, 512])
    X = convolutional_block(X, f=3, filters=[256, 256, 1024], s=2)
    for _ in range(5):
        X = identity_block(X, 3, [256, 256, 1024])
    X = convolutional_block(X, f=3, filters=[512, 512, 2048], s=2)
    X = identity_block(X, 3, [512, 512, 2048])
    X = identity_block(X, 3, [512, 512, 2048])
    X = layers.AveragePooling2D((2, 2))(X)
    X = layers.Flatten()(X)
    X = layers.Dense(classes, kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)


@mistake("ResNet50")
def ResNet50__wrong_filters_in_stage_four(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    X = convolutional_block(X, f=3, filters=[64, 64, 256], s=1)
    X = identity_block(X, 3, [64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = convolutional_block(X, f=3, filters=[128, 128, 512], s=2)
    for _ in range(3):
        X = identity_block(X, 3, [128, 128, 512])
    X = convolutional_block(X, f=3, filters=[256, 256, 512], s=2)
    for _ in range(5):
        X = identity_block(X, 3, [256, 256, 512])
    X = convolutional_block(X, f=3, filters=[512, 512, 2048], s=2)
    X = identity_block(X, 3, [512, 512, 2048])
    X = identity_block(X, 3, [512, 512, 2048])
    X = layers.AveragePooling2D((2, 2))(X)
    X = layers.Flatten()(X)
    X = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)


@mistake("ResNet50")
def ResNet50__one_identity_block_missing_in_stage_four(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    X = convolutional_block(X, f=3, filters=[64, 64, 256], s=1)
    X = identity_block(X, 3, [64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = convolutional_block(X, f=3, filters=[128, 128, 512], s=2)
    for _ in range(3):
        X = identity_block(X, 3, [128, 128, 512])
    X = convolutional_block(X, f=3, filters=[256, 256, 1024], s=2)
    for _ in range(4):
        X = identity_block(X, 3, [256, 256, 1024])
    X = convolutional_block(X, f=3, filters=[512, 512, 2048], s=2)
    X = identity_block(X, 3, [512, 512, 2048])
    X = identity_block(X, 3, [512, 512, 2048])
    X = layers.AveragePooling2D((2, 2))(X)
    X = layers.Flatten()(X)
    X = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)


@mistake("ResNet50")
def ResNet50__stage_two_with_default_stride(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    X = convolutional_block(X, f=3, filters=[64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = convolutional_block(X, f=3, filters=[128, 128, 512], s=2)
    for _ in range(3):
        X = identity_block(X, 3, [128, 128, 512])
    X = convolutional_block(X, f=3, filters=[256, 256, 1024], s=2)
    for _ in range(5):
        X = identity_block(X, 3, [256, 256, 1024])
    X = convolutional_block(X, f=3, filters=[512, 512, 2048], s=2)
    X = identity_block(X, 3, [512, 512, 2048])
    X = identity_block(X, 3, [512, 512, 2048])
    X = layers.AveragePooling2D((2, 2))(X)
    X = layers.Flatten()(X)
    X = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)


@mistake("ResNet50")
def ResNet50__classes_and_input_shape_ignored(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input((64, 64, 3))
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    X = convolutional_block(X, f=3, filters=[64, 64, 256], s=1)
    X = identity_block(X, 3, [64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = convolutional_block(X, f=3, filters=[128, 128, 512], s=2)
    for _ in range(3):
        X = identity_block(X, 3, [128, 128, 512])
    X = convolutional_block(X, f=3, filters=[256, 256, 1024], s=2)
    for _ in range(5):
        X = identity_block(X, 3, [256, 256, 1024])
    X = convolutional_block(X, f=3, filters=[512, 512, 2048], s=2)
    X = identity_block(X, 3, [512, 512, 2048])
    X = identity_block(X, 3, [512, 512, 2048])
    X = layers.AveragePooling2D((2, 2))(X)
    X = layers.Flatten()(X)
    X = layers.Dense(6, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)


@mistake("ResNet50")
def ResNet50__stem_without_batch_norm(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.Activation("relu")(X)
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    X = convolutional_block(X, f=3, filters=[64, 64, 256], s=1)
    X = identity_block(X, 3, [64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = convolutional_block(X, f=3, filters=[128, 128, 512], s=2)
    for _ in range(3):
        X = identity_block(X, 3, [128, 128, 512])
    X = convolutional_block(X, f=3, filters=[256, 256, 1024], s=2)
    for _ in range(5):
        X = identity_block(X, 3, [256, 256, 1024])
    X = convolutional_block(X, f=3, filters=[512, 512, 2048], s=2)
    X = identity_block(X, 3, [512, 512, 2048])
    X = identity_block(X, 3, [512, 512, 2048])
    X = layers.AveragePooling2D((2, 2))(X)
    X = layers.Flatten()(X)
    X = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)


@mistake("ResNet50")
def ResNet50__max_pool_without_stride(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D((3, 3))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D((3, 3), strides=(1, 1))(X)
    X = convolutional_block(X, f=3, filters=[64, 64, 256], s=1)
    X = identity_block(X, 3, [64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = convolutional_block(X, f=3, filters=[128, 128, 512], s=2)
    for _ in range(3):
        X = identity_block(X, 3, [128, 128, 512])
    X = convolutional_block(X, f=3, filters=[256, 256, 1024], s=2)
    for _ in range(5):
        X = identity_block(X, 3, [256, 256, 1024])
    X = convolutional_block(X, f=3, filters=[512, 512, 2048], s=2)
    X = identity_block(X, 3, [512, 512, 2048])
    X = identity_block(X, 3, [512, 512, 2048])
    X = layers.AveragePooling2D((2, 2))(X)
    X = layers.Flatten()(X)
    X = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X)


@alternative("ResNet50")
def ResNet50__table_of_stages(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input(shape=input_shape)
    X = layers.ZeroPadding2D(padding=3)(X_input)
    X = layers.Conv2D(filters=64, kernel_size=7, strides=2, padding="valid", kernel_initializer=glorot_uniform(seed=0))(
        X
    )
    X = layers.BatchNormalization(axis=-1)(X)
    X = layers.ReLU()(X)
    X = layers.MaxPool2D(pool_size=3, strides=2)(X)
    for filters, s, n_identity in [
        ([64, 64, 256], 1, 2),
        ([128, 128, 512], 2, 3),
        ([256, 256, 1024], 2, 5),
        ([512, 512, 2048], 2, 2),
    ]:
        X = convolutional_block(X, 3, filters, s)
        for _ in range(n_identity):
            X = identity_block(X, f=3, filters=filters)
    X = layers.AveragePooling2D(pool_size=2)(X)
    X = layers.Flatten()(X)
    X = layers.Dense(units=classes, kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.Activation("softmax")(X)
    return keras.Model(X_input, X)


@alternative("ResNet50")
def ResNet50__written_out_with_ops_relu(input_shape=(64, 64, 3), classes=6):
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D(((3, 3), (3, 3)))(X_input)
    X = layers.Conv2D(64, (7, 7), strides=(2, 2), kernel_initializer=glorot_uniform(seed=0))(X)
    X = keras.ops.relu(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D((3, 3), strides=(2, 2))(X)
    X = convolutional_block(X, f=(3, 3), filters=(64, 64, 256), s=(1, 1))
    X = identity_block(X, 3, [64, 64, 256])
    X = identity_block(X, 3, [64, 64, 256])
    X = convolutional_block(X, f=3, filters=[128, 128, 512])
    X = identity_block(X, 3, [128, 128, 512])
    X = identity_block(X, 3, [128, 128, 512])
    X = identity_block(X, 3, [128, 128, 512])
    X = convolutional_block(X, f=3, filters=[256, 256, 1024], s=2, initializer=glorot_uniform)
    X = identity_block(X, 3, [256, 256, 1024])
    X = identity_block(X, 3, [256, 256, 1024])
    X = identity_block(X, 3, [256, 256, 1024])
    X = identity_block(X, 3, [256, 256, 1024])
    X = identity_block(X, 3, [256, 256, 1024])
    X = convolutional_block(X, f=3, filters=[512, 512, 2048], s=2)
    X = identity_block(X, 3, [512, 512, 2048])
    X = identity_block(X, 3, [512, 512, 2048])
    X = layers.AveragePooling2D(pool_size=(2, 2), strides=(2, 2))(X)
    X = layers.Flatten()(X)
    return keras.Model(
        X_input, layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    )
