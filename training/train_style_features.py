"""Make the style-transfer feature network: train a narrow VGG19, compare it with a random one, ship the better.

    python -m training.train_style_features [--steps N] [--choice trained|random]

1. Train. The narrow VGG19 (cnnbook.models.style_features) learns to tell apart 64x64 crops of 8 kinds
   of course images: the 4 kinds of procedural paintings (brush strokes, mosaic, swirls, pointillism,
   painted again with seeds of their own), colour photographs and grey photographs bundled with
   scikit-image, scikit-image's grey textures (brick, grass, gravel), and the course's faces and street
   scenes. A batch-normalised copy of the network trains (plain VGG19 without normalisation learns
   slowly from scratch); each normalisation is then folded into its convolution, which gives the same
   function with VGG19's plain conv + ReLU layers.
2. Compare. A short neural style transfer (the assignment's costs: content from block5_conv4, style from
   block1_conv1 ... block5_conv1 with weight 0.2 each, alpha = 10, beta = 40, Adam 0.01, 128x128) runs
   with the trained network and with a seeded random He-normal network on the same content and style
   images; the results go side by side into training/reports/style_features_comparison.png, with two
   numbers that need no network: the structural similarity of each result to its content photo and the
   distance between its colour histogram and the painting's.
3. Ship. CHOICE below records which network looked better when we looked at that figure (--choice
   overrides it); the script writes style_features.json (the choice, widths, seed or weight file, the
   evidence) and, for the trained network, style_features.weights.h5, and records their SHA-256.
"""

import argparse
import json
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from cnnbook.data import load_content_image, load_detection_scenes, load_face_identities, load_style_image
from cnnbook.data.style_images import _PAINTERS, STYLE_IMAGE_SIZE  # the course's own painters, for new paintings
from cnnbook.models.style_features import (
    CONFIG_FILE,
    CONVS_PER_BLOCK,
    COURSE_FILTERS,
    WEIGHTS_FILE,
    build_style_network,
    random_style_weights,
)
from cnnbook.models.weight_files import WEIGHTS_DIR, record_checksum

SEED = 19
RANDOM_SEED = 1919  # the seed of the random network, if it is the one shipped
CHOICE = "trained"  # set after looking at the comparison figure; VERDICT says what we saw
VERDICT = (
    "Looked at training/reports/style_features_comparison.png (300 steps, 128x128): with the trained "
    "network the results take on the painting's palette and marks (the coffee cup turns to the swirls' "
    "blues, the cat and the astronaut gain the strokes' and tiles' colours) while keeping the content's "
    "edges; with the random network they stay close to the grainy noisy start, the content photo's own "
    "colours and little of the style. Both keep the content about equally (SSIM). Shipped: trained."
)
CROP = 64
BATCH = 48
STEPS = 1200
MAX_MINUTES = 11  # a guard for a busy machine: training stops at the first hundred steps past it
LEARNING_RATE = 2e-3
PAINTINGS_PER_STYLE = 16
COLOUR_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket", "hubble_deep_field", "immunohistochemistry", "retina")
GREY_PHOTOS = ("camera", "coins", "moon", "clock", "cell", "page", "text", "horse")
GREY_TEXTURES = ("brick", "grass", "gravel")
CLASSES = (
    "brush_strokes",
    "mosaic",
    "swirls",
    "pointillism",
    "colour_photo",
    "grey_photo",
    "grey_texture",
    "course_render",
)
PAIRS = (("chelsea", "brush_strokes"), ("astronaut", "mosaic"), ("coffee", "swirls"))
CONTENT_LAYER = "block5_conv4"
STYLE_LAYERS = [
    ("block1_conv1", 0.2),
    ("block2_conv1", 0.2),
    ("block3_conv1", 0.2),
    ("block4_conv1", 0.2),
    ("block5_conv1", 0.2),
]
REPORT_DIR = Path(__file__).resolve().parent / "reports"
FIGURE = REPORT_DIR / "style_features_comparison.png"


# ---- 1. the classification task -------------------------------------------------------------------------------


def _skimage_image(name):
    """Return a scikit-image sample image as RGB uint8 (n_H, n_W, 3)."""
    import skimage.data  # bundled photographs: no download

    image = getattr(skimage.data, name)()
    image = image if image.ndim == 3 else np.repeat(image[..., None], 3, axis=2)
    if image.dtype == bool:
        image = image.astype(np.uint8) * 255
    return np.ascontiguousarray(image[..., :3])


def collect_sources(seed=SEED):
    """Return, for each class, a list of source images (n_H, n_W, 3) uint8 to crop from."""
    sources = {
        name: [painter(np.random.default_rng([seed, k, i]), STYLE_IMAGE_SIZE) for i in range(PAINTINGS_PER_STYLE)]
        for k, (name, painter) in enumerate(_PAINTERS.items())
    }
    sources["colour_photo"] = [_skimage_image(name) for name in COLOUR_PHOTOS]
    sources["grey_photo"] = [_skimage_image(name) for name in GREY_PHOTOS]
    sources["grey_texture"] = [_skimage_image(name) for name in GREY_TEXTURES]
    faces, _ = load_face_identities("train")
    scenes = load_detection_scenes("train")[0]
    sources["course_render"] = list(faces[::20]) + list(scenes[:100])
    return [sources[name] for name in CLASSES]


def sample_batch(sources, rng, m=BATCH, size=CROP):
    """Return crops x (m, size, size, 3) float32 in 0..1 at random positions and scales, and labels y (m,)."""
    y = rng.integers(len(sources), size=m)
    x = np.empty((m, size, size, 3), np.float32)
    for i, label in enumerate(y):
        image = sources[label][rng.integers(len(sources[label]))]
        n_H, n_W = image.shape[:2]
        side = int(rng.integers(min(48, n_H, n_W), min(n_H, n_W, 192) + 1))
        top, left = rng.integers(n_H - side + 1), rng.integers(n_W - side + 1)
        crop = Image.fromarray(image[top : top + side, left : left + side]).resize((size, size), Image.BILINEAR)
        crop = np.asarray(crop, np.float32) / 255
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        # a little light and contrast change, so that brightness alone does not tell the classes apart
        x[i] = np.clip((crop - 0.5) * rng.uniform(0.8, 1.2) + 0.5 + rng.uniform(-0.08, 0.08), 0, 1)
    return x, y


def build_training_network(n_classes, seed=SEED):
    """Return the batch-normalised twin of the narrow VGG19 with a classifier head (logits)."""
    keras.utils.set_random_seed(seed)
    images = keras.Input((None, None, 3))
    X = images
    for b, (n_C, n_convs) in enumerate(zip(COURSE_FILTERS, CONVS_PER_BLOCK), start=1):
        for j in range(1, n_convs + 1):
            X = keras.layers.Conv2D(n_C, 3, padding="same", use_bias=False, name=f"block{b}_conv{j}")(X)
            X = keras.layers.BatchNormalization(name=f"block{b}_conv{j}_bn")(X)
            X = keras.layers.ReLU()(X)
        X = keras.layers.MaxPooling2D(2, strides=2, name=f"block{b}_pool")(X)
    X = keras.layers.GlobalAveragePooling2D()(X)
    logits = keras.layers.Dense(n_classes, name="logits")(X)
    return keras.Model(images, logits)


def fold_batch_norm(trained):
    """Return the plain narrow VGG19 computing what `trained` computes up to block5_pool (inference mode)."""
    model = build_style_network(COURSE_FILTERS)
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            (kernel,) = trained.get_layer(layer.name).get_weights()  # (3, 3, n_C_prev, n_C)
            gamma, beta, mean, variance = trained.get_layer(f"{layer.name}_bn").get_weights()  # (n_C,) each
            scale = gamma / np.sqrt(variance + trained.get_layer(f"{layer.name}_bn").epsilon)
            layer.set_weights([kernel * scale, beta - mean * scale])
    return model


def train_classifier(steps=STEPS, seed=SEED, max_minutes=MAX_MINUTES, log=print):
    """Train on the 8-class task; return the folded plain network, held-out accuracy, seconds and steps run."""
    rng = np.random.default_rng(seed)
    sources = collect_sources(seed)
    model = build_training_network(len(CLASSES), seed)
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, steps, alpha=0.05)
    optimizer = keras.optimizers.Adam(schedule)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = loss_fn(y, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss, tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, -1), tf.cast(y, tf.int64)), tf.float32))

    start, history = time.time(), []
    for k in range(1, steps + 1):
        x, y = sample_batch(sources, rng)
        history.append([float(v) for v in step(tf.constant(x), tf.constant(y))])
        if k % 100 == 0 or k == steps:
            loss, accuracy = np.mean(history[-100:], axis=0)
            log(f"step {k:4d}  loss {loss:.3f}  batch accuracy {accuracy:.3f}  ({time.time() - start:.0f} s)")
            if time.time() - start > 60 * max_minutes and k < steps:
                log(f"stopped after step {k} of {steps}: the {max_minutes}-minute budget is spent")
                break
    seconds = time.time() - start
    # fresh crops (new positions and scales of the same sources) measure what the network learnt
    x, y = sample_batch(sources, np.random.default_rng([seed, 1]), m=480)
    accuracy = float(np.mean(np.argmax(model.predict(x, batch_size=96, verbose=0), -1) == y))
    plain = fold_batch_norm(model)
    trained_features = keras.Model(model.input, model.get_layer("block5_pool").output)
    gap = float(np.max(np.abs(plain.predict(x[:16], verbose=0) - trained_features.predict(x[:16], verbose=0))))
    log(f"crop accuracy {accuracy:.3f} on 480 fresh crops; folding changed block5_pool by at most {gap:.2e}")
    return plain, accuracy, seconds, k


# ---- 2. the comparison -----------------------------------------------------------------------------------------


def gram(A):
    """Return the Gram matrices (m, n_C, n_C) of activations A (m, n_H, n_W, n_C)."""
    return tf.einsum("mhwc,mhwd->mcd", A, A)


def style_transfer(network, content, style, steps=300, size=128, alpha=10.0, beta=40.0, seed=0):
    """Run a neural style transfer with the assignment's costs; return the image (size, size, 3) in 0..1."""
    names = [CONTENT_LAYER] + [name for name, _ in STYLE_LAYERS]
    features = keras.Model(network.input, [network.get_layer(name).output for name in names])

    def prepare(image):
        return tf.constant(
            np.asarray(Image.fromarray(image).resize((size, size), Image.LANCZOS), np.float32)[None] / 255
        )  # (1, size, size, 3)

    a_C = features(prepare(content))[0]
    a_S = features(prepare(style))[1:]
    G_S = [gram(a) for a in a_S]
    noise = np.random.default_rng(seed).uniform(-0.25, 0.25, (1, size, size, 3)).astype(np.float32)
    generated = tf.Variable(tf.clip_by_value(prepare(content) + noise, 0, 1))
    optimizer = keras.optimizers.Adam(0.01)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            outputs = features(generated)
            _, n_H, n_W, n_C = outputs[0].shape
            J_content = tf.reduce_sum(tf.square(a_C - outputs[0])) / (4 * n_H * n_W * n_C)
            J_style = 0.0
            for (_, weight), a_G, G_s in zip(STYLE_LAYERS, outputs[1:], G_S):
                _, n_H, n_W, n_C = a_G.shape
                J_style += weight * tf.reduce_sum(tf.square(G_s - gram(a_G))) / (4 * n_C**2 * (n_H * n_W) ** 2)
            J = alpha * J_content + beta * J_style
        optimizer.apply_gradients([(tape.gradient(J, generated), generated)])
        generated.assign(tf.clip_by_value(generated, 0, 1))
        return J

    for _ in range(steps):
        step()
    return generated.numpy()[0]


def colour_histogram_distance(image, style):
    """Return the L1 distance (0..2) between the 8x8x8-bin colour histograms of two images in 0..1."""

    def histogram(x):
        bins = np.clip((np.asarray(x, np.float32).reshape(-1, 3) * 8).astype(int), 0, 7)
        counts = np.bincount(bins[:, 0] * 64 + bins[:, 1] * 8 + bins[:, 2], minlength=512)
        return counts / counts.sum()

    return float(np.abs(histogram(image) - histogram(style)).sum())


def content_similarity(image, content):
    """Return the structural similarity (SSIM) of the grey versions of two images in 0..1."""
    from skimage.metrics import structural_similarity

    def grey(x):
        return np.asarray(x, np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)

    return float(structural_similarity(grey(image), grey(content), data_range=1.0))


def compare(networks, steps=300, size=128, log=print):
    """Run the style transfers for each (content, style) pair with each network; save the figure; return numbers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(networks)
    fig, axes = plt.subplots(len(PAIRS), 2 + len(labels), figsize=(3 * (2 + len(labels)), 3 * len(PAIRS)))
    evidence = {label: [] for label in labels}
    for row, (content_name, style_name) in enumerate(PAIRS):
        content, style = load_content_image(content_name), load_style_image(style_name)

        def small(x):
            return np.asarray(Image.fromarray(x).resize((size, size), Image.LANCZOS), np.float32) / 255

        panels = [(content, f"content: {content_name}"), (style, f"style: {style_name}")]
        for label, network in networks.items():
            start = time.time()
            result = style_transfer(network, content, style, steps=steps, size=size)
            numbers = {
                "pair": f"{content_name}+{style_name}",
                "seconds": round(time.time() - start, 1),
                "content_ssim": round(content_similarity(result, small(content)), 3),
                "colour_histogram_distance": round(colour_histogram_distance(result, small(style)), 3),
            }
            evidence[label].append(numbers)
            log(f"{label:8s} {numbers}")
            panels.append(
                (
                    result,
                    f"{label}\nSSIM {numbers['content_ssim']:.2f}, "
                    f"colour dist. {numbers['colour_histogram_distance']:.2f}",
                )
            )
        for ax, (image, title) in zip(axes[row], panels):
            ax.imshow(image)
            ax.set_title(title, fontsize=9)
            ax.axis("off")
    fig.suptitle(f"Neural style transfer, {steps} Adam steps at {size}x{size}: course-trained vs random narrow VGG19")
    fig.tight_layout()
    REPORT_DIR.mkdir(exist_ok=True)
    fig.savefig(FIGURE, dpi=80)
    plt.close(fig)
    return evidence


# ---- 3. ship ---------------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS, help="training steps of the classifier")
    parser.add_argument("--max-minutes", type=float, default=MAX_MINUTES)
    parser.add_argument("--transfer-steps", type=int, default=300, help="Adam steps of each style transfer")
    parser.add_argument("--choice", choices=("trained", "random"), default=CHOICE)
    args = parser.parse_args(argv)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    trained, accuracy, seconds, steps_run = train_classifier(args.steps, max_minutes=args.max_minutes)
    random_network = random_style_weights(build_style_network(COURSE_FILTERS), RANDOM_SEED)
    evidence = compare({"trained": trained, "random": random_network}, steps=args.transfer_steps)
    config = {
        "source": args.choice,
        "verdict": VERDICT if args.choice == CHOICE else f"--choice {args.choice} given on the command line",
        "filters": list(COURSE_FILTERS),
        "weights_file": WEIGHTS_FILE if args.choice == "trained" else None,
        "seed": RANDOM_SEED if args.choice == "random" else None,
        "input": "RGB, values 0..1",
        "training": {
            "task": list(CLASSES),
            "crop": CROP,
            "steps": args.steps,
            "steps_run": steps_run,
            "seed": SEED,
            "crop_accuracy": round(accuracy, 3),
            "seconds": round(seconds),
        },
        "comparison": {
            "figure": str(FIGURE.relative_to(Path(__file__).resolve().parent.parent)),
            "transfer_steps": args.transfer_steps,
            "results": evidence,
        },
    }
    WEIGHTS_DIR.mkdir(parents=True, exist_ok=True)
    if args.choice == "trained":
        trained.save_weights(WEIGHTS_DIR / WEIGHTS_FILE)
        record_checksum(WEIGHTS_FILE)
    else:
        (WEIGHTS_DIR / WEIGHTS_FILE).unlink(missing_ok=True)  # a stale trained file must not look shipped
    (WEIGHTS_DIR / CONFIG_FILE).write_text(json.dumps(config, indent=1) + "\n")
    record_checksum(CONFIG_FILE)
    print(
        f"style features: shipped the {args.choice} network ({trained.count_params():,} parameters); "
        f"classifier crop accuracy {accuracy:.1%} after {seconds / 60:.1f} min; comparison figure {FIGURE}"
    )


if __name__ == "__main__":
    main()
