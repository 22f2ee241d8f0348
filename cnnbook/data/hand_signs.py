"""Hand signs: photographs of a hand showing 0 to 5 raised fingers, for six-class classification.

A hand is a palm, a wrist (often in a sleeve), four fingers and a thumb, each finger a round-capped
stroke with a darker outline. A raised finger is long; a folded one is a short knuckle above the palm;
a folded thumb lies across the palm. Which fingers are raised varies (two can be index and middle, or
thumb and index), and so do the hand's side (left or right), rotation, size, position, finger length
and spread, skin tone, sleeve, background, lighting and noise. The label is the number of raised
fingers, so a classifier has to find and count fingers wherever the hand is.

Used by: solutions/w2a1_resnets/w2a1_resnets.ipynb, and 2 modules of cnnbook, the grader
"""

import math

import numpy as np
from PIL import ImageDraw

from .cache import cached_arrays
from .drawing import DRAWING_VERSION, Pen, apply_light_and_noise, render_background, sample_background, shade
from .face_renderer import FACE_RENDERER_VERSION, sample_skin_tone

__all__ = ["load_hand_signs", "render_hand", "random_hand", "HAND_SIGNS_VERSION", "HAND_SIGN_CLASSES"]

HAND_SIGNS_VERSION = "3"
HAND_SIGN_CLASSES = ("zero", "one", "two", "three", "four", "five")
_SEED = 2024
_N_TRAIN, _N_TEST = 1080, 120

# Fingers: 0 thumb, 1 index, 2 middle, 3 ring, 4 little. For each count, the ways it is shown and how often.
_FINGER_SETS = {
    0: [((), 1.0)],
    1: [((1,), 0.9), ((0,), 0.05), ((4,), 0.05)],
    2: [((1, 2), 0.85), ((0, 1), 0.15)],
    3: [((1, 2, 3), 0.85), ((0, 1, 2), 0.15)],
    4: [((1, 2, 3, 4), 1.0)],
    5: [((0, 1, 2, 3, 4), 1.0)],
}
_LENGTHS = np.array([0.92, 1.0, 0.94, 0.74])  # index, middle, ring, little relative to the middle finger
_WIDTHS = np.array([1.0, 1.02, 0.96, 0.82])


def random_hand(rng, count: int) -> dict:
    """Return random parameters of a hand raising `count` fingers (0..5), drawn with the NumPy Generator `rng`."""
    sets, weights = zip(*_FINGER_SETS[count])
    raised = sets[rng.choice(len(sets), p=np.asarray(weights) / sum(weights))]
    skin = sample_skin_tone(rng)
    return {
        "raised": tuple(raised),
        "skin": skin,
        "side": int(rng.choice([-1, 1])),  # which side the thumb is on
        "palm": (rng.uniform(16.0, 19.0), rng.uniform(14.0, 17.0)),  # half-width, half-height
        "finger_length": rng.uniform(29.0, 35.0),  # middle finger, units
        "finger_width": rng.uniform(6.8, 8.0),
        "spread": rng.uniform(10.0, 18.0),  # degrees between neighbouring fingers
        "finger_jitter": tuple(rng.normal(0, 1.0, 4)),
        "thumb_angle": rng.uniform(40, 70),
        "sleeve": (tuple(int(v) for v in rng.integers(15, 240, 3)) if rng.random() < 0.7 else None),
        "sleeve_start": rng.uniform(26, 40),
        "angle": rng.uniform(-15, 15),
        "scale": float(np.exp(rng.uniform(-0.08, 0.08))),
        "shift": (rng.uniform(-5, 5), rng.uniform(-3, 4)),
        "background": sample_background(rng, photo_probability=0.1, muted=True, avoid=float(np.mean(skin))),
        "brightness": float(np.exp(rng.uniform(-0.25, 0.15))),
        "light_direction": rng.uniform(0, 2 * math.pi),
        "light_strength": rng.uniform(0, 0.3),
        "tint": tuple(rng.uniform(0.92, 1.08, 3)),
        "noise": rng.uniform(0, 6),
        "noise_seed": int(rng.integers(2**31)),
    }


def _finger(pen, base, angle_deg, length, width, skin, outline):
    # A finger as a round-capped stroke from `base` along angle_deg (0 points up), with an outline.
    a = math.radians(angle_deg)
    tip = (base[0] + length * math.sin(a), base[1] - length * math.cos(a))
    pen.line([base, tip], outline, width + 2.2)
    pen.line([base, tip], skin, width)
    return tip


def _draw_hand(canvas, hand, k):
    """Draw sleeve, forearm, palm, fingers and thumb onto the canvas (k pixels per unit)."""
    skin = hand["skin"]
    outline, crease = shade(skin, 0.42), shade(skin, 0.78)
    pen = Pen(ImageDraw.Draw(canvas), k, hand["angle"], hand["scale"], hand["shift"], pivot=(50.0, 60.0))
    cx, cy = 50.0, 64.0
    pw, ph = hand["palm"]
    side = hand["side"]
    # wrist and forearm to the bottom edge, then the sleeve
    pen.polygon(
        [(cx - pw * 0.78, cy), (cx + pw * 0.78, cy), (cx + pw * 0.9, cy + 60), (cx - pw * 0.9, cy + 60)],
        shade(skin, 0.93),
    )
    if hand["sleeve"] is not None:
        top = cy + hand["sleeve_start"]
        pen.polygon(
            [(cx - pw * 1.05, top), (cx + pw * 1.05, top + 2), (cx + pw * 1.15, cy + 60), (cx - pw * 1.15, cy + 60)],
            hand["sleeve"],
        )
    # palm: a rounded box with an outline and two creases
    t = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    for grow, colour in ((0.7, outline), (0.0, skin)):
        x = np.sign(c) * np.abs(c) ** 0.6 * (pw + grow)
        y = np.sign(s) * np.abs(s) ** 0.6 * (ph + grow)
        pen.polygon(list(zip(cx + x, cy + y)), colour)
    pen.line([(cx - pw * 0.7, cy - ph * 0.25), (cx, cy - ph * 0.05), (cx + pw * 0.6, cy - ph * 0.3)], crease, 0.6)
    pen.line(
        [(cx - side * pw * 0.2, cy + ph * 0.75), (cx - side * pw * 0.05, cy), (cx - side * pw * 0.3, cy - ph * 0.45)],
        crease,
        0.6,
    )
    raised = set(hand["raised"])
    length, width = hand["finger_length"], hand["finger_width"]
    # the four fingers from the thumb side outwards: index, middle, ring, little
    for i in range(4):
        finger = i + 1
        slot = (1.5 - i) * side  # index next to the thumb
        base = (cx + slot * pw * 0.5 * 0.98, cy - ph * 0.72 + abs(slot) ** 2 * 0.9)
        angle = slot * hand["spread"] + hand["finger_jitter"][i]
        w = width * _WIDTHS[i]
        if finger in raised:
            _finger(pen, base, angle, length * _LENGTHS[i], w, skin, outline)
        else:
            # a folded finger: a knuckle just above the palm and its crease
            tip = _finger(pen, base, angle * 0.3, w * 0.55, w, shade(skin, 0.97), outline)
            pen.line([(tip[0] - w * 0.3, tip[1] + w * 0.15), (tip[0] + w * 0.3, tip[1] + w * 0.15)], crease, 0.7)
    # thumb
    base = (cx + side * pw * 0.82, cy + ph * 0.3)
    if 0 in raised:
        a = math.radians(side * hand["thumb_angle"])
        joint = (base[0] + length * 0.3 * math.sin(a), base[1] - length * 0.3 * math.cos(a))
        bend = a - side * math.radians(18)
        tip = (joint[0] + length * 0.32 * math.sin(bend), joint[1] - length * 0.32 * math.cos(bend))
        pen.line([base, joint, tip], outline, width * 1.15 + 1.8)
        pen.line([base, joint, tip], skin, width * 1.15)
    else:
        tip = (cx - side * pw * 0.25, cy - ph * 0.05)
        pen.line([base, tip], outline, width * 1.15 + 1.8)
        pen.line([base, tip], shade(skin, 1.04), width * 1.15)


def render_hand(hand: dict, size: int = 64) -> np.ndarray:
    """Render the hand described by `hand` (from random_hand) as a (size, size, 3) uint8 RGB photograph."""
    supersample = max(2, math.ceil(192 / size))
    side = size * supersample
    canvas = render_background(hand["background"], side)
    _draw_hand(canvas, hand, side / 100.0)
    small = np.asarray(canvas.reduce(supersample), dtype=np.float32)  # (size, size, 3)
    return apply_light_and_noise(
        small,
        hand["brightness"],
        hand["light_direction"],
        hand["light_strength"],
        hand["tint"],
        hand["noise"],
        hand["noise_seed"],
    )


def _steady_hand(rng, hand):
    # The data set's hands: the same people, skins, sleeves and walls as random_hand, but held steadier
    # (less rotation and shift), a little larger, with wider and more spread fingers. convolutional_model
    # max-pools 8x8 then 4x4, so it sees only which parts of a 2 x 2 grid hold finger-like features; it can
    # count fingers only if raised fingers land in roughly the same places from one photo to the next.
    # (The MobileNetV2 source task keeps random_hand's wider ranges.)
    return dict(
        hand,
        angle=hand["angle"] * 0.4,
        shift=(hand["shift"][0] * 0.4, hand["shift"][1] * 0.4),
        scale=hand["scale"] * 1.08,
        finger_width=hand["finger_width"] * 1.2,
        spread=rng.uniform(15.0, 20.0),
        background=sample_background(rng, photo_probability=0.05, muted=True, avoid=float(np.mean(hand["skin"]))),
    )


def _build_hand_signs():
    # Balanced classes in a shuffled order; every image has its own seeded random stream.
    arrays = {}
    for split, n, stream in (("train", _N_TRAIN, 1), ("test", _N_TEST, 2)):
        labels = np.tile(np.arange(6), n // 6)
        np.random.default_rng([_SEED, stream]).shuffle(labels)
        images = np.empty((n, 64, 64, 3), np.uint8)
        for i, count in enumerate(labels):
            rng = np.random.default_rng([_SEED, stream, i])
            images[i] = render_hand(_steady_hand(rng, random_hand(rng, int(count))), 64)
        arrays[f"x_{split}"], arrays[f"y_{split}"] = images, labels.astype(np.int64)
    return arrays


def load_hand_signs():
    """Load the hand-signs data set: hands showing 0 to 5 raised fingers (six balanced classes).

    Made procedurally (seed 2024) by `render_hand`: a palm, wrist and sleeve, fingers drawn as outlined
    strokes, raised ones long and folded ones as knuckles, over a plain, ramped or blurred-photograph
    background, with random rotation (+-6 degrees), left or right hand, size, position, finger length
    and spread, skin tone, lighting and noise (held steadier than random_hand's hands; see _steady_hand).
    Several finger sets give one count (two is index and middle, thumb and index, or index and little
    finger). Cached in the data folder (see cache.data_dir).

    Returns:
    x_train -- (1080, 64, 64, 3) uint8 RGB images, 180 per class
    y_train -- (1080,) int64 labels in 0..5, the number of raised fingers
    x_test -- (120, 64, 64, 3) uint8 RGB images, 20 per class
    y_test -- (120,) int64 labels in 0..5
    """
    version = f"hands-{HAND_SIGNS_VERSION}/face-{FACE_RENDERER_VERSION}/drawing-{DRAWING_VERSION}"
    arrays = cached_arrays("hand_signs", version, _SEED, _build_hand_signs)
    return arrays["x_train"], arrays["y_train"], arrays["x_test"], arrays["y_test"]
