"""Do the w1a2 models learn the course's smiles and hand signs within the notebook's budget?

    python -m training.keras_apis_check [--seeds 0 1 2] [--model happy|signs|both] [--write]

Builds the two models of the assignment exactly as the design gives them (happyModel: 37,633 parameters;
convolutional_model: 1,310 parameters), trains each with the settings the notebook uses (below) from
several seeds, and prints the test accuracy and the training time of every run. Times are also given as
CPU time / 2: what the run would take alone on a 2-core machine, whatever else the machine is doing.
With --write the results go into training/reports/keras_apis_check.json.
"""

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

# The notebook's training settings (measured on smiles v3 and hand signs v3; see
# training/reports/keras_apis_check.json).
HAPPY = {"epochs": 10, "batch_size": 32, "learning_rate": 1e-3}
SIGNS = {"epochs": 40, "batch_size": 32, "learning_rate": 3e-3}
SEEDS = (0, 1, 2)
REPORT = Path(__file__).resolve().parent / "reports" / "keras_apis_check.json"


def cpu_seconds():
    """Return the CPU time (user + system) this process has used so far, in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def happy_model(keras):
    """happyModel: ZeroPadding2D(3), Conv2D(32, 7x7), BatchNormalization(axis=3), ReLU, MaxPooling2D, Flatten, Dense(1,
    sigmoid)."""
    return keras.Sequential(
        [
            keras.Input((64, 64, 3)),
            keras.layers.ZeroPadding2D(3),
            keras.layers.Conv2D(32, 7, strides=1),
            keras.layers.BatchNormalization(axis=3),
            keras.layers.ReLU(),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


def signs_model(keras, input_shape=(64, 64, 3)):
    """convolutional_model: Conv2D(8, 4x4, same), ReLU, MaxPool(8, 8, same), Conv2D(16, 2x2, same), ReLU,
    MaxPool(4, 4, same), Flatten, Dense(6, softmax)."""
    inputs = keras.Input(input_shape)
    Z1 = keras.layers.Conv2D(8, 4, strides=1, padding="same")(inputs)
    A1 = keras.layers.ReLU()(Z1)
    P1 = keras.layers.MaxPooling2D(pool_size=8, strides=8, padding="same")(A1)
    Z2 = keras.layers.Conv2D(16, 2, strides=1, padding="same")(P1)
    A2 = keras.layers.ReLU()(Z2)
    P2 = keras.layers.MaxPooling2D(pool_size=4, strides=4, padding="same")(A2)
    F = keras.layers.Flatten()(P2)
    return keras.Model(inputs, keras.layers.Dense(6, activation="softmax")(F))


def run(which, seed, settings):
    """Train one model from one seed; return its test accuracy, times and accuracy curve."""
    import keras

    from cnnbook.data import load_hand_signs, load_smiles

    keras.utils.set_random_seed(seed)
    if which == "happy":
        x_train, y_train, x_test, y_test = load_smiles()
        model, loss = happy_model(keras), "binary_crossentropy"
    else:
        x_train, y_train, x_test, y_test = load_hand_signs()
        model, loss = signs_model(keras), "sparse_categorical_crossentropy"
    x_train, x_test = x_train / 255.0, x_test / 255.0  # the notebook normalises the same way
    model.compile(optimizer=keras.optimizers.Adam(settings["learning_rate"]), loss=loss, metrics=["accuracy"])
    wall, cpu = time.time(), cpu_seconds()
    history = model.fit(
        x_train,
        y_train,
        epochs=settings["epochs"],
        batch_size=settings["batch_size"],
        validation_data=(x_test, y_test),
        verbose=0,
    )
    result = {
        "model": which,
        "seed": seed,
        "params": model.count_params(),
        "test_accuracy": round(float(model.evaluate(x_test, y_test, verbose=0)[1]), 4),
        "seconds": round(time.time() - wall, 1),
        "cpu_seconds": round(cpu_seconds() - cpu, 1),
        "test_accuracy_per_epoch": [round(float(a), 4) for a in history.history["val_accuracy"]],
    }
    print(
        f"{which:<6} seed {seed}: test accuracy {result['test_accuracy']:.3f}, {result['seconds']:.0f} s "
        f"({result['cpu_seconds'] / 2:.0f} s on 2 idle cores), {result['params']} parameters",
        flush=True,
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--model", choices=["happy", "signs", "both"], default="both")
    parser.add_argument("--epochs", type=int, default=None, help="override the notebook's number of epochs")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--learning-rate", type=float, default=None)
    parser.add_argument("--write", action="store_true", help=f"write the results to {REPORT}")
    args = parser.parse_args()
    results = {}
    for which, defaults in (("happy", HAPPY), ("signs", SIGNS)):
        if args.model not in (which, "both"):
            continue
        settings = dict(defaults)
        for key in ("epochs", "batch_size", "learning_rate"):
            if getattr(args, key) is not None:
                settings[key] = getattr(args, key)
        runs = [run(which, seed, settings) for seed in args.seeds]
        accuracies = [r["test_accuracy"] for r in runs]
        results[which] = {
            "settings": settings,
            "runs": runs,
            "test_accuracy_mean": round(float(np.mean(accuracies)), 4),
            "test_accuracy_min": round(float(np.min(accuracies)), 4),
            "seconds_on_2_cores_mean": round(float(np.mean([r["cpu_seconds"] for r in runs])) / 2, 1),
        }
        print(
            f"{which}: {settings}; test accuracy mean {results[which]['test_accuracy_mean']:.3f}, "
            f"min {results[which]['test_accuracy_min']:.3f}; "
            f"{results[which]['seconds_on_2_cores_mean']:.0f} s on 2 idle cores",
            flush=True,
        )
    if args.write:
        REPORT.parent.mkdir(exist_ok=True)
        REPORT.write_text(json.dumps(results, indent=1) + "\n")
        print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()
