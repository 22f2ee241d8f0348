"""Smiles and hand signs need a CNN: one pixel or the mean colour predicts poorly, a small CNN learns them well.

The tests on the two whole sets (`data`, built in an empty cache) are slow; `make test-fast` keeps the baselines'
own."""

import os

import numpy as np
import pytest

from cnnbook.data import load_hand_signs, load_smiles
from tests.support.offline import refuse_connections


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNBOOK_DATA_DIR", str(tmp_path_factory.mktemp("learnability_cache")))
        refuse_connections(mp)
        return {"smiles": load_smiles(), "hand_signs": load_hand_signs()}


def best_single_pixel(x_train, y_train, x_test, y_test, bins=16):
    """Fit the best one-pixel classifier on the training set; return its test accuracy.

    Each pixel channel's value is cut into `bins` levels and each level predicts its majority class (for two
    classes this includes every threshold rule); the pixel channel with the best training accuracy is kept.
    """
    n_classes = int(y_train.max()) + 1
    levels = x_train.reshape(len(x_train), -1).astype(np.int64) * bins // 256  # (m, n_features)
    n_features = levels.shape[1]
    counts = np.zeros((n_features, bins, n_classes))
    for c in range(n_classes):
        index = (np.arange(n_features) * bins + levels[y_train == c]).ravel()
        counts[:, :, c] = np.bincount(index, minlength=n_features * bins).reshape(n_features, bins)
    best = int(counts.max(axis=2).sum(axis=1).argmax())
    prediction = counts[best].argmax(axis=1)  # (bins,) class of each level
    test_levels = x_test.reshape(len(x_test), -1)[:, best].astype(np.int64) * bins // 256
    return float((prediction[test_levels] == y_test).mean())


def mean_colour_regression(x_train, y_train, x_test, y_test, steps=3000, learning_rate=0.5):
    """Fit a softmax regression on each image's mean (R, G, B); return its test accuracy."""

    def features(x):
        return x.reshape(len(x), -1, 3).mean(axis=1) / 255.0  # (m, 3)

    train, test = features(x_train), features(x_test)
    mean, std = train.mean(0), train.std(0) + 1e-9
    train = np.hstack([(train - mean) / std, np.ones((len(train), 1))])
    test = np.hstack([(test - mean) / std, np.ones((len(test), 1))])
    n_classes = int(y_train.max()) + 1
    W = np.zeros((4, n_classes))
    onehot = np.eye(n_classes)[y_train]
    for _ in range(steps):
        logits = train @ W
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        W -= learning_rate * train.T @ (p - onehot) / len(train)
    return float(((test @ W).argmax(axis=1) == y_test).mean())


def test_the_baselines_work_when_the_answer_is_in_one_pixel():
    # guard against lenient baselines that fail everything: plant the label in one pixel and they must find it
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (300, 8, 8, 3), dtype=np.uint8)
    y = rng.integers(0, 3, 300)
    x[:, 5, 2, 1] = y * 100 + 10
    assert best_single_pixel(x[:200], y[:200], x[200:], y[200:]) == 1.0
    x[..., :] = (y * 80 + 20)[:, None, None, None] + rng.integers(0, 10, (300, 8, 8, 3))
    assert mean_colour_regression(x[:200], y[:200], x[200:], y[200:]) > 0.95


@pytest.mark.slow
def test_one_pixel_or_the_mean_colour_cannot_tell_a_smile(data):
    x_train, y_train, x_test, y_test = data["smiles"]
    assert best_single_pixel(x_train, y_train, x_test, y_test) <= 0.75  # a CNN reaches >= 0.9
    assert mean_colour_regression(x_train, y_train, x_test, y_test) <= 0.62


@pytest.mark.slow
def test_one_pixel_or_the_mean_colour_cannot_count_fingers(data):
    x_train, y_train, x_test, y_test = data["hand_signs"]
    assert best_single_pixel(x_train, y_train, x_test, y_test) <= 0.35  # chance is 1/6; a CNN reaches >= 0.8
    assert mean_colour_regression(x_train, y_train, x_test, y_test) <= 0.35


def small_cnn(n_outputs):
    import tensorflow as tf

    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            tf.keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(32, 5, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(64, activation="relu"),
            layers.Dense(n_outputs),
        ]
    )


@pytest.mark.slow
def test_a_small_cnn_learns_both_quickly(data):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    tf = pytest.importorskip("tensorflow")
    tf.keras.utils.set_random_seed(0)
    x_train, y_train, x_test, y_test = data["hand_signs"]
    model = small_cnn(6)
    model.compile(
        tf.keras.optimizers.Adam(1e-3),
        tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, epochs=15, batch_size=32, verbose=0)
    hands = model.evaluate(x_test, y_test, verbose=0)[1]

    x_train, y_train, x_test, y_test = data["smiles"]
    model = small_cnn(1)
    model.compile(
        tf.keras.optimizers.Adam(1e-3),
        tf.keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    model.fit(x_train, y_train, epochs=15, batch_size=32, verbose=0)
    smiles = model.evaluate(x_test, y_test, verbose=0)[1]
    print(f"small CNN test accuracy: hand signs {hands:.3f}, smiles {smiles:.3f}")
    assert hands >= 0.8, f"hand signs test accuracy {hands:.3f}"
    assert smiles >= 0.9, f"smiles test accuracy {smiles:.3f}"
