"""Mistakes and alternative solutions for w4a1_face_recognition (triplet loss, verification, recognition).

Every function is named ``<graded function>__<slug>``. Bodies use only names the notebook defines or imports
(``np``, ``tf``, ``img_to_encoding``, ``THRESHOLD``, ``FRmodel``), so ``Variant.source()`` can be pasted into the
notebook's solution cell. Here those names stand for what the hidden tests' kernel has: img_to_encoding is the
notebook's helper, which reads a photo from disk, and the hidden tests' photos are no files, so a call that
their oracle does not answer fails as it would in the kernel; FRmodel is the notebook's model.
"""

import numpy as np
import tensorflow as tf

from cnnbook.models.face_embedding import face_distance_threshold
from tests.support.variants import alternative, mistake

THRESHOLD = face_distance_threshold()
FRmodel = object()  # the notebook's Keras model; the hidden tests pass a token instead


def img_to_encoding(image_path, model):
    """The notebook's helper, as it behaves on a path that is not a file."""
    raise FileNotFoundError(f"[Errno 2] No such file or directory: {image_path!r}")


# ----------------------------------------------------------------------------------------------
# triplet_loss
# ----------------------------------------------------------------------------------------------


@mistake("triplet_loss")
def triplet_loss__mean_instead_of_sum(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.reduce_mean(tf.maximum(pos_dist - neg_dist + alpha, 0.0))


@mistake("triplet_loss")
def triplet_loss__no_hinge(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.reduce_sum(pos_dist - neg_dist + alpha)


@mistake("triplet_loss")
def triplet_loss__hinge_on_the_total(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.maximum(tf.reduce_sum(pos_dist - neg_dist + alpha), 0.0)


@mistake("triplet_loss")
def triplet_loss__distances_over_the_batch_axis(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=0)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=0)
    return tf.reduce_sum(tf.maximum(pos_dist - neg_dist + alpha, 0.0))


@mistake("triplet_loss")
def triplet_loss__distances_over_every_axis(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive))
    neg_dist = tf.reduce_sum(tf.square(anchor - negative))
    return tf.reduce_sum(tf.maximum(pos_dist - neg_dist + alpha, 0.0))


@mistake("triplet_loss")
def triplet_loss__plain_distances(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.norm(anchor - positive, axis=-1)
    neg_dist = tf.norm(anchor - negative, axis=-1)
    return tf.reduce_sum(tf.maximum(pos_dist - neg_dist + alpha, 0.0))


@mistake("triplet_loss")
def triplet_loss__margin_subtracted(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.reduce_sum(tf.maximum(pos_dist - (neg_dist + alpha), 0.0))


@mistake("triplet_loss")
def triplet_loss__fixed_margin(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.reduce_sum(tf.maximum(pos_dist - neg_dist + 0.2, 0.0))


@mistake("triplet_loss")
def triplet_loss__one_loss_per_triplet(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.maximum(pos_dist - neg_dist + alpha, 0.0)


@mistake("triplet_loss")
def triplet_loss__python_number(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return float(tf.reduce_sum(tf.maximum(pos_dist - neg_dist + alpha, 0.0)).numpy())


@mistake("triplet_loss")
def triplet_loss__positive_and_negative_swapped(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.reduce_sum(tf.maximum(neg_dist - pos_dist + alpha, 0.0))


@alternative("triplet_loss")
def triplet_loss__relu_and_unpacking(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred
    basic_loss = (
        tf.reduce_sum(tf.square(anchor - positive), axis=1)
        - tf.reduce_sum(tf.square(anchor - negative), axis=1)
        + alpha
    )
    return tf.reduce_sum(tf.nn.relu(basic_loss))


@alternative("triplet_loss")
def triplet_loss__squared_norms(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.square(tf.norm(anchor - positive, axis=-1))
    neg_dist = tf.square(tf.norm(anchor - negative, axis=-1))
    return tf.math.reduce_sum(tf.clip_by_value(pos_dist - neg_dist + alpha, 0.0, np.inf))


@alternative("triplet_loss")
def triplet_loss__squared_difference(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    pos_dist = tf.reduce_sum(tf.math.squared_difference(anchor, positive), axis=-1, keepdims=True)  # (m, 1)
    neg_dist = tf.reduce_sum(tf.math.squared_difference(anchor, negative), axis=-1, keepdims=True)  # (m, 1)
    return tf.reduce_sum(tf.maximum(0.0, pos_dist - neg_dist + alpha))


# ----------------------------------------------------------------------------------------------
# verify
# ----------------------------------------------------------------------------------------------


@mistake("verify")
def verify__squared_distance(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, model)
    dist = float(np.sum(np.square(encoding - database[identity])))
    door_open = dist < THRESHOLD
    print("Welcome in!" if door_open else "Please go away.")
    return dist, door_open


@mistake("verify")
def verify__comparison_reversed(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, model)
    dist = float(np.linalg.norm(encoding - database[identity]))
    door_open = dist > THRESHOLD
    print("Welcome in!" if door_open else "Please go away.")
    return dist, door_open


@mistake("verify")
def verify__opens_at_the_threshold(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, model)
    dist = float(np.linalg.norm(encoding - database[identity]))
    door_open = dist <= THRESHOLD
    print("Welcome in!" if door_open else "Please go away.")
    return dist, door_open


@mistake("verify")
def verify__tensor_instead_of_bool(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, model)
    dist = tf.norm(encoding - database[identity])
    door_open = dist < THRESHOLD
    print("Welcome in!" if door_open else "Please go away.")
    return dist, door_open


@mistake("verify")
def verify__nearest_person_instead_of_the_claimed_one(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, model)
    dist = min(float(np.linalg.norm(encoding - enrolled)) for enrolled in database.values())
    door_open = dist < THRESHOLD
    print(f"It's {identity}, welcome in!" if door_open else f"It's not {identity}, please go away.")
    return dist, door_open


@mistake("verify")
def verify__threshold_written_in_the_code(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, model)
    dist = float(np.linalg.norm(encoding - database[identity]))
    door_open = dist < 0.7
    print("Welcome in!" if door_open else "Please go away.")
    return dist, door_open


@mistake("verify")
def verify__global_model_instead_of_the_argument(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, FRmodel)
    dist = float(np.linalg.norm(encoding - database[identity]))
    door_open = dist < THRESHOLD
    print("Welcome in!" if door_open else "Please go away.")
    return dist, door_open


@mistake("verify")
def verify__pair_in_the_wrong_order(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, model)
    dist = float(np.linalg.norm(encoding - database[identity]))
    door_open = dist < THRESHOLD
    return door_open, dist


@alternative("verify")
def verify__tf_norm_and_bool(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, model)
    dist = tf.norm(tf.constant(encoding) - database[identity])
    door_open = bool(dist < THRESHOLD)
    print(f"It's {identity}, welcome in!" if door_open else f"It's not {identity}, please go away.")
    return dist, door_open


@alternative("verify")
def verify__sqrt_of_sum_and_if(image_path, identity, database, model):
    difference = img_to_encoding(image_path=image_path, model=model) - database[identity]  # (1, 128)
    dist = np.sqrt(np.sum(difference**2))
    if dist < THRESHOLD:
        print("Welcome in, " + identity)
        door_open = True
    else:
        print("Sorry, you do not look like " + identity)
        door_open = False
    return dist, door_open


# ----------------------------------------------------------------------------------------------
# who_is_it
# ----------------------------------------------------------------------------------------------


@mistake("who_is_it")
def who_is_it__keeps_the_last_person(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    min_dist, identity = 100, None
    for name, db_enc in database.items():
        min_dist = float(np.linalg.norm(encoding - db_enc))
        identity = name
    print("Not in the database." if min_dist >= THRESHOLD else f"It's {identity}, the distance is {min_dist}")
    return min_dist, identity


@mistake("who_is_it")
def who_is_it__keeps_the_last_below_threshold(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    min_dist, identity = 100, None
    for name, db_enc in database.items():
        dist = float(np.linalg.norm(encoding - db_enc))
        if dist < THRESHOLD:
            min_dist, identity = dist, name
    print("Not in the database." if min_dist >= THRESHOLD else f"It's {identity}, the distance is {min_dist}")
    return min_dist, identity


@mistake("who_is_it")
def who_is_it__squared_distance(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    min_dist, identity = 100, None
    for name, db_enc in database.items():
        dist = float(np.sum((encoding - db_enc) ** 2))
        if dist < min_dist:
            min_dist, identity = dist, name
    print("Not in the database." if min_dist >= THRESHOLD else f"It's {identity}, the distance is {min_dist}")
    return min_dist, identity


@mistake("who_is_it")
def who_is_it__match_at_the_threshold(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    min_dist, identity = 100, None
    for name, db_enc in database.items():
        dist = float(np.linalg.norm(encoding - db_enc))
        if dist < min_dist:
            min_dist, identity = dist, name
    if min_dist > THRESHOLD:
        print("Not in the database.")
    else:
        print(f"It's {identity}, the distance is {min_dist}")
    return min_dist, identity


@mistake("who_is_it")
def who_is_it__message_the_wrong_way_round(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    min_dist, identity = 100, None
    for name, db_enc in database.items():
        dist = float(np.linalg.norm(encoding - db_enc))
        if dist < min_dist:
            min_dist, identity = dist, name
    print("Not in the database." if min_dist < THRESHOLD else f"It's {identity}, the distance is {min_dist}")
    return min_dist, identity


@mistake("who_is_it")
def who_is_it__no_name_for_a_stranger(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    min_dist, identity = 100, None
    for name, db_enc in database.items():
        dist = float(np.linalg.norm(encoding - db_enc))
        if dist < min_dist:
            min_dist, identity = dist, name
    if min_dist >= THRESHOLD:
        print("Not in the database.")
        identity = None
    else:
        print(f"It's {identity}, the distance is {min_dist}")
    return min_dist, identity


@mistake("who_is_it")
def who_is_it__starts_min_dist_at_zero(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    min_dist, identity = 0.0, None
    for name, db_enc in database.items():
        dist = float(np.linalg.norm(encoding - db_enc))
        if dist < min_dist:
            min_dist, identity = dist, name
    print("Not in the database." if min_dist >= THRESHOLD else f"It's {identity}, the distance is {min_dist}")
    return min_dist, identity


@mistake("who_is_it")
def who_is_it__threshold_written_in_the_code(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    min_dist, identity = 100, None
    for name, db_enc in database.items():
        dist = float(np.linalg.norm(encoding - db_enc))
        if dist < min_dist:
            min_dist, identity = dist, name
    print("Not in the database." if min_dist >= 0.7 else f"It's {identity}, the distance is {min_dist}")
    return min_dist, identity


@mistake("who_is_it")
def who_is_it__keeps_the_farthest(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    names = list(database)
    distances = [float(np.linalg.norm(encoding - database[name])) for name in names]
    k = int(np.argmax(distances))
    print("Not in the database." if distances[k] >= THRESHOLD else f"It's {names[k]}")
    return distances[k], names[k]


@alternative("who_is_it")
def who_is_it__vectorised_argmin(image_path, database, model):
    encoding = img_to_encoding(image_path, model)  # (1, 128)
    names = list(database.keys())
    enrolled = np.concatenate([database[name] for name in names])  # (n, 128)
    distances = np.linalg.norm(enrolled - encoding, axis=1)  # (n,)
    k = int(np.argmin(distances))
    min_dist, identity = distances[k], names[k]
    if min_dist < THRESHOLD:
        print("It's " + identity + ", the distance is " + str(min_dist))
    else:
        print("Not in the database.")
    return min_dist, identity


@alternative("who_is_it")
def who_is_it__tf_norm_loop(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    min_dist = 100.0
    identity = None
    for name, db_enc in database.items():
        dist = tf.norm(encoding - db_enc)
        if dist < min_dist:
            min_dist = dist
            identity = name
    if min_dist >= THRESHOLD:
        print("NOT IN THE DATABASE")
    else:
        print(f"Welcome, {identity}!")
    return min_dist, identity


@alternative("who_is_it")
def who_is_it__min_with_a_key(image_path, database, model):
    encoding = img_to_encoding(image_path, model)
    distances = {name: float(np.linalg.norm(encoding - db_enc)) for name, db_enc in database.items()}
    identity = min(distances, key=distances.get)
    min_dist = distances[identity]
    print(f"It's {identity}." if min_dist < THRESHOLD else "Not in the database.")
    return min_dist, identity
