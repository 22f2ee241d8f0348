"""Adapters of w3a2_unet: unet_model judged with stand-in blocks, so its grade does not depend on the student's blocks.

unet_model calls the student's conv_block and upsampling_block, which have hidden tests of their own.
Its hidden test judges how the blocks are assembled: how many, in which order, with which filter counts,
dropout and pooling, and which skip connection each up block receives. While the builder runs, the
adapter "w3a2_unet.unet_model" points the names conv_block and upsampling_block of the builder's
namespace (the notebook's, or the reference module's in the grader) at stand-ins, and puts the
originals back afterwards.

The stand-ins record the arguments of each call in a layer's configuration (so the graph comparison
names them) and compute an output of the block's shape by a fixed, simple rule without weights:

- conv_block -> a layer "conv_block" (the skip connection: the channels mixed by a fixed matrix into
  n_filters, then a ReLU) and, when max_pooling is true, a layer "conv_block_next_layer" that keeps
  every second row and column; when it is false both outputs are the same tensor, as in the real block.
- upsampling_block -> a layer "upsampling_block" that repeats each pixel of the expansive input
  2 x 2, appends the contractive input's channels and mixes them into n_filters, then a ReLU. It
  refuses a skip whose height and width are not twice the expansive input's, with a message saying so.

None of this computes a convolutional block: the stand-ins are not an answer to anything.

Used by: cnnbook.grading.adapters (by name)
"""

import keras
import numpy as np

from cnnbook.grading.adapters import register
from cnnbook.grading.adapters.keras_models import mixing_matrix, with_stand_ins
from cnnbook.grading.rebinding import names_bound

__all__ = ["conv_block_stand_in", "upsampling_block_stand_in", "stand_in_blocks", "BLOCK_NAMES"]

BLOCK_NAMES = ("conv_block", "upsampling_block")


def recorded(value):
    """Return an argument as plain data for a layer's configuration (numbers and bools as they are, others as text)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return str(value)


def mix_channels(X, n_out):
    """Return relu(X @ mixing_matrix): (m, n_H, n_W, n_C) -> (m, n_H, n_W, n_out)."""
    mixing = keras.ops.convert_to_tensor(mixing_matrix(int(X.shape[-1]), int(n_out)))
    return keras.ops.relu(keras.ops.matmul(X, keras.ops.cast(mixing, X.dtype)))


def filters_of(n_filters, n_C):
    """Return the stand-in's channel count: n_filters when it is a positive int, else the input's n_C (the config shows
    it)."""
    return n_filters if isinstance(n_filters, int) and not isinstance(n_filters, bool) and n_filters > 0 else n_C


class ConvBlockStandIn(keras.layers.Layer):
    """The skip connection of one conv_block call: (m, n_H, n_W, n_C) -> (m, n_H, n_W, n_filters)."""

    def __init__(self, n_filters, dropout_prob, max_pooling, **kwargs):
        super().__init__(**kwargs)
        self.n_filters, self.dropout_prob, self.max_pooling = n_filters, dropout_prob, max_pooling

    def call(self, X):
        return mix_channels(X, filters_of(self.n_filters, int(X.shape[-1])))

    def compute_output_shape(self, input_shape):
        return (*input_shape[:3], filters_of(self.n_filters, input_shape[3]))

    def get_config(self):
        return {
            **super().get_config(),
            "n_filters": self.n_filters,
            "dropout_prob": self.dropout_prob,
            "max_pooling": self.max_pooling,
        }


class NextLayerStandIn(keras.layers.Layer):
    """The pooled output of one conv_block call: every second row and column, (m, n_H, n_W, n_C) -> (m, n_H // 2, n_W //
    2, n_C)."""

    def call(self, X):
        n_H, n_W = int(X.shape[1]), int(X.shape[2])
        return X[:, : n_H - n_H % 2 : 2, : n_W - n_W % 2 : 2, :]

    def compute_output_shape(self, input_shape):
        m, n_H, n_W, n_C = input_shape
        return (m, None if n_H is None else n_H // 2, None if n_W is None else n_W // 2, n_C)


class UpsamplingBlockStandIn(keras.layers.Layer):
    """One upsampling_block call: [(m, n_H, n_W, n_C), (m, 2 n_H, 2 n_W, n_C_skip)] -> (m, 2 n_H, 2 n_W, n_filters)."""

    def __init__(self, n_filters, **kwargs):
        super().__init__(**kwargs)
        self.n_filters = n_filters

    def call(self, inputs):
        expansive, contractive = inputs
        up = keras.ops.repeat(keras.ops.repeat(expansive, 2, axis=1), 2, axis=2)  # (m, 2 n_H, 2 n_W, n_C)
        merged = keras.ops.concatenate([up, keras.ops.cast(contractive, up.dtype)], axis=-1)
        return mix_channels(merged, filters_of(self.n_filters, int(merged.shape[-1])))

    def compute_output_shape(self, input_shapes):
        (m, n_H, n_W, n_C), skip = input_shapes
        return (m, 2 * n_H, 2 * n_W, filters_of(self.n_filters, n_C + skip[3]))

    def get_config(self):
        return {**super().get_config(), "n_filters": self.n_filters}


# Named for the blocks, so a message reads "layer 3 should be a conv_block(n_filters=16, dropout_prob=0, ...)".
ConvBlockLayer = type("conv_block", (ConvBlockStandIn,), {"__doc__": "Stands for one call of conv_block."})
NextLayer = type(
    "conv_block_next_layer", (NextLayerStandIn,), {"__doc__": "Stands for the pooled output of conv_block."}
)
UpsamplingBlockLayer = type(
    "upsampling_block", (UpsamplingBlockStandIn,), {"__doc__": "Stands for one call of upsampling_block."}
)


def spatial_size(tensor) -> tuple:
    """Return (n_H, n_W) of a (m, n_H, n_W, n_C) tensor, or its whole shape when it has another rank."""
    shape = tuple(getattr(tensor, "shape", ()))
    return tuple(shape[1:3]) if len(shape) == 4 else shape


def conv_block_stand_in(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
    """Stand-in for conv_block: records n_filters, dropout_prob and max_pooling; returns (next_layer,
    skip_connection)."""
    skip = ConvBlockLayer(recorded(n_filters), recorded(dropout_prob), recorded(max_pooling))(inputs)
    next_layer = NextLayer()(skip) if max_pooling else skip
    return next_layer, skip


def upsampling_block_stand_in(expansive_input, contractive_input, n_filters=32):
    """Stand-in for upsampling_block: records n_filters; refuses a skip that does not fit the upsampled input."""
    n_H, n_W = spatial_size(expansive_input)[:2] if len(spatial_size(expansive_input)) == 2 else (None, None)
    if n_H is None or spatial_size(contractive_input) != (2 * n_H, 2 * n_W):
        raise ValueError(
            f"upsampling_block was given an expansive_input of height x width {spatial_size(expansive_input)} and a "
            f"contractive_input of {spatial_size(contractive_input)}; the skip connection must have twice the height "
            "and width of the expansive input: pass each up block the skip of the down block at that resolution"
        )
    return UpsamplingBlockLayer(recorded(n_filters))([expansive_input, contractive_input])


STAND_INS = {"conv_block": conv_block_stand_in, "upsampling_block": upsampling_block_stand_in}


def stand_in_blocks(namespace: dict):
    """Point conv_block and upsampling_block of `namespace` at the stand-ins while the block runs."""
    return names_bound(namespace, STAND_INS)


@register("w3a2_unet.unet_model")
def unet_model(func):
    """Wrap unet_model: build it with stand-in blocks, then report it as the "keras_model" adapter does."""
    return with_stand_ins(func, STAND_INS)
