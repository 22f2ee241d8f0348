"""The "tensors" adapter: call a TensorFlow function with tensors made from arrays, and hand back arrays.

Used by: cnnbook.assignments.w4a1_face_recognition.adapter, cnnbook.assignments.w4a2_style_transfer.adapter,
cnnbook.grading.adapters.keras_models
"""

import numpy as np

from cnnbook.grading.adapters import register

__all__ = ["to_tensors", "to_plain"]


def to_tensors(value):
    """Return `value` with every NumPy array turned into a tf.Tensor (floats as float32); other values as they are."""
    import tensorflow as tf

    if isinstance(value, np.ndarray):
        if np.issubdtype(value.dtype, np.floating):
            return tf.constant(value, dtype=tf.float32)
        return tf.constant(value)
    if isinstance(value, tuple):
        return tuple(to_tensors(v) for v in value)
    if isinstance(value, list):
        return [to_tensors(v) for v in value]
    if isinstance(value, dict):
        return {k: to_tensors(v) for k, v in value.items()}
    return value


def to_plain(value):
    """Return `value` with every tensor or variable turned into a NumPy array (0-d for a scalar tensor)."""
    if hasattr(value, "numpy") and callable(value.numpy) and not isinstance(value, np.ndarray):
        return np.asarray(value.numpy())
    if isinstance(value, tuple):
        return tuple(to_plain(v) for v in value)
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


@register("tensors")
def tensors(func):
    """Wrap `func`: arrays in become tensors, tensors out become arrays (Python numbers and bools stay as they are)."""

    def call(*args, **kwargs):
        return to_plain(func(*to_tensors(args), **to_tensors(kwargs)))

    return call
