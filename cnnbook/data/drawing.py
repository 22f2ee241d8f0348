"""The drawing kit the procedural photographs share: posed shapes in units, backgrounds, lighting and noise.

A `Pen` draws polygons, ellipses and round-capped lines given in "units" (the image spans 100 x 100
units whatever its pixel size) onto a supersampled PIL canvas, through an in-plane pose (rotation
about a pivot, scale, shift). Backgrounds are plain, a linear colour ramp, or an out-of-focus crop of
one of scikit-image's bundled photographs; `apply_light_and_noise` adds exposure, a side light, a
colour cast and sensor noise with vectorised NumPy.

Used by: cnnbook.data.face_renderer, cnnbook.data.faces, cnnbook.data.hand_signs, cnnbook.data.outdoor_drawing,
cnnbook.data.pretraining_objects, cnnbook.data.smiles, cnnbook.data.street_scenes, cnnbook.data.transfer_target
"""

import functools
import math

import numpy as np
from PIL import Image

__all__ = [
    "Pen",
    "ellipse_points",
    "shade",
    "sample_background",
    "render_background",
    "apply_light_and_noise",
    "BACKGROUND_PHOTOS",
    "DRAWING_VERSION",
]

# Bump when a change here alters the pixels of any data set drawn with this kit (they are then rebuilt).
DRAWING_VERSION = "1"

# scikit-image's bundled photographs used as backgrounds (none of them shows a person)
BACKGROUND_PHOTOS = ("coffee", "rocket", "brick", "grass", "gravel", "colorwheel", "immunohistochemistry")


class Pen:
    """Draws shapes given in units onto a supersampled canvas, through the photo's pose (rotation, scale, shift)."""

    def __init__(self, draw, k, angle=0.0, scale=1.0, shift=(0.0, 0.0), pivot=(50.0, 50.0)):
        """Set the pose: k pixels per unit, then rotation by angle (degrees) about pivot, scale and shift."""
        theta = math.radians(angle)
        self.draw, self.pivot = draw, pivot
        # pixel = k * (pivot + shift + scale * R(angle) (unit - pivot))
        self.m = k * scale * np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
        self.offset = k * (np.asarray(pivot) + np.asarray(shift))
        self.k_line = k * scale

    def xy(self, points):
        """Return the pixel coordinates of points (n, 2) in units as a flat list [x0, y0, x1, y1, ...]."""
        pts = np.asarray(points, dtype=float) - self.pivot  # (n, 2)
        return (pts @ self.m.T + self.offset).ravel().tolist()

    def polygon(self, points, fill):
        """Fill the polygon with corners points (n, 2) in units."""
        self.draw.polygon(self.xy(points), fill=fill)

    def ellipse(self, cx, cy, rx, ry, fill):
        """Fill the axis-aligned ellipse of centre (cx, cy) and radii (rx, ry) in units."""
        n = 16 if max(rx, ry) < 3 else 32
        self.draw.polygon(self.xy(ellipse_points(cx, cy, rx, ry, 0.0, n)), fill=fill)

    def line(self, points, fill, width):
        """Draw a polyline through points (n, 2) in units, width in units, with round caps."""
        flat = self.xy(points)
        w = max(1, int(round(width * self.k_line)))
        self.draw.line(flat, fill=fill, width=w, joint="curve")
        r = w / 2  # round caps
        for x, y in ((flat[0], flat[1]), (flat[-2], flat[-1])):
            self.draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)


@functools.lru_cache(maxsize=16)
def _unit_circle(n):
    """Return cos and sin of n angles evenly spaced around the circle."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.cos(t), np.sin(t)


def ellipse_points(cx, cy, rx, ry, angle_deg=0.0, n=28):
    """Return an array (n, 2) of points (x, y) on an ellipse of radii (rx, ry) rotated by angle_deg about its centre."""
    cos, sin = _unit_circle(n)
    x, y = rx * cos, ry * sin
    a = math.radians(angle_deg)
    return np.stack([cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)], axis=1)


def shade(colour, factor):
    """Return an RGB colour darkened (factor < 1) or lightened (factor > 1), clipped to 0..255."""
    return tuple(int(min(255, max(0, v * factor))) for v in colour[:3])


def _wall_colour(rng, muted, avoid):
    # A wall colour; with `avoid` (a grey level) its grey level stays at least 50 away from it.
    low, high = 35.0, 245.0
    if avoid is not None:
        gap_low, gap_high = max(low, avoid - 50), min(high, avoid + 50)
        level = rng.uniform(low, high - (gap_high - gap_low))
        level = level + (gap_high - gap_low) if level > gap_low else level  # skip the gap
    else:
        level = rng.uniform(low, high)
    spread = 22 if muted else 70
    colour = level + rng.normal(0, spread, 3)
    if avoid is not None:
        colour = colour - colour.mean() + level  # keep the chosen grey level
    return tuple(int(v) for v in np.clip(colour, 0, 255))


def sample_background(rng, photo_probability=0.3, muted=False, avoid=None) -> tuple:
    """Return a random background spec: ("solid", rgb), ("gradient", rgb, rgb, angle) or ("photo", name, box).

    Arguments:
    rng -- NumPy Generator
    photo_probability -- chance of a blurred crop of a bundled photograph rather than a plain or ramped wall
    muted -- walls of greyish colours (a grey level with a light tint) rather than any colour
    avoid -- None, or a grey level 0..255 (e.g. of the skin) that plain walls keep away from, for contrast
    """
    plain = 1.0 - photo_probability
    kind = rng.choice(3, p=[0.43 * plain, 0.57 * plain, photo_probability])
    if kind == 0:
        return ("solid", _wall_colour(rng, muted, avoid))
    if kind == 1:
        return (
            "gradient",
            _wall_colour(rng, muted, avoid),
            _wall_colour(rng, muted, avoid),
            float(rng.uniform(0, 2 * math.pi)),
        )
    name = BACKGROUND_PHOTOS[rng.integers(len(BACKGROUND_PHOTOS))]
    side = float(rng.uniform(0.3, 0.7))  # crop side as a fraction of the photo's shorter side
    return ("photo", name, (side, float(rng.random()), float(rng.random())))


@functools.lru_cache(maxsize=None)
def _background_photo(name):
    # one of scikit-image's bundled photographs as an RGB PIL image, loaded once per process
    import skimage.data  # the photographs bundled with scikit-image (no download)

    image = getattr(skimage.data, name)()
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    return Image.fromarray(np.ascontiguousarray(image[..., :3]))


def render_background(spec, side):
    """Return an RGB PIL image (side, side) for a background spec made by sample_background."""
    kind = spec[0]
    if kind == "solid":
        return Image.new("RGB", (side, side), tuple(spec[1]))
    if kind == "gradient":
        # a 2 x 2 image stretched bilinearly is a linear ramp in any direction
        c0, c1, angle = np.asarray(spec[1], float), np.asarray(spec[2], float), spec[3]
        corners = np.array([[-1, -1], [1, -1], [-1, 1], [1, 1]]) * 0.5  # (x, y) of the 4 corners
        t = np.clip(0.5 + corners @ np.array([math.cos(angle), math.sin(angle)]) * 0.7, 0, 1)[:, None]
        ramp = (c0 + t * (c1 - c0)).reshape(2, 2, 3).astype(np.uint8)
        return Image.fromarray(ramp).resize((side, side), Image.BILINEAR, reducing_gap=None)
    photo = _background_photo(spec[1])
    frac, fx, fy = spec[2]
    crop = int(min(photo.size) * frac)
    x0 = int(fx * (photo.size[0] - crop))
    y0 = int(fy * (photo.size[1] - crop))
    # shrinking then enlarging blurs the photo cheaply (an out-of-focus background)
    patch = photo.resize((side // 6, side // 6), Image.BILINEAR, box=(x0, y0, x0 + crop, y0 + crop))
    return patch.resize((side, side), Image.BILINEAR)


@functools.lru_cache(maxsize=8)
def _light_grid(n_H, n_W):
    """Return the pixel coordinates (yy, xx), each (n_H, n_W), scaled to -0.5..0.5."""
    yy, xx = np.mgrid[0:n_H, 0:n_W].astype(np.float32) / max(n_H, n_W) - 0.5
    return yy, xx


def apply_light_and_noise(
    image, brightness=1.0, light_direction=0.0, light_strength=0.0, tint=(1.0, 1.0, 1.0), noise=0.0, noise_seed=0
):
    """Return image (n_H, n_W, 3) float 0..255 as uint8 after exposure, a side light, a colour cast and noise."""
    yy, xx = _light_grid(*image.shape[:2])  # (n_H, n_W) each, -0.5..0.5
    ramp = np.float32(math.cos(light_direction)) * xx + np.float32(math.sin(light_direction)) * yy
    gain = np.float32(brightness) * (1 + np.float32(light_strength * 2) * ramp)  # (n_H, n_W)
    image = image * gain[..., None]
    image *= np.asarray(tint, dtype=np.float32)
    if noise > 0:
        grain = np.random.default_rng(noise_seed).standard_normal(image.shape, dtype=np.float32)
        grain *= np.float32(noise)
        image += grain
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)
