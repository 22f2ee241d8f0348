"""Shapes, parameter counts and multiply-add costs of the layers, blocks and classic networks of Week 2.

A *multiply-add* is one product added to a running sum: a convolution that outputs n_H x n_W x n_C
values, each a weighted sum over an f x f x n_C_prev window, costs n_H * n_W * n_C * f * f * n_C_prev
of them. Biases, activations, batch normalisation and pooling are not counted: they cost one
operation per output value, far fewer than the weighted sums. Parameter counts include every value a
layer stores, as Keras's count_params() does (a batch-normalisation layer stores 4 per channel:
scale, offset, moving mean and moving variance).

Shapes are channels-last (n_H, n_W, n_C), without the batch axis. Padding is "valid" (none), "same"
(Keras's rule: the output side is ceil(n / stride)) or a whole number of pixels on each side.

Used by: book/week2/01_classic_networks.md, book/week2/02_residual_networks.md,
book/week2/03_one_by_one_convolutions.md, book/week2/04_inception.md, book/week2/05_mobilenet.md,
book/week2/06_efficientnet.md, and 1 module of cnnbook
"""

import math
from typing import NamedTuple

from cnnbook.calculators.convolution import (
    conv_layer_params,
    conv_multiply_adds,
    dense_layer_params,
    output_size,
    require_whole,
)

__all__ = [
    "LayerCost",
    "Conv",
    "Pool",
    "Flatten",
    "Dense",
    "padded_output_size",
    "conv_cost",
    "depthwise_conv_cost",
    "separable_conv_cost",
    "separable_cost_ratio",
    "bottleneck_cost",
    "dense_cost",
    "pool_cost",
    "trace_network",
    "total_cost",
    "inception_module_cost",
    "make_divisible",
    "inverted_residual_cost",
    "trace_mobilenet_v2",
    "compound_scaling",
    "scaled_cost_factor",
    "LENET5",
    "ALEXNET",
    "VGG16",
    "MOBILENET_V2_STAGES",
]


class LayerCost(NamedTuple):
    """What a layer or block outputs and what it costs: output_shape, parameters, multiply-adds."""

    output_shape: tuple
    params: int
    multiply_adds: int


# Layer specifications for trace_network: a network is a list of these, applied in order.
class Conv(NamedTuple):
    """A convolution with n_C filters of side f, then an activation (not counted)."""

    n_C: int
    f: int
    stride: int = 1
    padding: object = "valid"
    name: str = "conv"


class Pool(NamedTuple):
    """A max or average pooling window of side f; no parameters, no multiply-adds."""

    f: int
    stride: int
    name: str = "pool"
    padding: object = "valid"


class Flatten(NamedTuple):
    """Unroll a volume into a vector."""

    name: str = "flatten"


class Dense(NamedTuple):
    """A fully connected layer with `units` outputs."""

    units: int
    name: str = "fc"


def padded_output_size(n, f, stride=1, padding="valid"):
    """Return the output side of a window of side f on n pixels: padding "valid", "same" (ceil(n / stride)) or a
    number."""
    if padding == "same":
        require_whole("f", f)
        return -(-require_whole("n", n) // require_whole("stride", stride))
    if padding == "valid":
        return output_size(n, f, stride, 0)
    if isinstance(padding, str):
        raise ValueError(f'padding must be "valid", "same" or a whole number of pixels, got {padding!r}')
    return output_size(n, f, stride, padding)


def _volume(shape, what="input_shape"):
    # A channels-last volume (n_H, n_W, n_C) of whole, positive sizes.
    if len(shape) != 3:
        raise ValueError(f"{what} must be (n_H, n_W, n_C), got {tuple(shape)}")
    return tuple(require_whole(what, v) for v in shape)


def conv_cost(input_shape, f, n_C, stride=1, padding="valid", bias=True):
    """Return the LayerCost of n_C filters f x f x n_C_prev on input_shape (n_H_prev, n_W_prev, n_C_prev)."""
    n_H_prev, n_W_prev, n_C_prev = _volume(input_shape)
    shape = (
        padded_output_size(n_H_prev, f, stride, padding),
        padded_output_size(n_W_prev, f, stride, padding),
        require_whole("n_C", n_C),
    )
    return LayerCost(shape, conv_layer_params(f, n_C_prev, n_C, bias=bias), conv_multiply_adds(shape, f, n_C_prev))


def depthwise_conv_cost(input_shape, f, stride=1, padding="same", bias=True):
    """Return the LayerCost of a depthwise convolution: one f x f filter per input channel, channels kept apart."""
    n_H_prev, n_W_prev, n_C_prev = _volume(input_shape)
    shape = (
        padded_output_size(n_H_prev, f, stride, padding),
        padded_output_size(n_W_prev, f, stride, padding),
        n_C_prev,
    )
    params = (f * f + int(bool(bias))) * n_C_prev
    return LayerCost(shape, params, shape[0] * shape[1] * n_C_prev * f * f)  # each output reads f*f values


def separable_conv_cost(input_shape, f, n_C, stride=1, padding="same", bias=True):
    """Return the LayerCost of a depthwise f x f convolution followed by a pointwise (1 x 1) one with n_C filters."""
    depthwise = depthwise_conv_cost(input_shape, f, stride, padding, bias)
    pointwise = conv_cost(depthwise.output_shape, 1, n_C, bias=bias)
    return LayerCost(
        pointwise.output_shape, depthwise.params + pointwise.params, depthwise.multiply_adds + pointwise.multiply_adds
    )


def separable_cost_ratio(f, n_C):
    """Return 1/n_C + 1/f**2: the multiply-adds of a separable convolution divided by those of a normal one."""
    return 1 / require_whole("n_C", n_C) + 1 / require_whole("f", f) ** 2


def bottleneck_cost(input_shape, n_C_mid, f, n_C, bias=True):
    """Return the LayerCost of a 1 x 1 convolution down to n_C_mid channels followed by an f x f "same" one to n_C."""
    reduce = conv_cost(input_shape, 1, n_C_mid, bias=bias)
    spread = conv_cost(reduce.output_shape, f, n_C, padding="same", bias=bias)
    return LayerCost(spread.output_shape, reduce.params + spread.params, reduce.multiply_adds + spread.multiply_adds)


def dense_cost(n_in, n_out, bias=True):
    """Return the LayerCost of a fully connected layer: n_in * n_out multiply-adds."""
    return LayerCost(
        (require_whole("n_out", n_out),),
        dense_layer_params(n_in, n_out, bias=bias),
        require_whole("n_in", n_in) * n_out,
    )


def pool_cost(input_shape, f, stride, padding="valid"):
    """Return the LayerCost of pooling input_shape with an f x f window: no parameters, no multiply-adds."""
    n_H_prev, n_W_prev, n_C = _volume(input_shape)
    shape = (padded_output_size(n_H_prev, f, stride, padding), padded_output_size(n_W_prev, f, stride, padding), n_C)
    return LayerCost(shape, 0, 0)


def trace_network(input_shape, layers):
    """Return one (name, LayerCost) per layer of a list of Conv, Pool, Flatten and Dense specs, applied to
    input_shape."""
    shape = tuple(input_shape)
    rows = []
    for layer in layers:
        if isinstance(layer, Conv):
            cost = conv_cost(shape, layer.f, layer.n_C, layer.stride, layer.padding)
        elif isinstance(layer, Pool):
            cost = pool_cost(shape, layer.f, layer.stride, layer.padding)
        elif isinstance(layer, Flatten):
            cost = LayerCost((math.prod(shape),), 0, 0)
        elif isinstance(layer, Dense):
            if len(shape) != 1:
                raise ValueError(
                    f"{layer.name}: a Dense layer needs a vector input; add Flatten() before it (got shape {shape})"
                )
            cost = dense_cost(shape[0], layer.units)
        else:
            raise TypeError(f"unknown layer spec {layer!r}: use Conv, Pool, Flatten or Dense")
        rows.append((layer.name, cost))
        shape = cost.output_shape
    return rows


def total_cost(rows):
    """Return (parameters, multiply-adds) summed over the (name, LayerCost) rows of trace_network."""
    return sum(cost.params for _, cost in rows), sum(cost.multiply_adds for _, cost in rows)


def inception_module_cost(input_shape, n_1x1, n_3x3, n_5x5, n_3x3_reduce=None, n_5x5_reduce=None, n_pool_proj=None):
    """Return {branch: LayerCost} and a "total" for an Inception module on input_shape (n_H, n_W, n_C_prev).

    Four branches run side by side, each keeping n_H x n_W ("same" padding): a 1 x 1 convolution; a 3 x 3
    one; a 5 x 5 one; a 3 x 3 max pooling (stride 1). Given n_3x3_reduce, n_5x5_reduce, the 3 x 3 and 5 x 5
    convolutions read a 1 x 1 reduction to that many channels (the bottleneck); given n_pool_proj, a
    1 x 1 convolution follows the pooling. Without them (None) it is the naive module, whose pooling
    branch passes all n_C_prev channels on. The total's output has the branches' channels concatenated.
    """
    n_H, n_W, n_C_prev = _volume(input_shape)
    branches = {"1x1": conv_cost(input_shape, 1, n_1x1, padding="same")}
    for name, f, n_C, n_reduce in (("3x3", 3, n_3x3, n_3x3_reduce), ("5x5", 5, n_5x5, n_5x5_reduce)):
        if n_reduce is None:
            branches[name] = conv_cost(input_shape, f, n_C, padding="same")
        else:
            branches[name] = bottleneck_cost(input_shape, n_reduce, f, n_C)
    if n_pool_proj is None:
        branches["pool"] = pool_cost(input_shape, 3, 1, padding="same")
    else:
        branches["pool"] = conv_cost((n_H, n_W, n_C_prev), 1, n_pool_proj)
    n_C = sum(cost.output_shape[-1] for cost in branches.values())
    branches["total"] = LayerCost(
        (n_H, n_W, n_C), sum(c.params for c in branches.values()), sum(c.multiply_adds for c in branches.values())
    )
    return branches


def make_divisible(value, divisor=8):
    """Round a channel count to the nearest multiple of divisor, never more than 10% below it (MobileNet's rule)."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def inverted_residual_cost(input_shape, n_C, expansion, stride=1, f=3, batch_norm=True):
    """Return the LayerCost of a MobileNetV2 block: 1 x 1 expansion, f x f depthwise, 1 x 1 linear projection.

    input_shape (n_H_prev, n_W_prev, n_C_prev) is expanded to expansion * n_C_prev channels (no expansion
    layer when expansion is 1), filtered depthwise with the given stride ("same" padding) and projected
    to n_C channels. Convolutions have no bias; each is followed by batch normalisation, 4 parameters
    per channel when batch_norm is True. The skip connection adds nothing to either count.
    """
    shape = _volume(input_shape)
    n_C_prev = shape[-1]
    bn = 4 if batch_norm else 0
    params, multiply_adds = 0, 0
    if expansion != 1:
        expand = conv_cost(shape, 1, require_whole("expansion * n_C_prev", expansion * n_C_prev), bias=False)
        shape, params, multiply_adds = (
            expand.output_shape,
            expand.params + bn * expansion * n_C_prev,
            expand.multiply_adds,
        )
    depthwise = depthwise_conv_cost(shape, f, stride, "same", bias=False)
    project = conv_cost(depthwise.output_shape, 1, n_C, bias=False)
    params += depthwise.params + bn * shape[-1] + project.params + bn * n_C
    multiply_adds += depthwise.multiply_adds + project.multiply_adds
    return LayerCost(project.output_shape, params, multiply_adds)


# MobileNetV2's body (Sandler et al., 2018, table 2): expansion t, output channels c, blocks n, first stride s.
MOBILENET_V2_STAGES = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)


def trace_mobilenet_v2(input_shape=(224, 224, 3), alpha=1.0, include_top=True, classes=1000):
    """Return (name, LayerCost) rows of MobileNetV2 as Keras builds it: stem, 17 inverted residual blocks, head.

    alpha scales every channel count (rounded with make_divisible), except the last convolution's 1280
    when alpha <= 1. Every convolution is bias-free and followed by batch normalisation (counted in
    params); the top is global average pooling and a Dense softmax layer over `classes`.
    """
    stem = conv_cost(_volume(input_shape), 3, make_divisible(32 * alpha), stride=2, padding="same", bias=False)
    stem = LayerCost(stem.output_shape, stem.params + 4 * stem.output_shape[-1], stem.multiply_adds)
    rows, shape = [("stem conv 3x3/2", stem)], stem.output_shape
    block = 0
    for t, c, n, s in MOBILENET_V2_STAGES:
        for k in range(n):
            cost = inverted_residual_cost(shape, make_divisible(int(c * alpha)), t, stride=s if k == 0 else 1)
            rows.append((f"block {block} (t={t}, s={s if k == 0 else 1})", cost))
            shape, block = cost.output_shape, block + 1
    n_last = make_divisible(1280 * alpha) if alpha > 1.0 else 1280
    last = conv_cost(shape, 1, n_last, bias=False)
    rows.append(("last conv 1x1", LayerCost(last.output_shape, last.params + 4 * n_last, last.multiply_adds)))
    if include_top:
        rows.append(("global average pool", LayerCost((n_last,), 0, 0)))
        rows.append(("dense softmax", dense_cost(n_last, classes)))
    return rows


def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    """Return EfficientNet's (depth, width, resolution) multipliers alpha**phi, beta**phi, gamma**phi."""
    return alpha**phi, beta**phi, gamma**phi


def scaled_cost_factor(depth=1.0, width=1.0, resolution=1.0):
    """Return depth * width**2 * resolution**2: how a conv network's multiply-adds grow when scaled so."""
    for name, value in (("depth", depth), ("width", width), ("resolution", resolution)):
        if value <= 0:
            raise ValueError(f"{name} multiplier must be positive, got {value!r}")
    return depth * width**2 * resolution**2


# LeNet-5 (LeCun et al., 1998) on 32 x 32 grey images: the count assumes every C3 filter sees all 6 maps
# (the paper connected each to only some of them) and a plain 10-unit output layer instead of RBF units.
LENET5 = [
    Conv(6, 5, name="C1 conv 5x5"),
    Pool(2, 2, name="S2 avg pool"),
    Conv(16, 5, name="C3 conv 5x5"),
    Pool(2, 2, name="S4 avg pool"),
    Flatten(),
    Dense(120, name="C5/F5 fc"),
    Dense(84, name="F6 fc"),
    Dense(10, name="output"),
]

# AlexNet (Krizhevsky et al., 2012) on 227 x 227 x 3 images, as one tower (the paper split it across two GPUs).
ALEXNET = [
    Conv(96, 11, stride=4, name="conv1 11x11/4"),
    Pool(3, 2, name="max pool 3x3/2"),
    Conv(256, 5, padding="same", name="conv2 5x5"),
    Pool(3, 2, name="max pool 3x3/2"),
    Conv(384, 3, padding="same", name="conv3 3x3"),
    Conv(384, 3, padding="same", name="conv4 3x3"),
    Conv(256, 3, padding="same", name="conv5 3x3"),
    Pool(3, 2, name="max pool 3x3/2"),
    Flatten(),
    Dense(4096, name="fc6"),
    Dense(4096, name="fc7"),
    Dense(1000, name="fc8 softmax"),
]


def _vgg_stage(k, n_C, n_convs):
    # One VGG stage: n_convs 3x3 "same" convolutions with n_C filters, then a 2x2 max pool.
    convs = [Conv(n_C, 3, padding="same", name=f"block{k}_conv{i + 1}") for i in range(n_convs)]
    return convs + [Pool(2, 2, name=f"block{k}_pool")]


# VGG-16 (Simonyan and Zisserman, 2015), configuration D, on 224 x 224 x 3 images; names follow Keras.
VGG16 = (
    _vgg_stage(1, 64, 2)
    + _vgg_stage(2, 128, 2)
    + _vgg_stage(3, 256, 3)
    + _vgg_stage(4, 512, 3)
    + _vgg_stage(5, 512, 3)
    + [Flatten(), Dense(4096, name="fc1"), Dense(4096, name="fc2"), Dense(1000, name="predictions")]
)
