"""The U-Net drawn as the assignment builds it: conv_block and upsampling_block boxes with their output shapes.

Down blocks descend the left side, the bottleneck sits at the bottom, up blocks climb the right side,
and each skip connection runs across from a down block to the up block at the same resolution. The
shapes are computed from the input size and filter count, so the drawing matches any U-Net of the
assignment (four levels of pooling, filters doubled per level).

Used by: solutions/w3a2_unet/w3a2_unet.ipynb
"""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

__all__ = ["unet_level_shapes", "draw_unet_block_diagram"]

LEVELS = 4
COLOURS = {"conv_block": "#8fb8e8", "upsampling_block": "#f2b37a", "head": "#b8dba4", "input": "#dddddd"}
PALE = "#f1f1f1"


def unet_level_shapes(input_size=(96, 128, 3), n_filters=32) -> list[tuple[int, int, int]]:
    """Return (n_H, n_W, channels) of the skip connection at each level, the bottleneck last (LEVELS + 1 entries)."""
    n_H, n_W = int(input_size[0]), int(input_size[1])
    if n_H % 2**LEVELS or n_W % 2**LEVELS:
        raise ValueError(f"the height and width must be multiples of {2**LEVELS}, got {n_H} x {n_W}")
    return [(n_H // 2**k, n_W // 2**k, n_filters * 2**k) for k in range(LEVELS + 1)]


def shape_label(shape) -> str:
    """Return "96 x 128 x 32" for a shape."""
    return " × ".join(str(n) for n in shape)


def draw_box(ax, x, y, title, shape, kind, highlight, width=2.9):
    """Draw one block centred at (x, y): its name and its output shape, coloured by kind (pale when not highlighted)."""
    lit = highlight is None or highlight == kind
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - 0.36),
            width,
            0.72,
            boxstyle="round,pad=0.04",
            facecolor=COLOURS[kind] if lit else PALE,
            edgecolor="0.3" if lit else "0.7",
            lw=1,
        )
    )
    colour = "black" if lit else "0.55"
    ax.text(x, y + 0.13, title, ha="center", va="center", fontsize=8.5, color=colour, family="monospace")
    ax.text(x, y - 0.17, shape, ha="center", va="center", fontsize=7.5, color=colour)


def draw_arrow(ax, start, end, label="", colour="0.25", style="-|>", dashed=False, offset=(0.08, 0.0), ha="left"):
    """Draw an arrow from start to end with an optional label near its middle."""
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle=style,
            mutation_scale=11,
            color=colour,
            lw=1.1,
            linestyle="--" if dashed else "-",
            shrinkA=2,
            shrinkB=2,
        )
    )
    if label:
        ax.text(
            (start[0] + end[0]) / 2 + offset[0],
            (start[1] + end[1]) / 2 + offset[1],
            label,
            fontsize=7.5,
            color=colour,
            ha=ha,
            va="center",
        )


def draw_unet_block_diagram(input_size=(96, 128, 3), n_filters=32, n_classes=12, highlight=None, ax=None):
    """Draw the U-Net of the assignment; `highlight` ("conv_block", "upsampling_block", "head") pales the rest. Return
    the axes."""
    shapes = unet_level_shapes(input_size, n_filters)
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 7.2))
    step, x_down, x_up, x_head = 1.5, 1.8, 8.8, 12.2
    y = [-k * step for k in range(LEVELS + 1)]
    top = step

    draw_box(ax, x_down, top, "Input", shape_label(tuple(input_size)), "input", None)
    draw_arrow(ax, (x_down, top - 0.4), (x_down, y[0] + 0.4))
    for k in range(LEVELS):
        n_H, n_W, c = shapes[k]
        dropout = " · dropout 0.3" if k == LEVELS - 1 else ""
        draw_box(ax, x_down, y[k], f"conv_block({c})", shape_label(shapes[k]) + dropout, "conv_block", highlight)
        draw_box(ax, x_up, y[k], f"upsampling_block({c})", shape_label(shapes[k]), "upsampling_block", highlight)
        # the skip: the down block's output before pooling, appended to the up block's channels
        draw_arrow(
            ax,
            (x_down + 1.5, y[k]),
            (x_up - 1.5, y[k]),
            f"skip {shape_label(shapes[k])}",
            colour="0.45",
            dashed=True,
            offset=(0, 0.14),
            ha="center",
        )
        below = (x_down, y[k + 1] + 0.4) if k < LEVELS - 1 else ((x_down + x_up) / 2 - 1.2, y[LEVELS] + 0.4)
        draw_arrow(ax, (x_down, y[k] - 0.4), below, "max pool 2×2")
        above = (x_up, y[k + 1] + 0.4) if k < LEVELS - 1 else ((x_down + x_up) / 2 + 1.2, y[LEVELS] + 0.4)
        draw_arrow(ax, above, (x_up, y[k] - 0.4), "transposed conv\n3×3, stride 2", offset=(0.08, 0.0))
    draw_box(
        ax,
        (x_down + x_up) / 2,
        y[LEVELS],
        f"conv_block({shapes[LEVELS][2]})",
        shape_label(shapes[LEVELS]) + " · dropout 0.3 · no pooling",
        "conv_block",
        highlight,
        width=3.6,
    )

    head = (x_up, top)
    draw_arrow(ax, (x_up, y[0] + 0.4), (x_up, top - 0.4))
    draw_box(ax, x_up, top, f"Conv2D({n_filters}, 3×3)", shape_label(shapes[0]) + " · ReLU", "head", highlight)
    draw_arrow(ax, (head[0] + 1.5, top), (x_head - 1.5, top))
    draw_box(
        ax,
        x_head,
        top,
        f"Conv2D({n_classes}, 1×1)",
        shape_label((*shapes[0][:2], n_classes)) + " logits",
        "head",
        highlight,
    )

    ax.set_xlim(x_down - 1.6, x_head + 1.6)
    ax.set_ylim(y[LEVELS] - 0.75, top + 0.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax
