#!/usr/bin/env bash
# Rebuilds the bundled models (conf/models/*.pt + *.yaml) and their Python reference predictions
# (udfs/src/test/resources/models/reference/) from scratch, on the CPU:
#   1. synthetic training / validation / reference frames with `bin/segspark synth`
#      (seeds 1, 2, 3 and 4242; the Java tests evaluate on seeds 2026-2029, never trained on);
#   2. SegFormer, DANet and DETR-panoptic training, TorchScript export, reload checks;
#   3. the ONNX twin of SegFormer (conf/models/segformer-synth.onnx) exported from its TorchScript file.
# Needs: apt-get install -y python3-torch python3-numpy python3-pil python3-scipy
# Training is single-threaded per model (torch.set_num_threads(1)); SEGSPARK_DATA overrides /work/data.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${SEGSPARK_DATA:-/work/data}"
cd "$ROOT"
for spec in "train 400 1" "val 100 2" "ref4 4 4242" "train2 800 3"; do
  set -- $spec
  [[ -d "$DATA/$1/leftImg8bit" ]] || bin/segspark synth --out "$DATA/$1" --images "$2" --seed "$3" --size 256x512
done
PY=/usr/bin/python3
COMMON=(--data "$DATA/train" --val "$DATA/val" --ref "$DATA/ref4")
$PY notebooks/models/train_semantic.py --arch segformer --steps 1400 --eval-every 350 \
  --class-weight-power 0.3 "${COMMON[@]}"
$PY notebooks/models/export_onnx.py   # the same weights as ONNX (segformer-synth-onnx.yaml is hand-written)
$PY notebooks/models/train_semantic.py --arch danet --steps 1700 --warmup 50 --eval-every 425 \
  --class-weight-power 0.3 "${COMMON[@]}"
# DETR-panoptic in two runs of one checkpoint folder: 5000 steps (4600 on 128x256 crops, then whole
# frames) on train, then whole frames of train + train2 up to step 7600 (a warm restart: the learning
# rate of a 7600-step cosine schedule from step 5000 on), exported with the score threshold chosen on val.
(cd notebooks/models && $PY train_detr.py --data "$DATA/train" --val "$DATA/val" --ref "$DATA/ref4" \
  --steps 5000 --crop 128 256 --crop-steps 4600 --eval-every 500 --out /tmp/detr-b3 --no-export)
(cd notebooks/models && $PY train_detr.py --data "$DATA/train" "$DATA/train2" --val "$DATA/val" \
  --ref "$DATA/ref4" --resume --steps 7600 --out /tmp/detr-b3 --threshold auto)
