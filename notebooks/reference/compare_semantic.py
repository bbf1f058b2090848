#!/usr/bin/env python3
"""Compare a segspark semantic-segmentation report.json with the reference tools.

Two modes:

  cityscapes  runs cityscapesScripts' evalPixelLevelSemanticLabeling (unmodified, in a
              subprocess) on a Cityscapes-layout ground truth + labelId predictions and
              compares per-class IoU / iIoU, per-category IoU / iIoU and the four averages.

  mmseg       runs mmsegmentation's IoUMetric.intersect_and_union (per image, torch
              tensors) and IoUMetric.total_area_to_metrics (unmodified) and compares
              per-class IoU / Acc / Dice / Precision / Recall / Fscore, aAcc and mmseg's
              own rounded summary.

Neither reference tool is part of this repository.  cityscapesscripts is imported
normally if installed (`pip install cityscapesscripts`), otherwise from
--cityscapes-scripts SRC_DIR (a checkout).  mmseg's IoUMetric is imported normally if
mmsegmentation + mmengine are installed, otherwise loaded from the file given with
--mmseg-iou-metric PATH; modules it imports at top level but which are not needed by the
two static methods (mmengine.*, mmseg.registry, prettytable) are replaced by small stubs
only when they cannot be imported.

Exit status: 0 = all values within tolerance, 1 = at least one difference,
2 = the reference tool or the inputs could not be processed.
"""
import argparse
import importlib
import importlib.util
import json
import math
import os
import subprocess
import sys
import types

import numpy as np
from PIL import Image

CS_EXPORT_NAME = "resultPixelLevelSemanticLabeling.json"
CS_MODULE = "cityscapesscripts.evaluation.evalPixelLevelSemanticLabeling"


# --------------------------------------------------------------------------- helpers

def is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def nan_to_null(obj):
    """Recursively replace float NaN (and numpy floats) by None / plain floats."""
    if isinstance(obj, dict):
        return {k: nan_to_null(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [nan_to_null(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if math.isnan(f) else f
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def fmt(v):
    if v is None:
        return "null"
    if isinstance(v, float):
        return "NaN" if math.isnan(v) else "{:.12g}".format(v)
    return str(v)


class Comparison:
    """Collects (group, key, metric, reference, ours) rows and judges them."""

    def __init__(self, tolerance):
        self.tolerance = tolerance
        self.rows = []

    def add(self, group, key, metric, ref, ours, tol=None, note=""):
        tol = self.tolerance if tol is None else tol
        ref_m, our_m = is_missing(ref), is_missing(ours)
        if ours == "<absent>":
            # value missing from our report: fine only if the reference is undefined
            ok, diff = ref_m, None
            ours_s = "<absent>"
        elif ref_m or our_m:
            ok, diff = (ref_m and our_m), None
            ours_s = fmt(ours)
        else:
            diff = abs(float(ref) - float(ours))
            ok = diff <= tol
            ours_s = fmt(ours)
        self.rows.append((group, str(key), metric, fmt(ref), ours_s,
                          "" if diff is None else "{:.3g}".format(diff),
                          "ok" if ok else "DIFF", note))
        return ok

    def failures(self):
        return [r for r in self.rows if r[6] != "ok"]

    def print_table(self, only_failures=False):
        header = ("group", "key", "metric", "reference", "ours", "|diff|", "status", "note")
        rows = self.failures() if only_failures else self.rows
        widths = [max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i])
                  for i in range(len(header))]
        line = "  ".join("{:<%d}" % w for w in widths)
        print(line.format(*header))
        print(line.format(*("-" * w for w in widths)))
        for r in rows:
            print(line.format(*r))
        n_fail = len(self.failures())
        print("\n{} values compared, {} differences above tolerance {:g}{}".format(
            len(self.rows), n_fail, self.tolerance,
            " (rows with their own tolerance: exact counts 0, class-exact 1e-9)"
            if any(r[0].endswith("exact") or r[7] == "exact count" for r in self.rows)
            else ""))
        return n_fail


def load_report(path):
    with open(path) as f:
        return json.load(f)


# --------------------------------------------------------------------------- cityscapes

# Run by the subprocess.  Stubs pyquaternion only when it is missing: it is imported by
# cityscapesscripts.helpers.annotation -> box3dImageTransform, which the pixel-level
# evaluation never uses.  The evaluation module itself runs unmodified as __main__.
CS_BOOTSTRAP = r"""
import sys, types, runpy, importlib
try:
    import pyquaternion  # noqa
except ImportError:
    m = types.ModuleType("pyquaternion")
    class Quaternion(object):
        def __init__(self, *a, **k):
            raise RuntimeError("pyquaternion stub: not needed for pixel-level evaluation")
    m.Quaternion = Quaternion
    sys.modules["pyquaternion"] = m
sys.argv = [sys.argv[0]]
g = runpy.run_module("%s", run_name="__main__")
print("[compare_semantic] cityscapesscripts from: " + importlib.import_module("cityscapesscripts").__file__)
print("[compare_semantic] CSUPPORT (cython confusion matrix) = " + str(g.get("CSUPPORT")))
""" % CS_MODULE


def run_cityscapes(gt_root, predictions, export_dir, src_dir, quiet, full_output=False):
    env = dict(os.environ)
    env["CITYSCAPES_DATASET"] = os.path.abspath(gt_root)
    env["CITYSCAPES_RESULTS"] = os.path.abspath(predictions)
    env["CITYSCAPES_EXPORT_DIR"] = os.path.abspath(export_dir)
    have_pkg = importlib.util.find_spec("cityscapesscripts") is not None
    if not have_pkg:
        if not src_dir:
            sys.exit("cityscapesscripts is not installed; pass --cityscapes-scripts SRC_DIR "
                     "(a cityscapesScripts checkout containing cityscapesscripts/)")
        env["PYTHONPATH"] = os.path.abspath(src_dir) + (
            os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    elif src_dir:
        print("note: cityscapesscripts is installed; --cityscapes-scripts is ignored")
    out = os.path.join(export_dir, CS_EXPORT_NAME)
    if os.path.exists(out):
        os.remove(out)
    proc = subprocess.run([sys.executable, "-c", CS_BOOTSTRAP], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if not quiet or proc.returncode != 0:
        text = proc.stdout.rstrip()
        cut = text.find("classes          IoU")
        if proc.returncode == 0 and cut > 0 and not full_output:
            text = "[... confusion matrix omitted, see --full-reference-output ...]\n" + \
                text[cut:]
        print("----- cityscapesScripts output -----")
        print(text)
        print("----- end of cityscapesScripts output -----\n")
    if proc.returncode != 0 or not os.path.exists(out):
        print("cityscapesScripts failed (exit status {})".format(proc.returncode))
        sys.exit(2)
    with open(out) as f:
        return json.load(f), out  # json accepts the NaN tokens it writes


def cityscapes_reference_subset(res):
    keep = ["classScores", "classInstScores", "categoryScores", "categoryInstScores",
            "averageScoreClasses", "averageScoreInstClasses", "averageScoreCategories",
            "averageScoreInstCategories", "labels"]
    d = {k: res[k] for k in keep if k in res}
    d["tool"] = "cityscapesScripts evalPixelLevelSemanticLabeling"
    d["confMatrixTotal"] = int(np.asarray(res["confMatrix"], dtype=np.int64).sum())
    return nan_to_null(d)


def compare_cityscapes(res, report, cmp):
    classes = {c.get("name"): c for c in report.get("classes", [])}
    cats = {c.get("name"): c for c in report.get("categories", [])}

    for name, ref in res["classScores"].items():
        c = classes.get(name)
        cmp.add("class", name, "iou", ref, c.get("iou") if c else "<absent>")
    for name, ref in res["classInstScores"].items():
        c = classes.get(name)
        cmp.add("class", name, "iiou", ref, c.get("iiou") if c else "<absent>")
    for name in classes:
        if name not in res["classScores"]:
            cmp.add("class", name, "iou", None, classes[name].get("iou"),
                    note="not a cityscapes label name")
    for name, ref in res["categoryScores"].items():
        c = cats.get(name)
        cmp.add("category", name, "iou", ref, c.get("iou") if c else "<absent>")
    for name, ref in res["categoryInstScores"].items():
        c = cats.get(name)
        cmp.add("category", name, "iiou", ref, c.get("iiou") if c else "<absent>")
    for name in cats:
        if name not in res["categoryScores"]:
            cmp.add("category", name, "iou", None, cats[name].get("iou"),
                    note="not a cityscapes category")

    summary = report.get("summary", {})
    for ours_key, ref_key in (("mIoU", "averageScoreClasses"),
                              ("iIoU", "averageScoreInstClasses"),
                              ("categoryIoU", "averageScoreCategories"),
                              ("categoryIIoU", "averageScoreInstCategories")):
        cmp.add("summary", ours_key, ref_key, res[ref_key],
                summary.get(ours_key, "<absent>"))


def main_cityscapes(a):
    report = load_report(a.report)
    export_dir = os.path.dirname(os.path.abspath(a.report))
    res, out = run_cityscapes(a.gt_root, a.predictions, export_dir, a.cityscapes_scripts,
                              a.quiet_reference, a.full_reference_output)
    print("reference JSON: {}".format(out))
    if a.dump_reference:
        with open(a.dump_reference, "w") as f:
            json.dump(cityscapes_reference_subset(res), f, indent=2, sort_keys=True)
            f.write("\n")
        print("reference numbers dumped to {}".format(a.dump_reference))
    cmp = Comparison(1e-9 if a.tolerance is None else a.tolerance)
    compare_cityscapes(res, report, cmp)
    print()
    n_fail = cmp.print_table(only_failures=a.only_failures)
    return 1 if n_fail else 0


# --------------------------------------------------------------------------- mmseg

STUBBED = []


def _ensure_module(name, attrs):
    """Import `name`; if that fails, register a stub module providing `attrs`."""
    try:
        importlib.import_module(name)
        return
    except ImportError:
        pass
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        sub = ".".join(parts[:i])
        if sub not in sys.modules:
            mod = types.ModuleType(sub)
            mod.__path__ = []  # behave like a package
            sys.modules[sub] = mod
            if i > 1:
                setattr(sys.modules[".".join(parts[:i - 1])], parts[i - 1], mod)
    for k, v in attrs.items():
        setattr(sys.modules[name], k, v)
    STUBBED.append(name)


def load_iou_metric(path):
    """Return mmseg's IoUMetric class (installed package, or the given file + stubs)."""
    if not path:
        try:
            from mmseg.evaluation.metrics.iou_metric import IoUMetric  # noqa
            return IoUMetric, "installed mmseg"
        except ImportError as e:
            sys.exit("mmsegmentation is not importable ({}); pass --mmseg-iou-metric "
                     "PATH_TO/mmseg/evaluation/metrics/iou_metric.py".format(e))

    class BaseMetric(object):
        def __init__(self, collect_device="cpu", prefix=None):
            self.results = []

    class _Registry(object):
        def register_module(self, *a, **k):
            return lambda cls: cls

    class MMLogger(object):
        @staticmethod
        def get_current_instance():
            return None

    def print_log(msg, logger=None, **k):
        print(msg)

    class PrettyTable(object):
        pass

    _ensure_module("mmengine.dist", {"is_main_process": lambda: True})
    _ensure_module("mmengine.evaluator", {"BaseMetric": BaseMetric})
    _ensure_module("mmengine.logging", {"MMLogger": MMLogger, "print_log": print_log})
    _ensure_module("mmengine.utils", {"mkdir_or_exist":
                                      lambda d: os.makedirs(d, exist_ok=True)})
    _ensure_module("prettytable", {"PrettyTable": PrettyTable})
    _ensure_module("mmseg.registry", {"METRICS": _Registry()})
    spec = importlib.util.spec_from_file_location("reference_mmseg_iou_metric", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.IoUMetric, path


def pair_files(gt_dir, gt_suffix, pred_dir, pred_suffix):
    def collect(root, suffix):
        found = {}
        for dirpath, _, files in os.walk(root):
            for fn in files:
                if fn.endswith(suffix):
                    key = fn[:-len(suffix)]
                    if key in found:
                        sys.exit("duplicate name prefix {!r} under {}".format(key, root))
                    found[key] = os.path.join(dirpath, fn)
        return found
    gts = collect(gt_dir, gt_suffix)
    preds = collect(pred_dir, pred_suffix)
    if not gts:
        sys.exit("no ground truth files *{} under {}".format(gt_suffix, gt_dir))
    missing = sorted(set(gts) - set(preds))
    if missing:
        sys.exit("{} ground truth files have no prediction, e.g. {}".format(
            len(missing), missing[:3]))
    extra = sorted(set(preds) - set(gts))
    if extra:
        print("note: {} predictions without ground truth are ignored, e.g. {}".format(
            len(extra), extra[:3]))
    return [(k, gts[k], preds[k]) for k in sorted(gts)]


def run_mmseg(a):
    import torch
    IoUMetric, origin = load_iou_metric(a.mmseg_iou_metric)
    print("IoUMetric from: {}{}".format(
        origin, "  (stubbed: {})".format(", ".join(STUBBED)) if STUBBED else ""))
    pairs = pair_files(a.gt_dir, a.gt_suffix, a.pred_dir, a.pred_suffix)
    print("{} image pairs".format(len(pairs)))
    results = []
    exact = np.zeros((4, a.num_classes), dtype=np.int64)
    for key, gt_path, pred_path in pairs:
        gt = np.array(Image.open(gt_path))
        pred = np.array(Image.open(pred_path))
        if gt.shape != pred.shape or gt.ndim != 2:
            sys.exit("shape mismatch / not single-channel: {} {} vs {} {}".format(
                gt_path, gt.shape, pred_path, pred.shape))
        # mmseg: PackSegInputs gives int64 gt; predictions are argmax (int64);
        # IoUMetric.process does label.to(pred_label)
        pred_t = torch.from_numpy(pred.astype(np.int64))
        gt_t = torch.from_numpy(gt.astype(np.int64)).to(pred_t)
        r = IoUMetric.intersect_and_union(pred_t, gt_t, a.num_classes, a.ignore_index)
        results.append(r)
        # per image, float32 histogram counts are exact (< 2**24 pixels per image)
        exact += np.stack([t.numpy().astype(np.int64) for t in r])
    # exactly as IoUMetric.compute_metrics: python sum() of float32 tensors
    results_t = tuple(zip(*results))
    totals = [sum(results_t[i]) for i in range(4)]
    ret = IoUMetric.total_area_to_metrics(totals[0], totals[1], totals[2], totals[3],
                                          ["mIoU", "mDice", "mFscore"], None, 1)
    summary = {}
    for k, v in ret.items():
        name = k if k == "aAcc" else "m" + k
        with np.errstate(all="ignore"):
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                summary[name] = np.round(np.nanmean(v) * 100, 2)
    tot32 = np.stack([t.numpy().astype(np.float64) for t in totals])
    drift = np.abs(tot32 - exact).max()
    return ret, summary, exact, drift, [p[0] for p in pairs]


EXACT_TOL = 1e-9
MMSEG_FIELDS = (("IoU", "iou"), ("Acc", "acc"), ("Dice", "dice"),
                ("Precision", "precision"), ("Recall", "recall"), ("Fscore", "fscore"))
MMSEG_SUMMARY = (("mIoU", "mIoU"), ("mAcc", "mAcc"), ("mDice", "mDice"),
                 ("mPrecision", "mPrecision"), ("mRecall", "mRecall"),
                 ("mFscore", "mFscore"), ("aAcc", "aAcc"))


def our_classes_by_index(report, k):
    """Map mmseg class index -> our class: by trainId, else by id, else by position."""
    classes = report.get("classes", [])
    for field in ("trainId", "id"):
        by = {c[field]: c for c in classes
              if isinstance(c.get(field), int) and 0 <= c[field] < k}
        if by:
            return by, field
    return {i: c for i, c in enumerate(classes)}, "position"


def exact_metrics(exact):
    """The same formulas as total_area_to_metrics, in float64 on the exact integer
    counts (NaN where mmseg divides by zero).  This is what a double-precision
    implementation computes; it differs from mmseg's float32 values by ~1e-7 on small
    sets and can differ by more on large ones (float32 count accumulation)."""
    i, u, p, g = (exact[j].astype(np.float64) for j in range(4))
    with np.errstate(divide="ignore", invalid="ignore"):
        prec, rec = i / p, i / g
        out = {"IoU": i / u, "Acc": i / g, "Dice": 2 * i / (p + g),
               "Precision": prec, "Recall": rec,
               "Fscore": 2 * (prec * rec) / (prec + rec)}
        a_acc = i.sum() / g.sum()
    return out, float(a_acc)


def compare_mmseg(ret, summary, exact, report, cmp, k, exact_check=True):
    by, how = our_classes_by_index(report, k)
    ex, ex_aacc = exact_metrics(exact)
    noise = max([abs(float(ret[mm][j]) - ex[mm][j]) for mm, _ in MMSEG_FIELDS
                 for j in range(k) if not np.isnan(ex[mm][j])] + [0.0])
    print("max |mmseg float32 - exact double| over per-class values: {:.3g}{}".format(
        noise, "  WARNING: above --tolerance, trust the class-exact rows"
        if noise > cmp.tolerance else ""))
    print("our classes matched to mmseg class index by `{}`".format(how))
    for i in range(k):
        c = by.get(i)
        label = "{}:{}".format(i, c.get("name", "")) if c else str(i)
        for mm, ours in MMSEG_FIELDS:
            cmp.add("class", label, ours, float(ret[mm][i]),
                    c.get(ours) if c else "<absent>")
        if c and exact_check:
            for mm, ours in MMSEG_FIELDS:
                cmp.add("class-exact", label, ours, float(ex[mm][i]), c.get(ours),
                        tol=EXACT_TOL, note="double from exact counts")
            for j, field in ((0, "tp"), (3, "gtPixels"), (2, "predPixels")):
                if field in c:
                    cmp.add("class", label, field, int(exact[j][i]), c[field], tol=0,
                            note="exact count")
    s = report.get("summary", {})
    cmp.add("summary", "aAcc", "aAcc", float(ret["aAcc"]), s.get("aAcc", "<absent>"))
    if exact_check:
        cmp.add("summary-exact", "aAcc", "aAcc", ex_aacc, s.get("aAcc", "<absent>"),
                tol=EXACT_TOL, note="double from exact counts")
    # our unrounded means vs the nanmean (in float64) of mmseg's float32 per-class values
    for mm, ours in MMSEG_SUMMARY[:-1]:
        arr = np.asarray(ret[mm[1:]], dtype=np.float64)
        ref = float(np.nanmean(arr)) if np.any(~np.isnan(arr)) else float("nan")
        cmp.add("summary", ours, "mean (unrounded)", ref, s.get(ours, "<absent>"))
    # mmseg's printed summary: np.round(np.nanmean(x) * 100, 2) computed in float32
    for mm, ours in MMSEG_SUMMARY:
        v = s.get(ours)
        ref = float(summary[mm])
        if is_missing(v):
            cmp.add("summary", ours, "rounded %", ref, v)
            continue
        our_rounded = round(float(v) * 100, 2)
        same = "{:.2f}".format(ref) == "{:.2f}".format(our_rounded)
        cmp.add("summary", ours, "rounded %", round(ref, 2), our_rounded, tol=1e-9,
                note="" if same else "rounds differently")


def main_mmseg(a):
    report = load_report(a.report)
    ret, summary, exact, drift, names = run_mmseg(a)
    print("\nmmseg summary (np.round(np.nanmean(x) * 100, 2), float32):")
    print("  " + "  ".join("{}={:.2f}".format(k, float(v)) for k, v in summary.items()))
    print("max |float32 total - exact total| over the 4 histograms: {:g} pixels".format(drift))
    if a.dump_reference:
        d = {
            "tool": "mmsegmentation IoUMetric (intersect_and_union + total_area_to_metrics)",
            "numClasses": a.num_classes, "ignoreIndex": a.ignore_index,
            "images": names,
            "aAcc": float(ret["aAcc"]),
            "perClass": {mm: [float(x) for x in ret[mm]] for mm, _ in MMSEG_FIELDS},
            "summaryRounded": {k: float(v) for k, v in summary.items()},
            "perClassExactDouble": {mm: [float(x) for x in v]
                                    for mm, v in exact_metrics(exact)[0].items()},
            "aAccExactDouble": exact_metrics(exact)[1],
            "counts": {"intersect": exact[0].tolist(), "union": exact[1].tolist(),
                       "predLabel": exact[2].tolist(), "label": exact[3].tolist()},
            "note": "perClass/aAcc are mmseg's float32 results widened to double; "
                    "counts are exact integer sums of the per-image histograms; "
                    "perClassExactDouble/aAccExactDouble apply mmseg's formulas in "
                    "float64 to those counts",
        }
        with open(a.dump_reference, "w") as f:
            json.dump(nan_to_null(d), f, indent=2)
            f.write("\n")
        print("reference numbers dumped to {}".format(a.dump_reference))
    cmp = Comparison(1e-6 if a.tolerance is None else a.tolerance)
    compare_mmseg(ret, summary, exact, report, cmp, a.num_classes, not a.no_exact_check)
    print()
    n_fail = cmp.print_table(only_failures=a.only_failures)
    return 1 if n_fail else 0


# --------------------------------------------------------------------------- cli

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode")
    sub.required = True

    c = sub.add_parser("cityscapes", help="compare against cityscapesScripts")
    c.add_argument("--gt-root", required=True,
                   help="CITYSCAPES_DATASET: contains gtFine/val/<city>/*_gtFine_labelIds.png")
    c.add_argument("--predictions", required=True,
                   help="CITYSCAPES_RESULTS: labelId PNGs named <city>_<seq>_<frame>*.png")
    c.add_argument("--cityscapes-scripts", metavar="SRC_DIR",
                   help="cityscapesScripts checkout, used if the package is not installed")
    c.add_argument("--quiet-reference", action="store_true",
                   help="do not echo cityscapesScripts' own output")
    c.add_argument("--full-reference-output", action="store_true",
                   help="echo cityscapesScripts' output including its confusion matrix")

    m = sub.add_parser("mmseg", help="compare against mmsegmentation's IoUMetric")
    m.add_argument("--gt-dir", required=True)
    m.add_argument("--gt-suffix", default="_gtFine_labelTrainIds.png")
    m.add_argument("--pred-dir", required=True)
    m.add_argument("--pred-suffix", default=".png")
    m.add_argument("--num-classes", type=int, default=19)
    m.add_argument("--ignore-index", type=int, default=255)
    m.add_argument("--mmseg-iou-metric", metavar="PATH",
                   help="path to mmseg/evaluation/metrics/iou_metric.py if mmseg is "
                        "not installed")

    m.add_argument("--no-exact-check", action="store_true",
                   help="skip the class-exact rows (our values vs mmseg's formulas in "
                        "float64 on the exact counts, tolerance 1e-9)")

    for p in (c, m):
        p.add_argument("--report", required=True, help="segspark report.json")
        p.add_argument("--tolerance", type=float, default=None,
                       help="absolute tolerance (default 1e-9 cityscapes, 1e-6 mmseg)")
        p.add_argument("--dump-reference", metavar="OUT_JSON",
                       help="also write the reference numbers to this JSON (NaN -> null)")
        p.add_argument("--only-failures", action="store_true",
                       help="print only the rows that differ")
    a = ap.parse_args(argv)
    return main_cityscapes(a) if a.mode == "cityscapes" else main_mmseg(a)


if __name__ == "__main__":
    sys.exit(main())
