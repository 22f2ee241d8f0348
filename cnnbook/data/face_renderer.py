"""The course's one face renderer: cartoon faces with stable identities and per-photo pose, light and expression.

An identity (`FaceIdentity`) fixes what stays the same across photographs of one person: head shape,
skin tone, ears, eyes (shape, colour, spacing, slant), eyebrows, nose, mouth, hair style and colour,
facial hair and a habit of wearing glasses. A photo (`FacePhoto`) fixes what changes from one shot to
the next: rotation, shift, scale, a slight head turn, the expression (smile, open mouth, raised brows),
glasses or sunglasses, a hat, the background, the lighting and the sensor noise. `render_face` is a
pure function of (identity, photo, size). Shapes are drawn with PIL at a supersampled resolution and
reduced (anti-aliasing); lighting and noise are applied with vectorised NumPy.

Drawing coordinates are "units": the output image spans 100 x 100 units, the head centre sits near
(50, 50) before the pose is applied.

Used by: cnnbook.data.faces, cnnbook.data.hand_signs, cnnbook.data.outdoor_drawing,
cnnbook.data.pretraining_objects, cnnbook.data.smiles
"""

import math
from dataclasses import dataclass

import numpy as np
from PIL import ImageDraw, ImageFilter

from .drawing import Pen, apply_light_and_noise, ellipse_points, render_background, sample_background, shade

__all__ = [
    "FaceIdentity",
    "FacePhoto",
    "random_identity",
    "random_photo",
    "render_face",
    "sample_skin_tone",
    "FACE_RENDERER_VERSION",
    "HAIR_STYLES",
]

# Bump when the drawing changes: every cached data set made from faces is then rebuilt.
FACE_RENDERER_VERSION = "4"

HAIR_STYLES = ("bald", "short", "side_part", "bob", "long", "curly", "bun", "spiky")

# Skin tones from very light to very dark; a tone is interpolated between neighbours.
_SKIN_ANCHORS = np.array(
    [(255, 226, 200), (241, 198, 164), (226, 174, 128), (200, 138, 92), (164, 106, 66), (124, 76, 46), (88, 54, 34)],
    dtype=float,
)
_HAIR_COLOURS = [
    (24, 20, 18),
    (52, 36, 24),
    (92, 60, 34),
    (128, 72, 36),
    (176, 96, 44),
    (214, 180, 112),
    (236, 214, 150),
    (150, 148, 146),
    (222, 220, 214),
    (60, 70, 150),
    (170, 60, 120),
]
_HAIR_WEIGHTS = np.array([18, 16, 14, 7, 5, 7, 4, 6, 3, 1, 1], dtype=float)
_EYE_COLOURS = [(70, 42, 22), (40, 26, 16), (110, 80, 40), (70, 110, 60), (60, 110, 170), (110, 125, 135)]


@dataclass(frozen=True)
class FaceIdentity:
    """What stays the same in every photograph of one (invented) person."""

    skin: tuple  # RGB of the skin
    head_width: float  # half-width of the head, units
    head_height: float  # half-height of the head, units
    squareness: float  # superellipse exponent of the head outline: 2 oval, 3.5 square
    jaw_taper: float  # how much the lower head narrows toward the chin, 0..0.35
    ear_size: float
    eye_spacing: float  # centre-to-centre distance of the eyes, units
    eye_height: float  # vertical offset of the eyes from the head centre, units (negative is up)
    eye_width: float
    eye_openness: float  # sclera height / width
    eye_slant: float  # degrees, positive lifts the outer corners
    iris: tuple  # RGB
    brow_thickness: float
    brow_tilt: float  # units the outer end sits higher than the inner end
    brow_gap: float  # units between eye centre and brow
    nose_style: int  # 0 line, 1 nostrils, 2 shaded triangle
    nose_length: float
    nose_width: float
    mouth_width: float
    mouth_drop: float  # mouth centre below the head centre, units
    lip_colour: tuple
    hair_style: str
    hair_colour: tuple
    hairline: float  # forehead height as a fraction of head height, 0.35..0.7
    hair_slope: float  # hairline tilt, units (side parting)
    facial_hair: int  # 0 none, 1 moustache, 2 beard, 3 both
    glasses_habit: float  # probability of wearing glasses in a photo
    glasses_colour: tuple
    glasses_round: bool
    shirt: tuple  # RGB of the clothes


@dataclass(frozen=True)
class FacePhoto:
    """What changes from one photograph to the next."""

    angle: float = 0.0  # in-plane rotation, degrees
    shift: tuple = (0.0, 0.0)  # (dx, dy) units
    scale: float = 1.0
    turn: float = 0.0  # features shifted sideways to suggest a head turn, units
    smile: float = 0.0  # -1 frown .. 0 neutral .. 1 broad smile
    mouth_open: float = 0.0  # 0 closed .. 1 wide open
    brow_raise: float = 0.0  # units the brows move up
    glasses: int = 0  # 0 none, 1 glasses, 2 sunglasses
    hat: int = 0  # 0 none, 1 beanie, 2 cap
    hat_colour: tuple = (200, 40, 40)
    background: tuple = ("solid", (200, 200, 200))
    brightness: float = 1.0
    light_direction: float = 0.0  # radians
    light_strength: float = 0.0  # 0 flat .. 0.4 strong side light
    tint: tuple = (1.0, 1.0, 1.0)
    blur: float = 0.0  # Gaussian blur radius in output pixels
    noise: float = 0.0  # standard deviation of the sensor noise, 0..255 scale
    noise_seed: int = 0


def sample_skin_tone(rng) -> tuple:
    """Return an RGB skin tone drawn evenly from very light to very dark, with a little hue jitter."""
    position = rng.uniform(0, len(_SKIN_ANCHORS) - 1)
    low = int(position)
    high = min(low + 1, len(_SKIN_ANCHORS) - 1)
    tone = _SKIN_ANCHORS[low] + (position - low) * (_SKIN_ANCHORS[high] - _SKIN_ANCHORS[low])
    tone = tone * rng.uniform(0.94, 1.06, size=3)
    return tuple(int(v) for v in np.clip(tone, 0, 255))


def _jitter(rng, colour, amount=14):
    """Return an RGB colour randomly moved by about `amount` per channel."""
    return tuple(int(v) for v in np.clip(np.asarray(colour) + rng.normal(0, amount, 3), 0, 255))


def random_identity(rng) -> FaceIdentity:
    """Return a random FaceIdentity drawn with the NumPy Generator `rng`."""
    skin = sample_skin_tone(rng)
    hair_colour = _HAIR_COLOURS[rng.choice(len(_HAIR_COLOURS), p=_HAIR_WEIGHTS / _HAIR_WEIGHTS.sum())]
    lip = np.asarray(skin, dtype=float) * np.array([0.62, 0.36, 0.38]) + np.array([40, 4, 10])
    glasses_habit = 0.75 if rng.random() < 0.25 else 0.06
    return FaceIdentity(
        skin=skin,
        head_width=rng.uniform(21.5, 27.5),
        head_height=rng.uniform(28.0, 34.0),
        squareness=rng.uniform(2.0, 3.6),
        jaw_taper=rng.uniform(0.0, 0.35),
        ear_size=rng.uniform(0.8, 1.25),
        eye_spacing=rng.uniform(16.5, 23.0),
        eye_height=rng.uniform(-6.0, -1.0),
        eye_width=rng.uniform(6.5, 9.5),
        eye_openness=rng.uniform(0.42, 0.75),
        eye_slant=rng.uniform(-9, 9),
        iris=_jitter(rng, _EYE_COLOURS[rng.integers(len(_EYE_COLOURS))], 10),
        brow_thickness=rng.uniform(1.1, 3.0),
        brow_tilt=rng.uniform(-2.0, 2.5),
        brow_gap=rng.uniform(4.5, 7.5),
        nose_style=int(rng.integers(3)),
        nose_length=rng.uniform(7.0, 13.0),
        nose_width=rng.uniform(4.5, 9.0),
        mouth_width=rng.uniform(14.0, 19.0),
        mouth_drop=rng.uniform(15.0, 20.0),
        lip_colour=tuple(int(v) for v in np.clip(lip * rng.uniform(0.9, 1.1), 0, 255)),
        hair_style=HAIR_STYLES[rng.integers(len(HAIR_STYLES))],
        hair_colour=_jitter(rng, hair_colour, 10),
        hairline=rng.uniform(0.38, 0.68),
        hair_slope=rng.uniform(-5, 5),
        facial_hair=int(rng.choice(4, p=[0.72, 0.12, 0.08, 0.08])),
        glasses_habit=glasses_habit,
        glasses_colour=_jitter(rng, [(20, 20, 20), (120, 60, 30), (180, 180, 190), (150, 30, 40)][rng.integers(4)]),
        glasses_round=bool(rng.random() < 0.5),
        shirt=tuple(int(v) for v in rng.integers(20, 236, 3)),
    )


def random_photo(
    rng,
    identity: FaceIdentity,
    smile=None,
    hat_probability=0.12,
    sunglasses_probability=0.03,
    variation=1.0,
    zoom=1.0,
    muted_background=False,
) -> FacePhoto:
    """Return random photo conditions for `identity`: pose, expression, accessories, background, light, noise.

    Arguments:
    rng -- NumPy Generator
    identity -- the FaceIdentity photographed (its glasses habit decides the glasses)
    smile -- None for any expression; True for a clear smile; False for a neutral, sad, surprised or talking face
    hat_probability, sunglasses_probability -- chances of those accessories
    variation -- scales the pose and lighting ranges (1 is the default spread)
    zoom -- multiplies the face's size in the frame
    muted_background -- greyish walls and few photographs behind the face, rather than any colour
    Returns:
    photo -- FacePhoto
    """
    if smile is None:
        smile = bool(rng.random() < 0.5)
    if smile:
        # a closed-lip smile or a grin that shows teeth
        smile_amount = rng.uniform(0.7, 1.0)
        mouth_open = rng.uniform(0.45, 0.95) if rng.random() < 0.45 else 0.0
    else:
        mood = rng.integers(4)  # neutral, sad, surprised, talking
        smile_amount = (
            rng.uniform(-0.12, 0.08),
            rng.uniform(-0.8, -0.35),
            rng.uniform(-0.1, 0.05),
            rng.uniform(-0.15, 0.05),
        )[mood]
        mouth_open = (0.0, 0.0, rng.uniform(0.55, 0.9), rng.uniform(0.2, 0.4))[mood]
    glasses = 1 if rng.random() < identity.glasses_habit else 0
    if rng.random() < sunglasses_probability:
        glasses = 2
    hat = int(rng.integers(1, 3)) if rng.random() < hat_probability else 0
    v = variation
    return FacePhoto(
        angle=float(rng.uniform(-12, 12) * v),
        shift=(float(rng.uniform(-6, 6) * v), float(rng.uniform(-5, 5) * v)),
        scale=float(zoom * np.exp(rng.uniform(-0.14, 0.1) * v)),
        turn=float(rng.uniform(-3, 3) * v),
        smile=float(smile_amount),
        mouth_open=float(mouth_open),
        brow_raise=float(rng.uniform(1.5, 3.0) if (not smile and mouth_open > 0.5) else rng.uniform(-0.5, 1.0)),
        glasses=glasses,
        hat=hat,
        hat_colour=tuple(int(c) for c in rng.integers(20, 240, 3)),
        background=(
            sample_background(rng, photo_probability=0.1, muted=True) if muted_background else sample_background(rng)
        ),
        brightness=float(np.exp(rng.uniform(-0.25, 0.15) * v)),
        light_direction=float(rng.uniform(0, 2 * math.pi)),
        light_strength=float(rng.uniform(0, 0.35) * v),
        tint=tuple(float(t) for t in rng.uniform(0.9, 1.1, 3)),
        blur=float(rng.uniform(0.3, 0.9)) if rng.random() < 0.15 else 0.0,
        noise=float(rng.uniform(0, 7) * v),
        noise_seed=int(rng.integers(2**31)),
    )


def _head_outline(ident, cx, cy, grow=0.0, n=64):
    # Superellipse whose lower half narrows toward the chin; `grow` inflates it (hair, hats).
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    e = 2.0 / ident.squareness
    x = np.sign(c) * np.abs(c) ** e * (ident.head_width + grow)
    y = np.sign(s) * np.abs(s) ** e * (ident.head_height + grow)
    lower = np.clip(y / ident.head_height, 0, 1)
    x = x * (1 - ident.jaw_taper * lower**2)
    return np.stack([cx + x, cy + y], axis=1)


def _draw_back_hair(pen, ident, cx, cy):
    """Draw the hair behind the head: long, bob, curly or bun shapes and the crown."""
    hair, a, b = ident.hair_colour, ident.head_width, ident.head_height
    style = ident.hair_style
    if style == "long":
        pen.polygon(
            [(cx - a - 5, cy - 4), (cx - a - 7, cy + b + 16), (cx + a + 7, cy + b + 16), (cx + a + 5, cy - 4)], hair
        )
        pen.ellipse(cx, cy - 4, a + 5, b + 4, hair)
    elif style == "bob":
        pen.polygon(
            [(cx - a - 4, cy - 4), (cx - a - 4, cy + b * 0.55), (cx + a + 4, cy + b * 0.55), (cx + a + 4, cy - 4)], hair
        )
        pen.ellipse(cx, cy - 4, a + 4, b + 3, hair)
    elif style == "curly":
        for dx, dy, r in (
            (0, -b * 0.45, a + 6),
            (-a * 0.75, -b * 0.05, a * 0.6),
            (a * 0.75, -b * 0.05, a * 0.6),
            (-a * 0.55, -b * 0.6, a * 0.6),
            (a * 0.55, -b * 0.6, a * 0.6),
        ):
            pen.ellipse(cx + dx, cy + dy, r, r * 0.95, hair)
    elif style == "bun":
        pen.ellipse(cx, cy - b - 5, 9, 8, hair)
    if style not in ("bald",):
        # the hair on top of the head, seen around the forehead
        outline = _head_outline(ident, cx, cy - 1.5, grow=2.5)
        top = outline[outline[:, 1] < cy - ident.head_height * 0.05]
        pen.polygon([tuple(p) for p in top], hair)


def _draw_front_hair(pen, ident, cx, cy):
    """Draw the hair over the forehead: the fringe along the hairline, spikes, side locks."""
    style, hair = ident.hair_style, ident.hair_colour
    a, b = ident.head_width, ident.head_height
    if style == "bald":
        # short hair above the ears only
        for side in (-1, 1):
            pen.ellipse(cx + side * a * 0.93, cy - 3, 2.6, 7, hair)
        return
    line_y = cy - b + 2 * b * (1 - ident.hairline) * 0.5 + 2
    outline = _head_outline(ident, cx, cy, grow=0.6)
    top = outline[outline[:, 1] < line_y + 1]
    top = top[np.argsort(np.arctan2(top[:, 1] - cy, top[:, 0] - cx))]  # left side to right side over the top
    left, right = top[0], top[-1]
    n = 9
    xs = np.linspace(right[0], left[0], n)
    slope = ident.hair_slope
    ys = line_y + slope * (xs - cx) / a
    if style == "curly":
        ys = ys + 2.2 * np.sin(np.linspace(0, 4 * np.pi, n)) ** 2
    if style == "spiky":
        ys = ys + np.where(np.arange(n) % 2 == 0, 0.0, -3.0)
    fringe = [tuple(p) for p in top] + list(zip(xs, ys))
    pen.polygon(fringe, hair)
    if style == "spiky":
        for i in range(7):
            x = cx - a * 0.8 + i * a * 1.6 / 6
            y_top = cy - b - 1 + abs(x - cx) * 0.25
            pen.polygon([(x - 4, y_top + 4), (x + 0.5, y_top - 6), (x + 4, y_top + 4)], hair)
    if style in ("long", "bob", "side_part"):
        # side locks over the temples
        for side in (-1, 1):
            pen.polygon(
                [
                    (cx + side * a * 1.02, line_y - 3),
                    (cx + side * a * 0.84, line_y + 2),
                    (cx + side * a * 0.92, cy + 2),
                    (cx + side * a * 1.05, cy + 2),
                ],
                hair,
            )


def _draw_eye(pen, ident, photo, ex, ey, side):
    """Draw one eye at (ex, ey): lid rim, white, iris, pupil and a highlight."""
    w = ident.eye_width
    squint = 1 - 0.25 * max(photo.smile, 0.0)
    h = w * ident.eye_openness * squint
    slant = -side * ident.eye_slant
    pen.polygon(ellipse_points(ex, ey, w / 2 + 0.7, h / 2 + 0.7, slant), shade(ident.skin, 0.62))
    pen.polygon(ellipse_points(ex, ey, w / 2, h / 2, slant), (246, 244, 240))
    r = min(h * 0.5, w * 0.3)
    gaze = photo.turn * 0.25
    pen.ellipse(ex + gaze, ey, r, r, ident.iris)
    pen.ellipse(ex + gaze, ey, r * 0.48, r * 0.48, (12, 10, 10))
    pen.ellipse(ex + gaze - r * 0.35, ey - r * 0.35, r * 0.2, r * 0.2, (255, 255, 255))


def _draw_features(pen, ident, photo, cx, cy):
    """Draw eyes, brows, nose, facial hair, mouth and cheeks, shifted by the head turn."""
    fx = cx + photo.turn  # features move with a head turn, the outline does not
    skin_dark = shade(ident.skin, 0.72)
    eye_y = cy + ident.eye_height
    for side in (-1, 1):
        ex = fx + side * ident.eye_spacing / 2
        _draw_eye(pen, ident, photo, ex, eye_y, side)
        by = eye_y - ident.brow_gap - photo.brow_raise
        w = ident.eye_width
        inner, outer = ex - side * w * 0.55, ex + side * w * 0.7
        brow = shade(ident.hair_colour, 0.8) if ident.hair_colour[0] < 200 else shade(ident.skin, 0.55)
        pen.line([(inner, by + 0.3), (ex, by - 1.0), (outer, by - ident.brow_tilt)], brow, ident.brow_thickness)
    # nose
    n_top, n_len, n_w = eye_y + 2, ident.nose_length, ident.nose_width
    nx = fx + photo.turn * 0.6
    tip = eye_y + 2 + n_len
    if ident.nose_style == 0:
        pen.line([(nx - 0.5, n_top), (nx + 0.8, tip - 1), (nx - n_w * 0.35, tip)], skin_dark, 1.1)
    elif ident.nose_style == 1:
        pen.ellipse(nx, tip - 1.5, n_w * 0.5, 2.6, shade(ident.skin, 0.9))
        for side in (-1, 1):
            pen.ellipse(nx + side * n_w * 0.25, tip - 0.6, 1.0, 0.7, shade(ident.skin, 0.45))
    else:
        pen.polygon([(nx, n_top + 1), (nx - n_w * 0.5, tip), (nx + n_w * 0.5, tip)], shade(ident.skin, 0.86))
        pen.line([(nx - n_w * 0.3, tip), (nx + n_w * 0.3, tip)], skin_dark, 0.9)
    # facial hair below the mouth first so the mouth stays visible
    mouth_y = cy + ident.mouth_drop
    beard = shade(ident.hair_colour, 0.9)
    if ident.facial_hair >= 2:
        chin = _head_outline(ident, cx, cy)
        low = chin[chin[:, 1] > mouth_y - 4]
        low = low[np.argsort(low[:, 0])]
        pen.polygon([tuple(p) for p in low[::-1]] + [(low[0, 0], mouth_y - 4), (low[-1, 0], mouth_y - 4)][::-1], beard)
    _draw_mouth(pen, ident, photo, fx + photo.turn * 0.4, mouth_y)
    if ident.facial_hair in (1, 3):
        mw = ident.mouth_width
        top = mouth_y - 3.2 - max(photo.smile, 0) * 1.0
        pen.polygon(
            [
                (fx - mw * 0.55, top + 2.2),
                (fx - mw * 0.3, top - 1.2),
                (fx + mw * 0.3, top - 1.2),
                (fx + mw * 0.55, top + 2.2),
                (fx, top + 0.4),
            ],
            beard,
        )
    if photo.smile > 0.3:
        # rosy cheeks of a smile
        for side in (-1, 1):
            pen.ellipse(
                fx + side * ident.eye_spacing * 0.62,
                eye_y + 8.5,
                3.6,
                2.2,
                shade((ident.skin[0] * 1.05, ident.skin[1] * 0.8, ident.skin[2] * 0.82), 1.0),
            )


def _draw_mouth(pen, ident, photo, mx, my):
    """Draw the mouth centred at (mx, my): a curved line, an open grin with teeth, or an "o"."""
    w = ident.mouth_width * (1 + 0.25 * max(photo.smile, 0))
    lift = photo.smile * 0.36 * w  # corners move up with a smile, down with a frown
    open_h = photo.mouth_open * 0.5 * w
    t = np.linspace(-1, 1, 15)
    xs = mx + t * w / 2
    if photo.mouth_open > 0.5 and photo.smile < 0.3:
        # an "o" of surprise
        rx, ry = w * 0.22, open_h * 0.55
        pen.ellipse(mx, my + ry * 0.3, rx + 0.9, ry + 0.9, ident.lip_colour)
        pen.ellipse(mx, my + ry * 0.3, rx, ry, (70, 20, 25))
        return
    upper = my - lift * t**2 * (0.55 if open_h > 0 else 1.0)
    if open_h > 0:
        lower = my - lift * t**2 + open_h * (1 - t**2) + lift * 0.35 * (1 - t**2)
        outline = list(zip(xs, upper)) + list(zip(xs[::-1], lower[::-1]))
        pen.polygon(outline, ident.lip_colour)
        inner = list(zip(xs[1:-1], upper[1:-1] + 0.6)) + list(zip(xs[-2:0:-1], lower[-2:0:-1] - 0.8))
        pen.polygon(inner, (80, 20, 28))
        if photo.smile > 0.3:
            teeth_bottom = upper + 0.6 + 0.5 * (lower - upper) * (1 - t**2) ** 0.5
            teeth = list(zip(xs[2:-2], upper[2:-2] + 0.6)) + list(zip(xs[-3:1:-1], teeth_bottom[-3:1:-1]))
            pen.polygon(teeth, (250, 248, 240))
    else:
        pen.line(list(zip(xs, upper)), ident.lip_colour, 2.8)
        pen.line(list(zip(xs[3:-3], upper[3:-3] + 0.6)), shade(ident.lip_colour, 0.7), 0.8)
    if photo.smile > 0.45:
        # dimples beside the mouth corners
        for side in (-1, 1):
            x0, y0 = mx + side * (w / 2 + 0.8), my - lift
            pen.line([(x0, y0 - 1.6), (x0 + side * 0.9, y0 + 0.4)], shade(ident.skin, 0.7), 0.8)


def _draw_glasses(pen, ident, photo, cx, cy):
    """Draw glasses (rims) or sunglasses (dark lenses) with their bridge and arms."""
    fx = cx + photo.turn
    eye_y = cy + ident.eye_height
    r = ident.eye_width * 0.72 + 1.0
    colour = ident.glasses_colour if photo.glasses == 1 else (25, 25, 30)
    for side in (-1, 1):
        ex = fx + side * ident.eye_spacing / 2
        box = (ex - r, eye_y - r * 0.8, ex + r, eye_y + r * 0.8)
        if ident.glasses_round:
            rim = ellipse_points(ex, eye_y, r, r * 0.85, 0, 24)
        else:
            rim = [(box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])]
        if photo.glasses == 2:
            pen.polygon(rim, (22, 24, 30))
        else:
            pen.line(np.vstack([rim, rim[:1]]), colour, 1.3)
        pen.line([(ex + side * r, eye_y - 1), (cx + side * (ident.head_width - 0.5), eye_y - 2)], colour, 1.2)
    pen.line(
        [(fx - ident.eye_spacing / 2 + r, eye_y - 1), (fx, eye_y - 2.2), (fx + ident.eye_spacing / 2 - r, eye_y - 1)],
        colour,
        1.2,
    )


def _draw_hat(pen, ident, photo, cx, cy):
    """Draw a beanie with a pompom or a cap with a visor over the top of the head."""
    colour = photo.hat_colour
    outline = _head_outline(ident, cx, cy - 1.0, grow=3.0)
    band_y = cy - ident.head_height * 0.52
    top = outline[outline[:, 1] < band_y]
    pen.polygon([tuple(p) for p in top], colour)
    if photo.hat == 1:  # beanie: a folded band and a pompom
        w = ident.head_width + 3.5
        pen.polygon(
            [(cx - w, band_y - 5), (cx + w, band_y - 5), (cx + w, band_y + 1.5), (cx - w, band_y + 1.5)],
            shade(colour, 0.8),
        )
        pen.ellipse(cx, cy - ident.head_height - 4, 5, 4.5, shade(colour, 1.2))
    else:  # cap: a visor
        pen.polygon(
            [
                (cx - ident.head_width * 0.9, band_y),
                (cx + ident.head_width * 1.25, band_y),
                (cx + ident.head_width * 1.35, band_y + 4),
                (cx - ident.head_width * 0.5, band_y + 3),
            ],
            shade(colour, 0.7),
        )


def _draw_face(canvas, ident, photo, k):
    """Draw the whole person (clothes, neck, hair, ears, head, features, accessories) onto the canvas."""
    # Draw the person onto the RGB canvas (k pixels per unit), posed as the photo says.
    pen = Pen(ImageDraw.Draw(canvas), k, photo.angle, photo.scale, photo.shift)
    cx, cy = 50.0, 48.0
    a, b = ident.head_width, ident.head_height
    # clothes and neck
    pen.ellipse(cx, cy + b + 42, a * 2.3, 34, ident.shirt)
    pen.polygon([(cx - 8, cy + b + 9), (cx, cy + b + 17), (cx + 8, cy + b + 9)], shade(ident.shirt, 0.75))
    pen.polygon(
        [
            (cx - a * 0.42, cy + b * 0.4),
            (cx + a * 0.42, cy + b * 0.4),
            (cx + a * 0.46, cy + b + 11),
            (cx - a * 0.46, cy + b + 11),
        ],
        shade(ident.skin, 0.82),
    )
    _draw_back_hair(pen, ident, cx, cy)
    # ears
    ear_y = cy + ident.eye_height + 4
    for s in (-1, 1):
        pen.ellipse(cx + s * (a - 0.5), ear_y, 4.2 * ident.ear_size, 7.0 * ident.ear_size, shade(ident.skin, 0.93))
        pen.ellipse(cx + s * (a + 0.4), ear_y, 2.0 * ident.ear_size, 4.0 * ident.ear_size, shade(ident.skin, 0.75))
    # head, with a slightly darker rim for a rounded look
    pen.polygon([tuple(p) for p in _head_outline(ident, cx, cy, grow=0.6)], shade(ident.skin, 0.85))
    pen.polygon([tuple(p) for p in _head_outline(ident, cx, cy)], ident.skin)
    _draw_front_hair(pen, ident, cx, cy)
    _draw_features(pen, ident, photo, cx, cy)
    if photo.glasses:
        _draw_glasses(pen, ident, photo, cx, cy)
    if photo.hat:
        _draw_hat(pen, ident, photo, cx, cy)


def render_face(identity: FaceIdentity, photo: FacePhoto, size: int = 96) -> np.ndarray:
    """Render one photograph of `identity` under the conditions `photo`.

    Arguments:
    identity -- FaceIdentity (who)
    photo -- FacePhoto (pose, expression, accessories, background, light, noise)
    size -- side of the square output image, pixels
    Returns:
    image -- (size, size, 3) uint8 RGB
    """
    supersample = max(2, math.ceil(192 / size))
    side = size * supersample
    canvas = render_background(photo.background, side)
    _draw_face(canvas, identity, photo, side / 100.0)
    if photo.blur > 0:
        canvas = canvas.filter(ImageFilter.GaussianBlur(photo.blur * supersample))
    small = canvas.reduce(supersample)  # box filter: the anti-aliasing step
    return apply_light_and_noise(
        np.asarray(small, dtype=np.float32),
        photo.brightness,
        photo.light_direction,
        photo.light_strength,
        photo.tint,
        photo.noise,
        photo.noise_seed,
    )
