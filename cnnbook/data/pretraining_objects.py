"""Outdoor objects: the source task the course's MobileNetV2 base is pretrained on (27 classes, never a kite).

The course cannot ship ImageNet, so its MobileNetV2 base learns its features on a small, course-made
stand-in: photographs of 27 kinds of things, one kind an image, drawn with the outdoor kit
(outdoor_drawing.py) over skies, blurred photographs and walls, plus the course's hands and faces.
Like ImageNet for a real base, it is broader than any one target: things in the sky (balloons, birds,
planes, the sun and moon, stars, rainbows, hot-air balloons, parachutes, butterflies, an empty sky),
signs and lights, flags, trees, houses, boats, umbrellas, balls, flowers, fish, cars and people. It
never shows a kite, the class of the transfer-learning target.

The set is not cached: only training/train_mobilenet_base.py needs all of it, and it renders it in
memory (about 1 ms an image); `render_object_photo` draws one example for the book.

Used by: book/data_and_models.md
"""

import math

import numpy as np

from .drawing import apply_light_and_noise
from .outdoor_drawing import OBJECT_DRAWERS, render_outdoor_background

__all__ = ["PRETRAINING_CLASSES", "render_object_photo", "make_pretraining_objects"]

PRETRAINING_CLASSES = tuple(OBJECT_DRAWERS) + ("empty_sky", "hand", "face")
_SUPERSAMPLE = 2


def render_object_photo(rng, name: str, size: int = 96) -> np.ndarray:
    """Render one photograph of the pretraining class `name`.

    Arguments:
    rng -- NumPy Generator
    name -- one of PRETRAINING_CLASSES
    size -- side of the square image, pixels
    Returns:
    image -- (size, size, 3) uint8 RGB
    """
    if name == "hand":
        from .hand_signs import random_hand, render_hand

        return render_hand(random_hand(rng, int(rng.integers(6))), size)
    if name == "face":
        from .face_renderer import random_identity, random_photo, render_face

        person = random_identity(rng)
        return render_face(person, random_photo(rng, person, zoom=float(rng.uniform(0.6, 1.1))), size)
    if name not in PRETRAINING_CLASSES:
        raise ValueError(f"unknown pretraining class {name!r}; the classes are {PRETRAINING_CLASSES}")
    side = size * _SUPERSAMPLE
    canvas = render_outdoor_background(rng, side, photo_probability=0.25, wall_probability=0.2)
    if name != "empty_sky":
        # the drawers size things for a 160-pixel photo: 160 / size keeps an object's size in pixels close to
        # that of a kite in the transfer target, whatever the size of the pretraining images
        OBJECT_DRAWERS[name](canvas, rng, side, zoom=float(rng.uniform(0.7, 1.3)) * 160 / size)
    small = np.asarray(canvas.reduce(_SUPERSAMPLE), dtype=np.float32)  # (size, size, 3)
    return apply_light_and_noise(
        small,
        brightness=float(np.exp(rng.uniform(-0.2, 0.15))),
        light_direction=float(rng.uniform(0, 2 * math.pi)),
        light_strength=float(rng.uniform(0, 0.25)),
        tint=tuple(rng.uniform(0.93, 1.07, 3)),
        noise=float(rng.uniform(0, 5)),
        noise_seed=int(rng.integers(2**31)),
    )


def make_pretraining_objects(n_per_class: int, seed: int, size: int = 96):
    """Render a balanced, shuffled set of pretraining photographs.

    Arguments:
    n_per_class -- images of each class
    seed -- the set's seed (image i of class k is drawn from the stream [seed, k, i])
    size -- side of the images, pixels
    Returns:
    x -- (27 n_per_class, size, size, 3) uint8 RGB images
    y -- (27 n_per_class,) int64 labels, indices into PRETRAINING_CLASSES
    """
    labels = np.repeat(np.arange(len(PRETRAINING_CLASSES)), n_per_class)
    index = np.tile(np.arange(n_per_class), len(PRETRAINING_CLASSES))
    order = np.random.default_rng([seed, 999]).permutation(len(labels))
    x = np.empty((len(labels), size, size, 3), np.uint8)
    for j, i in enumerate(order):
        k = int(labels[i])
        x[j] = render_object_photo(np.random.default_rng([seed, k, int(index[i])]), PRETRAINING_CLASSES[k], size)
    return x, labels[order].astype(np.int64)
