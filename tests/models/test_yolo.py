"""The shipped street-scene detector: it loads offline, has the documented output, and its files are checked."""

import json
import shutil

import numpy as np
import pytest

from cnnbook.data import DETECTION_CLASSES, load_detection_scenes
from cnnbook.models import weight_files, yolo_detector
from cnnbook.models.weight_files import WeightFileError
from tests.support.offline import refuse_connections
from training.detection_metrics import box_iou, decode_output, detect, mean_average_precision
from training.train_yolo import make_targets

SHIPPED = [yolo_detector.WEIGHTS_FILE, yolo_detector.ANCHORS_FILE, yolo_detector.CLASSES_FILE]


@pytest.fixture(scope="module")
def detector():
    """The shipped detector, loaded once for the module."""
    return yolo_detector.load_yolo_detector()


def test_detector_loads_offline_with_the_documented_output(monkeypatch):
    refuse_connections(monkeypatch)
    model = yolo_detector.load_yolo_detector()
    raw = model.predict(np.zeros((2, 128, 128, 3), np.uint8), verbose=0)
    S, A, C = yolo_detector.GRID_SIZE, len(yolo_detector.read_anchors()), len(yolo_detector.read_class_names())
    assert raw.shape == (2, S, S, A, 5 + C) == (2, 16, 16, 5, 9)
    assert np.all(np.isfinite(raw))


def test_last_layer_is_linear(detector):
    # the module docstring promises raw scores: every activation is left to the decoding step
    assert detector.get_layer("head_out").get_config()["activation"] == "linear"
    raw = detector.predict(load_detection_scenes("test")[0][:4], verbose=0)
    assert raw[..., 4].min() < 0 < raw[..., 4].max(), "objectness scores should be logits of either sign"


def test_anchors_and_classes_read_back():
    anchors = yolo_detector.read_anchors()
    assert anchors.shape == (yolo_detector.N_ANCHORS, 2)
    assert np.all(anchors > 0) and np.all(anchors < yolo_detector.GRID_SIZE)
    areas = anchors.prod(axis=1)
    assert np.all(np.diff(areas) > 0), "anchors are written from the smallest to the largest"
    assert yolo_detector.read_class_names() == list(DETECTION_CLASSES)
    metrics = json.loads((weight_files.WEIGHTS_DIR / "yolo_detector.metrics.json").read_text())
    np.testing.assert_allclose(anchors, metrics["anchors_grid_cells"], atol=1e-3)


def test_read_anchors_parses_the_written_format(tmp_path):
    path = tmp_path / "anchors.txt"
    path.write_text("0.50000,1.25000, 2.00000,1.50000\n")
    np.testing.assert_array_equal(yolo_detector.read_anchors(path), np.array([[0.5, 1.25], [2.0, 1.5]], np.float32))


def test_detector_finds_cars_in_held_out_scenes(detector):
    images, boxes, classes = load_detection_scenes("test")
    raw = detector.predict(images[:8], verbose=0)
    anchors = yolo_detector.read_anchors()
    found, cars = 0, 0
    for i in range(8):
        kept_boxes, scores, kept_classes = detect(raw[i], anchors, 128, score_threshold=0.5)
        true_cars = boxes[i][classes[i] == 0]
        cars += len(true_cars)
        for box in true_cars:
            hits = kept_boxes[kept_classes == 0]
            found += bool(len(hits)) and box_iou(box, hits).max() >= 0.5
    assert cars > 10
    assert found >= cars / 2, f"only {found} of {cars} cars found with score > 0.5"


def test_encoding_round_trip_gives_perfect_precision():
    # the training targets, written as raw scores and decoded as the module docstring says, give back the boxes
    _, boxes, classes = load_detection_scenes("test")
    anchors = yolo_detector.read_anchors()
    raws = []
    for b, c in zip(boxes[:20], classes[:20]):
        target = make_targets(b, c, anchors, 16, 128)  # (S, S, A, 6)
        raw = np.zeros((16, 16, len(anchors), 9), np.float32)
        offsets = np.clip(target[..., :2], 1e-5, 1 - 1e-5)
        raw[..., :2] = np.log(offsets / (1 - offsets))
        raw[..., 2:4] = target[..., 2:4]
        raw[..., 4] = np.where(target[..., 4] > 0, 12.0, -12.0)
        raw[..., 5:] = 12.0 * np.eye(4)[target[..., 5].astype(int)]
        raws.append(raw)
    decoded, _ = decode_output(raws[0], anchors, 128)
    assert decoded.shape == (16 * 16 * len(anchors), 4)
    aps = mean_average_precision(np.stack(raws), boxes[:20], classes[:20], anchors, 128, 4)
    # two cars whose centres share a cell and best anchor can lose one box; nothing else may be lost
    assert all(ap > 0.97 for ap in aps if not np.isnan(ap))


@pytest.mark.parametrize("name", SHIPPED)
def test_checksum_rejects_an_altered_copy(name, tmp_path, monkeypatch):
    for shipped in SHIPPED + ["checksums.json"]:
        shutil.copy(weight_files.WEIGHTS_DIR / shipped, tmp_path / shipped)
    monkeypatch.setattr(weight_files, "WEIGHTS_DIR", tmp_path)
    monkeypatch.setattr(weight_files, "CHECKSUMS", tmp_path / "checksums.json")
    assert weight_files.weight_path(name) == tmp_path / name  # the unaltered copy passes
    data = bytearray((tmp_path / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (tmp_path / name).write_bytes(bytes(data))
    with pytest.raises(WeightFileError, match=name):
        yolo_detector.load_yolo_detector()
