"""Diagrams of the ResNet-50 assignment: the two residual blocks layer by layer, and the network's stages.

The blocks are drawn as the exercise builds them (Keras layer names, filters F1, F2, F3, kernel sizes,
strides), with the shortcut above the main path; the network as a row of stages with the shape of
the activations after each, computed from the input size with the convolution arithmetic.

Used by: solutions/w2a1_resnets/w2a1_resnets.ipynb
"""

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from cnnbook.calculators.convolution import output_size

__all__ = ["draw_residual_block", "draw_resnet50_stages", "resnet50_stage_shapes", "RESNET50_STAGES"]

COLORS = {
    "conv": "#cfe2f3",
    "bn": "#fff2cc",
    "relu": "#d9ead3",
    "pool": "#ead1dc",
    "dense": "#f4cccc",
    "stage": "#dde4f0",
    "io": "#ffffff",
}
# name, filters, stride of the convolutional block, identity blocks after it
RESNET50_STAGES = (
    ("stage 2", (64, 64, 256), 1, 2),
    ("stage 3", (128, 128, 512), 2, 3),
    ("stage 4", (256, 256, 1024), 2, 5),
    ("stage 5", (512, 512, 2048), 2, 2),
)


def draw_box(ax, x, y, text, kind, width=1.0, height=0.9):
    """Draw a rounded box centred at (x, y) holding `text`, coloured by its kind of layer."""
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.04",
            facecolor=COLORS[kind],
            edgecolor="#444444",
            lw=1,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=7.5)


def draw_arrow(ax, start, end, rad=0.0):
    """Draw an arrow from `start` to `end` (points), bent by `rad`."""
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=10,
            lw=1.1,
            color="#333333",
            connectionstyle=f"arc3,rad={rad}",
            shrinkA=0,
            shrinkB=0,
        )
    )


def draw_chain(ax, boxes, y, x0, step, width):
    """Draw boxes [(text, kind)] left to right on row y from x0, joined by arrows; return their centres' x."""
    xs = [x0 + k * step for k in range(len(boxes))]
    for k, ((text, kind), x) in enumerate(zip(boxes, xs)):
        draw_box(ax, x, y, text, kind, width=width)
        if k:
            draw_arrow(ax, (xs[k - 1] + width / 2, y), (x - width / 2, y))
    return xs


def main_path_boxes(s=None):
    """The main path's layers as (text, kind): three Conv2D, each with batch norm, ReLU after the first two."""
    stride = f"\nstride {s}" if s else ""
    return [
        (f"Conv2D\nF1, 1×1{stride}\nvalid", "conv"),
        ("BatchNorm\naxis 3", "bn"),
        ("ReLU", "relu"),
        ("Conv2D\nF2, f×f\nsame", "conv"),
        ("BatchNorm\naxis 3", "bn"),
        ("ReLU", "relu"),
        ("Conv2D\nF3, 1×1\nvalid", "conv"),
        ("BatchNorm\naxis 3", "bn"),
    ]


def draw_residual_block(kind="identity", ax=None):
    """Draw the identity block or the convolutional block (kind) of the exercise, main path below, shortcut above."""
    if kind not in ("identity", "convolutional"):
        raise ValueError(f"kind must be 'identity' or 'convolutional', got {kind!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(12.5, 3.2))
    step, width, y_main, y_short = 1.3, 1.08, 0.0, 1.8
    boxes = main_path_boxes("s" if kind == "convolutional" else None)
    xs = draw_chain(ax, boxes, y_main, 1.5, step, width)
    x_in, x_add = 0.0, xs[-1] + step
    ax.text(x_in + 0.25, y_main, "X\n(m, n_H, n_W, n_C)", ha="right", va="center", fontsize=8)
    draw_arrow(ax, (x_in + 0.3, y_main), (xs[0] - width / 2, y_main))
    ax.add_patch(Circle((x_add, y_main), 0.28, facecolor="#eeeeee", edgecolor="#444444"))
    ax.text(x_add, y_main, "+", ha="center", va="center", fontsize=14)
    draw_arrow(ax, (xs[-1] + width / 2, y_main), (x_add - 0.28, y_main))
    x_relu = x_add + step
    draw_box(ax, x_relu, y_main, "ReLU", "relu", width=width)
    draw_arrow(ax, (x_add + 0.28, y_main), (x_relu - width / 2, y_main))
    shape = "(m, n_H, n_W, F3)" if kind == "identity" else "(m, ⌈n_H/s⌉, ⌈n_W/s⌉, F3)"
    ax.text(x_relu + 0.75, y_main, f"output\n{shape}", ha="left", va="center", fontsize=8)
    draw_arrow(ax, (x_relu + width / 2, y_main), (x_relu + 0.72, y_main))
    if kind == "identity":
        ax.plot([x_in + 0.6, x_in + 0.6, x_add, x_add], [y_main, y_short, y_short, y_short], color="#333333", lw=1.1)
        draw_arrow(ax, (x_add, y_short), (x_add, y_main + 0.28))
        ax.text((x_in + x_add) / 2, y_short + 0.15, "shortcut: X itself", ha="center", va="bottom", fontsize=9)
        title = "Identity block: the output has the shape of X, so X is added as it is"
    else:
        x_mid = (x_in + x_add) / 2
        short = draw_chain(
            ax,
            [("Conv2D\nF3, 1×1\nstride s, valid", "conv"), ("BatchNorm\naxis 3", "bn")],
            y_short,
            x_mid - step / 2,
            step * 1.2,
            width * 1.15,
        )
        ax.plot([x_in + 0.6, x_in + 0.6, short[0] - width * 0.58], [y_main, y_short, y_short], color="#333333", lw=1.1)
        ax.plot([short[-1] + width * 0.58, x_add, x_add], [y_short, y_short, y_main + 0.9], color="#333333", lw=1.1)
        draw_arrow(ax, (x_add, y_main + 0.9), (x_add, y_main + 0.28))
        ax.text(
            x_mid + step * 0.1,
            y_short + 0.6,
            "shortcut: a strided 1×1 convolution gives X the output's shape",
            ha="center",
            va="bottom",
            fontsize=9,
        )
        title = "Convolutional block: stride s on the main path's first convolution and on the shortcut"
    ax.text((xs[0] + xs[-1]) / 2, y_main - 0.65, "main path", ha="center", va="top", fontsize=9)
    ax.set_xlim(-1.9, x_relu + 2.3)
    ax.set_ylim(-1.2, y_short + 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)
    return ax


def resnet50_stage_shapes(input_shape=(64, 64, 3)):
    """Return [(name, (n_H, n_W, n_C))] after the stem and after each stage of ResNet-50 for `input_shape`."""
    n_H, n_W, _ = input_shape
    n_H, n_W = (output_size(n, 7, stride=2, pad=3) for n in (n_H, n_W))  # zero padding 3, 7x7 conv, stride 2
    n_H, n_W = (output_size(n, 3, stride=2) for n in (n_H, n_W))  # 3x3 max pooling, stride 2
    shapes = [("stem", (n_H, n_W, 64))]
    for name, filters, s, _ in RESNET50_STAGES:
        n_H, n_W = (output_size(n, 1, stride=s) for n in (n_H, n_W))  # the 1x1 convolutions with stride s
        shapes.append((name, (n_H, n_W, filters[2])))
    return shapes


def draw_resnet50_stages(input_shape=(64, 64, 3), classes=6, ax=None):
    """Draw ResNet-50 as a row: the stem, four stages of blocks with their output shapes, and the head."""
    if ax is None:
        _, ax = plt.subplots(figsize=(13, 3.4))
    shapes = dict(resnet50_stage_shapes(input_shape))
    items = [
        ("input\n{}×{}×{}".format(*input_shape), "io", None),
        ("ZeroPadding2D 3\nConv2D 64, 7×7\nstride 2\nBatchNorm, ReLU\nMaxPool 3×3\nstride 2", "conv", shapes["stem"]),
    ]
    for name, filters, s, n_identity in RESNET50_STAGES:
        text = f"{name}\nconv block\nf=3, s={s}\n{list(filters)}\n+ {n_identity} identity\nblocks"
        items.append((text, "stage", shapes[name]))
    items += [("AveragePool\n2×2\nFlatten", "pool", None), (f"Dense {classes}\nsoftmax", "dense", None)]
    step, width = 1.6, 1.4
    xs = [k * step for k in range(len(items))]
    for k, ((text, kind, shape), x) in enumerate(zip(items, xs)):
        draw_box(ax, x, 0, text, kind, width=width, height=1.9)
        if shape is not None:
            ax.text(x, -1.2, "{}×{}×{}".format(*shape), ha="center", va="top", fontsize=8, color="#555555")
        if k:
            draw_arrow(ax, (xs[k - 1] + width / 2, 0), (x - width / 2, 0))
    ax.set_xlim(-0.9, xs[-1] + 0.9)
    ax.set_ylim(-1.7, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(
        "ResNet-50: 16 residual blocks of 3 convolutions, plus the first convolution and the Dense layer "
        "(shapes below: the output of each part)",
        fontsize=10,
    )
    return ax
