"""Unit tests of cnnbook.calculators.verification_metrics on small cases computed by hand."""

import numpy as np
import pytest

from cnnbook.calculators.verification_metrics import (
    area_under_curve,
    best_threshold,
    classify_triplets,
    false_match_probability,
    pairwise_distances,
    rates_at_threshold,
    roc_curve,
    split_pair_distances,
    threshold_at_false_accept_rate,
)


def test_pairwise_distances_hand_computed():
    E = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]])
    expected = np.array([[0, 5, 1], [5, 0, np.sqrt(9 + 9)], [1, np.sqrt(18), 0]])
    np.testing.assert_allclose(pairwise_distances(E), expected, atol=1e-12)
    np.testing.assert_allclose(pairwise_distances(E[:1], E[1:]), [[5.0, 1.0]])


def test_pairwise_distances_of_identical_rows_is_exactly_zero_not_nan():
    E = np.full((2, 128), 0.1)
    D = pairwise_distances(E)
    assert np.all(np.isfinite(D)) and np.all(D >= 0) and D[0, 1] < 1e-6


def test_pairwise_distances_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="same d"):
        pairwise_distances(np.zeros((2, 3)), np.zeros((2, 4)))


def test_split_pair_distances_hand_computed():
    # persons 7, 7, 9 on a line at 0, 1, 3: one same pair (0-1: 1), two different pairs (0-2: 3, 1-2: 2)
    E = np.array([[0.0], [1.0], [3.0]])
    d_same, d_diff = split_pair_distances(E, [7, 7, 9])
    np.testing.assert_allclose(d_same, [1.0])
    np.testing.assert_allclose(sorted(d_diff), [2.0, 3.0])


def test_rates_at_threshold_are_strict():
    d_same, d_diff = [0.2, 0.5, 0.9], [0.5, 1.0, 1.5, 2.0]
    assert rates_at_threshold(d_same, d_diff, 0.5) == (pytest.approx(1 / 3), 0.0)  # 0.5 itself is rejected
    assert rates_at_threshold(d_same, d_diff, 1.2) == (1.0, pytest.approx(0.5))


def test_roc_curve_and_area_hand_computed():
    d_same, d_diff = [0.1, 0.3], [0.2, 0.4]
    far, tar, thresholds = roc_curve(d_same, d_diff)
    np.testing.assert_allclose(thresholds, [0.1, 0.2, 0.3, 0.4, 1.4])
    np.testing.assert_allclose(tar, [0, 0.5, 0.5, 1, 1])
    np.testing.assert_allclose(far, [0, 0, 0.5, 0.5, 1])
    # the staircase (0,0) (0,.5) (.5,.5) (.5,1) (1,1) encloses 0.5 * 0.5 + 0.5 * 1 = 0.75
    assert area_under_curve(far, tar) == pytest.approx(0.75)


def test_area_of_perfect_and_chance_curves():
    assert area_under_curve([0, 0, 1], [0, 1, 1]) == pytest.approx(1.0)
    assert area_under_curve([0, 0.5, 1], [0, 0.5, 1]) == pytest.approx(0.5)


def test_best_threshold_separates_separable_distances():
    # same pairs all below 0.4, different ones from 0.6: any threshold in (0.4, 0.6] is perfect; ours is the midpoint
    assert best_threshold([0.1, 0.2, 0.4], [0.6, 0.9, 1.3]) == pytest.approx(0.5)


def test_best_threshold_is_balanced_not_plain_accuracy():
    # 1 same pair at 0.5 among 9 different pairs at 0.3 .. 1.1. Plain accuracy is best by accepting nobody
    # (9/10); balanced accuracy prefers 0.8, which accepts the same pair and only 0.3 and 0.4 (TAR 1, FAR 2/9).
    d_diff = [0.3, 0.4, 0.6 + 1e-9, 0.7, 0.8, 0.9, 1.0, 1.05, 1.1]
    t = best_threshold([0.5], d_diff)
    assert 0.5 < t <= 0.6
    tar, far = rates_at_threshold([0.5], d_diff, t)
    assert tar == 1.0 and far == pytest.approx(2 / 9)


def test_threshold_at_false_accept_rate_hand_computed():
    d_diff = [0.9, 0.5, 0.7, 0.6, 0.8]  # sorted: 0.5 0.6 0.7 0.8 0.9
    assert threshold_at_false_accept_rate(d_diff, 0.0) == 0.5  # accepts none
    assert threshold_at_false_accept_rate(d_diff, 0.2) == 0.6  # accepts 0.5 only: 1 of 5
    assert threshold_at_false_accept_rate(d_diff, 0.39) == 0.6  # 2 of 5 would be 0.4 > 0.39
    assert threshold_at_false_accept_rate(d_diff, 0.4) == 0.7
    with pytest.raises(ValueError):
        threshold_at_false_accept_rate(d_diff, 1.0)


def test_false_match_probability_hand_computed():
    assert false_match_probability(0.0, 1000) == 0.0
    assert false_match_probability(0.5, 2) == pytest.approx(0.75)
    assert false_match_probability(0.01, 100) == pytest.approx(1 - 0.99**100)  # 0.634
    assert false_match_probability(0.01, 1) == pytest.approx(0.01)
    np.testing.assert_allclose(false_match_probability(0.1, [1, 2, 3]), [0.1, 0.19, 0.271])
    with pytest.raises(ValueError):
        false_match_probability(1.5, 3)


def test_classify_triplets_hand_computed():
    kinds = classify_triplets(0.25, [1.0, 0.36, 0.09, 0.25, 0.45], alpha=0.2)
    assert list(kinds) == ["easy", "semi-hard", "hard", "semi-hard", "easy"]  # borders: 0.25 semi-hard, 0.45 easy


def test_classify_triplets_with_zero_margin_has_no_semi_hard():
    kinds = classify_triplets([0.5, 0.5], [0.5, 0.4], alpha=0.0)
    assert list(kinds) == ["easy", "hard"]
    with pytest.raises(ValueError):
        classify_triplets(0.5, 0.4, alpha=-0.1)
