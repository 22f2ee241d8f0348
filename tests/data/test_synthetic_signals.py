"""Tests of cnnbook.data.synthetic_signals: shapes, determinism, and that the ground truth is where the signal says."""

import numpy as np

from cnnbook.data.synthetic_signals import (
    ECG_SAMPLING_RATE,
    make_ct_like_volume,
    make_ecg_like,
    make_moving_square_clip,
)


def test_ecg_like_shapes_and_determinism():
    signal, qrs, peaks = make_ecg_like(np.random.default_rng(3), n_steps=1000)
    assert signal.shape == qrs.shape == (1000,) and signal.dtype == np.float32
    again, _, _ = make_ecg_like(np.random.default_rng(3), n_steps=1000)
    np.testing.assert_array_equal(signal, again)
    assert not np.array_equal(signal, make_ecg_like(np.random.default_rng(4))[0])


def test_ecg_like_beats_are_60_to_100_a_minute_and_the_mask_covers_them():
    for seed in range(5):
        signal, qrs, peaks = make_ecg_like(np.random.default_rng(seed), n_steps=2500)
        gaps = np.diff(peaks) / ECG_SAMPLING_RATE
        assert np.all(gaps > 0.6 * 0.92 - 0.01) and np.all(gaps < 1.0 * 1.08 + 0.01)
        assert np.all(qrs[peaks] == 1.0)
        # the mask is 21 samples (0.04 s each side at 250 Hz) per beat, except where a beat touches the border
        inner = peaks[(peaks >= 10) & (peaks < 2490)]
        assert qrs.sum() >= 21 * len(inner)
        # each R peak stands out from its surroundings (a local maximum within 0.1 s, allowing for the noise)
        for p in inner:
            window = signal[max(p - 25, 0) : p + 26]
            assert signal[p] >= window.max() - 0.15


def test_ct_like_volume_has_bright_nodules_in_dark_lungs():
    volume, centres = make_ct_like_volume(np.random.default_rng(0), side=32, n_nodules=2)
    assert volume.shape == (32, 32, 32) and centres.shape == (2, 3)
    for centre in np.round(centres).astype(int):
        d, h, w = centre  # the voxel nearest the centre and its six neighbours lie within the radius (>= 2)
        cross = [volume[d, h, w]] + [
            volume[d + a, h + b, w + c] for a, b, c in np.vstack([np.eye(3), -np.eye(3)]).astype(int)
        ]
        assert np.mean(cross) > 0.75
    assert abs(volume[0, 0, 0]) < 0.3  # air in the corner
    lung = volume[16, 16, int(15.5 - 0.2 * 32)]  # a lung's centre (no nodule exactly there)
    body = volume[16, 16, 16]  # between the lungs
    assert lung < body


def test_moving_square_clip_moves_at_constant_speed():
    clip, corners = make_moving_square_clip(np.random.default_rng(1), n_frames=12, side=32, square=6)
    assert clip.shape == (12, 32, 32, 1) and clip.min() >= 0 and clip.max() <= 1
    for k, (r, c) in enumerate(corners):
        assert np.all(clip[k, r : r + 6, c : c + 6, 0] == np.float32(0.9))
    steps = np.abs(np.diff(corners, axis=0))
    assert np.all(steps == steps[0]) and steps[0].max() > 0  # one speed per axis, bouncing only flips it
    # the background does not move: away from the square, two frames are identical
    changed = np.abs(clip[1] - clip[0])[..., 0] > 0
    rows, cols = np.nonzero(changed)
    assert rows.min() >= min(corners[0, 0], corners[1, 0]) and cols.max() < max(corners[0, 1], corners[1, 1]) + 6
