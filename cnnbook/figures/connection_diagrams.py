"""Draw which inputs each output of a 1-D layer is connected to: a dense layer versus a convolution.

Used by: book/week1/07_why_convolutions_work.md
"""

import matplotlib.pyplot as plt

__all__ = ["draw_connections"]

WEIGHT_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"]


def draw_connections(n_in, f=None, ax=None):
    """Draw n_in inputs (bottom) and the outputs above them, linked as a dense layer (f=None) or a width-f convolution.

    In the convolution, edges that share a weight share a colour.
    """
    if n_in < 1 or (f is not None and not 1 <= f <= n_in):
        raise ValueError(f"need n_in >= 1 and 1 <= f <= n_in, got n_in={n_in}, f={f}")
    n_out = n_in if f is None else n_in - f + 1
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * n_in + 0.8, 2.6))
    offset = (n_in - n_out) / 2  # centre the outputs above the inputs
    for i in range(n_out):
        if f is None:
            for j in range(n_in):
                ax.plot([j, offset + i], [0, 1], color="0.55", lw=0.7, zorder=1)
        else:
            for u in range(f):
                ax.plot([i + u, offset + i], [0, 1], color=WEIGHT_COLORS[u % len(WEIGHT_COLORS)], lw=1.6, zorder=1)
    ax.scatter(range(n_in), [0] * n_in, s=180, color="white", edgecolor="black", zorder=2)
    ax.scatter([offset + i for i in range(n_out)], [1] * n_out, s=180, color="#c6dbef", edgecolor="black", zorder=2)
    ax.text(-0.8, 0, "input", ha="right", va="center", fontsize=9)
    ax.text(-0.8, 1, "output", ha="right", va="center", fontsize=9)
    if f is None:
        title = f"dense: {n_in * n_out} weights"
    else:
        title = f"convolution, f = {f}: {f} shared weights"
    ax.set_title(title, fontsize=10)
    ax.set_xlim(-2.6, n_in)
    ax.set_ylim(-0.3, 1.3)
    ax.set_axis_off()
    return ax
