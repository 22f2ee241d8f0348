"""Does the course's MobileNetV2 base transfer? The w2a2 recipe on the kite folder, against the same network from
scratch.

    python -m training.transfer_check [--seeds 11 12 13] [--write]

For each seed, three models are trained on the kite folder's training split (image_dataset_from_directory,
validation_split 0.2, seed 42: 240 training and 60 validation photos) and judged on its 60 validation
photos and on 400 fresh photos of the same task that neither the base nor the recipe ever sees:
- "frozen": the assignment's model (augmentation, preprocessing, the course's base frozen and called
  with training=False, pooling, dropout, one logit) trained for INITIAL_EPOCHS with Adam at LEARNING_RATE;
- "fine_tuned": the same model trained FINE_TUNE_EPOCHS more with the base unfrozen from layer
  FINE_TUNE_AT up, at LEARNING_RATE / 10 (binary cross-entropy from logits, as in the assignment);
- "scratch": the same architecture from random weights, every layer trained (batch normalisation in
  training mode, with a momentum that suits a short run) for INITIAL_EPOCHS + FINE_TUNE_EPOCHS epochs:
  as many passes over the data as the other two phases together, at the learning rate that served it best.
With --write the summary goes into cnnbook/models/weights/mobilenet_base.metrics.json ("transfer").
"""

import argparse
import json
import resource
import time

import numpy as np

IMAGE_SIZE = 160
BATCH_SIZE = 32
SPLIT_SEED = 42
LEARNING_RATE = 3e-3
INITIAL_EPOCHS = 8
FINE_TUNE_EPOCHS = 8
FINE_TUNE_AT = 130  # the first layer of the base (of 154 at alpha 0.35) to fine-tune: block 14's projection up
SCRATCH_LEARNING_RATE = 1e-3
SCRATCH_BN_MOMENTUM = 0.9  # Keras's 0.999 suits millions of steps; a short run needs moving statistics that follow
SEEDS = (11, 12, 13)
HELD_OUT_SEED = 778  # fresh photos of the kite task (the folder uses 777)
HELD_OUT_PER_CLASS = 200


def cpu_seconds():
    """Return the CPU time (user + system) this process has used so far, in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def kite_datasets(keras):
    """Return the kite folder's training and validation datasets, split as in the assignment."""
    from cnnbook.data import transfer_learning_folder

    folder = transfer_learning_folder()
    kwargs = dict(
        shuffle=True,
        batch_size=BATCH_SIZE,
        image_size=(IMAGE_SIZE, IMAGE_SIZE),
        validation_split=0.2,
        seed=SPLIT_SEED,
        verbose=False,
    )
    return (
        keras.utils.image_dataset_from_directory(folder, subset="training", **kwargs),
        keras.utils.image_dataset_from_directory(folder, subset="validation", **kwargs),
    )


def held_out_kites(n_per_class=HELD_OUT_PER_CLASS):
    """Render fresh photos of the kite task, not in the folder: x (2 n, 160, 160, 3) uint8, y (2 n,) kite 0, not_kite
    1."""
    from cnnbook.data.transfer_target import render_sky_photo

    x = [
        render_sky_photo(np.random.default_rng([HELD_OUT_SEED, label, i]), with_kite=(label == 0))
        for label in (0, 1)
        for i in range(n_per_class)
    ]
    return np.stack(x), np.repeat([0, 1], n_per_class)


def set_batch_norm_momentum(keras, model, momentum):
    """Set the momentum of every batch normalisation layer of `model`."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = momentum


def assignment_model(keras, base, base_training=False):
    """The w2a2 model: augmentation, mobilenet_v2 preprocessing, the base, pooling, dropout(0.2), one logit.

    base_training=False calls the base in inference mode (the assignment's frozen base); None lets it follow
    fit/predict, as a network trained from scratch must.
    """
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3))
    X = keras.layers.RandomFlip("horizontal")(inputs)
    X = keras.layers.RandomRotation(0.2)(X)
    X = keras.layers.Rescaling(1 / 127.5, offset=-1.0)(X)  # what mobilenet_v2.preprocess_input computes
    X = base(X, training=base_training)
    X = keras.layers.GlobalAveragePooling2D()(X)
    X = keras.layers.Dropout(0.2)(X)
    return keras.Model(inputs, keras.layers.Dense(1)(X))


def fit_binary(keras, model, train_ds, val_ds, learning_rate, epochs, initial_epoch=0):
    """Compile with binary cross-entropy from logits and Adam, fit; return the validation accuracy of each epoch."""
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    history = model.fit(
        train_ds, validation_data=val_ds, epochs=initial_epoch + epochs, initial_epoch=initial_epoch, verbose=0
    )
    return [round(float(a), 4) for a in history.history["val_accuracy"]]


def accuracy_on(model, x, y):
    """Return the accuracy of a one-logit model (logit > 0 means label 1) on uint8 images x."""
    return round(float(np.mean((model.predict(x, batch_size=50, verbose=0)[:, 0] > 0) == y)), 4)


def load_course_base(keras, weights_path=None):
    """Return the course's base at 160 x 160 (the shipped weights, or those at weights_path)."""
    from cnnbook.models.mobilenet_base import COURSE_ALPHA, build_mobilenet_base, load_mobilenet_base

    if weights_path is None:
        return load_mobilenet_base((IMAGE_SIZE, IMAGE_SIZE, 3), source="course")
    base = build_mobilenet_base((IMAGE_SIZE, IMAGE_SIZE, 3), COURSE_ALPHA)
    base.load_weights(str(weights_path))
    return base


def run_seed(
    seed,
    data,
    weights_path=None,
    initial_epochs=INITIAL_EPOCHS,
    fine_tune_epochs=FINE_TUNE_EPOCHS,
    fine_tune_at=FINE_TUNE_AT,
    learning_rate=LEARNING_RATE,
    scratch=True,
):
    """Train the frozen, fine-tuned and scratch models with one seed; return their accuracies and times."""
    import keras

    from cnnbook.models.mobilenet_base import COURSE_ALPHA, build_mobilenet_base

    train_ds, val_ds, x_held, y_held = data
    result = {"seed": seed}
    keras.utils.set_random_seed(seed)
    base = load_course_base(keras, weights_path)
    base.trainable = False
    model = assignment_model(keras, base)
    wall, cpu = time.time(), cpu_seconds()
    val = fit_binary(keras, model, train_ds, val_ds, learning_rate, initial_epochs)
    result["frozen"] = {
        "val_accuracy": val,
        "held_out_accuracy": accuracy_on(model, x_held, y_held),
        "seconds": round(time.time() - wall, 1),
        "cpu_seconds": round(cpu_seconds() - cpu, 1),
    }
    base.trainable = True
    for layer in base.layers[:fine_tune_at]:
        layer.trainable = False
    wall, cpu = time.time(), cpu_seconds()
    val = fit_binary(keras, model, train_ds, val_ds, learning_rate / 10, fine_tune_epochs, initial_epoch=initial_epochs)
    result["fine_tuned"] = {
        "val_accuracy": val,
        "held_out_accuracy": accuracy_on(model, x_held, y_held),
        "seconds": round(time.time() - wall, 1),
        "cpu_seconds": round(cpu_seconds() - cpu, 1),
    }
    if scratch:
        keras.utils.set_random_seed(seed)
        base = build_mobilenet_base((IMAGE_SIZE, IMAGE_SIZE, 3), COURSE_ALPHA)
        set_batch_norm_momentum(keras, base, SCRATCH_BN_MOMENTUM)
        model = assignment_model(keras, base, base_training=None)
        wall, cpu = time.time(), cpu_seconds()
        val = fit_binary(keras, model, train_ds, val_ds, SCRATCH_LEARNING_RATE, initial_epochs + fine_tune_epochs)
        result["scratch"] = {
            "val_accuracy": val,
            "held_out_accuracy": accuracy_on(model, x_held, y_held),
            "seconds": round(time.time() - wall, 1),
            "cpu_seconds": round(cpu_seconds() - cpu, 1),
        }
    print(json.dumps(result), flush=True)
    return result


def summarise(runs):
    """Return mean and spread over the seeds of each model's final validation and held-out accuracy."""
    summary = {}
    for name in ("scratch", "frozen", "fine_tuned"):
        if not all(name in run for run in runs):
            continue
        held = [run[name]["held_out_accuracy"] for run in runs]
        val = [run[name]["val_accuracy"][-1] for run in runs]
        summary[name] = {
            "held_out_accuracy_mean": round(float(np.mean(held)), 4),
            "held_out_accuracy_min": round(float(np.min(held)), 4),
            "held_out_accuracy_max": round(float(np.max(held)), 4),
            "val_accuracy_mean": round(float(np.mean(val)), 4),
            "cpu_seconds_mean": round(float(np.mean([run[name]["cpu_seconds"] for run in runs])), 1),
        }
    return summary


def print_table(summary, n_seeds):
    """Print the three numbers as a small table."""
    print(
        f"\nkite transfer, {n_seeds} seeds: accuracy on {2 * HELD_OUT_PER_CLASS} held-out photos "
        f"(mean, min..max) and on the folder's 60 validation photos (mean)"
    )
    for name, row in summary.items():
        print(
            f"  {name:<10} held out {row['held_out_accuracy_mean']:.3f} ({row['held_out_accuracy_min']:.3f}.."
            f"{row['held_out_accuracy_max']:.3f})   validation {row['val_accuracy_mean']:.3f}   "
            f"{row['cpu_seconds_mean'] / 2:.0f} s on 2 idle cores (CPU time / 2)"
        )


def measure_transfer(seeds=SEEDS, weights_path=None, scratch=True, **recipe):
    """Run every seed; return the metrics (settings, per-seed results, summary) and print the table."""
    import keras

    train_ds, val_ds = kite_datasets(keras)
    data = (train_ds, val_ds, *held_out_kites())
    runs = [run_seed(seed, data, weights_path, scratch=scratch, **recipe) for seed in seeds]
    summary = summarise(runs)
    print_table(summary, len(seeds))
    learning_rate = recipe.get("learning_rate", LEARNING_RATE)
    settings = {
        "image_size": IMAGE_SIZE,
        "batch_size": BATCH_SIZE,
        "split_seed": SPLIT_SEED,
        "learning_rate": learning_rate,
        "fine_tune_learning_rate": learning_rate / 10,
        "initial_epochs": recipe.get("initial_epochs", INITIAL_EPOCHS),
        "fine_tune_epochs": recipe.get("fine_tune_epochs", FINE_TUNE_EPOCHS),
        "fine_tune_at": recipe.get("fine_tune_at", FINE_TUNE_AT),
        "scratch_learning_rate": SCRATCH_LEARNING_RATE,
        "scratch_bn_momentum": SCRATCH_BN_MOMENTUM,
        "held_out": f"{2 * HELD_OUT_PER_CLASS} fresh kite-task photos (render_sky_photo, seed {HELD_OUT_SEED}), "
        f"half with a kite",
        "split": "image_dataset_from_directory(validation_split=0.2, seed=42): 240 training, 60 validation",
    }
    return {"settings": settings, "summary": summary, "runs": runs}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--weights", default=None, help="a base weight file to judge instead of the shipped one")
    parser.add_argument("--initial-epochs", type=int, default=INITIAL_EPOCHS)
    parser.add_argument("--fine-tune-epochs", type=int, default=FINE_TUNE_EPOCHS)
    parser.add_argument("--fine-tune-at", type=int, default=FINE_TUNE_AT)
    parser.add_argument(
        "--learning-rate", type=float, default=LEARNING_RATE, help="of the frozen phase (fine-tuning: / 10)"
    )
    parser.add_argument("--no-scratch", action="store_true", help="skip the from-scratch model (the slowest)")
    parser.add_argument("--write", action="store_true", help="store the result in mobilenet_base.metrics.json")
    args = parser.parse_args()
    metrics = measure_transfer(
        args.seeds,
        args.weights,
        scratch=not args.no_scratch,
        initial_epochs=args.initial_epochs,
        fine_tune_epochs=args.fine_tune_epochs,
        fine_tune_at=args.fine_tune_at,
        learning_rate=args.learning_rate,
    )
    if args.write:
        from cnnbook.models.weight_files import WEIGHTS_DIR, record_checksum

        path = WEIGHTS_DIR / "mobilenet_base.metrics.json"
        stored = json.loads(path.read_text()) if path.is_file() else {}
        stored["transfer"] = metrics
        stored.pop("transfer_check", None)  # the single-seed check of an older base
        path.write_text(json.dumps(stored, indent=1) + "\n")
        record_checksum(path.name)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
