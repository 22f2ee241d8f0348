"""Mistakes and alternative solutions for w4a2_style_transfer (the costs of neural style transfer and its training
step).

Every function is named ``<graded function>__<slug>``. Bodies use only the names the notebook defines or
imports (``tf``, ``np``, ``gram_matrix``, ``compute_layer_style_cost``, ``compute_content_cost``,
``compute_style_cost``, ``total_cost``, ``clip_0_1``, ``STYLE_LAYERS``, and train_step's globals
``vgg_model_outputs``, ``a_C``, ``a_S``, ``optimizer``), so ``Variant.source()`` can be pasted into the
notebook's solution cell. (Pasted there, a train_step variant loses its decorator and runs eagerly, which a
correct train_step survives.)
"""

import numpy as np  # noqa: F401  (used by the variants' bodies)
import tensorflow as tf

from tests.support.variants import alternative, mistake

# Names the train_step variants read from the notebook; the train_step adapter rebinds them.
STYLE_LAYERS = vgg_model_outputs = a_C = a_S = optimizer = None
compute_content_cost = compute_style_cost = total_cost = clip_0_1 = None
gram_matrix = compute_layer_style_cost = None


# ----------------------------------------------------------------------------------------------
# compute_content_cost
# ----------------------------------------------------------------------------------------------


@mistake("compute_content_cost")
def compute_content_cost__mean_instead_of_sum(content_output, generated_output):
    a_C, a_G = content_output[-1], generated_output[-1]
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_mean(tf.square(a_C - a_G)) / (4 * n_H * n_W * n_C)


@mistake("compute_content_cost")
def compute_content_cost__without_the_four(content_output, generated_output):
    a_C, a_G = content_output[-1], generated_output[-1]
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_sum(tf.square(a_C - a_G)) / (n_H * n_W * n_C)


@mistake("compute_content_cost")
def compute_content_cost__first_layer_instead_of_last(content_output, generated_output):
    a_C, a_G = content_output[0], generated_output[0]
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_sum(tf.square(a_C - a_G)) / (4 * n_H * n_W * n_C)


@mistake("compute_content_cost")
def compute_content_cost__norm_not_squared(content_output, generated_output):
    a_C, a_G = content_output[-1], generated_output[-1]
    _, n_H, n_W, n_C = a_G.shape
    return tf.norm(a_C - a_G) / (4 * n_H * n_W * n_C)


@mistake("compute_content_cost")
def compute_content_cost__normalised_by_the_channels_squared(content_output, generated_output):
    a_C, a_G = content_output[-1], generated_output[-1]
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_sum(tf.square(a_C - a_G)) / (4 * n_H * n_W * n_C**2)


@mistake("compute_content_cost")
def compute_content_cost__squares_per_channel_not_summed(content_output, generated_output):
    a_C, a_G = content_output[-1], generated_output[-1]
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_sum(tf.square(a_C - a_G), axis=[0, 1, 2]) / (4 * n_H * n_W * n_C)


@alternative("compute_content_cost")
def compute_content_cost__unrolled_with_squared_difference(content_output, generated_output):
    a_C = content_output[-1]
    a_G = generated_output[-1]
    m, n_H, n_W, n_C = a_G.get_shape().as_list()
    a_C_unrolled = tf.reshape(a_C, shape=[m, -1, n_C])
    a_G_unrolled = tf.reshape(a_G, shape=[m, -1, n_C])
    return tf.reduce_sum(tf.math.squared_difference(a_C_unrolled, a_G_unrolled)) / (4 * n_H * n_W * n_C)


@alternative("compute_content_cost")
def compute_content_cost__norm_squared(content_output, generated_output):
    difference = generated_output[-1] - content_output[-1]
    n_activations = tf.cast(tf.size(difference), tf.float32)
    return tf.norm(difference) ** 2 / (4.0 * n_activations)


@alternative("compute_content_cost")
def compute_content_cost__mean_times_four(content_output, generated_output):
    return tf.reduce_mean(tf.square(content_output[-1] - generated_output[-1])) / 4


# ----------------------------------------------------------------------------------------------
# gram_matrix
# ----------------------------------------------------------------------------------------------


@mistake("gram_matrix")
def gram_matrix__wrong_orientation(A):
    return tf.matmul(tf.transpose(A), A)


@mistake("gram_matrix")
def gram_matrix__elementwise_square(A):
    return A * A


@mistake("gram_matrix")
def gram_matrix__divided_by_the_positions(A):
    return tf.matmul(A, tf.transpose(A)) / tf.cast(tf.shape(A)[1], tf.float32)


@mistake("gram_matrix")
def gram_matrix__centred_covariance(A):
    centred = A - tf.reduce_mean(A, axis=1, keepdims=True)
    return tf.matmul(centred, tf.transpose(centred))


@mistake("gram_matrix")
def gram_matrix__sum_of_all_products(A):
    return tf.reduce_sum(tf.matmul(A, tf.transpose(A)))


@alternative("gram_matrix")
def gram_matrix__einsum(A):
    return tf.einsum("ij,kj->ik", A, A)


@alternative("gram_matrix")
def gram_matrix__matmul_transpose_b(A):
    return tf.linalg.matmul(A, A, transpose_b=True)


@alternative("gram_matrix")
def gram_matrix__tensordot(A):
    return tf.tensordot(A, A, axes=[[1], [1]])


# ----------------------------------------------------------------------------------------------
# compute_layer_style_cost
# ----------------------------------------------------------------------------------------------


@mistake("compute_layer_style_cost")
def compute_layer_style_cost__plain_reshape(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    a_S = tf.reshape(a_S, [n_C, n_H * n_W])
    a_G = tf.reshape(a_G, [n_C, n_H * n_W])
    GS, GG = gram_matrix(a_S), gram_matrix(a_G)
    return tf.reduce_sum(tf.square(GS - GG)) / (4 * n_C**2 * (n_H * n_W) ** 2)


@mistake("compute_layer_style_cost")
def compute_layer_style_cost__mean_instead_of_sum(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(tf.transpose(tf.reshape(a_S, [n_H * n_W, n_C])))
    GG = gram_matrix(tf.transpose(tf.reshape(a_G, [n_H * n_W, n_C])))
    return tf.reduce_mean(tf.square(GS - GG)) / (4 * n_C**2 * (n_H * n_W) ** 2)


@mistake("compute_layer_style_cost")
def compute_layer_style_cost__positions_not_squared(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(tf.transpose(tf.reshape(a_S, [n_H * n_W, n_C])))
    GG = gram_matrix(tf.transpose(tf.reshape(a_G, [n_H * n_W, n_C])))
    return tf.reduce_sum(tf.square(GS - GG)) / (4 * n_C**2 * n_H * n_W)


@mistake("compute_layer_style_cost")
def compute_layer_style_cost__without_the_four(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(tf.transpose(tf.reshape(a_S, [n_H * n_W, n_C])))
    GG = gram_matrix(tf.transpose(tf.reshape(a_G, [n_H * n_W, n_C])))
    return tf.reduce_sum(tf.square(GS - GG)) / (n_C**2 * (n_H * n_W) ** 2)


@mistake("compute_layer_style_cost")
def compute_layer_style_cost__gram_of_the_untransposed_matrix(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(tf.reshape(a_S, [n_H * n_W, n_C]))
    GG = gram_matrix(tf.reshape(a_G, [n_H * n_W, n_C]))
    return tf.reduce_sum(tf.square(GS - GG)) / (4 * n_C**2 * (n_H * n_W) ** 2)


@mistake("compute_layer_style_cost")
def compute_layer_style_cost__difference_of_activations(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_sum(tf.square(a_S - a_G)) / (4 * n_C**2 * (n_H * n_W) ** 2)


@alternative("compute_layer_style_cost")
def compute_layer_style_cost__einsum_without_unrolling(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = tf.einsum("bhwc,bhwd->cd", a_S, a_S)
    GG = tf.einsum("bhwc,bhwd->cd", a_G, a_G)
    return tf.reduce_sum(tf.math.squared_difference(GS, GG)) / (2 * n_C * n_H * n_W) ** 2


@alternative("compute_layer_style_cost")
def compute_layer_style_cost__transpose_then_reshape(a_S, a_G):
    m, n_H, n_W, n_C = a_G.get_shape().as_list()
    a_S = tf.reshape(tf.transpose(a_S, perm=[3, 0, 1, 2]), [n_C, n_H * n_W])
    a_G = tf.reshape(tf.transpose(a_G, perm=[3, 0, 1, 2]), [n_C, n_H * n_W])
    GS, GG = gram_matrix(a_S), gram_matrix(a_G)
    return tf.norm(GS - GG) ** 2 / (4.0 * n_C**2 * (n_H * n_W) ** 2)


@alternative("compute_layer_style_cost")
def compute_layer_style_cost__unrolled_without_gram_matrix(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    S = tf.reshape(a_S, [-1, n_C])  # (n_H*n_W, n_C)
    G = tf.reshape(a_G, [-1, n_C])
    GS = tf.matmul(S, S, transpose_a=True)
    GG = tf.matmul(G, G, transpose_a=True)
    return tf.reduce_sum((GS - GG) ** 2) / (4 * n_C**2 * (n_H * n_W) ** 2)


# ----------------------------------------------------------------------------------------------
# compute_style_cost
# ----------------------------------------------------------------------------------------------


@mistake("compute_style_cost")
def compute_style_cost__equal_weights(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    J_style = 0
    for a_S, a_G in zip(style_image_output[:-1], generated_image_output[:-1]):
        J_style += compute_layer_style_cost(a_S, a_G) / len(STYLE_LAYERS)
    return J_style


@mistake("compute_style_cost")
def compute_style_cost__layers_off_by_one(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    J_style = 0
    for (_, weight), a_S, a_G in zip(STYLE_LAYERS, style_image_output[1:], generated_image_output[1:]):
        J_style += weight * compute_layer_style_cost(a_S, a_G)
    return J_style


@mistake("compute_style_cost")
def compute_style_cost__content_layer_included(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    weights = [weight for _, weight in STYLE_LAYERS]
    J_style = 0
    for i in range(len(style_image_output)):
        J_style += weights[min(i, len(weights) - 1)] * compute_layer_style_cost(
            style_image_output[i], generated_image_output[i]
        )
    return J_style


@mistake("compute_style_cost")
def compute_style_cost__weights_ignored(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    J_style = 0
    for i in range(len(STYLE_LAYERS)):
        J_style += compute_layer_style_cost(style_image_output[i], generated_image_output[i])
    return J_style


@mistake("compute_style_cost")
def compute_style_cost__overwritten_not_accumulated(
    style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS
):
    J_style = 0
    for i, (_, weight) in enumerate(STYLE_LAYERS):
        J_style = weight * compute_layer_style_cost(style_image_output[i], generated_image_output[i])
    return J_style


@mistake("compute_style_cost")
def compute_style_cost__reversed_layers(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    J_style = 0
    for (_, weight), a_S, a_G in zip(STYLE_LAYERS, style_image_output[::-1], generated_image_output[::-1]):
        J_style += weight * compute_layer_style_cost(a_S, a_G)
    return J_style


@alternative("compute_style_cost")
def compute_style_cost__add_n(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    costs = [
        weight * compute_layer_style_cost(a_S, a_G)
        for (_, weight), a_S, a_G in zip(STYLE_LAYERS, style_image_output, generated_image_output)
    ]
    return tf.add_n([tf.cast(c, tf.float32) for c in costs])


@alternative("compute_style_cost")
def compute_style_cost__indexed_loop(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    a_S = style_image_output[:-1]
    a_G = generated_image_output[:-1]
    J_style = 0
    for i, weight in zip(range(len(a_S)), STYLE_LAYERS):
        J_style_layer = compute_layer_style_cost(a_S[i], a_G[i])
        J_style += weight[1] * J_style_layer
    return J_style


# ----------------------------------------------------------------------------------------------
# total_cost
# ----------------------------------------------------------------------------------------------


@mistake("total_cost")
def total_cost__alpha_and_beta_swapped(J_content, J_style, alpha=10, beta=40):
    return beta * J_content + alpha * J_style


@mistake("total_cost")
def total_cost__fixed_weights(J_content, J_style, alpha=10, beta=40):
    return 10 * J_content + 40 * J_style


@mistake("total_cost")
def total_cost__unweighted(J_content, J_style, alpha=10, beta=40):
    return J_content + J_style


@mistake("total_cost")
def total_cost__weighted_average(J_content, J_style, alpha=10, beta=40):
    return (alpha * J_content + beta * J_style) / (alpha + beta)


@mistake("total_cost")
def total_cost__wrong_defaults(J_content, J_style, alpha=40, beta=10):
    return alpha * J_content + beta * J_style


@mistake("total_cost")
def total_cost__style_subtracted(J_content, J_style, alpha=10, beta=40):
    return alpha * J_content - beta * J_style


@alternative("total_cost")
def total_cost__tensor_sum(J_content, J_style, alpha=10, beta=40):
    return tf.add(tf.multiply(float(alpha), J_content), tf.multiply(float(beta), J_style))


@alternative("total_cost")
def total_cost__written_the_other_way(J_content, J_style, alpha=10, beta=40):
    J = J_style * beta
    J += J_content * alpha
    return J


# ----------------------------------------------------------------------------------------------
# train_step
# ----------------------------------------------------------------------------------------------


@mistake("train_step")
def train_step__gradient_ascent(generated_image):
    with tf.GradientTape() as tape:
        a_G = vgg_model_outputs(generated_image)
        J_style = compute_style_cost(a_S, a_G)
        J_content = compute_content_cost(a_C, a_G)
        J = total_cost(J_content, J_style, alpha=10, beta=40)
    grad = tape.gradient(J, generated_image)
    optimizer.apply_gradients([(-grad, generated_image)])
    generated_image.assign(clip_0_1(generated_image))
    return J


@mistake("train_step")
def train_step__no_clipping(generated_image):
    with tf.GradientTape() as tape:
        a_G = vgg_model_outputs(generated_image)
        J_style = compute_style_cost(a_S, a_G)
        J_content = compute_content_cost(a_C, a_G)
        J = total_cost(J_content, J_style, alpha=10, beta=40)
    grad = tape.gradient(J, generated_image)
    optimizer.apply_gradients([(grad, generated_image)])
    return J


@mistake("train_step")
def train_step__clips_before_the_step(generated_image):
    with tf.GradientTape() as tape:
        a_G = vgg_model_outputs(generated_image)
        J_style = compute_style_cost(a_S, a_G)
        J_content = compute_content_cost(a_C, a_G)
        J = total_cost(J_content, J_style, alpha=10, beta=40)
    grad = tape.gradient(J, generated_image)
    generated_image.assign(clip_0_1(generated_image))
    optimizer.apply_gradients([(grad, generated_image)])
    return J


@mistake("train_step")
def train_step__content_and_style_activations_swapped(generated_image):
    with tf.GradientTape() as tape:
        a_G = vgg_model_outputs(generated_image)
        J_style = compute_style_cost(a_C, a_G)
        J_content = compute_content_cost(a_S, a_G)
        J = total_cost(J_content, J_style, alpha=10, beta=40)
    grad = tape.gradient(J, generated_image)
    optimizer.apply_gradients([(grad, generated_image)])
    generated_image.assign(clip_0_1(generated_image))
    return J


@mistake("train_step")
def train_step__gradient_never_applied(generated_image):
    with tf.GradientTape() as tape:  # noqa: F841  (the mistake: the tape is never used)
        a_G = vgg_model_outputs(generated_image)
        J_style = compute_style_cost(a_S, a_G)
        J_content = compute_content_cost(a_C, a_G)
        J = total_cost(J_content, J_style, alpha=10, beta=40)
    generated_image.assign(clip_0_1(generated_image))
    return J


@mistake("train_step")
def train_step__clipped_copy_not_assigned(generated_image):
    with tf.GradientTape() as tape:
        a_G = vgg_model_outputs(generated_image)
        J_style = compute_style_cost(a_S, a_G)
        J_content = compute_content_cost(a_C, a_G)
        J = total_cost(J_content, J_style, alpha=10, beta=40)
    grad = tape.gradient(J, generated_image)
    optimizer.apply_gradients([(grad, generated_image)])
    generated_image = clip_0_1(generated_image)
    return J


@mistake("train_step")
def train_step__activations_outside_the_tape(generated_image):
    a_G = vgg_model_outputs(generated_image)
    with tf.GradientTape() as tape:
        J_style = compute_style_cost(a_S, a_G)
        J_content = compute_content_cost(a_C, a_G)
        J = total_cost(J_content, J_style, alpha=10, beta=40)
    grad = tape.gradient(J, generated_image)
    optimizer.apply_gradients([(grad, generated_image)])
    generated_image.assign(clip_0_1(generated_image))
    return J


@alternative("train_step")
def train_step__clip_by_value_and_keyword_arguments(generated_image):
    with tf.GradientTape() as tape:
        outputs = vgg_model_outputs(generated_image)
        J = total_cost(
            J_content=compute_content_cost(a_C, outputs), J_style=compute_style_cost(a_S, outputs, STYLE_LAYERS)
        )
    gradient = tape.gradient(J, generated_image)
    optimizer.apply_gradients(zip([gradient], [generated_image]))
    generated_image.assign(tf.clip_by_value(generated_image, 0.0, 1.0))
    return J


@alternative("train_step")
def train_step__tape_watches_explicitly(generated_image):
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(generated_image)
        a_G = vgg_model_outputs(generated_image)
        J_content = compute_content_cost(a_C, a_G)
        J_style = compute_style_cost(a_S, a_G)
        J = total_cost(J_content, J_style)
    (grad,) = tape.gradient(J, [generated_image])
    optimizer.apply_gradients([(grad, generated_image)])
    generated_image.assign(clip_0_1(generated_image))
    return J
