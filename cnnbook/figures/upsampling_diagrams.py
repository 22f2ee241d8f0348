"""Draw a transposed convolution as stamps: each input value places a scaled copy of the filter on the output.

Used by: book/week3/07_semantic_segmentation.md
"""

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from cnnbook.calculators.transposed_convolution import transposed_output_size, transposed_stamps
from cnnbook.figures.array_grids import draw_array_grid

__all__ = ["draw_transposed_convolution"]

STAMP_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
CROP_COLOR = "#d4d4d4"


def _tint(color, amount):
    # Mix a colour with white: amount=0 gives white, amount=1 the colour itself.
    rgb = np.array(mcolors.to_rgb(color))
    return tuple(1 - (1 - rgb) * amount)


def _blank_zeros(value):
    # Cells outside a stamp are left empty so that the stamp stands out.
    return "" if value == 0 else f"{value:g}"


def draw_transposed_convolution(x, W, stride, pad=0, fig=None):
    """Draw x (n_H, n_W), the stamp of each of its values on the output (laid out like x), and their sum.

    The sum's cells are shaded darker where more stamps overlap; with pad > 0, the ring that padding crops
    is grey and the kept output is framed. Returns the figure's Axes: (ax_input, stamp Axes (n_H, n_W), ax_sum).
    """
    x, W = np.asarray(x, dtype=float), np.asarray(W, dtype=float)
    stamps = transposed_stamps(x, W, stride)  # (n_H, n_W, N_H, N_W)
    n_H, n_W, N_H, N_W = stamps.shape
    f = W.shape[0]
    transposed_output_size(min(n_H, n_W), f, stride, pad)  # validates pad
    ratios = [1.6 * n_W] + [N_W] * n_W + [1.15 * N_W]  # every panel drawn at about the same cell size
    if fig is None:
        fig = plt.figure(figsize=(0.36 * sum(ratios) + 1.0, 0.36 * N_H * n_H + 0.5 * n_H + 0.4))
    grid = fig.add_gridspec(n_H, n_W + 2, width_ratios=ratios, wspace=0.18, hspace=0.3)
    ax_input = fig.add_subplot(grid[:, 0])
    colors = [[STAMP_COLORS[(i * n_W + j) % len(STAMP_COLORS)] for j in range(n_W)] for i in range(n_H)]
    draw_array_grid(
        x, ax=ax_input, cell_colors=[[_tint(c, 0.45) for c in row] for row in colors], title=f"input {n_H}×{n_W}"
    )

    stamp_axes = np.empty((n_H, n_W), dtype=object)
    for i in range(n_H):
        for j in range(n_W):
            ax = fig.add_subplot(grid[i, j + 1])
            inside = np.zeros((N_H, N_W), dtype=bool)
            inside[i * stride : i * stride + f, j * stride : j * stride + f] = True
            tint = _tint(colors[i][j], 0.45)
            cell_colors = [[tint if inside[a, b] else "white" for b in range(N_W)] for a in range(N_H)]
            draw_array_grid(
                stamps[i, j],
                ax=ax,
                cell_colors=cell_colors,
                fmt=_blank_zeros,
                fontsize=8,
                title=f"x[{i},{j}] = {x[i, j]:g} times W",
            )
            stamp_axes[i, j] = ax

    ax_sum = fig.add_subplot(grid[:, -1])
    coverage = transposed_stamps(np.ones_like(x), np.ones_like(W), stride).sum(axis=(0, 1))  # (N_H, N_W) stamps a cell
    kept = np.zeros((N_H, N_W), dtype=bool)  # what is left after padding crops pad rows and columns per border
    kept[pad : N_H - pad, pad : N_W - pad] = True
    greys = [
        [(_tint("#555555", 0.12 + 0.22 * (coverage[a, b] - 1)) if kept[a, b] else CROP_COLOR) for b in range(N_W)]
        for a in range(N_H)
    ]
    draw_array_grid(stamps.sum(axis=(0, 1)), ax=ax_sum, cell_colors=greys, fontsize=9)
    if pad > 0:
        ax_sum.add_patch(Rectangle((pad, pad), N_W - 2 * pad, N_H - 2 * pad, fill=False, edgecolor="black", lw=2.4))
        title = f"sum, cropped by p = {pad}: {N_H - 2 * pad}×{N_W - 2 * pad}"
    else:
        title = f"sum: {N_H}×{N_W}"
    ax_sum.set_title(title, fontsize=11)
    return ax_input, stamp_axes, ax_sum
