"""The transfer-learning target: photographs with a kite in the sky, or without one, in two class folders.

The course's pretrained base learned its features on another course-made task, the outdoor objects
(pretraining_objects.py), which never shows a kite. Backgrounds are skies (blue or dusky ramps with
clouds, sometimes over a horizon of hills) or crops of scikit-image's bundled photographs, drawn by the
outdoor kit (outdoor_drawing.py). A kite is a diamond in two to four colours with its cross spars, a
bowed tail and a string running out of the frame. "not_kite" images hold the same backgrounds with
look-alikes that share a kite's parts but not all of them: balloons on strings, birds, planes, diamond
road signs, a sun, or nothing at all. A kite may share its sky with such things, always in front of them.

Used by: solutions/w2a2_transfer_learning/w2a2_transfer_learning.ipynb, and 1 module of cnnbook
"""

import math

import numpy as np
from PIL import Image, ImageDraw

from .cache import cached_folder
from .drawing import DRAWING_VERSION, apply_light_and_noise
from .outdoor_drawing import (
    LOOK_ALIKES,
    OBJECT_DRAWERS,
    OUTDOOR_DRAWING_VERSION,
    bright_colour,
    render_outdoor_background,
    rotate_points,
)

__all__ = ["transfer_learning_folder", "render_sky_photo", "TRANSFER_CLASSES", "TRANSFER_VERSION"]

TRANSFER_VERSION = "2"
TRANSFER_CLASSES = ("kite", "not_kite")  # alphabetical: image_dataset_from_directory labels kite 0, not_kite 1
_SEED = 777
_PER_CLASS = 150
_SIZE = 160
_SUPERSAMPLE = 2


def _choose_look_alike(rng):
    """Return the name of a look-alike drawn from LOOK_ALIKES ("nothing" for an empty sky)."""
    names = list(LOOK_ALIKES)
    return names[rng.choice(len(names), p=np.asarray(list(LOOK_ALIKES.values())))]


def _draw_kite(draw, rng, side):
    """Draw a diamond kite with spars, a bowed tail and a string leaving the frame."""
    size = side * rng.uniform(0.14, 0.32)  # height of the diamond
    cx, cy = rng.uniform(side * 0.2, side * 0.8), rng.uniform(side * 0.15, side * 0.6)
    angle = rng.uniform(-0.6, 0.6)
    w, upper = size * rng.uniform(0.55, 0.75), size * rng.uniform(0.3, 0.4)
    top, right, bottom, left = (cx, cy - upper), (cx + w / 2, cy), (cx, cy + size - upper), (cx - w / 2, cy)
    top, right, bottom, left = rotate_points([top, right, bottom, left], (cx, cy), angle)
    colours = [bright_colour(rng) for _ in range(2)]
    colours = colours + colours if rng.random() < 0.5 else [bright_colour(rng) for _ in range(4)]
    for k, (a, b) in enumerate([(top, right), (right, bottom), (bottom, left), (left, top)]):
        draw.polygon([(cx, cy), a, b], fill=colours[k])
    spar = max(1, int(size * 0.04))
    draw.line([top, bottom], fill=(60, 40, 30), width=spar)
    draw.line([left, right], fill=(60, 40, 30), width=spar)
    # tail: a wavy line with bows, hanging from the bottom corner
    n = 10
    length = size * rng.uniform(1.0, 1.8)
    drift = rng.uniform(-0.5, 0.5)
    ts = np.linspace(0, 1, n)
    xs = bottom[0] + length * (drift * ts + 0.08 * np.sin(ts * 9 + rng.uniform(0, 6)))
    ys = bottom[1] + length * ts
    draw.line(list(zip(xs, ys)), fill=(40, 40, 40), width=max(1, spar // 2), joint="curve")
    bow = bright_colour(rng)
    r = size * 0.06
    for x, y in list(zip(xs, ys))[2::2]:
        draw.polygon([(x - 2 * r, y - r), (x + 2 * r, y + r), (x + 2 * r, y - r), (x - 2 * r, y + r)], fill=bow)
    # string to the ground, out of the frame
    end = (cx + rng.uniform(-1, 1) * side, side * 1.2)
    draw.line([(cx, cy), end], fill=(245, 245, 245) if rng.random() < 0.5 else (50, 50, 50), width=max(1, spar // 2))


def _draw_look_alike(canvas, rng, side):
    """Draw something that is not a kite (balloons, birds, plane, sign, sun or nothing); return its kind."""
    kind = _choose_look_alike(rng)
    if kind != "nothing":
        OBJECT_DRAWERS[kind](canvas, rng, side)
    return kind


def render_sky_photo(rng, with_kite: bool, size: int = _SIZE) -> np.ndarray:
    """Render one photo of the kite task: a sky or photograph background, with a kite or with a look-alike.

    Arguments:
    rng -- NumPy Generator
    with_kite -- True to draw a kite, False to draw balloons, birds, a plane, a diamond sign, a sun or nothing
    size -- side of the square image, pixels
    Returns:
    image -- (size, size, 3) uint8 RGB
    """
    side = size * _SUPERSAMPLE
    canvas = render_outdoor_background(rng, side, photo_probability=0.25)
    if with_kite:
        if rng.random() < 0.3:
            _draw_look_alike(canvas, rng, side)  # a kite can share the sky with birds or balloons, in front of them
        _draw_kite(ImageDraw.Draw(canvas), rng, side)
    else:
        _draw_look_alike(canvas, rng, side)
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


def _build_folder(folder):
    """Write the PNGs of both classes into class sub-folders of `folder`."""
    for label, name in enumerate(TRANSFER_CLASSES):
        (folder / name).mkdir()
        for i in range(_PER_CLASS):
            image = render_sky_photo(np.random.default_rng([_SEED, label, i]), with_kite=(name == "kite"))
            # the noise leaves zlib little to gain: the fastest level makes files nearly as small
            Image.fromarray(image).save(folder / name / f"{name}_{i:03d}.png", compress_level=1)


def transfer_learning_folder():
    """Return the folder of the transfer-learning task: 160 x 160 photos with a kite ("kite") or without ("not_kite").

    Made procedurally (seed 777): skies (blue or dusky ramps, clouds, sometimes hills) or blurred crops of
    scikit-image's bundled photographs; a "kite" image holds a diamond kite (2 to 4 colours, spars, a tail
    with bows, a string out of the frame, any size, place and tilt), sometimes with birds or balloons; a
    "not_kite" image holds balloons on strings, birds, a plane, a yellow diamond road sign, the sun or
    nothing; a kite flies in front of any look-alike that shares its sky. Lighting and noise vary. Kites
    appear in no other course data set, so the course's pretrained base has never seen one.
    Built once in the data folder (see cache.data_dir) and checked against its SHA-256 on every call.

    Returns:
    folder -- Path with sub-folders kite/ and not_kite/, 150 RGB PNGs (160, 160, 3) each, ready for
              tf.keras.utils.image_dataset_from_directory(folder) (labels: kite 0, not_kite 1)
    """
    return cached_folder(
        "kite_photos",
        f"kites-{TRANSFER_VERSION}/outdoor-{OUTDOOR_DRAWING_VERSION}/drawing-{DRAWING_VERSION}",
        _SEED,
        _build_folder,
    )
