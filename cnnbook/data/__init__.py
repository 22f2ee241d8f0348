"""The course's data sets: made procedurally (or from scikit-image's bundled photographs), deterministic and cached.

Every loader builds its data set from a fixed seed the first time it is called, stores it in the cache
folder ($CNNBOOK_DATA_DIR, else $XDG_CACHE_HOME/cnnbook, else ~/.cache/cnnbook) with a manifest of its
SHA-256, generator version and seed, and reads it from there afterwards; a changed, truncated or
outdated copy is reported and rebuilt. Nothing is downloaded.
"""

from .cache import CacheRebuildWarning, data_dir
from .faces import STAFF_NAMES, StaffDatabase, load_face_identities, load_staff_database
from .hand_signs import HAND_SIGN_CLASSES, load_hand_signs
from .smiles import SMILE_CLASSES, load_smiles
from .street_scenes import (
    DETECTION_CLASSES,
    SEGMENTATION_CLASSES,
    load_detection_scenes,
    load_segmentation_scenes,
    render_street_scene,
)
from .style_images import CONTENT_IMAGES, STYLE_IMAGES, load_content_image, load_style_image
from .transfer_target import TRANSFER_CLASSES, transfer_learning_folder

__all__ = [
    "load_smiles",
    "load_hand_signs",
    "transfer_learning_folder",
    "load_detection_scenes",
    "load_segmentation_scenes",
    "render_street_scene",
    "load_face_identities",
    "load_staff_database",
    "load_content_image",
    "load_style_image",
    "StaffDatabase",
    "data_dir",
    "CacheRebuildWarning",
    "SMILE_CLASSES",
    "HAND_SIGN_CLASSES",
    "TRANSFER_CLASSES",
    "DETECTION_CLASSES",
    "SEGMENTATION_CLASSES",
    "STAFF_NAMES",
    "CONTENT_IMAGES",
    "STYLE_IMAGES",
]
