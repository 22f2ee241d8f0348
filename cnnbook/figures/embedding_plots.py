"""Figures for face embeddings: a siamese network, the triplet hinge, distance histograms, ROC curves, 2-D maps.

Used by: book/week4/02_siamese_networks.md, book/week4/03_triplet_loss.md, book/week4/04_choosing_a_threshold.md,
book/week4/05_verification_as_classification.md
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

__all__ = [
    "draw_siamese_diagram",
    "draw_triplet_hinge",
    "draw_distance_histograms",
    "draw_roc_curve",
    "draw_embedding_map",
    "SAME_COLOR",
    "DIFFERENT_COLOR",
]

SAME_COLOR = "#2a9d8f"  # same-person pairs, everywhere in the chapter
DIFFERENT_COLOR = "#e76f51"  # different-person pairs
_ENCODER_COLOR = "#bcd4e6"


def _arrow(ax, start, end, color="0.25"):
    """Draw an arrow from start to end (data coordinates)."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, lw=1.4, color=color))


def _vector_column(ax, x, y_centre, values, width=0.35, height=2.6, cmap="RdBu_r"):
    """Draw a column of coloured cells, one per value, centred vertically on y_centre; return its right edge."""
    n = len(values)
    cell = height / n
    limit = float(np.abs(values).max()) or 1.0
    colours = plt.get_cmap(cmap)((np.asarray(values) / limit + 1) / 2)
    for k in range(n):
        ax.add_patch(
            plt.Rectangle(
                (x, y_centre + height / 2 - (k + 1) * cell), width, cell, facecolor=colours[k], edgecolor="0.4", lw=0.4
            )
        )
    return x + width


def draw_siamese_diagram(face_a, face_b, encoding_a, encoding_b, distance=None, ax=None):
    """Draw two faces (n_H, n_W, 3) going through one shared encoder to two encodings (d,), then to their distance."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.2))
    rows = {"a": 2.4, "b": -2.4}
    for key, face, encoding, sub in (("a", face_a, encoding_a, "1"), ("b", face_b, encoding_b, "2")):
        y = rows[key]
        ax.imshow(face, extent=(0, 2, y - 1, y + 1))
        ax.text(1, y - 1.2, f"$x^{{({sub})}}$", ha="center", va="top", fontsize=12)
        _arrow(ax, (2.1, y), (3.0, y))
        ax.add_patch(
            FancyBboxPatch(
                (3.1, y - 0.9), 2.6, 1.8, boxstyle="round,pad=0.05", facecolor=_ENCODER_COLOR, edgecolor="0.3"
            )
        )
        ax.text(4.4, y + 0.25, "encoder $f$", ha="center", va="center", fontsize=11)
        ax.text(4.4, y - 0.35, "conv, pool, ..., dense", ha="center", va="center", fontsize=8, color="0.3")
        _arrow(ax, (5.8, y), (6.6, y))
        right = _vector_column(ax, 6.7, y, encoding)
        ax.text(right + 0.1, y, f"$f(x^{{({sub})}})$", ha="left", va="center", fontsize=12)
    # the two encoders are one network: the same weights
    ax.annotate(
        "",
        xy=(4.4, rows["b"] + 1.0),
        xytext=(4.4, rows["a"] - 1.0),
        arrowprops=dict(arrowstyle="<->", ls="--", color="0.35", lw=1.2),
    )
    ax.text(4.55, 0, "same weights", ha="left", va="center", fontsize=10, color="0.25", style="italic")
    for y in rows.values():
        _arrow(ax, (8.3, y), (9.3, 0.3 if y > 0 else -0.3))
    label = r"$d = \|f(x^{(1)}) - f(x^{(2)})\|$"
    if distance is not None:
        label += f"\n$= {distance:.2f}$"
    ax.text(9.4, 0, label, ha="left", va="center", fontsize=12)
    ax.set_xlim(-0.2, 12.6)
    ax.set_ylim(-3.9, 3.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def draw_triplet_hinge(alpha, ax=None, span=1.0):
    """Draw the triplet loss max(d_ap - d_an + alpha, 0) against d_ap - d_an, with the easy, semi-hard and hard
    regions."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    x = np.linspace(-span, span, 401)  # d_ap - d_an
    ax.axvspan(-span, -alpha, color="#d8f3dc", lw=0)
    ax.axvspan(-alpha, 0, color="#ffe8a3", lw=0)
    ax.axvspan(0, span, color="#f8c8c0", lw=0)
    ax.plot(x, np.maximum(x + alpha, 0), color="black", lw=2)
    top = span + alpha
    for centre, text in ((-(span + alpha) / 2, "easy\nloss 0"), (-alpha / 2, "semi-\nhard"), (span / 2, "hard")):
        ax.text(centre, 0.93 * top, text, ha="center", va="top", fontsize=10)
    ax.annotate(
        rf"$-\alpha = {-alpha:g}$",
        xy=(-alpha, 0),
        xytext=(-alpha - 0.35 * span, 0.35 * top),
        arrowprops=dict(arrowstyle="->", color="0.3"),
        fontsize=10,
    )
    ax.set_xlim(-span, span)
    ax.set_ylim(-0.03 * top, top)
    ax.set_xlabel(r"$d(A, P) - d(A, N)$")
    ax.set_ylabel(r"$\mathcal{L}(A, P, N)$")
    return ax


def draw_distance_histograms(d_same, d_diff, threshold=None, ax=None, bins=50, value_range=(0.0, 2.0)):
    """Draw the densities of same-person and different-person distances, and a threshold as a vertical line."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    edges = np.linspace(*value_range, bins + 1)
    ax.hist(d_same, bins=edges, density=True, alpha=0.6, color=SAME_COLOR, label=f"same person ({len(d_same):,} pairs)")
    ax.hist(
        d_diff,
        bins=edges,
        density=True,
        alpha=0.6,
        color=DIFFERENT_COLOR,
        label=f"different people ({len(d_diff):,} pairs)",
    )
    if threshold is not None:
        ax.axvline(threshold, color="black", ls="--", lw=1.5, label=rf"threshold $\tau = {threshold:.2f}$")
    ax.set_xlim(*value_range)
    ax.set_xlabel("distance between the two encodings")
    ax.set_ylabel("density")
    ax.legend(fontsize=9, loc="upper right")
    return ax


def draw_roc_curve(far, tar, ax=None, label=None, point=None, color=None, log_x=False):
    """Draw a ROC curve (false accept rate on x, true accept rate on y), optionally marking one operating point (far,
    tar)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.2))
    far, tar = np.asarray(far), np.asarray(tar)
    if log_x:
        keep = far > 0
        ax.plot(far[keep], tar[keep], color=color, lw=2, label=label)
        ax.set_xscale("log")
    else:
        ax.plot(far, tar, color=color, lw=2, label=label)
        ax.plot([0, 1], [0, 1], color="0.6", ls=":", lw=1)  # a coin flip
        ax.set_xlim(-0.01, 1.0)
    if point is not None:
        ax.plot(*point, "o", color="black", ms=7, zorder=5)
    ax.set_ylim(0, 1.01)
    ax.set_xlabel("false accept rate (different people accepted)")
    ax.set_ylabel("true accept rate (same person accepted)")
    ax.grid(alpha=0.3)
    if label is not None:
        ax.legend(fontsize=9, loc="lower right")
    return ax


def draw_embedding_map(points, labels, ax=None, images=None, thumbnail_zoom=0.3):
    """Draw 2-D points (m, 2) coloured by label (m,); with images (m, n_H, n_W, 3), show each as a thumbnail framed in
    its colour."""
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage

    points, labels = np.asarray(points), np.asarray(labels)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) != len(labels):
        raise ValueError(f"expected points (m, 2) and labels (m,), got {points.shape} and {labels.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 6))
    colours = plt.get_cmap("tab10")
    for k, label in enumerate(np.unique(labels)):
        mine = labels == label
        ax.scatter(points[mine, 0], points[mine, 1], s=160, color=colours(k % 10), alpha=0.9, label=str(label))
    if images is not None:
        for (x, y), image, label in zip(points, images, labels):
            box = AnnotationBbox(
                OffsetImage(image, zoom=thumbnail_zoom),
                (x, y),
                frameon=True,
                pad=0.1,
                bboxprops=dict(edgecolor=colours(list(np.unique(labels)).index(label) % 10), lw=2),
            )
            ax.add_artist(box)
    ax.margins(0.1)  # room for the thumbnails of the outermost points
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
