"""Hidden tests and reference models for w2a2_transfer_learning (transfer learning with MobileNetV2)."""


def prepare_data() -> None:
    """Build the kite folder the notebook reads in the grader's cache."""
    from cnnbook.data import transfer_learning_folder

    transfer_learning_folder()
