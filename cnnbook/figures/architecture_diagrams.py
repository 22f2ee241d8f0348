"""Draw the building blocks of Week 2's architectures: residual blocks, Inception modules, depthwise-separable
convolutions, MobileNetV2's inverted residual block, and the three ways to scale a network.

Used by: book/week2/02_residual_networks.md, book/week2/04_inception.md, book/week2/05_mobilenet.md,
book/week2/06_efficientnet.md
"""

from typing import NamedTuple

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from cnnbook.calculators.convolution import output_size
from cnnbook.calculators.network_costs import scaled_cost_factor
from cnnbook.figures.volume_diagrams import CHANNEL_COLORS, FILTER_COLORS, VOLUME_COLOR, draw_box

__all__ = [
    "Node",
    "draw_flow",
    "draw_residual_block",
    "draw_inception_module",
    "draw_inverted_residual",
    "draw_depthwise_separable",
    "draw_network_scaling",
]

CONV_COLOR = "#9ecae1"  # convolutions
REDUCE_COLOR = "#c7e9c0"  # 1 x 1 convolutions that shrink or grow the channels
POOL_COLOR = "#fdd0a2"  # pooling
MERGE_COLOR = "#f2f2f2"  # additions and concatenations
DATA_COLOR = "white"  # activations entering or leaving a block
SKIP_COLOR = "#d62728"  # skip connections


class Node(NamedTuple):
    """A box (or a circle, shape="circle") of a flow diagram, centred at (x, y), with its text."""

    x: float
    y: float
    text: str
    color: str = CONV_COLOR
    shape: str = "box"
    width: float = 2.3
    height: float = 0.8


def draw_flow(nodes, edges, ax=None, fontsize=9, ylim=None, inches_per_unit=0.62):
    """Draw nodes {name: Node} joined by arrows; edges are (src, dst) or (src, dst, {"rad", "label", "color"}).

    rad bends an arrow (0 is straight), label is written at its middle, color defaults to dark grey. Without
    ax, a figure is made at inches_per_unit inches per unit of the diagram, so text fits its boxes. Returns ax.
    """
    if not nodes:
        raise ValueError("a flow diagram needs at least one node")
    xs = [n.x for n in nodes.values()]
    ys = [n.y for n in nodes.values()]
    pad = max(n.width for n in nodes.values()) / 2 + 0.3
    xlim = (min(xs) - pad, max(xs) + pad)
    ylim = (min(ys) - 1.2, max(ys) + 1.2) if ylim is None else ylim
    if ax is None:
        fig = plt.figure(figsize=((xlim[1] - xlim[0]) * inches_per_unit, (ylim[1] - ylim[0]) * inches_per_unit))
        ax = fig.add_axes((0, 0, 1, 1))
    patches = {}
    for name, node in nodes.items():
        if node.shape == "circle":
            patch = Circle((node.x, node.y), node.height / 2, facecolor=node.color, edgecolor="0.2", lw=1.0)
        elif node.shape == "box":
            patch = FancyBboxPatch(
                (node.x - node.width / 2, node.y - node.height / 2),
                node.width,
                node.height,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                facecolor=node.color,
                edgecolor="0.2",
                lw=1.0,
            )
        else:
            raise ValueError(f"node {name!r}: shape must be 'box' or 'circle', got {node.shape!r}")
        ax.add_patch(patch)
        patches[name] = patch
        ax.text(
            node.x,
            node.y,
            node.text,
            ha="center",
            va="center",
            fontsize=fontsize + (3 if node.shape == "circle" else 0),
        )
    for edge in edges:
        src, dst = edge[0], edge[1]
        style = edge[2] if len(edge) > 2 else {}
        for end in (src, dst):
            if end not in nodes:
                raise ValueError(f"an edge names {end!r}, which is not a node")
        color = style.get("color", "0.25")
        arrow = FancyArrowPatch(
            (nodes[src].x, nodes[src].y),
            (nodes[dst].x, nodes[dst].y),
            patchA=patches[src],
            patchB=patches[dst],
            arrowstyle="-|>",
            mutation_scale=12,
            connectionstyle=f"arc3,rad={style.get('rad', 0.0)}",
            color=color,
            lw=1.3,
        )
        ax.add_patch(arrow)
        if "label" in style:
            # arc3 puts its control point at mid + rad * (dy, -dx); the curve passes halfway to it
            (x0, y0), (x1, y1) = (nodes[src].x, nodes[src].y), (nodes[dst].x, nodes[dst].y)
            rad = style.get("rad", 0.0)
            xm, ym = (x0 + x1) / 2 + rad * (y1 - y0) / 2, (y0 + y1) / 2 - rad * (x1 - x0) / 2
            ax.text(
                xm,
                ym,
                style["label"],
                ha="center",
                va="center",
                fontsize=fontsize - 1,
                color=color,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
            )
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def draw_residual_block(ax=None, projection=False, title=None):
    """Draw a residual block: two 3 x 3 convolutions on the main path, an identity (or 1 x 1 projection) shortcut."""
    nodes = {
        "in": Node(0, 0, "$a^{[l]}$", DATA_COLOR, width=1.3),
        "conv1": Node(2.7, 0, "3×3 conv" + (", stride 2" if projection else "") + "\nBN, ReLU", width=2.6),
        "conv2": Node(5.6, 0, "3×3 conv\nBN"),
        "add": Node(7.6, 0, "+", MERGE_COLOR, shape="circle", height=0.7),
        "relu": Node(9.1, 0, "ReLU", CONV_COLOR, width=1.2),
        "out": Node(10.8, 0, "$a^{[l+2]}$", DATA_COLOR, width=1.4),
    }
    edges = [("in", "conv1"), ("conv1", "conv2"), ("conv2", "add"), ("add", "relu"), ("relu", "out")]
    if projection:
        nodes["proj"] = Node(3.9, 1.9, "1×1 conv, stride 2, BN", REDUCE_COLOR, width=3.3, height=0.6)
        edges += [
            ("in", "proj", {"rad": -0.2, "color": SKIP_COLOR}),
            ("proj", "add", {"rad": -0.2, "color": SKIP_COLOR}),
        ]
    else:
        edges.append(("in", "add", {"rad": -0.3, "label": "shortcut: $a^{[l]}$ unchanged", "color": SKIP_COLOR}))
    ax = draw_flow(nodes, edges, ax=ax, ylim=(-0.8, 2.6 if projection else 2.2))
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def draw_inception_module(channels, bottleneck=True, input_shape=(28, 28, 192), ax=None, title=None):
    """Draw an Inception module on input_shape; channels maps "1x1", "3x3", "5x5" (and, with bottleneck,
    "3x3_reduce", "5x5_reduce", "pool_proj") to filter counts. Without bottleneck the pooling branch keeps
    the input's channels."""
    needed = ["1x1", "3x3", "5x5"] + (["3x3_reduce", "5x5_reduce", "pool_proj"] if bottleneck else [])
    missing = [k for k in needed if k not in channels]
    if missing:
        raise ValueError(f"channels lacks {missing}")
    n_H, n_W, n_C_prev = input_shape
    xs = [-4.5, -1.5, 1.5, 4.5]
    y_top = 4.4 if bottleneck else 3.0
    nodes = {
        "in": Node(0, 0, f"previous layer\n{n_H}×{n_W}×{n_C_prev}", DATA_COLOR, width=2.8),
        "concat": Node(0, y_top, "concatenate channels", MERGE_COLOR, width=4.2, height=0.6),
    }
    main_y = 2.9 if bottleneck else 1.6
    nodes["b1"] = Node(xs[0], main_y, f"1×1 conv\n{channels['1x1']}", REDUCE_COLOR, width=2.2)
    nodes["b2"] = Node(xs[1], main_y, f"3×3 conv\n{channels['3x3']}", width=2.2)
    nodes["b3"] = Node(xs[2], main_y, f"5×5 conv\n{channels['5x5']}", width=2.2)
    out_pool = channels["pool_proj"] if bottleneck else n_C_prev
    edges = [("b1", "concat"), ("b2", "concat"), ("b3", "concat")]
    if bottleneck:
        nodes["r2"] = Node(xs[1], 1.4, f"1×1 conv\n{channels['3x3_reduce']}", REDUCE_COLOR, width=2.2)
        nodes["r3"] = Node(xs[2], 1.4, f"1×1 conv\n{channels['5x5_reduce']}", REDUCE_COLOR, width=2.2)
        nodes["pool"] = Node(xs[3], 1.4, "3×3 max pool\nstride 1, same", POOL_COLOR, width=2.4)
        nodes["b4"] = Node(xs[3], main_y, f"1×1 conv\n{channels['pool_proj']}", REDUCE_COLOR, width=2.2)
        edges += [
            ("in", "b1"),
            ("in", "r2"),
            ("r2", "b2"),
            ("in", "r3"),
            ("r3", "b3"),
            ("in", "pool"),
            ("pool", "b4"),
            ("b4", "concat"),
        ]
    else:
        nodes["b4"] = Node(
            xs[3], main_y, f"3×3 max pool\nstride 1, same\n({n_C_prev})", POOL_COLOR, width=2.4, height=1.0
        )
        edges += [("in", "b1"), ("in", "b2"), ("in", "b3"), ("in", "b4"), ("b4", "concat")]
    n_C = channels["1x1"] + channels["3x3"] + channels["5x5"] + out_pool
    nodes["out"] = Node(0, y_top + 1.2, f"{n_H}×{n_W}×{n_C}", DATA_COLOR, width=2.2, height=0.6)
    edges.append(("concat", "out"))
    ax = draw_flow(nodes, edges, ax=ax, ylim=(-0.8, y_top + 1.8))
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def draw_inverted_residual(n_C=24, expansion=6, ax=None):
    """Draw MobileNetV2's block with stride 1: expand n_C channels by `expansion`, filter depthwise, project back, add
    the input."""
    wide = n_C * expansion
    nodes = {
        "in": Node(0, 0, f"input\n$n \\times n \\times {n_C}$", DATA_COLOR, width=1.9, height=0.9),
        "expand": Node(2.8, 0, f"1×1 conv\nexpand to {wide}\nBN, ReLU6", REDUCE_COLOR, width=2.2, height=2.0),
        "depthwise": Node(5.6, 0, f"3×3 depthwise\n{wide} channels\nBN, ReLU6", CONV_COLOR, width=2.3, height=2.0),
        "project": Node(8.4, 0, f"1×1 conv\nproject to {n_C}\nBN (linear)", REDUCE_COLOR, width=2.2, height=0.9),
        "add": Node(10.3, 0, "+", MERGE_COLOR, shape="circle", height=0.7),
        "out": Node(12.0, 0, f"output\n$n \\times n \\times {n_C}$", DATA_COLOR, width=1.9, height=0.9),
    }
    edges = [
        ("in", "expand"),
        ("expand", "depthwise"),
        ("depthwise", "project"),
        ("project", "add"),
        ("add", "out"),
        ("in", "add", {"rad": -0.28, "label": "residual connection", "color": SKIP_COLOR}),
    ]
    return draw_flow(nodes, edges, ax=ax, ylim=(-1.3, 2.4))


def draw_depthwise_separable(n, f, n_C_prev, n_C, ax=None):
    """Draw a depthwise convolution (one f x f filter per channel) then a pointwise one (n_C filters 1 x 1 x
    n_C_prev)."""
    n_out = output_size(n, f)
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 3.8))
    colors = CHANNEL_COLORS.get(n_C_prev, FILTER_COLORS * (n_C_prev // len(FILTER_COLORS) + 1))[:n_C_prev]
    slab = 0.6  # drawn depth of one channel

    def draw_slices(x, y, side, slice_colors):
        # a volume drawn one channel at a time, back to front
        for k in reversed(range(len(slice_colors))):
            draw_box(ax, x + k * slab * 0.55, y + k * slab * 0.4, side, side, slab, slice_colors[k])

    draw_slices(0, 0, n, colors)
    ax.text(n / 2, -0.8, f"input\n{n}×{n}×{n_C_prev}", ha="center", va="top", fontsize=10)
    x = n + n_C_prev * slab * 0.55 + 1.6
    ax.text(x - 0.8, n / 2, "∗", ha="center", va="center", fontsize=20)
    # the depthwise filters, one per channel, drawn apart in depth to show they never mix channels
    step = 1.8 * slab
    for k in reversed(range(n_C_prev)):
        draw_box(ax, x + k * step * 0.55, (n - f) / 2 + k * step * 0.4, f, f, slab, colors[k])
    ax.text(
        x + f / 2 + n_C_prev * step * 0.25,
        -0.8,
        f"depthwise\n{n_C_prev} filters {f}×{f}×1",
        ha="center",
        va="top",
        fontsize=10,
    )
    x += f + n_C_prev * step * 0.55 + 2.0
    ax.text(x - 0.8, n / 2, "=", ha="center", va="center", fontsize=18)
    y_mid = (n - n_out) / 2
    draw_slices(x, y_mid, n_out, colors)
    ax.text(x + n_out / 2, -0.8, f"{n_out}×{n_out}×{n_C_prev}", ha="center", va="top", fontsize=10)
    x += n_out + n_C_prev * slab * 0.55 + 1.6
    ax.text(x - 0.8, n / 2, "∗", ha="center", va="center", fontsize=20)
    shown = min(n_C, 6)
    y0 = n / 2 + (shown * 1 + (shown - 1) * 0.5) / 2 - 1
    for k in range(shown):
        draw_box(ax, x, y0 - k * 1.5, 1, 1, n_C_prev * slab * 0.5, FILTER_COLORS[k % len(FILTER_COLORS)])
    more = f" (first {shown} shown)" if shown < n_C else ""
    ax.text(x + 0.5, -0.8, f"pointwise\n{n_C} filters 1×1×{n_C_prev}{more}", ha="center", va="top", fontsize=10)
    x += 1 + n_C_prev * slab * 0.5 * 0.55 + 2.2
    ax.text(x - 0.9, n / 2, "=", ha="center", va="center", fontsize=18)
    draw_slices(x, y_mid, n_out, [FILTER_COLORS[k % len(FILTER_COLORS)] for k in range(shown)])
    ax.text(x + n_out / 2, -0.8, f"output\n{n_out}×{n_out}×{n_C}", ha="center", va="top", fontsize=10)
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.set_axis_off()
    return ax


def _draw_scaled(ax, x, depth, width, resolution, base_layers=3):
    # One network seen from the side: an input square of side ∝ resolution under a stack of layers,
    # each as wide as its channel count (∝ width), as many layers as depth * base_layers.
    n_layers = round(base_layers * depth)
    side = 1.2 * resolution
    draw_box(ax, x - side / 2, 0, side, side * 0.35, side * 0.9, "#e45756")
    y = side * 0.35 + side * 0.9 * 0.4 + 0.35
    for _ in range(n_layers):
        w = 1.6 * width
        draw_box(ax, x - w / 2, y, w, 0.32, side * 0.9, VOLUME_COLOR)
        y += 0.32 + side * 0.9 * 0.4 + 0.12
    return y


def draw_network_scaling(d=1.5, w=1.5, r=1.4, compound=(1.3, 1.25, 1.2), ax=None):
    """Draw a baseline network and four scaled copies (wider, deeper, higher resolution, compound), with each one's cost
    factor."""
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.2))
    variants = [
        ("baseline", (1, 1, 1)),
        ("wider", (1, w, 1)),
        ("deeper", (d, 1, 1)),
        ("higher resolution", (1, 1, r)),
        ("compound", compound),
    ]
    top = 0
    for k, (name, (depth, width, resolution)) in enumerate(variants):
        x = 3.6 * k
        top = max(top, _draw_scaled(ax, x, depth, width, resolution))
        factor = scaled_cost_factor(depth, width, resolution)
        ax.text(
            x + 0.4,
            -0.5,
            f"{name}\nd={depth:g}, w={width:g}, r={resolution:g}\ncost ×{factor:.2f}",
            ha="center",
            va="top",
            fontsize=9,
        )
    ax.set_xlim(-2, 3.6 * 4 + 2.4)
    ax.set_ylim(-2.2, top + 0.3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax
