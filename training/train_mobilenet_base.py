"""Pretrain the course's MobileNetV2 base on a 27-class source task: `python -m training.train_mobilenet_base`.

Seeded. The source task is the course's "outdoor objects" (cnnbook.data.pretraining_objects): things
in the sky and on the ground drawn over skies, blurred photographs and walls, plus hands and faces, one
kind an image; it never shows a kite (the target of the transfer-learning assignment), and none of its
images is in the kite folder. A MobileNetV2 without top (alpha COURSE_ALPHA, from random weights) with a
small classifier learns it at SOURCE_SIZE x SOURCE_SIZE pixels (the base is fully convolutional, so its
weights serve any size; the objects are drawn so that their size in pixels matches a kite's in the
160-pixel target). Its batch-normalisation statistics are then re-estimated on source photos rendered
at 160 x 160, the size the assignment feeds it. Finally training.transfer_check runs the assignment's
recipe on the kite folder over three seeds: frozen base, fine-tuned base, and the same network from
scratch. Writes into cnnbook/models/weights/: mobilenet_base.weights.h5 (its checksum recorded) and
mobilenet_base.metrics.json.
"""

import argparse
import json
import os
import time

import numpy as np

SEED = 11
TRAIN_SEED, VAL_SEED, CALIBRATION_SEED = 1101, 1102, 1103  # the source photos of each use
SOURCE_SIZE = 96
TRAIN_PER_CLASS = 600
VAL_PER_CLASS = 60
CALIBRATION_PER_CLASS = 40  # 160-pixel source photos for the batch-normalisation statistics
EPOCHS = 10
BATCH = 64
LEARNING_RATE = 3e-3
BN_MOMENTUM = 0.9


def source_task(n_train=TRAIN_PER_CLASS, n_val=VAL_PER_CLASS, size=SOURCE_SIZE):
    """Render the source task: (class names, (x_train, y_train), (x_val, y_val)), images (n, size, size, 3) uint8."""
    from cnnbook.data.pretraining_objects import PRETRAINING_CLASSES, make_pretraining_objects

    return (
        list(PRETRAINING_CLASSES),
        make_pretraining_objects(n_train, TRAIN_SEED, size),
        make_pretraining_objects(n_val, VAL_SEED, size),
    )


def quicken_batch_norm(keras, model, momentum=BN_MOMENTUM):
    """Set the momentum of every batch normalisation of `model`, so its moving statistics follow a short training.

    keras.applications.MobileNetV2 uses 0.999, made for ImageNet's millions of steps: after our few hundred,
    the moving statistics would still be mostly their initial values, and the base would be wrong in
    inference mode (the mode in which the assignment calls the frozen base).
    """
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = momentum


def classifier(keras, base, n_classes, size):
    """Return base + global average pooling + dropout + dense logits, on images 0..255 (m, size, size, 3)."""
    inputs = keras.Input((size, size, 3))
    X = keras.layers.Rescaling(1 / 127.5, offset=-1.0)(inputs)  # what mobilenet_v2.preprocess_input does
    X = base(X)
    X = keras.layers.GlobalAveragePooling2D()(X)
    X = keras.layers.Dropout(0.2)(X)
    return keras.Model(inputs, keras.layers.Dense(n_classes)(X))


def augmenter(keras, seed):
    """Return the source task's augmentation: flips, small shifts, zooms and rotations, contrast changes."""
    return keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal", seed=seed),
            keras.layers.RandomRotation(0.12, seed=seed + 1),
            keras.layers.RandomTranslation(0.1, 0.1, seed=seed + 2),
            keras.layers.RandomZoom((-0.15, 0.15), seed=seed + 3),
            keras.layers.RandomContrast(0.2, seed=seed + 4),
        ]
    )


def schedule_callback(keras, epochs, steps_per_epoch, budget_minutes=None):
    """Return a callback that sets the learning rate of every step and ends training after `epochs` epochs.

    The rate warms up linearly over the first half epoch to LEARNING_RATE, then decays along a half cosine
    to 1 % of it. With `budget_minutes`, the first two epochs are timed and the run is shortened (to no
    fewer than 6 epochs, the cosine stretched to the new end) if it would not end within the budget.
    """

    class CosineWithBudget(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.epochs, self.epoch, self.start = epochs, 0, None

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch
            self.start = self.start or time.time()

        def on_train_batch_begin(self, batch, logs=None):
            step, total = self.epoch * steps_per_epoch + batch, self.epochs * steps_per_epoch
            warmup = steps_per_epoch // 2
            if step < warmup:
                rate = LEARNING_RATE * (step + 1) / warmup
            else:
                progress = min((step - warmup) / max(total - warmup, 1), 1.0)
                rate = LEARNING_RATE * (0.01 + 0.99 * 0.5 * (1 + np.cos(np.pi * progress)))
            self.model.optimizer.learning_rate = rate

        def on_epoch_end(self, epoch, logs=None):
            if budget_minutes and epoch == 1:
                per_epoch = (time.time() - self.start) / 2
                fitting = max(int(budget_minutes * 60 / per_epoch), 6)
                if fitting < self.epochs:
                    print(
                        f"{per_epoch:.0f} s per epoch: {fitting} epochs instead of {self.epochs} to keep within "
                        f"{budget_minutes} minutes (the machine is busy)",
                        flush=True,
                    )
                    self.epochs = fitting
            if epoch + 1 >= self.epochs:
                self.model.stop_training = True

    return CosineWithBudget()


def train_source(epochs=EPOCHS, n_train=TRAIN_PER_CLASS, budget_minutes=None, checkpoint_dir=None):
    """Train the base on the source task; return (base, class names, metrics)."""
    import keras
    import tensorflow as tf

    from cnnbook.models.mobilenet_base import COURSE_ALPHA, build_mobilenet_base

    start = time.time()
    names, (x_train, y_train), (x_val, y_val) = source_task(n_train, VAL_PER_CLASS, SOURCE_SIZE)
    print(
        f"source task: {len(names)} classes, {len(x_train)} training and {len(x_val)} validation images "
        f"({time.time() - start:.0f} s to render)",
        flush=True,
    )
    base = build_mobilenet_base((SOURCE_SIZE, SOURCE_SIZE, 3), alpha=COURSE_ALPHA)
    quicken_batch_norm(keras, base)
    model = classifier(keras, base, len(names), SOURCE_SIZE)
    augment = augmenter(keras, SEED)
    train_ds = (
        tf.data.Dataset.from_tensor_slices((x_train, y_train))
        .shuffle(len(x_train), seed=SEED)
        .batch(BATCH)
        .map(lambda x, y: (augment(tf.cast(x, tf.float32), training=True), y))
        .prefetch(2)
    )
    val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(128)
    callbacks = [schedule_callback(keras, epochs, int(np.ceil(len(x_train) / BATCH)), budget_minutes)]
    if checkpoint_dir:
        os.makedirs(checkpoint_dir, exist_ok=True)
        callbacks.append(
            keras.callbacks.LambdaCallback(
                on_epoch_end=lambda epoch, logs: base.save_weights(
                    os.path.join(checkpoint_dir, f"base_epoch{epoch + 1:02d}.weights.h5")
                )
            )
        )
    model.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    fit_start = time.time()
    history = model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=2, callbacks=callbacks)
    epochs, epochs_requested = callbacks[0].epochs, epochs
    seconds = time.time() - fit_start
    predicted = model.predict(x_val, batch_size=128, verbose=0).argmax(axis=1)
    per_class = {name: round(float(np.mean(predicted[y_val == k] == k)), 4) for k, name in enumerate(names)}
    metrics = {
        "classes": names,
        "image_size": SOURCE_SIZE,
        "alpha": COURSE_ALPHA,
        "train_images": int(len(x_train)),
        "validation_images": int(len(x_val)),
        "validation_accuracy": round(float(np.mean(predicted == y_val)), 4),
        "validation_accuracy_per_class": per_class,
        "final_train_accuracy": round(float(history.history["accuracy"][-1]), 4),
        "epochs": epochs,
        "epochs_requested": epochs_requested,
        "batch_size": BATCH,
        "learning_rate": LEARNING_RATE,
        "seed": SEED,
        "training_seconds": round(seconds, 1),
    }
    print(f"source task: validation accuracy {metrics['validation_accuracy']:.3f} ({seconds / 60:.1f} min)", flush=True)
    return base, names, metrics


def calibrate_batch_norm(base_weights, out_path, size=160, n_per_class=CALIBRATION_PER_CLASS, batch=32):
    """Re-estimate the moving statistics of every batch normalisation on source photos of `size` pixels.

    The base learned at SOURCE_SIZE; the assignment runs it, frozen and in inference mode, at 160 x 160,
    where a feature map holds more background and less border than at 96. Only the moving means and
    variances change (the layers run in training mode, no weight is updated). Writes the base to out_path.
    """
    import keras

    from cnnbook.data.pretraining_objects import make_pretraining_objects
    from cnnbook.models.mobilenet_base import COURSE_ALPHA, build_mobilenet_base

    base = build_mobilenet_base((size, size, 3), COURSE_ALPHA)
    base.load_weights(base_weights)
    quicken_batch_norm(keras, base)
    x, _ = make_pretraining_objects(n_per_class, CALIBRATION_SEED, size)
    x = x.astype(np.float32) / 127.5 - 1.0
    for _ in range(2):
        for i in range(0, len(x), batch):
            base(x[i : i + batch], training=True)
    base.save_weights(out_path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--train-per-class", type=int, default=TRAIN_PER_CLASS)
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=None,
        help="train the source task for fewer epochs if it would take longer than this",
    )
    parser.add_argument("--checkpoint-dir", default=None, help="also save the base after every epoch here")
    parser.add_argument("--seeds", type=int, nargs="+", default=None, help="seeds of the transfer check")
    parser.add_argument(
        "--transfer-only",
        action="store_true",
        help="keep the shipped base; run the transfer check again and update the metrics file",
    )
    parser.add_argument("--dry-run", action="store_true", help="write the weights to a temporary folder only")
    args = parser.parse_args()

    import tempfile

    import keras

    from cnnbook.models import weight_files
    from cnnbook.models.mobilenet_base import WEIGHTS_FILE
    from training import transfer_check

    seeds = args.seeds or list(transfer_check.SEEDS)
    metrics_file = weight_files.WEIGHTS_DIR / "mobilenet_base.metrics.json"
    if args.transfer_only:
        metrics = json.loads(metrics_file.read_text())
        metrics["transfer"] = transfer_check.measure_transfer(seeds)
        metrics.pop("transfer_check", None)
        if not args.dry_run:
            metrics_file.write_text(json.dumps(metrics, indent=1) + "\n")
            weight_files.record_checksum(metrics_file.name)
        return
    keras.utils.set_random_seed(SEED)
    base, names, metrics = train_source(args.epochs, args.train_per_class, args.budget_minutes, args.checkpoint_dir)
    folder = tempfile.mkdtemp() if args.dry_run else str(weight_files.WEIGHTS_DIR)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, WEIGHTS_FILE)
    trained = os.path.join(tempfile.mkdtemp(), "trained.weights.h5")
    base.save_weights(trained)
    calibrate_batch_norm(trained, path)
    metrics["weights_bytes"] = os.path.getsize(path)
    metrics["batch_norm_calibration"] = (
        f"moving statistics re-estimated at 160 x 160 on "
        f"{CALIBRATION_PER_CLASS * len(names)} source photos (seed {CALIBRATION_SEED})"
    )
    metrics = {"source_task": metrics, "transfer": transfer_check.measure_transfer(seeds, path)}
    if not args.dry_run:
        weight_files.record_checksum(WEIGHTS_FILE)
        metrics_file.write_text(json.dumps(metrics, indent=1) + "\n")
        weight_files.record_checksum(metrics_file.name)  # the notebook reads the transfer check from it
    print(json.dumps(metrics["source_task"], indent=1))


if __name__ == "__main__":
    main()
