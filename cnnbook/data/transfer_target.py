"""The transfer-learning target: photographs with a kite in the sky, or without one, in two class folders.

The class pair is chosen so that the course's pretrained base (trained on another course-made task:
hand signs, shapes, textures) has never seen it: nothing like a kite appears in any other course data
set. Backgrounds are skies (blue or dusky ramps with clouds, sometimes over a horizon of hills) or
crops of scikit-image's bundled photographs. A kite is a diamond in two to four colours with its cross
spars, a bowed tail and a string running out of the frame. "not_kite" images hold the same backgrounds
with look-alikes that share a kite's parts but not all of them: balloons on strings, birds, planes,
diamond road signs, a sun, or nothing at all.
"""
import math

import numpy as np
from PIL import Image, ImageDraw

from .cache import cached_folder
from .drawing import BACKGROUND_PHOTOS, DRAWING_VERSION, apply_light_and_noise, render_background, shade

__all__ = ["transfer_learning_folder", "render_sky_photo", "TRANSFER_CLASSES", "TRANSFER_VERSION"]

TRANSFER_VERSION = "1"
TRANSFER_CLASSES = ("kite", "not_kite")  # alphabetical: image_dataset_from_directory labels kite 0, not_kite 1
_SEED = 777
_PER_CLASS = 150
_SIZE = 160
_SUPERSAMPLE = 2
_BRIGHT = [(230, 40, 40), (250, 200, 30), (40, 110, 220), (30, 170, 80), (240, 120, 20), (150, 50, 190),
           (250, 250, 250), (20, 20, 30), (240, 90, 160)]


def _colour(rng):
    """Return a bright kite or balloon colour, randomly tinted."""
    base = np.asarray(_BRIGHT[rng.integers(len(_BRIGHT))], float)
    return tuple(int(v) for v in np.clip(base + rng.normal(0, 18, 3), 0, 255))


def _sky(rng, side):
    # A sky ramp with clouds, sometimes hills; or a blurred crop of a bundled photograph.
    if rng.random() < 0.25:
        name = BACKGROUND_PHOTOS[rng.integers(len(BACKGROUND_PHOTOS))]
        return render_background(("photo", name, (float(rng.uniform(0.35, 0.8)), float(rng.random()),
                                                  float(rng.random()))), side)
    dusk = rng.random() < 0.25
    top = (rng.uniform(20, 90), rng.uniform(60, 140), rng.uniform(150, 235))
    low = (rng.uniform(230, 255), rng.uniform(120, 190), rng.uniform(80, 160)) if dusk else \
        (rng.uniform(150, 220), rng.uniform(190, 235), rng.uniform(225, 255))
    t = np.linspace(0, 1, side, dtype=np.float32)[:, None, None]  # (side, 1, 1)
    sky = np.asarray(top, np.float32) + t * (np.asarray(low, np.float32) - np.asarray(top, np.float32))
    canvas = Image.fromarray(np.broadcast_to(sky, (side, side, 3)).astype(np.uint8))
    draw = ImageDraw.Draw(canvas)
    for _ in range(rng.integers(0, 6)):
        cx, cy, w = rng.uniform(0, side), rng.uniform(0, side * 0.7), rng.uniform(side * 0.08, side * 0.25)
        grey = int(rng.uniform(215, 255))
        for _ in range(4):
            dx, dy, r = rng.normal(0, w * 0.5), rng.normal(0, w * 0.15), w * rng.uniform(0.35, 0.6)
            draw.ellipse([cx + dx - r, cy + dy - r * 0.6, cx + dx + r, cy + dy + r * 0.6], fill=(grey,) * 3)
    if rng.random() < 0.5:
        # hills along the bottom
        x = np.linspace(0, side, 24)
        y = side * (rng.uniform(0.72, 0.9) + 0.05 * np.sin(x / side * rng.uniform(3, 9) + rng.uniform(0, 6)))
        green = tuple(int(v) for v in (rng.uniform(40, 110), rng.uniform(100, 170), rng.uniform(30, 80)))
        draw.polygon(list(zip(x, y)) + [(side, side), (0, side)], fill=green)
    return canvas


def _rotate(points, centre, angle):
    """Return points rotated by angle (radians) about centre."""
    c, s = math.cos(angle), math.sin(angle)
    cx, cy = centre
    return [(cx + c * (x - cx) - s * (y - cy), cy + s * (x - cx) + c * (y - cy)) for x, y in points]


def _draw_kite(draw, rng, side):
    """Draw a diamond kite with spars, a bowed tail and a string leaving the frame."""
    size = side * rng.uniform(0.14, 0.32)  # height of the diamond
    cx, cy = rng.uniform(side * 0.2, side * 0.8), rng.uniform(side * 0.15, side * 0.6)
    angle = rng.uniform(-0.6, 0.6)
    w, upper = size * rng.uniform(0.55, 0.75), size * rng.uniform(0.3, 0.4)
    top, right, bottom, left = (cx, cy - upper), (cx + w / 2, cy), (cx, cy + size - upper), (cx - w / 2, cy)
    top, right, bottom, left = _rotate([top, right, bottom, left], (cx, cy), angle)
    colours = [_colour(rng) for _ in range(2)]
    colours = colours + colours if rng.random() < 0.5 else [_colour(rng) for _ in range(4)]
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
    bow = _colour(rng)
    r = size * 0.06
    for x, y in list(zip(xs, ys))[2::2]:
        draw.polygon([(x - 2 * r, y - r), (x + 2 * r, y + r), (x + 2 * r, y - r), (x - 2 * r, y + r)], fill=bow)
    # string to the ground, out of the frame
    end = (cx + rng.uniform(-1, 1) * side, side * 1.2)
    draw.line([(cx, cy), end], fill=(245, 245, 245) if rng.random() < 0.5 else (50, 50, 50),
              width=max(1, spar // 2))


def _draw_look_alike(draw, rng, side):
    """Draw something that is not a kite (balloons, birds, plane, sign, sun or nothing); return its kind."""
    kind = rng.choice(["balloons", "birds", "plane", "sign", "sun", "nothing"], p=[0.25, 0.2, 0.15, 0.15, 0.1, 0.15])
    if kind == "balloons":
        x0, y0 = rng.uniform(side * 0.2, side * 0.8), side * 1.1
        for _ in range(rng.integers(1, 5)):
            r = side * rng.uniform(0.05, 0.12)
            cx, cy = x0 + rng.normal(0, side * 0.12), rng.uniform(side * 0.15, side * 0.55)
            draw.line([(cx, cy + r * 1.2), (x0, y0)], fill=(60, 60, 60), width=max(1, int(r * 0.08)))
            colour = _colour(rng)
            draw.ellipse([cx - r, cy - r * 1.2, cx + r, cy + r * 1.2], fill=colour)
            draw.ellipse([cx - r * 0.5, cy - r * 0.8, cx - r * 0.2, cy - r * 0.4], fill=shade(colour, 1.4))
    elif kind == "birds":
        for _ in range(rng.integers(2, 9)):
            cx, cy, w = rng.uniform(0, side), rng.uniform(side * 0.05, side * 0.6), side * rng.uniform(0.03, 0.08)
            draw.line([(cx - w, cy - w * 0.4), (cx, cy), (cx + w, cy - w * 0.4)], fill=(30, 30, 35),
                      width=max(2, int(w * 0.2)), joint="curve")
    elif kind == "plane":
        cx, cy = rng.uniform(side * 0.2, side * 0.8), rng.uniform(side * 0.15, side * 0.5)
        w = side * rng.uniform(0.1, 0.25)
        angle = rng.uniform(-0.4, 0.4)
        body = _rotate([(cx - w, cy - w * 0.07), (cx + w, cy - w * 0.05), (cx + w * 1.1, cy), (cx + w, cy + w * 0.05),
                        (cx - w, cy + w * 0.07)], (cx, cy), angle)
        wing = _rotate([(cx - w * 0.1, cy), (cx - w * 0.45, cy - w * 0.7), (cx - w * 0.25, cy - w * 0.7),
                        (cx + w * 0.3, cy), (cx - w * 0.25, cy + w * 0.7), (cx - w * 0.45, cy + w * 0.7)],
                       (cx, cy), angle)
        grey = (int(rng.uniform(180, 240)),) * 3
        draw.polygon(wing, fill=shade(grey, 0.85))
        draw.polygon(body, fill=grey)
    elif kind == "sign":
        # a yellow diamond road sign on a post: a diamond without tail or string
        r = side * rng.uniform(0.08, 0.16)
        cx, cy = rng.uniform(side * 0.2, side * 0.8), rng.uniform(side * 0.25, side * 0.6)
        draw.line([(cx, cy), (cx, side)], fill=(120, 120, 125), width=max(2, int(r * 0.15)))
        draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=(30, 30, 30))
        r2 = r * 0.88
        draw.polygon([(cx, cy - r2), (cx + r2, cy), (cx, cy + r2), (cx - r2, cy)], fill=(245, 200, 30))
    elif kind == "sun":
        r = side * rng.uniform(0.06, 0.13)
        cx, cy = rng.uniform(side * 0.1, side * 0.9), rng.uniform(side * 0.1, side * 0.4)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 230, 120))
    return str(kind)


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
    canvas = _sky(rng, side)
    draw = ImageDraw.Draw(canvas)
    if with_kite:
        _draw_kite(draw, rng, side)
        if rng.random() < 0.3:
            _draw_look_alike(draw, rng, side)  # a kite can share the sky with birds or balloons
    else:
        _draw_look_alike(draw, rng, side)
    small = np.asarray(canvas.reduce(_SUPERSAMPLE), dtype=np.float32)  # (size, size, 3)
    return apply_light_and_noise(small, brightness=float(np.exp(rng.uniform(-0.2, 0.15))),
                                 light_direction=float(rng.uniform(0, 2 * math.pi)),
                                 light_strength=float(rng.uniform(0, 0.25)), tint=tuple(rng.uniform(0.93, 1.07, 3)),
                                 noise=float(rng.uniform(0, 5)), noise_seed=int(rng.integers(2**31)))


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
    nothing. Lighting and noise vary. Kites appear in no other course data set, so a base pretrained on
    the course's other tasks has not seen this class pair.
    Built once in the data folder (see cache.data_dir) and checked against its SHA-256 on every call.

    Returns:
    folder -- Path with sub-folders kite/ and not_kite/, 150 RGB PNGs (160, 160, 3) each, ready for
              tf.keras.utils.image_dataset_from_directory(folder) (labels: kite 0, not_kite 1)
    """
    return cached_folder("kite_photos", f"kites-{TRANSFER_VERSION}/drawing-{DRAWING_VERSION}", _SEED, _build_folder)
