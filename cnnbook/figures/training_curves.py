"""Learning curves: a Keras training history drawn as loss and accuracy per epoch, training beside validation.

Used by: solutions/w1a2_keras_apis/w1a2_keras_apis.ipynb,
solutions/w2a2_transfer_learning/w2a2_transfer_learning.ipynb, solutions/w3a2_unet/w3a2_unet.ipynb
"""

import matplotlib.pyplot as plt

__all__ = ["plot_history", "history_metrics"]


def history_metrics(history) -> dict[str, list[float]]:
    """Return the per-epoch lists of a keras History (or of its .history dict), e.g. {"loss": [...], "val_loss":
    [...]}."""
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError(
            "expected a keras History returned by model.fit, or its .history dict, with at least one metric"
        )
    return {name: [float(v) for v in values] for name, values in logs.items()}


def plot_history(history, metrics=("loss", "accuracy"), title=None, axes=None):
    """Plot each metric per epoch (training, and validation where recorded), one panel per metric; return the axes."""
    logs = history_metrics(history)
    metrics = [m for m in metrics if m in logs]
    if not metrics:
        raise ValueError(f"none of the metrics asked for is in the history, which has {sorted(logs)}")
    if axes is None:
        _, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.2), squeeze=False, layout="constrained")
        axes = axes[0]
    for ax, metric in zip(axes, metrics):
        epochs = range(1, len(logs[metric]) + 1)
        ax.plot(epochs, logs[metric], marker="o", ms=3, label="training")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], marker="s", ms=3, label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        axes[0].figure.suptitle(title)
    return axes
