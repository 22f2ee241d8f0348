"""Receptive fields: which input pixels a unit of a convolutional layer can see, and where they are.

Along one axis, a stack of convolutions and poolings is described by three numbers per layer: the
receptive field r (how many input pixels one unit sees), the jump j (how many input pixels lie between
two neighbouring units) and the start (the input coordinate of the centre of unit 0, pixel centres
at 0, 1, 2, ...). A layer with window f, stride s and padding p turns (r, j, start) into

    r' = r + (f - 1) j,    j' = j s,    start' = start + ((f - 1) / 2 - p) j.

Unit h of the layer is centred on input coordinate start + h j and sees the r pixels around it.

Used by: book/week4/06_what_layers_learn.md
"""

from dataclasses import dataclass

__all__ = ["LayerGeometry", "receptive_fields", "keras_layer_specs", "input_patch"]


@dataclass(frozen=True)
class LayerGeometry:
    """Where one layer's units look in the input, along one axis."""

    name: str
    r: int  # receptive field, input pixels
    jump: int  # input pixels between neighbouring units
    start: float  # input coordinate of the centre of unit 0


def receptive_fields(specs):
    """Return the LayerGeometry of each layer of a stack.

    Arguments:
    specs -- sequence of (name, f, stride, pad), from the input side; pad is the padding before the first row
    Returns:
    geometries -- list of LayerGeometry, one per spec
    """
    r, jump, start = 1, 1, 0.0
    geometries = []
    for name, f, stride, pad in specs:
        if f < 1 or stride < 1 or pad < 0:
            raise ValueError(f"layer {name}: need f >= 1, stride >= 1, pad >= 0, got f={f}, stride={stride}, pad={pad}")
        r, start = r + (f - 1) * jump, start + ((f - 1) / 2 - pad) * jump  # both use the incoming jump
        jump *= stride
        geometries.append(LayerGeometry(name, r, jump, start))
    return geometries


def keras_layer_specs(model):
    """Return (name, f, stride, pad) of each Conv2D and pooling layer of a Keras model, in order (square windows).

    A "same" layer pads (f - stride) // 2 pixels before the first row (TensorFlow puts any odd pixel
    after the last row); other layers (normalisation, activations, rescaling) do not move anything and
    are skipped. The list stops at the first layer that has no spatial output (a flatten or global pooling).
    """
    import keras  # only this helper needs Keras

    specs = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            f, stride = layer.kernel_size[0], layer.strides[0]
        elif isinstance(layer, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)):
            f, stride = layer.pool_size[0], layer.strides[0]
        elif isinstance(
            layer, (keras.layers.Flatten, keras.layers.GlobalAveragePooling2D, keras.layers.GlobalMaxPooling2D)
        ):
            break
        else:
            continue
        pad = max(f - stride, 0) // 2 if layer.padding == "same" else 0
        specs.append((layer.name, f, stride, pad))
    return specs


def input_patch(h, w, geometry, n_H, n_W):
    """Return (top, left, bottom, right), bottom and right excluded, of the input pixels unit (h, w) sees, clipped to
    the image."""
    half = (geometry.r - 1) / 2
    centre_y, centre_x = geometry.start + h * geometry.jump, geometry.start + w * geometry.jump
    top, left = int(round(centre_y - half)), int(round(centre_x - half))
    bottom, right = top + geometry.r, left + geometry.r
    return max(top, 0), max(left, 0), min(bottom, n_H), min(right, n_W)
