"""Load every shipped model offline and measure its quality on held-out data: `python -m training.measure_quality`.

    python -m training.measure_quality [--only detector face transfer style] [--json FILE]

- detector: the YOLO-style detector's AP at IoU 0.5 per class on the 200 held-out street scenes
  (target: car >= 0.6);
- face: the face-embedding network's verification accuracy on the 50 test people, whom training never
  saw, at the distance threshold chosen here on the 30 validation people (target: >= 95 %), and its ROC
  curve on the test pairs;
- transfer: the MobileNetV2 base, pretrained on the 27 outdoor-object classes, on the kite folder. Live, the
  assignment's frozen-base recipe with ONE seed (training/transfer_check.py's first seed: a new head trained
  INITIAL_EPOCHS epochs on the frozen base) judged on 400 fresh kite photos. Fine-tuning, the from-scratch
  baseline and the other seeds take too long to repeat here; the mean and min..max over the seeds that
  training/transfer_check.py recorded ("transfer" in mobilenet_base.metrics.json) are copied and labelled
  as such. Target, judged on those recorded means: the frozen and the fine-tuned base both above the
  network trained from scratch, and fine-tuning above the frozen base;
- style: the style feature extractor: which network ships and why (decided by looking at results side
  by side), and, live, that the shipped network loads and gives VGG19's layers for a content photo.
Every weight file is checked against its recorded SHA-256 as it loads; nothing is downloaded.
Runs in a few minutes on 2 cores (the transfer part is the slowest). The committed output is in
training/reports/measure_quality.txt and .json; the book page "Data and models" reads the JSON.
"""

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

PARTS = ("detector", "face", "transfer", "style")
TARGETS = {"detector": ("car AP@0.5", 0.6), "face": ("verification accuracy", 0.95)}
REPORT = Path(__file__).resolve().parent / "reports" / "measure_quality.json"


def measure_detector():
    """Return the detector's AP@0.5 per class on the held-out street scenes."""
    from cnnbook.data import DETECTION_CLASSES, load_detection_scenes
    from cnnbook.models.yolo_detector import IMAGE_SIZE, load_yolo_detector, read_anchors
    from training.detection_metrics import mean_average_precision

    model = load_yolo_detector()
    images, boxes, classes = load_detection_scenes("test")
    raw = model.predict(images, batch_size=50, verbose=0)
    aps = mean_average_precision(raw, boxes, classes, read_anchors(), IMAGE_SIZE, len(DETECTION_CLASSES))
    return {
        "test_scenes": int(len(images)),
        "ap50": {name: round(ap, 4) for name, ap in zip(DETECTION_CLASSES, aps)},
        "map50": round(float(np.mean(aps)), 4),
        "quality": round(aps[DETECTION_CLASSES.index("car")], 4),
    }


def measure_face():
    """Return the face network's test verification accuracy at a threshold chosen on the validation people, and its
    ROC."""
    from cnnbook.data import load_face_identities
    from cnnbook.models.face_embedding import load_face_embedding
    from training.train_face_embedding import ROC_THRESHOLDS, area_under, evaluate, roc_points

    model = load_face_embedding()
    _, _, validation_accuracy, threshold = evaluate(model, load_face_identities("validation"))
    distances, same, test_accuracy, _ = evaluate(model, load_face_identities("test"), threshold)
    fpr, tpr = roc_points(distances, same)
    roc = {
        "thresholds": [round(float(t), 4) for t in ROC_THRESHOLDS],
        "false_positive_rate": [round(v, 4) for v in fpr],
        "true_positive_rate": [round(v, 4) for v in tpr],
    }
    return {
        "threshold": round(threshold, 4),
        "validation_accuracy": round(validation_accuracy, 4),
        "test_pairs": int(len(same)),
        "test_same_pairs": int(np.sum(same)),
        "test_accuracy": round(test_accuracy, 4),
        "test_roc_auc": round(area_under(fpr, tpr), 4),
        "test_roc": roc,
        "quality": round(test_accuracy, 4),
    }


TRANSFER_MODELS = ("frozen", "fine_tuned", "scratch")


def transfer_target_met(recorded):
    """Return whether recorded mean held-out accuracies meet the transfer target, and the comparisons that fail.

    Arguments:
    recorded -- {"frozen" | "fine_tuned" | "scratch": {"mean": float, ...}}
    Returns:
    (met, failures) -- bool, list of str such as "fine_tuned 0.7000 <= frozen 0.7200"
    """
    mean = {name: recorded[name]["mean"] for name in TRANSFER_MODELS}
    failures = [
        f"{better} {mean[better]:.4f} <= {worse} {mean[worse]:.4f}"
        for better, worse in (("frozen", "scratch"), ("fine_tuned", "scratch"), ("fine_tuned", "frozen"))
        if not mean[better] > mean[worse]
    ]
    return not failures, failures


def measure_transfer():
    """Return the frozen-base recipe's held-out kite accuracy (live, one seed) and the recorded means over the seeds."""
    import keras

    from cnnbook.models.mobilenet_base import mobilenet_base_metrics
    from training import transfer_check as tc

    recorded = mobilenet_base_metrics()["transfer"]  # checked against its recorded SHA-256
    seed = recorded["runs"][0]["seed"]
    keras.utils.set_random_seed(seed)  # the datasets' shuffling follows TensorFlow's global seed too
    train_ds, val_ds = tc.kite_datasets(keras)
    x_held, y_held = tc.held_out_kites()
    keras.utils.set_random_seed(seed)
    base = tc.load_course_base(keras)  # the shipped file, checked against its SHA-256
    base.trainable = False
    model = tc.assignment_model(keras, base)
    val = tc.fit_binary(keras, model, train_ds, val_ds, tc.LEARNING_RATE, tc.INITIAL_EPOCHS)
    result = {
        "live_frozen_seed": seed,
        "live_frozen_epochs": tc.INITIAL_EPOCHS,
        "live_frozen_val_accuracy": val[-1],
        "held_out_images": int(len(y_held)),
        "live_frozen_held_out_accuracy": tc.accuracy_on(model, x_held, y_held),
        "recorded_same_seed_frozen": recorded["runs"][0]["frozen"]["held_out_accuracy"],
    }
    # Written by training/transfer_check.py over several seeds: not measured again here.
    summary = recorded["summary"]
    result["recorded"] = {"seeds": [run["seed"] for run in recorded["runs"]]}
    for name in TRANSFER_MODELS:
        result["recorded"][name] = {
            "mean": summary[name]["held_out_accuracy_mean"],
            "min": summary[name]["held_out_accuracy_min"],
            "max": summary[name]["held_out_accuracy_max"],
        }
    result["target_met"], result["target_failures"] = transfer_target_met(result["recorded"])
    result["quality"] = result["live_frozen_held_out_accuracy"]
    return result


def measure_style():
    """Return which style network ships (and the recorded reason), after checking that it loads and runs."""
    from cnnbook.data import load_content_image
    from cnnbook.models.style_features import load_style_feature_extractor, style_feature_config

    config = style_feature_config()
    model = load_style_feature_extractor(source="course")
    content = load_content_image()[None].astype(np.float32) / 255.0  # (1, n_H, n_W, 3) in 0..1
    names = [f"block{b}_conv1" for b in range(1, 6)]
    import keras

    probe = keras.Model(model.input, [model.get_layer(name).output for name in names])
    outputs = probe.predict(content, verbose=0)
    finite = bool(all(np.all(np.isfinite(o)) for o in outputs))
    results = config.get("comparison", {}).get("results", {})
    mean_ssim = {
        source: round(float(np.mean([r["content_ssim"] for r in rows])), 3) for source, rows in results.items()
    }
    return {
        "choice": config["source"],
        "verdict": config.get("verdict", ""),
        "content_ssim_mean": mean_ssim,
        "layers": {n: list(o.shape[1:]) for n, o in zip(names, outputs)},
        "finite": finite,
        "quality": config["source"],
    }


def report(name, result, seconds):
    """Print one model's figures in a line or two."""
    if name == "detector":
        print(
            f"detector   car AP@0.5 {result['ap50']['car']:.3f} (target >= 0.6) on {result['test_scenes']} held-out "
            f"scenes; all classes {json.dumps(result['ap50'])}, mAP {result['map50']:.3f}  [{seconds:.0f} s]"
        )
    elif name == "face":
        print(
            f"face       verification accuracy {result['test_accuracy']:.1%} (target >= 95%) on {result['test_pairs']} "
            f"pairs of 50 unseen people, threshold {result['threshold']:.3f} chosen on 30 validation people "
            f"({result['validation_accuracy']:.1%} there); ROC AUC {result['test_roc_auc']:.3f}  [{seconds:.0f} s]"
        )
    elif name == "transfer":
        recorded = result["recorded"]
        spread = ", ".join(
            f"{k} {recorded[k]['mean']:.3f} ({recorded[k]['min']:.3f}..{recorded[k]['max']:.3f})"
            for k in TRANSFER_MODELS
        )
        verdict = (
            "target met: frozen and fine-tuned above scratch, fine-tuned above frozen"
            if result["target_met"]
            else "target NOT met: " + "; ".join(result["target_failures"])
        )
        print(
            f"transfer   frozen course base + new head, {result['live_frozen_epochs']} epochs, one seed "
            f"({result['live_frozen_seed']}): {result['live_frozen_held_out_accuracy']:.3f} on "
            f"{result['held_out_images']} held-out kite photos (live; recorded for this seed "
            f"{result['recorded_same_seed_frozen']:.3f})  [{seconds:.0f} s]\n"
            f"           recorded by training/transfer_check.py over seeds {recorded['seeds']}, mean (min..max), "
            f"not re-measured: {spread}\n"
            f"           {verdict}"
        )
    else:
        print(
            f"style      ships the {result['choice']} network (chosen by comparing results side by side); loads and "
            f"runs: {result['finite']}; content SSIM of the compared results {json.dumps(result['content_ssim_mean'])}"
            f"  [{seconds:.0f} s]"
        )


def main_with(argv=None):
    """Measure the parts named on the command line `argv`; return 0, or 1 when a figure is below its target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    measure = {"detector": measure_detector, "face": measure_face, "transfer": measure_transfer, "style": measure_style}
    results, failed = {}, []
    for name in args.only:
        start = time.time()
        results[name] = measure[name]()
        results[name]["seconds"] = round(time.time() - start, 1)
        report(name, results[name], results[name]["seconds"])
        if name in TARGETS and results[name]["quality"] < TARGETS[name][1]:
            failed.append(f"{name}: {TARGETS[name][0]} {results[name]['quality']:.3f} < {TARGETS[name][1]}")
        if name == "transfer" and not results[name]["target_met"]:
            failed.append("transfer: " + "; ".join(results[name]["target_failures"]))
    if args.json:
        with open(args.json, "w") as fh:
            fh.write(json.dumps(results, indent=1) + "\n")
    if failed:
        print("BELOW TARGET: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main_with())
