#!/usr/bin/env python3
"""The evaluator a user writes in an afternoon: the speed peer of `segspark evaluate --predictions`.

mmseg semantics on Cityscapes-layout data: ground truth `*_gtFine_labelTrainIds.png`, predictions
`predictions/trainIds/<city>/<stem>_pred_trainIds.png` (as `segspark synth --with-predictions`
writes them), ignore index 255, 19 classes. One process: PIL decodes, numpy's bincount counts,
the per-class IoU and mIoU come from the summed confusion matrix (mmseg's
intersect_and_union + total_area_to_metrics arithmetic). Prints mIoU and aAcc, so that the
numbers can be checked against segspark's report.json.

Usage: plain_semantic_eval.py DATA_ROOT [--split val] [--num-classes 19]
"""
import argparse
import glob
import json
import os
import sys
import time

import numpy as np
from PIL import Image


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root")
    ap.add_argument("--split", default="val")
    ap.add_argument("--num-classes", type=int, default=19)
    ap.add_argument("--ignore-index", type=int, default=255)
    a = ap.parse_args()
    t0 = time.time()
    n = a.num_classes
    # rows: ground truth 0..n-1; columns: prediction 0..n-1, and n for any value outside [0, n)
    cm = np.zeros(n * (n + 1), dtype=np.int64)
    gts = sorted(glob.glob(os.path.join(a.root, "gtFine", a.split, "*", "*_gtFine_labelTrainIds.png")))
    if not gts:
        sys.exit("no ground truth under " + a.root)
    for gt_path in gts:
        city = os.path.basename(os.path.dirname(gt_path))
        stem = os.path.basename(gt_path)[: -len("_gtFine_labelTrainIds.png")]
        pred_path = os.path.join(a.root, "predictions", "trainIds", city, stem + "_pred_trainIds.png")
        gt = np.asarray(Image.open(gt_path)).ravel()
        pred = np.asarray(Image.open(pred_path)).ravel()
        # mmseg: pixels whose label is the ignore index are dropped; a predicted value outside
        # [0, n) counts in the label's area but in no class's predicted area
        keep = gt != a.ignore_index
        cell = gt[keep].astype(np.int64) * (n + 1) + np.minimum(pred[keep], n)
        cm += np.bincount(cell, minlength=n * (n + 1))
    cm = cm.reshape(n, n + 1)
    tp = np.diag(cm[:, :n]).astype(np.float64)
    area_label = cm.sum(1)
    union = cm[:, :n].sum(0) + area_label - tp
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = tp / union
    out = {
        "images": len(gts),
        "mIoU": float(np.nanmean(iou)),
        "aAcc": float(tp.sum() / area_label.sum()),
        "seconds": time.time() - t0,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
