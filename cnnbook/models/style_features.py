"""The feature extractor of the style-transfer assignment: VGG19's layers and layer names, in a size the course can
ship.

Neural style transfer reads the activations of a few layers of VGG19 (block1_conv1 ... block5_conv4).
The real VGG19 without its classifier holds 20 million parameters (about 80 MB), too much to ship with
a course, so the course's network has the same 16 convolutions (3x3, 'same', ReLU) and 5 max-pools with
the same names in the same order, and a quarter of the filters: 16, 32, 64, 128, 128 per block instead
of 64, 128, 256, 512, 512 (1.25 million parameters). training/train_style_features.py made its weights
and wrote what they are into WEIGHTS_DIR/style_features.json: either trained weights (a weight file) or
the seed of random He-normal weights, whichever gave the better-looking style transfers in a side-by-side
comparison (the file records the choice and its evidence).

When Keras's ImageNet weights for VGG19 are on the machine (in $KERAS_HOME/models, by default
~/.keras/models), load_style_feature_extractor("auto") uses the real VGG19 instead. Nothing is downloaded.
Both networks take RGB images with values in 0..1, as the assignment feeds them.

Used by: book/data_and_models.md, book/week4/06_what_layers_learn.md, book/week4/07_style_cost.md,
book/week4/08_generating_an_image.md, solutions/w4a2_style_transfer/w4a2_style_transfer.ipynb
"""

import json

import keras
import numpy as np

from .weight_files import keras_cache_file, weight_path

__all__ = [
    "load_style_feature_extractor",
    "build_style_network",
    "random_style_weights",
    "style_feature_config",
    "VGG19_LAYER_NAMES",
    "VGG19_FILTERS",
    "COURSE_FILTERS",
    "IMAGENET_NOTOP_FILE",
    "CONFIG_FILE",
    "WEIGHTS_FILE",
]

VGG19_FILTERS = (64, 128, 256, 512, 512)
COURSE_FILTERS = (16, 32, 64, 128, 128)
CONVS_PER_BLOCK = (2, 2, 4, 4, 4)
VGG19_LAYER_NAMES = tuple(
    name
    for b, n_convs in enumerate(CONVS_PER_BLOCK, start=1)
    for name in [f"block{b}_conv{j}" for j in range(1, n_convs + 1)] + [f"block{b}_pool"]
)
IMAGENET_NOTOP_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
CONFIG_FILE = "style_features.json"
WEIGHTS_FILE = "style_features.weights.h5"
SOURCES = ("auto", "course", "imagenet")


def build_style_network(filters=COURSE_FILTERS, input_shape=(None, None, 3), name="vgg19_course") -> keras.Model:
    """Build a VGG19 feature network without its classifier, with VGG19's layer names and chosen widths.

    Arguments:
    filters -- filters of the convolutions of blocks 1..5, COURSE_FILTERS or VGG19_FILTERS
    input_shape -- (n_H, n_W, 3), None for any size
    name -- the model's name
    Returns:
    model -- Keras model from images (m, n_H, n_W, 3) to block5_pool's output
             (m, n_H // 32, n_W // 32, filters[-1]); every layer keeps VGG19's name
    """
    images = keras.Input(input_shape, name="input_layer")
    X = images
    for b, (n_C, n_convs) in enumerate(zip(filters, CONVS_PER_BLOCK), start=1):
        for j in range(1, n_convs + 1):
            X = keras.layers.Conv2D(n_C, 3, padding="same", activation="relu", name=f"block{b}_conv{j}")(X)
        X = keras.layers.MaxPooling2D(2, strides=2, name=f"block{b}_pool")(X)  # halves n_H and n_W
    return keras.Model(images, X, name=name)


def random_style_weights(model, seed):
    """Set every convolution of `model` to He-normal random kernels and zero biases drawn from NumPy's seeded stream.

    NumPy's generator gives the same numbers on every machine and version, so a seed is enough to ship
    the network.
    """
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            kernel, bias = layer.get_weights()  # (f, f, n_C_prev, n_C), (n_C,)
            fan_in = np.prod(kernel.shape[:3])
            kernel = rng.normal(0.0, np.sqrt(2.0 / fan_in), kernel.shape).astype(np.float32)
            layer.set_weights([kernel, np.zeros_like(bias)])
    return model


def style_feature_config() -> dict:
    """Return what the course ships for its network: {"source": "trained" or "random", "seed", "filters", ...}."""
    return json.loads(weight_path(CONFIG_FILE).read_text())


def _course_network(input_shape):
    """Return the course's narrow VGG19 with its shipped weights (trained, or random from the recorded seed)."""
    config = style_feature_config()
    model = build_style_network(tuple(config["filters"]), input_shape)
    if config["source"] == "trained":
        model.load_weights(weight_path(config["weights_file"]))
    else:
        random_style_weights(model, config["seed"])
    return model


def _imagenet_network(input_shape):
    """Return Keras's VGG19 without its classifier, with the ImageNet weights from Keras's cache."""
    path = keras_cache_file(IMAGENET_NOTOP_FILE)
    if path is None:
        raise FileNotFoundError(
            f"Keras's ImageNet weights for VGG19 ({IMAGENET_NOTOP_FILE}) are not in $KERAS_HOME/models "
            f"(by default ~/.keras/models); this course never downloads them. Use source='course' (or 'auto')."
        )
    model = keras.applications.VGG19(include_top=False, weights=None, input_shape=input_shape)
    model.load_weights(str(path))
    return model


def load_style_feature_extractor(source="auto", input_shape=(None, None, 3)) -> keras.Model:
    """Return a frozen VGG19-style feature network for neural style transfer.

    Arguments:
    source -- "auto": Keras's ImageNet VGG19 when its weights are in Keras's cache, else the course's network;
              "course": the course's narrow network; "imagenet": the real VGG19 (an error when its weights are absent)
    input_shape -- (n_H, n_W, 3) of the images, None for any size; RGB values in 0..1
    Returns:
    model -- Keras model from images (m, n_H, n_W, 3) to block5_pool's output, with VGG19's layer names
             (block1_conv1 ... block5_conv4, block1_pool ... block5_pool); trainable = False
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    if source == "imagenet" or (source == "auto" and keras_cache_file(IMAGENET_NOTOP_FILE) is not None):
        model = _imagenet_network(input_shape)
    else:
        model = _course_network(input_shape)
    model.trainable = False
    return model
