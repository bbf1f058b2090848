#!/usr/bin/env python3
"""Generate a tiny, deterministic Cityscapes-layout data set for reference checks.

Layout written under OUT (default ./toy_cityscapes):

  gtFine/val/<city>/<city>_<seq>_<frame>_gtFine_labelIds.png       uint8, labelIds 0..33
  gtFine/val/<city>/<city>_<seq>_<frame>_gtFine_instanceIds.png    uint16 (labelId*1000+k or labelId)
  gtFine/val/<city>/<city>_<seq>_<frame>_gtFine_labelTrainIds.png  uint8, trainIds 0..18 / 255
  pred_labelIds/<city>/<city>_<seq>_<frame>_leftImg8bit.png        uint8 labelIds  (cityscapes mode)
  pred_trainIds/<city>/<city>_<seq>_<frame>_leftImg8bit.png        uint8 trainIds  (mmseg mode)

2 cities x 3 images, 64 x 128 pixels, made of 8x8 cells.

Deliberate properties (so every branch of the reference evaluators is exercised):
  * GT contains every labelId 0..33 except 'train' (31) and 'motorcycle' (32):
    all 16 ignored ids are present (0-6, 9, 10, 14-16, 18, 29 caravan, 30 trailer).
  * 'train' (31) is never in GT but is predicted   -> IoU 0 (cityscapes and mmseg), iIoU 0.
  * 'motorcycle' (32) is neither in GT nor predicted -> IoU NaN / null everywhere.
  * 'wall' (12) is in GT but never predicted        -> IoU 0, Acc/Recall 0, Precision NaN.
  * 'traffic light' (19) is in GT and predicted, but never correctly (tp = 0)
                                                    -> IoU 0, Dice 0, but mmseg Fscore NaN.
  * 'bicycle' (33) occurs only as a crowd region (instanceId == 33, no instance number),
    so it has no instances -> iIoU tp=fn=0, iIoU = 0 if it has false positives.
  * instance ids start at 0 within each class (e.g. 24000, 24001, 26000, 26001 ...);
    some car/person cells are crowd regions (instanceId == labelId).
  * caravan/trailer (ignored, but hasInstances) carry instance ids (29000 ...).
  * predictions contain ignored ids (0, 4, 9, 14, 29, 30 ...) on evaluated GT pixels,
    caravan (29) predicted on car instances (counts for the 'vehicle' category iIoU tp
    in cityscapesScripts, but as a miss for the 'vehicle' category IoU).
  * the trainId predictions additionally contain out-of-range values 19 and 200
    (mmseg drops them from the prediction histogram only).
"""
import argparse
import os

import numpy as np
from PIL import Image

H, W, CELL = 64, 128, 8
CITIES = ["alpha", "beta"]

# labelId -> trainId (Cityscapes labels.py, ids 0..33)
TRAIN_ID = {7: 0, 8: 1, 11: 2, 12: 3, 13: 4, 17: 5, 19: 6, 20: 7, 21: 8, 22: 9, 23: 10,
            24: 11, 25: 12, 26: 13, 27: 14, 28: 15, 31: 16, 32: 17, 33: 18}
HAS_INSTANCES = {24, 25, 26, 27, 28, 29, 30, 31, 32, 33}
IGNORED = [0, 1, 2, 3, 4, 5, 6, 9, 10, 14, 15, 16, 18, 29, 30]

GT_IDS = [i for i in range(34) if i not in (31, 32)]          # 32 ids in GT
PRED_NOISE_IDS = [i for i in range(34) if i not in (12, 32)]  # never predict wall / motorcycle


def to_train(arr):
    lut = np.full(256, 255, dtype=np.uint8)
    for lid, tid in TRAIN_ID.items():
        lut[lid] = tid
    return lut[arr]


def make_image(rng, index):
    rows, cols = H // CELL, W // CELL
    n = rows * cols
    # every GT id appears in every image at least once (ids rotated per image), rest random
    ids = list(np.roll(GT_IDS, index * 5))
    # weight the evaluated classes a bit more than the ignored ones
    common = [7, 8, 11, 12, 13, 17, 21, 23, 24, 26, 26, 24, 25, 27, 28]
    ids += list(rng.choice(common, size=n - len(ids)))
    ids = np.array(ids, dtype=np.int64)
    rng.shuffle(ids)
    cell_ids = ids.reshape(rows, cols)

    label = np.kron(cell_ids, np.ones((CELL, CELL), dtype=np.int64)).astype(np.uint8)
    inst = label.astype(np.uint16).copy()
    counters = {}
    for r in range(rows):
        for c in range(cols):
            lid = int(cell_ids[r, c])
            if lid not in HAS_INSTANCES or lid == 33:
                continue  # stuff class, or bicycle as crowd only: instanceId == labelId
            if lid in (24, 26) and rng.random() < 0.2:
                continue  # crowd region
            k = counters.get(lid, 0)
            counters[lid] = k + 1
            sl = (slice(r * CELL, (r + 1) * CELL), slice(c * CELL, (c + 1) * CELL))
            inst[sl] = lid * 1000 + k
            # some instances span two cells: merge with the right neighbour if same class
            if c + 1 < cols and int(cell_ids[r, c + 1]) == lid and rng.random() < 0.5:
                inst[r * CELL:(r + 1) * CELL, (c + 1) * CELL:(c + 2) * CELL] = lid * 1000 + k
                cell_ids[r, c + 1] = -lid  # consumed (label image is already written)

    # ---- prediction (labelIds) ----
    pred = label.copy()
    # shift a horizontal band by 3 pixels -> boundary errors on many cells
    band = slice(16, 40)
    pred[band] = np.roll(pred[band], 3, axis=1)
    # random pixel noise (includes ignored ids, never 12 or 32)
    noise = rng.random((H, W)) < 0.12
    pred[noise] = rng.choice(PRED_NOISE_IDS, size=int(noise.sum()))
    # wall is never predicted
    pred[pred == 12] = 11
    # motorcycle never predicted (could only come from GT, which has none) - be explicit
    pred[pred == 32] = 26
    # bus GT cells -> partially predicted as train (train is never in GT)
    bus = label == 28
    pred[bus & (rng.random((H, W)) < 0.4)] = 31
    # car instances: a chunk predicted as caravan (ignored id but in 'vehicle')
    car = label == 26
    pred[car & (rng.random((H, W)) < 0.15)] = 29
    # traffic light (19) is in GT and predicted elsewhere, but never where GT is 19:
    # tp = 0 with pred > 0 and gt > 0 -> mmseg precision = recall = 0 -> Fscore 0/0 = NaN
    pred[(label == 19) & (pred == 19)] = 20
    # ignored ids predicted in a block on evaluated GT
    pred[56:64, 0:16] = 9
    pred[0:8, 120:128] = 4

    # ---- trainId prediction ----
    pred_t = to_train(pred)
    oor = rng.random((H, W)) < 0.01
    pred_t[oor] = rng.choice([19, 200], size=int(oor.sum())).astype(np.uint8)
    return label, inst, pred, pred_t


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="toy_cityscapes")
    ap.add_argument("--seed", type=int, default=20240611)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    index = 0
    for ci, city in enumerate(CITIES):
        for j in range(3):
            stem = "{}_{:06d}_{:06d}".format(city, ci, 19 + j * 10)
            label, inst, pred, pred_t = make_image(rng, index)
            index += 1
            gdir = os.path.join(a.out, "gtFine", "val", city)
            pdir = os.path.join(a.out, "pred_labelIds", city)
            tdir = os.path.join(a.out, "pred_trainIds", city)
            for d in (gdir, pdir, tdir):
                os.makedirs(d, exist_ok=True)
            Image.fromarray(label).save(os.path.join(gdir, stem + "_gtFine_labelIds.png"))
            Image.fromarray(inst).save(os.path.join(gdir, stem + "_gtFine_instanceIds.png"))
            Image.fromarray(to_train(label)).save(
                os.path.join(gdir, stem + "_gtFine_labelTrainIds.png"))
            Image.fromarray(pred).save(os.path.join(pdir, stem + "_leftImg8bit.png"))
            Image.fromarray(pred_t).save(os.path.join(tdir, stem + "_leftImg8bit.png"))
    print("wrote {} images to {}".format(index, a.out))


if __name__ == "__main__":
    main()
