"""Reference blocks and model of w3a2_unet, built in the grader's process only (never in a student's kernel)."""

import keras
from keras import layers

N_CLASSES = 12  # len(cnnbook.data.SEGMENTATION_CLASSES): the classes of the course's street scenes


def conv_block(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    """Return (next_layer, skip_connection) of one down block: two 3x3 ReLU convolutions, dropout, 2x2 max pooling."""
    conv = layers.Conv2D(n_filters, 3, padding="same", activation="relu", kernel_initializer="he_normal")(inputs)
    conv = layers.Conv2D(n_filters, 3, padding="same", activation="relu", kernel_initializer="he_normal")(conv)
    if dropout_prob > 0:
        conv = layers.Dropout(dropout_prob)(conv)
    next_layer = layers.MaxPooling2D(pool_size=(2, 2))(conv) if max_pooling else conv
    skip_connection = conv  # (m, n_H, n_W, n_filters), before pooling
    return next_layer, skip_connection


def upsampling_block(expansive_input, contractive_input, n_filters=32):
    """Return the output of one up block: a 3x3 stride-2 transposed convolution, the skip appended, two 3x3 ReLU
    convolutions."""
    up = layers.Conv2DTranspose(n_filters, 3, strides=(2, 2), padding="same")(
        expansive_input
    )  # (m, 2 n_H, 2 n_W, n_filters)
    merge = layers.concatenate([up, contractive_input], axis=3)
    conv = layers.Conv2D(n_filters, 3, padding="same", activation="relu", kernel_initializer="he_normal")(merge)
    conv = layers.Conv2D(n_filters, 3, padding="same", activation="relu", kernel_initializer="he_normal")(conv)
    return conv


def unet_model(input_size=(96, 128, 3), n_filters=32, n_classes=N_CLASSES):
    """Return the U-Net: (m, n_H, n_W, n_C) images -> (m, n_H, n_W, n_classes) class logits for every pixel."""
    inputs = keras.Input(input_size)
    cblock1 = conv_block(inputs, n_filters)
    cblock2 = conv_block(cblock1[0], 2 * n_filters)
    cblock3 = conv_block(cblock2[0], 4 * n_filters)
    cblock4 = conv_block(cblock3[0], 8 * n_filters, dropout_prob=0.3)
    cblock5 = conv_block(cblock4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)
    ublock6 = upsampling_block(cblock5[0], cblock4[1], 8 * n_filters)
    ublock7 = upsampling_block(ublock6, cblock3[1], 4 * n_filters)
    ublock8 = upsampling_block(ublock7, cblock2[1], 2 * n_filters)
    ublock9 = upsampling_block(ublock8, cblock1[1], n_filters)
    conv9 = layers.Conv2D(n_filters, 3, padding="same", activation="relu", kernel_initializer="he_normal")(ublock9)
    conv10 = layers.Conv2D(n_classes, 1, padding="same")(conv9)
    return keras.Model(inputs=inputs, outputs=conv10)
