"""Outdoor photographs drawn with PIL: skies and the things seen in them or under them.

Two data sets share this kit: the transfer-learning target (kites among look-alikes, transfer_target.py)
and the source task the course's MobileNetV2 base is pretrained on (pretraining_objects.py). A kite is
drawn only by transfer_target.py; nothing here draws one.

Every object drawer has the signature `draw_<thing>(canvas, rng, side, zoom)`: it paints onto the RGB
PIL image `canvas` of `side` x `side` pixels (a supersampled canvas), at a random place, size, tilt and
colour drawn from the NumPy Generator `rng`; `zoom` multiplies the object's size (1 is its size in a
160-pixel kite photo).

Used by: cnnbook.data.pretraining_objects, cnnbook.data.transfer_target
"""

import math

import numpy as np
from PIL import Image, ImageDraw

from .drawing import BACKGROUND_PHOTOS, render_background, sample_background, shade

__all__ = [
    "bright_colour",
    "rotate_points",
    "render_sky",
    "render_outdoor_background",
    "OBJECT_DRAWERS",
    "LOOK_ALIKES",
    "OUTDOOR_DRAWING_VERSION",
]

# Bump when a change here alters the pixels of the kite folder or of the pretraining objects.
OUTDOOR_DRAWING_VERSION = "1"

_BRIGHT = [
    (230, 40, 40),
    (250, 200, 30),
    (40, 110, 220),
    (30, 170, 80),
    (240, 120, 20),
    (150, 50, 190),
    (250, 250, 250),
    (20, 20, 30),
    (240, 90, 160),
]


def bright_colour(rng):
    """Return a bright colour (kites, balloons, flags), randomly tinted."""
    base = np.asarray(_BRIGHT[rng.integers(len(_BRIGHT))], float)
    return tuple(int(v) for v in np.clip(base + rng.normal(0, 18, 3), 0, 255))


def rotate_points(points, centre, angle):
    """Return points [(x, y), ...] rotated by angle (radians) about centre."""
    c, s = math.cos(angle), math.sin(angle)
    cx, cy = centre
    return [(cx + c * (x - cx) - s * (y - cy), cy + s * (x - cx) + c * (y - cy)) for x, y in points]


def render_sky(rng, side):
    """Return an RGB PIL sky (side, side): a blue or dusky ramp with clouds, sometimes over a line of hills."""
    dusk = rng.random() < 0.25
    top = (rng.uniform(20, 90), rng.uniform(60, 140), rng.uniform(150, 235))
    low = (
        (rng.uniform(230, 255), rng.uniform(120, 190), rng.uniform(80, 160))
        if dusk
        else (rng.uniform(150, 220), rng.uniform(190, 235), rng.uniform(225, 255))
    )
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
        x = np.linspace(0, side, 24)
        y = side * (rng.uniform(0.72, 0.9) + 0.05 * np.sin(x / side * rng.uniform(3, 9) + rng.uniform(0, 6)))
        green = tuple(int(v) for v in (rng.uniform(40, 110), rng.uniform(100, 170), rng.uniform(30, 80)))
        draw.polygon(list(zip(x, y)) + [(side, side), (0, side)], fill=green)
    return canvas


def render_outdoor_background(rng, side, photo_probability=0.25, wall_probability=0.0):
    """Return an RGB PIL background (side, side): a sky, a blurred bundled photograph, or a plain or ramped wall."""
    u = rng.random()
    if u < photo_probability:
        name = BACKGROUND_PHOTOS[rng.integers(len(BACKGROUND_PHOTOS))]
        return render_background(
            ("photo", name, (float(rng.uniform(0.35, 0.8)), float(rng.random()), float(rng.random()))), side
        )
    if u < photo_probability + wall_probability:
        return render_background(sample_background(rng, photo_probability=0.0), side)
    return render_sky(rng, side)


def _paste_shape(canvas, colour, draw_mask):
    """Paint `colour` through a mask that draw_mask(ImageDraw of an 'L' image) fills with 255 where it shows."""
    mask = Image.new("L", canvas.size, 0)
    draw_mask(ImageDraw.Draw(mask))
    canvas.paste(colour, mask=mask)


def _centre(rng, side, x=(0.2, 0.8), y=(0.15, 0.6)):
    """Return a random point, its coordinates drawn within the given fractions of the side."""
    return rng.uniform(side * x[0], side * x[1]), rng.uniform(side * y[0], side * y[1])


# ---- things in the sky --------------------------------------------------------------------------------------


def draw_balloons(canvas, rng, side, zoom=1.0):
    """One to four balloons on strings that meet below the frame."""
    draw = ImageDraw.Draw(canvas)
    x0, y0 = rng.uniform(side * 0.2, side * 0.8), side * 1.1
    for _ in range(rng.integers(1, 5)):
        r = side * rng.uniform(0.05, 0.12) * zoom
        cx, cy = x0 + rng.normal(0, side * 0.12), rng.uniform(side * 0.15, side * 0.55)
        draw.line([(cx, cy + r * 1.2), (x0, y0)], fill=(60, 60, 60), width=max(1, int(r * 0.08)))
        colour = bright_colour(rng)
        draw.ellipse([cx - r, cy - r * 1.2, cx + r, cy + r * 1.2], fill=colour)
        draw.ellipse([cx - r * 0.5, cy - r * 0.8, cx - r * 0.2, cy - r * 0.4], fill=shade(colour, 1.4))


def draw_birds(canvas, rng, side, zoom=1.0):
    """A flock of two to eight birds, each a dark V of wings."""
    draw = ImageDraw.Draw(canvas)
    for _ in range(rng.integers(2, 9)):
        cx, cy = rng.uniform(0, side), rng.uniform(side * 0.05, side * 0.6)
        w = side * rng.uniform(0.03, 0.08) * zoom
        draw.line(
            [(cx - w, cy - w * 0.4), (cx, cy), (cx + w, cy - w * 0.4)],
            fill=(30, 30, 35),
            width=max(2, int(w * 0.2)),
            joint="curve",
        )


def draw_plane(canvas, rng, side, zoom=1.0):
    """An airliner seen from below: a grey body with swept wings."""
    draw = ImageDraw.Draw(canvas)
    cx, cy = _centre(rng, side, y=(0.15, 0.5))
    w = side * rng.uniform(0.1, 0.25) * zoom
    angle = rng.uniform(-0.4, 0.4) + (math.pi if rng.random() < 0.5 else 0.0)
    body = rotate_points(
        [
            (cx - w, cy - w * 0.07),
            (cx + w, cy - w * 0.05),
            (cx + w * 1.1, cy),
            (cx + w, cy + w * 0.05),
            (cx - w, cy + w * 0.07),
        ],
        (cx, cy),
        angle,
    )
    wing = rotate_points(
        [
            (cx - w * 0.1, cy),
            (cx - w * 0.45, cy - w * 0.7),
            (cx - w * 0.25, cy - w * 0.7),
            (cx + w * 0.3, cy),
            (cx - w * 0.25, cy + w * 0.7),
            (cx - w * 0.45, cy + w * 0.7),
        ],
        (cx, cy),
        angle,
    )
    tail = rotate_points(
        [
            (cx - w * 0.85, cy),
            (cx - w * 1.05, cy - w * 0.3),
            (cx - w * 0.95, cy - w * 0.3),
            (cx - w * 0.7, cy),
            (cx - w * 0.95, cy + w * 0.3),
            (cx - w * 1.05, cy + w * 0.3),
        ],
        (cx, cy),
        angle,
    )
    grey = (int(rng.uniform(180, 240)),) * 3
    draw.polygon(wing, fill=shade(grey, 0.85))
    draw.polygon(tail, fill=shade(grey, 0.85))
    draw.polygon(body, fill=grey)


def draw_sun(canvas, rng, side, zoom=1.0):
    """The sun: a pale yellow disc, sometimes with a ring of short rays."""
    draw = ImageDraw.Draw(canvas)
    r = side * rng.uniform(0.06, 0.13) * zoom
    cx, cy = _centre(rng, side, x=(0.1, 0.9), y=(0.1, 0.4))
    colour = (255, int(rng.uniform(200, 245)), int(rng.uniform(90, 150)))
    if rng.random() < 0.4:
        for k in range(12):
            a = 2 * math.pi * k / 12
            draw.line(
                [
                    (cx + 1.25 * r * math.cos(a), cy + 1.25 * r * math.sin(a)),
                    (cx + 1.6 * r * math.cos(a), cy + 1.6 * r * math.sin(a)),
                ],
                fill=colour,
                width=max(1, int(r * 0.12)),
            )
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)


def draw_moon(canvas, rng, side, zoom=1.0):
    """A crescent moon: a pale disc with a second, shifted disc cut out of it."""
    r = side * rng.uniform(0.06, 0.14) * zoom
    cx, cy = _centre(rng, side, x=(0.1, 0.9), y=(0.1, 0.5))
    a, d = rng.uniform(0, 2 * math.pi), r * rng.uniform(0.35, 0.7)

    def crescent(mask_draw):
        mask_draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
        ox, oy = cx + d * math.cos(a), cy + d * math.sin(a)
        mask_draw.ellipse([ox - r, oy - r, ox + r, oy + r], fill=0)

    _paste_shape(canvas, (int(rng.uniform(225, 255)), int(rng.uniform(225, 250)), int(rng.uniform(190, 230))), crescent)


def draw_stars(canvas, rng, side, zoom=1.0):
    """One to six five-pointed stars in white, yellow or gold."""
    draw = ImageDraw.Draw(canvas)
    for _ in range(rng.integers(1, 7)):
        r = side * rng.uniform(0.03, 0.09) * zoom
        cx, cy = rng.uniform(side * 0.1, side * 0.9), rng.uniform(side * 0.1, side * 0.7)
        spin = rng.uniform(0, 2 * math.pi)
        points = [
            (
                cx + (r if k % 2 == 0 else r * 0.42) * math.cos(spin + k * math.pi / 5),
                cy + (r if k % 2 == 0 else r * 0.42) * math.sin(spin + k * math.pi / 5),
            )
            for k in range(10)
        ]
        draw.polygon(points, fill=[(255, 255, 240), (255, 225, 60), (235, 180, 40)][rng.integers(3)])


def draw_rainbow(canvas, rng, side, zoom=1.0):
    """A rainbow: seven concentric arcs from red (outside) to violet."""
    draw = ImageDraw.Draw(canvas)
    colours = [
        (220, 50, 50),
        (240, 140, 40),
        (245, 220, 60),
        (70, 170, 70),
        (60, 120, 220),
        (80, 60, 170),
        (140, 70, 180),
    ]
    r = side * rng.uniform(0.25, 0.55) * zoom
    cx, cy = rng.uniform(side * 0.2, side * 0.8), side * rng.uniform(0.7, 1.0)
    band = r * rng.uniform(0.03, 0.05)
    for k, colour in enumerate(colours):
        rk = r - k * band
        draw.arc([cx - rk, cy - rk, cx + rk, cy + rk], 180, 360, fill=colour, width=max(1, int(band) + 1))


def draw_hot_air_balloon(canvas, rng, side, zoom=1.0):
    """A hot-air balloon: an envelope in vertical stripes of two or three colours, ropes and a basket."""
    w = side * rng.uniform(0.08, 0.16) * zoom  # half-width of the envelope
    cx, cy = _centre(rng, side, y=(0.2, 0.55))
    colours = [bright_colour(rng) for _ in range(rng.integers(2, 4))]
    n_stripes = int(rng.integers(4, 9))
    outline = [
        (cx + w * math.sin(t), cy - w * 1.1 * math.cos(t) * (1.0 if math.cos(t) > 0 else 0.8))
        for t in np.linspace(0, 2 * math.pi, 40, endpoint=False)
    ]
    neck = (cx, cy + w * 1.25)
    for k in range(n_stripes):
        x0, x1 = cx - w + 2 * w * k / n_stripes, cx - w + 2 * w * (k + 1) / n_stripes

        def stripe(mask_draw, x0=x0, x1=x1):
            mask_draw.polygon(outline + [(cx + w * 0.35, neck[1]), (cx - w * 0.35, neck[1])], fill=255)
            # keep only the band x0..x1 (clamped: an envelope may cross the frame's edge)
            mask_draw.rectangle([0, 0, min(max(x0, 0), side), side], fill=0)
            mask_draw.rectangle([min(max(x1, 0), side), 0, side, side], fill=0)

        _paste_shape(canvas, colours[k % len(colours)], stripe)
    draw = ImageDraw.Draw(canvas)
    basket = (cx - w * 0.22, cy + w * 1.55, cx + w * 0.22, cy + w * 1.85)
    for x in (-0.3, 0.3):
        draw.line(
            [(cx + w * x, neck[1]), (cx + w * x * 0.7, basket[1])], fill=(70, 55, 40), width=max(1, int(w * 0.04))
        )
    draw.rectangle(basket, fill=(120, 80, 40))


def _draw_panelled_dome(draw, centre, r, flatness, colours, n):
    """Draw the upper half of an ellipse (half-width r, half-height r * flatness) as n panels of alternating colours."""
    cx, cy = centre
    for k in range(n):
        draw.pieslice(
            [cx - r, cy - r * flatness, cx + r, cy + r * flatness],
            180 + 180 * k / n,
            180 + 180 * (k + 1) / n,
            fill=colours[k % 2],
        )


def draw_parachute(canvas, rng, side, zoom=1.0):
    """A parachute: a dome of alternating panels, lines, and a small jumper below."""
    draw = ImageDraw.Draw(canvas)
    r = side * rng.uniform(0.08, 0.16) * zoom
    cx, cy = _centre(rng, side, y=(0.15, 0.45))
    _draw_panelled_dome(draw, (cx, cy), r, 0.7, [bright_colour(rng), bright_colour(rng)], int(rng.integers(5, 9)))
    body = (cx, cy + r * 1.3)
    for x in np.linspace(-1, 1, 5):
        draw.line([(cx + r * x, cy), body], fill=(60, 60, 60), width=1)
    draw.line([body, (body[0], body[1] + r * 0.45)], fill=(40, 40, 50), width=max(2, int(r * 0.12)))
    draw.ellipse([body[0] - r * 0.08, body[1] - r * 0.16, body[0] + r * 0.08, body[1]], fill=(40, 40, 50))


def draw_butterfly(canvas, rng, side, zoom=1.0):
    """A butterfly: two pairs of coloured wings with spots, a dark body and antennae."""
    draw = ImageDraw.Draw(canvas)
    w = side * rng.uniform(0.05, 0.11) * zoom
    cx, cy = _centre(rng, side, y=(0.2, 0.7))
    angle = rng.uniform(-0.7, 0.7)
    wing, spot = bright_colour(rng), bright_colour(rng)
    for sx in (-1, 1):
        for dx, dy, rx, ry, colour in ((1.0, -0.5, 0.95, 0.75, wing), (0.7, 0.55, 0.6, 0.55, shade(wing, 0.8))):
            ellipse = [
                (cx + sx * (dx * w + rx * w * math.cos(t)), cy + dy * w + ry * w * math.sin(t))
                for t in np.linspace(0, 2 * math.pi, 24, endpoint=False)
            ]
            draw.polygon(rotate_points(ellipse, (cx, cy), angle), fill=colour)
        spot_centre = rotate_points([(cx + sx * w * 1.1, cy - w * 0.55)], (cx, cy), angle)[0]
        draw.ellipse(
            [
                spot_centre[0] - w * 0.25,
                spot_centre[1] - w * 0.25,
                spot_centre[0] + w * 0.25,
                spot_centre[1] + w * 0.25,
            ],
            fill=spot,
        )
    draw.line(
        rotate_points([(cx, cy - w * 0.8), (cx, cy + w * 1.0)], (cx, cy), angle),
        fill=(30, 25, 25),
        width=max(2, int(w * 0.22)),
    )
    for sx in (-1, 1):
        draw.line(
            rotate_points([(cx, cy - w * 0.8), (cx + sx * w * 0.5, cy - w * 1.5)], (cx, cy), angle),
            fill=(30, 25, 25),
            width=max(1, int(w * 0.06)),
        )


# ---- things on the ground --------------------------------------------------------------------------------------


def _post(draw, x, y_top, side, width):
    """A grey post from y_top to the bottom of the frame."""
    draw.line([(x, y_top), (x, side)], fill=(120, 120, 125), width=max(2, int(width)))


def draw_diamond_sign(canvas, rng, side, zoom=1.0):
    """A yellow diamond road sign with a black rim on a post (a diamond without tail or string)."""
    draw = ImageDraw.Draw(canvas)
    r = side * rng.uniform(0.08, 0.16) * zoom
    cx, cy = _centre(rng, side, y=(0.25, 0.6))
    _post(draw, cx, cy, side, r * 0.15)
    draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=(30, 30, 30))
    r2 = r * 0.88
    draw.polygon([(cx, cy - r2), (cx + r2, cy), (cx, cy + r2), (cx - r2, cy)], fill=(245, 200, 30))


def draw_round_sign(canvas, rng, side, zoom=1.0):
    """A round road sign on a post: a red ring on white, or a blue disc with a white arrow."""
    draw = ImageDraw.Draw(canvas)
    r = side * rng.uniform(0.07, 0.14) * zoom
    cx, cy = _centre(rng, side, y=(0.25, 0.6))
    _post(draw, cx, cy, side, r * 0.15)
    if rng.random() < 0.5:
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(210, 30, 35))
        draw.ellipse([cx - r * 0.75, cy - r * 0.75, cx + r * 0.75, cy + r * 0.75], fill=(245, 245, 245))
    else:
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(30, 80, 180))
        draw.line([(cx, cy + r * 0.55), (cx, cy - r * 0.45)], fill=(250, 250, 250), width=max(1, int(r * 0.22)))
        draw.polygon(
            [(cx - r * 0.35, cy - r * 0.25), (cx + r * 0.35, cy - r * 0.25), (cx, cy - r * 0.7)], fill=(250, 250, 250)
        )


def draw_triangle_sign(canvas, rng, side, zoom=1.0):
    """A triangular warning sign on a post: a red rim around white, an exclamation mark."""
    draw = ImageDraw.Draw(canvas)
    r = side * rng.uniform(0.08, 0.16) * zoom
    cx, cy = _centre(rng, side, y=(0.25, 0.6))
    _post(draw, cx, cy, side, r * 0.15)
    outer = [(cx, cy - r), (cx + r * 0.95, cy + r * 0.65), (cx - r * 0.95, cy + r * 0.65)]
    inner = [(cx, cy - r * 0.62), (cx + r * 0.63, cy + r * 0.47), (cx - r * 0.63, cy + r * 0.47)]
    draw.polygon(outer, fill=(210, 30, 35))
    draw.polygon(inner, fill=(245, 245, 240))
    draw.line([(cx, cy - r * 0.3), (cx, cy + r * 0.15)], fill=(20, 20, 20), width=max(1, int(r * 0.1)))
    draw.ellipse([cx - r * 0.06, cy + r * 0.24, cx + r * 0.06, cy + r * 0.36], fill=(20, 20, 20))


def draw_traffic_light(canvas, rng, side, zoom=1.0):
    """A traffic light on a post: a dark box with three lamps, one of them lit."""
    draw = ImageDraw.Draw(canvas)
    h = side * rng.uniform(0.12, 0.22) * zoom
    cx, cy = _centre(rng, side, y=(0.2, 0.55))
    _post(draw, cx, cy, side, h * 0.1)
    draw.rectangle([cx - h * 0.2, cy - h * 0.5, cx + h * 0.2, cy + h * 0.5], fill=(35, 35, 38))
    lit = rng.integers(3)
    for k, colour in enumerate([(230, 40, 30), (245, 180, 30), (40, 200, 80)]):
        y = cy - h * 0.32 + k * h * 0.32
        draw.ellipse(
            [cx - h * 0.12, y - h * 0.12, cx + h * 0.12, y + h * 0.12], fill=colour if k == lit else shade(colour, 0.3)
        )


def draw_flag(canvas, rng, side, zoom=1.0):
    """A flag on a pole: two or three stripes (across or down) or a cross."""
    draw = ImageDraw.Draw(canvas)
    w = side * rng.uniform(0.12, 0.25) * zoom
    h = w * rng.uniform(0.55, 0.75)
    x, y = rng.uniform(side * 0.15, side * 0.6), rng.uniform(side * 0.1, side * 0.45)
    draw.line([(x, y - h * 0.2), (x, side)], fill=(150, 150, 150), width=max(2, int(w * 0.05)))
    colours = [bright_colour(rng) for _ in range(3)]
    style = rng.integers(3)
    if style == 2:
        draw.rectangle([x, y, x + w, y + h], fill=colours[0])
        t = h * 0.2
        draw.rectangle([x + w * 0.3, y, x + w * 0.3 + t, y + h], fill=colours[1])
        draw.rectangle([x, y + h / 2 - t / 2, x + w, y + h / 2 + t / 2], fill=colours[1])
    else:
        n = int(rng.integers(2, 4))
        for k in range(n):
            if style == 0:
                draw.rectangle([x, y + h * k / n, x + w, y + h * (k + 1) / n], fill=colours[k])
            else:
                draw.rectangle([x + w * k / n, y, x + w * (k + 1) / n, y + h], fill=colours[k])


def draw_tree(canvas, rng, side, zoom=1.0):
    """A tree: a trunk under a round crown or a pointed fir, in summer or autumn colours."""
    draw = ImageDraw.Draw(canvas)
    h = side * rng.uniform(0.2, 0.4) * zoom
    cx, base = rng.uniform(side * 0.2, side * 0.8), side * rng.uniform(0.75, 1.0)
    draw.rectangle([cx - h * 0.05, base - h * 0.45, cx + h * 0.05, base], fill=(95, 65, 40))
    green = [(50, 120, 50), (80, 150, 60), (30, 90, 45), (190, 120, 30), (170, 60, 30)][rng.integers(5)]
    if rng.random() < 0.5:
        for _ in range(5):
            r = h * rng.uniform(0.22, 0.32)
            x, y = cx + rng.normal(0, h * 0.12), base - h * 0.65 + rng.normal(0, h * 0.1)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=shade(green, rng.uniform(0.85, 1.15)))
    else:
        for k in range(3):
            y0 = base - h * (0.3 + 0.25 * k)
            w = h * (0.35 - 0.08 * k)
            draw.polygon([(cx - w, y0), (cx + w, y0), (cx, y0 - h * 0.4)], fill=shade(green, 0.9 + 0.08 * k))


def draw_house(canvas, rng, side, zoom=1.0):
    """A house: walls, a pitched roof, a door and windows."""
    draw = ImageDraw.Draw(canvas)
    w = side * rng.uniform(0.15, 0.3) * zoom
    cx, base = rng.uniform(side * 0.25, side * 0.75), side * rng.uniform(0.75, 1.0)
    wall = tuple(int(v) for v in rng.uniform(150, 245, 3))
    roof = [(170, 60, 50), (90, 90, 100), (120, 80, 50)][rng.integers(3)]
    h = w * rng.uniform(0.6, 0.9)
    draw.rectangle([cx - w / 2, base - h, cx + w / 2, base], fill=wall)
    draw.polygon([(cx - w * 0.6, base - h), (cx + w * 0.6, base - h), (cx, base - h - w * 0.45)], fill=roof)
    draw.rectangle([cx - w * 0.08, base - h * 0.45, cx + w * 0.08, base], fill=(90, 60, 40))
    for x in (-0.3, 0.3):
        draw.rectangle(
            [cx + w * x - w * 0.09, base - h * 0.75, cx + w * x + w * 0.09, base - h * 0.5], fill=(150, 190, 220)
        )


def draw_sailboat(canvas, rng, side, zoom=1.0):
    """A sailboat on a band of water: a hull, a mast and one or two triangular sails."""
    draw = ImageDraw.Draw(canvas)
    water = side * rng.uniform(0.7, 0.85)
    draw.rectangle(
        [0, water, side, side], fill=(int(rng.uniform(30, 70)), int(rng.uniform(80, 130)), int(rng.uniform(140, 200)))
    )
    w = side * rng.uniform(0.1, 0.2) * zoom
    cx = rng.uniform(side * 0.25, side * 0.75)
    draw.polygon(
        [
            (cx - w, water - w * 0.25),
            (cx + w, water - w * 0.25),
            (cx + w * 0.7, water + w * 0.1),
            (cx - w * 0.7, water + w * 0.1),
        ],
        fill=bright_colour(rng),
    )
    top = water - w * 0.25 - w * rng.uniform(1.6, 2.4)
    draw.line([(cx, water - w * 0.25), (cx, top)], fill=(90, 70, 50), width=max(1, int(w * 0.06)))
    sail = (245, 245, 240) if rng.random() < 0.6 else bright_colour(rng)
    draw.polygon([(cx + w * 0.05, top), (cx + w * 0.05, water - w * 0.35), (cx + w * 0.9, water - w * 0.35)], fill=sail)
    if rng.random() < 0.6:
        draw.polygon(
            [(cx - w * 0.05, top + w * 0.2), (cx - w * 0.05, water - w * 0.35), (cx - w * 0.6, water - w * 0.35)],
            fill=shade(sail, 0.9),
        )


def draw_umbrella(canvas, rng, side, zoom=1.0):
    """An open umbrella: a canopy of alternating panels over a hooked handle."""
    draw = ImageDraw.Draw(canvas)
    r = side * rng.uniform(0.1, 0.2) * zoom
    cx, cy = _centre(rng, side, y=(0.25, 0.6))
    _draw_panelled_dome(draw, (cx, cy), r, 0.8, [bright_colour(rng), bright_colour(rng)], int(rng.integers(4, 9)))
    draw.line([(cx, cy - r * 0.85), (cx, cy + r)], fill=(50, 40, 35), width=max(1, int(r * 0.06)))
    draw.arc([cx, cy + r * 0.85, cx + r * 0.3, cy + r * 1.15], 0, 180, fill=(50, 40, 35), width=max(1, int(r * 0.06)))


def draw_beach_ball(canvas, rng, side, zoom=1.0):
    """A beach ball: six coloured segments around a white cap."""
    draw = ImageDraw.Draw(canvas)
    r = side * rng.uniform(0.07, 0.14) * zoom
    cx, cy = _centre(rng, side, y=(0.3, 0.8))
    spin = rng.uniform(0, 360)
    colours = [(230, 40, 40), (250, 210, 30), (40, 110, 220), (250, 250, 250), (30, 170, 80), (240, 120, 20)]
    for k in range(6):
        draw.pieslice([cx - r, cy - r, cx + r, cy + r], spin + 60 * k, spin + 60 * (k + 1), fill=colours[k])
    draw.ellipse([cx - r * 0.18, cy - r * 0.18, cx + r * 0.18, cy + r * 0.18], fill=(250, 250, 250))


def draw_flowers(canvas, rng, side, zoom=1.0):
    """One to five flowers: green stems, a ring of petals around a yellow or brown heart."""
    draw = ImageDraw.Draw(canvas)
    for _ in range(rng.integers(1, 6)):
        r = side * rng.uniform(0.04, 0.09) * zoom
        cx, cy = rng.uniform(side * 0.1, side * 0.9), rng.uniform(side * 0.3, side * 0.8)
        draw.line([(cx, cy), (cx + rng.normal(0, r), side)], fill=(50, 130, 50), width=max(1, int(r * 0.15)))
        petal = bright_colour(rng)
        n = int(rng.integers(5, 9))
        for k in range(n):
            a = 2 * math.pi * k / n
            px, py = cx + r * 0.7 * math.cos(a), cy + r * 0.7 * math.sin(a)
            draw.ellipse([px - r * 0.45, py - r * 0.45, px + r * 0.45, py + r * 0.45], fill=petal)
        heart = (240, 200, 40) if rng.random() < 0.6 else (110, 70, 30)
        draw.ellipse([cx - r * 0.35, cy - r * 0.35, cx + r * 0.35, cy + r * 0.35], fill=heart)


def draw_fish(canvas, rng, side, zoom=1.0):
    """A fish: an oval body, a forked tail, a fin, an eye, and a few bubbles."""
    draw = ImageDraw.Draw(canvas)
    w = side * rng.uniform(0.08, 0.16) * zoom
    cx, cy = _centre(rng, side, y=(0.25, 0.75))
    angle = rng.uniform(-0.4, 0.4) + (math.pi if rng.random() < 0.5 else 0.0)
    colour = bright_colour(rng)
    body = [
        (cx + w * math.cos(t), cy + w * 0.45 * math.sin(t)) for t in np.linspace(0, 2 * math.pi, 28, endpoint=False)
    ]
    tail = [(cx - w * 0.85, cy), (cx - w * 1.45, cy - w * 0.45), (cx - w * 1.3, cy), (cx - w * 1.45, cy + w * 0.45)]
    fin = [(cx - w * 0.1, cy - w * 0.4), (cx - w * 0.45, cy - w * 0.75), (cx + w * 0.3, cy - w * 0.42)]
    draw.polygon(rotate_points(tail, (cx, cy), angle), fill=shade(colour, 0.8))
    draw.polygon(rotate_points(fin, (cx, cy), angle), fill=shade(colour, 0.8))
    draw.polygon(rotate_points(body, (cx, cy), angle), fill=colour)
    ex, ey = rotate_points([(cx + w * 0.55, cy - w * 0.1)], (cx, cy), angle)[0]
    draw.ellipse([ex - w * 0.09, ey - w * 0.09, ex + w * 0.09, ey + w * 0.09], fill=(20, 20, 20))
    for _ in range(rng.integers(0, 4)):
        bx, by, br = cx + rng.normal(0, w), cy - rng.uniform(w, 2.5 * w), w * rng.uniform(0.05, 0.12)
        draw.ellipse([bx - br, by - br, bx + br, by + br], outline=(230, 240, 255), width=max(1, int(br * 0.3)))


def draw_car(canvas, rng, side, zoom=1.0):
    """A car seen from the side: a body, a cabin with windows and two wheels."""
    draw = ImageDraw.Draw(canvas)
    w = side * rng.uniform(0.15, 0.3) * zoom
    cx, base = rng.uniform(side * 0.25, side * 0.75), side * rng.uniform(0.7, 0.95)
    colour = bright_colour(rng)
    draw.rounded_rectangle([cx - w / 2, base - w * 0.32, cx + w / 2, base - w * 0.08], radius=w * 0.06, fill=colour)
    draw.polygon(
        [
            (cx - w * 0.3, base - w * 0.32),
            (cx - w * 0.18, base - w * 0.52),
            (cx + w * 0.18, base - w * 0.52),
            (cx + w * 0.32, base - w * 0.32),
        ],
        fill=colour,
    )
    draw.polygon(
        [
            (cx - w * 0.24, base - w * 0.33),
            (cx - w * 0.15, base - w * 0.48),
            (cx + w * 0.15, base - w * 0.48),
            (cx + w * 0.25, base - w * 0.33),
        ],
        fill=(170, 200, 225),
    )
    for x in (-0.3, 0.3):
        r = w * 0.1
        draw.ellipse([cx + w * x - r, base - w * 0.08 - r, cx + w * x + r, base - w * 0.08 + r], fill=(25, 25, 25))
        draw.ellipse(
            [cx + w * x - r * 0.45, base - w * 0.08 - r * 0.45, cx + w * x + r * 0.45, base - w * 0.08 + r * 0.45],
            fill=(170, 170, 170),
        )


def draw_person(canvas, rng, side, zoom=1.0):
    """A person standing: head, a coloured top, trousers, arms and legs."""
    from .face_renderer import sample_skin_tone  # the course's one skin-tone sampler

    draw = ImageDraw.Draw(canvas)
    h = side * rng.uniform(0.25, 0.45) * zoom
    cx, feet = rng.uniform(side * 0.2, side * 0.8), side * rng.uniform(0.8, 1.0)
    skin, top, legs = sample_skin_tone(rng), bright_colour(rng), tuple(int(v) for v in rng.uniform(20, 120, 3))
    limb = max(2, int(h * 0.06))
    hip, shoulder = feet - h * 0.45, feet - h * 0.78
    for sx in (-1, 1):
        draw.line([(cx + sx * h * 0.04, hip), (cx + sx * h * rng.uniform(0.04, 0.14), feet)], fill=legs, width=limb)
        draw.line(
            [(cx + sx * h * 0.09, shoulder), (cx + sx * h * rng.uniform(0.12, 0.3), shoulder + h * 0.3)],
            fill=skin,
            width=limb,
        )
    draw.rectangle([cx - h * 0.1, shoulder, cx + h * 0.1, hip + h * 0.03], fill=top)
    r = h * 0.09
    draw.ellipse([cx - r, shoulder - 2.3 * r, cx + r, shoulder - 0.2 * r], fill=skin)


OBJECT_DRAWERS = {
    "balloons": draw_balloons,
    "birds": draw_birds,
    "plane": draw_plane,
    "sun": draw_sun,
    "moon": draw_moon,
    "stars": draw_stars,
    "rainbow": draw_rainbow,
    "hot_air_balloon": draw_hot_air_balloon,
    "parachute": draw_parachute,
    "butterfly": draw_butterfly,
    "diamond_sign": draw_diamond_sign,
    "round_sign": draw_round_sign,
    "triangle_sign": draw_triangle_sign,
    "traffic_light": draw_traffic_light,
    "flag": draw_flag,
    "tree": draw_tree,
    "house": draw_house,
    "sailboat": draw_sailboat,
    "umbrella": draw_umbrella,
    "beach_ball": draw_beach_ball,
    "flowers": draw_flowers,
    "fish": draw_fish,
    "car": draw_car,
    "person": draw_person,
}

# What the kite folder's "not_kite" photos show, and how often ("nothing" leaves the sky empty).
LOOK_ALIKES = {"balloons": 0.25, "birds": 0.2, "plane": 0.15, "diamond_sign": 0.15, "sun": 0.1, "nothing": 0.15}
