"""Style-transfer images: bundled content photographs and procedural paintings, same size, cached."""

import warnings

import numpy as np
import pytest
import skimage.data
from PIL import Image

from cnnbook.data import style_images
from cnnbook.data.cache import CacheRebuildWarning
from cnnbook.data.style_images import CONTENT_IMAGES, STYLE_IMAGES, load_content_image, load_style_image


def test_required_names_are_offered():
    assert {"brush_strokes", "mosaic", "swirls"} <= set(STYLE_IMAGES)
    assert {"astronaut", "coffee", "chelsea"} <= set(CONTENT_IMAGES)


def test_every_image_has_the_same_shape_and_is_not_flat(offline_cache):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheRebuildWarning)
        images = [load_content_image(n) for n in CONTENT_IMAGES] + [load_style_image(n) for n in STYLE_IMAGES]
    for image in images:
        assert image.shape == (192, 192, 3) and image.dtype == np.uint8
        assert image.std() > 20 and len(np.unique(image.reshape(-1, 3), axis=0)) > 200
    # all different from each other
    assert len({image.tobytes() for image in images}) == len(images)


@pytest.mark.parametrize("name", CONTENT_IMAGES)
def test_content_image_is_the_bundled_photograph(offline_cache, name):
    # compare with an independent centre crop of the original, at a small size
    photo = getattr(skimage.data, name)()[..., :3]
    side = min(photo.shape[:2])
    top, left = (photo.shape[0] - side) // 2, (photo.shape[1] - side) // 2
    reference = np.asarray(
        Image.fromarray(photo[top : top + side, left : left + side]).resize((24, 24), Image.BOX), float
    )
    ours = np.asarray(Image.fromarray(load_content_image(name)).resize((24, 24), Image.BOX), float)
    assert np.abs(ours - reference).mean() < 4


def test_paintings_have_their_character(offline_cache):
    swirls = load_style_image("swirls").astype(float)
    assert swirls[..., 2].mean() > swirls[..., 0].mean()  # a blue night sky
    mosaic = load_style_image("mosaic")
    dark = (mosaic.max(axis=2) < 60).mean()
    assert 0.05 < dark < 0.4  # grout lines between the tiles
    strokes = load_style_image("brush_strokes").astype(float)
    # strokes make strong local edges everywhere: the mean gradient is high
    assert np.abs(np.diff(strokes, axis=1)).mean() > 8


def test_unknown_names_are_refused_with_the_choices(offline_cache):
    with pytest.raises(ValueError, match="swirls"):
        load_style_image("starry_night")
    with pytest.raises(ValueError, match="astronaut"):
        load_content_image("lena")


def test_identical_across_runs_and_repaired(offline_cache, tmp_path_factory, monkeypatch):
    first = load_style_image("mosaic")
    path = offline_cache / "style_transfer_images.npz"
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.warns(CacheRebuildWarning, match=r"style_transfer_images\.npz"):
        np.testing.assert_array_equal(load_style_image("mosaic"), first)
    monkeypatch.setattr(style_images, "STYLE_IMAGES_VERSION", "999")
    with pytest.warns(CacheRebuildWarning, match="generator version"):
        np.testing.assert_array_equal(load_style_image("mosaic"), first)
    monkeypatch.setenv("CNNBOOK_DATA_DIR", str(tmp_path_factory.mktemp("second_run")))
    np.testing.assert_array_equal(load_style_image("mosaic"), first)
    np.testing.assert_array_equal(load_content_image("coffee"), load_content_image("coffee"))
