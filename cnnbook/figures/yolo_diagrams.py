"""Figures of the car-detection assignment: labelled boxes on a scene, YOLO's output encoding, IoU, detections vs truth.

Boxes are corner boxes (y1, x1, y2, x2) in the pixels of the image shown, drawn on Axes that show the image
with ``imshow`` (pixel (0, 0) at the top left, y down). The exception is ``draw_iou``, which draws the
(x1, y1, x2, y2) boxes of the ``iou`` exercise on plain axes.

Used by: solutions/w3a1_yolo/w3a1_yolo.ipynb
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

__all__ = [
    "CLASS_COLORS",
    "ANCHOR_COLORS",
    "draw_boxes",
    "show_scene",
    "draw_output_encoding",
    "draw_iou",
    "show_detections_and_truth",
]

# class k is drawn in CLASS_COLORS[k]: bright colours that stand out on roads, facades and skies
CLASS_COLORS = ("#00d5ff", "#ffd400", "#ff3fa4", "#7cfc00", "#ff7f0e", "#b07aff", "#ffffff", "#ff4040")
ANCHOR_COLORS = ("#ff7f0e", "#b07aff", "#7cfc00", "#ff4040", "#ffd400", "#00d5ff", "#ff3fa4")


def _color(k):
    """Return the colour of class index k."""
    return CLASS_COLORS[int(k) % len(CLASS_COLORS)]


def draw_boxes(
    ax, boxes, classes=None, class_names=None, scores=None, color=None, linestyle="-", lw=1.6, tags=True, fontsize=7
):
    """Draw corner boxes (k, 4) (y1, x1, y2, x2) on ax in their class colours, tagged "class score"; return ax.

    classes (k,) pick the colours and names (class_names[c], or the index); scores (k,) are shown with two
    decimals; color overrides the class colours; tags=False draws the outlines alone.
    """
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)  # (k, 4)
    classes = None if classes is None else np.asarray(classes).reshape(-1).astype(int)
    scores = None if scores is None else np.asarray(scores, dtype=float).reshape(-1)
    for what, values in (("classes", classes), ("scores", scores)):
        if values is not None and len(values) != len(boxes):
            raise ValueError(f"draw_boxes: {len(values)} {what} for {len(boxes)} boxes")
    for i, (y1, x1, y2, x2) in enumerate(boxes):
        edge = color or (_color(classes[i]) if classes is not None else CLASS_COLORS[0])
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=edge, lw=lw, linestyle=linestyle))
        words = []
        if classes is not None:
            words.append(class_names[classes[i]] if class_names is not None else str(classes[i]))
        if scores is not None:
            words.append(f"{scores[i]:.2f}")
        if tags and words:
            ax.text(
                x1,
                max(y1, 0),
                " ".join(words),
                fontsize=fontsize,
                color="black",
                va="bottom",
                ha="left",
                clip_on=True,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": edge, "edgecolor": "none", "alpha": 0.85},
            )
    return ax


def show_scene(image, ax=None, title=None, size=3.2):
    """Show an image (n_H, n_W, 3) without ticks, with its pixel frame fixed (boxes beyond it are cut); return ax."""
    image = np.asarray(image)
    if image.ndim != 3:
        raise ValueError(f"show_scene: expected an image (n_H, n_W, 3), got shape {image.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(size, size * image.shape[0] / image.shape[1]))
    ax.imshow(image)
    ax.set_xlim(-0.5, image.shape[1] - 0.5)
    ax.set_ylim(image.shape[0] - 0.5, -0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def draw_output_encoding(image, anchors, class_names, cell, raw=None):
    """Draw how YOLO's output is laid out: the grid on the image, one cell's anchors, and that cell's numbers.

    Arguments:
    image -- (n_H, n_W, 3) the scene the detector reads
    anchors -- (A, 2) anchor (width, height) in grid cells
    class_names -- the C class names
    cell -- (row, column) of the cell to show
    raw -- optional (S, S, A, 5 + C) raw output for this image: its numbers for the cell are printed
    Returns:
    fig -- the figure: left, the image with the S x S grid (S from raw, else 16), the cell and its A anchor boxes
           centred on it; right, the A x (5 + C) numbers the cell outputs, grouped by meaning
    """
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    A, C = len(anchors), len(class_names)
    S = 16 if raw is None else np.asarray(raw).shape[0]
    n_H, n_W = np.asarray(image).shape[:2]
    cell_h, cell_w = n_H / S, n_W / S
    row, col = cell
    fig, (ax_img, ax_tab) = plt.subplots(1, 2, figsize=(11, 4.6), gridspec_kw={"width_ratios": [1, 1.55]})
    show_scene(image, ax_img, title=f"{S} x {S} grid; cell (row {row}, column {col}) and its {A} anchor boxes")
    for k in range(1, S):
        ax_img.axhline(k * cell_h - 0.5, color="white", lw=0.4, alpha=0.6)
        ax_img.axvline(k * cell_w - 0.5, color="white", lw=0.4, alpha=0.6)
    ax_img.add_patch(
        Rectangle((col * cell_w - 0.5, row * cell_h - 0.5), cell_w, cell_h, fill=True, color="red", alpha=0.6)
    )
    centre_x, centre_y = (col + 0.5) * cell_w - 0.5, (row + 0.5) * cell_h - 0.5
    for a, (p_w, p_h) in enumerate(anchors):
        w, h = p_w * cell_w, p_h * cell_h
        ax_img.add_patch(
            Rectangle(
                (centre_x - w / 2, centre_y - h / 2),
                w,
                h,
                fill=False,
                lw=1.5,
                linestyle="--",
                edgecolor=ANCHOR_COLORS[a % len(ANCHOR_COLORS)],
            )
        )

    groups = [("t_x", "box"), ("t_y", "box"), ("t_w", "box"), ("t_h", "box"), ("t_o", "confidence")]
    groups += [(name, "class") for name in class_names]
    shades = {"box": "#cfe2f3", "confidence": "#fce5cd", "class": "#d9ead3"}
    ax_tab.set_xlim(0, 5 + C)
    ax_tab.set_ylim(A + 1.6, 0)
    ax_tab.axis("off")
    for j, (label, group) in enumerate(groups):
        ax_tab.text(
            j + 0.5,
            0.75,
            label.replace("_", "\n") if group == "class" else label,
            ha="center",
            va="center",
            fontsize=8,
            fontweight="bold",
        )
        for a in range(A):
            ax_tab.add_patch(Rectangle((j, a + 1.1), 1, 1, facecolor=shades[group], edgecolor="grey", lw=0.6))
            if raw is not None:
                ax_tab.text(
                    j + 0.5, a + 1.6, f"{np.asarray(raw)[row, col, a, j]:.1f}", ha="center", va="center", fontsize=7.5
                )
    for a in range(A):
        ax_tab.text(
            -0.1,
            a + 1.6,
            f"anchor {a}",
            ha="right",
            va="center",
            fontsize=8,
            color=ANCHOR_COLORS[a % len(ANCHOR_COLORS)],
            fontweight="bold",
        )
    notes = [
        (0, 4, "box: centre offsets and log-sizes\n-> b_x, b_y, b_w, b_h"),
        (4, 1, "t_o -> confidence\nsigmoid"),
        (5, C, "class scores\n-> softmax probabilities"),
    ]
    for start, width, text in notes:
        ax_tab.text(start + width / 2, A + 1.45, text, ha="center", va="top", fontsize=8)
    ax_tab.set_title(
        f"the cell's output: {A} anchors x (5 + {C}) numbers; all cells: ({S}, {S}, {A}, {5 + C})", fontsize=9
    )
    fig.tight_layout()
    return fig


def draw_iou(ax, box1, box2, value=None):
    """Draw two boxes (x1, y1, x2, y2) on plain axes (y down, as in images), their intersection shaded; return ax.

    value, if given, is shown as the title "IoU = value".
    """
    for box, colour in ((box1, "#1f77b4"), (box2, "#d62728")):
        x1, y1, x2, y2 = box
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=colour, lw=2))
    ix1, iy1 = max(box1[0], box2[0]), max(box1[1], box2[1])
    ix2, iy2 = min(box1[2], box2[2]), min(box1[3], box2[3])
    if ix2 > ix1 and iy2 > iy1:
        ax.add_patch(Rectangle((ix1, iy1), ix2 - ix1, iy2 - iy1, color="#9467bd", alpha=0.45))
    xs = [box1[0], box1[2], box2[0], box2[2]]
    ys = [box1[1], box1[3], box2[1], box2[3]]
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    ax.set_ylim(max(ys) + 0.5, min(ys) - 0.5)  # y grows downwards
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.grid(True, lw=0.3)
    if value is not None:
        ax.set_title(f"IoU = {value:.3f}", fontsize=10)
    return ax


def show_detections_and_truth(images, true_boxes, true_classes, detections, class_names, columns=4, size=3.0):
    """Show scenes with their true boxes (dashed) and the detections (solid, tagged "class score"), in class colours.

    Arguments:
    images -- (n, n_H, n_W, 3) scenes
    true_boxes, true_classes -- lists of n arrays (t_i, 4) corner boxes in pixels and (t_i,) class indices
    detections -- list of n (scores (k_i,), boxes (k_i, 4), classes (k_i,)), as yolo_eval returns them
    class_names -- the class names
    Returns:
    fig -- one panel per scene, `columns` to a row
    """
    n = len(images)
    rows = int(np.ceil(n / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * size, rows * size), squeeze=False)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    for i, ax in enumerate(axes.ravel()[:n]):
        scores, boxes, classes = (np.asarray(v) for v in detections[i])
        show_scene(images[i], ax, title=f"{len(boxes)} detected, {len(true_boxes[i])} true")
        draw_boxes(ax, true_boxes[i], true_classes[i], linestyle=(0, (2, 2)), lw=1.0, tags=False)
        draw_boxes(ax, boxes, classes, class_names, scores)
    handles = [
        plt.Line2D([], [], color="white", linestyle=(0, (2, 2)), label="true box (dashed)"),
        plt.Line2D([], [], color="white", label="detection (solid)"),
    ]
    handles += [plt.Line2D([], [], color=_color(k), lw=4, label=name) for k, name in enumerate(class_names)]
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=len(handles),
        fontsize=9,
        frameon=True,
        facecolor="#404040",
        labelcolor="white",
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
