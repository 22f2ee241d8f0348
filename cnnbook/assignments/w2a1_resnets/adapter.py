"""Adapters of w2a1_resnets: ResNet50 judged with stand-in blocks, so its grade does not depend on the student's blocks.

ResNet50 calls the student's identity_block and convolutional_block. Its hidden test must judge how the
blocks are assembled (order, filters, strides, the layers around them), not the blocks themselves,
which have hidden tests of their own. While the builder runs, the adapter "w2a1_resnets.resnet50"
points the names identity_block and convolutional_block of the builder's namespace (the notebook's, or
the reference module's in the grader) at stand-ins and puts them back afterwards.

A stand-in is one Keras layer per block call, named for the block it stands for. It records the
arguments of the call (f, filters and, for the convolutional block, s) in its configuration, so the
graph comparison names them, and produces an output of the block's shape by a fixed computation: the
input sampled at the stride (what a 1x1 convolution with stride s sees), its channels mixed by a fixed
matrix into filters[-1] channels, then a ReLU. It has no weights and does not compute a residual block:
it is not an answer to anything.

Used by: cnnbook.assignments.w2a1_resnets.checks, cnnbook.grading.adapters (by name)
"""

import keras
import numpy as np

from cnnbook.grading.adapters import register
from cnnbook.grading.adapters.keras_models import mixing_matrix, with_stand_ins
from cnnbook.grading.rebinding import names_bound

__all__ = ["identity_block_stand_in", "convolutional_block_stand_in", "stand_in_blocks", "BLOCK_NAMES"]

BLOCK_NAMES = ("identity_block", "convolutional_block")


def as_pair(value):
    """Return an int or a pair of ints as a list [a, b] (3 -> [3, 3]); anything else as its text, so a mismatch
    shows."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return [int(value), int(value)]
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, (int, np.integer)) for v in value):
        return [int(v) for v in value]
    return str(value)


def as_filters(value):
    """Return a filter list as a list of ints, or its text when it is not a list of three ints."""
    try:
        items = list(value)
    except TypeError:
        return str(value)
    if len(items) == 3 and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
        return [int(v) for v in items]
    return str(value)


class BlockStandIn(keras.layers.Layer):
    """One call of a residual block, recorded: (m, n_H, n_W, n_C) -> (m, ceil(n_H / s), ceil(n_W / s), filters[-1])."""

    def __init__(self, f, filters, s=None, **kwargs):
        super().__init__(**kwargs)
        self.f, self.filters, self.s = f, filters, s

    def stride(self):
        return tuple(self.s) if isinstance(self.s, list) else (1, 1)

    def channels(self, n_C):
        return self.filters[-1] if isinstance(self.filters, list) else n_C

    def call(self, X):
        sh, sw = self.stride()
        X = X[:, ::sh, ::sw, :]  # (m, ceil(n_H/s), ceil(n_W/s), n_C)
        mixing = keras.ops.convert_to_tensor(mixing_matrix(int(X.shape[-1]), self.channels(int(X.shape[-1]))))
        return keras.ops.relu(keras.ops.matmul(X, keras.ops.cast(mixing, X.dtype)))

    def compute_output_shape(self, input_shape):
        m, n_H, n_W, n_C = input_shape
        sh, sw = self.stride()
        ceil = lambda n, s: None if n is None else -(-n // s)  # noqa: E731
        return (m, ceil(n_H, sh), ceil(n_W, sw), self.channels(n_C))

    def get_config(self):
        config = {**super().get_config(), "f": self.f, "filters": self.filters}
        if self.s is not None:
            config["s"] = self.s
        return config


# Named for the blocks, so a message reads "layer 5 should be a convolutional_block(f=(3, 3), ...)".
IdentityStandIn = type("identity_block", (BlockStandIn,), {"__doc__": "Stands for one call of identity_block."})
ConvolutionalStandIn = type(
    "convolutional_block", (BlockStandIn,), {"__doc__": "Stands for one call of convolutional_block."}
)


def identity_block_stand_in(X, f, filters, initializer=None):
    """Stand-in for identity_block(X, f, filters, initializer): records f and filters."""
    return IdentityStandIn(as_pair(f), as_filters(filters))(X)


def convolutional_block_stand_in(X, f, filters, s=2, initializer=None):
    """Stand-in for convolutional_block(X, f, filters, s=2, initializer): records f, filters and s."""
    return ConvolutionalStandIn(as_pair(f), as_filters(filters), as_pair(s))(X)


STAND_INS = {"identity_block": identity_block_stand_in, "convolutional_block": convolutional_block_stand_in}


def stand_in_blocks(namespace: dict):
    """Point identity_block and convolutional_block of `namespace` at the stand-ins while the block runs."""
    return names_bound(namespace, STAND_INS)


@register("w2a1_resnets.resnet50")
def resnet50(func):
    """Wrap ResNet50: build it with stand-in blocks, then report it as the "keras_model" adapter does."""
    return with_stand_ins(func, STAND_INS)
