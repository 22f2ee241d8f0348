"""Segmentation figures: class masks in colour, a legend of the classes, and an image beside (or under) its mask.

Usage in a notebook (mask (n_H, n_W) of class indices, e.g. from load_segmentation_scenes or an argmax
over a network's logits on the last axis):

    from cnnbook.figures.segmentation_maps import show_segmentation
    show_segmentation(image, [mask, predicted_mask], class_names, titles=["true", "predicted"])

Used by: book/week3/07_semantic_segmentation.md, book/week3/08_unet.md
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

__all__ = ["STREET_PALETTE", "colorize_mask", "class_legend_handles", "show_segmentation"]

# one RGB colour per class of cnnbook.data.SEGMENTATION_CLASSES, in order: sky, building, vegetation,
# sidewalk, road, lane_marking, car, bus, person, traffic_light, traffic_sign, pole (city-map colours)
STREET_PALETTE = np.array(
    [
        (70, 130, 180),
        (140, 110, 100),
        (107, 142, 35),
        (244, 35, 232),
        (128, 64, 128),
        (255, 255, 255),
        (0, 0, 142),
        (0, 120, 110),
        (220, 20, 60),
        (250, 170, 30),
        (220, 220, 0),
        (60, 60, 60),
    ],
    dtype=np.uint8,
)


def colorize_mask(mask, palette=STREET_PALETTE):
    """Return an RGB image (n_H, n_W, 3) uint8 painting each pixel of mask (n_H, n_W) in its class's palette colour."""
    mask = np.asarray(mask)
    palette = np.asarray(palette, dtype=np.uint8)
    if mask.ndim != 2:
        raise ValueError(f"expected a mask (n_H, n_W) of class indices, got shape {mask.shape}")
    if mask.size and (mask.min() < 0 or mask.max() >= len(palette)):
        raise ValueError(
            f"mask holds classes {int(mask.min())}..{int(mask.max())}, but the palette has "
            f"{len(palette)} colours: pass a palette with one colour per class"
        )
    return palette[mask.astype(np.int64)]


def class_legend_handles(class_names, palette=STREET_PALETTE, present=None):
    """Return legend patches (one per class, or only the classes in `present`) for ax.legend(handles=...)."""
    indices = range(len(class_names)) if present is None else sorted({int(c) for c in np.ravel(present)})
    return [Patch(facecolor=np.asarray(palette[k]) / 255, edgecolor="0.4", label=class_names[k]) for k in indices]


def show_segmentation(image, masks, class_names, titles=None, size=3.0, legend=True, palette=STREET_PALETTE):
    """Show an image (n_H, n_W, 3) and one or more masks (n_H, n_W) in colour side by side; return the Axes.

    masks -- one mask or a list of them; titles -- one per panel (image first), or None
    """
    masks = [masks] if np.ndim(masks) == 2 else list(masks)
    n = 1 + len(masks)
    titles = ["image"] + [f"mask {k + 1}" for k in range(len(masks))] if titles is None else list(titles)
    if len(titles) != n:
        raise ValueError(f"need {n} titles (the image and each mask), got {len(titles)}")
    height, width = np.asarray(image).shape[:2]
    fig, axes = plt.subplots(
        1, n, figsize=(size * n, size * height / width + (0.9 if legend else 0.3)), squeeze=False, layout="constrained"
    )
    axes = axes[0]
    axes[0].imshow(image)
    for ax, mask in zip(axes[1:], masks):
        ax.imshow(colorize_mask(mask, palette), interpolation="nearest")
    for ax, title in zip(axes, titles):
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    if legend:
        handles = class_legend_handles(class_names, palette, present=np.concatenate([np.ravel(m) for m in masks]))
        fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6), fontsize=8, frameon=False)
    return axes
