"""The statistics of neural style transfer in NumPy: content cost, style (Gram) matrix, style costs.

One image's activations at one layer are a volume a of shape (n_H, n_W, n_C), channels-last, without
the batch axis. The formulas follow Gatys et al. (2015) with the normalisations of the course:

    J_content = 1 / (4 n_H n_W n_C) * sum (a_C - a_G)^2
    G[k, k'] = sum over positions (i, j) of a[i, j, k] * a[i, j, k']          (an (n_C, n_C) matrix)
    J_style_layer = 1 / (4 n_C^2 (n_H n_W)^2) * sum (G_S - G_G)^2
    J_style = sum over layers l of lambda_l * J_style_layer(l)

The book uses these to explain the costs on small arrays; the assignment writes them in TensorFlow.

Used by: book/week4/07_style_cost.md
"""

import numpy as np

__all__ = ["unroll_positions", "style_matrix", "content_cost", "layer_style_cost", "weighted_style_cost"]


def _volume(a, name):
    """Return a as a float64 array after checking that it is one volume (n_H, n_W, n_C)."""
    a = np.asarray(a, np.float64)
    if a.ndim != 3:
        raise ValueError(f"{name} must be one activation volume (n_H, n_W, n_C), got shape {a.shape}")
    return a


def unroll_positions(a):
    """Return the volume a (n_H, n_W, n_C) as a matrix (n_H * n_W, n_C): one row per position, one column per
    channel."""
    a = _volume(a, "a")
    return a.reshape(-1, a.shape[-1])


def style_matrix(a):
    """Return the style (Gram) matrix (n_C, n_C) of a volume a (n_H, n_W, n_C): G[k, k'] = sum_ij a_ijk a_ijk'."""
    A = unroll_positions(a)  # (n_H * n_W, n_C)
    return A.T @ A  # (n_C, n_C)


def content_cost(a_C, a_G):
    """Return 1 / (4 n_H n_W n_C) * sum (a_C - a_G)^2 for two volumes (n_H, n_W, n_C) of the same layer."""
    a_C, a_G = _volume(a_C, "a_C"), _volume(a_G, "a_G")
    if a_C.shape != a_G.shape:
        raise ValueError(f"a_C and a_G must come from the same layer and image size, got {a_C.shape} and {a_G.shape}")
    return float(np.sum((a_C - a_G) ** 2) / (4 * a_C.size))


def layer_style_cost(a_S, a_G):
    """Return 1 / (4 n_C^2 (n_H n_W)^2) * sum (G_S - G_G)^2 for two volumes of one layer (any n_H, n_W, same n_C)."""
    a_S, a_G = _volume(a_S, "a_S"), _volume(a_G, "a_G")
    if a_S.shape != a_G.shape:
        raise ValueError(
            f"a_S and a_G must have the same shape (the normalisation uses n_H n_W), got {a_S.shape} and {a_G.shape}"
        )
    n_H, n_W, n_C = a_G.shape
    return float(np.sum((style_matrix(a_S) - style_matrix(a_G)) ** 2) / (4 * n_C**2 * (n_H * n_W) ** 2))


def weighted_style_cost(layer_costs, weights):
    """Return sum_l lambda_l * J_style_layer(l) for per-layer costs and their weights (two sequences, same length)."""
    layer_costs, weights = np.asarray(layer_costs, float), np.asarray(weights, float)
    if layer_costs.shape != weights.shape:
        raise ValueError(f"{len(layer_costs)} layer costs but {len(weights)} weights")
    return float(layer_costs @ weights)
