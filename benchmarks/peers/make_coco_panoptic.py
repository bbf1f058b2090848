#!/usr/bin/env python3
"""Writes a deterministic COCO-panoptic-like evaluation set: ground truth and predictions.

  make_coco_panoptic.py OUT [--images 500] [--width 640] [--height 480] [--seed 13]

OUT/gt.json, OUT/gt/*.png, OUT/pred.json, OUT/pred/*.png in the layout of
`segspark evaluate --task panoptic --gt-json OUT/gt.json --gt-dir OUT/gt --pred-json
OUT/pred.json --pred-dir OUT/pred` and of panopticapi's `pq_compute(gt_json, pred_json,
gt_folder, pred_folder)`. PNGs are 8-bit RGB, id = R + 256*G + 256^2*B, written by PIL with its
default settings, like COCO's own panoptic PNGs; ids are random 24-bit values, as in COCO.

Per image (numpy Generator seeded by (seed, image index); same bytes on every run with the same
numpy, PIL and zlib):
- ground truth: 4-8 stuff regions (a sky band with a wavy horizon, a floor band, irregular
  polygons) and 14-32 things (blob polygons and ellipses, painted in depth order so they occlude
  each other); about one image in three has a crowd region (iscrowd 1, a thing category); VOID
  (id 0) on the boundary pixels between segments and in a few unlabelled blobs;
- predictions: the same scene with every shape perturbed (shifted, rescaled, vertices jittered),
  some things missed, some category confusions, some pairs of same-category things merged into
  one segment, a few false positives, and instances predicted inside the crowd region.
The JSON lists exactly the ids present in each PNG, with the areas and boxes counted from it.
Categories: the 133 COCO panoptic categories of the test fixture coco-panoptic-mini.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CATEGORIES = os.path.join(ROOT, "evaluation/src/test/resources/coco-panoptic-mini/panoptic.json")


def blob(rng, cx, cy, r, n=None, rough=0.35):
    """A star-shaped irregular polygon around (cx, cy) of mean radius r."""
    n = n or int(rng.integers(7, 16))
    angles = np.sort(rng.uniform(0, 2 * math.pi, n))
    radii = r * (1 + rng.uniform(-rough, rough, n))
    return [("poly", [(float(cx + a * math.cos(t)), float(cy + a * math.sin(t)))
                      for t, a in zip(angles, radii)])]


def ellipse(cx, cy, rx, ry):
    return [("ellipse", (float(cx - rx), float(cy - ry), float(cx + rx), float(cy + ry)))]


def band(rng, w, h, y0, y1, top):
    """Sky (top) or floor band with a wavy boundary near y0..y1."""
    xs = np.linspace(0, w, int(rng.integers(6, 14)))
    ys = rng.uniform(y0, y1, len(xs))
    edge = [(float(x), float(y)) for x, y in zip(xs, ys)]
    if top:
        return [("poly", [(0.0, -1.0), (float(w), -1.0)] + edge[::-1])]
    return [("poly", edge + [(float(w), float(h + 1)), (0.0, float(h + 1))])]


def scene(rng, w, h, things, stuff):
    """Shapes in painting order: (category_id, iscrowd, parts)."""
    shapes = []
    shapes.append((int(rng.choice(stuff)), 0, [("rect", (0, 0, w, h))]))  # background stuff
    shapes.append((int(rng.choice(stuff)), 0, band(rng, w, h, 0.2 * h, 0.45 * h, True)))
    shapes.append((int(rng.choice(stuff)), 0, band(rng, w, h, 0.6 * h, 0.85 * h, False)))
    for _ in range(int(rng.integers(1, 6))):
        cx, cy = rng.uniform(0, w), rng.uniform(0.2 * h, 0.8 * h)
        shapes.append((int(rng.choice(stuff)), 0, blob(rng, cx, cy, rng.uniform(40, 140))))
    if rng.random() < 0.35:  # a crowd: one region of a thing category
        cx, cy = rng.uniform(0.2 * w, 0.8 * w), rng.uniform(0.4 * h, 0.8 * h)
        shapes.append((int(rng.choice(things[:5])), 1, blob(rng, cx, cy, rng.uniform(40, 80))))
    for _ in range(int(rng.integers(14, 33))):
        cx, cy = rng.uniform(0, w), rng.uniform(0.1 * h, h)
        r = float(np.clip(rng.lognormal(math.log(22), 0.6), 6, 120))
        cat = int(rng.choice(things))
        if rng.random() < 0.5:
            parts = ellipse(cx, cy, r * rng.uniform(0.5, 1.2), r * rng.uniform(0.6, 1.6))
        else:
            parts = blob(rng, cx, cy, r)
        shapes.append((cat, 0, parts))
    return shapes


def perturb(rng, parts, scale):
    """Shifts, rescales and jitters one shape's parts, like a prediction's boundaries."""
    dx, dy = rng.normal(0, 3 * scale, 2)
    s = 1 + rng.normal(0, 0.06 * scale)
    out = []
    for kind, geo in parts:
        if kind == "rect":
            out.append((kind, geo))
        elif kind == "ellipse":
            x0, y0, x1, y1 = geo
            cx, cy, rx, ry = (x0 + x1) / 2 + dx, (y0 + y1) / 2 + dy, (x1 - x0) / 2, (y1 - y0) / 2
            out.append((kind, (cx - rx * s, cy - ry * s, cx + rx * s, cy + ry * s)))
        else:
            xs = np.array([p[0] for p in geo])
            ys = np.array([p[1] for p in geo])
            mx, my = xs.mean(), ys.mean()
            jx = rng.normal(0, 2.5 * scale, len(xs))
            jy = rng.normal(0, 2.5 * scale, len(xs))
            out.append((kind, [(float(mx + (x - mx) * s + dx + a), float(my + (y - my) * s + dy + b))
                               for x, y, a, b in zip(xs, ys, jx, jy)]))
    return out


def paint(w, h, slots):
    """slots: list of parts lists; slot k + 1 painted in order. Returns int32 slot map."""
    im = Image.new("I", (w, h), 0)
    draw = ImageDraw.Draw(im)
    for k, parts in enumerate(slots):
        for kind, geo in parts:
            if kind == "rect":
                draw.rectangle(geo, fill=k + 1)
            elif kind == "ellipse":
                draw.ellipse(geo, fill=k + 1)
            else:
                draw.polygon(geo, fill=k + 1)
    return np.array(im, dtype=np.int32)


def random_ids(rng, n):
    ids = set()
    out = []
    while len(out) < n:
        v = int(rng.integers(1, 1 << 24))
        if v not in ids:
            ids.add(v)
            out.append(v)
    return out


def write_png(path, ids):
    rgb = np.stack([ids & 0xFF, (ids >> 8) & 0xFF, (ids >> 16) & 0xFF], axis=-1).astype(np.uint8)
    Image.fromarray(rgb, "RGB").save(path)


def segments_info(ids, cat_of_id, crowd_of_id):
    """One entry per id present in the PNG, in ascending id order, area and bbox counted."""
    flat = ids.ravel()
    present, counts = np.unique(flat, return_counts=True)
    h, w = ids.shape
    info = []
    for seg_id, area in zip(present.tolist(), counts.tolist()):
        if seg_id == 0:
            continue
        ys, xs = np.nonzero(ids == seg_id)
        info.append({"id": seg_id, "category_id": cat_of_id[seg_id],
                     "iscrowd": crowd_of_id.get(seg_id, 0), "area": area,
                     "bbox": [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1),
                              int(ys.max() - ys.min() + 1)]})
    return info


def ground_truth(rng, w, h, shapes):
    slot_map = paint(w, h, [parts for _, _, parts in shapes])
    ids_of_slot = np.array([0] + random_ids(rng, len(shapes)), dtype=np.int64)
    ids = ids_of_slot[slot_map]
    # VOID: boundary pixels between segments, as in COCO's annotations, and unlabelled blobs
    edge = np.zeros_like(ids, dtype=bool)
    edge[:, :-1] |= ids[:, :-1] != ids[:, 1:]
    edge[:-1, :] |= ids[:-1, :] != ids[1:, :]
    ids[edge] = 0
    holes = paint(w, h, [blob(rng, rng.uniform(0, w), rng.uniform(0, h), rng.uniform(8, 30))
                         for _ in range(int(rng.integers(0, 4)))])
    ids[holes > 0] = 0
    cat_of_id = {int(ids_of_slot[k + 1]): c for k, (c, _, _) in enumerate(shapes)}
    crowd_of_id = {int(ids_of_slot[k + 1]): 1 for k, (_, z, _) in enumerate(shapes) if z}
    return ids, cat_of_id, crowd_of_id


def prediction(rng, w, h, shapes, things):
    thing_set = set(things)
    slots, cats, merge_into = [], [], {}
    for k, (cat, crowd, parts) in enumerate(shapes):
        if crowd:  # the model sees instances inside a crowd region
            (_, geo), = parts
            xs = [p[0] for p in geo]
            ys = [p[1] for p in geo]
            for _ in range(int(rng.integers(2, 6))):
                cx = rng.uniform(min(xs), max(xs))
                cy = rng.uniform(min(ys), max(ys))
                slots.append(ellipse(cx, cy, rng.uniform(6, 14), rng.uniform(10, 24)))
                cats.append(cat)
            continue
        is_thing = cat in thing_set
        if is_thing and rng.random() < 0.12:
            continue  # missed
        if is_thing and rng.random() < 0.06:
            cat = int(rng.choice(things))  # confused category
        slots.append(perturb(rng, parts, 1.0 if is_thing else 2.0))
        cats.append(cat)
    # merged: the later of two same-category things takes the earlier one's segment
    thing_slots = [k for k, c in enumerate(cats) if c in thing_set]
    for a in thing_slots:
        for b in thing_slots:
            if a < b and cats[a] == cats[b] and b not in merge_into and rng.random() < 0.3:
                merge_into[b] = merge_into.get(a, a)
    for _ in range(int(rng.integers(0, 5))):  # false positives
        slots.append(blob(rng, rng.uniform(0, w), rng.uniform(0, h), rng.uniform(6, 30)))
        cats.append(int(rng.choice(things)))
    slot_map = paint(w, h, slots)
    slot_ids = random_ids(rng, len(slots))
    for b, a in merge_into.items():
        slot_ids[b] = slot_ids[a]
    ids = np.array([0] + slot_ids, dtype=np.int64)[slot_map]
    cat_of_id = {}
    for k, c in enumerate(cats):
        cat_of_id.setdefault(slot_ids[k], c)
    return ids, cat_of_id


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--images", type=int, default=500)
    ap.add_argument("--width", type=int, default=640)
    ap.add_argument("--height", type=int, default=480)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args(argv)
    with open(CATEGORIES) as f:
        categories = json.load(f)["categories"]
    things = [c["id"] for c in categories if c["isthing"]]
    stuff = [c["id"] for c in categories if not c["isthing"]]
    os.makedirs(os.path.join(a.out, "gt"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "pred"), exist_ok=True)
    images, gt_anns, pred_anns = [], [], []
    segs = 0
    for i in range(a.images):
        rng = np.random.default_rng([a.seed, i])
        name = "%012d" % (i + 1)
        shapes = scene(rng, a.width, a.height, things, stuff)
        gt_ids, gt_cats, gt_crowd = ground_truth(rng, a.width, a.height, shapes)
        pred_ids, pred_cats = prediction(rng, a.width, a.height, shapes, things)
        write_png(os.path.join(a.out, "gt", name + ".png"), gt_ids)
        write_png(os.path.join(a.out, "pred", name + ".png"), pred_ids)
        images.append({"id": i + 1, "file_name": name + ".jpg", "width": a.width,
                       "height": a.height})
        gt_info = segments_info(gt_ids, gt_cats, gt_crowd)
        segs += len(gt_info)
        gt_anns.append({"image_id": i + 1, "file_name": name + ".png", "segments_info": gt_info})
        pred_anns.append({"image_id": i + 1, "file_name": name + ".png",
                          "segments_info": segments_info(pred_ids, pred_cats, {})})
    with open(os.path.join(a.out, "gt.json"), "w") as f:
        json.dump({"images": images, "annotations": gt_anns, "categories": categories}, f)
    with open(os.path.join(a.out, "pred.json"), "w") as f:
        json.dump({"annotations": pred_anns}, f)
    print("{} images {}x{}, {:.1f} ground-truth segments an image, in {}".format(
        a.images, a.width, a.height, segs / max(1, a.images), a.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
