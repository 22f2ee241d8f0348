"""Mistakes and alternative solutions for w3a2_unet (the U-Net's down block, up block and model).

Every function is named ``<graded function>__<slug>``. Bodies use only ``keras``, ``layers``, ``tf`` and,
for unet_model, ``conv_block`` and ``upsampling_block``: the names the notebook defines or imports, so
``Variant.source()`` can be pasted into its solution cell. (Here conv_block and upsampling_block are the
reference blocks, so the variants of unet_model can also be called directly.)
"""

import keras
import tensorflow as tf  # noqa: F401  (the notebook imports it; variants may use it)
from keras import layers

from autograder.assignments.w3a2_unet.reference import conv_block, upsampling_block  # noqa: F401  (used by the unet variants)
from tests.support.variants import alternative, mistake

# ----------------------------------------------------------------------------------------------
# conv_block
# ----------------------------------------------------------------------------------------------


@mistake("conv_block")
def conv_block__skip_taken_after_pooling(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)
    if dropout_prob > 0:
        conv = layers.Dropout(dropout_prob)(conv)
    next_layer = layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, next_layer


@mistake("conv_block")
def conv_block__dropout_even_when_the_rate_is_zero(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)
    conv = layers.Dropout(dropout_prob)(conv)
    next_layer = layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, conv


@mistake("conv_block")
def conv_block__dropout_forgotten(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)
    next_layer = layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, conv


@mistake("conv_block")
def conv_block__pools_even_when_max_pooling_is_false(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)
    if dropout_prob > 0:
        conv = layers.Dropout(dropout_prob)(conv)
    return layers.MaxPooling2D(2)(conv), conv


@mistake("conv_block")
def conv_block__one_convolution(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
    if dropout_prob > 0:
        conv = layers.Dropout(dropout_prob)(conv)
    next_layer = layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, conv


@mistake("conv_block")
def conv_block__default_initializer(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same")(inputs)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same")(conv)
    if dropout_prob > 0:
        conv = layers.Dropout(dropout_prob)(conv)
    next_layer = layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, conv


@mistake("conv_block")
def conv_block__valid_padding(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.Conv2D(n_filters, 3, activation="relu", kernel_initializer="he_normal")(inputs)
    conv = layers.Conv2D(n_filters, 3, activation="relu", kernel_initializer="he_normal")(conv)
    if dropout_prob > 0:
        conv = layers.Dropout(dropout_prob)(conv)
    next_layer = layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, conv


@mistake("conv_block")
def conv_block__returns_the_skip_first(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)
    if dropout_prob > 0:
        conv = layers.Dropout(dropout_prob)(conv)
    next_layer = layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return conv, next_layer


@mistake("conv_block")
def conv_block__second_convolution_without_relu(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
    conv = layers.Conv2D(n_filters, 3, padding="same", kernel_initializer="he_normal")(conv)
    if dropout_prob > 0:
        conv = layers.Dropout(dropout_prob)(conv)
    next_layer = layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, conv


@alternative("conv_block")
def conv_block__separate_activation_layers(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    x = inputs
    for _ in range(2):
        x = layers.Conv2D(
            filters=n_filters,
            kernel_size=(3, 3),
            strides=(1, 1),
            padding="same",
            kernel_initializer=keras.initializers.HeNormal(),
        )(x)
        x = layers.Activation("relu")(x)
    if dropout_prob:
        x = layers.Dropout(rate=dropout_prob)(x)
    skip_connection = x
    if max_pooling:
        x = layers.MaxPool2D(pool_size=(2, 2), strides=(2, 2))(x)
    return x, skip_connection


@alternative("conv_block")
def conv_block__relu_layers_and_a_list(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = layers.ReLU()(layers.Conv2D(n_filters, (3, 3), padding="same", kernel_initializer="HeNormal")(inputs))
    conv = keras.ops.relu(layers.Conv2D(n_filters, 3, padding="same", kernel_initializer="he_normal")(conv))
    if dropout_prob > 0.0:
        conv = layers.Dropout(dropout_prob)(conv)
    if not max_pooling:
        return [conv, conv]
    return [layers.MaxPooling2D()(conv), conv]


# ----------------------------------------------------------------------------------------------
# upsampling_block
# ----------------------------------------------------------------------------------------------


@mistake("upsampling_block")
def upsampling_block__skip_concatenated_first(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(expansive_input)
    merge = layers.concatenate([contractive_input, up], axis=3)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)


@mistake("upsampling_block")
def upsampling_block__transposed_convolution_with_stride_one(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(n_filters, 3, strides=1, padding="same")(expansive_input)
    merge = layers.concatenate([up, contractive_input], axis=3)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)


@mistake("upsampling_block")
def upsampling_block__concatenated_along_the_height(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(expansive_input)
    merge = layers.concatenate([up, contractive_input], axis=1)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)


@mistake("upsampling_block")
def upsampling_block__added_instead_of_concatenated(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(expansive_input)
    merge = layers.Add()([up, contractive_input])
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)


@mistake("upsampling_block")
def upsampling_block__upsampling_layer_instead_of_transposed_convolution(
    expansive_input, contractive_input, n_filters=32
):
    up = layers.Conv2D(n_filters, 3, padding="same")(layers.UpSampling2D(2)(expansive_input))
    merge = layers.concatenate([up, contractive_input], axis=3)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)


@mistake("upsampling_block")
def upsampling_block__relu_on_the_transposed_convolution(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same", activation="relu")(expansive_input)
    merge = layers.concatenate([up, contractive_input], axis=3)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)


@mistake("upsampling_block")
def upsampling_block__one_convolution_after_the_merge(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(expansive_input)
    merge = layers.concatenate([up, contractive_input], axis=3)
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)


@mistake("upsampling_block")
def upsampling_block__two_by_two_transposed_kernel(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(n_filters, 2, strides=2, padding="same")(expansive_input)
    merge = layers.concatenate([up, contractive_input], axis=3)
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)


@alternative("upsampling_block")
def upsampling_block__concatenate_layer_on_the_last_axis(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(filters=n_filters, kernel_size=(3, 3), strides=(2, 2), padding="same")(expansive_input)
    merge = layers.Concatenate(axis=-1)([up, contractive_input])
    conv = layers.Conv2D(n_filters, (3, 3), padding="same", kernel_initializer=keras.initializers.HeNormal())(merge)
    conv = layers.Activation("relu")(conv)
    conv = layers.Conv2D(n_filters, (3, 3), padding="same", kernel_initializer=keras.initializers.HeNormal())(conv)
    return layers.ReLU()(conv)


@alternative("upsampling_block")
def upsampling_block__keras_ops_concatenate(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(expansive_input)
    x = keras.ops.concatenate([up, contractive_input], axis=-1)
    for _ in range(2):
        x = layers.Conv2D(
            n_filters, 3, padding="same", activation=keras.activations.relu, kernel_initializer="he_normal"
        )(x)
    return x


@alternative("upsampling_block")
def upsampling_block__concatenate_layer_on_axis_three(expansive_input, contractive_input, n_filters=32):
    up = layers.Conv2DTranspose(n_filters, kernel_size=3, strides=(2, 2), padding="same")(expansive_input)
    merge = layers.Concatenate(axis=3)([up, contractive_input])
    conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)


# ----------------------------------------------------------------------------------------------
# unet_model
# ----------------------------------------------------------------------------------------------


@mistake("unet_model")
def unet_model__softmax_on_the_output(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(input_size)
    c1 = conv_block(inputs, n_filters)
    c2 = conv_block(c1[0], 2 * n_filters)
    c3 = conv_block(c2[0], 4 * n_filters)
    c4 = conv_block(c3[0], 8 * n_filters, dropout_prob=0.3)
    c5 = conv_block(c4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)
    u6 = upsampling_block(c5[0], c4[1], 8 * n_filters)
    u7 = upsampling_block(u6, c3[1], 4 * n_filters)
    u8 = upsampling_block(u7, c2[1], 2 * n_filters)
    u9 = upsampling_block(u8, c1[1], n_filters)
    c9 = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(u9)
    outputs = layers.Conv2D(n_classes, 1, padding="same", activation="softmax")(c9)
    return keras.Model(inputs=inputs, outputs=outputs)


@mistake("unet_model")
def unet_model__filters_not_doubled(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(input_size)
    c1 = conv_block(inputs, n_filters)
    c2 = conv_block(c1[0], n_filters)
    c3 = conv_block(c2[0], n_filters)
    c4 = conv_block(c3[0], n_filters, dropout_prob=0.3)
    c5 = conv_block(c4[0], n_filters, dropout_prob=0.3, max_pooling=False)
    u6 = upsampling_block(c5[0], c4[1], n_filters)
    u7 = upsampling_block(u6, c3[1], n_filters)
    u8 = upsampling_block(u7, c2[1], n_filters)
    u9 = upsampling_block(u8, c1[1], n_filters)
    c9 = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(u9)
    return keras.Model(inputs=inputs, outputs=layers.Conv2D(n_classes, 1, padding="same")(c9))


@mistake("unet_model")
def unet_model__skips_paired_with_the_wrong_up_blocks(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(input_size)
    c1 = conv_block(inputs, n_filters)
    c2 = conv_block(c1[0], 2 * n_filters)
    c3 = conv_block(c2[0], 4 * n_filters)
    c4 = conv_block(c3[0], 8 * n_filters, dropout_prob=0.3)
    c5 = conv_block(c4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)
    u6 = upsampling_block(c5[0], c1[1], 8 * n_filters)
    u7 = upsampling_block(u6, c2[1], 4 * n_filters)
    u8 = upsampling_block(u7, c3[1], 2 * n_filters)
    u9 = upsampling_block(u8, c4[1], n_filters)
    c9 = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(u9)
    return keras.Model(inputs=inputs, outputs=layers.Conv2D(n_classes, 1, padding="same")(c9))


@mistake("unet_model")
def unet_model__dropout_only_in_the_bottleneck(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(input_size)
    c1 = conv_block(inputs, n_filters)
    c2 = conv_block(c1[0], 2 * n_filters)
    c3 = conv_block(c2[0], 4 * n_filters)
    c4 = conv_block(c3[0], 8 * n_filters)
    c5 = conv_block(c4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)
    u6 = upsampling_block(c5[0], c4[1], 8 * n_filters)
    u7 = upsampling_block(u6, c3[1], 4 * n_filters)
    u8 = upsampling_block(u7, c2[1], 2 * n_filters)
    u9 = upsampling_block(u8, c1[1], n_filters)
    c9 = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(u9)
    return keras.Model(inputs=inputs, outputs=layers.Conv2D(n_classes, 1, padding="same")(c9))


@mistake("unet_model")
def unet_model__bottleneck_pools(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(input_size)
    c1 = conv_block(inputs, n_filters)
    c2 = conv_block(c1[0], 2 * n_filters)
    c3 = conv_block(c2[0], 4 * n_filters)
    c4 = conv_block(c3[0], 8 * n_filters, dropout_prob=0.3)
    c5 = conv_block(c4[0], 16 * n_filters, dropout_prob=0.3)
    u6 = upsampling_block(c5[0], c4[1], 8 * n_filters)
    u7 = upsampling_block(u6, c3[1], 4 * n_filters)
    u8 = upsampling_block(u7, c2[1], 2 * n_filters)
    u9 = upsampling_block(u8, c1[1], n_filters)
    c9 = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(u9)
    return keras.Model(inputs=inputs, outputs=layers.Conv2D(n_classes, 1, padding="same")(c9))


@mistake("unet_model")
def unet_model__up_blocks_keep_the_bottleneck_filters(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(input_size)
    c1 = conv_block(inputs, n_filters)
    c2 = conv_block(c1[0], 2 * n_filters)
    c3 = conv_block(c2[0], 4 * n_filters)
    c4 = conv_block(c3[0], 8 * n_filters, dropout_prob=0.3)
    c5 = conv_block(c4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)
    u6 = upsampling_block(c5[0], c4[1], 16 * n_filters)
    u7 = upsampling_block(u6, c3[1], 16 * n_filters)
    u8 = upsampling_block(u7, c2[1], 16 * n_filters)
    u9 = upsampling_block(u8, c1[1], 16 * n_filters)
    c9 = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(u9)
    return keras.Model(inputs=inputs, outputs=layers.Conv2D(n_classes, 1, padding="same")(c9))


@mistake("unet_model")
def unet_model__pooled_output_used_as_the_skip(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(input_size)
    c1 = conv_block(inputs, n_filters)
    c2 = conv_block(c1[0], 2 * n_filters)
    c3 = conv_block(c2[0], 4 * n_filters)
    c4 = conv_block(c3[0], 8 * n_filters, dropout_prob=0.3)
    c5 = conv_block(c4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)
    u6 = upsampling_block(c5[0], c3[0], 8 * n_filters)
    u7 = upsampling_block(u6, c2[0], 4 * n_filters)
    u8 = upsampling_block(u7, c1[0], 2 * n_filters)
    u9 = upsampling_block(u8, inputs, n_filters)
    c9 = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(u9)
    return keras.Model(inputs=inputs, outputs=layers.Conv2D(n_classes, 1, padding="same")(c9))


@mistake("unet_model")
def unet_model__no_three_by_three_convolution_at_the_end(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(input_size)
    c1 = conv_block(inputs, n_filters)
    c2 = conv_block(c1[0], 2 * n_filters)
    c3 = conv_block(c2[0], 4 * n_filters)
    c4 = conv_block(c3[0], 8 * n_filters, dropout_prob=0.3)
    c5 = conv_block(c4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)
    u6 = upsampling_block(c5[0], c4[1], 8 * n_filters)
    u7 = upsampling_block(u6, c3[1], 4 * n_filters)
    u8 = upsampling_block(u7, c2[1], 2 * n_filters)
    u9 = upsampling_block(u8, c1[1], n_filters)
    return keras.Model(inputs=inputs, outputs=layers.Conv2D(n_classes, 1, padding="same")(u9))


@mistake("unet_model")
def unet_model__fixed_input_size(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input((96, 128, 3))
    c1 = conv_block(inputs, n_filters)
    c2 = conv_block(c1[0], 2 * n_filters)
    c3 = conv_block(c2[0], 4 * n_filters)
    c4 = conv_block(c3[0], 8 * n_filters, dropout_prob=0.3)
    c5 = conv_block(c4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)
    u6 = upsampling_block(c5[0], c4[1], 8 * n_filters)
    u7 = upsampling_block(u6, c3[1], 4 * n_filters)
    u8 = upsampling_block(u7, c2[1], 2 * n_filters)
    u9 = upsampling_block(u8, c1[1], n_filters)
    c9 = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(u9)
    return keras.Model(inputs=inputs, outputs=layers.Conv2D(n_classes, 1, padding="same")(c9))


@alternative("unet_model")
def unet_model__loops_over_the_levels(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(shape=input_size)
    x, skips = inputs, []
    for level in range(4):
        x, skip = conv_block(x, n_filters * 2**level, dropout_prob=0.3 if level == 3 else 0)
        skips.append(skip)
    x, _ = conv_block(x, n_filters * 16, dropout_prob=0.3, max_pooling=False)
    for level in reversed(range(4)):
        x = upsampling_block(x, skips[level], n_filters=n_filters * 2**level)
    x = layers.Conv2D(n_filters, (3, 3), padding="same", kernel_initializer="he_normal")(x)
    x = layers.ReLU()(x)
    outputs = layers.Conv2D(n_classes, (1, 1))(x)
    return keras.Model(inputs, outputs)


@alternative("unet_model")
def unet_model__keywords_and_the_bottleneck_skip(input_size=(96, 128, 3), n_filters=32, n_classes=12):
    inputs = keras.Input(input_size)
    next1, skip1 = conv_block(inputs=inputs, n_filters=n_filters, dropout_prob=0.0, max_pooling=True)
    next2, skip2 = conv_block(inputs=next1, n_filters=n_filters * 2)
    next3, skip3 = conv_block(inputs=next2, n_filters=n_filters * 4)
    next4, skip4 = conv_block(inputs=next3, n_filters=n_filters * 8, dropout_prob=0.3)
    _, bottleneck = conv_block(inputs=next4, n_filters=n_filters * 16, dropout_prob=0.3, max_pooling=False)
    up = upsampling_block(expansive_input=bottleneck, contractive_input=skip4, n_filters=n_filters * 8)
    up = upsampling_block(up, skip3, n_filters=n_filters * 4)
    up = upsampling_block(up, skip2, n_filters=n_filters * 2)
    up = upsampling_block(up, skip1, n_filters=n_filters)
    conv = layers.Conv2D(n_filters, 3, padding="same", activation="relu", kernel_initializer="he_normal")(up)
    logits = layers.Conv2D(filters=n_classes, kernel_size=1, padding="same", activation="linear")(conv)
    return keras.Model(inputs=inputs, outputs=logits)
