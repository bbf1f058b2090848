#!/usr/bin/env python3
"""Build a segspark-style report.json from a reference dump (test helper).

Used to test compare_semantic.py before the Java side exists: the fabricated report
carries exactly the reference numbers (so the comparison must pass), optionally with a
deliberately wrong value (so it must fail).

  make_fake_report.py cityscapes REF_JSON OUT_JSON [--perturb car iou 1e-6]
  make_fake_report.py mmseg      REF_JSON OUT_JSON [--exact] [--perturb 13 iou 1e-5]

REF_JSON is what `compare_semantic.py ... --dump-reference` wrote.  --perturb KEY FIELD
DELTA adds DELTA to classes[KEY].FIELD (KEY = class name for cityscapes, trainId for
mmseg) or to summary.FIELD when KEY is `summary`.  For the cityscapes mode the summary
values are recomputed from the per-class values exactly as cityscapesScripts does
(mean over non-NaN entries) - a second, independent check of the averaging rule.
"""
import argparse
import json

# Cityscapes labels (name, id, trainId, category) - public facts of the data set format.
CS_LABELS = [
    ("unlabeled", 0, 255, "void"), ("ego vehicle", 1, 255, "void"),
    ("rectification border", 2, 255, "void"), ("out of roi", 3, 255, "void"),
    ("static", 4, 255, "void"), ("dynamic", 5, 255, "void"), ("ground", 6, 255, "void"),
    ("road", 7, 0, "flat"), ("sidewalk", 8, 1, "flat"), ("parking", 9, 255, "flat"),
    ("rail track", 10, 255, "flat"), ("building", 11, 2, "construction"),
    ("wall", 12, 3, "construction"), ("fence", 13, 4, "construction"),
    ("guard rail", 14, 255, "construction"), ("bridge", 15, 255, "construction"),
    ("tunnel", 16, 255, "construction"), ("pole", 17, 5, "object"),
    ("polegroup", 18, 255, "object"), ("traffic light", 19, 6, "object"),
    ("traffic sign", 20, 7, "object"), ("vegetation", 21, 8, "nature"),
    ("terrain", 22, 9, "nature"), ("sky", 23, 10, "sky"), ("person", 24, 11, "human"),
    ("rider", 25, 12, "human"), ("car", 26, 13, "vehicle"), ("truck", 27, 14, "vehicle"),
    ("bus", 28, 15, "vehicle"), ("caravan", 29, 255, "vehicle"),
    ("trailer", 30, 255, "vehicle"), ("train", 31, 16, "vehicle"),
    ("motorcycle", 32, 17, "vehicle"), ("bicycle", 33, 18, "vehicle"),
]
CATEGORIES = ["void", "flat", "construction", "object", "nature", "sky", "human", "vehicle"]


def mean_valid(values):
    v = [x for x in values if x is not None]
    return sum(v) / len(v) if v else None


def fake_cityscapes(ref):
    classes = []
    for name, lid, tid, _ in CS_LABELS:
        if tid == 255:
            continue  # our report lists the 19 evaluated classes
        classes.append({"name": name, "id": lid, "trainId": tid,
                        "iou": ref["classScores"][name],
                        "iiou": ref["classInstScores"][name]})
    cats = [{"name": c, "iou": ref["categoryScores"][c],
             "iiou": ref["categoryInstScores"][c]} for c in CATEGORIES]
    summary = {"mIoU": mean_valid(c["iou"] for c in classes),
               "iIoU": mean_valid(c["iiou"] for c in classes),
               "categoryIoU": mean_valid(c["iou"] for c in cats),
               "categoryIIoU": mean_valid(c["iiou"] for c in cats)}
    return {"task": "semantic", "convention": "cityscapes",
            "dataset": {"name": "toy-cityscapes", "split": "val"},
            "summary": summary, "classes": classes, "categories": cats,
            "errors": [], "run": {"fabricatedFrom": "reference dump"}}


def exact_from_counts(ref):
    """Per-class metrics in double precision from the exact integer counts, the way a
    Java implementation computes them (mmseg itself works in float32)."""
    c = ref["counts"]

    def div(a, b):
        return a / b if b else None

    out = {m: [] for m in ("IoU", "Acc", "Dice", "Precision", "Recall", "Fscore")}
    for i in range(ref["numClasses"]):
        tp, u, p, g = (c["intersect"][i], c["union"][i], c["predLabel"][i], c["label"][i])
        prec, rec = div(tp, p), div(tp, g)
        out["IoU"].append(div(tp, u))
        out["Acc"].append(rec)
        out["Dice"].append(div(2 * tp, p + g))
        out["Precision"].append(prec)
        out["Recall"].append(rec)
        # mmseg: f = 2PR/(P+R); NaN if P or R is NaN, or if P+R == 0
        out["Fscore"].append(None if prec is None or rec is None
                             else div(2 * prec * rec, prec + rec))
    return out, sum(c["intersect"]) / sum(c["label"])


def fake_mmseg(ref, exact=False):
    k = ref["numClasses"]
    names = {tid: name for name, _, tid, _ in CS_LABELS if tid != 255} if k == 19 else {}
    pc = ref["perClass"]
    if exact:
        pc, a_acc = exact_from_counts(ref)
        ref = dict(ref, aAcc=a_acc)
    classes = []
    for i in range(k):
        classes.append({"name": names.get(i, "class{}".format(i)), "trainId": i,
                        "iou": pc["IoU"][i], "acc": pc["Acc"][i], "dice": pc["Dice"][i],
                        "precision": pc["Precision"][i], "recall": pc["Recall"][i],
                        "fscore": pc["Fscore"][i],
                        "tp": ref["counts"]["intersect"][i],
                        "gtPixels": ref["counts"]["label"][i],
                        "predPixels": ref["counts"]["predLabel"][i]})
    summary = {"aAcc": ref["aAcc"]}
    for ours, field in (("mIoU", "iou"), ("mAcc", "acc"), ("mDice", "dice"),
                        ("mPrecision", "precision"), ("mRecall", "recall"),
                        ("mFscore", "fscore")):
        summary[ours] = mean_valid(c[field] for c in classes)
    return {"task": "semantic", "convention": "mmseg",
            "dataset": {"name": "toy-cityscapes", "split": "val"},
            "summary": summary, "classes": classes, "errors": [],
            "run": {"fabricatedFrom": "reference dump"}}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["cityscapes", "mmseg"])
    ap.add_argument("ref")
    ap.add_argument("out")
    ap.add_argument("--exact", action="store_true",
                    help="mmseg: recompute per-class values in double from the exact "
                         "counts instead of copying mmseg's float32 values")
    ap.add_argument("--perturb", nargs=3, action="append", default=[],
                    metavar=("KEY", "FIELD", "DELTA"))
    a = ap.parse_args()
    with open(a.ref) as f:
        ref = json.load(f)
    rep = fake_cityscapes(ref) if a.mode == "cityscapes" else fake_mmseg(ref, a.exact)
    for key, field, delta in a.perturb:
        if key == "summary":
            target = rep["summary"]
        else:
            match = [c for c in rep["classes"]
                     if c["name"] == key or str(c.get("trainId")) == key]
            if not match:
                raise SystemExit("no class {!r}".format(key))
            target = match[0]
        old = target[field]
        target[field] = (0.0 if old is None else old) + float(delta)
        print("perturbed {}.{}: {} -> {}".format(key, field, old, target[field]))
    with open(a.out, "w") as f:
        json.dump(rep, f, indent=2)
        f.write("\n")
    print("wrote {}".format(a.out))


if __name__ == "__main__":
    main()
