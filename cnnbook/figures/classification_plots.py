"""How a classifier errs: a confusion matrix of true against predicted classes.

Used by: solutions/w1a2_keras_apis/w1a2_keras_apis.ipynb
"""

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["confusion_counts", "plot_confusion"]


def confusion_counts(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Return counts (n_classes, n_classes): entry [t, p] is how many examples of class t were predicted p."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred differ in length: {y_true.size} and {y_pred.size}")
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (y_true.astype(int), y_pred.astype(int)), 1)
    return counts


def plot_confusion(y_true, y_pred, class_names, ax=None):
    """Draw the confusion matrix with its counts; the diagonal holds the right answers. Return the Axes."""
    counts = confusion_counts(y_true, y_pred, len(class_names))
    if ax is None:
        _, ax = plt.subplots(figsize=(0.6 * len(class_names) + 2.2, 0.6 * len(class_names) + 1.8), layout="constrained")
    ax.imshow(counts, cmap="Blues")
    for (t, p), n in np.ndenumerate(counts):
        ax.text(p, t, str(n), ha="center", va="center", color="white" if n > counts.max() / 2 else "black")
    ax.set_xticks(range(len(class_names)), class_names, rotation=45, ha="right")
    ax.set_yticks(range(len(class_names)), class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    return ax
