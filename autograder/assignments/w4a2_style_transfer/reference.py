"""Reference costs and training step of w4a2_style_transfer, run in the grader's process only (never in a student's
kernel).

Activations are channels-last, (1, n_H, n_W, n_C). The lists of layer outputs hold the style layers'
activations first and the content layer's last, as the notebook's `vgg_model_outputs` returns them.
"""

import tensorflow as tf

# The globals train_step reads, as in the notebook; the train_step adapter gives a copy of the function its own.
STYLE_LAYERS = [
    ("block1_conv1", 0.2),
    ("block2_conv1", 0.2),
    ("block3_conv1", 0.2),
    ("block4_conv1", 0.2),
    ("block5_conv1", 0.2),
]
vgg_model_outputs = None
a_C = None
a_S = None
optimizer = None


def compute_content_cost(content_output, generated_output):
    """Return the content cost: the squared distance between the content layer's activations, normalised.

    content_output, generated_output -- lists of activations; the last of each, (1, n_H, n_W, n_C), is the content layer
    Returns: J_content -- 0-d tensor, sum((a_C - a_G)^2) / (4 n_H n_W n_C)
    """
    a_C, a_G = content_output[-1], generated_output[-1]
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_sum(tf.square(a_C - a_G)) / (4.0 * n_H * n_W * n_C)


def gram_matrix(A):
    """Return the Gram matrix A A^T of unrolled activations A (n_C, n_H*n_W): (n_C, n_C)."""
    return tf.matmul(A, A, transpose_b=True)


def unroll(a):
    """Return activations (1, n_H, n_W, n_C) as a matrix (n_C, n_H*n_W): one row per channel."""
    n_C = a.shape[-1]
    return tf.transpose(tf.reshape(a, [-1, n_C]))


def compute_layer_style_cost(a_S, a_G):
    """Return the style cost of one layer: the squared distance between the Gram matrices, normalised.

    a_S, a_G -- activations of the style and generated images, (1, n_H, n_W, n_C)
    Returns: J_style_layer -- 0-d tensor, sum((G_S - G_G)^2) / (4 n_C^2 (n_H n_W)^2)
    """
    _, n_H, n_W, n_C = a_G.shape
    G_S = gram_matrix(unroll(a_S))  # (n_C, n_C)
    G_G = gram_matrix(unroll(a_G))
    return tf.reduce_sum(tf.square(G_S - G_G)) / (4.0 * n_C**2 * (n_H * n_W) ** 2)


def compute_style_cost(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    """Return the style cost: the layer style costs weighted by STYLE_LAYERS' coefficients (the last output is not
    used).

    style_image_output, generated_image_output -- lists of activations, one per layer of STYLE_LAYERS, then the content
    layer
    STYLE_LAYERS -- list of (layer name, weight)
    Returns: J_style -- 0-d tensor
    """
    J_style = 0.0
    for (_, weight), a_S, a_G in zip(STYLE_LAYERS, style_image_output[:-1], generated_image_output[:-1]):
        J_style += weight * compute_layer_style_cost(a_S, a_G)
    return J_style


def total_cost(J_content, J_style, alpha=10, beta=40):
    """Return the total cost alpha J_content + beta J_style."""
    return alpha * J_content + beta * J_style


def clip_0_1(image):
    """Return the image with every value clipped to [0, 1]."""
    return tf.clip_by_value(image, clip_value_min=0.0, clip_value_max=1.0)


@tf.function()
def train_step(generated_image):
    """Take one optimiser step on the generated image (a tf.Variable (1, n_H, n_W, 3)) and return the total cost J
    before it."""
    with tf.GradientTape() as tape:
        a_G = vgg_model_outputs(generated_image)
        J_style = compute_style_cost(a_S, a_G, STYLE_LAYERS)
        J_content = compute_content_cost(a_C, a_G)
        J = total_cost(J_content, J_style, alpha=10, beta=40)
    grad = tape.gradient(J, generated_image)
    optimizer.apply_gradients([(grad, generated_image)])
    generated_image.assign(clip_0_1(generated_image))
    return J
