#!/usr/bin/env bash
# End-to-end self-test of compare_semantic.py on the toy data set (no Java needed):
#   1. generate the toy Cityscapes-layout set
#   2. run both reference tools once with an empty report, dumping the reference numbers
#   3. fabricate report.json files from those numbers (must pass) and with deliberate
#      errors (must fail), and check the exit codes.
#
# usage: run_toy_check.sh WORK_DIR [CITYSCAPES_SCRIPTS_SRC] [IOU_METRIC_PY]
# The last two are only needed when cityscapesscripts / mmsegmentation are not installed.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${PYTHON:-python3}"
W="$1"; CS_SRC="${2:-}"; MM_FILE="${3:-}"
mkdir -p "$W"
CS_OPT=(); [ -n "$CS_SRC" ] && CS_OPT=(--cityscapes-scripts "$CS_SRC")
MM_OPT=(); [ -n "$MM_FILE" ] && MM_OPT=(--mmseg-iou-metric "$MM_FILE")

"$PY" "$HERE/make_toy_cityscapes.py" --out "$W/toy" || exit 2
echo '{}' > "$W/empty.json"

cs() { "$PY" "$HERE/compare_semantic.py" cityscapes --gt-root "$W/toy" \
        --predictions "$W/toy/pred_labelIds" "${CS_OPT[@]}" "$@"; }
mm() { "$PY" "$HERE/compare_semantic.py" mmseg --gt-dir "$W/toy/gtFine/val" \
        --gt-suffix _gtFine_labelTrainIds.png --pred-dir "$W/toy/pred_trainIds" \
        --pred-suffix _leftImg8bit.png --num-classes 19 --ignore-index 255 "${MM_OPT[@]}" "$@"; }

fail=0
expect() {  # expect RC DESCRIPTION -- command...
  local want="$1" what="$2"; shift 3
  "$@" > "$W/last.out" 2>&1; local rc=$?
  if [ "$rc" = "$want" ]; then echo "PASS  $what (exit $rc)"
  else echo "FAIL  $what (exit $rc, expected $want)"; tail -40 "$W/last.out"; fail=1; fi
}

expect 1 "cityscapes: empty report differs, reference dumped" -- \
  cs --report "$W/empty.json" --dump-reference "$W/cs_ref.json" --quiet-reference
expect 1 "mmseg: empty report differs, reference dumped" -- \
  mm --report "$W/empty.json" --dump-reference "$W/mm_ref.json"

"$PY" "$HERE/make_fake_report.py" cityscapes "$W/cs_ref.json" "$W/cs_ok.json" >/dev/null
"$PY" "$HERE/make_fake_report.py" cityscapes "$W/cs_ref.json" "$W/cs_bad.json" \
  --perturb car iou 1e-6 --perturb summary categoryIIoU -0.01 >/dev/null
"$PY" "$HERE/make_fake_report.py" mmseg "$W/mm_ref.json" "$W/mm_ok.json" >/dev/null
"$PY" "$HERE/make_fake_report.py" mmseg "$W/mm_ref.json" "$W/mm_exact.json" --exact >/dev/null
"$PY" "$HERE/make_fake_report.py" mmseg "$W/mm_ref.json" "$W/mm_bad.json" --exact \
  --perturb 13 iou 2e-6 --perturb summary mIoU 0.0002 --perturb 5 gtPixels 1 >/dev/null

expect 0 "cityscapes: report = reference numbers"   -- cs --report "$W/cs_ok.json" --quiet-reference
expect 1 "cityscapes: perturbed report"             -- cs --report "$W/cs_bad.json" --quiet-reference
expect 0 "mmseg: report = mmseg float32 numbers, float32 rows only" -- \
  mm --report "$W/mm_ok.json" --no-exact-check
expect 1 "mmseg: float32 numbers fail the 1e-9 class-exact rows" -- mm --report "$W/mm_ok.json"
expect 0 "mmseg: report = double from exact counts" -- mm --report "$W/mm_exact.json"
expect 1 "mmseg: perturbed report"                  -- mm --report "$W/mm_bad.json"
exit $fail
