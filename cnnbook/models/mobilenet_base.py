"""The MobileNetV2 base (without its classifier) that the transfer-learning assignment freezes and fine-tunes.

Two sets of weights can fill it:
- Keras's ImageNet weights (alpha 1.0), when they are already in Keras's cache
  ($KERAS_HOME/models, by default ~/.keras/models); they are never downloaded here.
- The course's own base (alpha COURSE_ALPHA), shipped in cnnbook/models/weights/ and trained by
  training/train_mobilenet_base.py on a course-made source task of 27 classes, the outdoor objects
  (cnnbook.data.pretraining_objects: things in the sky and on the ground, hands and faces), at 96 x 96
  pixels, its batch-normalisation statistics then re-estimated at 160 x 160. It has never seen a kite,
  the target of the assignment, nor anything of its folder; training/transfer_check.py measures how well
  it transfers there (mobilenet_base.metrics.json).
Both expect the inputs of keras.applications.mobilenet_v2.preprocess_input (pixels scaled to -1..1).

Used by: book/data_and_models.md, book/week2/09_transfer_learning.md,
solutions/w2a2_transfer_learning/w2a2_transfer_learning.ipynb, the grader
"""

import json

from . import weight_files

__all__ = [
    "COURSE_ALPHA",
    "WEIGHTS_FILE",
    "METRICS_FILE",
    "IMAGENET_FILE",
    "SOURCES",
    "build_mobilenet_base",
    "load_mobilenet_base",
    "mobilenet_base_metrics",
]

COURSE_ALPHA = 0.35
WEIGHTS_FILE = "mobilenet_base.weights.h5"
METRICS_FILE = "mobilenet_base.metrics.json"
IMAGENET_FILE = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_160_no_top.h5"
SOURCES = ("auto", "course", "imagenet")


def build_mobilenet_base(input_shape=(160, 160, 3), alpha=COURSE_ALPHA):
    """Return an untrained MobileNetV2 without its top: images (m, n_H, n_W, 3) in -1..1 -> (m, n_H/32, n_W/32, n_C).

    Arguments:
    input_shape -- (n_H, n_W, 3) of the images
    alpha -- width multiplier (n_C = 1280 whatever alpha is, for alpha <= 1)
    """
    import keras

    return keras.applications.MobileNetV2(input_shape=tuple(input_shape), alpha=alpha, include_top=False, weights=None)


def load_mobilenet_base(input_shape=(160, 160, 3), source="auto"):
    """Return a pretrained MobileNetV2 base without top, offline.

    Arguments:
    input_shape -- (n_H, n_W, 3) of the images
    source -- "auto": Keras's ImageNet weights if they are in Keras's cache, else the course's base;
              "imagenet": the cached ImageNet weights (an error if they are absent); "course": the course's base
    Returns:
    base -- keras.Model (m, n_H, n_W, 3) -> (m, ceil(n_H/32), ceil(n_W/32), 1280); alpha 1.0 for ImageNet,
            COURSE_ALPHA for the course's base; its attribute `weights_source` says which was loaded
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    imagenet = weight_files.keras_cache_file(IMAGENET_FILE)
    if source == "imagenet" and imagenet is None:
        raise FileNotFoundError(
            f"Keras's ImageNet weights {IMAGENET_FILE} are not in Keras's cache "
            f"($KERAS_HOME/models, by default ~/.keras/models) and are never downloaded here: "
            f"copy the file there, or use source='course' (or 'auto') for the course's base."
        )
    if source == "imagenet" or (source == "auto" and imagenet is not None):
        base = build_mobilenet_base(input_shape, alpha=1.0)
        base.load_weights(str(imagenet))
        base.weights_source = "imagenet"
    else:
        base = build_mobilenet_base(input_shape, alpha=COURSE_ALPHA)
        base.load_weights(weight_files.weight_path(WEIGHTS_FILE))
        base.weights_source = "course"
    return base


def mobilenet_base_metrics() -> dict:
    """Return what training measured of the course's base: its source task ("source_task") and, in "transfer", the
    kite recipe of training/transfer_check.py over several seeds (per run: frozen, fine_tuned and scratch, each
    with its validation accuracy after every epoch and its accuracy on held-out photos)."""
    return json.loads(weight_files.weight_path(METRICS_FILE).read_text())
