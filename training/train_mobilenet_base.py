"""Pretrain the course's MobileNetV2 base on a 12-class source task: `python -m training.train_mobilenet_base`.

Seeded. The source task is made from the course's own generators and holds no kite (the target of the
transfer-learning assignment), nor anything from its folder:
- hands showing 0, 1, 2, 3, 4 or 5 fingers (cnnbook.data.load_hand_signs);
- smiling and unsmiling faces (cnnbook.data.load_smiles);
- cars, buses and people cut out of street scenes rendered at 256 x 256 from seeds of this script's own
  (cnnbook.data.render_street_scene; neither the detection nor the segmentation scenes), and the whole
  scenes themselves ("street").
A MobileNetV2 without top (alpha COURSE_ALPHA, from random weights) with a small classifier is trained on
it at SOURCE_SIZE x SOURCE_SIZE pixels (the base is fully convolutional, so its weights serve any size).
Then the transfer check runs the assignment's recipe on the kite folder (160 x 160, 80 % / 20 % split
with seed 42): frozen base + new head, then fine-tuning the top of the base at one tenth of the learning
rate; and, for comparison, the same model from random weights. Writes into cnnbook/models/weights/:
mobilenet_base.weights.h5 (its checksum recorded) and mobilenet_base.metrics.json.
"""
import argparse
import json
import os
import time

import numpy as np

SEED = 11
SOURCE_SIZE = 96
STREET_SCENE_SIZE = 256
STREET_SEED = 515  # the scenes of the source task; the detection and segmentation data use 31 and 32
PER_STREET_CLASS = (360, 60)  # at most this many training and validation crops per street class
STREET_SCENES = 900  # at most this many scenes are rendered for the crops
EPOCHS = 16
BATCH = 32
LEARNING_RATE = 3e-3
BN_MOMENTUM = 0.9
TRANSFER_EPOCHS = 5  # each phase of the transfer check, as in the assignment
FINE_TUNE_AT = 120  # the first layer of the base that fine-tuning unfreezes, as in the assignment
TRANSFER_LEARNING_RATE = 1e-3
HELD_OUT_KITE_SEED = 778  # extra kite-task photos to judge the transfer on (the folder uses 777)
HELD_OUT_PER_CLASS = 200


def resize_all(images, size):
    """Return uint8 images (m, n_H, n_W, 3) resized to (m, size, size, 3), bilinearly."""
    from PIL import Image

    return np.stack([np.asarray(Image.fromarray(im).resize((size, size), Image.BILINEAR)) for im in images])


def street_crops(n_train, n_val, size, n_scenes=STREET_SCENES):
    """Cut crops of cars, buses and people out of freshly rendered street scenes, and whole scenes ("street").

    Every crop is a square around one object, 1.4 times its longer side (at least 24 pixels, moved inside
    the image where it would cross the border), so some road, facade or sky stays around it; objects
    under 12 pixels (longer side) are skipped, and at most two per class are cut from one scene so the
    crops draw on many scenes. Traffic lights are too rare and small for a class of their own. Buses are
    rarer than the rest: their class is smaller.
    Arguments:
    n_train, n_val -- at most this many training and validation images per class
    size -- side of the returned images, pixels
    n_scenes -- at most this many scenes are rendered
    Returns:
    names -- the 4 class names ("car", "bus", "person", "street")
    (x_train, y_train), (x_val, y_val) -- crops (n, size, size, 3) uint8 and labels 0..3
    """
    from PIL import Image

    from cnnbook.data import DETECTION_CLASSES, render_street_scene

    names = ["car", "bus", "person", "street"]
    side_max = STREET_SCENE_SIZE
    wanted = n_train + n_val
    crops = {k: [] for k in range(len(names))}
    for scene in range(n_scenes):
        image, boxes, classes, _ = render_street_scene(np.random.default_rng([STREET_SEED, scene]), side_max, side_max)
        picture = Image.fromarray(image)
        if len(crops[3]) < wanted:
            crops[3].append(np.asarray(picture.resize((size, size), Image.BILINEAR)))
        taken = {k: 0 for k in crops}
        for (y1, x1, y2, x2), detection_class in zip(boxes, classes):
            name = DETECTION_CLASSES[int(detection_class)]
            if name not in names:
                continue
            k = names.index(name)
            longer = max(y2 - y1, x2 - x1)
            if longer < 12 or len(crops[k]) >= wanted or taken[k] >= 2:
                continue
            side = min(max(1.4 * longer, 24.0), side_max)
            top = float(np.clip((y1 + y2 - side) / 2, 0, side_max - side))
            left = float(np.clip((x1 + x2 - side) / 2, 0, side_max - side))
            crops[k].append(np.asarray(picture.resize((size, size), Image.BILINEAR,
                                                      box=(left, top, left + side, top + side))))
            taken[k] += 1
        if min(len(c) for c in crops.values()) >= wanted:
            break
    print(f"street crops from {scene + 1} scenes: " + ", ".join(f"{names[k]} {len(v)}" for k, v in crops.items()),
          flush=True)
    x_train, y_train, x_val, y_val = [], [], [], []
    for k, items in crops.items():
        n_k_val = min(n_val, len(items) // 6)  # a rare class keeps five sixths of its crops for training
        x_val += items[:n_k_val]
        y_val += [k] * n_k_val
        x_train += items[n_k_val:n_k_val + n_train]
        y_train += [k] * len(items[n_k_val:n_k_val + n_train])
    return names, (np.stack(x_train), np.array(y_train)), (np.stack(x_val), np.array(y_val))


def source_task(size=SOURCE_SIZE, per_street_class=PER_STREET_CLASS, n_scenes=STREET_SCENES):
    """Build the 12-class source task.

    Returns:
    class_names -- list of 12 names
    (x_train, y_train), (x_val, y_val) -- images (n, size, size, 3) uint8, labels (n,) in 0..11
    """
    from cnnbook.data import HAND_SIGN_CLASSES, SMILE_CLASSES, load_hand_signs, load_smiles

    xh, yh, xh_val, yh_val = load_hand_signs()
    xs, ys, xs_val, ys_val = load_smiles()
    street_names, (xc, yc), (xc_val, yc_val) = street_crops(*per_street_class, size, n_scenes)
    names = [f"hand_{c}" for c in HAND_SIGN_CLASSES] + [f"face_{c}" for c in SMILE_CLASSES] + \
        [f"street_{c}" for c in street_names]
    x_train = np.concatenate([resize_all(xh, size), resize_all(xs, size), xc])
    y_train = np.concatenate([yh, ys + 6, yc + 8])
    x_val = np.concatenate([resize_all(xh_val, size), resize_all(xs_val, size), xc_val])
    y_val = np.concatenate([yh_val, ys_val + 6, yc_val + 8])
    return names, (x_train, y_train.astype(np.int64)), (x_val, y_val.astype(np.int64))


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
    return keras.Sequential([keras.layers.RandomFlip("horizontal", seed=seed),
                             keras.layers.RandomRotation(0.06, seed=seed + 1),
                             keras.layers.RandomTranslation(0.1, 0.1, seed=seed + 2),
                             keras.layers.RandomZoom((-0.15, 0.15), seed=seed + 3),
                             keras.layers.RandomContrast(0.2, seed=seed + 4)])


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
                    print(f"{per_epoch:.0f} s per epoch: {fitting} epochs instead of {self.epochs} to keep within "
                          f"{budget_minutes} minutes (the machine is busy)", flush=True)
                    self.epochs = fitting
            if epoch + 1 >= self.epochs:
                self.model.stop_training = True

    return CosineWithBudget()


def train_source(epochs=EPOCHS, per_street_class=PER_STREET_CLASS, n_scenes=STREET_SCENES, budget_minutes=None):
    """Train the base on the source task; return (base, class names, metrics)."""
    import keras
    import tensorflow as tf

    from cnnbook.models.mobilenet_base import COURSE_ALPHA, build_mobilenet_base

    start = time.time()
    names, (x_train, y_train), (x_val, y_val) = source_task(SOURCE_SIZE, per_street_class, n_scenes)
    print(f"source task: {len(names)} classes, {len(x_train)} training and {len(x_val)} validation images "
          f"({time.time() - start:.0f} s to build)", flush=True)
    base = build_mobilenet_base((SOURCE_SIZE, SOURCE_SIZE, 3), alpha=COURSE_ALPHA)
    quicken_batch_norm(keras, base)
    model = classifier(keras, base, len(names), SOURCE_SIZE)
    augment = augmenter(keras, SEED)
    train_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(len(x_train), seed=SEED)
                .batch(BATCH).map(lambda x, y: (augment(tf.cast(x, tf.float32), training=True), y))
                .prefetch(2))
    val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(128)
    schedule = schedule_callback(keras, epochs, int(np.ceil(len(x_train) / BATCH)), budget_minutes)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    fit_start = time.time()
    history = model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=2, callbacks=[schedule])
    epochs, epochs_requested = schedule.epochs, epochs
    seconds = time.time() - fit_start
    logits = model.predict(x_val, batch_size=128, verbose=0)
    predicted = logits.argmax(axis=1)
    per_class = {name: round(float(np.mean(predicted[y_val == k] == k)), 4) for k, name in enumerate(names)}
    metrics = {"classes": names, "image_size": SOURCE_SIZE, "alpha": COURSE_ALPHA,
               "train_images": int(len(x_train)), "validation_images": int(len(x_val)),
               "validation_accuracy": round(float(np.mean(predicted == y_val)), 4),
               "validation_accuracy_per_class": per_class,
               "final_train_accuracy": round(float(history.history["accuracy"][-1]), 4),
               "epochs": epochs, "epochs_requested": epochs_requested, "batch_size": BATCH,
               "learning_rate": LEARNING_RATE, "seed": SEED,
               "training_seconds": round(seconds, 1)}
    print(f"source task: validation accuracy {metrics['validation_accuracy']:.3f} ({seconds / 60:.1f} min)", flush=True)
    return base, names, metrics


def kite_datasets(keras):
    """Return the kite folder's training and validation datasets, split as in the assignment."""
    from cnnbook.data import transfer_learning_folder

    folder = transfer_learning_folder()
    kwargs = dict(shuffle=True, batch_size=32, image_size=(160, 160), validation_split=0.2, seed=42)
    train_ds = keras.utils.image_dataset_from_directory(folder, subset="training", **kwargs)
    val_ds = keras.utils.image_dataset_from_directory(folder, subset="validation", **kwargs)
    return train_ds, val_ds


def transfer_model(keras, base, train_base=False):
    """The assignment's model: augmentation, preprocessing, the base (inference mode), pooling, dropout, one logit.

    With train_base the base runs in training mode (batch statistics), as a network trained from scratch would.
    """
    inputs = keras.Input((160, 160, 3))
    X = keras.layers.RandomFlip("horizontal", seed=SEED)(inputs)
    X = keras.layers.RandomRotation(0.2, seed=SEED)(X)
    X = keras.layers.Rescaling(1 / 127.5, offset=-1.0)(X)
    X = base(X, training=None if train_base else False)
    X = keras.layers.GlobalAveragePooling2D()(X)
    X = keras.layers.Dropout(0.2)(X)
    return keras.Model(inputs, keras.layers.Dense(1)(X))


def fit_binary(keras, model, train_ds, val_ds, learning_rate, epochs):
    """Compile with binary cross-entropy from logits, fit, and return the validation accuracy per epoch."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")])
    history = model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=0)
    return [round(float(a), 4) for a in history.history["val_accuracy"]]


def held_out_kites(n_per_class=HELD_OUT_PER_CLASS):
    """Render fresh photos of the kite task (not in the folder) for a steadier verdict than 60 validation images.

    Only the transfer models see them, and only to be judged; the base never does.
    Returns:
    x -- (2 n_per_class, 160, 160, 3) uint8, y -- (2 n_per_class,) labels, kite 0, not_kite 1 (as in the folder)
    """
    from cnnbook.data.transfer_target import render_sky_photo

    x = [render_sky_photo(np.random.default_rng([HELD_OUT_KITE_SEED, label, i]), with_kite=(label == 0))
         for label in (0, 1) for i in range(n_per_class)]
    return np.stack(x), np.repeat([0, 1], n_per_class)


def held_out_accuracy(model, x, y):
    """Return the accuracy of a one-logit model (logit > 0 means label 1) on images x."""
    return round(float(np.mean((model.predict(x, batch_size=50, verbose=0)[:, 0] > 0) == y)), 4)


def transfer_check(base_weights_path, epochs=TRANSFER_EPOCHS):
    """Run the assignment's recipe on the kite folder with the course's base and from random weights."""
    import keras

    from cnnbook.models.mobilenet_base import COURSE_ALPHA, build_mobilenet_base

    start = time.time()
    train_ds, val_ds = kite_datasets(keras)
    x_held, y_held = held_out_kites()
    results = {}

    keras.utils.set_random_seed(SEED)
    base = build_mobilenet_base((160, 160, 3), COURSE_ALPHA)
    base.load_weights(base_weights_path)
    base.trainable = False
    model = transfer_model(keras, base)
    frozen = fit_binary(keras, model, train_ds, val_ds, TRANSFER_LEARNING_RATE, epochs)
    results["course_base_frozen_held_out_accuracy"] = held_out_accuracy(model, x_held, y_held)
    base.trainable = True
    for layer in base.layers[:FINE_TUNE_AT]:
        layer.trainable = False
    tuned = fit_binary(keras, model, train_ds, val_ds, TRANSFER_LEARNING_RATE / 10, epochs)
    results["course_base_fine_tuned_held_out_accuracy"] = held_out_accuracy(model, x_held, y_held)
    results["course_base_frozen_val_accuracy"] = frozen
    results["course_base_fine_tuned_val_accuracy"] = tuned
    print(f"course base, frozen: {frozen} (held out {results['course_base_frozen_held_out_accuracy']})\n"
          f"course base, fine-tuned from layer {FINE_TUNE_AT}: {tuned} "
          f"(held out {results['course_base_fine_tuned_held_out_accuracy']})", flush=True)

    keras.utils.set_random_seed(SEED)
    base = build_mobilenet_base((160, 160, 3), COURSE_ALPHA)
    base.trainable = False
    model = transfer_model(keras, base)
    results["random_base_frozen_val_accuracy"] = fit_binary(keras, model, train_ds, val_ds, TRANSFER_LEARNING_RATE,
                                                            epochs)
    results["random_base_frozen_held_out_accuracy"] = held_out_accuracy(model, x_held, y_held)
    print(f"random base, frozen: {results['random_base_frozen_val_accuracy']}", flush=True)

    keras.utils.set_random_seed(SEED)
    base = build_mobilenet_base((160, 160, 3), COURSE_ALPHA)
    quicken_batch_norm(keras, base)
    model = transfer_model(keras, base, train_base=True)
    results["random_base_trained_end_to_end_val_accuracy"] = fit_binary(keras, model, train_ds, val_ds,
                                                                        TRANSFER_LEARNING_RATE, 2 * epochs)
    results["random_base_trained_end_to_end_held_out_accuracy"] = held_out_accuracy(model, x_held, y_held)
    print(f"random base, whole network trained ({2 * epochs} epochs): "
          f"{results['random_base_trained_end_to_end_val_accuracy']}", flush=True)
    results.update({"epochs_per_phase": epochs, "fine_tune_at": FINE_TUNE_AT,
                    "learning_rate": TRANSFER_LEARNING_RATE, "fine_tune_learning_rate": TRANSFER_LEARNING_RATE / 10,
                    "held_out": f"{2 * HELD_OUT_PER_CLASS} fresh kite-task photos (render_sky_photo, seed "
                                f"{HELD_OUT_KITE_SEED}), half with a kite",
                    "split": "image_dataset_from_directory(validation_split=0.2, seed=42): 240 training, "
                             "60 validation images",
                    "seconds": round(time.time() - start, 1)})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--transfer-epochs", type=int, default=TRANSFER_EPOCHS)
    parser.add_argument("--street-scenes", type=int, default=STREET_SCENES)
    parser.add_argument("--street-crops", type=int, nargs=2, default=PER_STREET_CLASS, metavar=("TRAIN", "VAL"))
    parser.add_argument("--budget-minutes", type=float, default=None,
                        help="train the source task for fewer epochs if it would take longer than this")
    parser.add_argument("--transfer-only", action="store_true",
                        help="keep the shipped base; run the transfer check again and update the metrics file")
    parser.add_argument("--dry-run", action="store_true", help="write the weights to a temporary file only")
    args = parser.parse_args()

    import tempfile

    import keras

    from cnnbook.models import weight_files
    from cnnbook.models.mobilenet_base import WEIGHTS_FILE

    metrics_file = weight_files.WEIGHTS_DIR / "mobilenet_base.metrics.json"
    if args.transfer_only:
        metrics = json.loads(metrics_file.read_text())
        metrics["transfer_check"] = transfer_check(str(weight_files.weight_path(WEIGHTS_FILE)), args.transfer_epochs)
        if not args.dry_run:
            metrics_file.write_text(json.dumps(metrics, indent=1) + "\n")
        print(json.dumps(metrics["transfer_check"], indent=1))
        return
    keras.utils.set_random_seed(SEED)
    base, names, metrics = train_source(args.epochs, tuple(args.street_crops), args.street_scenes,
                                          args.budget_minutes)
    if args.dry_run:
        path = os.path.join(tempfile.mkdtemp(), WEIGHTS_FILE)
    else:
        weight_files.WEIGHTS_DIR.mkdir(parents=True, exist_ok=True)
        path = str(weight_files.WEIGHTS_DIR / WEIGHTS_FILE)
    base.save_weights(path)
    metrics["weights_bytes"] = os.path.getsize(path)
    metrics = {"source_task": metrics, "transfer_check": transfer_check(path, args.transfer_epochs)}
    if not args.dry_run:
        weight_files.record_checksum(WEIGHTS_FILE)
        metrics_file.write_text(json.dumps(metrics, indent=1) + "\n")
    print(json.dumps(metrics, indent=1))


if __name__ == "__main__":
    main()
