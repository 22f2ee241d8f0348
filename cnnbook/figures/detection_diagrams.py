"""Detection figures: labelled boxes on an image, a grid of cells, anchor boxes, overlapping boxes, sliding windows.

Boxes are corner boxes (y1, x1, y2, x2) in the pixels of the image shown (see cnnbook.calculators.box_geometry),
drawn on Axes that show the image with ``imshow``: pixel (0, 0) at the top left, y down.

For notebooks, the entry point is ``show_detections``::

    from cnnbook.figures.detection_diagrams import show_detections
    show_detections(image, boxes, classes, class_names, scores)   # image (n_H, n_W, 3); boxes (k, 4) in pixels

which shows the image with one outlined box per detection and a tag "name score" in the class's
colour. ``draw_labelled_boxes`` draws the boxes alone on Axes you already have.

Used by: book/week3/01_localisation_and_landmarks.md, book/week3/02_sliding_windows.md,
book/week3/03_grid_and_iou.md, book/week3/04_nms_and_anchors.md, book/week3/05_yolo.md,
book/week3/06_region_proposals.md
"""

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, Rectangle

from cnnbook.calculators.box_geometry import box_areas, corners_to_centres, pairwise_intersections, pairwise_iou
from cnnbook.calculators.convolution import output_size

__all__ = [
    "CLASS_COLORS",
    "class_color",
    "draw_labelled_boxes",
    "show_detections",
    "draw_grid",
    "draw_anchor_boxes",
    "draw_overlap",
    "draw_box_parameters",
    "draw_window_outputs",
]

# bright colours that stand out on roads, facades and skies; class k uses CLASS_COLORS[k % len(CLASS_COLORS)]
CLASS_COLORS = ("#00d5ff", "#ffd400", "#ff3fa4", "#7cfc00", "#ff7f0e", "#b07aff", "#ffffff", "#ff4040")
WINDOW_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def class_color(k):
    """Return the colour of class index k (the palette CLASS_COLORS, repeated past its length)."""
    return CLASS_COLORS[int(k) % len(CLASS_COLORS)]


def _text_color(face):
    # Black text on light tags, white on dark ones.
    r, g, b = mcolors.to_rgb(face)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _per_box(value, k, name):
    # A setting given once for every box, or one per box.
    if np.ndim(value) == 0 or isinstance(value, str):
        return [value] * k
    if len(value) != k:
        raise ValueError(f"{name} has {len(value)} entries for {k} boxes")
    return list(value)


def _tag(k, classes, class_names, scores):
    # The text of box k's tag: its class name (or index) and its score; None when there is nothing to say.
    parts = []
    if classes is not None:
        c = int(classes[k])
        parts.append(class_names[c] if class_names is not None else str(c))
    if scores is not None:
        parts.append(f"{float(scores[k]):.2f}")
    return " ".join(parts) or None


def draw_labelled_boxes(
    ax,
    boxes,
    classes=None,
    class_names=None,
    scores=None,
    colors=None,
    lw=1.8,
    linestyle="-",
    alpha=1.0,
    fontsize=7,
    tags=True,
):
    """Draw corner boxes on ax, each outlined in its class colour, with a tag naming its class and score.

    Arguments:
    ax -- matplotlib Axes showing the image (imshow: pixel (0, 0) at the top left)
    boxes -- (k, 4) corner boxes (y1, x1, y2, x2) in the image's pixels
    classes -- (k,) class indices, or None (every box in the first colour, tags without a name)
    class_names -- names indexed by class (e.g. read_class_names()), or None to show the index
    scores -- (k,) scores shown with two decimals after the name, or None
    colors -- one colour, (k,) colours, or None for the class colours
    lw, linestyle -- outline width and style
    alpha -- opacity, one for all boxes or (k,) (for instance the boxes' scores)
    fontsize -- size of the tags' text
    tags -- False draws the outlines alone
    Returns:
    ax -- the same Axes
    """
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)  # (k, 4)
    k = len(boxes)
    if classes is not None and len(classes) != k:
        raise ValueError(f"got {len(classes)} classes for {k} boxes")
    if scores is not None and len(scores) != k:
        raise ValueError(f"got {len(scores)} scores for {k} boxes")
    if colors is None:
        colors = [class_color(c) for c in classes] if classes is not None else [class_color(0)] * k
    colors = _per_box(colors, k, "colors")
    alphas = [float(a) for a in _per_box(alpha, k, "alpha")]
    for i, (y1, x1, y2, x2) in enumerate(boxes):
        ax.add_patch(
            Rectangle(
                (x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=colors[i], lw=lw, linestyle=linestyle, alpha=alphas[i]
            )
        )
        text = _tag(i, classes, class_names, scores) if tags else None
        if text:
            # the tag sits on the box's top edge, inside the image when the box touches the top
            ax.text(
                x1,
                max(y1, 0),
                text,
                fontsize=fontsize,
                color=_text_color(colors[i]),
                va="bottom",
                ha="left",
                alpha=alphas[i],
                clip_on=True,
                bbox={
                    "boxstyle": "square,pad=0.12",
                    "facecolor": colors[i],
                    "edgecolor": "none",
                    "alpha": 0.85 * alphas[i],
                },
            )
    return ax


def show_detections(
    image, boxes, classes=None, class_names=None, scores=None, ax=None, title=None, size=4.0, **options
):
    """Show image (n_H, n_W, 3) with its labelled corner boxes (k, 4) in pixels; return the Axes.

    classes, class_names, scores and the other options are those of draw_labelled_boxes.
    """
    image = np.asarray(image)
    if image.ndim not in (2, 3):
        raise ValueError(f"expected an image (n_H, n_W) or (n_H, n_W, 3), got shape {image.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(size, size * image.shape[0] / image.shape[1]))
    ax.imshow(image, cmap="gray" if image.ndim == 2 else None)
    draw_labelled_boxes(ax, boxes, classes, class_names, scores, **options)
    ax.set_xlim(-0.5, image.shape[1] - 0.5)  # boxes that leave the image are cut at its border
    ax.set_ylim(image.shape[0] - 0.5, -0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=10)
    return ax


def draw_grid(ax, image_height, image_width, S, color="white", lw=0.7, alpha=0.8):
    """Draw the lines of an S x S grid of cells over an image of image_height x image_width pixels."""
    for k in range(1, S):
        ax.axhline(k * image_height / S - 0.5, color=color, lw=lw, alpha=alpha)
        ax.axvline(k * image_width / S - 0.5, color=color, lw=lw, alpha=alpha)
    return ax


def draw_anchor_boxes(ax, centre, sizes, colors=None, labels=None, lw=1.8, linestyle="--"):
    """Draw boxes of sizes (k, 2) (width, height) centred on centre (x, y), dashed, with optional labels (k,)."""
    sizes = np.asarray(sizes, dtype=float).reshape(-1, 2)
    colors = list(WINDOW_COLORS) if colors is None else _per_box(colors, len(sizes), "colors")
    x, y = centre
    for i, (w, h) in enumerate(sizes):
        color = colors[i % len(colors)]
        ax.add_patch(Rectangle((x - w / 2, y - h / 2), w, h, fill=False, edgecolor=color, lw=lw, linestyle=linestyle))
        if labels is not None:
            ax.text(
                x - w / 2 + 0.5,
                y + h / 2 - 0.5,
                labels[i],
                color=color,
                fontsize=8,
                ha="left",
                va="bottom",
                fontweight="bold",
            )
    ax.plot([x], [y], marker="+", color="black", ms=8, mew=1.5)
    return ax


def draw_overlap(ax, box_a, box_b, colors=("#1f77b4", "#d62728"), pad=1.0):
    """Draw two corner boxes (4,) with their intersection shaded, on a frame that fits both; return their IoU.

    The title gives the intersection, the union and their ratio; y grows downward as in an image.
    """
    a, b = np.asarray(box_a, dtype=float), np.asarray(box_b, dtype=float)
    inter = float(pairwise_intersections([a], [b])[0, 0])
    union = float(box_areas(a) + box_areas(b) - inter)
    iou = float(pairwise_iou([a], [b])[0, 0])
    for box, color, name in ((a, colors[0], "A"), (b, colors[1], "B")):
        y1, x1, y2, x2 = box
        ax.add_patch(
            Rectangle((x1, y1), x2 - x1, y2 - y1, facecolor=mcolors.to_rgba(color, 0.12), edgecolor=color, lw=2)
        )
        ax.text(x1 + 0.15, y1 + 0.15, name, color=color, fontsize=11, fontweight="bold", ha="left", va="top")
    top, left = max(a[0], b[0]), max(a[1], b[1])
    bottom, right = min(a[2], b[2]), min(a[3], b[3])
    if bottom > top and right > left:
        ax.add_patch(
            Rectangle(
                (left, top), right - left, bottom - top, facecolor="#9467bd", alpha=0.55, edgecolor="none", hatch="//"
            )
        )
    ax.set_xlim(min(a[1], b[1]) - pad, max(a[3], b[3]) + pad)
    ax.set_ylim(max(a[2], b[2]) + pad, min(a[0], b[0]) - pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"∩ = {inter:g}, ∪ = {union:g}\nIoU = {iou:.3f}", fontsize=10)
    return iou


def draw_box_parameters(ax, box, color="black", fontsize=9):
    """Mark a corner box's centre (b_x, b_y), width b_w and height b_h with a dot, arrows and labels; return its centre
    box."""
    b_x, b_y, b_w, b_h = corners_to_centres(np.asarray(box, dtype=float))
    y1, x1, y2, x2 = box
    ax.plot([b_x], [b_y], "o", color=color, ms=5)
    ax.annotate(
        "$(b_x, b_y)$",
        (b_x, b_y),
        xytext=(4, -4),
        textcoords="offset points",
        color=color,
        fontsize=fontsize,
        va="bottom",
    )
    arrow = {"arrowstyle": "<->", "color": color, "lw": 1.3, "shrinkA": 0, "shrinkB": 0}
    below = y2 + 0.04 * b_h + 1
    ax.add_patch(FancyArrowPatch((x1, below), (x2, below), **arrow))
    ax.text(b_x, below + 0.5, "$b_w$", color=color, fontsize=fontsize, ha="center", va="top")
    beside = x2 + 0.04 * b_w + 1
    ax.add_patch(FancyArrowPatch((beside, y1), (beside, y2), **arrow))
    ax.text(beside + 0.5, b_y, "$b_h$", color=color, fontsize=fontsize, ha="left", va="center")
    return np.array([b_x, b_y, b_w, b_h])


def draw_window_outputs(ax_in, ax_out, n, f, stride):
    """Draw the f x f windows (stride s) over an n x n input, each in its own colour, and the output cell each one
    gives.

    Returns:
    n_out -- the side of the output grid, floor((n - f) / s) + 1
    """
    n_out = output_size(n, f, stride)
    for ax, side in ((ax_in, n), (ax_out, n_out)):
        for k in range(side + 1):
            ax.plot([0, side], [k, k], color="0.75", lw=0.6)
            ax.plot([k, k], [0, side], color="0.75", lw=0.6)
        ax.set_xlim(-0.3, side + 0.3)
        ax.set_ylim(side + 0.3, -0.3)
        ax.set_aspect("equal")
        ax.set_axis_off()
    for i in range(n_out):
        for j in range(n_out):
            color = WINDOW_COLORS[(i * n_out + j) % len(WINDOW_COLORS)]
            inset = 0.12 + 0.12 * ((i * n_out + j) % 4)  # nested outlines stay visible where windows overlap
            ax_in.add_patch(
                Rectangle(
                    (j * stride + inset, i * stride + inset),
                    f - 2 * inset,
                    f - 2 * inset,
                    fill=False,
                    edgecolor=color,
                    lw=2,
                )
            )
            ax_out.add_patch(Rectangle((j, i), 1, 1, facecolor=mcolors.to_rgba(color, 0.55), edgecolor=color, lw=2))
    ax_in.set_title(f"input {n}×{n}: {n_out * n_out} windows of {f}×{f}, stride {stride}", fontsize=10)
    ax_out.set_title(f"output {n_out}×{n_out}", fontsize=10)
    return n_out
