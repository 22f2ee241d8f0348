"""The course's data sets: made procedurally (or from scikit-image's bundled photographs), deterministic and cached.

Every loader builds its data set from a fixed seed the first time it is called, stores it in the cache
folder ($CNNBOOK_DATA_DIR, else $XDG_CACHE_HOME/cnnbook, else ~/.cache/cnnbook) with a manifest of its
SHA-256, generator version and seed, and reads it from there afterwards; a changed, truncated or
outdated copy is reported and rebuilt. Nothing is downloaded.

Used by: book/data_and_models.md, book/week2/02_residual_networks.md, book/week2/07_datasets_from_directories.md,
book/week2/08_data_augmentation.md, book/week2/09_transfer_learning.md, book/week3/01_localisation_and_landmarks.md,
book/week3/02_sliding_windows.md, book/week3/03_grid_and_iou.md, book/week3/04_nms_and_anchors.md,
book/week3/05_yolo.md, book/week3/06_region_proposals.md, book/week3/07_semantic_segmentation.md,
book/week3/08_unet.md, book/week4/01_face_verification.md, book/week4/02_siamese_networks.md,
book/week4/03_triplet_loss.md, book/week4/04_choosing_a_threshold.md,
book/week4/05_verification_as_classification.md, book/week4/06_what_layers_learn.md, book/week4/07_style_cost.md,
book/week4/08_generating_an_image.md, solutions/w1a2_keras_apis/w1a2_keras_apis.ipynb,
solutions/w2a2_transfer_learning/w2a2_transfer_learning.ipynb, solutions/w3a1_yolo/w3a1_yolo.ipynb,
solutions/w3a2_unet/w3a2_unet.ipynb, solutions/w4a1_face_recognition/w4a1_face_recognition.ipynb,
solutions/w4a2_style_transfer/w4a2_style_transfer.ipynb, the grader
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
