"""Distances between face encodings, and how well a threshold on them tells people apart.

A verifier accepts a pair of faces as "the same person" when the distance between their encodings is
below a threshold tau (strictly: d < tau). Over many labelled pairs it makes two kinds of error: a
false reject (a same-person pair with d >= tau) and a false accept (a different-person pair with
d < tau). The true accept rate (TAR, the ROC curve's y) is the share of same-person pairs accepted;
the false accept rate (FAR, its x) is the share of different-person pairs accepted.

Used by: book/week4/01_face_verification.md, book/week4/03_triplet_loss.md, book/week4/04_choosing_a_threshold.md,
book/week4/05_verification_as_classification.md
"""

import numpy as np

__all__ = [
    "pairwise_distances",
    "split_pair_distances",
    "rates_at_threshold",
    "roc_curve",
    "area_under_curve",
    "best_threshold",
    "threshold_at_false_accept_rate",
    "false_match_probability",
    "classify_triplets",
    "TRIPLET_KINDS",
]

TRIPLET_KINDS = ("easy", "semi-hard", "hard")


def pairwise_distances(E, F=None):
    """Return the L2 distances (m, n) between the rows of E (m, d) and those of F (n, d); F = E when None."""
    E = np.asarray(E, np.float64)
    F = E if F is None else np.asarray(F, np.float64)
    if E.ndim != 2 or F.ndim != 2 or E.shape[1] != F.shape[1]:
        raise ValueError(f"expected encodings (m, d) and (n, d) with the same d, got {E.shape} and {F.shape}")
    # |e - f|^2 = |e|^2 - 2 e.f + |f|^2 needs no (m, n, d) array; rounding can make it slightly negative
    squares = (E**2).sum(1)[:, None] - 2 * E @ F.T + (F**2).sum(1)[None, :]  # (m, n)
    return np.sqrt(np.maximum(squares, 0.0))


def split_pair_distances(E, labels):
    """Return the distances of every same-person pair and of every different-person pair (each pair once).

    Arguments:
    E -- encodings (m, d)
    labels -- identity of each row, (m,)
    Returns:
    d_same -- (n_same,) distances of the pairs i < j with labels[i] == labels[j]
    d_diff -- (n_diff,) distances of the pairs i < j with labels[i] != labels[j]
    """
    labels = np.asarray(labels)
    if len(labels) != len(E):
        raise ValueError(f"{len(E)} encodings but {len(labels)} labels")
    i, j = np.triu_indices(len(labels), k=1)
    D = pairwise_distances(E)
    same = labels[i] == labels[j]
    return D[i[same], j[same]], D[i[~same], j[~same]]


def rates_at_threshold(d_same, d_diff, threshold):
    """Return (true accept rate, false accept rate) of the rule "same person when d < threshold"."""
    return float(np.mean(np.asarray(d_same) < threshold)), float(np.mean(np.asarray(d_diff) < threshold))


def roc_curve(d_same, d_diff, thresholds=None):
    """Return the ROC curve of "same when d < threshold" as the threshold grows.

    Arguments:
    d_same, d_diff -- distances of same-person and different-person pairs, (n_same,) and (n_diff,)
    thresholds -- increasing thresholds (k,); by default every distinct distance and one past the largest
    Returns:
    far -- (k,) false accept rates, increasing
    tar -- (k,) true accept rates, increasing
    thresholds -- (k,) the thresholds used
    """
    d_same, d_diff = np.sort(np.asarray(d_same, float)), np.sort(np.asarray(d_diff, float))
    if thresholds is None:
        everything = np.unique(np.concatenate([d_same, d_diff]))
        thresholds = np.concatenate([everything, [everything[-1] + 1.0]])
    thresholds = np.asarray(thresholds, float)
    # searchsorted(..., "left") counts the distances strictly below each threshold
    tar = np.searchsorted(d_same, thresholds, side="left") / len(d_same)
    far = np.searchsorted(d_diff, thresholds, side="left") / len(d_diff)
    return far, tar, thresholds


def area_under_curve(far, tar):
    """Return the area under a ROC curve given by points sorted by increasing false accept rate (trapezoids)."""
    far, tar = np.asarray(far, float), np.asarray(tar, float)
    return float(np.sum((far[1:] - far[:-1]) * (tar[1:] + tar[:-1]) / 2))


def best_threshold(d_same, d_diff):
    """Return the threshold with the best balanced accuracy (TAR + 1 - FAR) / 2, midway between two distances.

    Balanced, because a set of faces has far more different-person pairs than same-person pairs: plain
    accuracy would reward a threshold that accepts nobody.
    """
    distances = np.unique(np.concatenate([np.asarray(d_same, float), np.asarray(d_diff, float)]))
    candidates = np.concatenate([[distances[0] - 1.0], (distances[1:] + distances[:-1]) / 2, [distances[-1] + 1.0]])
    far, tar, _ = roc_curve(d_same, d_diff, candidates)
    return float(candidates[np.argmax(tar + 1 - far)])


def threshold_at_false_accept_rate(d_diff, rate):
    """Return the largest threshold among the different-person distances whose false accept rate is at most `rate`."""
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must lie in [0, 1), got {rate}")
    d_diff = np.sort(np.asarray(d_diff, float))
    # d < d_diff[k] holds for at most k of the distances, i.e. a rate of at most k / n
    return float(d_diff[int(np.floor(rate * len(d_diff)))])


def false_match_probability(false_accept_rate, K):
    """Return 1 - (1 - p)^K: the chance that at least one of K independent comparisons falsely accepts."""
    p = np.asarray(false_accept_rate, float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"a false accept rate lies in [0, 1], got {false_accept_rate}")
    return 1.0 - (1.0 - p) ** np.asarray(K, float)


def classify_triplets(d_ap, d_an, alpha):
    """Name each triplet by how hard it is for the triplet loss with margin alpha.

    "hard": the negative is nearer the anchor than the positive (d_an < d_ap); "semi-hard": it is farther,
    but by less than the margin (d_ap <= d_an < d_ap + alpha), so the loss is still positive; "easy":
    d_an >= d_ap + alpha, the loss is zero and the triplet teaches nothing.

    Arguments:
    d_ap, d_an -- anchor-positive and anchor-negative distances, arrays that broadcast together
    alpha -- the margin, >= 0
    Returns:
    kinds -- array of str with the broadcast shape, each one of TRIPLET_KINDS
    """
    if alpha < 0:
        raise ValueError(f"the margin alpha must be >= 0, got {alpha}")
    d_ap, d_an = np.broadcast_arrays(np.asarray(d_ap, float), np.asarray(d_an, float))
    kinds = np.full(d_ap.shape, "easy", dtype=f"<U{max(map(len, TRIPLET_KINDS))}")
    kinds[d_an < d_ap + alpha] = "semi-hard"
    kinds[d_an < d_ap] = "hard"
    return kinds
