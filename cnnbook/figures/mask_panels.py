"""Segmentation masks in colour: a class map drawn with one colour per class, and rows of image and mask panels.

Used by: solutions/w3a2_unet/w3a2_unet.ipynb
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

__all__ = ["CLASS_COLOURS", "mask_to_rgb", "class_legend", "show_mask_panels"]

# One colour per class of cnnbook.data.SEGMENTATION_CLASSES, in its order (sky, building, vegetation, sidewalk,
# road, lane_marking, car, bus, person, traffic_light, traffic_sign, pole): neighbours in a street look different.
CLASS_COLOURS = np.array(
    [
        (120, 180, 235),
        (150, 110, 90),
        (60, 150, 50),
        (235, 160, 200),
        (90, 90, 110),
        (250, 235, 60),
        (30, 60, 220),
        (240, 130, 20),
        (220, 30, 40),
        (140, 255, 200),
        (200, 40, 200),
        (40, 40, 40),
    ],
    dtype=np.uint8,
)


def mask_to_rgb(mask, colours=CLASS_COLOURS) -> np.ndarray:
    """Return a class map (n_H, n_W) of ids as an RGB image (n_H, n_W, 3) uint8, one colour per class."""
    mask = np.asarray(mask)
    if mask.ndim != 2 or not np.issubdtype(mask.dtype, np.integer):
        raise ValueError(f"expected a 2-D array of class ids, got {mask.dtype} of shape {mask.shape}")
    if mask.min() < 0 or mask.max() >= len(colours):
        raise ValueError(f"class ids must be in 0..{len(colours) - 1}; the mask holds {mask.min()}..{mask.max()}")
    return np.asarray(colours)[mask]


def class_legend(fig, class_names, present=None, colours=CLASS_COLOURS, ncol=6):
    """Add a legend of class colours under the figure (only the classes in `present`, if given)."""
    ids = range(len(class_names)) if present is None else sorted(int(k) for k in present)
    handles = [Patch(facecolor=np.asarray(colours[k]) / 255, edgecolor="0.4", label=class_names[k]) for k in ids]
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=min(ncol, len(handles)),
        fontsize=9,
        frameon=False,
        bbox_to_anchor=(0.5, -0.02),
    )


def show_mask_panels(rows, class_names, titles=("image", "true mask", "predicted mask"), size=2.3):
    """Show one row per example: its image (n_H, n_W, 3), then each mask (n_H, n_W) in colour; return the axes grid.

    rows -- list of tuples (image, mask, mask, ...), all with the same number of panels
    class_names -- the name of each class id, for the legend (only classes that appear are listed)
    """
    rows = [tuple(r) for r in rows]
    if not rows or len({len(r) for r in rows}) != 1:
        raise ValueError("expected a non-empty list of rows with the same number of panels")
    n_rows, n_cols = len(rows), len(rows[0])
    height, width = np.asarray(rows[0][0]).shape[:2]
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        squeeze=False,
        layout="constrained",
        figsize=(size * n_cols, size * height / width * n_rows + 0.9),
    )
    present = set()
    for i, row in enumerate(rows):
        for j, panel in enumerate(row):
            panel = np.asarray(panel)
            if panel.ndim == 2:
                present.update(np.unique(panel).tolist())
                panel = mask_to_rgb(panel)
            axes[i, j].imshow(panel)
            axes[i, j].set_xticks([])
            axes[i, j].set_yticks([])
            if i == 0 and j < len(titles):
                axes[i, j].set_title(titles[j], fontsize=10)
    fig.get_layout_engine().set(h_pad=0.04, rect=(0, 0.07, 1, 0.93))
    class_legend(fig, class_names, present)
    return axes
