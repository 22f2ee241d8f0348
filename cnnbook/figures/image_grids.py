"""Show photographs, filter responses and the channels of a feature volume side by side.

Used by: book/data_and_models.md, book/week1/02_edge_detection.md, book/week1/03_padding_and_stride.md,
book/week1/04_volumes_and_layers.md, book/week1/05_pooling.md, book/week1/07_why_convolutions_work.md,
book/week2/03_one_by_one_convolutions.md, book/week2/07_datasets_from_directories.md,
book/week2/08_data_augmentation.md, book/week4/01_face_verification.md, book/week4/06_what_layers_learn.md,
book/week4/07_style_cost.md, book/week4/08_generating_an_image.md, solutions/w1a2_keras_apis/w1a2_keras_apis.ipynb,
solutions/w2a2_transfer_learning/w2a2_transfer_learning.ipynb, solutions/w3a2_unet/w3a2_unet.ipynb,
solutions/w4a1_face_recognition/w4a1_face_recognition.ipynb, solutions/w4a2_style_transfer/w4a2_style_transfer.ipynb
"""

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["show_images", "show_feature_maps"]


def _as_list(value, n):
    # Repeat a single setting n times, or check that a per-image list has n entries.
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"expected {n} settings, got {len(value)}")
        return list(value)
    return [value] * n


def show_images(
    images, titles=None, signed=False, ncols=None, size=2.6, colorbar=False, axes=None, clip_percentile=99.5
):
    """Show a list of images, each (n_H, n_W) or (n_H, n_W, 3), in a row; signed ones on a red-blue scale centred at 0.

    Signed maps saturate at the clip_percentile-th percentile of their absolute values. Returns the
    array of Axes used, one per image.
    """
    images = [np.asarray(img) for img in images]
    n = len(images)
    if n == 0:
        raise ValueError("no images to show")
    titles = _as_list(titles, n)
    signed = _as_list(signed, n)
    ncols = n if ncols is None else ncols
    nrows = -(-n // ncols)
    if axes is None:
        _, axes = plt.subplots(
            nrows, ncols, figsize=(size * ncols, size * nrows + 0.35 * nrows), squeeze=False, layout="constrained"
        )
    axes = np.asarray(axes).ravel()
    for ax, img, title, is_signed in zip(axes, images, titles, signed):
        if is_signed:
            # Symmetric limits, so white means zero; a few extreme values are clipped for contrast.
            limit = float(np.percentile(np.abs(img), clip_percentile)) or float(np.abs(img).max()) or 1.0
            shown = ax.imshow(img, cmap="RdBu_r", vmin=-limit, vmax=limit)
        elif img.ndim == 2:
            shown = ax.imshow(img, cmap="gray")
        else:
            shown = ax.imshow(img)
        if colorbar and img.ndim == 2:
            ax.figure.colorbar(shown, ax=ax, shrink=0.8)
        if title is not None:
            ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[n:]:
        ax.set_axis_off()  # unused cells of the grid
    return axes[:n]


def show_feature_maps(volume, titles=None, signed=False, ncols=None, size=2.2, axes=None):
    """Show each channel of a volume (n_H, n_W, n_C) as its own grey or red-blue image; return the Axes."""
    volume = np.asarray(volume)
    if volume.ndim != 3:
        raise ValueError(f"expected a volume (n_H, n_W, n_C), got shape {volume.shape}")
    n_C = volume.shape[-1]
    if titles is None:
        titles = [f"channel {c}" for c in range(n_C)]
    maps = [volume[:, :, c] for c in range(n_C)]
    return show_images(maps, titles=titles, signed=signed, ncols=ncols, size=size, axes=axes)
