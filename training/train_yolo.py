"""Train the course's small YOLO-v2-style street-scene detector: `python -m training.train_yolo`.

Seeded. Chooses the anchors by k-means (1 - IoU distance) on the training boxes, trains the network of
cnnbook.models.yolo_detector on the 800 'train' scenes (with random mirroring, shifts and colour jitter), measures
the average precision at IoU 0.5 of every class on the 200 held-out 'test' scenes, and writes into
cnnbook/models/weights/: yolo_detector.weights.h5, yolo_anchors.txt, yolo_classes.txt (their checksums
recorded) and yolo_detector.metrics.json.
"""

import argparse
import json
import os
import time

import numpy as np

SEED = 3
EPOCHS = 45
BATCH = 16
LEARNING_RATE = 2e-3
MAX_SHIFT = 16  # pixels, the largest random shift of a training scene
IGNORE_IOU = 0.6  # a predicted box this close to a true one is not punished for claiming an object


def kmeans_anchors(sizes, k, seed=SEED, iterations=200):
    """Cluster box sizes with the distance 1 - IoU (boxes sharing a centre) and return k anchors sorted by area.

    Arguments:
    sizes -- (n, 2) box (width, height)
    k -- number of anchors
    Returns:
    anchors -- (k, 2) cluster centres (median of their members), in the units of `sizes`
    """
    rng = np.random.default_rng(seed)
    centres = sizes[rng.choice(len(sizes), k, replace=False)]
    for _ in range(iterations):
        assignment = np.argmax(size_iou(sizes, centres), axis=1)  # (n,)
        updated = np.array(
            [np.median(sizes[assignment == j], axis=0) if np.any(assignment == j) else centres[j] for j in range(k)]
        )
        if np.allclose(updated, centres):
            break
        centres = updated
    return centres[np.argsort(centres.prod(axis=1))]


def size_iou(sizes, anchors):
    """Return the IoU of boxes and anchors placed on the same centre: sizes (n, 2), anchors (k, 2) -> (n, k)."""
    inter = np.minimum(sizes[:, None, 0], anchors[None, :, 0]) * np.minimum(sizes[:, None, 1], anchors[None, :, 1])
    return inter / (sizes.prod(axis=1)[:, None] + anchors.prod(axis=1)[None, :] - inter)


def make_targets(boxes, classes, anchors, S, image_size):
    """Encode the true boxes of one image as the detector's training target.

    Arguments:
    boxes -- (t, 4) corner boxes (y1, x1, y2, x2) in pixels
    classes -- (t,) class indices
    anchors -- (A, 2) anchor (width, height) in grid cells
    Returns:
    target -- (S, S, A, 6): sigmoid(t_x), sigmoid(t_y) targets (offsets in the cell), t_w, t_h targets,
              1 where an anchor is responsible for a box, the class index
    """
    A = len(anchors)
    target = np.zeros((S, S, A, 6), np.float32)
    cell = image_size / S
    for (y1, x1, y2, x2), k in zip(boxes, classes):
        cx, cy = (x1 + x2) / 2 / cell, (y1 + y2) / 2 / cell  # grid units
        w, h = max(x2 - x1, 1.0) / cell, max(y2 - y1, 1.0) / cell
        col, row = min(int(cx), S - 1), min(int(cy), S - 1)
        # the best-fitting anchor takes the box; if another box of this cell holds it, the next best does
        for a in np.argsort(-size_iou(np.array([[w, h]]), anchors)[0]):
            if target[row, col, a, 4] == 0:
                target[row, col, a] = (cx - col, cy - row, np.log(w / anchors[a, 0]), np.log(h / anchors[a, 1]), 1.0, k)
                break
    return target


def pad_boxes(boxes_list, k_max):
    """Return the true boxes of each image, padded with zero boxes: (m, k_max, 4) in pixels."""
    padded = np.zeros((len(boxes_list), k_max, 4), np.float32)
    for i, b in enumerate(boxes_list):
        padded[i, : len(b)] = b
    return padded


def augment_scene(image, boxes, classes, rng):
    """Return a randomly mirrored and shifted copy of a scene with its boxes (the border pixels fill the gap).

    Arguments:
    image -- (n_H, n_W, 3) uint8
    boxes -- (t, 4) corner boxes (y1, x1, y2, x2) in pixels
    classes -- (t,) class indices
    Returns:
    image, boxes, classes -- the same, moved by up to MAX_SHIFT pixels; boxes cut by the border keep what
                             stays visible, and are dropped when less than half of them does
    """
    n_H, n_W = image.shape[:2]
    if rng.random() < 0.5:
        image = image[:, ::-1]
        boxes = np.stack([boxes[:, 0], n_W - boxes[:, 3], boxes[:, 2], n_W - boxes[:, 1]], axis=1)
    dy, dx = rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, 2)
    P = MAX_SHIFT
    padded = np.pad(image, ((P, P), (P, P), (0, 0)), mode="edge")  # (n_H + 2P, n_W + 2P, 3)
    image = padded[P - dy : P - dy + n_H, P - dx : P - dx + n_W]
    moved = boxes + np.array([dy, dx, dy, dx], np.float32)
    clipped = np.clip(moved, 0, [n_H, n_W, n_H, n_W]).astype(np.float32)
    area = (moved[:, 2] - moved[:, 0]) * (moved[:, 3] - moved[:, 1])
    visible = (clipped[:, 2] - clipped[:, 0]) * (clipped[:, 3] - clipped[:, 1])
    keep = (visible >= 0.5 * area) & (clipped[:, 2] - clipped[:, 0] >= 2) & (clipped[:, 3] - clipped[:, 1] >= 2)
    return np.ascontiguousarray(image), clipped[keep], classes[keep]


def make_loss(tf, anchors, S, image_size, n_classes):
    """Return the YOLO loss function(raw (m, S, S, A, 5 + C), target (m, S, S, A, 6), true boxes (m, K, 4))."""
    anchors_t = tf.constant(anchors, tf.float32)  # (A, 2)
    rows, cols = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
    grid_x = tf.constant(cols[..., None], tf.float32)  # (S, S, 1)
    grid_y = tf.constant(rows[..., None], tf.float32)

    def loss_fn(raw, target, true_boxes):
        responsible = target[..., 4]  # (m, S, S, A)
        xy = tf.sigmoid(raw[..., 0:2])
        # small boxes weigh more: an error of one pixel matters more on a traffic light than on a bus
        size = tf.exp(target[..., 2:4]) * anchors_t / S  # (m, S, S, A, 2) fractions of the image
        coord_weight = responsible * (2.0 - size[..., 0] * size[..., 1])
        xy_loss = tf.reduce_sum(coord_weight * tf.reduce_sum(tf.square(xy - target[..., 0:2]), -1))
        wh_loss = tf.reduce_sum(coord_weight * tf.reduce_sum(tf.square(raw[..., 2:4] - target[..., 2:4]), -1))
        # predicted boxes (m, S, S, A, 4) in pixels, to spare the ones that already cover a true box
        b_x = (grid_x + xy[..., 0]) / S * image_size
        b_y = (grid_y + xy[..., 1]) / S * image_size
        b_w = anchors_t[:, 0] * tf.exp(tf.minimum(raw[..., 2], 8.0)) / S * image_size
        b_h = anchors_t[:, 1] * tf.exp(tf.minimum(raw[..., 3], 8.0)) / S * image_size
        pred = tf.stack([b_y - b_h / 2, b_x - b_w / 2, b_y + b_h / 2, b_x + b_w / 2], -1)[..., None, :]
        truth = true_boxes[:, None, None, None, :, :]  # (m, 1, 1, 1, K, 4)
        inter = tf.nn.relu(
            tf.minimum(pred[..., 2], truth[..., 2]) - tf.maximum(pred[..., 0], truth[..., 0])
        ) * tf.nn.relu(tf.minimum(pred[..., 3], truth[..., 3]) - tf.maximum(pred[..., 1], truth[..., 1]))
        area_p = (pred[..., 2] - pred[..., 0]) * (pred[..., 3] - pred[..., 1])
        area_t = (truth[..., 2] - truth[..., 0]) * (truth[..., 3] - truth[..., 1])
        best_iou = tf.reduce_max(inter / tf.maximum(area_p + area_t - inter, 1e-6), axis=-1)  # (m, S, S, A)
        background = (1.0 - responsible) * tf.cast(best_iou < IGNORE_IOU, tf.float32)
        objectness = tf.nn.sigmoid_cross_entropy_with_logits(labels=responsible, logits=raw[..., 4])
        obj_loss = tf.reduce_sum(5.0 * responsible * objectness) + tf.reduce_sum(background * objectness)
        class_ce = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.cast(target[..., 5], tf.int32), logits=raw[..., 5:]
        )
        class_loss = tf.reduce_sum(responsible * class_ce)
        m = tf.cast(tf.shape(raw)[0], tf.float32)
        return (xy_loss + wh_loss + obj_loss + class_loss) / m

    return loss_fn


def cosine_rate(step, total_steps):
    """Return the learning rate at `step`: LEARNING_RATE decaying along a half cosine to 2 % of it."""
    progress = min(step / max(total_steps, 1), 1.0)
    return LEARNING_RATE * (0.02 + 0.98 * 0.5 * (1 + np.cos(np.pi * progress)))


def fit_epochs_to_budget(epochs, seconds_per_epoch, budget_minutes):
    """Return the number of epochs that fits the time budget (at least 10, at most `epochs`), and say so."""
    fitting = int(budget_minutes * 60 / seconds_per_epoch)
    if fitting < epochs:
        print(
            f"{seconds_per_epoch:.0f} s per epoch: {max(fitting, 10)} epochs instead of {epochs} to keep within "
            f"{budget_minutes} minutes (the machine is busy)",
            flush=True,
        )
        return max(fitting, 10)
    return epochs


def train(epochs=EPOCHS, limit=None, write=True, budget_minutes=None):
    """Train, evaluate and (if `write`) save the detector; return the metrics dictionary.

    With `budget_minutes`, the epochs are cut (after timing the first two) to end within the budget.
    """
    import keras
    import tensorflow as tf

    from cnnbook.data import DETECTION_CLASSES, load_detection_scenes
    from cnnbook.models import weight_files
    from cnnbook.models import yolo_detector as yd
    from training.detection_metrics import mean_average_precision

    keras.utils.set_random_seed(SEED)
    S, size, C = yd.GRID_SIZE, yd.IMAGE_SIZE, len(DETECTION_CLASSES)
    x_train, boxes_train, classes_train = load_detection_scenes("train")
    x_test, boxes_test, classes_test = load_detection_scenes("test")
    if limit:
        x_train, boxes_train, classes_train = x_train[:limit], boxes_train[:limit], classes_train[:limit]
        x_test, boxes_test, classes_test = x_test[:limit], boxes_test[:limit], classes_test[:limit]

    all_boxes = np.concatenate(boxes_train)
    sizes = np.stack([all_boxes[:, 3] - all_boxes[:, 1], all_boxes[:, 2] - all_boxes[:, 0]], 1) / (size / S)
    anchors = kmeans_anchors(sizes, yd.N_ANCHORS).astype(np.float32)  # (A, 2) grid cells
    print("anchors (w, h) in grid cells:", np.round(anchors, 3).tolist(), flush=True)

    k_max = max(len(b) for b in boxes_train)
    model = yd.build_yolo_detector(n_anchors=len(anchors), n_classes=C)
    loss_fn = make_loss(tf, anchors, S, size, C)
    n = len(x_train)
    steps_per_epoch = int(np.ceil(n / BATCH))
    optimizer = keras.optimizers.Adam(LEARNING_RATE)

    @tf.function(reduce_retracing=True)
    def train_step(x, target, true_boxes, jitter):
        x = tf.cast(x, tf.float32)
        # colour jitter: exposure and a per-channel cast, kept inside 0..255
        x = tf.clip_by_value(x * jitter[:, None, None, :], 0.0, 255.0)
        with tf.GradientTape() as tape:
            raw = model(x, training=True)
            loss = loss_fn(raw, target, true_boxes)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    rng = np.random.default_rng(SEED)
    start = time.time()
    epochs_requested, epoch = epochs, 0
    while epoch < epochs:
        order = rng.permutation(n)
        losses = []
        for first in range(0, n, BATCH):
            optimizer.learning_rate = cosine_rate(epoch * steps_per_epoch + first // BATCH, epochs * steps_per_epoch)
            batch = [
                augment_scene(x_train[i], boxes_train[i], classes_train[i], rng) for i in order[first : first + BATCH]
            ]
            x = np.stack([b[0] for b in batch])
            target = np.stack([make_targets(b[1], b[2], anchors, S, size) for b in batch])
            jitter = rng.uniform(0.75, 1.25, (len(batch), 1)) * rng.uniform(0.9, 1.1, (len(batch), 3))
            losses.append(
                float(train_step(x, target, pad_boxes([b[1] for b in batch], k_max), jitter.astype(np.float32)))
            )
        epoch += 1
        print(f"epoch {epoch:3d}/{epochs}  loss {np.mean(losses):8.3f}  {time.time() - start:6.0f} s", flush=True)
        if budget_minutes and epoch == 2:
            epochs = fit_epochs_to_budget(epochs, (time.time() - start) / 2, budget_minutes)
    train_seconds = time.time() - start

    raw_test = model.predict(x_test, batch_size=50, verbose=0)
    confidence = 1 / (1 + np.exp(-raw_test[..., 4]))
    print(
        f"test scenes: {np.mean(np.sum(confidence > 0.5, axis=(1, 2, 3))):.1f} boxes of confidence > 0.5 per scene "
        f"(true: {np.mean([len(b) for b in boxes_test]):.1f})",
        flush=True,
    )
    aps = mean_average_precision(raw_test, boxes_test, classes_test, anchors, size, C)
    raw_train = model.predict(x_train[:200], batch_size=50, verbose=0)
    aps_train = mean_average_precision(raw_train, boxes_train[:200], classes_train[:200], anchors, size, C)
    metrics = {
        "task": "street-scene detection (cnnbook.data.load_detection_scenes), 128 x 128, 16 x 16 grid, 5 anchors",
        "classes": list(DETECTION_CLASSES),
        "anchors_grid_cells": np.round(anchors, 4).tolist(),
        "test_scenes": len(x_test),
        "test_ap50": {name: round(ap, 4) for name, ap in zip(DETECTION_CLASSES, aps)},
        "test_map50": round(float(np.nanmean(aps)), 4),
        "train_ap50_first_200_scenes": {name: round(ap, 4) for name, ap in zip(DETECTION_CLASSES, aps_train)},
        "epochs": epochs,
        "epochs_requested": epochs_requested,
        "batch_size": BATCH,
        "learning_rate": LEARNING_RATE,
        "seed": SEED,
        "parameters": int(model.count_params()),
        "training_seconds": round(train_seconds, 1),
    }
    print("AP@0.5 on the test scenes:", json.dumps(metrics["test_ap50"]), " mAP", metrics["test_map50"])
    print("AP@0.5 on 200 training scenes:", json.dumps(metrics["train_ap50_first_200_scenes"]))
    if write:
        weights_dir = weight_files.WEIGHTS_DIR
        weights_dir.mkdir(parents=True, exist_ok=True)
        model.save_weights(weights_dir / yd.WEIGHTS_FILE)
        (weights_dir / yd.ANCHORS_FILE).write_text(", ".join(f"{w:.5f},{h:.5f}" for w, h in anchors) + "\n")
        (weights_dir / yd.CLASSES_FILE).write_text("\n".join(DETECTION_CLASSES) + "\n")
        for name in (yd.WEIGHTS_FILE, yd.ANCHORS_FILE, yd.CLASSES_FILE):
            weight_files.record_checksum(name)
        metrics["weights_bytes"] = os.path.getsize(weights_dir / yd.WEIGHTS_FILE)
        (weights_dir / "yolo_detector.metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
        print(
            f"wrote {weights_dir / yd.WEIGHTS_FILE} ({metrics['weights_bytes'] / 1e6:.2f} MB), anchors, classes, "
            f"metrics; training took {train_seconds / 60:.1f} min"
        )
    return metrics


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--limit", type=int, default=None, help="use only the first LIMIT scenes (smoke test)")
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=None,
        help="train fewer epochs if the full run would take longer than this",
    )
    parser.add_argument("--dry-run", action="store_true", help="train and report, but write nothing")
    args = parser.parse_args()
    train(epochs=args.epochs, limit=args.limit, write=not args.dry_run, budget_minutes=args.budget_minutes)


if __name__ == "__main__":
    main()
