#!/usr/bin/env python3
"""Compare a segspark panoptic report.json with panopticapi's pq_compute.

Runs cocodataset/panopticapi's `pq_compute(gt_json, pred_json, gt_folder, pred_folder)`
unmodified (it uses multiprocessing with multiprocessing.cpu_count() workers) and compares
every number of our report with it:

  summary.All/Things/Stuff.{pq,sq,rq}   vs pq_compute()[name]          tolerance --tolerance
  summary.All/Things/Stuff.n            vs pq_compute()[name]['n']     exact
  classes[].{pq,sq,rq} (by id)          vs pq_compute()['per_class']   tolerance --tolerance
  classes[].{tp,fp,fn} (by id)          vs PQStat counts               exact
  classes[].isthing                     vs the ground truth categories exact

pq_compute returns no per-class tp/fp/fn.  They are obtained by calling panopticapi's own
`pq_compute_single_core` once more, in this process, on the same (gt, pred) annotation pairs
(paired by image_id, exactly as pq_compute pairs them); its PQStat holds tp/fp/fn and the
IoU sum per category.  The per-class scores from that single-core PQStat must equal
pq_compute's to ~1e-15 (only the order of the float additions differs); this is checked too.

panopticapi is imported normally if installed (`pip install
git+https://github.com/cocodataset/panopticapi.git`), otherwise from --panopticapi SRC_DIR
(the directory that contains the `panopticapi/` package).  It is not part of this repository.

Exit status: 0 = all values equal (within tolerance), 1 = at least one difference,
2 = panopticapi or the inputs could not be processed.

  --dump-reference OUT   writes the reference numbers (JSON, NaN as null) for a unit test
  --time [--repeat N]    times pq_compute N times (median/min/max wall seconds)
Without --report only the reference is computed (useful with --dump-reference / --time).
"""
import argparse
import contextlib
import io
import json
import math
import multiprocessing
import os
import statistics
import subprocess
import sys
import time

METRICS = ("All", "Things", "Stuff")


# --------------------------------------------------------------------------- helpers

def nan_to_null(obj):
    if isinstance(obj, dict):
        return {str(k): nan_to_null(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [nan_to_null(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (dict, list)):
        obj = obj.item()  # numpy scalar -> Python
    if isinstance(obj, float) and math.isnan(obj):
        return None
    return obj


def is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt(v):
    if v is None:
        return "null"
    if isinstance(v, float):
        return "NaN" if math.isnan(v) else "{:.12g}".format(v)
    return str(v)


class Comparison:
    def __init__(self, tolerance):
        self.tolerance = tolerance
        self.rows = []

    def add(self, group, key, metric, ref, ours, exact=False, note=""):
        if ours == "<absent>":
            ok, diff, ours_s = False, None, "<absent>"
        elif is_missing(ref) or is_missing(ours):
            ok, diff, ours_s = is_missing(ref) and is_missing(ours), None, fmt(ours)
        elif exact:
            ok, diff, ours_s = ref == ours, None, fmt(ours)
            if isinstance(ref, (int, float)) and isinstance(ours, (int, float)):
                diff = abs(ref - ours)
        else:
            diff = abs(float(ref) - float(ours))
            ok, ours_s = diff <= self.tolerance, fmt(ours)
        self.rows.append((group, str(key), metric, fmt(ref), ours_s,
                          "" if diff is None else "{:.3g}".format(diff),
                          "ok" if ok else "DIFF", note or ("exact" if exact else "")))
        return ok

    def failures(self):
        return [r for r in self.rows if r[6] != "ok"]

    def print_table(self, only_failures=False):
        header = ("group", "key", "metric", "reference", "ours", "|diff|", "status", "note")
        rows = self.failures() if only_failures else self.rows
        widths = [max([len(header[i])] + [len(r[i]) for r in rows]) for i in range(len(header))]
        line = "  ".join("{:<%d}" % w for w in widths)
        print(line.format(*header))
        print(line.format(*("-" * w for w in widths)))
        for r in rows:
            print(line.format(*r))
        n_fail = len(self.failures())
        print("\n{} values compared, {} differences (scores: tolerance {:g}; n, tp, fp, fn, "
              "isthing: exact)".format(len(self.rows), n_fail, self.tolerance))
        return n_fail


# --------------------------------------------------------------------------- panopticapi

def import_panopticapi(src_dir):
    if src_dir:
        sys.path.insert(0, os.path.abspath(src_dir))
    from panopticapi import evaluation  # noqa: E402
    return evaluation


def panopticapi_version(evaluation, src_dir, commit_arg):
    if commit_arg:
        return commit_arg
    where = src_dir or os.path.dirname(os.path.dirname(os.path.abspath(evaluation.__file__)))
    try:
        out = subprocess.run(["git", "-C", where, "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        from importlib.metadata import version
        return "panopticapi " + version("panopticapi")
    except Exception:
        return "unknown"


def matched_pairs(gt_json, pred_json):
    """(gt_ann, pred_ann) pairs the way pq_compute builds them: by image_id, GT order."""
    pred_by_image = {el["image_id"]: el for el in pred_json["annotations"]}
    pairs = []
    for gt_ann in gt_json["annotations"]:
        if gt_ann["image_id"] not in pred_by_image:
            raise Exception("no prediction for the image with id: {}".format(gt_ann["image_id"]))
        pairs.append((gt_ann, pred_by_image[gt_ann["image_id"]]))
    return pairs


def run_pq_compute(evaluation, a, quiet):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf) if quiet else contextlib.nullcontext():
        t0 = time.perf_counter()
        res = evaluation.pq_compute(a.gt_json, a.pred_json, a.gt_dir, a.pred_dir)
        dt = time.perf_counter() - t0
    return res, dt


def single_core_stat(evaluation, a):
    """panopticapi's own per-image accumulation, in-process, to read PQStat's counts."""
    with open(a.gt_json) as f:
        gt_json = json.load(f)
    with open(a.pred_json) as f:
        pred_json = json.load(f)
    categories = {el["id"]: el for el in gt_json["categories"]}
    pairs = matched_pairs(gt_json, pred_json)
    with contextlib.redirect_stdout(io.StringIO()):
        stat = evaluation.pq_compute_single_core(0, pairs, a.gt_dir, a.pred_dir, categories)
    return stat, categories, len(pairs)


def build_reference(evaluation, res, stat, categories, n_images, commit):
    ref = {"tool": "panopticapi pq_compute", "commit": commit,
           "processes": multiprocessing.cpu_count(), "images": n_images}
    for name in METRICS:
        ref[name] = {k: res[name][k] for k in ("pq", "sq", "rq", "n")}
    per_class = {}
    for cat_id in sorted(categories):
        c = stat.pq_per_cat[cat_id] if cat_id in stat.pq_per_cat else None
        tp, fp, fn = (c.tp, c.fp, c.fn) if c is not None else (0, 0, 0)
        if tp + fp + fn == 0:
            continue
        r = res["per_class"][cat_id]
        per_class[str(cat_id)] = {
            "name": categories[cat_id]["name"], "isthing": categories[cat_id]["isthing"],
            "pq": r["pq"], "sq": r["sq"], "rq": r["rq"],
            "tp": int(tp), "fp": int(fp), "fn": int(fn), "iou_sum": float(c.iou)}
    ref["per_class"] = per_class
    return nan_to_null(ref)


def self_check(evaluation, res, stat, categories):
    """The single-core PQStat must reproduce pq_compute's numbers (up to float order)."""
    problems = []
    for name, isthing in (("All", None), ("Things", True), ("Stuff", False)):
        avg, per = stat.pq_average(categories, isthing=isthing)
        for k in ("pq", "sq", "rq"):
            if abs(avg[k] - res[name][k]) > 1e-12:
                problems.append("{} {}: {} vs {}".format(name, k, avg[k], res[name][k]))
        if avg["n"] != res[name]["n"]:
            problems.append("{} n: {} vs {}".format(name, avg["n"], res[name]["n"]))
        if name == "All":
            for cid, v in per.items():
                for k in ("pq", "sq", "rq"):
                    if abs(v[k] - res["per_class"][cid][k]) > 1e-12:
                        problems.append("class {} {}".format(cid, k))
    return problems


# --------------------------------------------------------------------------- comparison

def compare(ref, categories, report, cmp):
    summary = report.get("summary", {})
    for name in METRICS:
        ours = summary.get(name, {})
        for k in ("pq", "sq", "rq"):
            cmp.add("summary", name, k, ref[name][k], ours.get(k, "<absent>"))
        cmp.add("summary", name, "n", ref[name]["n"], ours.get("n", "<absent>"), exact=True)

    ours_by_id = {}
    for c in report.get("classes", []):
        if "id" in c:
            ours_by_id[int(c["id"])] = c
    for cid, r in sorted(ref["per_class"].items(), key=lambda kv: int(kv[0])):
        o = ours_by_id.get(int(cid))
        key = "{} {}".format(cid, r["name"])
        if o is None:
            cmp.add("class", key, "tp+fp+fn", r["tp"] + r["fp"] + r["fn"], "<absent>",
                    note="class missing from report")
            continue
        for k in ("pq", "sq", "rq"):
            if k == "sq" and r["tp"] == 0 and o.get(k) is None:
                # panopticapi writes SQ = 0 for 0/0; segspark's contract writes null
                cmp.add("class", key, k, r[k], 0, note="0/0: null in segspark")
                continue
            cmp.add("class", key, k, r[k], o.get(k, "<absent>"))
        for k in ("tp", "fp", "fn"):
            cmp.add("class", key, k, r[k], o.get(k, "<absent>"), exact=True)
        if "isthing" in o:
            cmp.add("class", key, "isthing", int(r["isthing"]), int(bool(o["isthing"])),
                    exact=True)
    # classes we list although the reference has no tp/fp/fn for them
    for cid, o in sorted(ours_by_id.items()):
        if str(cid) in ref["per_class"]:
            continue
        key = "{} {}".format(cid, o.get("name", ""))
        if cid not in categories:
            cmp.add("class", key, "id", "<not a GT category>", cid, exact=True,
                    note="unknown category")
            continue
        for k in ("tp", "fp", "fn"):
            if k in o:
                cmp.add("class", key, k, 0, o[k], exact=True, note="unevaluated class")
        for k in ("pq", "sq", "rq"):
            v = o.get(k)
            if v is not None and not (isinstance(v, float) and math.isnan(v)) and v != 0:
                cmp.add("class", key, k, 0.0, v, note="unevaluated class: must be 0/null")


# --------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gt-json", required=True, help="COCO panoptic ground-truth JSON")
    ap.add_argument("--gt-dir", required=True, help="folder with the ground-truth PNGs")
    ap.add_argument("--pred-json", required=True, help="COCO panoptic prediction JSON")
    ap.add_argument("--pred-dir", required=True, help="folder with the predicted PNGs")
    ap.add_argument("--report", help="segspark report.json (task panoptic)")
    ap.add_argument("--panopticapi", metavar="SRC_DIR",
                    help="directory containing the panopticapi/ package, if not installed")
    ap.add_argument("--panopticapi-commit", metavar="SHA",
                    help="commit recorded in --dump-reference (default: git rev-parse in "
                         "SRC_DIR, else the installed version)")
    ap.add_argument("--tolerance", type=float, default=1e-9)
    ap.add_argument("--dump-reference", metavar="OUT_JSON")
    ap.add_argument("--only-failures", action="store_true")
    ap.add_argument("--quiet-reference", action="store_true",
                    help="hide pq_compute's own output")
    ap.add_argument("--time", action="store_true", help="time pq_compute --repeat times")
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args(argv)

    try:
        evaluation = import_panopticapi(a.panopticapi)
    except Exception as e:
        print("ERROR: cannot import panopticapi ({}); install it or pass --panopticapi "
              "SRC_DIR".format(e), file=sys.stderr)
        return 2
    commit = panopticapi_version(evaluation, a.panopticapi, a.panopticapi_commit)

    try:
        res, dt = run_pq_compute(evaluation, a, a.quiet_reference)
        stat, categories, n_images = single_core_stat(evaluation, a)
    except Exception as e:
        print("ERROR: panopticapi failed: {}: {}".format(type(e).__name__, e), file=sys.stderr)
        return 2
    print("pq_compute: {} images, {:.3f} s wall, {} worker processes (cpu_count)".format(
        n_images, dt, multiprocessing.cpu_count()))
    problems = self_check(evaluation, res, stat, categories)
    if problems:
        print("ERROR: single-core PQStat disagrees with pq_compute: " + "; ".join(problems),
              file=sys.stderr)
        return 2
    ref = build_reference(evaluation, res, stat, categories, n_images, commit)

    if a.dump_reference:
        d = os.path.dirname(os.path.abspath(a.dump_reference))
        os.makedirs(d, exist_ok=True)
        with open(a.dump_reference, "w") as f:
            json.dump(ref, f, indent=1, allow_nan=False)
            f.write("\n")
        print("reference written to {}".format(a.dump_reference))

    if a.time:
        times = []
        for _ in range(a.repeat):
            times.append(run_pq_compute(evaluation, a, True)[1])
        t1 = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            single_core_stat(evaluation, a)
            t1.append(time.perf_counter() - t0)
        print("timing over {} runs, {} images:".format(a.repeat, n_images))
        print("  pq_compute (Pool of {} processes, created per call): median {:.4f} s, "
              "min {:.4f} s, max {:.4f} s".format(multiprocessing.cpu_count(),
                                                   statistics.median(times), min(times),
                                                   max(times)))
        print("  pq_compute_single_core in-process (1 core, JSON load included): median "
              "{:.4f} s, min {:.4f} s, max {:.4f} s".format(statistics.median(t1), min(t1),
                                                            max(t1)))

    if not a.report:
        return 0
    try:
        with open(a.report) as f:
            report = json.load(f)
    except Exception as e:
        print("ERROR: cannot read report {}: {}".format(a.report, e), file=sys.stderr)
        return 2
    if report.get("task", "panoptic") != "panoptic":
        print("ERROR: report task is {!r}, not 'panoptic'".format(report.get("task")),
              file=sys.stderr)
        return 2
    cmp = Comparison(a.tolerance)
    compare(ref, categories, report, cmp)
    n_fail = cmp.print_table(a.only_failures)
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
