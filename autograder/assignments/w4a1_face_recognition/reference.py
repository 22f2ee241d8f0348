"""Reference implementations of the w4a1_face_recognition graded functions, for the hidden tests only.

triplet_loss is TensorFlow (it is called through the "tensors" adapter, like the student's); verify and
who_is_it follow the notebook's contract: they encode the photo with the global img_to_encoding(image_path,
model) and compare with the global THRESHOLD (the hidden tests bind both: an oracle table answers
img_to_encoding, the "w4a1_face_recognition.door" adapter sets THRESHOLD). who_is_it is vectorised, unlike
the loop in the instructor notebook, so the two check each other.
"""

import numpy as np
import tensorflow as tf

__all__ = ["triplet_loss", "verify", "who_is_it", "img_to_encoding", "THRESHOLD"]

THRESHOLD = 0.7  # replaced for every call by the adapter


def img_to_encoding(image_path, model):
    """Stand-in for the notebook's helper; the hidden tests always bind their own."""
    raise RuntimeError("the hidden tests must bind img_to_encoding to their camera table")


def triplet_loss(y_true, y_pred, alpha=0.2):
    """Sum over the m triplets of max(||a - p||^2 - ||a - n||^2 + alpha, 0); y_pred = (a, p, n), each (m, n_e).

    Returns a scalar tensor.
    """
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)  # (m,)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)  # (m,)
    return tf.reduce_sum(tf.nn.relu(pos_dist - neg_dist + alpha))


def _distance(a, b):
    """L2 distance between two encodings (1, n_e) as a Python float."""
    return float(np.sqrt(np.sum((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2)))


def verify(image_path, identity, database, model):
    """(dist, door_open): the L2 distance of the photo's encoding to database[identity], and dist < THRESHOLD."""
    dist = _distance(img_to_encoding(image_path, model), database[identity])
    door_open = dist < THRESHOLD
    print(f"It's {identity}, welcome in!" if door_open else f"It's not {identity}, please go away.")
    return dist, door_open


def who_is_it(image_path, database, model):
    """(min_dist, identity): the nearest person of the database and their distance; says 'not in the database' at or
    above THRESHOLD."""
    encoding = np.asarray(img_to_encoding(image_path, model), np.float64).reshape(1, -1)  # (1, n_e)
    names = list(database)
    enrolled = np.concatenate([np.asarray(database[n], np.float64).reshape(1, -1) for n in names])  # (n, n_e)
    distances = np.sqrt(np.sum((enrolled - encoding) ** 2, axis=1))  # (n,)
    k = int(np.argmin(distances))
    min_dist, identity = float(distances[k]), names[k]
    if min_dist < THRESHOLD:
        print(f"It's {identity}, the distance is {min_dist:.3f}")
    else:
        print("Not in the database.")
    return min_dist, identity
