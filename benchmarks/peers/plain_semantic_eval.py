#!/usr/bin/env python3
"""The evaluator a user writes in an afternoon: the speed peer of `segspark evaluate --predictions`.

mmseg semantics on Cityscapes-layout data: ground truth `*_gtFine_labelTrainIds.png`, predictions
`predictions/trainIds/<city>/<stem>_leftImg8bit.png` (as `segspark synth --with-predictions`
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
    cm = np.zeros(n * n, dtype=np.int64)
    gts = sorted(glob.glob(os.path.join(a.root, "gtFine", a.split, "*", "*_gtFine_labelTrainIds.png")))
    if not gts:
        sys.exit("no ground truth under " + a.root)
    for gt_path in gts:
        city = os.path.basename(os.path.dirname(gt_path))
        stem = os.path.basename(gt_path)[: -len("_gtFine_labelTrainIds.png")]
        pred_path = os.path.join(a.root, "predictions", "trainIds", city, stem + "_leftImg8bit.png")
        gt = np.asarray(Image.open(gt_path), dtype=np.int64).ravel()
        pred = np.asarray(Image.open(pred_path), dtype=np.int64).ravel()
        keep = gt != a.ignore_index
        cm += np.bincount(gt[keep] * n + pred[keep], minlength=n * n)[: n * n]
    cm = cm.reshape(n, n)
    tp = np.diag(cm).astype(np.float64)
    union = cm.sum(0) + cm.sum(1) - tp
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = tp / union
    out = {
        "images": len(gts),
        "mIoU": float(np.nanmean(iou)),
        "aAcc": float(tp.sum() / cm.sum()),
        "seconds": time.time() - t0,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
