"""Rebuild a model around another base: the same layers, freshly initialised, with a new network in the base's place.

Transfer learning is judged against the same model trained from scratch. `swap_base` makes that model from
the one you built, whatever its layers: every layer is re-created from its configuration (new weights), the
pretrained base is replaced by the network you pass, and that network is called without a fixed training
flag, so its batch normalisation learns from batches as a network trained from scratch must.

Used by: solutions/w2a2_transfer_learning/w2a2_transfer_learning.ipynb
"""

__all__ = ["swap_base"]


def swap_base(model, base_model, new_base):
    """Return a copy of the Functional `model` in which `new_base` replaces `base_model`; other layers are new.

    Arguments:
    model -- a keras.Model that calls base_model once, e.g. (m, n_H, n_W, 3) -> (m, 1)
    base_model -- the nested model to replace
    new_base -- a keras.Model with the same input and output shapes as base_model
    Returns:
    copy -- keras.Model with model's inputs and outputs shapes; every weight newly initialised except new_base's
    """
    import keras

    if not any(layer is base_model for layer in model.layers):
        raise ValueError(f"the model does not contain the base {base_model.name!r}: pass the base it was built on")

    def clone_layer(layer):
        if layer is base_model:
            return new_base
        if isinstance(layer, keras.Model):  # a nested model (augmentation) gets fresh layers too
            return keras.models.clone_model(layer)
        return layer.__class__.from_config(layer.get_config())

    def call_layer(layer, *args, **kwargs):
        if layer is new_base:
            kwargs.pop("training", None)  # follow fit (training) and predict (inference)
        return layer(*args, **kwargs)

    copy = keras.models.clone_model(model, clone_function=clone_layer, call_function=call_layer)
    new_base.trainable = True
    for layer in new_base.layers:  # a clone of a frozen base keeps its layers' flags: unfreeze them one by one
        layer.trainable = True
    return copy
