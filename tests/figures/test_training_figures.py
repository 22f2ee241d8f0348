"""Learning curves and confusion matrices used by the assignments' demos."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnbook.figures.classification_plots import confusion_counts, plot_confusion  # noqa: E402
from cnnbook.figures.training_curves import history_metrics, plot_history  # noqa: E402


class FakeHistory:
    history = {"loss": [1.0, 0.5], "accuracy": [0.5, 0.8], "val_loss": [1.1, 0.7], "val_accuracy": [0.4, 0.7]}


def test_history_metrics_reads_a_history_or_its_dict():
    assert history_metrics(FakeHistory())["val_loss"] == [1.1, 0.7]
    assert history_metrics({"loss": [2]}) == {"loss": [2.0]}
    with pytest.raises(ValueError, match="model.fit"):
        history_metrics({})


def test_plot_history_draws_training_and_validation_per_metric():
    axes = plot_history(FakeHistory())
    assert len(axes) == 2
    assert [len(ax.lines) for ax in axes] == [2, 2]
    np.testing.assert_array_equal(axes[1].lines[1].get_ydata(), [0.4, 0.7])
    with pytest.raises(ValueError, match="none of the metrics"):
        plot_history(FakeHistory(), metrics=("auc",))


def test_confusion_counts_by_hand():
    counts = confusion_counts([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert counts.sum() == 6
    with pytest.raises(ValueError):
        confusion_counts([0, 1], [0], 2)


def test_plot_confusion_writes_every_count():
    ax = plot_confusion([0, 1, 1], [0, 1, 0], ["a", "b"])
    assert sorted(t.get_text() for t in ax.texts) == ["0", "1", "1", "1"]
