"""The U-Net: the shapes of its activations, and a diagram of its contracting path, bottleneck, expanding path and
skips.

Used by: book/week3/08_unet.md
"""

import math

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Rectangle

__all__ = ["unet_shapes", "draw_unet"]

CONV_COLOR = "#9ecae1"  # feature maps made by 3 x 3 convolutions
UP_COLOR = "#a1d99b"  # the transposed convolution's output
SKIP_COLOR = "#fdd0a2"  # the copy of the contracting path's features
OUT_COLOR = "#bcbddc"  # the class logits
ARROWS = {
    "conv": ("#3182bd", "3×3 conv, ReLU"),
    "pool": ("#de2d26", "2×2 max pool"),
    "up": ("#31a354", "3×3 transposed conv, stride 2"),
    "skip": ("#e6550d", "copy (skip connection)"),
    "out": ("#756bb1", "1×1 conv to class logits"),
}


def unet_shapes(input_size=(96, 128), n_filters=32, depth=4, n_classes=12):
    """Return the activation shapes (n_H, n_W, n_C) of a U-Net, level by level.

    Each of the `depth` levels of the contracting path applies two 3 x 3 'same' convolutions (doubling the
    filters from one level to the next, starting at n_filters) and then halves height and width; the bottleneck
    has 2**depth * n_filters filters; each expanding level doubles height and width and halves the filters.

    Returns:
    shapes -- dict: "down" (depth shapes, before pooling, which are also the skips), "bottleneck" (one shape),
              "up" (depth shapes, deepest first), "output" (n_H, n_W, n_classes)
    """
    n_H, n_W = input_size
    if n_H % 2**depth or n_W % 2**depth:
        raise ValueError(
            f"input size {input_size} must be divisible by 2**depth = {2**depth} so that every "
            "pooling halves it exactly and the skips match the upsampled maps"
        )
    down = [(n_H // 2**level, n_W // 2**level, n_filters * 2**level) for level in range(depth)]
    bottleneck = (n_H // 2**depth, n_W // 2**depth, n_filters * 2**depth)
    up = list(reversed(down))  # each expanding level returns to the size and filters of its skip
    return {"down": down, "bottleneck": bottleneck, "up": up, "output": (n_H, n_W, n_classes)}


def _bar_size(shape):
    # Bars: height grows with the logarithm of the spatial size, width with the logarithm of the channels.
    n_H, n_W, n_C = shape
    return 0.12 * (1 + math.log2(n_C)), 0.3 * math.log2(max(n_H, 2))


def _bar(ax, x, y_top, shape, color, label=True):
    # One feature map as a bar with its top-left corner at (x, y_top); returns (right, bottom).
    width, height = _bar_size(shape)
    ax.add_patch(Rectangle((x, y_top - height), width, height, facecolor=color, edgecolor="0.25", lw=0.8))
    if label:
        ax.text(x + width / 2, y_top + 0.08, str(shape[2]), ha="center", va="bottom", fontsize=7)
    return x + width, y_top - height


def _arrow(ax, start, end, kind):
    ax.add_patch(
        FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=8, color=ARROWS[kind][0], lw=1.2, shrinkA=0, shrinkB=0
        )
    )


def _conv_pair(ax, x, y_top, shape, gap):
    # Two 3 x 3 convolutions: an arrow into a bar, an arrow into a second bar; returns (left of the last bar, right).
    mid = y_top - 0.35
    _arrow(ax, (x, mid), (x + gap, mid), "conv")
    right, _ = _bar(ax, x + gap, y_top, shape, CONV_COLOR)
    _arrow(ax, (right, mid), (right + gap, mid), "conv")
    last_left = right + gap
    right, bottom = _bar(ax, last_left, y_top, shape, CONV_COLOR)
    return last_left, right, bottom


def draw_unet(input_size=(96, 128), n_filters=32, depth=4, n_classes=12, ax=None):
    """Draw a U-Net's feature maps as bars (height ~ log of the side, width ~ log of the channels) joined by arrows.

    Down the left: the contracting path; at the bottom: the bottleneck; up the right: the expanding path,
    where each level concatenates the upsampled map with the copy of the same level's features; then a
    3 x 3 and a 1 x 1 convolution to the class logits. The number above a bar is its channels; the size
    under a level is its height x width. Returns the Axes.
    """
    shapes = unet_shapes(input_size, n_filters, depth, n_classes)
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.8))
    step, gap = 3.0, 0.45  # vertical distance between levels; length of a convolution's arrow

    def top(level):
        return -level * step

    def size_label(x, bottom, shape, extra=""):
        ax.text(x, bottom - 0.1, f"{shape[0]}×{shape[1]}{extra}", fontsize=7, ha="center", va="top")

    x, _ = _bar(ax, 0.0, top(0), (*input_size, 3), "#e45756")
    ax.text(0.15, top(0) - _bar_size((*input_size, 3))[1] - 0.1, "image", fontsize=7, ha="right", va="top")
    skips = []  # (x, y) where each level's copy leaves the contracting path
    for level, shape in enumerate(shapes["down"]):
        last_left, right, bottom = _conv_pair(ax, x, top(level), shape, gap)
        size_label((x + gap + right) / 2, bottom, shape)
        skips.append((right, top(level) - 0.35))
        # the pool arrow drops straight down from the last bar to the next level, which starts below it
        below_x = (last_left + right) / 2
        _arrow(ax, (below_x, bottom - 0.35), (below_x, top(level + 1) + 0.05), "pool")
        x = below_x
    last_left, right, bottom = _conv_pair(ax, x, top(depth), shapes["bottleneck"], gap)
    size_label((x + gap + right) / 2, bottom, shapes["bottleneck"], "  bottleneck")
    x = (last_left + right) / 2
    for k, shape in enumerate(shapes["up"]):
        level = depth - 1 - k
        y_top = top(level)
        _arrow(ax, (x, top(level + 1) + 0.4), (x, y_top - _bar_size(shape)[1] - 0.05), "up")  # above the label
        x_up = x - _bar_size(shape)[0] / 2
        r_up, _ = _bar(ax, x_up, y_top, shape, UP_COLOR, label=False)
        r_skip, bottom = _bar(ax, r_up, y_top, shape, SKIP_COLOR, label=False)
        ax.text((x_up + r_skip) / 2, y_top + 0.08, str(2 * shape[2]), ha="center", va="bottom", fontsize=7)
        _arrow(ax, skips[level], (r_up, skips[level][1]), "skip")
        last_left, right, bottom = _conv_pair(ax, r_skip, y_top, shape, gap)
        size_label((r_skip + gap + right) / 2, bottom, shape)
        x = (last_left + right) / 2
    # one more 3 x 3 convolution at full resolution, then the 1 x 1 convolution to one logit per class and pixel
    out = shapes["output"]
    mid = top(0) - 0.35
    _arrow(ax, (right, mid), (right + gap, mid), "conv")
    right, _ = _bar(ax, right + gap, top(0), shapes["up"][-1], CONV_COLOR)
    _arrow(ax, (right, mid), (right + gap, mid), "out")
    r_out, bottom = _bar(ax, right + gap, top(0), out, OUT_COLOR)
    ax.text((right + gap + r_out) / 2, bottom - 0.1, "logits", fontsize=7, ha="center", va="top")

    handles = [
        Line2D([], [], color=color, lw=1.5, marker=">", markersize=4, label=label) for color, label in ARROWS.values()
    ]
    handles += [
        Rectangle((0, 0), 1, 1, facecolor=c, edgecolor="0.25", label=lab)
        for c, lab in ((CONV_COLOR, "feature map"), (UP_COLOR, "upsampled map"), (SKIP_COLOR, "copied features"))
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=7.5, frameon=False, ncol=2)
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.set_axis_off()
    return ax
