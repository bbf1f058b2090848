#!/usr/bin/env python3
"""Write deterministic, deliberately perturbed panoptic predictions for coco-panoptic-mini.

Input : a COCO panoptic ground truth (panoptic.json + panoptic/<file_name>.png, segment id =
        R + 256*G + 256^2*B, 0 = VOID), by default evaluation/src/test/resources/coco-panoptic-mini.
Output: OUT/pred/<file_name>.png (same file names as the GT annotations) and OUT/pred.json
        (COCO panoptic prediction format: annotations with image_id, file_name and
        segments_info [{id, category_id}] - no iscrowd, no area; plus images and categories
        copied from the ground truth), by default jobs/src/test/resources/panoptic/.

The perturbations are chosen image by image so that every rule of panopticapi's pq_compute
is exercised (TP with IoU < 1, IoU exactly 0.5 = no match, relabelled / dropped / shrunk
segments, spurious segments, predictions over VOID and over crowd regions, the
"> 0.5 ignored" boundary, VOID pixels removed from the union, several predicted segments of
one stuff category, merged segments).  The list is printed and is also in
notebooks/reference/README.md.  Predicted segment ids are fresh random 24-bit ids (fixed
seed), unique per image.  Only numpy and Pillow are used.

usage: make_panoptic_predictions.py [--gt-dir DIR] [--out DIR] [--seed N]
"""
import argparse
import json
import os

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_GT = os.path.join(REPO, "evaluation", "src", "test", "resources", "coco-panoptic-mini")
DEFAULT_OUT = os.path.join(REPO, "jobs", "src", "test", "resources", "panoptic")


# ------------------------------------------------------------------ mask helpers

def rgb_to_id(a):
    a = a.astype(np.int64)
    return a[..., 0] + 256 * a[..., 1] + 65536 * a[..., 2]


def id_to_rgb(ids):
    out = np.zeros(ids.shape + (3,), np.uint8)
    out[..., 0] = ids & 255
    out[..., 1] = (ids >> 8) & 255
    out[..., 2] = (ids >> 16) & 255
    return out


def shift(mask, dy, dx):
    """Translate a boolean mask by (dy, dx) pixels, no wrap-around."""
    h, w = mask.shape
    out = np.zeros_like(mask)
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = mask[ys, xs]
    return out


def erode(mask, n=1):
    for _ in range(n):
        m = mask.copy()
        for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            m &= shift(mask, dy, dx)
        mask = m
    return mask


def dilate(mask, n=1):
    for _ in range(n):
        m = mask.copy()
        for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            m |= shift(mask, dy, dx)
        mask = m
    return mask


def box(shape, r0, r1, c0, c1):
    """Boolean mask of rows r0..r1-1, columns c0..c1-1."""
    m = np.zeros(shape, bool)
    m[r0:r1, c0:c1] = True
    return m


# ------------------------------------------------------------------ prediction builder

class Pred:
    """A prediction under construction: a map of local keys (0 = VOID) painted in order."""

    def __init__(self, gt_ids, gt_segs):
        self.gt = gt_ids
        self.segs = {s["id"]: s for s in gt_segs}
        self.keys = np.zeros(gt_ids.shape, np.int64)
        self.cats = {}   # key -> category_id
        self.notes = {}  # key -> text
        self.log = []

    def mask(self, gt_id):
        return self.gt == gt_id

    def new(self, cat, note):
        k = len(self.cats) + 1
        self.cats[k] = cat
        self.notes[k] = note
        return k

    def paint(self, mask, key):
        self.keys[mask] = key

    def add(self, mask, cat, note):
        k = self.new(cat, note)
        self.paint(mask, k)
        return k

    def void(self, mask, note=None):
        self.keys[mask] = 0
        if note:
            self.log.append(note)

    def copy(self, gt_id, note="copied"):
        s = self.segs[gt_id]
        return self.add(self.mask(gt_id), s["category_id"], "gt %d %s" % (gt_id, note))

    def void_squares(self, rng, within, n, size):
        """Set n size x size squares (top-left corner drawn inside `within`) to VOID."""
        ys, xs = np.nonzero(within)
        h, w = self.keys.shape
        for i in rng.choice(len(ys), n, replace=False):
            y, x = ys[i], xs[i]
            self.keys[y:min(h, y + size), x:min(w, x + size)] = 0
        self.log.append("%d VOID squares %dx%d" % (n, size, size))


def things_and_stuff(p, cats):
    stuff = [i for i, s in p.segs.items() if cats[s["category_id"]]["isthing"] == 0]
    things = [i for i, s in p.segs.items()
              if cats[s["category_id"]]["isthing"] == 1 and s["iscrowd"] == 0]
    crowd = [i for i, s in p.segs.items() if s["iscrowd"] == 1]
    return stuff, things, crowd


# ------------------------------------------------------------------ per-image recipes
# Painting order: stuff, crowd-region predictions, things, extras (later paint wins).
# Pixels that no predicted segment covers stay VOID (0).

def img_142238(p, rng, cats):
    stuff, things, crowd = things_and_stuff(p, cats)
    sky, tree, grass = 11829830, 2330219, 10025880
    p.copy(tree)
    p.copy(grass)
    # one stuff category predicted as two segments: sky split at column 600
    m = p.mask(sky)
    left = np.zeros_like(m)
    left[:, :600] = True
    p.add(m & left, 187, "gt sky part x<600 (TP, IoU<1)")
    p.add(m & ~left, 187, "gt sky part x>=600: 2nd sky segment (FP)")
    # the person crowd region predicted as two person segments (100% crowd -> ignored)
    c = p.mask(3153362)
    half = np.zeros_like(c)
    half[:, :330] = True
    p.add(c & half, 1, "person over crowd x<330 (ignored)")
    p.add(c & ~half, 1, "person over crowd x>=330 (ignored)")
    for t in things:
        cat = p.segs[t]["category_id"]
        if t == 4917453:   # shrunk: only the top 35% rows of its box -> IoU < 0.5
            m = p.mask(t)
            ys = np.nonzero(m)[0]
            cut = ys.min() + int(0.35 * (ys.max() - ys.min() + 1))
            mm = m.copy()
            mm[cut:] = False
            p.add(mm, cat, "gt %d shrunk to top 35%% (FP+FN)" % t)
        elif t == 3997935:  # dropped: pixels given to the grass segment
            gk = [k for k, n in p.notes.items() if n.startswith("gt %d " % grass)][0]
            p.paint(p.mask(t), gk)
            p.log.append("gt %d dropped, pixels -> grass (FN)" % t)
        elif t == 16757838:  # sports ball relabelled as frisbee
            p.add(p.mask(t), 34, "gt %d sports ball relabelled frisbee (FP 34 + FN 37)" % t)
        else:
            dy, dx = 0, 0
            while dy == 0 and dx == 0:
                dy, dx = (int(v) for v in rng.integers(-2, 3, size=2))
            p.add(shift(p.mask(t), dy, dx), cat, "gt %d shifted (%d,%d)" % (t, dy, dx))
    p.void_squares(rng, p.mask(tree) & (p.keys > 0), 12, 6)


def img_439180(p, rng, cats):
    stuff, things, crowd = things_and_stuff(p, cats)
    tree, sky, grass, gravel = 2330219, 11829830, 10025880, 11881084
    p.copy(tree)
    p.copy(sky)
    # two stuff segments (of two categories) merged into one predicted segment
    p.add(p.mask(grass) | p.mask(gravel), 193,
          "gt grass + gt gravel merged as one grass segment (grass TP, gravel FN)")
    # person crowd: left part predicted as person (ignored), a strip on the right as horse
    c = p.mask(5120499)
    xs = np.nonzero(c)[1]
    cut = int(np.percentile(xs, 50))
    right = np.zeros_like(c)
    right[:, cut:] = True
    p.add(c & ~right, 1, "person over person-crowd left half (ignored)")
    strip = np.zeros_like(c)
    strip[:, 600:] = True
    p.add(c & strip, 19, "horse over PERSON crowd x>=600 (FP: crowd of another category)")
    # horse crowd: predicted horse = crowd dilated by 2 px (mostly crowd -> ignored)
    p.add(dilate(p.mask(16175517), 2), 19, "horse over horse-crowd dilated 2px (ignored)")
    trucks = [4587520, 6094848]
    p.add(p.mask(trucks[0]) | p.mask(trucks[1]), 8,
          "gt trucks %d + %d merged (TP with the larger, FN smaller)" % tuple(trucks))
    for t in things:
        cat = p.segs[t]["category_id"]
        if t in trucks:
            continue
        if t == 15714220:
            p.add(p.mask(t), 21, "gt %d horse relabelled cow (FP 21 + FN 19)" % t)
        elif t == 16762012:
            p.log.append("gt %d horse dropped, pixels VOID (FN)" % t)
        elif cat == 1 and p.segs[t]["area"] > 1000:
            p.add(erode(p.mask(t), 1), cat, "gt %d eroded 1px" % t)
        else:
            dy, dx = 0, 0
            while dy == 0 and dx == 0:
                dy, dx = (int(v) for v in rng.integers(-1, 2, size=2))
            p.add(shift(p.mask(t), dy, dx), cat, "gt %d shifted (%d,%d)" % (t, dy, dx))
    p.add(box(p.gt.shape, 330, 345, 560, 590), 1, "spurious person on grass (FP)")


def synth_common(p, skip=()):
    for gid in (1, 2, 3):  # sky, road, house
        if gid not in skip:
            p.copy(gid)


def img_900000(p, rng, cats):
    synth_common(p, skip=(1,))
    m = p.mask(1)
    left = np.zeros_like(m)
    left[:, :100] = True
    p.add(m & left, 187, "sky left half: IoU exactly 0.5 (FP, no match)")
    p.add(m & ~left, 187, "sky right half: IoU exactly 0.5 (FP); gt sky FN")
    p.add(dilate(p.mask(5), 1) & ((p.gt == 0) | p.mask(5)), 1,
          "person = crowd + 1px ring of VOID (ignored)")
    p.add(shift(p.mask(4), 0, 2), 3, "car shifted (0,2) (TP)")
    p.add(box(p.gt.shape, 60, 66, 80, 90), 11,
          "fire hydrant fully on VOID (ignored; category stays out of n)")
    p.void_squares(rng, p.mask(2), 3, 4)


def img_900001(p, rng, cats):
    synth_common(p)
    m = p.mask(5)
    ys = np.nonzero(m)[0]
    top = m.copy()
    top[ys.min() + 9:] = False
    p.add(top, 3, "car 5 top half (144/288): IoU exactly 0.5 (FP + FN)")
    p.add(dilate(p.mask(4), 2) & ((p.gt == 0) | p.mask(4)), 3,
          "car 4 dilated 2px into VOID: IoU 1.0 (VOID not in union)")
    p.add(shift(p.mask(6), 0, 7), 3,
          "car 6 shifted 7px into VOID: IoU 180/320 > 0.5 only thanks to VOID rule (TP)")
    p.add(box(p.gt.shape, 10, 20, 30, 50), 6, "spurious bus in sky (FP)")
    p.void_squares(rng, p.mask(2), 3, 4)


def img_900002(p, rng, cats):
    synth_common(p, skip=(3,))
    p.add(p.mask(3), 197, "house relabelled building-other-merged (FP 197 + FN 128)")
    p.add(box(p.gt.shape, 30, 60, 150, 170), 1,
          "person: 300 crowd + 100 VOID + 200 sky px (ignored, 400/600 > 0.5)")
    p.add(box(p.gt.shape, 45, 60, 170, 190) & p.mask(7), 3,
          "car over PERSON crowd (FP: crowd of another category)")
    p.add(shift(p.mask(5), -1, 0), 3, "car 5 shifted (-1,0)")
    p.add(erode(p.mask(4), 1), 3, "car 4 eroded 1px")
    p.add(shift(p.mask(6), 1, 1), 3, "car 6 shifted (1,1)")


def img_900003(p, rng, cats):
    synth_common(p, skip=(2,))
    m = p.mask(2)
    left = np.zeros_like(m)
    left[:, :170] = True
    p.add(m & left, 149, "road x<170 (TP)")
    p.add(m & ~left, 149, "road x>=170: 2nd road segment (FP)")
    b = box(p.gt.shape, 80, 100, 100, 110)
    assert (p.gt[80:90, 100:110] == 0).all() and (p.gt[90:100, 100:110] == 2).all()
    p.add(b, 3, "car: exactly 100 VOID + 100 road px -> 0.5 not > 0.5 (FP)")
    p.log.append("car 4 dropped, pixels VOID (FN)")
    p.add(shift(p.mask(5), 2, -1), 3, "car 5 shifted (2,-1)")


def img_900004(p, rng, cats):
    synth_common(p)
    p.add(p.mask(5), 1, "person exactly on crowd (ignored)")
    p.add(erode(p.mask(4), 1), 3, "car 4 eroded 1px (252/320)")
    p.add(box(p.gt.shape, 95, 115, 120, 150), 199,
          "wall-other-merged on road (FP; stuff category only in prediction)")


def img_900005(p, rng, cats):
    synth_common(p, skip=(3,))
    m = p.mask(3)
    ys = np.nonzero(m)[0]
    top = m.copy()
    top[ys.min() + 36:] = False
    p.add(top, 128, "house top 36 rows (TP)")
    p.add(m & ~top, 128, "house bottom rows: 2nd house segment (FP)")
    p.add(p.mask(4), 8, "car 4 relabelled truck (FP 8 + FN 3)")
    p.add(shift(p.mask(5), 1, 1), 3, "car 5 shifted (1,1)")
    p.add(shift(p.mask(6), -1, 2), 3, "car 6 shifted (-1,2)")
    p.void(box(p.gt.shape, 38, 40, 0, 200), "sky rows 38-39 VOID strip")


RECIPES = {142238: img_142238, 439180: img_439180, 900000: img_900000, 900001: img_900001,
           900002: img_900002, 900003: img_900003, 900004: img_900004, 900005: img_900005}


# ------------------------------------------------------------------ main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gt-dir", default=DEFAULT_GT,
                    help="folder with panoptic.json and panoptic/ (default: %(default)s)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=20240611)
    a = ap.parse_args(argv)

    with open(os.path.join(a.gt_dir, "panoptic.json")) as f:
        gt = json.load(f)
    cats = {c["id"]: c for c in gt["categories"]}
    rng = np.random.default_rng(a.seed)
    os.makedirs(os.path.join(a.out, "pred"), exist_ok=True)

    anns = []
    for ann in gt["annotations"]:
        iid = ann["image_id"]
        gt_ids = rgb_to_id(np.array(Image.open(os.path.join(a.gt_dir, "panoptic", ann["file_name"]))
                                    .convert("RGB")))
        p = Pred(gt_ids, ann["segments_info"])
        RECIPES[iid](p, rng, cats)

        keys, counts = np.unique(p.keys, return_counts=True)
        present = {int(k): int(c) for k, c in zip(keys, counts) if k != 0}
        new_ids = rng.choice(np.arange(1, 1 << 24), size=len(p.cats), replace=False)
        out_ids = np.zeros(p.keys.shape, np.int64)
        segs = []
        print("image %d (%s)" % (iid, ann["file_name"]))
        for k in sorted(p.cats):
            if k not in present:
                print("   (dropped, no pixel left) %s" % p.notes[k])
                continue
            sid = int(new_ids[k - 1])
            out_ids[p.keys == k] = sid
            segs.append({"id": sid, "category_id": p.cats[k]})
            print("   id %8d cat %3d area %6d  %s" % (sid, p.cats[k], present[k], p.notes[k]))
        for line in p.log:
            print("   %s" % line)
        print("   VOID pixels: %d" % int((out_ids == 0).sum()))
        order = rng.permutation(len(segs))  # JSON order must not matter
        Image.fromarray(id_to_rgb(out_ids), "RGB").save(
            os.path.join(a.out, "pred", ann["file_name"]), optimize=True)
        anns.append({"image_id": iid, "file_name": ann["file_name"],
                     "segments_info": [segs[i] for i in order]})

    anns.reverse()  # annotations are matched by image_id, not by position
    pred = {"annotations": anns, "images": gt["images"], "categories": gt["categories"]}
    with open(os.path.join(a.out, "pred.json"), "w") as f:
        json.dump(pred, f, indent=1)
        f.write("\n")
    print("wrote %s and %s" % (os.path.join(a.out, "pred.json"), os.path.join(a.out, "pred")))


if __name__ == "__main__":
    main()
