"""Tests of cnnbook.figures.flow_diagrams."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

from cnnbook.figures.flow_diagrams import draw_flows  # noqa: E402


def test_one_box_per_stage_and_one_arrow_between_neighbours():
    ax = draw_flows({"A": ["x", ("y", "shared"), "z"], "B": ["p", ("q", "shared")]}, colors={"shared": "#ff0000"})
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(boxes) == 5 and len(arrows) == 3
    assert [tuple(b.get_facecolor()[:3]) for b in boxes].count((1.0, 0.0, 0.0)) == 2
    assert {"A", "B", "x", "y", "z", "p", "q"} <= {t.get_text() for t in ax.texts}
    plt.close("all")


def test_no_pipeline_is_an_error():
    with pytest.raises(ValueError):
        draw_flows({})
