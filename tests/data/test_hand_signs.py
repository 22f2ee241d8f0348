"""The hand-signs renderer: the label is the number of raised fingers, and they show (the set: test_photo_sets.py)."""

import numpy as np

from cnnbook.data import hand_signs


def test_the_label_is_the_number_of_raised_fingers():
    # the renderer draws exactly the fingers the label counts, whichever finger set it picks
    for count in range(6):
        for i in range(30):
            hand = hand_signs.random_hand(np.random.default_rng([9, count, i]), count)
            assert len(hand["raised"]) == count
            assert set(hand["raised"]) <= {0, 1, 2, 3, 4}


def test_more_fingers_means_more_hand_in_the_picture():
    # same hand, same photo conditions, only the raised fingers change: the hand's area grows with the count
    def hand_pixels(count):
        hand = hand_signs.random_hand(np.random.default_rng(5), 5)
        raised = {0: (), 1: (1,), 2: (1, 2), 3: (1, 2, 3), 4: (1, 2, 3, 4), 5: (0, 1, 2, 3, 4)}[count]
        hand.update(
            raised=raised,
            background=("solid", (0, 0, 255)),
            noise=0.0,
            light_strength=0.0,
            brightness=1.0,
            tint=(1.0, 1.0, 1.0),
            sleeve=None,
        )
        image = hand_signs.render_hand(hand, 64).astype(int)
        return int(((image[..., 2] < 200) | (image[..., 0] > 60)).sum())  # not the blue wall

    areas = [hand_pixels(count) for count in range(6)]
    assert all(a < b for a, b in zip(areas[1:5], areas[2:5])), areas
    assert areas[0] < areas[5]
