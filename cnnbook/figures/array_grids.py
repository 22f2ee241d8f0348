"""Draw a small 2-D array as a grid of cells, each labelled with its value.

Used by: book/week1/01_why_convolutions.md, book/week1/02_edge_detection.md, book/week1/03_padding_and_stride.md,
book/week3/06_region_proposals.md, book/week3/08_unet.md, book/week4/07_style_cost.md,
solutions/w3a2_unet/w3a2_unet.ipynb, and 3 modules of cnnbook
"""

import numbers

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["draw_array_grid", "format_number", "grid_figsize"]

CELL_INCHES = 0.42  # side of one cell when this module creates the figure


def format_number(value):
    """Return a short label for a number: whole numbers as integers, others with two decimals."""
    if not isinstance(value, numbers.Number):
        return str(value)
    rounded = round(float(value), 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.2f}"


def grid_figsize(n_rows, n_cols, extra=(0.6, 0.9)):
    """Return a (width, height) in inches that fits a grid of n_rows x n_cols cells."""
    return (CELL_INCHES * n_cols + extra[0], CELL_INCHES * n_rows + extra[1])


def _text_color(face):
    # Black text on light cells, white text on dark ones.
    r, g, b = mcolors.to_rgb(face)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def draw_array_grid(
    values, ax=None, cell_colors=None, show_values=True, bold=None, fmt=format_number, fontsize=None, title=None
):
    """Draw values (n_H, n_W) as a grid, with optional cell_colors (n_H, n_W) and a bold mask (n_H, n_W).

    Cell (i, j) covers x in [j, j + 1] and y in [i, i + 1]; row 0 is at the top.
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"expected a 2-D array, got shape {values.shape}")
    n_H, n_W = values.shape
    if ax is None:
        _, ax = plt.subplots(figsize=grid_figsize(n_H, n_W))
    if fontsize is None:
        fontsize = 11 if max(n_H, n_W) <= 8 else 9
    for i in range(n_H):
        for j in range(n_W):
            face = "white" if cell_colors is None else cell_colors[i][j]
            ax.add_patch(plt.Rectangle((j, i), 1, 1, facecolor=face, edgecolor="0.55", lw=0.8))
            if show_values:
                weight = "bold" if bold is not None and bold[i][j] else "normal"
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    fmt(values[i, j]),
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color=_text_color(face),
                    fontweight=weight,
                )
    ax.set_xlim(-0.05, n_W + 0.05)
    ax.set_ylim(n_H + 0.05, -0.05)  # row 0 at the top, as in a matrix
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title is not None:
        ax.set_title(title, fontsize=11)
    return ax
