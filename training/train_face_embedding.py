"""Train the face-embedding network with the triplet loss, pick its distance threshold, and measure it.

    python -m training.train_face_embedding [--epochs N]

Each batch holds P people with K photos each (from the 200 "train" identities); every anchor-positive
pair in the batch is matched with a semi-hard negative (farther from the anchor than the positive, but
the nearest such; FaceNet's choice), and the loss is the hinge max(d(A, P) - d(A, N) + margin, 0) on L2
distances between unit-norm encodings. The distance threshold is the one with the best accuracy on
balanced same/different pairs of the 30 "validation" people; the test accuracy is measured at that
threshold on the 50 "test" people, whom training never saw.

Writes cnnbook/models/weights/face_embedding.weights.h5 and face_embedding.metrics.json (threshold,
accuracies, ROC points) and records their SHA-256. Seeded: the same command gives the same network up
to the non-determinism of multi-threaded float arithmetic.
"""

import argparse
import json
import time

import keras
import numpy as np
import tensorflow as tf

from cnnbook.data import load_face_identities
from cnnbook.models.face_embedding import METRICS_FILE, WEIGHTS_FILE, build_face_embedding, encode_faces
from cnnbook.models.weight_files import WEIGHTS_DIR, record_checksum

SEED = 7
PEOPLE_PER_BATCH = 24  # P
PHOTOS_PER_PERSON = 4  # K
MARGIN = 0.2
EPOCHS = 60
MAX_MINUTES = 14  # a guard for a busy machine: training stops after the epoch that passes it
LEARNING_RATE = 2e-3
ROC_THRESHOLDS = np.round(np.arange(0.0, 2.0001, 0.02), 2)  # distances between unit vectors lie in 0..2


def pairwise_distances(E):
    """Return the L2 distances between the rows of E (m, d): a matrix (m, m)."""
    squares = tf.reduce_sum(tf.square(E), axis=1)  # (m,)
    D2 = squares[:, None] - 2.0 * tf.matmul(E, E, transpose_b=True) + squares[None, :]
    return tf.sqrt(tf.maximum(D2, 0.0) + 1e-12)  # the epsilon keeps sqrt's gradient finite


def semi_hard_triplet_loss(labels, E, margin=MARGIN):
    """Return the mean triplet hinge over every anchor-positive pair in the batch, with a semi-hard negative each.

    Arguments:
    labels -- (m,) identity of each face
    E -- (m, d) unit-norm encodings
    margin -- alpha, how much farther the negative must be than the positive
    Returns:
    loss -- scalar tensor
    """
    D = pairwise_distances(E)  # (m, m)
    same = tf.equal(labels[:, None], labels[None, :])  # (m, m)
    positive = tf.logical_and(same, tf.logical_not(tf.eye(tf.shape(E)[0], dtype=tf.bool)))
    negative = tf.logical_not(same)
    d_ap = D[:, :, None]  # (m, m, 1): anchor a, positive p
    d_an = D[:, None, :]  # (m, 1, m): anchor a, negative n
    # semi-hard: the nearest negative that is still farther than the positive
    farther = tf.logical_and(negative[:, None, :], d_an > d_ap)  # (m, m, m)
    semi_hard = tf.reduce_min(tf.where(farther, d_an, 1e9), axis=2)  # (m, m)
    # no such negative: every negative is nearer than the positive; take the least hard one (FaceNet, TF Addons)
    least_hard = tf.reduce_max(tf.where(negative, D, -1e9), axis=1)  # (m,)
    d_neg = tf.where(tf.reduce_any(farther, axis=2), semi_hard, least_hard[:, None])
    hinge = tf.maximum(D - d_neg + margin, 0.0)  # (m, m)
    weights = tf.cast(positive, E.dtype)
    return tf.reduce_sum(hinge * weights) / tf.maximum(tf.reduce_sum(weights), 1.0)


def person_batches(labels, rng, P=PEOPLE_PER_BATCH, K=PHOTOS_PER_PERSON):
    """Yield index arrays (P * K,) of one epoch: each person's photos are used about once per epoch."""
    people = np.unique(labels)
    photos = {p: np.flatnonzero(labels == p) for p in people}
    order = rng.permutation(people)
    for start in range(0, len(order) - P + 1, P):
        yield np.concatenate([rng.choice(photos[p], K, replace=False) for p in order[start : start + P]])


def make_augmenter(seed):
    """Return the training-time augmentation: the small shifts, zooms, flips and light changes of snapshots."""
    return keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal", seed=seed),
            keras.layers.RandomTranslation(0.06, 0.06, fill_mode="reflect", seed=seed + 1),
            keras.layers.RandomZoom((-0.08, 0.08), fill_mode="reflect", seed=seed + 2),
            keras.layers.RandomBrightness(0.12, value_range=(0, 255), seed=seed + 3),
        ],
        name="augment",
    )


def balanced_pairs(labels, rng):
    """Return every same-person pair and as many random different-person pairs: (i, j, same) index arrays."""
    i, j = np.triu_indices(len(labels), k=1)
    same = labels[i] == labels[j]
    pick = rng.choice(np.flatnonzero(~same), same.sum(), replace=False)
    keep = np.concatenate([np.flatnonzero(same), np.sort(pick)])
    return i[keep], j[keep], same[keep]


def pair_distances(encodings, labels, seed):
    """Return (distances, same) over the balanced pairs of a split."""
    i, j, same = balanced_pairs(labels, np.random.default_rng(seed))
    return np.linalg.norm(encodings[i] - encodings[j], axis=1), same


def accuracy_at(distances, same, threshold):
    """Return the fraction of pairs classified right by 'same person when distance < threshold'."""
    return float(np.mean((distances < threshold) == same))


def best_threshold(distances, same):
    """Return the threshold (midway between two sorted distances) with the best pair accuracy."""
    ordered = np.sort(distances)
    candidates = np.concatenate([[0.0], (ordered[1:] + ordered[:-1]) / 2, [ordered[-1] + 1e-6]])
    accuracies = [accuracy_at(distances, same, t) for t in candidates]
    return float(candidates[int(np.argmax(accuracies))])


def roc_points(distances, same, thresholds=ROC_THRESHOLDS):
    """Return false and true positive rates of 'distance < t' for each threshold t."""
    fpr = [float(np.mean(distances[~same] < t)) for t in thresholds]
    tpr = [float(np.mean(distances[same] < t)) for t in thresholds]
    return fpr, tpr


def area_under(fpr, tpr):
    """Return the area under a ROC curve given by points sorted by threshold."""
    return float(np.trapezoid(tpr, fpr))


def evaluate(model, split_data, threshold=None):
    """Return pair distances, accuracy and threshold of one split (threshold chosen here when None)."""
    images, labels = split_data
    distances, same = pair_distances(encode_faces(model, images), labels, SEED)
    if threshold is None:
        threshold = best_threshold(distances, same)
    return distances, same, accuracy_at(distances, same, threshold), threshold


def train(epochs=EPOCHS, seed=SEED, max_minutes=MAX_MINUTES, log=print):
    """Train the network; return it, the seconds it took and the number of epochs run."""
    keras.utils.set_random_seed(seed)
    images, labels = load_face_identities("train")
    validation = load_face_identities("validation")
    model = build_face_embedding()  # initial weights from the seed set above
    augment = make_augmenter(seed)
    steps_per_epoch = len(np.unique(labels)) // PEOPLE_PER_BATCH
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, epochs * steps_per_epoch, alpha=0.02)
    optimizer = keras.optimizers.Adam(schedule)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = semi_hard_triplet_loss(y, model(augment(x, training=True), training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    rng = np.random.default_rng(seed)
    start = time.time()
    for epoch in range(1, epochs + 1):
        losses = [
            float(step(tf.constant(images[batch], tf.float32), tf.constant(labels[batch])))
            for batch in person_batches(labels, rng)
        ]
        if epoch % 10 == 0 or epoch == epochs:
            _, _, accuracy, threshold = evaluate(model, validation)
            log(
                f"epoch {epoch:3d}  loss {np.mean(losses):.4f}  validation accuracy {accuracy:.3f} "
                f"at threshold {threshold:.3f}  ({time.time() - start:.0f} s)"
            )
        else:
            log(f"epoch {epoch:3d}  loss {np.mean(losses):.4f}  ({time.time() - start:.0f} s)")
        if time.time() - start > 60 * max_minutes and epoch < epochs:
            log(f"stopped after epoch {epoch} of {epochs}: the {max_minutes}-minute budget is spent")
            break
    return model, time.time() - start, epoch


def measure(model):
    """Return the metrics dict: threshold from validation, accuracies, ROC points of the test pairs."""
    _, _, validation_accuracy, threshold = evaluate(model, load_face_identities("validation"))
    distances, same, test_accuracy, _ = evaluate(model, load_face_identities("test"), threshold)
    fpr, tpr = roc_points(distances, same)
    return {
        "threshold": round(threshold, 4),
        "validation_accuracy": round(validation_accuracy, 4),
        "test_accuracy": round(test_accuracy, 4),
        "test_pairs": {"same": int(same.sum()), "different": int((~same).sum())},
        "test_mean_distance": {
            "same": round(float(distances[same].mean()), 4),
            "different": round(float(distances[~same].mean()), 4),
        },
        "test_roc": {
            "thresholds": ROC_THRESHOLDS.tolist(),
            "false_positive_rate": fpr,
            "true_positive_rate": tpr,
            "area_under_curve": round(area_under(fpr, tpr), 4),
        },
        "training": {
            "seed": SEED,
            "loss": "semi-hard triplet, L2 distance",
            "margin": MARGIN,
            "people_per_batch": PEOPLE_PER_BATCH,
            "photos_per_person": PHOTOS_PER_PERSON,
        },
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--max-minutes", type=float, default=MAX_MINUTES)
    args = parser.parse_args(argv)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    model, seconds, epochs_run = train(args.epochs, max_minutes=args.max_minutes)
    metrics = measure(model)
    metrics["training"].update(epochs=args.epochs, epochs_run=epochs_run, seconds=round(seconds))
    WEIGHTS_DIR.mkdir(parents=True, exist_ok=True)
    model.save_weights(WEIGHTS_DIR / WEIGHTS_FILE)
    (WEIGHTS_DIR / METRICS_FILE).write_text(json.dumps(metrics, indent=1) + "\n")
    record_checksum(WEIGHTS_FILE)
    record_checksum(METRICS_FILE)
    size = (WEIGHTS_DIR / WEIGHTS_FILE).stat().st_size / 1e6
    print(f"face embedding: {model.count_params():,} parameters, {size:.1f} MB, trained in {seconds / 60:.1f} min")
    n_pairs = metrics["test_pairs"]["same"] + metrics["test_pairs"]["different"]
    print(
        f"threshold {metrics['threshold']:.3f} (best on validation: {metrics['validation_accuracy']:.1%}); "
        f"test verification accuracy {metrics['test_accuracy']:.1%} on {n_pairs} pairs, "
        f"ROC area {metrics['test_roc']['area_under_curve']:.3f}"
    )


if __name__ == "__main__":
    main()
