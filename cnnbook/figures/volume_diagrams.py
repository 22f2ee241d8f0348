"""Draw activation volumes as boxes: one convolution over a volume, and a stack of layers.

Used by: book/week1/04_volumes_and_layers.md, book/week1/06_simple_cnn.md, book/week2/01_classic_networks.md, and 1
module of cnnbook
"""

import math

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Polygon

from cnnbook.calculators.convolution import output_size

__all__ = ["draw_box", "draw_volume_convolution", "draw_layer_stack"]

DEPTH_DX, DEPTH_DY = 0.55, 0.4  # screen offset of one unit of depth (an oblique projection)
CHANNEL_COLORS = {3: ["#e45756", "#54a24b", "#4c78a8"]}  # an RGB input: red, green, blue slices
VOLUME_COLOR = "#9ecae1"
FILTER_COLORS = ["#f58518", "#b279a2", "#72b7b2", "#eeca3b", "#ff9da6", "#9d755d"]
FLAT_COLOR = "#bab0ac"


def _shade(color, factor):
    # factor > 1 lightens (mix with white), factor < 1 darkens (mix with black).
    rgb = np.array(mcolors.to_rgb(color))
    return tuple(rgb + (1 - rgb) * (factor - 1)) if factor >= 1 else tuple(rgb * factor)


def draw_box(ax, x, y, width, height, depth, color, lw=0.8):
    """Draw on ax a box with its front face at (x, y) of size width x height, receding by depth; return its top-right
    corner."""
    dx, dy = depth * DEPTH_DX, depth * DEPTH_DY
    front = [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]
    top = [(x, y + height), (x + width, y + height), (x + width + dx, y + height + dy), (x + dx, y + height + dy)]
    side = [(x + width, y), (x + width + dx, y + dy), (x + width + dx, y + height + dy), (x + width, y + height)]
    for corners, factor in ((side, 0.75), (top, 1.25), (front, 1.0)):
        ax.add_patch(Polygon(corners, closed=True, facecolor=_shade(color, factor), edgecolor="0.2", lw=lw))
    return x + width + dx, y + height + dy


def _draw_sliced_box(ax, x, y, side, depth, colors):
    # A volume drawn as depth slices, back to front, each slice in its own colour.
    n = len(colors)
    for k in reversed(range(n)):
        offset = k * depth / n
        draw_box(ax, x + offset * DEPTH_DX, y + offset * DEPTH_DY, side, side, depth / n, colors[k])


def draw_volume_convolution(n, f, n_C_prev, n_C, ax=None):
    """Draw an n x n x n_C_prev input, n_C filters of shape f x f x n_C_prev and the (n-f+1) x (n-f+1) x n_C output."""
    n_out = output_size(n, f)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.6))
    depth_in = 0.6 * n_C_prev
    colors_in = CHANNEL_COLORS.get(n_C_prev, [VOLUME_COLOR] * n_C_prev)
    _draw_sliced_box(ax, 0, 0, n, depth_in, colors_in)
    # The receptive field of the first output value: an f x f patch through all channels.
    ax.add_patch(plt.Rectangle((0, n - f), f, f, fill=False, edgecolor="black", lw=2.2, ls="--"))
    ax.text(n / 2, -1.0, f"input\n{n}×{n}×{n_C_prev}", ha="center", va="top", fontsize=10)

    x = n + depth_in * DEPTH_DX + 2.2
    ax.text(x - 1.1, n / 2, "∗", ha="center", va="center", fontsize=22)
    gap = 0.8
    total = n_C * f + (n_C - 1) * gap
    y0 = n / 2 + total / 2 - f  # stack the filters vertically, centred on the input
    for k in range(n_C):
        color = FILTER_COLORS[k % len(FILTER_COLORS)]
        draw_box(ax, x, y0 - k * (f + gap), f, f, depth_in, color)
        ax.text(x - 0.2, y0 - k * (f + gap) + f / 2, f"filter {k + 1}", ha="right", va="center", fontsize=8)
    ax.text(
        x + f / 2,
        min(-1.0, y0 - (n_C - 1) * (f + gap) - 0.6),
        f"{n_C} filters\n{f}×{f}×{n_C_prev} each",
        ha="center",
        va="top",
        fontsize=10,
    )

    x += f + depth_in * DEPTH_DX + 1.8
    ax.text(x - 0.9, n / 2, "=", ha="center", va="center", fontsize=20)
    y = (n - n_out) / 2
    colors_out = [FILTER_COLORS[k % len(FILTER_COLORS)] for k in range(n_C)]
    _draw_sliced_box(ax, x, y, n_out, 0.6 * n_C, colors_out)
    ax.text(x + n_out / 2, -1.0, f"output\n{n_out}×{n_out}×{n_C}", ha="center", va="top", fontsize=10)

    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.set_axis_off()
    return ax


def _display_length(v):
    # Sizes span 1 to thousands, so boxes are drawn on a logarithmic scale.
    return 1.0 + 1.6 * math.log2(max(v, 1))


def draw_layer_stack(shapes, labels=None, ax=None):
    """Draw a network's activations left to right: each shape (n_H, n_W, n_C) as a box, each (n,) as a bar.

    Box sizes grow with the logarithm of each dimension; the exact shape is written under each one.
    """
    labels = [None] * len(shapes) if labels is None else list(labels)
    if len(labels) != len(shapes):
        raise ValueError("need one label per shape")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.45 * len(shapes) + 0.6, 3.6))
    x = 0.0
    top = 0.0
    for k, (shape, label) in enumerate(zip(shapes, labels)):
        if len(shape) == 3:
            n_H, n_W, n_C = shape
            height, width, depth = _display_length(n_H), _display_length(n_W), 0.45 * _display_length(n_C)
            color = CHANNEL_COLORS[3][0] if k == 0 and n_C == 3 else VOLUME_COLOR
            right, upper = draw_box(ax, x, -height / 2, width, height, depth, color)
            text = f"{n_H}×{n_W}×{n_C}"
        elif len(shape) == 1:
            height, width = _display_length(shape[0]), 0.5
            right, upper = draw_box(ax, x, -height / 2, width, height, 0.3, FLAT_COLOR)
            text = f"{shape[0]}"
        else:
            raise ValueError(f"shape must be (n_H, n_W, n_C) or (n,), got {shape}")
        center = (x + right) / 2
        ax.text(center, -height / 2 - 0.5, text, ha="center", va="top", fontsize=9)
        if label:
            ax.text(center, upper + 0.4, label, ha="center", va="bottom", fontsize=9, fontweight="bold")
        top = max(top, upper)
        next_x = max(right + 1.3, x + 3.0)  # thin bars still get room for their labels
        if k < len(shapes) - 1:
            ax.annotate(
                "", xy=(next_x - 0.2, 0), xytext=(right + 0.15, 0), arrowprops={"arrowstyle": "->", "color": "0.3"}
            )
        x = next_x
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.set_axis_off()
    return ax
