"""Street scenes: one procedural renderer of road views with boxes (detection) and per-pixel labels (segmentation).

The scene is laid out in a small 3-D world and projected through a pinhole camera at driver's height:
X metres to the right, Y metres up, Z metres ahead. A road of 2 to 4 lanes (dashed lane markings, edge
lines, sometimes a zebra crossing) runs to the horizon between two sidewalks; facades of buildings
with windows, parks and trees line it; cars of many colours and sizes (and sometimes a bus) drive in
the lanes or are parked by the kerb; pedestrians walk on the sidewalks or cross; poles carry traffic
lights, signs and lamps. Everything is drawn far to near with PIL, so near objects occlude far ones,
at twice the resolution (the RGB image is then reduced, which anti-aliases it) together with a class
map and an instance map (the mask and the boxes' visibility come from those).

Used by: cnnbook.data, the grader
"""

import math

import numpy as np
from PIL import Image, ImageDraw

from .cache import cached_arrays
from .drawing import DRAWING_VERSION, apply_light_and_noise
from .parallel_build import map_on_cores

__all__ = [
    "render_street_scene",
    "load_detection_scenes",
    "load_segmentation_scenes",
    "SEGMENTATION_CLASSES",
    "DETECTION_CLASSES",
    "STREET_SCENES_VERSION",
]

STREET_SCENES_VERSION = "1"
SEGMENTATION_CLASSES = (
    "sky",
    "building",
    "vegetation",
    "sidewalk",
    "road",
    "lane_marking",
    "car",
    "bus",
    "person",
    "traffic_light",
    "traffic_sign",
    "pole",
)
DETECTION_CLASSES = ("car", "bus", "person", "traffic_light")
_SEG = {name: i for i, name in enumerate(SEGMENTATION_CLASSES)}
_DET = {name: i for i, name in enumerate(DETECTION_CLASSES)}
_SUPERSAMPLE = 2
_DETECTION_SEED, _SEGMENTATION_SEED = 31, 32
_DETECTION_SIZE = (128, 128)
_DETECTION_SPLITS = {"train": (800, 1), "test": (200, 2)}
_SEGMENTATION_SIZE = (96, 128)
_SEGMENTATION_SPLITS = {"train": (500, 1), "test": (100, 2)}
_FAR = 220.0  # metres: the end of the modelled world

_CAR_COLOURS = [
    (235, 235, 232),
    (25, 25, 28),
    (170, 172, 178),
    (105, 108, 112),
    (190, 30, 35),
    (30, 70, 170),
    (20, 40, 90),
    (40, 120, 60),
    (235, 200, 40),
    (230, 110, 30),
    (110, 70, 40),
    (120, 30, 110),
]
_CAR_WEIGHTS = np.array([16, 14, 14, 10, 9, 8, 5, 5, 4, 4, 3, 3], dtype=float)
_FACADES = [
    (214, 200, 170),
    (180, 180, 182),
    (160, 80, 60),
    (230, 226, 214),
    (130, 100, 80),
    (120, 135, 150),
    (200, 170, 120),
    (150, 150, 140),
]


def _pick(rng, colours, amount=12, weights=None):
    """Return one of `colours` (optionally weighted), randomly tinted."""
    p = None if weights is None else weights / weights.sum()
    base = colours[rng.choice(len(colours), p=p)]
    return tuple(int(min(255, max(0, c + d))) for c, d in zip(base, rng.normal(0, amount, 3).tolist()))


def _tone(colour, factor):
    """Return an RGB colour darkened or lightened by `factor`."""
    return tuple(int(min(255, max(0, c * factor))) for c in colour)


class _Painter:
    """Projects world points through the camera and paints RGB, class and instance images together."""

    def __init__(self, height, width, horizon, focal, camera_height, sky):
        """Set up the camera (horizon row, focal length in pixels, height in metres) and the sky."""
        s = _SUPERSAMPLE
        self.s, self.h, self.w = s, height, width
        self.horizon, self.focal, self.cam_y = horizon * s, focal * s, camera_height
        self.cx = width * s / 2
        top, bottom = np.asarray(sky[0], np.float32), np.asarray(sky[1], np.float32)
        t = np.linspace(0, 1, height * s, dtype=np.float32)[:, None, None]  # (H s, 1, 1)
        ramp = top + t * (bottom - top)  # (H s, 1, 3)
        self.rgb = Image.fromarray(np.broadcast_to(ramp, (height * s, width * s, 3)).astype(np.uint8))
        # class and instance share one int32 image, 256 * class + instance: one draw call paints both
        self.labels = Image.new("I", (width * s, height * s), 256 * _SEG["sky"])
        self.d_rgb, self.d_labels = ImageDraw.Draw(self.rgb), ImageDraw.Draw(self.labels)

    def project(self, X, Y, Z):
        """Return the pixel coordinates (x, y) of the world point (X, Y, Z)."""
        Z = max(Z, 0.3)  # points behind the camera are pushed just in front of it
        return self.cx + self.focal * X / Z, self.horizon + self.focal * (self.cam_y - Y) / Z

    def polygon(self, X, Y, Z, colour, cls, inst=0):
        """Paint the world polygon with corners (X, Y, Z) (lists); return its pixel bounding box (x0, y0, x1, y1)."""
        # plain Python: the polygons have 3 to 6 corners, too few for NumPy to pay off
        f, cx, hy, cam = self.focal, self.cx, self.horizon, self.cam_y
        points = []
        for x, y, z in zip(X, Y, Z):
            z = z if z > 0.3 else 0.3
            points.append((cx + f * x / z, hy + f * (cam - y) / z))
        self.d_rgb.polygon(points, fill=colour)
        if cls is not None:
            self.d_labels.polygon(points, fill=256 * cls + inst)
        xs, ys = [q[0] for q in points], [q[1] for q in points]
        return min(xs), min(ys), max(xs), max(ys)

    def disc(self, X, Y, Z, radius, colour, cls, inst=0):
        """Paint a disc of `radius` metres facing the camera at (X, Y, Z); return its pixel bounding box."""
        x, y = self.project(X, Y, Z)
        r = max(self.focal * radius / max(Z, 0.3), 0.5)
        box = [x - r, y - r, x + r, y + r]
        self.d_rgb.ellipse(box, fill=colour)
        if cls is not None:
            self.d_labels.ellipse(box, fill=256 * cls + inst)
        return tuple(box)

    def quad_upright(self, X0, X1, Y0, Y1, Z, colour, cls, inst=0):
        """Paint an upright rectangle facing the camera (X0..X1, Y0..Y1 at depth Z)."""
        return self.polygon([X0, X1, X1, X0], [Y0, Y0, Y1, Y1], [Z] * 4, colour, cls, inst)


def _union(boxes):
    """Return the bounding box (x0, y0, x1, y1) of several boxes."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _draw_box3d(p, x0, x1, y0, y1, z0, z1, colour, cls, inst):
    # A box seen from the camera: the visible side face, the top (if below the eye) and the face toward us.
    boxes = []
    if x0 > 0:  # its left side faces the camera
        boxes.append(p.polygon([x0, x0, x0, x0], [y0, y0, y1, y1], [z0, z1, z1, z0], _tone(colour, 0.78), cls, inst))
    elif x1 < 0:
        boxes.append(p.polygon([x1, x1, x1, x1], [y0, y0, y1, y1], [z0, z1, z1, z0], _tone(colour, 0.78), cls, inst))
    if y1 < p.cam_y:
        boxes.append(p.polygon([x0, x1, x1, x0], [y1] * 4, [z0, z0, z1, z1], _tone(colour, 1.12), cls, inst))
    boxes.append(p.quad_upright(x0, x1, y0, y1, z0, colour, cls, inst))
    return boxes


def _draw_car(p, rng, x, z, inst, oncoming):
    """Draw a car (body, cabin, glass, lights) whose back (or front) is at depth z; return its pixel box."""
    width, length = rng.uniform(1.65, 2.0), rng.uniform(3.8, 4.9)
    body_top, roof = rng.uniform(0.95, 1.15), rng.uniform(1.38, 1.75)
    if rng.random() < 0.15:  # a van or an SUV
        roof, length = rng.uniform(1.8, 2.2), rng.uniform(4.6, 5.4)
    colour = _pick(rng, _CAR_COLOURS, weights=_CAR_WEIGHTS)
    cls = _SEG["car"]
    x0, x1 = x - width / 2, x + width / 2
    boxes = []
    detailed = p.focal * width / z > 8 * p.s  # far cars (under 8 pixels wide) get no wheels, lights or plate
    # wheels peek out under the body
    for wx in (x0 + 0.1, x1 - 0.45):
        if detailed:
            boxes.append(p.quad_upright(wx, wx + 0.35, 0.0, 0.45, z + 0.05, (18, 18, 20), cls, inst))
    if not detailed:
        boxes.append(p.quad_upright(x0 + 0.1, x1 - 0.1, 0.0, 0.45, z + 0.05, (18, 18, 20), cls, inst))
    boxes += _draw_box3d(p, x0, x1, 0.28, body_top, z, z + length, colour, cls, inst)
    inset = width * 0.1
    cabin_z0 = z + length * rng.uniform(0.12, 0.25)
    boxes += _draw_box3d(
        p, x0 + inset, x1 - inset, body_top, roof, cabin_z0, cabin_z0 + length * 0.5, colour, cls, inst
    )
    glass = (40, 52, 66) if rng.random() < 0.7 else (90, 110, 130)
    glass_h = (roof - body_top) * 0.75
    p.quad_upright(
        x0 + inset * 1.6, x1 - inset * 1.6, body_top + 0.06, body_top + glass_h, cabin_z0 - 0.01, glass, cls, inst
    )
    if not detailed:
        return _union(boxes)
    if oncoming:  # headlights and a grille
        for lx in (x0 + 0.12, x1 - 0.42):
            p.quad_upright(lx, lx + 0.3, body_top - 0.32, body_top - 0.14, z - 0.01, (250, 246, 210), cls, inst)
        p.quad_upright(x - 0.35, x + 0.35, body_top - 0.4, body_top - 0.18, z - 0.01, _tone(colour, 0.4), cls, inst)
    else:  # tail lights and a number plate
        for lx in (x0 + 0.08, x1 - 0.38):
            p.quad_upright(lx, lx + 0.3, body_top - 0.3, body_top - 0.1, z - 0.01, (210, 25, 25), cls, inst)
        p.quad_upright(x - 0.26, x + 0.26, 0.45, 0.6, z - 0.01, (235, 235, 225), cls, inst)
    return _union(boxes)


def _draw_bus(p, rng, x, z, inst):
    """Draw a bus with windows at lateral position x and depth z; return its pixel box."""
    width, length, height = 2.5, rng.uniform(10, 13), rng.uniform(2.9, 3.3)
    colour = _pick(rng, [(220, 40, 40), (240, 190, 30), (30, 90, 180), (235, 235, 230), (40, 140, 80)])
    cls = _SEG["bus"]
    boxes = []
    for wx in (x - width / 2 + 0.1, x + width / 2 - 0.5):
        boxes.append(p.quad_upright(wx, wx + 0.4, 0.0, 0.55, z + 0.05, (18, 18, 20), cls, inst))
    boxes += _draw_box3d(p, x - width / 2, x + width / 2, 0.3, height, z, z + length, colour, cls, inst)
    glass = (45, 58, 72)
    p.quad_upright(x - width / 2 + 0.15, x + width / 2 - 0.15, 1.3, height - 0.25, z - 0.01, glass, cls, inst)
    side_x = x - width / 2 if x - width / 2 > 0 else (x + width / 2 if x + width / 2 < 0 else None)
    if side_x is not None:  # a band of side windows
        near, far = z + 0.8, z + length - 0.5
        p.polygon([side_x] * 4, [1.4, 1.4, height - 0.3, height - 0.3], [near, far, far, near], glass, cls, inst)
    for lx in (x - width / 2 + 0.1, x + width / 2 - 0.4):
        p.quad_upright(lx, lx + 0.3, 0.6, 0.9, z - 0.02, (220, 30, 30), cls, inst)
    return _union(boxes)


def _draw_person(p, rng, x, z, inst):
    """Draw a pedestrian (legs, torso, arms, head, hair) standing at (x, z); return its pixel box."""
    height = rng.uniform(1.55, 1.92)
    cls = _SEG["person"]
    skin = tuple(int(v) for v in np.array([230, 185, 150]) * rng.uniform(0.4, 1.05))
    shirt = tuple(int(v) for v in rng.integers(20, 240, 3))
    trousers = _pick(rng, [(30, 35, 60), (40, 40, 42), (120, 110, 90), (70, 80, 110), (150, 30, 40)])
    stride = rng.uniform(-0.18, 0.18)
    hip, shoulder = height * 0.52, height * 0.82
    flat = [z] * 4  # a person is drawn as a flat figure facing the camera
    boxes = [
        p.polygon(
            [x - 0.17, x - 0.05, x - 0.05 + stride, x - 0.19 + stride], [hip, hip, 0, 0], flat, trousers, cls, inst
        ),
        p.polygon(
            [x + 0.05, x + 0.17, x + 0.19 - stride, x + 0.05 - stride], [hip, hip, 0, 0], flat, trousers, cls, inst
        ),
    ]
    boxes.append(
        p.polygon(
            [x - 0.22, x + 0.22, x + 0.2, x - 0.2], [shoulder, shoulder, hip - 0.05, hip - 0.05], flat, shirt, cls, inst
        )
    )
    for side in (-1, 1):
        swing = rng.uniform(-0.12, 0.12)
        boxes.append(
            p.polygon(
                [x + side * 0.2, x + side * 0.29, x + side * 0.3 + swing, x + side * 0.22 + swing],
                [shoulder, shoulder - 0.05, hip - 0.05, hip - 0.05],
                flat,
                _tone(shirt, 0.85),
                cls,
                inst,
            )
        )
    boxes.append(p.disc(x, height - 0.12, z, 0.12, skin, cls, inst))
    if rng.random() < 0.5:  # hair or a hat
        hair = _pick(rng, [(30, 25, 20), (90, 60, 30), (200, 170, 100), (150, 150, 150)])
        boxes.append(
            p.polygon(
                [x - 0.12, x + 0.12, x + 0.1, x - 0.1],
                [height - 0.1, height - 0.1, height + 0.01, height + 0.01],
                flat,
                hair,
                cls,
                inst,
            )
        )
    return _union(boxes)


def _draw_traffic_light(p, rng, x, z, inst, arm_to=None):
    """Draw a pole with a traffic light (on a mast arm if arm_to is given); return the light's box."""
    pole = (70, 72, 75)
    top = rng.uniform(3.2, 4.2)
    p.quad_upright(x - 0.07, x + 0.07, 0.0, top + 0.2, z, pole, _SEG["pole"])
    hx = x
    if arm_to is not None:  # a mast arm carries the light over the road
        p.quad_upright(min(x, arm_to), max(x, arm_to), top + 0.1, top + 0.22, z, pole, _SEG["pole"])
        hx = arm_to
        top = top + 0.1
    box = p.quad_upright(hx - 0.2, hx + 0.2, top - 0.95, top, z - 0.05, (28, 30, 28), _SEG["traffic_light"], inst)
    lit = rng.integers(3)
    for k, colour in enumerate([(235, 40, 30), (240, 180, 30), (40, 210, 90)]):
        dim = colour if k == lit else _tone(colour, 0.3)
        p.disc(hx, top - 0.18 - 0.3 * k, z - 0.08, 0.1, dim, _SEG["traffic_light"], inst)
    return box


def _draw_sign(p, rng, x, z):
    """Draw a traffic sign (round, triangular or square) on its pole."""
    pole = (95, 97, 100)
    top = rng.uniform(2.2, 2.8)
    p.quad_upright(x - 0.04, x + 0.04, 0.0, top, z, pole, _SEG["pole"])
    kind = rng.integers(3)
    cls = _SEG["traffic_sign"]
    if kind == 0:  # round: red ring
        p.disc(x, top, z - 0.02, 0.32, (200, 30, 30), cls)
        p.disc(x, top, z - 0.03, 0.24, (245, 245, 245), cls)
    elif kind == 1:  # triangle
        p.polygon([x - 0.36, x + 0.36, x], [top - 0.25, top - 0.25, top + 0.38], [z - 0.02] * 3, (200, 30, 30), cls)
        p.polygon([x - 0.25, x + 0.25, x], [top - 0.18, top - 0.18, top + 0.24], [z - 0.03] * 3, (245, 245, 245), cls)
    else:  # blue square
        p.quad_upright(x - 0.3, x + 0.3, top - 0.3, top + 0.3, z - 0.02, (30, 80, 170), cls)


def _draw_lamp(p, rng, x, z, toward_road):
    """Draw a street lamp leaning toward the road."""
    pole = (80, 82, 86)
    top = rng.uniform(6.0, 8.0)
    p.quad_upright(x - 0.08, x + 0.08, 0.0, top, z, pole, _SEG["pole"])
    p.quad_upright(min(x, x + toward_road * 1.5), max(x, x + toward_road * 1.5), top - 0.12, top, z, pole, _SEG["pole"])
    end = x + toward_road * 1.5
    p.quad_upright(end - 0.3, end + 0.3, top - 0.3, top - 0.05, z, (60, 60, 60), _SEG["pole"])


def _draw_tree(p, rng, x, z):
    """Draw a tree: a trunk and a canopy of overlapping discs."""
    trunk = (95, 70, 45)
    height, size = rng.uniform(3.0, 6.0), rng.uniform(0.22, 0.32)
    veg = _SEG["vegetation"]
    p.quad_upright(x - 0.13, x + 0.13, 0.0, height * 0.55, z, trunk, veg)
    radius = height * size
    n_blobs = 5 if p.focal * radius / z > 3 else 2  # far trees need no detail
    green = rng.uniform((30, 100, 30), (90, 160, 70))
    shifts = rng.normal(0, 1, (n_blobs, 2)) * (radius * 0.45, radius * 0.3)
    brightness, sizes = rng.uniform(0.75, 1.15, n_blobs), rng.uniform(0.6, 0.9, n_blobs)
    for k in range(n_blobs):
        colour = tuple(int(v) for v in np.minimum(green * brightness[k], 255))
        p.disc(x + shifts[k, 0], height * 0.72 + shifts[k, 1], z - 0.05 * k, radius * sizes[k], colour, veg)


def _draw_facades(p, rng, side, x_front):
    # Facades parallel to the road at X = x_front, from near to far; gaps show parks or the distance.
    z = 0.5
    height_prev = 0.0
    while z < 140:
        length = rng.uniform(8, 30)
        kind = rng.choice(3, p=[0.72, 0.16, 0.12])  # building, park, open gap
        z1 = min(z + length, 160)
        if kind == 0:
            height = rng.uniform(5, 30)
            colour = _pick(rng, _FACADES, 14)
            x_back = x_front + side * 12
            if height > height_prev + 1:  # the end wall toward the camera shows
                p.polygon(
                    [x_front, x_back, x_back, x_front],
                    [0, 0, height, height],
                    [z] * 4,
                    _tone(colour, 0.8),
                    _SEG["building"],
                )
            p.polygon([x_front] * 4, [0, 0, height, height], [z, z1, z1, z], colour, _SEG["building"])
            _draw_windows(p, rng, x_front, z, z1, height)
            height_prev = height
        elif kind == 1:
            for _ in range(int(length // 4)):
                _draw_tree(p, rng, x_front + side * rng.uniform(0, 6), rng.uniform(z, z1))
            height_prev = 0.0
        else:
            height_prev = 0.0
        z = z1


def _draw_windows(p, rng, x, z0, z1, height):
    # Windows on a facade: a grid along Z (columns) and Y (floors), skipped where they would be sub-pixel.
    glass = _pick(rng, [(60, 80, 100), (40, 50, 60), (140, 170, 190), (90, 90, 80)], 10)
    frame_gap = rng.uniform(2.2, 4.0)
    floors = np.arange(1.2, height - 1.0, 3.0).tolist()
    columns = np.arange(z0 + 0.8, z1 - 1.0, frame_gap).tolist()
    if len(floors) == 0 or len(columns) == 0:
        return
    for zc in columns:
        # the projected width of one window decides whether it is worth drawing
        if p.focal * 1.2 * abs(x) / (zc * zc) < 1.0 * p.s:
            continue
        for yc in floors:
            p.polygon([x] * 4, [yc, yc, yc + 1.3, yc + 1.3], [zc, zc + 1.2, zc + 1.2, zc], glass, None)


def _ground(p, x0, x1, colour, cls, z0=0.3, z1=_FAR):
    """Paint a strip of ground between lateral positions x0 and x1 and depths z0 and z1."""
    p.polygon([x0, x1, x1, x0], [0.0] * 4, [z0, z0, z1, z1], colour, cls)


def render_street_scene(rng, height: int = 128, width: int = 128):
    """Render one random street scene with its detection boxes and its per-pixel class map.

    Arguments:
    rng -- NumPy Generator
    height, width -- image size, pixels
    Returns:
    image -- (height, width, 3) uint8 RGB
    boxes -- (k, 4) float32 boxes (y1, x1, y2, x2) in pixels of the k visible cars, buses, people and traffic lights
    classes -- (k,) int64 indices into DETECTION_CLASSES
    mask -- (height, width) uint8 indices into SEGMENTATION_CLASSES
    """
    horizon = height * rng.uniform(0.36, 0.48)
    focal = width * rng.uniform(0.55, 0.8)
    sky_top = (rng.uniform(40, 120), rng.uniform(110, 170), rng.uniform(190, 250))
    sky_low = (rng.uniform(170, 235), rng.uniform(200, 235), rng.uniform(225, 255))
    if rng.random() < 0.2:  # overcast
        grey = rng.uniform(150, 215)
        sky_top, sky_low = (grey - 15, grey - 10, grey), (grey + 25, grey + 25, grey + 25)
    p = _Painter(height, width, horizon, focal, rng.uniform(1.3, 1.7), (sky_top, sky_low))
    for _ in range(rng.integers(0, 5)):  # clouds
        cx, cy, w = rng.uniform(0, width) * p.s, rng.uniform(0, horizon * 0.8) * p.s, rng.uniform(6, 20) * p.s
        shade = int(rng.uniform(225, 255))
        for _ in range(3):
            dx, r = rng.normal(0, w * 0.4), w * rng.uniform(0.3, 0.55)
            p.d_rgb.ellipse([cx + dx - r, cy - r * 0.5, cx + dx + r, cy + r * 0.5], fill=(shade,) * 3)

    # road geometry: lanes of 3-3.5 m, the camera in one of them, kerbs and sidewalks on both sides
    n_lanes = int(rng.integers(2, 5))
    lane = rng.uniform(3.0, 3.5)
    own = int(rng.integers(n_lanes))
    left = -(own + 0.5) * lane + rng.uniform(-0.4, 0.4)
    right = left + n_lanes * lane
    two_way = rng.random() < 0.7
    n_oncoming = n_lanes // 2 if two_way else 0
    walk_left, walk_right = rng.uniform(2.5, 5.0), rng.uniform(2.5, 5.0)

    # the distance: a skyline of far buildings and trees along the horizon
    for _ in range(rng.integers(6, 16)):
        x0 = rng.uniform(-120, 120)
        w, h = rng.uniform(6, 30), rng.uniform(4, 35)
        if rng.random() < 0.7:
            p.quad_upright(x0, x0 + w, 0, h, _FAR, _pick(rng, _FACADES, 20), _SEG["building"])
        else:
            p.disc(x0, h * 0.3, _FAR, h * 0.4, (60, 110, 60), _SEG["vegetation"])
    # ground: grass beyond the sidewalks, sidewalks, road, markings
    grass = _pick(rng, [(70, 120, 50), (95, 130, 60), (60, 100, 45)], 10)
    _ground(p, -400, left - walk_left, grass, _SEG["vegetation"])
    _ground(p, right + walk_right, 400, grass, _SEG["vegetation"])
    walk = _pick(rng, [(185, 180, 170), (160, 155, 150), (200, 190, 175), (150, 140, 130)], 8)
    _ground(p, left - walk_left, left, walk, _SEG["sidewalk"])
    _ground(p, right, right + walk_right, walk, _SEG["sidewalk"])
    asphalt = _pick(rng, [(70, 70, 74), (90, 90, 92), (55, 56, 60), (110, 108, 104)], 6)
    _ground(p, left, right, asphalt, _SEG["road"])
    kerb = _tone(walk, 0.75)
    _ground(p, left - 0.2, left, kerb, _SEG["sidewalk"])
    _ground(p, right, right + 0.2, kerb, _SEG["sidewalk"])
    paint = (240, 240, 235)
    mark = _SEG["lane_marking"]
    for x in (left + 0.3, right - 0.45):  # solid edge lines
        _ground(p, x, x + 0.15, paint, mark, 0.3, _FAR * 0.6)
    dash, gap = rng.uniform(2.5, 4.0), rng.uniform(4.0, 8.0)
    phase = rng.uniform(0, dash + gap)
    for k in range(1, n_lanes):
        x = left + k * lane
        if two_way and k == n_oncoming:  # the centre line: double and solid
            _ground(p, x - 0.2, x - 0.08, (245, 210, 60), mark, 0.3, _FAR * 0.6)
            _ground(p, x + 0.08, x + 0.2, (245, 210, 60), mark, 0.3, _FAR * 0.6)
            continue
        for z in np.arange(phase + 0.5, 70, dash + gap).tolist():
            _ground(p, x - 0.08, x + 0.08, paint, mark, z, z + dash)
    crossing = rng.uniform(9, 35) if rng.random() < 0.35 else None
    if crossing is not None:
        for x in np.arange(left + 0.3, right - 0.4, 1.0).tolist():
            _ground(p, x, x + 0.5, paint, mark, crossing, crossing + 3.0)

    # upright things, far to near: facades first (they never hide the road), then everything else by depth
    _draw_facades(p, rng, -1, left - walk_left)
    _draw_facades(p, rng, 1, right + walk_right)
    things = []  # (depth, kind, x)
    for k in range(n_lanes):
        x = left + (k + 0.5) * lane
        oncoming = k < n_oncoming
        z = rng.uniform(3.5, 12) if k != own else rng.uniform(6, 16)
        while z < 75:
            if rng.random() < 0.75:
                kind = "bus" if rng.random() < 0.06 else ("car_on" if oncoming else "car")
                things.append((z, kind, x + rng.normal(0, 0.25)))
            z += rng.uniform(7, 30) * (1 + z / 40)
    for side, kerb_x in ((-1, left), (1, right)):
        if rng.random() < 0.5:  # a row of parked cars by the kerb
            for z in np.arange(rng.uniform(4, 12), 70, rng.uniform(5.5, 9)).tolist():
                if rng.random() < 0.7:
                    things.append((z, "car", kerb_x - side * 1.15))
    for _ in range(rng.integers(0, 8)):
        side = rng.choice([-1, 1])
        x = (left - rng.uniform(0.5, walk_left - 0.3)) if side < 0 else (right + rng.uniform(0.5, walk_right - 0.3))
        things.append((rng.uniform(3.5, 45), "person", x))
    if crossing is not None:
        for _ in range(rng.integers(0, 4)):
            things.append((crossing + rng.uniform(0.3, 2.7), "person", rng.uniform(left, right)))
    for _ in range(rng.integers(0, 3)):
        side = rng.choice([-1, 1])
        x = left - 0.6 if side < 0 else right + 0.6
        arm = rng.random() < 0.4
        things.append((rng.uniform(8, 45), "light_arm" if arm else "light", x))
    for _ in range(rng.integers(0, 3)):
        side = rng.choice([-1, 1])
        things.append((rng.uniform(5, 40), "sign", left - 0.5 if side < 0 else right + 0.5))
    for _ in range(rng.integers(0, 4)):
        side = rng.choice([-1, 1])
        things.append((rng.uniform(5, 60), "lamp", left - 0.4 if side < 0 else right + 0.4))
    for _ in range(rng.integers(0, 9)):
        side = rng.choice([-1, 1])
        x = left - rng.uniform(0.8, walk_left) if side < 0 else right + rng.uniform(0.8, walk_right)
        things.append((rng.uniform(4, 80), "tree", x))

    objects = []  # (instance id, detection class, pixel box)
    for z, kind, x in sorted(things, key=lambda t: -t[0]):
        inst = len(objects) + 1
        if kind in ("car", "car_on"):
            box = _draw_car(p, rng, x, z, inst, oncoming=(kind == "car_on"))
            objects.append((inst, _DET["car"], box))
        elif kind == "bus":
            objects.append((inst, _DET["bus"], _draw_bus(p, rng, x, z, inst)))
        elif kind == "person":
            objects.append((inst, _DET["person"], _draw_person(p, rng, x, z, inst)))
        elif kind in ("light", "light_arm"):
            arm_to = (x + (1 if x < 0 else -1) * rng.uniform(2.5, 4.5)) if kind == "light_arm" else None
            objects.append((inst, _DET["traffic_light"], _draw_traffic_light(p, rng, x, z, inst, arm_to)))
        elif kind == "sign":
            _draw_sign(p, rng, x, z)
        elif kind == "lamp":
            _draw_lamp(p, rng, x, z, 1 if x < 0 else -1)
        else:
            _draw_tree(p, rng, x, z)
        if len(objects) >= 250:  # the instance map holds ids up to 255
            break

    s = _SUPERSAMPLE
    image = np.asarray(p.rgb.reduce(s), dtype=np.float32)  # (height, width, 3)
    image = apply_light_and_noise(
        image,
        brightness=float(np.exp(rng.uniform(-0.2, 0.15))),
        light_direction=float(rng.uniform(0, 2 * math.pi)),
        light_strength=float(rng.uniform(0, 0.2)),
        tint=tuple(rng.uniform(0.94, 1.06, 3)),
        noise=float(rng.uniform(0, 4)),
        noise_seed=int(rng.integers(2**31)),
    )
    labels = np.asarray(p.labels)  # (height s, width s) int32, 256 * class + instance
    mask = (labels[s // 2 :: s, s // 2 :: s] >> 8).astype(np.uint8)  # (height, width): the class at each pixel's centre
    visible = np.bincount((labels & 255).ravel(), minlength=256) / (s * s)  # pixels of each instance
    boxes, classes = [], []
    for inst, det_class, (x0, y0, x1, y1) in objects:
        x0, x1 = np.clip([x0 / s, x1 / s], 0, width)
        y0, y1 = np.clip([y0 / s, y1 / s], 0, height)
        area = (x1 - x0) * (y1 - y0)
        # keep objects of at least 3 x 3 pixels of which a fair part is not hidden behind nearer things
        if x1 - x0 >= 3 and y1 - y0 >= 3 and visible[inst] >= max(6.0, 0.25 * area):
            boxes.append((y0, x0, y1, x1))
            classes.append(det_class)
    return (image, np.asarray(boxes, np.float32).reshape(-1, 4), np.asarray(classes, np.int64), mask)


def _version():
    """Return the generator version of the street-scene data sets."""
    return f"streets-{STREET_SCENES_VERSION}/drawing-{DRAWING_VERSION}"


def _render_numbered_scene(item):
    """Render scene number i of a data set, item = (seed, stream, i, height, width): see render_street_scene."""
    seed, stream, i, height, width = item
    return render_street_scene(np.random.default_rng([seed, stream, i]), height, width)


def _build_detection(split):
    # Boxes are stored padded to the most crowded scene: (n, k_max, 4) with a count per scene.
    n, stream = _DETECTION_SPLITS[split]
    height, width = _DETECTION_SIZE
    scenes = map_on_cores(_render_numbered_scene, [(_DETECTION_SEED, stream, i, height, width) for i in range(n)])
    images = np.stack([image for image, _, _, _ in scenes]).astype(np.uint8, copy=False)
    all_boxes = [boxes for _, boxes, _, _ in scenes]
    all_classes = [classes for _, _, classes, _ in scenes]
    counts = np.array([len(b) for b in all_boxes], np.int64)
    k_max = max(1, int(counts.max()))
    boxes = np.zeros((n, k_max, 4), np.float32)
    classes = np.full((n, k_max), -1, np.int64)
    for i, (b, c) in enumerate(zip(all_boxes, all_classes)):
        boxes[i, : len(b)], classes[i, : len(c)] = b, c
    return {"images": images, "boxes": boxes, "classes": classes, "counts": counts}


def load_detection_scenes(split: str = "train"):
    """Load street scenes with the boxes and classes of their cars, buses, people and traffic lights.

    Made procedurally (seed 31) by render_street_scene: a camera at driver's height looks down a road of
    2 to 4 lanes to the horizon, between sidewalks, facades with windows, parks and trees; cars of many
    colours and sizes drive in the lanes (oncoming ones show headlights) or are parked by the kerb, and
    sometimes a bus; pedestrians walk or cross; poles carry traffic lights, signs and lamps. Near things
    hide far ones. A box is kept if it is at least 3 x 3 pixels and a quarter of its area is visible.
    Cached in the data folder (see cache.data_dir), one file per split.

    Arguments:
    split -- "train" (800 scenes) or "test" (200 held-out scenes)
    Returns:
    images -- (n, 128, 128, 3) uint8 RGB
    boxes -- list of n float32 arrays (k_i, 4): (y1, x1, y2, x2) in pixels, y down, x right
    classes -- list of n int64 arrays (k_i,): indices into DETECTION_CLASSES ("car", "bus", "person", "traffic_light")
    """
    if split not in _DETECTION_SPLITS:
        raise ValueError(f"split must be one of {sorted(_DETECTION_SPLITS)}, got {split!r}")
    arrays = cached_arrays(f"street_detection_{split}", _version(), _DETECTION_SEED, lambda: _build_detection(split))
    counts = arrays["counts"]
    boxes = [arrays["boxes"][i, :k] for i, k in enumerate(counts)]
    classes = [arrays["classes"][i, :k] for i, k in enumerate(counts)]
    return arrays["images"], boxes, classes


def _build_segmentation():
    """Render the segmentation splits: images (n, 96, 128, 3) and masks (n, 96, 128)."""
    height, width = _SEGMENTATION_SIZE
    arrays = {}
    items = [
        (split, (_SEGMENTATION_SEED, stream, i, height, width))
        for split, (n, stream) in _SEGMENTATION_SPLITS.items()
        for i in range(n)
    ]
    scenes = map_on_cores(_render_numbered_scene, [item for _, item in items])
    for split in _SEGMENTATION_SPLITS:
        mine = [scene for (name, _), scene in zip(items, scenes) if name == split]
        arrays[f"x_{split}"] = np.stack([image for image, _, _, _ in mine]).astype(np.uint8, copy=False)
        arrays[f"y_{split}"] = np.stack([mask for _, _, _, mask in mine]).astype(np.uint8, copy=False)
    return arrays


def load_segmentation_scenes():
    """Load street scenes with a class for every pixel, for semantic segmentation (U-Net).

    Made procedurally (seed 32) by render_street_scene (see load_detection_scenes for the scenes). The
    mask gives each pixel the class of what is drawn at its centre: SEGMENTATION_CLASSES = sky, building,
    vegetation, sidewalk, road, lane_marking, car, bus, person, traffic_light, traffic_sign, pole
    (ids 0..11; every pixel has a class). Cached in the data folder (see cache.data_dir).

    Returns:
    x_train -- (500, 96, 128, 3) uint8 RGB
    y_train -- (500, 96, 128) uint8 class ids in 0..11
    x_test -- (100, 96, 128, 3) uint8 RGB
    y_test -- (100, 96, 128) uint8 class ids
    """
    arrays = cached_arrays("street_segmentation", _version(), _SEGMENTATION_SEED, _build_segmentation)
    return arrays["x_train"], arrays["y_train"], arrays["x_test"], arrays["y_test"]
