"""Diagrams of the sliding-window operations: zero padding, convolution windows and pooling.

Used by: book/week1/03_padding_and_stride.md, book/week1/05_pooling.md, and 1 module of cnnbook
"""

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from cnnbook.calculators.convolution import output_size
from cnnbook.figures.array_grids import CELL_INCHES, draw_array_grid, format_number, grid_figsize

__all__ = ["draw_padding", "draw_convolution_windows", "draw_pooling"]

INPUT_COLOR = "#ffffff"
PAD_COLOR = "#d4d4d4"
UNUSED_COLOR = "#f6d5d5"
WINDOW_COLORS = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
]


def _padded_colors(n_H, n_W, pad):
    # Colour grid (n_H + 2 pad, n_W + 2 pad): grey for the padding ring, white inside.
    colors = np.full((n_H + 2 * pad, n_W + 2 * pad), PAD_COLOR, dtype=object)
    colors[pad : pad + n_H, pad : pad + n_W] = INPUT_COLOR
    return colors


def _outline_input(ax, n_H, n_W, pad):
    # A thick frame around the original (unpadded) input.
    ax.add_patch(Rectangle((pad, pad), n_W, n_H, fill=False, edgecolor="black", lw=2.2))


def draw_padding(x, pad, ax=None):
    """Draw x (n_H, n_W) zero-padded by pad on every side, with the added ring of zeros shaded."""
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"expected a 2-D array, got shape {x.shape}")
    if int(pad) != pad or pad < 0:
        raise ValueError(f"pad must be a non-negative integer, got {pad!r}")
    pad = int(pad)
    n_H, n_W = x.shape
    padded = np.pad(x, pad)  # (n_H + 2 pad, n_W + 2 pad)
    if ax is None:
        _, ax = plt.subplots(figsize=grid_figsize(*padded.shape))
    draw_array_grid(padded, ax=ax, cell_colors=_padded_colors(n_H, n_W, pad))
    if pad > 0:
        _outline_input(ax, n_H, n_W, pad)
    ax.set_title(f"p = {pad}:  {n_H}×{n_W}  →  {n_H + 2 * pad}×{n_W + 2 * pad}", fontsize=11)
    return ax


def _window_positions(n_out):
    # A few output positions (row, col) worth showing: the first two steps and the last ones.
    candidates = [(0, 0), (0, 1), (0, n_out - 1), (n_out - 1, n_out - 1)]
    positions = []
    for i, j in candidates:
        if 0 <= i < n_out and 0 <= j < n_out and (i, j) not in positions:
            positions.append((i, j))
    return positions


def draw_convolution_windows(n, f, stride=1, pad=0, ax=None):
    """Draw where an f x f window lands on an n x n input padded by pad, at the given stride, with n_out annotated."""
    n_out = output_size(n, f, stride, pad)  # validates the arguments
    size = n + 2 * pad
    if ax is None:
        width, height = grid_figsize(size, size, extra=(0.8, 1.7))
        _, ax = plt.subplots(figsize=(max(width, 4.2), height))
    colors = _padded_colors(n, n, pad)
    # Rows and columns past the last window are never read when (n + 2p - f) is not a multiple of s.
    reach = (n_out - 1) * stride + f
    colors[reach:, :] = UNUSED_COLOR
    colors[:, reach:] = UNUSED_COLOR
    draw_array_grid(np.zeros((size, size)), ax=ax, cell_colors=colors, show_values=False)
    if pad > 0:
        _outline_input(ax, n, n, pad)

    handles = []
    for k, (i, j) in enumerate(_window_positions(n_out)):
        inset = 0.07 + 0.07 * k  # nested outlines stay visible where windows overlap
        color = WINDOW_COLORS[k % len(WINDOW_COLORS)]
        ax.add_patch(
            Rectangle(
                (j * stride + inset, i * stride + inset),
                f - 2 * inset,
                f - 2 * inset,
                fill=False,
                edgecolor=color,
                lw=2.4,
            )
        )
        handles.append(Line2D([], [], color=color, lw=2.4, label=f"window for output ({i}, {j})"))
    if pad > 0:
        handles.append(Patch(facecolor=PAD_COLOR, edgecolor="0.55", label="zero padding"))
    if reach < size:
        handles.append(Patch(facecolor=UNUSED_COLOR, edgecolor="0.55", label="never covered"))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=2,
        fontsize=8,
        frameon=False,
        handlelength=1.5,
    )
    ax.set_title(
        f"n = {n}, f = {f}, s = {stride}, p = {pad}\n"
        rf"$n_{{out}} = \lfloor ({n} + 2\cdot{pad} - {f})/{stride} \rfloor + 1 = {n_out}$",
        fontsize=11,
    )
    return ax


def _pool(x, f, stride, mode):
    # x: (n_H, n_W) -> pooled (n_H_out, n_W_out) and, per window, the input cell of its maximum.
    n_H_out, n_W_out = output_size(x.shape[0], f, stride), output_size(x.shape[1], f, stride)
    out = np.empty((n_H_out, n_W_out))
    argmax = {}
    for i in range(n_H_out):
        for j in range(n_W_out):
            window = x[i * stride : i * stride + f, j * stride : j * stride + f]
            out[i, j] = window.max() if mode == "max" else window.mean()
            a, b = np.unravel_index(np.argmax(window), window.shape)
            argmax[i, j] = (i * stride + a, j * stride + b)
    return out, argmax


def _lighten(color, amount=0.68):
    # Mix a colour with white: amount=0 keeps it, amount=1 gives white.
    rgb = np.array(mcolors.to_rgb(color))
    return tuple(rgb + (1 - rgb) * amount)


def draw_pooling(x, f, stride, mode="max", ax=None):
    """Draw x (n_H, n_W) with its f x f pooling windows coloured and the pooled output beside it; return (ax_in,
    ax_out)."""
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"expected a 2-D array, got shape {x.shape}")
    if mode not in ("max", "average"):
        raise ValueError(f"mode must be 'max' or 'average', got {mode!r}")
    out, argmax = _pool(x, f, stride, mode)
    n_H, n_W = x.shape
    n_H_out, n_W_out = out.shape
    if ax is None:
        fig_w = CELL_INCHES * (n_W + n_W_out) + 2.2
        fig_h = CELL_INCHES * max(n_H, 2) + 1.0
        _, ax = plt.subplots(
            1, 2, figsize=(fig_w, fig_h), gridspec_kw={"width_ratios": [n_W, max(n_W_out, 1)], "wspace": 0.35}
        )
    ax_in, ax_out = ax

    overlapping = stride < f
    if overlapping:
        # Windows overlap, so colouring all of them would blend; highlight the first one only.
        shown = [(0, 0)]
    else:
        shown = [(i, j) for i in range(n_H_out) for j in range(n_W_out)]
    in_colors = np.full((n_H, n_W), "white", dtype=object)
    out_colors = np.full((n_H_out, n_W_out), "white", dtype=object)
    edge_colors = {}
    for i, j in shown:
        base = WINDOW_COLORS[(i * n_W_out + j) % len(WINDOW_COLORS)]
        edge_colors[i, j] = base
        out_colors[i, j] = _lighten(base)
        for a in range(i * stride, min(i * stride + f, n_H)):
            for b in range(j * stride, min(j * stride + f, n_W)):
                in_colors[a, b] = _lighten(base)

    winners = np.zeros((n_H, n_W), dtype=bool)  # the maximum of each highlighted window, in bold
    if mode == "max":
        for position in shown:
            winners[argmax[position]] = True
    draw_array_grid(x, ax=ax_in, cell_colors=in_colors, bold=winners)
    for (i, j), base in edge_colors.items():
        ax_in.add_patch(
            Rectangle((j * stride + 0.05, i * stride + 0.05), f - 0.1, f - 0.1, fill=False, edgecolor=base, lw=2.0)
        )
    ax_in.set_title(f"input {n_H}×{n_W}  (f = {f}, s = {stride})", fontsize=11)

    draw_array_grid(out, ax=ax_out, cell_colors=out_colors, fmt=format_number)
    ax_out.set_title(f"{mode} pooling: {n_H_out}×{n_W_out}", fontsize=11)
    # Align the output grid with the top of the input grid.
    ax_out.set_ylim(max(n_H, n_H_out) + 0.05, -0.05)
    ax_out.set_xlim(-0.05, max(n_W_out, 1) + 0.05)
    return ax_in, ax_out
