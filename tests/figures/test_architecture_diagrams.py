"""Tests of cnnbook.figures.architecture_diagrams: each diagram draws its boxes, arrows and numbers."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from cnnbook.figures.architecture_diagrams import (  # noqa: E402
    Node,
    draw_depthwise_separable,
    draw_flow,
    draw_inception_module,
    draw_inverted_residual,
    draw_network_scaling,
    draw_residual_block,
)

GOOGLENET_3A = {"1x1": 64, "3x3": 128, "5x5": 32, "3x3_reduce": 96, "5x5_reduce": 16, "pool_proj": 32}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(ax):
    return [t.get_text() for t in ax.texts]


def arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def test_draw_flow_draws_every_node_and_edge():
    nodes = {"a": Node(0, 0, "in"), "b": Node(3, 0, "+", shape="circle"), "c": Node(6, 0, "out")}
    ax = draw_flow(nodes, [("a", "b"), ("b", "c"), ("a", "c", {"rad": -0.3, "label": "skip"})])
    assert isinstance(ax, Axes)
    assert len(arrows(ax)) == 3
    assert texts(ax) == ["in", "+", "out", "skip"]
    label = ax.texts[-1]
    assert label.get_position()[1] > 0  # a negative rad bends a left-to-right arrow upwards


def test_draw_flow_rejects_bad_input():
    with pytest.raises(ValueError, match="not a node"):
        draw_flow({"a": Node(0, 0, "a")}, [("a", "b")])
    with pytest.raises(ValueError, match="shape"):
        draw_flow({"a": Node(0, 0, "a", shape="hexagon")}, [])
    with pytest.raises(ValueError):
        draw_flow({}, [])


@pytest.mark.parametrize("projection, n_arrows", [(False, 6), (True, 7)])
def test_draw_residual_block(projection, n_arrows):
    ax = draw_residual_block(projection=projection, title="t")
    assert len(arrows(ax)) == n_arrows
    assert any("1×1 conv" in t for t in texts(ax)) == projection
    assert ax.get_title() == "t"


def test_draw_inception_module_counts_output_channels():
    ax = draw_inception_module(GOOGLENET_3A)
    assert "28×28×256" in texts(ax)  # 64 + 128 + 32 + 32
    assert len(arrows(ax)) == 12
    naive = draw_inception_module({"1x1": 64, "3x3": 128, "5x5": 32}, bottleneck=False)
    assert "28×28×416" in texts(naive)  # the pooling branch keeps 192 channels
    with pytest.raises(ValueError, match="pool_proj"):
        draw_inception_module({"1x1": 64, "3x3": 128, "5x5": 32})


def test_draw_inverted_residual_shows_the_expansion():
    joined = " ".join(texts(draw_inverted_residual(n_C=16, expansion=4)))
    assert "expand to 64" in joined and "project to 16" in joined


def test_draw_depthwise_separable_labels_shapes():
    joined = " ".join(texts(draw_depthwise_separable(6, 3, 3, 5)))
    assert "4×4×3" in joined and "4×4×5" in joined and "5 filters 1×1×3" in joined
    many = " ".join(texts(draw_depthwise_separable(8, 3, 4, 16)))
    assert "first 6 shown" in many


def test_draw_network_scaling_prints_cost_factors():
    joined = " ".join(texts(draw_network_scaling(d=2, w=2, r=2, compound=(1.2, 1.1, 1.15))))
    # wider and higher resolution quadruple the cost, deeper doubles it
    assert joined.count("cost ×4.00") == 2 and "cost ×2.00" in joined and "cost ×1.92" in joined
