"""Small synthetic signals for the 1D and 3D convolution examples: an ECG-like trace, a CT-like volume, a video clip.

Each is made from a seeded NumPy generator, so the book shows the same data on every machine, and
each comes with its ground truth (where the heartbeats, the nodules or the moving square are).

Used by: book/week4/09_conv_1d_3d.md
"""

import numpy as np

__all__ = ["ECG_SAMPLING_RATE", "make_ecg_like", "make_ct_like_volume", "make_moving_square_clip"]

ECG_SAMPLING_RATE = 250  # samples per second
# one heartbeat as a sum of Gaussian bumps: (delay from the R peak in s, width in s, height); P, Q, R, S, T
_BEAT_WAVES = (
    (-0.20, 0.025, 0.15),
    (-0.03, 0.010, -0.15),
    (0.0, 0.011, 1.0),
    (0.03, 0.010, -0.30),
    (0.30, 0.050, 0.35),
)


def make_ecg_like(rng, n_steps=1000, qrs_halfwidth=0.04):
    """Return an ECG-like trace and a mask of its QRS complexes (the spikes of each heartbeat).

    Heartbeats come 0.6 to 1.0 s apart (60 to 100 beats a minute, with a little jitter); each is a P wave,
    a sharp QRS complex and a broad T wave whose height varies from beat to beat. A slow baseline drift and
    white noise are added.

    Arguments:
    rng -- numpy.random.Generator
    n_steps -- length of the trace, in samples at ECG_SAMPLING_RATE (1000: 4 seconds)
    qrs_halfwidth -- the mask covers this many seconds on each side of an R peak
    Returns:
    signal -- (n_steps,) float32, in millivolt-like units
    qrs -- (n_steps,) float32, 1 within qrs_halfwidth of an R peak, else 0
    r_peaks -- (n_beats,) int sample index of each R peak
    """
    t = np.arange(n_steps) / ECG_SAMPLING_RATE  # (n_steps,) seconds
    interval = rng.uniform(0.6, 1.0)
    peaks, time = [], rng.uniform(0.1, interval)
    while time < t[-1]:
        peaks.append(time)
        time += interval * rng.uniform(0.92, 1.08)
    signal = np.zeros(n_steps)
    for peak in peaks:
        scale, t_height = rng.uniform(0.7, 1.2), rng.uniform(0.5, 1.6)
        for k, (delay, width, height) in enumerate(_BEAT_WAVES):
            height = height * (t_height if k == 4 else scale)  # the T wave varies on its own
            signal += height * np.exp(-0.5 * ((t - peak - delay) / width) ** 2)
    drift = 0.25 * np.sin(2 * np.pi * rng.uniform(0.15, 0.35) * t + rng.uniform(0, 2 * np.pi))
    signal += drift + rng.normal(0, 0.04, n_steps)
    r_peaks = np.round(np.array(peaks) * ECG_SAMPLING_RATE).astype(int)
    qrs = np.zeros(n_steps)
    for p in r_peaks:
        half = int(round(qrs_halfwidth * ECG_SAMPLING_RATE))
        qrs[max(p - half, 0) : p + half + 1] = 1.0
    return signal.astype(np.float32), qrs.astype(np.float32), r_peaks


def make_ct_like_volume(rng, side=32, n_nodules=2, noise=0.05):
    """Return a CT-like volume: a body with two dark lungs, small bright spherical nodules in them, and noise.

    Arguments:
    rng -- numpy.random.Generator
    side -- the volume is side x side x side voxels (axes: depth, height, width)
    n_nodules -- number of nodules, radius 2 to 3 voxels, each inside a lung
    noise -- standard deviation of the added Gaussian noise
    Returns:
    volume -- (side, side, side) float32, roughly 0 (air) to 1 (nodule)
    centres -- (n_nodules, 3) float voxel coordinates (depth, height, width) of the nodules
    """
    z, y, x = np.meshgrid(*[np.arange(side, dtype=float)] * 3, indexing="ij")
    c = (side - 1) / 2
    body = ((y - c) / (0.45 * side)) ** 2 + ((x - c) / (0.47 * side)) ** 2 <= 1  # an elliptic cylinder
    volume = np.where(body, 0.45, 0.0)
    lung_centres = [(c, c, c - 0.2 * side), (c, c, c + 0.2 * side)]
    lung_radii = np.array([0.42, 0.32, 0.15]) * side  # (depth, height, width)
    for lc in lung_centres:
        inside = sum(((g - lc_k) / r_k) ** 2 for g, lc_k, r_k in zip((z, y, x), lc, lung_radii)) <= 1
        volume[inside] = 0.12
    centres = []
    for k in range(n_nodules):
        lc = np.array(lung_centres[k % 2])
        centre = lc + rng.uniform(-0.45, 0.45, 3) * lung_radii  # well inside the lung
        radius = rng.uniform(2.0, 3.0)
        inside = (z - centre[0]) ** 2 + (y - centre[1]) ** 2 + (x - centre[2]) ** 2 <= radius**2
        volume[inside] = 0.9
        centres.append(centre)
    volume = volume + rng.normal(0, noise, volume.shape)
    return volume.astype(np.float32), np.array(centres)


def make_moving_square_clip(rng, n_frames=12, side=32, square=6, background_noise=0.08):
    """Return a short grey video of a bright square crossing a noisy background at constant speed.

    Arguments:
    rng -- numpy.random.Generator
    n_frames, side -- the clip is n_frames frames of side x side pixels
    square -- the square's side in pixels
    background_noise -- standard deviation of the static background texture
    Returns:
    clip -- (n_frames, side, side, 1) float32 in 0..1 (axes: time, height, width, channel)
    corners -- (n_frames, 2) int (row, column) of the square's top-left corner in each frame
    """
    background = np.clip(0.3 + rng.normal(0, background_noise, (side, side)), 0, 1)  # the same in every frame
    start = rng.integers(0, side - square, 2)
    velocity = rng.choice([-2, -1, 1, 2], 2)
    clip = np.repeat(background[None], n_frames, axis=0)
    corners = np.empty((n_frames, 2), int)
    position = start.astype(int)
    for k in range(n_frames):
        for axis in range(2):  # bounce off the borders
            if not 0 <= position[axis] + velocity[axis] <= side - square:
                velocity[axis] = -velocity[axis]
        if k > 0:
            position = position + velocity
        corners[k] = position
        clip[k, position[0] : position[0] + square, position[1] : position[1] + square] = 0.9
    return clip[..., None].astype(np.float32), corners
