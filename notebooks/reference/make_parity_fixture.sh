#!/usr/bin/env bash
# Regenerates the reference-parity fixture used by jobs' ReferenceParityTest:
#   jobs/src/test/resources/parity/cityscapes-mini/   9 synthetic 128x256 frames (segspark synth)
#   jobs/src/test/resources/parity/cityscapes_reference.json   cityscapesScripts' numbers
#   jobs/src/test/resources/parity/mmseg_reference.json        mmseg IoUMetric's numbers
# Needs the reference tools (see README.md in this folder):
#   make_parity_fixture.sh [CITYSCAPES_SCRIPTS_SRC_DIR] [MMSEG_IOU_METRIC_PY]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CS_SRC="${1:-}"; MMSEG_FILE="${2:-}"
OUT="$ROOT/jobs/src/test/resources/parity"; WORK="$(mktemp -d)"
rm -rf "$OUT/cityscapes-mini"
"$ROOT/bin/segspark" synth --out "$OUT/cityscapes-mini" --images 9 --size 128x256 --seed 11 --with-predictions
rm -rf "$OUT/cityscapes-mini/leftImg8bit" "$OUT"/cityscapes-mini/gtFine/val/*/*_color.png
"$ROOT/bin/segspark" evaluate --dataset cityscapes --data-root "$OUT/cityscapes-mini" \
  --predictions "$OUT/cityscapes-mini/predictions/labelIds" --out "$WORK/cs"
"$ROOT/bin/segspark" evaluate --dataset cityscapes --data-root "$OUT/cityscapes-mini" \
  --predictions "$OUT/cityscapes-mini/predictions/trainIds" --prediction-ids trainIds \
  --convention mmseg --out "$WORK/mmseg"
cd "$ROOT/notebooks/reference"
python3 compare_semantic.py cityscapes --gt-root "$OUT/cityscapes-mini" \
  --predictions "$OUT/cityscapes-mini/predictions/labelIds" --report "$WORK/cs/report.json" \
  ${CS_SRC:+--cityscapes-scripts "$CS_SRC"} --dump-reference "$OUT/cityscapes_reference.json"
python3 compare_semantic.py mmseg --gt-dir "$OUT/cityscapes-mini/gtFine/val" \
  --gt-suffix _gtFine_labelTrainIds.png --pred-dir "$OUT/cityscapes-mini/predictions/trainIds" \
  --pred-suffix _pred_trainIds.png --num-classes 19 --ignore-index 255 \
  --report "$WORK/mmseg/report.json" ${MMSEG_FILE:+--mmseg-iou-metric "$MMSEG_FILE"} \
  --dump-reference "$OUT/mmseg_reference.json"
rm -f "$WORK"/cs/resultPixelLevelSemanticLabeling.json
echo "fixture and reference numbers written to $OUT"
