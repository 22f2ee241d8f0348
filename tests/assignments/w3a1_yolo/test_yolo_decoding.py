"""The pieces of w3a1_yolo the students are given: decoding the detector's output, corners, scaling, average
precision and the figures. They must agree with the training code's own NumPy versions, which measured the
shipped detector."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder.assignments.w3a1_yolo.reference import iou, yolo_eval  # noqa: E402
from cnnbook.assignments.w3a1_yolo.yolo_decoding import scale_boxes, yolo_boxes_to_corners, yolo_head  # noqa: E402
from cnnbook.calculators.detection_precision import average_precision, match_detections, precision_recall  # noqa: E402
from cnnbook.figures import yolo_diagrams  # noqa: E402
from training import detection_metrics  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def scenes():
    """The first 30 held-out scenes, the detector's raw output on them, its anchors and class names."""
    from cnnbook.data import load_detection_scenes
    from cnnbook.models.yolo_detector import load_yolo_detector, read_anchors, read_class_names

    images, boxes, classes = load_detection_scenes("test")
    raw = load_yolo_detector().predict(images[:30], verbose=0)
    return images[:30], boxes[:30], classes[:30], raw, read_anchors(), read_class_names()


def test_yolo_head_and_corners_agree_with_the_training_decoder():
    rng = np.random.default_rng(0)
    raw = rng.normal(0, 2, (6, 6, 3, 7)).astype(np.float32)  # a 6 x 6 grid, 3 anchors, 2 classes
    anchors = np.array([[0.5, 1.0], [1.5, 0.75], [3.0, 2.0]], np.float32)
    xy, wh, confidence, probs = yolo_head(raw, anchors, 2)
    assert [tuple(t.shape) for t in (xy, wh, confidence, probs)] == [
        (6, 6, 3, 2),
        (6, 6, 3, 2),
        (6, 6, 3, 1),
        (6, 6, 3, 2),
    ]
    corners = scale_boxes(yolo_boxes_to_corners(xy, wh), (96, 96)).numpy().reshape(-1, 4)
    want_boxes, want_scores = detection_metrics.decode_output(raw, anchors, 96)
    np.testing.assert_allclose(corners, want_boxes, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose((confidence * probs).numpy().reshape(-1, 2), want_scores, rtol=1e-5, atol=1e-6)


def test_yolo_head_places_centres_in_their_cell_and_reads_a_batch():
    raw = np.zeros((2, 4, 4, 1, 6), np.float32)  # every offset sigmoid(0) = 0.5: the middle of each cell
    xy, wh, _, probs = yolo_head(raw, [[2.0, 1.0]], 1)
    assert tuple(xy.shape) == (2, 4, 4, 1, 2)
    np.testing.assert_allclose(
        xy[0, 1, 3, 0].numpy(), [(3 + 0.5) / 4, (1 + 0.5) / 4]
    )  # (x from the column, y from the row)
    np.testing.assert_allclose(wh[1, 2, 2, 0].numpy(), [2.0 / 4, 1.0 / 4])
    np.testing.assert_allclose(probs.numpy(), 1.0)


def test_yolo_head_names_a_wrong_shape():
    with pytest.raises(ValueError, match=r"\(\.\.\., S, S, 5, 9\)"):
        yolo_head(np.zeros((16, 16, 5, 8), np.float32), np.ones((5, 2)), 4)


def test_corners_and_scaling_follow_their_formulas():
    corners = yolo_boxes_to_corners(np.array([[0.5, 0.25]]), np.array([[0.2, 0.1]])).numpy()
    np.testing.assert_allclose(corners, [[0.2, 0.4, 0.3, 0.6]], rtol=1e-6)  # (y1, x1, y2, x2)
    scaled = scale_boxes(corners, (100, 300)).numpy()  # height 100, width 300
    np.testing.assert_allclose(scaled, [[20, 120, 30, 180]], rtol=1e-5)
    assert scale_boxes(np.zeros(4, np.float32), (2.0, 3.0)).shape == (4,)
    with pytest.raises(ValueError, match="height, width"):
        scale_boxes(corners, (100, 300, 3))


def test_average_precision_agrees_with_the_training_code():
    rng = np.random.default_rng(1)
    truths, detections = [], []
    for _ in range(12):
        t = rng.uniform(0, 80, (int(rng.integers(0, 5)), 2))
        true = np.concatenate([t, t + rng.uniform(8, 40, t.shape)], axis=1)
        found = true[rng.random(len(true)) < 0.7] + rng.normal(0, 3, (1, 4))
        noise = rng.uniform(0, 60, (int(rng.integers(0, 3)), 2))
        boxes = np.concatenate([found, np.concatenate([noise, noise + 15], axis=1)])
        truths.append(true)
        detections.append((boxes, rng.uniform(0, 1, len(boxes))))
    ap = average_precision(detections, truths, iou)
    assert 0 < ap < 1
    assert ap == pytest.approx(detection_metrics.average_precision(detections, truths), abs=1e-12)
    recall, precision = precision_recall(detections, truths, iou)
    assert np.all(np.diff(recall) >= 0) and np.all((precision >= 0) & (precision <= 1))


def test_average_precision_of_a_perfect_and_of_no_detector():
    truths = [np.array([[0, 0, 10, 10], [20, 20, 30, 40]], float), np.zeros((0, 4))]
    perfect = [(truths[0], np.array([0.9, 0.8])), (np.zeros((0, 4)), np.zeros(0))]
    assert average_precision(perfect, truths, iou) == 1.0
    none = [(np.zeros((0, 4)), np.zeros(0))] * 2
    assert average_precision(none, truths, iou) == 0.0
    assert np.isnan(average_precision(none, [np.zeros((0, 4))] * 2, iou))
    scores, hits, n_true = match_detections([(np.repeat(truths[0][:1], 2, 0), np.array([0.9, 0.95]))], truths[:1], iou)
    assert n_true == 2 and hits.tolist() == [True, False]  # a duplicate of a found box is a false positive
    with pytest.raises(ValueError, match="images"):
        average_precision(perfect, truths[:1], iou)


def test_the_detector_with_yolo_eval_finds_cars(scenes):
    """The car AP@0.5 the notebook reports, on a few scenes, through the student's path (yolo_head, yolo_eval)."""
    images, boxes, classes, raw, anchors, names = scenes
    decoded = yolo_head(raw, anchors, len(names))
    found, truths = [], []
    for i in range(len(images)):
        s, b, c = (np.asarray(v) for v in yolo_eval(tuple(part[i] for part in decoded), (128, 128), 30, 0.05, 0.5))
        found.append((b[c == 0], s[c == 0]))
        truths.append(boxes[i][classes[i] == 0])
    assert average_precision(found, truths, iou) > 0.45


def test_figures_draw_what_they_say(scenes):
    images, boxes, classes, raw, anchors, names = scenes
    fig = yolo_diagrams.draw_output_encoding(images[0], anchors, names, (6, 9), raw[0])
    ax_image, ax_table = fig.axes
    assert len(ax_table.patches) == len(anchors) * (5 + len(names))
    assert len(ax_image.patches) == 1 + len(anchors)  # the cell and its anchors
    ax = yolo_diagrams.show_scene(images[0])
    yolo_diagrams.draw_boxes(ax, boxes[0], classes[0], names, np.linspace(0.5, 0.9, len(boxes[0])))
    assert len(ax.patches) == len(boxes[0]) and len(ax.texts) == len(boxes[0])
    with pytest.raises(ValueError, match="scores"):
        yolo_diagrams.draw_boxes(ax, boxes[0], scores=[0.5])
    ax = yolo_diagrams.draw_iou(plt.subplots()[1], (0, 0, 2, 2), (1, 1, 3, 3), 1 / 7)
    assert len(ax.patches) == 3 and ax.get_title() == "IoU = 0.143"
    detections = [(np.array([0.9]), b[:1], c[:1]) for b, c in zip(boxes[:3], classes[:3])]
    fig = yolo_diagrams.show_detections_and_truth(images[:3], boxes[:3], classes[:3], detections, names, columns=2)
    assert len(fig.axes) == 4 and not fig.axes[3].axison
    with pytest.raises(ValueError, match="image"):
        yolo_diagrams.show_scene(np.zeros((4, 4)))
