"""Images for neural style transfer: content photographs bundled with scikit-image and procedural paintings.

Content images are scikit-image's sample photographs, centre-cropped to a square and resized. Style
images are "paintings" generated here: brush strokes following a flow field, a mosaic of Voronoi tiles
with grout, swirling bands around vortices with glowing stars, and dots of pure colour (pointillism).
All are the same size, so a content and a style image can be fed to one network together.

Used by: cnnbook.data
"""

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .cache import cached_arrays

__all__ = [
    "load_content_image",
    "load_style_image",
    "CONTENT_IMAGES",
    "STYLE_IMAGES",
    "STYLE_IMAGE_SIZE",
    "STYLE_IMAGES_VERSION",
]

STYLE_IMAGES_VERSION = "1"
STYLE_IMAGE_SIZE = 192
CONTENT_IMAGES = ("astronaut", "chelsea", "coffee", "rocket")
STYLE_IMAGES = ("brush_strokes", "mosaic", "swirls", "pointillism")
_SEED = 1889


def _content(name, size):
    # A centre square of the bundled photograph, resized with a Lanczos filter.
    import skimage.data  # bundled with scikit-image: no download

    photo = getattr(skimage.data, name)()[..., :3]
    n_H, n_W = photo.shape[:2]
    side = min(n_H, n_W)
    top, left = (n_H - side) // 2, (n_W - side) // 2
    square = Image.fromarray(np.ascontiguousarray(photo[top : top + side, left : left + side]))
    return np.asarray(square.resize((size, size), Image.LANCZOS))


def _smooth_field(rng, size, cells, channels):
    # A smooth random field (size, size, channels) in 0..1: a coarse grid of random values enlarged bicubically.
    coarse = rng.random((cells, cells, channels)).astype(np.float32)
    enlarged = [
        np.asarray(Image.fromarray(np.ascontiguousarray(coarse[..., c])).resize((size, size), Image.BICUBIC))
        for c in range(channels)
    ]
    return np.clip(np.stack(enlarged, axis=-1), 0, 1)


def _palette_lookup(palette, t):
    # Colours (..., 3) interpolated along a palette (k, 3) at positions t in 0..1.
    palette = np.asarray(palette, np.float32)
    pos = np.clip(t, 0, 1) * (len(palette) - 1)
    low = np.floor(pos).astype(int)
    high = np.minimum(low + 1, len(palette) - 1)
    frac = (pos - low)[..., None]
    return palette[low] * (1 - frac) + palette[high] * frac


def _brush_strokes(rng, size):
    # Short thick strokes along a flow field over a smooth under-painting, warm against cool colours.
    s = 2
    side = size * s
    palette = [(28, 50, 90), (60, 110, 150), (120, 170, 170), (230, 200, 120), (220, 120, 60), (150, 50, 40)]
    tone = _smooth_field(rng, side, 5, 1)[..., 0]  # (side, side)
    canvas = Image.fromarray(_palette_lookup(palette, tone).astype(np.uint8))
    draw = ImageDraw.Draw(canvas)
    n = 2600
    xy = rng.random((n, 2)) * side
    phase = rng.uniform(0, 2 * np.pi, 3)
    angle = (np.sin(xy[:, 0] / side * 5 + phase[0]) + np.cos(xy[:, 1] / side * 4 + phase[1])) * 1.4 + phase[2]
    length = rng.uniform(6, 16, n) * s
    width = rng.integers(3, 7, n) * s
    tone_at = tone[xy[:, 1].astype(int), xy[:, 0].astype(int)] + rng.normal(0, 0.12, n)
    colours = np.clip(_palette_lookup(palette, tone_at) * rng.uniform(0.85, 1.15, (n, 1)), 0, 255).astype(int)
    for (x, y), a, l_, w, c in zip(xy.tolist(), angle.tolist(), length.tolist(), width.tolist(), colours.tolist()):
        dx, dy = math.cos(a) * l_ / 2, math.sin(a) * l_ / 2
        draw.line([(x - dx, y - dy), (x + dx, y + dy)], fill=tuple(c), width=int(w))
    return np.asarray(canvas.reduce(s))


def _mosaic(rng, size):
    # Voronoi tiles on a jittered grid, coloured by a smooth field, with dark grout between them.
    from scipy.spatial import cKDTree  # imported here: only building the mosaic needs SciPy

    cells = 22
    grid = (np.stack(np.meshgrid(np.arange(cells), np.arange(cells)), -1).reshape(-1, 2) + 0.5) / cells * size
    seeds = grid + rng.uniform(-0.35, 0.35, grid.shape) * size / cells  # (cells**2, 2)
    yy, xx = np.mgrid[0:size, 0:size]
    pixels = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)  # (size**2, 2)
    distance, nearest = cKDTree(seeds).query(pixels, k=2)  # (size**2, 2) each
    palette = [(20, 60, 120), (40, 140, 160), (240, 230, 200), (220, 170, 40), (190, 60, 40), (90, 40, 80)]
    field = _smooth_field(rng, size, 4, 1)[..., 0]
    rings = np.hypot(seeds[:, 0] - size / 2, seeds[:, 1] - size / 2) / size * 3.0
    seed_px = seeds.astype(int).clip(0, size - 1)  # (n_seeds, 2) as (x, y)
    seed_tone = (field[seed_px[:, 1], seed_px[:, 0]] + rings) % 1.0
    tile_colour = _palette_lookup(palette, seed_tone) * rng.uniform(0.88, 1.12, (len(seeds), 1))  # (n_seeds, 3)
    image = tile_colour[nearest[:, 0]].reshape(size, size, 3)
    grout = (distance[:, 1] - distance[:, 0]).reshape(size, size) < 1.3
    image[grout] = (45, 40, 38)
    return np.clip(image, 0, 255).astype(np.uint8)


def _swirls(rng, size):
    # Wavy bands twisted around a few vortices (a night sky), with glowing yellow stars.
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    u, v = xx.copy(), yy.copy()
    for _ in range(4):
        # rotate the coordinates about a centre by an angle that fades with distance: a smooth whirl
        cx, cy, radius = rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9), rng.uniform(0.12, 0.25)
        turn = rng.choice([-1, 1]) * rng.uniform(2.5, 5.0) * np.exp(-np.hypot(u - cx, v - cy) / radius)
        cos, sin = np.cos(turn), np.sin(turn)
        u, v = cx + cos * (u - cx) - sin * (v - cy), cy + sin * (u - cx) + cos * (v - cy)
    bands = 0.5 + 0.5 * np.sin(2 * np.pi * (v * 7 + 0.4 * np.sin(u * 6)))
    palette = [(10, 20, 60), (25, 60, 140), (70, 120, 190), (150, 180, 210), (235, 215, 120)]
    image = _palette_lookup(palette, bands * 0.8 + 0.15 * yy)
    for _ in range(9):
        cx, cy, radius = rng.uniform(0, 1), rng.uniform(0, 0.7), rng.uniform(0.015, 0.05)
        glow = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2))[..., None]
        image = image * (1 - glow) + np.array([250, 225, 110], np.float32) * glow
    return np.clip(image, 0, 255).astype(np.uint8)


def _pointillism(rng, size):
    # Dots of pure colour that blend into a landscape (sky, sea, shore) at a distance.
    s = 2
    side = size * s
    canvas = Image.new("RGB", (side, side), (235, 230, 215))
    draw = ImageDraw.Draw(canvas)
    horizon, shore = rng.uniform(0.3, 0.45), rng.uniform(0.6, 0.75)
    zones = [
        (0.0, horizon, [(120, 170, 230), (250, 240, 200), (170, 200, 240)]),
        (horizon, shore, [(30, 90, 170), (60, 150, 190), (240, 240, 230)]),
        (shore, 1.0, [(230, 190, 90), (200, 120, 50), (110, 150, 60)]),
    ]
    n = 6000
    xy = rng.random((n, 2))
    radius = rng.uniform(1.5, 3.0, n) * s
    pick = rng.integers(3, size=n)
    for (x, y), r, k in zip(xy.tolist(), radius.tolist(), pick.tolist()):
        colours = next(c for top, bottom, c in zones if top <= y < bottom or bottom == 1.0)
        cx, cy = x * side, y * side
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colours[k])
    return np.asarray(canvas.filter(ImageFilter.SMOOTH).reduce(s))


_PAINTERS = {"brush_strokes": _brush_strokes, "mosaic": _mosaic, "swirls": _swirls, "pointillism": _pointillism}


def _build_images():
    """Return every content and style image, keyed "content_<name>" and "style_<name>"."""
    arrays = {f"content_{name}": _content(name, STYLE_IMAGE_SIZE) for name in CONTENT_IMAGES}
    for k, name in enumerate(STYLE_IMAGES):
        arrays[f"style_{name}"] = _PAINTERS[name](np.random.default_rng([_SEED, k]), STYLE_IMAGE_SIZE)
    return arrays


def _load(kind, name, names):
    """Return one image of the cached set, after checking its name."""
    if name not in names:
        raise ValueError(f"unknown {kind} image {name!r}; choose one of {', '.join(names)}")
    arrays = cached_arrays("style_transfer_images", STYLE_IMAGES_VERSION, _SEED, _build_images)
    return arrays[f"{kind}_{name}"]


def load_content_image(name: str = "astronaut") -> np.ndarray:
    """Load a content photograph for style transfer: a scikit-image sample photo, centre-cropped and resized.

    The photographs ship with scikit-image (no download): "astronaut" (a portrait), "chelsea" (a cat),
    "coffee" (a cup of coffee), "rocket" (a rocket on its launch pad). Cached in the data folder together
    with the style images (see cache.data_dir).

    Arguments:
    name -- one of CONTENT_IMAGES
    Returns:
    image -- (192, 192, 3) uint8 RGB (divide by 255 for floats in [0, 1])
    """
    return _load("content", name, CONTENT_IMAGES)


def load_style_image(name: str = "swirls") -> np.ndarray:
    """Load a procedural painting to take the style from, the same size as the content images.

    Made procedurally (seed 1889): "brush_strokes" (thick short strokes following a flow field over a warm
    and cool under-painting), "mosaic" (Voronoi tiles with dark grout, coloured in rings), "swirls" (bands
    spiralling around vortices in a blue night sky with glowing stars), "pointillism" (thousands of dots of
    pure colour forming sky, sea and shore). Cached in the data folder (see cache.data_dir).

    Arguments:
    name -- one of STYLE_IMAGES
    Returns:
    image -- (192, 192, 3) uint8 RGB (divide by 255 for floats in [0, 1])
    """
    return _load("style", name, STYLE_IMAGES)
