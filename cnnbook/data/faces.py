"""Faces with identities: many photographs of invented people for face embeddings, and a staff database for a door.

Both data sets come from the course's face renderer (face_renderer.render_face). A person is a
FaceIdentity drawn from a seeded stream; each photograph of them draws new FacePhoto conditions (pose,
expression, glasses, hat, background, light, noise), so two photos of one person differ the way two
snapshots do while two people differ in head shape, skin, eyes, nose, mouth, hair and so on.

Used by: book/data_and_models.md, and 1 module of cnnbook, the grader
"""

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image

from .cache import cached_arrays, cached_folder
from .drawing import DRAWING_VERSION
from .face_renderer import FACE_RENDERER_VERSION, random_identity, random_photo, render_face
from .parallel_build import map_on_cores

__all__ = [
    "load_face_identities",
    "load_staff_database",
    "StaffDatabase",
    "STAFF_NAMES",
    "FACE_SPLITS",
    "FACES_VERSION",
    "FACE_SIZE",
]

FACES_VERSION = "2"
FACE_SIZE = 96
_SEED = 4242
# split -> (first identity id, number of identities, photos per identity); the ids never overlap
FACE_SPLITS = {"train": (0, 200, 10), "validation": (200, 30, 10), "test": (230, 50, 10)}
# random streams: identities of the splits, their photos, staff, strangers at the door
_IDENTITY, _PHOTO, _STAFF, _STRANGER = 0, 1, 2, 3

STAFF_NAMES = (
    "Amara Nwosu",
    "Bao Tran",
    "Camille Durand",
    "Diego Morales",
    "Elif Kaya",
    "Farid Haddad",
    "Greta Lindqvist",
    "Hiro Tanaka",
    "Ines Duarte",
    "Jonas Weber",
    "Kavya Rao",
    "Leila Mansour",
)
_DOOR_VISITS = 2  # door photos of each of the first _STAFF_AT_DOOR staff members
_STAFF_AT_DOOR = 8
_STRANGERS = 8


def _version():
    """Return the generator version of the face data sets."""
    return f"faces-{FACES_VERSION}/face-{FACE_RENDERER_VERSION}/drawing-{DRAWING_VERSION}"


def _render_split_photo(item):
    """Render photo number k of identity person_id, item = (person_id, k): (96, 96, 3) uint8."""
    person_id, k = item
    person = random_identity(np.random.default_rng([_SEED, _IDENTITY, person_id]))
    return render_face(person, random_photo(np.random.default_rng([_SEED, _PHOTO, person_id, k]), person), FACE_SIZE)


def _build_split(split):
    """Render every photo of a split: arrays images (n, 96, 96, 3) and labels (n,)."""
    first, n_people, n_photos = FACE_SPLITS[split]
    labels = np.repeat(np.arange(first, first + n_people), n_photos)
    photos = map_on_cores(_render_split_photo, [(int(person_id), i % n_photos) for i, person_id in enumerate(labels)])
    images = np.stack(photos).astype(np.uint8, copy=False)  # (n_people * n_photos, 96, 96, 3)
    return {"images": images, "labels": labels.astype(np.int64)}


def load_face_identities(split: str = "train"):
    """Load photographs of invented people with their identity labels, for learning face embeddings.

    Made procedurally (seed 4242) by the course's face renderer: each identity fixes head shape, skin
    tone, ears, eye shape, colour, spacing and slant, eyebrows, nose, mouth, hair style and colour,
    facial hair and a habit of wearing glasses; each photo draws a rotation (+-12 degrees), shift, scale,
    slight head turn, expression (smiling, neutral, sad, surprised, talking), glasses or sunglasses, a hat
    (12 %), a background (plain, colour ramp or a blurred bundled photograph), lighting and noise.
    The splits hold disjoint people: "train" ids 0..199, "validation" ids 200..229, "test" ids 230..279,
    10 photos each, grouped by person (photos of one person are consecutive).
    Cached in the data folder (see cache.data_dir), one file per split.

    Arguments:
    split -- "train", "validation" or "test"
    Returns:
    images -- (n_people * 10, 96, 96, 3) uint8 RGB: (2000, ...) train, (300, ...) validation, (500, ...) test
    labels -- (n_people * 10,) int64 identity ids
    """
    if split not in FACE_SPLITS:
        raise ValueError(f"split must be one of {sorted(FACE_SPLITS)}, got {split!r}")
    arrays = cached_arrays(f"face_identities_{split}", _version(), _SEED, lambda: _build_split(split))
    return arrays["images"], arrays["labels"]


@dataclass
class StaffDatabase:
    """The staff of an (invented) office: one enrolment photo per person, and photos from the door camera."""

    names: list  # the staff's names, str
    enrolment: dict  # name -> (96, 96, 3) uint8 enrolment photo
    enrolment_paths: dict  # name -> Path of the same photo as a PNG
    door_images: np.ndarray  # (n_door, 96, 96, 3) uint8 photos taken at the door
    door_names: list  # the true name of each door photo, or None for a stranger
    door_paths: list  # Path of each door photo as a PNG


def _slug(name):
    """Return a file-name form of a person's name."""
    return name.lower().replace(" ", "_")


def _build_staff_folder(folder: Path):
    # Enrolment photos are calm and frontal on a plain wall; door photos vary like everyday snapshots.
    (folder / "enrolment").mkdir()
    (folder / "door").mkdir()
    staff = [random_identity(np.random.default_rng([_SEED, _STAFF, k])) for k in range(len(STAFF_NAMES))]
    people = {"staff": [], "door": []}
    for k, (name, person) in enumerate(zip(STAFF_NAMES, staff)):
        rng = np.random.default_rng([_SEED, _STAFF, k, 0])
        photo = random_photo(rng, person, smile=False, hat_probability=0.0, sunglasses_probability=0.0, variation=0.3)
        photo = replace(
            photo,
            background=("solid", (222, 224, 228)),
            glasses=min(photo.glasses, 1),
            smile=0.0,
            mouth_open=0.0,
            brow_raise=0.0,
        )  # a calm badge photo
        path = f"enrolment/{_slug(name)}.png"
        Image.fromarray(render_face(person, photo, FACE_SIZE)).save(folder / path, compress_level=1)
        people["staff"].append({"name": name, "file": path})
    visits = [
        (STAFF_NAMES[k], staff[k], np.random.default_rng([_SEED, _STAFF, k, 1 + v]))
        for k in range(_STAFF_AT_DOOR)
        for v in range(_DOOR_VISITS)
    ]
    visits += [
        (
            None,
            random_identity(np.random.default_rng([_SEED, _STRANGER, s])),
            np.random.default_rng([_SEED, _STRANGER, s, 1]),
        )
        for s in range(_STRANGERS)
    ]
    order = np.random.default_rng([_SEED, _STRANGER]).permutation(len(visits))
    for i, j in enumerate(order):
        name, person, rng = visits[j]
        path = f"door/{i:02d}.png"
        Image.fromarray(render_face(person, random_photo(rng, person), FACE_SIZE)).save(folder / path, compress_level=1)
        people["door"].append({"name": name, "file": path})
    (folder / "people.json").write_text(json.dumps(people, indent=2))


def _read_png(path):
    """Return a PNG file as an RGB array (n_H, n_W, 3) uint8."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def load_staff_database() -> StaffDatabase:
    """Load the staff database of the face-recognition assignment: 12 named people and door-camera photos.

    Made with the course's face renderer (seed 4242) from people who are in none of the
    load_face_identities splits. Each staff member has one enrolment photo (frontal, neutral, plain
    wall, no hat). The door camera took 2 everyday photos (pose, expression, glasses, hat, background,
    light and noise vary) of each of the first 8 staff members and 1 photo of each of 8 strangers,
    24 door photos in a shuffled order. The photos are also PNG files in the cache folder
    (``staff_database/enrolment/<first>_<last>.png`` and ``staff_database/door/NN.png``) for code that
    takes image paths.

    Returns:
    database -- StaffDatabase with
        names: list of the 12 names (str), e.g. "Amara Nwosu"
        enrolment: dict name -> (96, 96, 3) uint8 RGB enrolment photo
        enrolment_paths: dict name -> Path of that photo's PNG
        door_images: (24, 96, 96, 3) uint8 RGB door photos
        door_names: list of 24 true names, None for a stranger (not in the database)
        door_paths: list of 24 PNG Paths
    """
    folder = cached_folder("staff_database", _version(), _SEED, _build_staff_folder)
    people = json.loads((folder / "people.json").read_text())
    names = [entry["name"] for entry in people["staff"]]
    enrolment_paths = {entry["name"]: folder / entry["file"] for entry in people["staff"]}
    door_paths = [folder / entry["file"] for entry in people["door"]]
    return StaffDatabase(
        names=names,
        enrolment={name: _read_png(path) for name, path in enrolment_paths.items()},
        enrolment_paths=enrolment_paths,
        door_images=np.stack([_read_png(path) for path in door_paths]),
        door_names=[entry["name"] for entry in people["door"]],
        door_paths=door_paths,
    )
