"""Smiles: face photographs labelled smiling or not, for binary classification with a small Keras model.

Used by: cnnbook.data
"""

import dataclasses

import numpy as np

from .cache import cached_arrays
from .drawing import DRAWING_VERSION
from .face_renderer import FACE_RENDERER_VERSION, random_identity, random_photo, render_face

__all__ = ["load_smiles", "SMILES_VERSION", "SMILE_CLASSES"]

SMILES_VERSION = "3"
SMILE_CLASSES = ("not_smiling", "smiling")
_SEED = 1964
_N_TRAIN, _N_TEST = 600, 150


def _build_smiles():
    # Half of each split smiles; every face is a new person with its own seeded random stream.
    arrays = {}
    for split, n, stream in (("train", _N_TRAIN, 1), ("test", _N_TEST, 2)):
        labels = np.repeat([0, 1], n // 2)
        np.random.default_rng([_SEED, stream]).shuffle(labels)
        images = np.empty((n, 64, 64, 3), np.uint8)
        for i, smiling in enumerate(labels):
            rng = np.random.default_rng([_SEED, stream, i])
            person = random_identity(rng)
            # a milder pose range than the identity photos and a closer framing, so the mouth spans enough
            # pixels at 64 px and stays near one place: happyModel (one 7x7 convolution, then a dense layer
            # over every position) cannot learn a cue that is tiny or wanders across the frame
            photo = random_photo(rng, person, smile=bool(smiling), variation=0.35, zoom=1.5, muted_background=True)
            if smiling:
                # a broad smile, not a faint one: the label should be clear to a person looking at 64 px
                photo = dataclasses.replace(photo, smile=max(photo.smile, 0.9))
            images[i] = render_face(person, photo, 64)
        arrays[f"x_{split}"], arrays[f"y_{split}"] = images, labels.astype(np.int64)
    return arrays


def load_smiles():
    """Load the smiles data set: 64 x 64 face photographs labelled 1 (smiling) or 0 (not smiling), balanced.

    Made procedurally (seed 1964) by the course's face renderer (face_renderer.render_face): every image
    is a different invented person (head shape, skin tone from very light to very dark, eyes, nose, hair
    style and colour, facial hair, glasses) photographed close up with a small random rotation (+-4
    degrees), shift, scale, head turn, background (plain, colour ramp or a blurred bundled photograph),
    lighting, hat and noise. Smiling faces have a broad smile (lips closed or a grin showing teeth),
    slightly narrowed eyes and rosy cheeks; the others are neutral, sad, surprised ("o" mouth) or
    talking. The mouth moves with the pose and its colours vary with the person, so no single pixel tells
    the classes apart.
    Cached in the data folder (see cache.data_dir).

    Returns:
    x_train -- (600, 64, 64, 3) uint8 RGB images, 300 per class
    y_train -- (600,) int64 labels, 1 smiling, 0 not smiling
    x_test -- (150, 64, 64, 3) uint8 RGB images, 75 per class
    y_test -- (150,) int64 labels
    """
    version = f"smiles-{SMILES_VERSION}/face-{FACE_RENDERER_VERSION}/drawing-{DRAWING_VERSION}"
    arrays = cached_arrays("smiles", version, _SEED, _build_smiles)
    return arrays["x_train"], arrays["y_train"], arrays["x_test"], arrays["y_test"]
